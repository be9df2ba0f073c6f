from django import template
from django.utils.http import url_has_allowed_host_and_scheme

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
