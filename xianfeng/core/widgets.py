"""Pickers that search as you type instead of listing thousands of options.

The field keeps its scoped queryset (it validates the choice); the widget renders only the
chosen option(s), and static/js/autocomplete.js asks `core:suggest` for the rest, by name,
拼音 or code. Without JavaScript the current choice stays as it is.
"""

from django import forms
from django.urls import reverse


class Autocomplete(forms.Select):
    kind = ""  # a provider of core.search: "member", "org" …

    def __init__(self, attrs=None, choices=(), within=None):
        super().__init__(attrs, choices)
        self.within = within  # an organization id: suggestions only from its subtree

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {"data-ac": f"{reverse('core:suggest')}?kind={self.kind}", "class": "ac-select"}
        )
        if self.within:
            context["widget"]["attrs"]["data-ac-within"] = str(self.within)
        return context

    def optgroups(self, name, value, attrs=None):
        # Only the chosen options: the others come from the search as the user types.
        everything = self.choices
        queryset = getattr(everything, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        field = everything.field
        chosen = [v for v in value if str(v).isdigit()]
        options = [("", field.empty_label)] if field.empty_label is not None else []
        options += [
            (obj.pk, field.label_from_instance(obj)) for obj in queryset.filter(pk__in=chosen)
        ]
        self.choices = options
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


def pick_within(form, org, *names):
    """Narrow the pickers `names` of `form` (all its pickers when none named) to `org`'s
    subtree: the search suggests only members/organizations under it. The field's queryset
    still decides what is valid; this only keeps suggestions to the ones that fit."""
    org_id = getattr(org, "pk", org)
    for name, field in form.fields.items():
        if isinstance(field.widget, Autocomplete) and (not names or name in names):
            field.widget.within = org_id


class AutocompleteMultiple(Autocomplete, forms.SelectMultiple):
    allow_multiple_selected = True


class MemberPicker(Autocomplete):
    kind = "member"


class MembersPicker(AutocompleteMultiple):
    kind = "member"


class OrgPicker(Autocomplete):
    kind = "org"


class OrgsPicker(AutocompleteMultiple):
    kind = "org"
