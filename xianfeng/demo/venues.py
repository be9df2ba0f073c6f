"""党群服务阵地 (issue 22): 北关社区's 茶亭 and 党群服务中心, 郭店's 十村整合邻里中心 (planned, seed
report 000), 舜玉路's 颐养中心 and 红色教育传承基地 (seed report 003), with rooms, duty, a month
of bookings (two weeks past, two to come) and activities with sign-ups — all through the
services. Past activities are lived on the demo clock: sign-ups ten days before, QR check-ins
at the door (members' attendance books `venue.activity` points)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from xianfeng.accounts.models import User
from xianfeng.core import workcal
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization
from xianfeng.venues import activities, services
from xianfeng.venues.models import Venue

# org name, venue name, kind, status, address, (lat, lng), services, rooms, needs approval
VENUES = (
    (
        "北关社区党支部",
        "北关社区党群服务中心",
        "centre",
        "open",
        "天桥区北关北路 17 号",
        (36.6835, 117.0012),
        "党员组织关系接转\n居民诉求受理\n老年人优待证办理\n就业创业咨询\n法律援助咨询",
        (
            ("多功能厅", 60, "投影仪、音响"),
            ("党员活动室", 25, "电视、党建书架"),
            ("议事厅", 12, ""),
        ),
        False,
    ),
    (
        "北关社区党支部",
        "北关社区茶亭",
        "tea_house",
        "open",
        "天桥区北关北路与明湖北路路口",
        (36.6851, 117.0049),
        "歇脚饮水\n手机充电\n应急药箱\n网格员值守",
        (("茶亭议事角", 8, "桌椅、饮水机"),),
        False,
    ),
    (
        "郭店街道党工委",
        "十村整合邻里中心",
        "neighbourhood",
        "planned",
        "历城区郭店街道十村整合安置区",
        (36.7021, 117.2312),
        "党群服务(规划)\n社区食堂(规划)\n日间照料(规划)",
        (),
        False,
    ),
    (
        "舜玉路街道党工委",
        "银丰荟·颐养中心",
        "elderly",
        "open",
        "市中区舜玉路 12 号",
        (36.6402, 117.0071),
        "日间照料\n助餐\n健康监测\n文化娱乐",
        (("康复室", 15, "康复器材"), ("活动大厅", 50, "音响、钢琴")),
        True,
    ),
    (
        "舜玉路街道党工委",
        "舜玉路红色教育传承基地",
        "red_base",
        "open",
        "市中区舜玉路街道舜园社区",
        (36.6368, 117.0105),
        "红色展陈参观\n主题党日活动\n党课教学\n青少年红色研学",
        (("红色课堂", 80, "投影仪、扩音"), ("展厅", 40, "展陈")),
        True,
    ),
)
DUTY = (("王秀英", "社区书记"), ("李娜", "网格长"), ("赵敏", "社工"))
ACTIVITIES = (
    ("theme_day", "主题党日：重温入党誓词"),
    ("lecture", "防范电信诈骗讲座"),
    ("health", "健康义诊"),
    ("elderly", "老年人智能手机课堂"),
    ("volunteer", "清洁家园志愿服务"),
    ("lecture", "红色课堂：济南战役"),
)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load(ctx):
    if Venue.objects.filter(name="北关社区党群服务中心").exists():
        return
    rng = ctx.rng("venues")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    today = ctx.today
    now = timezone.now()
    for n, (org_name, name, kind, status, address, point, lines, rooms, approval) in enumerate(
        VENUES
    ):
        org = Organization.objects.filter(name=org_name).order_by("pk").first()
        if org is None:
            continue
        venue = services.create_venue(
            org,
            actor=admin,
            name=name,
            kind=kind,
            status=status,
            address=address,
            latitude=point[0],
            longitude=point[1],
            services=lines,
            needs_approval=approval,
            open_days_off=kind in ("tea_house", "elderly"),
            desk_phone=f"0531-8{n + 1:03d}6{n:03d}",
        )
        made = [
            services.add_room(venue, actor=admin, name=r, capacity=c, equipment=e)
            for r, c, e in rooms
        ]
        for weekday in range(5):
            person, post = DUTY[weekday % len(DUTY)]
            services.set_duty(venue, actor=admin, weekday=weekday, name=person, post=post)
        if status != "open" or not made:
            continue
        _bookings(venue, made, org, admin, today, now, rng)
        _activities(ctx, venue, made, org, admin, today, now, rng)


def _days(venue, first, count):
    return [
        first + timedelta(d)
        for d in range(count)
        if services.is_open_on(venue, first + timedelta(d))
    ]


def _bookings(venue, rooms, org, admin, today, now, rng):
    """The coming two weeks: the organization's branches and residents book rooms."""
    branches = list(Organization.objects.filter(path__startswith=org.path).order_by("path")[:6])
    for day in _days(venue, today + timedelta(days=1), 14):
        room = rng.choice(rooms)
        hour = rng.choice((9, 14))
        services.book_room(
            room,
            actor=admin,
            starts_at=_at(day, hour),
            ends_at=_at(day, hour + 2),
            booker_kind="org",
            organization=rng.choice(branches),
            contact_name="支部书记",
            purpose=rng.choice(("支部主题党日", "党小组学习", "支委会")),
            attendees=min(room.capacity, 10),
            now=now,
        )
        if rng.random() < 0.5:
            services.book_room(
                room,
                actor=None,
                starts_at=_at(day, 16),
                ends_at=_at(day, 17),
                booker_kind="resident",
                contact_name="居民",
                phone=f"1380000{rng.randrange(1000, 9999)}",
                purpose=rng.choice(("合唱排练", "书法兴趣小组", "楼栋议事")),
                attendees=min(room.capacity, 8),
                now=now,
            )


