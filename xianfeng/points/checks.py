"""System checks: every code an app sends has a rule in the catalogue."""

from django.core import checks
from django.utils.module_loading import autodiscover_modules

from xianfeng.core.events import POINT_CODES

from .catalogue import catalogue_codes


@checks.register()
def senders_have_rules(app_configs=None, **kwargs):
    """At start-up (runserver, migrate, check): a declared code missing from the catalogue."""
    autodiscover_modules("services", "urls")  # the senders declare their codes at import
    missing = sorted(set(POINT_CODES) - catalogue_codes())
    return [
        checks.Error(
            f"积分代码 {code}（{'、'.join(POINT_CODES[code])} 发送）在规则目录中没有规则",
            hint="在 xianfeng/points/catalogue.py 中加入该规则，并用数据迁移写入数据库",
            id="points.E001",
        )
        for code in missing
    ]


@checks.register(checks.Tags.database)
def rules_in_database(app_configs=None, databases=None, **kwargs):
    """With `check --database default`: the database holds a rule for every declared code."""
    if not databases:
        return []
    from django.db import connections

    from .models import PointRule

    errors = []
    for alias in databases:
        with connections[alias].cursor() as cursor:
            tables = connections[alias].introspection.table_names(cursor)
        if PointRule._meta.db_table not in tables:
            continue  # a database not migrated yet (`migrate` runs these checks first)
        present = set(PointRule.objects.using(alias).values_list("code", flat=True))
        errors += [
            checks.Error(f"数据库 {alias} 中没有积分规则 {code}", id="points.E002")
            for code in sorted(set(POINT_CODES) - present)
        ]
    return errors
