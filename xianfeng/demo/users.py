"""Demo logins, one per role, all with the password `xianfeng-demo`."""

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import Role
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization

from . import password_hash
from .members import ZHANGSAN, ZHANGSAN_BRANCH

# (username, display name, role or None, organization name, what the login shows)
LOGINS = (
    ("admin", "系统管理员", None, None, "超级管理员 superuser (街道级管理员)"),
    ("jiedao", "郭店街道管理员", Role.STREET_ADMIN, "郭店街道党工委", "街道管理员 street admin"),
    ("shuji", "曲积海", Role.COMMITTEE_SECRETARY, "大季家街道党工委", "党委书记 secretary"),
    ("zhibu", "十里堡村支部书记", Role.BRANCH_SECRETARY, ZHANGSAN_BRANCH, "支部书记 branch"),
    ("zuzhi", "郭店组织员", Role.ORG_OFFICER, "郭店街道党工委", "组织员 org officer"),
    ("wangge", "姜君", Role.GRID_WORKER, "瑞祥社区党总支", "网格员 grid worker"),
    ("guancha", "天桥区观察员", Role.OBSERVER, "天桥区委", "观察员 observer (只读)"),
    ("dangyuan", ZHANGSAN[0], None, None, "党员本人 member (张三)"),
)


def load(ctx):
    zhangsan = Member.objects.get(id_number=zhangsan_number(ctx))
    for username, display, role, org_name, label in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display)
            user.password = password_hash()
            user.is_superuser = user.is_staff = username == "admin"
            if username == "dangyuan":
                user.member = zhangsan
            user.save()
        org = None
        if role:
            org = find_org(ctx, org_name)
            RoleGrant.objects.get_or_create(user=user, organization=org, role=role)
        ctx.logins.append((username, label, org.name if org else ""))


def member_login(ctx, username, member, label):
    """A login for a member without a role (the member's own pages, requests they hold)."""
    if not User.objects.filter(username=username).exists():
        user = User(username=username, display_name=member.name, member=member)
        user.password = password_hash()
        user.save()
    ctx.logins.append((username, label, member.organization.name))


def zhangsan_number(ctx):
    code = next(c for c, unit in ctx.units.items() if unit.name == ZHANGSAN_BRANCH)
    return ctx.members[code][-1]


def find_org(ctx, name) -> Organization:
    return next(org for org in ctx.orgs.values() if org.name == name)
