from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.members.models import Member

from .. import services
from ..models import MobileMember, MobileStatus, Transfer, TransferStatus
from .factories import inbound, incoming, internal, outbound, users

pytestmark = pytest.mark.django_db


def test_inbox_shows_only_steps_i_hold(world, login):
    u = users(world)
    transfer = internal(world)
    todo = reverse("transfers:list") + "?tab=todo"
    assert login(u["committee_secretary"]).get(todo).context["rows"] == [transfer]
    assert login(u["branch_secretary"]).get(todo).context["rows"] == []
    outgoing = login(u["branch_secretary"]).get(reverse("transfers:list") + "?tab=outgoing")
    assert outgoing.context["rows"] == [transfer]
    incoming_rows = login(u["branch2_secretary"]).get(reverse("transfers:list") + "?tab=incoming")
    assert incoming_rows.context["rows"] == [transfer]


def test_list_query_count_is_constant(world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    internal(world)
    url = reverse("transfers:list") + "?tab=all"
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for member in Member.objects.filter(organization=world.branch).exclude(pk=world.member.pk):
        outbound(world, member=member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 4


def test_outsider_sees_nothing_and_gets_404(world, login):
    transfer = internal(world)
    client = login(world.users["outsider"])
    assert client.get(reverse("transfers:detail", args=[transfer.pk])).status_code == 404
    assert client.post(reverse("transfers:approve", args=[transfer.pk])).status_code == 404
    assert client.get(reverse("transfers:list") + "?tab=all").context["rows"] == []


def test_approve_then_accept_through_the_pages(world, login):
    u = users(world)
    transfer = internal(world)
    response = login(u["committee_secretary"]).post(
        reverse("transfers:approve", args=[transfer.pk]), {"reason": "同意转出"}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED
    detail = login(u["branch2_secretary"]).get(reverse("transfers:detail", args=[transfer.pk]))
    assert detail.context["may_act"] and "接收" in detail.content.decode()
    login(u["branch2_secretary"]).post(reverse("transfers:accept", args=[transfer.pk]))
    assert Member.objects.get(pk=world.member.pk).organization == world.branch2


def test_sending_branch_cannot_accept_through_the_page(world, login):
    u = users(world)
    transfer = internal(world)
    services.approve_step(transfer, actor=u["committee_secretary"])
    client = login(u["branch_secretary"])
    assert not client.get(reverse("transfers:detail", args=[transfer.pk])).context["may_act"]
    response = client.post(reverse("transfers:accept", args=[transfer.pk]))
    assert response.status_code == 403
    assert Member.objects.get(pk=world.member.pk).organization == world.branch


def test_reject_without_reason_is_refused_with_a_message(world, login):
    transfer = internal(world)
    client = login(world.users["committee_secretary"])
    response = client.post(
        reverse("transfers:reject", args=[transfer.pk]), {"reason": ""}, follow=True
    )
    assert "退回须填写理由" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING


def test_start_through_the_form(world, login):
    client = login(world.users["branch_secretary"])
    picked = client.get(reverse("transfers:start"), {"q": "张三"})
    assert [m.name for m in picked.context["found"]] == ["张三"]
    url = reverse("transfers:start") + f"?member={world.member.pk}"
    data = {"kind": "internal", "to_org": world.branch2.pk, "reason": "工作调动"}
    response = client.post(url, data)
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.to_org == world.branch2
    again = client.post(url, data)
    assert "办理中" in again.content.decode() and Transfer.objects.count() == 1


def test_start_refuses_a_member_outside_my_branch(world, login):
    url = reverse("transfers:start") + f"?member={world.other_member.pk}"
    assert login(world.users["branch_secretary"]).get(url).status_code == 404


def test_member_requests_and_sees_their_own_transfer(world, login):
    client = login(world.users["member"])
    response = client.post(
        reverse("transfers:request"),
        {"kind": "outbound", "destination": "上海市某街道党工委", "reason": "工作调动"},
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.by_member
    rows = client.get(reverse("transfers:list")).context["rows"]
    assert rows == [transfer]
    assert client.get(reverse("transfers:detail", args=[transfer.pk])).context["may_withdraw"]


def test_letter_prints_stub_letter_and_receipt(world, login):
    transfer = outbound(world)
    services.issue_letter(transfer, actor=world.users["committee_secretary"], on=date(2026, 5, 6))
    response = login(world.users["branch_secretary"]).get(
        reverse("transfers:letter", args=[transfer.pk])
    )
    text = response.content.decode()
    assert text.count("北组转〔2026〕第0001号") == 4  # the title and the three parts
    for part in (
        "存根",
        "回执",
        "有效期至2026年8月6日",
        "中共北京市朝阳区望京街道工作委员会",
        "@media print",
    ):
        assert part in text, part


def test_receipt_warnings_tab(world, login):
    today = timezone.localdate()
    transfer = outbound(world)
    services.issue_letter(
        transfer, actor=world.users["committee_secretary"], on=today - timedelta(days=100)
    )
    fresh = outbound(world, member=Member.objects.filter(organization=world.branch).last())
    services.issue_letter(fresh, actor=world.users["committee_secretary"], on=today)
    response = login(world.users["street_admin"]).get(reverse("transfers:list") + "?tab=warnings")
    assert response.context["rows"] == [transfer]
    assert "has-error" in response.content.decode()
    services.record_receipt(transfer, actor=world.users["committee_secretary"], returned_on=today)
    response = login(world.users["street_admin"]).get(reverse("transfers:list") + "?tab=warnings")
    assert response.context["rows"] == []


def test_inbound_form_then_accept(world, login):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in incoming().items()}
    client = login(world.users["committee_secretary"])
    response = client.post(reverse("transfers:inbound"), {**data, "to_org": world.branch.pk})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.status == TransferStatus.APPROVED
    duplicate = client.post(reverse("transfers:inbound"), {**data, "to_org": world.branch.pk})
    assert "该来信编号已登记" in duplicate.content.decode()
    login(world.users["branch_secretary"]).post(reverse("transfers:accept", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.member.name == "转入1"


def test_batch_page(world, login):
    u = users(world)
    client = login(u["street_admin"])
    response = client.post(
        reverse("transfers:batch_start"),
        {"from_org": world.branch2.pk, "to_org": world.branch.pk, "reason": "合并"},
    )
    assert response.status_code == 302
    batch_url = response.url
    assert client.get(batch_url).context["mine"] == 1
    client.post(batch_url + "act/")
    client.post(batch_url + "act/")
    assert not Member.objects.filter(organization=world.branch2).exists()


def test_mobile_register_list_masks_and_return(world, login):
    client = login(world.users["branch_secretary"])
    url = reverse("transfers:mobile_create") + f"?member={world.member.pk}"
    data = {
        "place": "上海市浦东新区",
        "since": "2024-03-01",
        "reason": "work",
        "managing_org": "浦东新区流动党员党委",
        "contact_name": "刘书记",
        "contact_phone": "13600001111",
    }
    assert client.post(url, data).status_code == 302
    assert "已登记为在外" in client.post(url, data).content.decode()
    record = MobileMember.objects.get()
    listed = client.get(reverse("transfers:mobile_list")).content.decode()
    assert "13600001111" in listed
    masked = login(world.users["grid_worker"]).get(reverse("transfers:mobile_list"))
    assert "136****1111" in masked.content.decode()
    client = login(world.users["branch_secretary"])
    client.post(reverse("transfers:mobile_return", args=[record.pk]), {"returned_on": "2025-01-02"})
    record.refresh_from_db()
    assert record.status == MobileStatus.RETURNED
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("transfers:mobile_edit", args=[record.pk])).status_code == 404


def test_api_lists_in_scope_and_refuses_wrong_holder(world, api):
    u = users(world)
    transfer = internal(world)
    inbound(world)
    body = api(u["branch2_secretary"]).get("/api/v1/transfers/").json()
    assert [row["id"] for row in body["results"]] == [transfer.pk]
    assert api(u["outsider"]).get(f"/api/v1/transfers/{transfer.pk}/").status_code == 404
    response = api(u["branch2_secretary"]).post(f"/api/v1/transfers/{transfer.pk}/approve/")
    assert response.status_code == 403
    response = api(u["committee_secretary"]).post(
        f"/api/v1/transfers/{transfer.pk}/approve/", {"reason": "同意"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api(u["branch2_secretary"]).post(f"/api/v1/transfers/{transfer.pk}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_each_step_notifies_the_organization_holding_it(world):
    from xianfeng.notices.models import Notice, NoticeKind

    u = users(world)
    transfer = internal(world)
    notices = Notice.objects.filter(kind=NoticeKind.TRANSFER)
    assert notices.filter(recipient=u["committee_secretary"]).count() == 1
    assert not notices.filter(recipient=u["branch_secretary"]).exists(), "the initiator acted"
    assert not notices.filter(recipient=u["branch2_secretary"]).exists(), "not yet their turn"
    services.approve_step(transfer, actor=u["committee_secretary"])
    (turn,) = notices.filter(recipient=u["branch2_secretary"])
    assert turn.link == reverse("transfers:detail", args=[transfer.pk]) and "接收" in turn.title
