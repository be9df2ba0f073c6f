"""The benchmark database: PostgreSQL from DATABASE_URL (or a local default), created, migrated
and filled with a synthetic city by `gen_city` the first time."""

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xianfeng_bench"
CITY_ROOT_CODE = "GC0000001"


def configure(url=None):
    """Point Django at the benchmark database and allow the test client's host; returns the URL."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make bench 需要 PostgreSQL: DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("SECRET_KEY", "xianfeng-benchmark-key-" + "b" * 40)
    return url


def create_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_city(members, orgs):
    """Migrate, and generate the city unless it is there; returns the city root."""
    from django.core.management import call_command

    from xianfeng.orgs.models import Organization

    call_command("migrate", verbosity=0)
    root = Organization.objects.filter(code=CITY_ROOT_CODE).first()
    if root is None:
        print(f"no city yet: gen_city --members {members} --orgs {orgs} (takes a while)")
        call_command("gen_city", members=members, orgs=orgs)
        root = Organization.objects.get(code=CITY_ROOT_CODE)
    else:
        from xianfeng.demo.city_modules import fill_modules

        fill_modules(root)  # every module (issue 19); a no-op when they are there
    return root


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
