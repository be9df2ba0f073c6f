"""Django admin for superusers. Lists mask 身份证号 and phone like every other list."""

from django.contrib import admin

from .masking import mask_id_number, mask_phone
from .models import Member, Membership, MemberTag, StatusChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["organization"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fk_name = "member"
    extra = 0
    raw_id_fields = ["actor"]
    readonly_fields = ["at"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "gender",
        "masked_id_number",
        "masked_phone",
        "organization",
        "category",
        "status",
        "joined_on",
    ]
    list_filter = ["category", "status", "gender", "education", "tags"]
    list_select_related = ["organization"]
    search_fields = ["name", "name_pinyin", "name_initials"]
    show_full_result_count = False
    raw_id_fields = ["organization"]
    filter_horizontal = ["tags"]
    # Full numbers never show here either: masked read-only, changed through the member pages.
    exclude = ["id_number", "phone", "birth_date"]
    readonly_fields = ["masked_id_number", "masked_phone", "version", "created_at", "updated_at"]
    inlines = [MembershipInline, StatusChangeInline]

    def get_search_results(self, request, queryset, search_term):
        from .search import search_q

        if search_term.strip().isdigit() or len(search_term.strip()) >= 15:
            return queryset.filter(search_q(search_term, request.user)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description="手机号")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(MemberTag)
class MemberTagAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["member", "from_status", "to_status", "on", "actor", "at"]
    list_filter = ["to_status"]
    list_select_related = ["member", "actor"]
    raw_id_fields = ["member", "actor"]
    date_hierarchy = "on"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "organization", "started_on", "ended_on", "reason"]
    list_select_related = ["member", "organization"]
    raw_id_fields = ["member", "organization"]
    search_fields = ["member__name", "organization__name"]
