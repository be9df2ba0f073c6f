"""Django admin: where a district changes a rules-table row for its subtree."""

from django.contrib import admin

from .models import RuleOverride


@admin.register(RuleOverride)
class RuleOverrideAdmin(admin.ModelAdmin):
    list_display = ("organization", "rule_code", "enabled", "per_period", "months", "note")
    list_filter = ("rule_code", "enabled")
    search_fields = ("organization__name", "organization__code")
    raw_id_fields = ("organization",)
