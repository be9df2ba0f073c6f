from datetime import date

from xianfeng.accounts.roles import Role
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Gender
from xianfeng.testing import make_user

from .. import services
from ..models import TransferKind

BORN = date(1988, 4, 2)


def users(world):
    """The standing users plus a secretary for branch2 and one for the other street."""
    extra = {
        "branch2_secretary": make_user(
            "branch2_secretary", role=Role.BRANCH_SECRETARY, org=world.branch2
        ),
        "other_committee": make_user(
            "other_committee", role=Role.COMMITTEE_SECRETARY, org=world.other_street
        ),
    }
    return {**world.users, **extra}


def internal(world, to_org=None, member=None, actor=None, **kwargs):
    return services.start_transfer(
        member or world.member,
        kind=TransferKind.INTERNAL,
        to_org=to_org or world.branch2,
        reason="工作调动",
        actor=actor or world.users["branch_secretary"],
        **kwargs,
    )


def outbound(world, member=None):
    return services.start_transfer(
        member or world.member,
        kind=TransferKind.OUTBOUND,
        destination="中共北京市朝阳区望京街道工作委员会",
        reason="随子女迁居北京",
        actor=world.users["branch_secretary"],
    )


def incoming(n=1, **overrides):
    return {
        "name": f"转入{n}",
        "id_number": make_id_number("110105", BORN, n * 2 + 1),
        "gender": Gender.MALE,
        "birth_date": BORN,
        "joined_on": date(2012, 7, 1),
        "confirmed_on": date(2013, 7, 1),
        "category": "full",
        "phone": "13700000000",
        "incoming_letter_no": f"京朝组转〔2026〕第{n:04d}号",
        "origin": "中共北京市朝阳区望京街道工作委员会",
        "reason": "回乡居住",
        **overrides,
    }


def inbound(world, n=1, actor=None, **overrides):
    return services.register_inbound(
        world.branch, actor=actor or world.users["committee_secretary"], **incoming(n, **overrides)
    )


def matrix_objects(world):
    """For the permission matrix: a pending transfer 北关→北坦 (at the street's step), a letter
    issued for another 北关 member, a batch of 北坦's members into 北关, 张三 as a mobile member."""
    from datetime import date

    from ..batches import start_batch
    from ..mobile import register_mobile

    admin = world.users["admin"]
    batch, _skipped = start_batch(world.branch2, world.branch, actor=admin, reason="合并")
    mobile = register_mobile(
        world.member, actor=admin, place="上海市浦东新区", since=date(2024, 3, 1), reason="work"
    )
    from xianfeng.members.models import Member

    other = Member.objects.filter(organization=world.branch).exclude(pk=world.member.pk).first()
    letter = outbound(world, member=other)
    services.issue_letter(letter, actor=admin)
    return {
        "transfer": internal(world).pk,
        "letter": letter.pk,
        "batch": batch.pk,
        "mobile": mobile.pk,
    }
