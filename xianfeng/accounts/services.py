"""Account use cases: create logins, grant and revoke roles on subtrees."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from xianfeng.core import audit
from xianfeng.core.errors import DomainError

from .models import RoleGrant, User
from .roles import Perm, Role
from .scoping import can, can_for_member, forget_grants, manages_whole_account

OUTSIDE_MESSAGE = "该账号在您管辖范围之外另有授权，只能由上级管理员修改"


def create_user(
    *, username, password, display_name="", member=None, role=None, organization=None, actor
):
    """A new login; it must come with a grant or a member the actor manages, so it is never orphaned."""
    if member is None and role is None:
        raise DomainError("新账号须关联党员或授予一个角色")
    if member is not None and not can_for_member(actor, Perm.USER_MANAGE, member):
        raise DomainError("无权为该党员开设账号")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("用户名已存在", field="username")
    if member is not None and User.objects.filter(member=member).exists():
        raise DomainError("该党员已有账号", field="member")
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, display_name=display_name, member=member
        )
        audit.record("user.create", user, actor=actor, member=member and member.pk)
        if role is not None:
            grant_role(user, role, organization, actor=actor)
    return user


def grant_role(user, role, organization, *, actor):
    if role not in Role.values:
        raise DomainError("未知角色")
    if not can(actor, Perm.USER_MANAGE, organization):
        raise DomainError("无权在该组织授权")
    if user.is_superuser:
        raise DomainError("不能修改系统管理员的授权")
    if not manages_whole_account(actor, user):
        raise DomainError(OUTSIDE_MESSAGE)
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, organization=organization, role=role, granted_by=actor
            )
            audit.record("user.grant", user, actor=actor, role=role, organization=organization.pk)
    except IntegrityError as exc:
        raise DomainError("该账号在此组织已有这个角色") from exc
    forget_grants(user)
    return grant


def revoke_role(grant, *, actor):
    if not can(actor, Perm.USER_MANAGE, grant.organization):
        raise DomainError("无权撤销该授权")
    with transaction.atomic():
        audit.record(
            "user.revoke",
            grant.user,
            actor=actor,
            role=grant.role,
            organization=grant.organization_id,
        )
        grant.delete()
    forget_grants(grant.user)


def set_active(user, active: bool, *, actor) -> User:
    if user.pk == actor.pk:
        raise DomainError("不能停用自己的账号")
    if user.is_superuser:
        raise DomainError("不能停用系统管理员")
    if not manages_whole_account(actor, user):
        raise DomainError(OUTSIDE_MESSAGE)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        active_changed(user, actor=actor)
    return user


def active_changed(user, *, actor) -> None:
    """After `user.is_active` changed (here or in Django's admin): tokens go, an audit row."""
    with transaction.atomic():
        if not user.is_active:
            Token.objects.filter(user=user).delete()
        audit.record("user.activate" if user.is_active else "user.deactivate", user, actor=actor)


def delete_user(user, *, actor) -> None:
    """Delete a login. Its audit rows stay, naming it by the username and name kept on them."""
    if user.pk == actor.pk:
        raise DomainError("不能删除自己的账号")
    with transaction.atomic():
        audit.record("user.delete", user, actor=actor, username=user.username)
        user.delete()
    forget_grants(user)
