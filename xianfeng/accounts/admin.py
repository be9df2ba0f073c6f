from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from rest_framework.authtoken.admin import TokenAdmin

from . import services
from .models import RoleGrant, User

# DRF's documented way: the token form picks its user by id, not from a select of every login.
TokenAdmin.raw_id_fields = ["user"]


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            services.active_changed(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_user(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.delete_user(user, actor=request.user)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "granted_by", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organization", "granted_by"]
