"""`{% may_open "app:name" arg as ok %}`: whether the linked view opens for the user, by the
guard the view declares (accounts.permissions.may_open). Wrap links and buttons in it."""

from django import template
from django.urls import NoReverseMatch, resolve, reverse

from xianfeng.accounts.permissions import may_open as view_may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, name, *args):
    user = context.get("user")
    if user is None:
        return False
    try:
        return view_may_open(user, resolve(reverse(name, args=args)).func)
    except NoReverseMatch:
        return False
