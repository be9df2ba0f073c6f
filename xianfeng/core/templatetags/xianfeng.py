from django import template
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from xianfeng.core import uploads

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters replaced (None removes one): ?{% query page=2 %}."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, param, number):
    """The current query string with page number `number` under `param` (core/pager.html)."""
    return query(context, **{param or "page": number})


@register.filter
def for_people(message):
    """An exception's message when it was written for people (ours are Chinese), else ''."""
    text = str(message or "")
    return text if any(ord(c) > 0x2E7F for c in text) else ""


@register.simple_tag(takes_context=True)
def way_back(context):
    """The page the user came from, when it is one of ours; '' otherwise."""
    request = context.get("request")
    if request is None:
        return ""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    return referer if safe and referer != request.build_absolute_uri() else ""


@register.filter
def duration(value):
    """A timedelta as people say it: "2天3小时", "3小时20分钟", "15分钟", "不到1分钟"."""
    if value is None or value == "":
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 0:
        return "—"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        if hours:
            return _("%(d)s天%(h)s小时") % {"d": days, "h": hours}
        return _("%(d)s天") % {"d": days}
    if hours:
        if minutes:
            return _("%(h)s小时%(m)s分钟") % {"h": hours, "m": minutes}
        return _("%(h)s小时") % {"h": hours}
    if minutes:
        return _("%(m)s分钟") % {"m": minutes}
    return _("不到1分钟")


@register.filter
def percent(value):
    """A rate already in percent (12.5) as "12.5%"; "—" when there is nothing to divide."""
    if value is None or value == "":
        return "—"
    return f"{value:g}%"


@register.filter
def file_link(fieldfile):
    """A short-lived signed link to a stored file: {{ photo.image|file_link }} (see core.uploads)."""
    return uploads.file_link(fieldfile)


@register.inclusion_tag("core/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """面包屑 of a detail page (see xianfeng/core/breadcrumbs.py)."""
    from xianfeng.core.breadcrumbs import page_trail

    return {"crumbs": page_trail(context)}
