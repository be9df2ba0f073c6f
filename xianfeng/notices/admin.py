from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xianfeng.members.masking import mask_phone

from .models import Delivery, Notice, Preference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "channel",
        "masked_address",
        "kind",
        "state",
        "attempts",
        "not_before",
        "sent_at",
    ]
    list_filter = ["state", "channel"]
    raw_id_fields = ["notice"]
    # The address is a resident's or member's phone: shown masked, never edited here.
    exclude = ["address"]
    readonly_fields = ["key", "masked_address"]

    @admin.display(description=_("地址"))
    def masked_address(self, delivery):
        return mask_phone(delivery.address)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_from", "quiet_until"]
    raw_id_fields = ["user"]
    exclude = ["phone"]
