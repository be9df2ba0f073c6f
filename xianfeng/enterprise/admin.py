from django.contrib import admin

from .models import Enterprise, EnterpriseCase


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "organization", "specialist")
    search_fields = ("name", "credit_code")
    list_select_related = ("organization", "specialist")
    raw_id_fields = ("organization", "party_org", "specialist")


@admin.register(EnterpriseCase)
class EnterpriseCaseAdmin(admin.ModelAdmin):
    list_display = ("request", "enterprise")
    list_select_related = ("request", "enterprise")
    raw_id_fields = ("request", "enterprise")
