from django.contrib import admin

from .models import Category, CategoryAttribute, ChecklistItem, Open311Key


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1


class AttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "respond_within", "respond_unit", "finish_within"]
    list_filter = ["is_active", "group"]
    inlines = [ChecklistInline, AttributeInline]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["organization"]

    def has_add_permission(self, request):
        return False  # keys are made by `manage.py open311_key create`, which shows them once
