from django.contrib import admin

from .models import TransferPolicy


@admin.register(TransferPolicy)
class TransferPolicyAdmin(admin.ModelAdmin):
    list_display = ("organization", "direct_within", "letter_prefix")
    raw_id_fields = ("organization",)
