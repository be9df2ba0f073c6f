"""One filter set for the member list page, its xlsx export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.widgets import PlainSelect
from xianfeng.orgs.models import Organization

from .models import ACTIVE_STATUSES, Category, Education, Gender, MemberStatus, MemberTag
from .search import search_q

# "active" (在册: normal or lost contact) is what organization member counts count.
STATUS_ACTIVE = "active"
STATUS_CHOICES = [(STATUS_ACTIVE, _("在册党员(正常、失联)")), *MemberStatus.choices]


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    org = django_filters.NumberFilter(label=_("组织(含下级)"), method="filter_org")
    category = django_filters.ChoiceFilter(
        label=_("党员类别"), choices=Category.choices, widget=PlainSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("党籍状态"), choices=STATUS_CHOICES, method="filter_status", widget=PlainSelect
    )
    gender = django_filters.ChoiceFilter(
        label=_("性别"), choices=Gender.choices, widget=PlainSelect
    )
    education = django_filters.ChoiceFilter(
        label=_("学历"), choices=Education.choices, widget=PlainSelect
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("标签"),
        queryset=MemberTag.objects.all(),
        field_name="tags",
        to_field_name="code",
        widget=PlainSelect,
    )

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value, getattr(self.request, "user", None)))

    def filter_status(self, queryset, name, value):
        if value == STATUS_ACTIVE:
            return queryset.filter(status__in=ACTIVE_STATUSES)
        return queryset.filter(status=value)

    def filter_org(self, queryset, name, value):
        # The org must itself be inside the user's scope; the queryset already is.
        path = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(Q(organization__path__startswith=path))
