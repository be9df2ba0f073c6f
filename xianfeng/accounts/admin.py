from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ["organization"]
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("先锋", {"fields": ("display_name", "member")}),)
    raw_id_fields = ["member"]
    inlines = [RoleGrantInline]
    list_display = ["username", "display_name", "is_active", "is_superuser", "last_login"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "granted_by", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organization"]
