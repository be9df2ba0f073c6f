"""Choice labels as plain dicts, built once a process and language.

`get_FOO_display()` rebuilds the field's choices dict and translates on every call; a list
of a hundred rows with three choice columns pays that three hundred times a page (issue 19
§4). `choice_labels(Model, "field")[value]` is one dict lookup.
"""

from django.utils.translation import get_language

_LABELS: dict = {}


def choice_labels(model, field: str) -> dict:
    """{stored value: translated label} of `model.field`'s choices, in the active language."""
    key = (model._meta.label, field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
        _LABELS[key] = labels
    return labels


def choice_label(obj, field: str) -> str:
    """The label of `obj.field`'s value (the value itself when it is not among the choices)."""
    value = getattr(obj, field)
    return choice_labels(type(obj), field).get(value, value)
