"""Pickers that search as you type instead of listing thousands of options.

The field keeps its scoped queryset (it validates the choice); the widget renders only the
chosen option(s), and static/js/autocomplete.js asks `core:suggest` for the rest, by name,
拼音 or code. Without JavaScript the current choice stays as it is.
"""

from django import forms
from django.urls import reverse


class Autocomplete(forms.Select):
    kind = ""  # a provider of core.search: "member", "org" …

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {"data-ac": f"{reverse('core:suggest')}?kind={self.kind}", "class": "ac-select"}
        )
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
