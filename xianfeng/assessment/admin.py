from django.contrib import admin

from .models import RectificationPlan, Standard, StandardItem


class ItemInline(admin.TabularInline):
    model = StandardItem
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["year", "domain", "name", "missing_policy", "max_promote", "max_demote"]
    list_filter = ["year", "domain"]
    inlines = [ItemInline]


@admin.register(RectificationPlan)
class RectificationPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "organization", "owner", "deadline", "status"]
    list_filter = ["year", "status"]
    raw_id_fields = ["organization", "created_by"]
