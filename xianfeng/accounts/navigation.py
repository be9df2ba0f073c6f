"""The menu, generated from the guards the views declare (accounts.permissions.may_open).

A link appears only when its view would open for the user; a group with no visible link is
left out. The bottom bar on phones uses the same test.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import may_open


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    match: str  # URL prefix that marks the link as current


MENU = (
    (None, ((_("组织"), "orgs:tree"), (_("党员"), "members:list"), (_("大屏"), "screen:home"))),
    (
        _("党员管理"),
        (
            (_("发展党员"), "development:list"),
            (_("组织关系转接"), "transfers:list"),
            (_("档案"), "archives:home"),
            (_("党费"), "dues:home"),
            (_("党籍管理"), "standing:list"),
            (_("后备干部"), "cadres:list"),
        ),
    ),
    (
        _("组织生活"),
        (
            (_("三会一课"), "meetings:list"),
            (_("我的会议"), "meetings:mine"),
            (_("换届选举"), "elections:list"),
            (_("换届提醒"), "orgs:terms"),
            (_("党建指导员"), "instructors:list"),
            (_("学习"), "learning:home"),
        ),
    ),
    (
        _("积分考核"),
        (
            (_("积分"), "points:home"),
            (_("我的积分"), "points:me"),
            (_("考核评星"), "assessment:home"),
        ),
    ),
    (
        _("网格治理"),
        (
            (_("网格"), "grid:home"),
            (_("居民诉求"), "requests:list"),
            (_("诉求统计"), "requests:figures"),
            (_("工作日历"), "requests:calendar"),
            (_("企业服务"), "enterprise:list"),
        ),
    ),
    (
        _("服务共建"),
        (
            (_("项目认领"), "service:projects"),
            (_("志愿活动"), "service:activities"),
            (_("双报到"), "service:check_ins"),
            (_("党建联盟"), "service:alliances"),
            (_("服务阵地"), "venues:list"),
            (_("阵地活动"), "venues:activities"),
            (_("挂图作战"), "tasks:board"),
            (_("党建品牌"), "tasks:brand_list"),
            (_("专项工作"), "campaigns:list"),
        ),
    ),
    (None, ((_("导入导出"), "excel:home"), (_("账号管理"), "accounts:user_list"))),
)

# Phones: the four places a grid worker, a 中心户 or a member goes to all day.
BOTTOM_BAR = (
    (_("工作台"), ("core:home",), "⌂"),
    (_("诉求"), ("requests:list",), "☰"),
    (_("通知"), ("notices:inbox",), "✉"),
)


def link_if_open(user, label, name, *args) -> Link | None:
    """A Link to URL `name` when its view opens for `user`, else None."""
    target = _target(get_script_prefix(), get_urlconf(), name, args)
    if target is None:
        return None
    url, view = target
    if not may_open(user, view):
        return None
    return Link(str(label), url, url)


_TARGETS: dict = {}


def _target(prefix, urlconf, name, args):
    """(url, view) of URL `name`, reversed and resolved once a process, not once a link and a
    page (the menu is ~30 links on every page: issue 19 §4). None when it does not reverse."""
    key = (prefix, urlconf, name, args)
    if key not in _TARGETS:
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            _TARGETS[key] = None
        else:
            _TARGETS[key] = (url, resolve(url).func)
    return _TARGETS[key]


def menu_for(user) -> list[tuple[str | None, list[Link]]]:
    """(group label or None for top-level links, visible links); empty groups dropped."""
    menu = []
    for group, entries in MENU:
        links = [link for label, name in entries if (link := link_if_open(user, label, name))]
        if links:
            menu.append((group, links))
    if user.member_id:
        mine = reverse("members:detail", args=[user.member_id])
        menu.append((None, [Link(str(_("我的档案")), mine, mine)]))
    return menu


def bottom_bar_for(user) -> list[tuple[Link, str]]:
    bar = []
    for label, names, icon in BOTTOM_BAR:
        link = next(filter(None, (link_if_open(user, label, name) for name in names)), None)
        if link is not None:
            bar.append((link, icon))
    me = (
        reverse("members:detail", args=[user.member_id])
        if user.member_id
        else reverse("accounts:password_change")
    )
    bar.append((Link(str(_("我的")), me, me), "☺"))
    return bar