def _activities(ctx, venue, rooms, org, admin, today, now, rng):
    """Two weeks past (lived on the clock) and two to come, with members and residents."""
    members = list(
        Member.objects.active().filter(organization__path__startswith=org.path).order_by("pk")[:12]
    )
    days = _days(venue, today - timedelta(days=14), 28)[::3]
    for i, day in enumerate(days):
        kind, title = ACTIVITIES[i % len(ACTIVITIES)]
        starts, ends = _at(day, 15), _at(day, 17)
        if not workcal.is_workday(day) and kind == "theme_day":
            kind = "culture"
        fields = dict(
            organization=org,
            room=rooms[0],
            kind=kind,
            title=title,
            description=f"{venue.name}举办",
            starts_at=starts,
            ends_at=ends,
            capacity=8,
            waitlist=3,
        )
        people = [(m.name, m) for m in rng.sample(members, min(len(members), 5))] + [
            (f"居民{j + 1}", None) for j in range(rng.randrange(2, 6))
        ]
        if starts > now:
            activity = activities.publish_activity(venue, actor=admin, **fields)
            _sign_up(activity, people, now)
            continue
        held = {}
        ctx.at(
            starts - timedelta(days=10),
            lambda f=fields, h=held, p=people, s=starts: h.update(
                signups=_sign_up(
                    activities.publish_activity(venue, actor=admin, **f), p, s - timedelta(days=9)
                )
            ),
        )
        ctx.at(
            starts + timedelta(minutes=5),
            lambda h=held, s=starts: [
                activities.check_in(x, now=s + timedelta(minutes=5))
                for k, x in enumerate(h.get("signups", []))
                if x.status == "confirmed" and k % 4 != 3  # one in four stays away
            ],
        )


def _sign_up(activity, people, when):
    signups = []
    for j, (name, member) in enumerate(people):
        phone = "" if member else f"1390000{activity.pk % 100:02d}{j:02d}"
        signups.append(
            activities.sign_up(activity, name=name, member=member, phone=phone, now=when)
        )
    return signups
