from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Committee, CommitteeSeat, Organization, OrgChange


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "code", "kind", "domain", "status", "member_count")
    list_filter = ("kind", "domain", "status", "is_temporary", "is_joint")
    search_fields = ("name", "short_name", "code")


class CommitteeSeatInline(admin.TabularInline):
    model = CommitteeSeat
    extra = 0
    raw_id_fields = ("member",)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("organization", "elected_on", "term_years", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("organization__name", "organization__code")
    raw_id_fields = ("organization",)
    inlines = [CommitteeSeatInline]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(admin.ModelAdmin):
    list_display = ("member", "post", "committee", "started_on", "ended_on")
    list_filter = ("post",)
    search_fields = ("member__name", "committee__organization__name")
    raw_id_fields = ("committee", "member")


@admin.register(OrgChange)
class OrgChangeAdmin(admin.ModelAdmin):
    list_display = ("organization", "kind", "on", "other", "detail")
    list_filter = ("kind",)
    search_fields = ("organization__name", "detail")
    raw_id_fields = ("organization", "other")
