"""Issue 13 §3: the audit log is an append-only, tamper-evident chain."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from xianfeng.accounts import services as account_services
from xianfeng.core import audit
from xianfeng.core.models import AppendOnlyError, AuditLog
from xianfeng.testing import in_threads, make_user, needs_pg


def verify():
    """(exit code, output) of manage.py verify_audit."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, err.getvalue()
    return 0, out.getvalue()


def raw(sql, params=()):
    """SQL behind the application's back, as someone with database access would run it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off; the chain must still give him away.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def rows(world):
    admin = world.users["admin"]
    for n in range(5):
        audit.record("test.event", world.member, actor=admin, n=n, ratio=n / 3, big=1e20)
    return list(AuditLog.objects.order_by("seq"))


def test_an_intact_chain_verifies(rows):
    code, output = verify()
    assert code == 0 and "完整" in output
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + 5))
    assert all(b.prev_hash == a.row_hash for a, b in zip(rows, rows[1:], strict=False))


def test_a_changed_row_is_named(rows):
    raw("UPDATE core_auditlog SET target_repr = %s WHERE id = %s", ["改过", rows[2].pk])
    code, output = verify()
    assert code == 1 and f"id={rows[2].pk}" in output and "被修改" in output


def test_a_deleted_row_is_found_at_the_next(rows):
    raw("DELETE FROM core_auditlog WHERE id = %s", [rows[2].pk])
    code, output = verify()
    assert code == 1 and f"id={rows[3].pk}" in output


def test_an_inserted_row_is_found(rows):
    last = rows[-1]
    raw(
        "INSERT INTO core_auditlog (at, action, target_type, target_id, target_repr, data, "
        "actor_username, actor_name, seq, prev_hash, row_hash) "
        "VALUES (%s, 'forged', '', '', '', '{}', 'x', 'x', %s, %s, %s)",
        [last.at, last.seq + 1, last.row_hash, "0" * 64],
    )
    code, output = verify()
    assert code == 1 and f"序号={last.seq + 1}" in output


def test_the_model_and_queryset_refuse_changes(rows):
    row = rows[0]
    row.action = "changed"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    assert verify()[0] == 0


@needs_pg
def test_the_database_refuses_changes(rows):
    for sql in (
        "UPDATE core_auditlog SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [rows[0].pk])


def test_deleting_a_user_keeps_who_it_was_and_is_audited(world):
    gone = make_user("wangwu_gone", role=None)
    gone.display_name = "王五"
    gone.save()
    audit.record("test.event", world.member, actor=gone)
    account_services.delete_user(gone, actor=world.users["admin"])
    row = AuditLog.objects.get(action="test.event")
    assert row.actor_id is None
    assert (row.actor_username, row.actor_name, row.actor_display) == (
        "wangwu_gone",
        "王五",
        "王五",
    )
    deleted = AuditLog.objects.get(action="user.delete")
    assert deleted.actor_username == "admin" and deleted.data["username"] == "wangwu_gone"
    assert verify()[0] == 0


def test_deactivation_logins_and_grants_are_audited(world, client, password):
    target = make_user("target_user", role=None)
    account_services.set_active(target, False, actor=world.users["admin"])
    client.post(reverse("accounts:login"), {"username": "street_admin", "password": password})
    client.post(reverse("accounts:login"), {"username": "street_admin", "password": "bad-pass-1"})
    account_services.grant_role(target, "observer", world.branch, actor=world.users["street_admin"])
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"user.deactivate", "user.login", "user.login_failed", "user.grant"} <= actions
    assert verify()[0] == 0


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain(world):
    def append(n):
        def job():
            with transaction.atomic():
                for i in range(5):
                    audit.record("test.concurrent", world.member, n=n, i=i)
            return "ok"

        return job

    assert in_threads(*[append(n) for n in range(4)]) == ["ok"] * 4
    assert verify()[0] == 0
