from django import template

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
