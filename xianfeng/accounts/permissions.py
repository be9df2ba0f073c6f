"""Views declare the permission they need; these enforce it for pages and API alike.

A permission is held "somewhere" when the user has it on any subtree; the object
itself is then fetched through a scoped lookup (accounts/scoping.py), which gives
404 outside the grant.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .roles import Perm
from .scoping import has_perm_anywhere


def perm_required(perm: Perm):
    """Decorator for page views: login, then `perm` on at least one subtree."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm_anywhere(request.user, perm):
                raise PermissionDenied("没有权限访问此页面。")
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        wrapped.may_open = lambda user: has_perm_anywhere(user, perm)
        return wrapped

    return decorator


def may_open(user, view) -> bool:
    """Whether `user` passes `view`'s declared guard (for links: never show one that answers 403).

    Guards declare themselves on the view as `may_open(user)`; a view without one needs only a
    login. What lies inside a subtree is still decided by the scoped lookup (404, not 403)."""
    if not user.is_authenticated:
        return False
    view_class = getattr(view, "view_class", None)
    test = getattr(view, "may_open", None)
    if test is None and view_class is not None and getattr(view_class, "required_perm", None):
        return has_perm_anywhere(user, view_class.required_perm)
    return True if test is None else test(user)


class PermRequiredMixin:
    """For class-based page views: set `required_perm`."""

    required_perm: Perm | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.required_perm and not has_perm_anywhere(request.user, self.required_perm):
            raise PermissionDenied("没有权限访问此页面。")
        return super().dispatch(request, *args, **kwargs)


class HasScopedPerm(BasePermission):
    """DRF: the view's `required_perms` maps an action (or '*') to the Perm it needs."""

    message = "没有权限执行此操作。"

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        perms = getattr(view, "required_perms", {})
        action = getattr(view, "action", None) or request.method.lower()
        perm = perms.get(action, perms.get("*"))
        return perm is None or has_perm_anywhere(request.user, perm)
