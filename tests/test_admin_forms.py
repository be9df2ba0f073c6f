"""The admin's forms never render a select over a table that grows with the city.

A foreign key or many-to-many shown as a plain select loads every row of its target: the
bench city's notice delivery form rendered 57,192 notices (45 s). Each such field is picked by
id (raw_id_fields), by search (autocomplete_fields) or is read-only; only the small fixed
catalogues below may stay selects.
"""

from django.contrib import admin
from django.db import models

SMALL_CATALOGUES = {"auth.Permission", "auth.Group", "members.MemberTag"}


def _plain_selects(model, model_admin):
    covered = (
        set(model_admin.raw_id_fields)
        | set(model_admin.autocomplete_fields)
        | set(model_admin.readonly_fields)
        | set(model_admin.exclude or ())
    )
    for field in model._meta.get_fields():
        if not isinstance(field, (models.ForeignKey, models.ManyToManyField)):
            continue
        if field.auto_created or not field.editable or field.name in covered:
            continue
        if getattr(model_admin, "fk_name", None) == field.name:
            continue  # an inline's link to its parent is not rendered
        if field.related_model._meta.label in SMALL_CATALOGUES:
            continue
        yield f"{model._meta.label}.{field.name} → {field.related_model._meta.label}"


def test_no_admin_form_selects_from_a_growing_table():
    found = []
    for model, model_admin in admin.site._registry.items():
        found += _plain_selects(model, model_admin)
        for inline in model_admin.inlines:
            inline_admin = inline(model, admin.site)
            parent_fk = {
                f.name
                for f in inline.model._meta.get_fields()
                if isinstance(f, models.ForeignKey) and f.related_model is model
            }
            found += [
                s
                for s in _plain_selects(inline.model, inline_admin)
                if s.split(" → ")[0].rsplit(".", 1)[1] not in parent_fk
            ]
    assert found == []
