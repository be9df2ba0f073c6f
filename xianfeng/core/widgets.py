"""Pickers that search as you type instead of listing thousands of options.

The field keeps its scoped queryset (it validates the choice); the widget renders only the
chosen option(s), and static/js/autocomplete.js asks `core:suggest` for the rest, by name,
拼音 or code. Without JavaScript the current choice stays as it is.
"""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


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


class PlainSelect(forms.Select):
    """A <select> whose options are joined in Python.

    Django's form renderer renders one template per option; a list page's filter row of five
    selects paid ~3 ms for it on every request (issue 19 §4). Same markup, same choices,
    same `selected`; for filter forms whose options are a short fixed list."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            inner = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else o["value"], flatatt(o["attrs"]), o["label"])
                    for o in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, inner) if group else inner
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),
        )
