from django.contrib import admin

from .models import BrandMilestone, BrandPlan, KeyTask, Milestone, TaskUpdate


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(KeyTask)
class KeyTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organization", "lead_unit", "due_on", "progress"]
    list_filter = ["kind"]
    search_fields = ["title", "lead_unit", "lead_person"]
    raw_id_fields = ["organization", "created_by"]
    inlines = [MilestoneInline]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(admin.ModelAdmin):
    list_display = ["task", "week_of", "progress"]
    raw_id_fields = ["task", "reported_by"]


class BrandMilestoneInline(admin.TabularInline):
    model = BrandMilestone
    extra = 0


@admin.register(BrandPlan)
class BrandPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "year", "status", "is_key"]
    list_filter = ["status", "is_key"]
    search_fields = ["name"]
    raw_id_fields = ["organization", "created_by"]
    inlines = [BrandMilestoneInline]
