from django.contrib import admin

from .models import Delivery, Notice, Preference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["channel", "address", "kind", "state", "attempts", "not_before", "sent_at"]
    list_filter = ["state", "channel"]
    readonly_fields = ["key"]


admin.site.register(Preference)
