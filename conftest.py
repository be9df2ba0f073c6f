import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from xianfeng.testing import FIELD_TEST_KEY, PASSWORD, REFERENCE_SEEDS, build_world

# Tests encrypt 身份证号 and phones under a fixed key, never the machine's var/field.key.
settings.XIANFENG_FIELD_KEY = FIELD_TEST_KEY
settings.XIANFENG_FIELD_KEYS_PREVIOUS = []
settings.XIANFENG_FIELD_CIPHER = "aes-gcm"

# CI runs both databases on a shared 2-core machine: property tests judge correctness, not how
# fast inputs are generated, so a loaded machine must not fail them on timing.
hypothesis_settings.register_profile(
    "xianfeng", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("xianfeng")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Every test world creates nine logins; PBKDF2 would dominate the suite's run time.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _strict_points(settings):
    # A point event that finds no rule is a wiring bug: it fails the test instead of a log line.
    settings.POINTS_STRICT = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login throttling and API rate limits count in the cache; no test inherits another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """api(user) → a DRF client authenticated as that user."""
    from rest_framework.test import APIClient

    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


@pytest.fixture(autouse=True)
def _default_language():
    # A request's language stays active in the thread after the test client returns.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _fresh_memos():
    # A memo may hold rows of a rolled-back test whose ids the next test reuses.
    from xianfeng.core.memo import forget_all

    forget_all()


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if not transactional:
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for module_name, function in REFERENCE_SEEDS:
        module = importlib.import_module(module_name)
        getattr(module, function)(apps, None)
