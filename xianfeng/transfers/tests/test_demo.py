from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from xianfeng.members.management.commands.check_counts import drift
from xianfeng.orgs.models import Organization

from ..models import MobileMember, Transfer, TransferBatch, TransferKind, TransferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_demo_has_transfers_in_every_state_and_mobile_members(demo_loaded):
    assert set(Transfer.objects.values_list("status", flat=True)) == set(TransferStatus.values)
    assert set(Transfer.objects.values_list("kind", flat=True)) == set(TransferKind.values)
    assert Transfer.objects.filter(by_member=True, member__name="张三").exists()
    assert TransferBatch.objects.get().transfers.count() > 5
    assert MobileMember.objects.count() > 20
    guodian = Organization.objects.get(name="郭店街道党工委")
    street = Organization.objects.filter(path__startswith=guodian.path)
    assert street.aggregate(n=Sum("member_count"))["n"] == 1062
    assert drift(Organization.objects.all()) == []
    before = Transfer.objects.count(), MobileMember.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert (Transfer.objects.count(), MobileMember.objects.count()) == before


def test_every_demo_transfer_renders(demo_loaded, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    client.force_login(get_user_model().objects.get(username="admin"))
    for status in TransferStatus.values:
        transfer = Transfer.objects.filter(status=status).first()
        response = client.get(reverse("transfers:detail", args=[transfer.pk]))
        assert response.status_code == 200, status
        if transfer.letter_no:
            assert client.get(reverse("transfers:letter", args=[transfer.pk])).status_code == 200
    batch = TransferBatch.objects.get()
    assert client.get(reverse("transfers:batch", args=[batch.pk])).status_code == 200
    for tab in ("todo", "outgoing", "incoming", "warnings", "closed", "all"):
        assert client.get(reverse("transfers:list"), {"tab": tab}).status_code == 200
    assert client.get(reverse("transfers:mobile_list")).status_code == 200
