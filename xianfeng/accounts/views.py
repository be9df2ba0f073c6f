from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of

from . import services, tokens
from .forms import GrantForm, UserCreateForm
from .models import RoleGrant
from .permissions import perm_required
from .roles import Perm
from .scoping import get_user_for_user, has_perm_anywhere, scope_users


class LoginView(auth_views.LoginView):
    """The login page; a wall display's login (the big screen and no other grant, no member
    record) lands on its screen instead of an empty workbench."""

    def get_default_redirect_url(self):
        user = self.request.user
        if (
            not user.member_id
            and has_perm_anywhere(user, Perm.VIEW_SCREEN)
            and not has_perm_anywhere(user, Perm.ORG_VIEW)
        ):
            return reverse("screen:home")
        return super().get_default_redirect_url()


@perm_required(Perm.USER_MANAGE)
def user_list(request):
    users = scope_users(request.user).order_by("username").prefetch_related("grants__organization")
    page = page_of(request, users)
    return render(request, "accounts/user_list.html", {"page": page})


@perm_required(Perm.USER_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                member=data["member"],
                role=data["role"] or None,
                organization=data["organization"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已创建账号 {user.username}")
            return redirect("accounts:user_detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@perm_required(Perm.USER_MANAGE)
def user_detail(request, pk):
    target = get_user_for_user(request.user, pk)
    form = GrantForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(
                target,
                form.cleaned_data["role"],
                form.cleaned_data["organization"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已授权")
            return redirect("accounts:user_detail", target.pk)
    grants = target.grants.select_related("organization").order_by("organization__path")
    return render(
        request, "accounts/user_detail.html", {"target": target, "grants": grants, "form": form}
    )


@require_POST
@perm_required(Perm.USER_MANAGE)
def grant_revoke(request, pk):
    target = get_user_for_user(request.user, pk)
    grant_id = request.POST.get("grant", "")
    grant = get_object_or_404(RoleGrant, pk=int(grant_id) if grant_id.isdigit() else 0, user=target)
    try:
        services.revoke_role(grant, actor=request.user)
        messages.success(request, "已撤销授权")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user_detail", target.pk)


@require_POST
@perm_required(Perm.USER_MANAGE)
def user_set_active(request, pk):
    target = get_user_for_user(request.user, pk)
    try:
        services.set_active(target, request.POST.get("active") == "1", actor=request.user)
        messages.success(request, "已更新账号状态")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user_detail", target.pk)


@login_required
def own_tokens(request):
    page = page_of(request, tokens.own_tokens(request.user))
    return render(request, "accounts/tokens.html", {"page": page, "tokens": tokens.shown(page)})


@require_POST
@login_required
def own_tokens_revoke(request):
    count = tokens.revoke_own_tokens(request.user, actor=request.user)
    messages.success(request, f"已撤销 {count} 个 API 令牌" if count else "没有可撤销的 API 令牌")
    return redirect("accounts:tokens")
