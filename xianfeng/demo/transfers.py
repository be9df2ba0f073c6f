"""Transfers in every state and a registry of mobile members.

郭店 (the report's 党组织转移工作 and the 十村整合 resettlement): transfers between its
branches, a member's own request, a rejection, a withdrawal, one to 天桥, and a pending
整建制 batch. Street totals stay as the report gives them (1,062): moves inside 郭店 keep
it, and letters out (members leave) and letters in (members arrive) are in 大季家.
Loaded once: a second run finds the demo transfers and changes nothing.
"""

from datetime import date, timedelta

from xianfeng.accounts.models import User
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Member, MemberTag
from xianfeng.orgs.models import Organization
from xianfeng.transfers import services
from xianfeng.transfers.batches import start_batch
from xianfeng.transfers.models import MobileMember, MobileReason, Transfer, TransferKind

MARK = "（演示）"
PLACES = (
    ("上海市浦东新区", "浦东新区张江镇流动党员党支部"),
    ("北京市朝阳区", "望京街道流动党员服务站"),
    ("广东省深圳市南山区", "粤海街道流动党员党支部"),
    ("江苏省苏州市工业园区", "园区流动党员党委"),
    ("浙江省杭州市余杭区", "仓前街道流动党员党支部"),
    ("山东省青岛市黄岛区", "黄岛区流动党员服务中心"),
)


def load(ctx):
    if Transfer.objects.filter(reason__endswith=MARK).exists():
        return
    rng = ctx.rng("transfers")
    picker = Picker(rng)
    guodian_moves(ctx, picker)
    dajijia_letters(ctx, picker)
    mobile_members(ctx, rng)


class Picker:
    """Ordinary members (no committee seat, not 张三, no open transfer), drawn in a fixed order."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def __call__(self, org_name, n=1):
        org = Organization.objects.get(name=org_name)
        ids = list(
            Member.objects.active()
            .filter(organization=org, seats__isnull=True, user__isnull=True)
            .exclude(pk__in=self.used)
            .order_by("id_number")
            .values_list("pk", flat=True)
        )
        chosen = self.rng.sample(ids, n)
        self.used.update(chosen)
        members = Member.objects.filter(pk__in=chosen).select_related("organization")
        return sorted(members, key=lambda m: chosen.index(m.pk))


def org(name):
    return Organization.objects.get(name=name)


def guodian_moves(ctx, pick):
    zuzhi = User.objects.get(username="zuzhi")
    admin = User.objects.get(username="admin")
    dangyuan = User.objects.get(username="dangyuan")

    def move(member, to, reason):
        return services.start_transfer(
            member, kind=TransferKind.INTERNAL, to_org=org(to), reason=reason + MARK, actor=zuzhi
        )

    # 张三 asks himself; 十里堡村党支部 (login zhibu) has it in its inbox.
    services.start_transfer(
        dangyuan.member,
        kind=TransferKind.INTERNAL,
        to_org=org("虞景社区党支部"),
        reason="回迁安置后居住在虞景社区" + MARK,
        actor=dangyuan,
        by_member=True,
    )
    [a, b, c, d, e] = pick("冷家村党支部", 5)
    move(a, "虞山社区党支部", "回迁后居住在虞山社区")  # pending at the street
    approved = move(b, "郭店社区党支部", "回迁后居住在郭店社区")
    services.approve_step(approved, actor=zuzhi, reason="同意")
    accepted = move(c, "临港社区党支部", "回迁后居住在临港社区")
    services.approve_step(accepted, actor=zuzhi, reason="同意")
    services.accept_transfer(accepted, actor=zuzhi)
    rejected = move(d, "裕园社区党支部", "随子女居住")
    services.reject_transfer(rejected, actor=zuzhi, reason="转入支部信息有误，请核实后重新申请")
    withdrawn = move(e, "春晖社区党支部", "工作调动")
    services.withdraw_transfer(withdrawn, actor=zuzhi, reason="暂不转出")
    [f] = pick("郭店中学党支部")
    move(f, "北关社区党支部", "调往天桥区工作")  # across districts: both committees take part
    start_batch(
        org("东沙村党支部"),
        org("西沙村党支部"),
        actor=admin,
        reason="十村整合回迁，东沙村、西沙村党支部合并" + MARK,
    )


def dajijia_letters(ctx, pick):
    shuji = User.objects.get(username="shuji")
    today = ctx.today
    members = pick("大季家街道机关党支部", 5)
    destinations = (
        "中共烟台市芝罘区委组织部",
        "中共青岛市市南区八大关街道工作委员会",
        "中共济南市历下区委组织部",
        "中共威海市环翠区委组织部",
        "中共潍坊市奎文区委组织部",
    )
    # (issued days ago or None, receipt days after issue or None)
    plans = ((None, None), (10, None), (80, None), (120, None), (40, 20))
    for member, destination, (ago, receipt) in zip(members, destinations, plans, strict=True):
        transfer = services.start_transfer(
            member,
            kind=TransferKind.OUTBOUND,
            destination=destination,
            reason="工作调动" + MARK,
            actor=shuji,
        )
        if ago is None:
            continue
        issued = today - timedelta(days=ago)
        services.issue_letter(transfer, actor=shuji, on=issued)
        if receipt is not None:
            services.record_receipt(transfer, actor=shuji, returned_on=issued + timedelta(receipt))
    services.expire_letters(today=today)
    arrivals = (
        ("孙立华", date(1985, 3, 12), 501, True),  # odd sequence: male
        ("周文静", date(1991, 9, 3), 502, False),
    )
    for n, (name, born, sequence, accept) in enumerate(arrivals, 1):
        transfer = services.register_inbound(
            org("张家村党支部"),
            actor=shuji,
            name=name,
            id_number=make_id_number("370602", born, sequence),
            birth_date=born,
            joined_on=born.replace(year=born.year + 24),
            category="full",
            confirmed_on=born.replace(year=born.year + 25),
            phone=f"1356358{n:04d}",
            incoming_letter_no=f"芝组转〔{today.year}〕第{n + 30:04d}号",
            origin="中共烟台市芝罘区委组织部",
            reason="返乡创业" + MARK,
        )
        if accept:
            services.accept_transfer(transfer, actor=shuji)


def mobile_members(ctx, rng):
    tag = MemberTag.objects.filter(code="mobile").first()
    if tag is None:
        return
    have = set(MobileMember.objects.values_list("member_id", flat=True))
    members = tag.members.active().exclude(pk__in=have).order_by("id_number")
    records = []
    for member in members:
        place, branch = rng.choice(PLACES)
        records.append(
            MobileMember(
                member=member,
                place=place,
                since=ctx.today - timedelta(days=rng.randrange(60, 2000)),
                reason=rng.choice((MobileReason.WORK, MobileReason.WORK, MobileReason.BUSINESS)),
                managing_org=branch,
                contact_name=rng.choice(("王书记", "李主任", "陈委员", "赵书记")),
                contact_phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                mobile_branch=branch if rng.random() < 0.5 else "",
                liaison=rng.choice(("支部组织委员", "党小组长", "支部书记")),
            )
        )
    MobileMember.objects.bulk_create(records, batch_size=500)
