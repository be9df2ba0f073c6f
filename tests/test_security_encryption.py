"""Issue 13 §2: 身份证号 and phones are encrypted at rest, found through keyed blind indexes,
and the key can rotate (batched, resumable); existing rows are encrypted the same way."""

import base64
import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection

from xianfeng.core import crypto
from xianfeng.members import services
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Member
from xianfeng.members.search import search_q
from xianfeng.testing import FIELD_TEST_KEY, make_member

NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()


def raw(member_pk, *columns):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM members_member WHERE id = %s",  # noqa: S608
            [member_pk],
        )
        return cursor.fetchone()


def dump_text():
    """Every row of every table as text: what a database dump or backup would hold."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            chunks += [repr(row) for row in cursor.fetchall()]
    return "\n".join(chunks)


def test_the_database_holds_ciphertext_and_hashes_only(world):
    member = world.member
    id_number, phone, id4, phone4, id_hash = raw(
        member.pk, "id_number", "phone", "id_last4", "phone_last4", "id_number_hash"
    )
    assert id_number.startswith("v1$aes-gcm$") and phone.startswith("v1$aes-gcm$")
    assert member.id_number not in id_number and "13912345678" not in phone
    assert member.id_number[-4:] not in id4 and phone4 != "5678" and len(id_hash) == 40
    text = dump_text()
    for value in Member.objects.values_list("id_number", flat=True):
        assert value not in text
    assert "13912345678" not in text
    # and the model reads the plain values back
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.id_number, fresh.phone) == (member.id_number, "13912345678")


def test_bulk_create_and_values_list_are_transparent(world):
    number = make_id_number("370105", date(1970, 5, 4), 11)
    Member.objects.bulk_create(
        [
            Member(
                name="批量",
                gender="M",
                birth_date=date(1970, 5, 4),
                id_number=number,
                phone="13800001234",
                joined_on=date(1995, 7, 1),
                organization=world.branch,
            )
        ]
    )
    member = Member.objects.get(id_number=number)
    assert raw(member.pk, "id_number")[0].startswith("v1$")
    assert list(Member.objects.filter(pk=member.pk).values_list("phone", flat=True)) == [
        "13800001234"
    ]
    assert list(Member.objects.with_id_number(number.lower())) == [member]
    assert Member.objects.filter(id_number__in=[number, "x"]).get() == member
    assert Member.objects.filter(search_q("1234")).get() == member


def test_duplicate_id_is_refused_through_the_blind_index(world):
    with pytest.raises(services.InvalidMember) as exc:
        services.create_member(
            world.branch,
            actor=world.users["street_admin"],
            name="重复",
            id_number=world.member.id_number.lower(),
            joined_on=date(2000, 7, 1),
        )
    assert "已登记" in exc.value.errors["id_number"]


def test_sm4_gcm_with_hmac_sm3(world, settings):
    settings.XIANFENG_FIELD_CIPHER = "sm4-gcm"
    member = make_member(world.branch, "国密", phone="13700007777")
    assert raw(member.pk, "phone")[0].startswith("v1$sm4-gcm$")
    assert Member.objects.get(phone="13700007777") == member
    assert Member.objects.get(pk=member.pk).phone == "13700007777"


def test_a_wrong_key_cannot_read(world, settings):
    settings.XIANFENG_FIELD_KEY = NEW_KEY
    with pytest.raises(crypto.DecryptionError):
        Member.objects.get(pk=world.member.pk)


def make_many(world, n):
    born = date(1980, 1, 1)
    Member.objects.bulk_create(
        Member(
            name=f"党员{i}",
            gender="M",
            birth_date=born + timedelta(days=i // 500),
            id_number=make_id_number("370105", born + timedelta(days=i // 500), i % 500 + 1),
            phone=f"138{i:08d}",
            joined_on=date(2005, 7, 1),
            organization=world.branch,
        )
        for i in range(1, n + 1)
    )
    return dict(Member.objects.values_list("id_number", "phone"))


class Crash(Exception):
    pass


def crash_after(batches):
    seen = []

    def on_batch(n):
        seen.append(n)
        if len(seen) == batches:
            raise Crash

    return on_batch


def test_rotation_is_batched_and_resumes_after_a_crash(world, settings):
    before = make_many(world, 900)
    settings.XIANFENG_FIELD_KEY = NEW_KEY
    settings.XIANFENG_FIELD_KEYS_PREVIOUS = [FIELD_TEST_KEY]
    new_prefix = crypto.current_prefix()
    some = next(iter(before))
    assert Member.objects.filter(id_number=some).count() == 1  # lookups work mid-rotation
    with pytest.raises(Crash):
        crypto.reencrypt_rows(Member, batch_size=200, on_batch=crash_after(2))
    rotated = Member.objects.filter(id_number__startswith=new_prefix).count()
    assert rotated == 400
    from django.core.management import call_command

    call_command("rotate_field_key", "--batch-size", "200", stdout=None)
    settings.XIANFENG_FIELD_KEYS_PREVIOUS = []  # the old key can go now
    assert dict(Member.objects.values_list("id_number", "phone")) == before
    assert Member.objects.filter(id_number=some).count() == 1
    assert Member.objects.filter(search_q(some[-4:])).exists()


def test_migration_encrypts_thousands_of_rows_and_resumes(world):
    before = make_many(world, 3000)
    # Put the rows back as they were before the migration: plain text, no blind indexes.
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE members_member SET id_number = %s, phone = %s, id_number_hash = NULL,"
            " phone_hash = NULL, id_last4 = %s, phone_last4 = %s WHERE id = %s",
            [
                (m.id_number, m.phone, m.id_number[-4:], m.phone[-4:], m.pk)
                for m in Member.objects.all()
            ],
        )
    assert raw(Member.objects.first().pk, "id_number")[0] in before
    with pytest.raises(Crash):
        crypto.reencrypt_rows(Member, batch_size=1000, on_batch=crash_after(2))
    encrypted = Member.objects.filter(id_number__startswith="v1$").count()
    assert 2000 <= encrypted < Member.objects.count()
    migration = importlib.import_module(
        "xianfeng.members.migrations.0005_encrypt_id_number_and_phone"
    )
    migration.encrypt_members(apps, None)
    assert Member.objects.exclude(id_number__startswith="v1$").count() == 0
    assert dict(Member.objects.values_list("id_number", "phone")) == before
    some = list(before)[1234]
    assert Member.objects.filter(id_number=some).count() == 1
    text = dump_text()
    assert not any(number in text for number in list(before)[::97])
