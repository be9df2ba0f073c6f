from django import template

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


@register.filter
def file_link(fieldfile):
    """A short-lived signed link to a stored file: {{ photo.image|file_link }} (see core.uploads)."""
    return uploads.file_link(fieldfile)
