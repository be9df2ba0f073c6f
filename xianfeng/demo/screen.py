"""The big screen of 郭店: the wall display's login `daping` (role 大屏, read-only) and the
monthly totals behind the screen's trend line, recorded by the job's service at the end of
each of the last twelve months on the demo clock (demo/year.py runs the steps)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import Role
from xianfeng.screen.services import record_month_figures

from . import password_hash
from .users import find_org

STREET = "郭店街道党工委"
MONTHS = 12


def load(ctx):
    street = find_org(ctx, STREET)
    user = User.objects.filter(username="daping").first()
    if user is None:
        user = User(username="daping", display_name="郭店指挥中心大屏")
        user.password = password_hash()
        user.save()
    RoleGrant.objects.get_or_create(user=user, organization=street, role=Role.SCREEN)
    ctx.logins.append(("daping", "大屏 wall display (只读, /screen/)", street.name))
    last = ctx.today.replace(day=1) - timedelta(days=1)
    for _ in range(MONTHS):
        moment = timezone.make_aware(datetime.combine(last, time(23, 50)))
        ctx.at(moment, lambda day=last: record_month_figures(day))
        last = last.replace(day=1) - timedelta(days=1)
