from django import template

register = template.Library()


@register.filter
def stars(count):
    """★★★☆☆ for 3 of 5."""
    count = int(count or 0)
    return "★" * count + "☆" * (5 - count)
