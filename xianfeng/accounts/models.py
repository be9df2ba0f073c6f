from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field

from .roles import Role


class User(AbstractUser):
    """A login. May be linked to the party member it belongs to."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("对应党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # set_password leaves the new password in _password until saved; hash upgrades on
        # login clear it first, so only a real change revokes the API tokens.
        changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if changed:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()


class RoleGrant(models.Model):
    """授权: a role held by a user on one organization and everything below it."""

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="grants"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("授权组织"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_by = actor_field(_("授权人"))
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_role_grant"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
