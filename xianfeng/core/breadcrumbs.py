"""Breadcrumbs (面包屑) on every detail page: organization path → … → the object.

Generated in one place. base.html renders `{% breadcrumbs %}` above the content; the tag finds
the page's object (a model instance in the context whose pk is the URL's `pk`) and asks for its
trail. `core` imports no domain app, so apps register how their own models start a trail:

    @trail_provider("orgs.Organization")
    def org_trail(user, org) -> list[Crumb]:   # ancestors then the org itself
        ...

Any other object's trail is its parent's trail plus itself, the parent being its first set
foreign key in PARENT_FIELDS order (organization, member, grid, …); the page's own object is
shown last, without a link. Links are given only where the user may open them (providers
check with the same scoped helpers as the views); names above the user's subtree are plain
text. A page that draws its own trail puts `breadcrumbs` or `ancestors` in its context
(org, grid and member detail pages) and the tag stays silent.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""


TrailProvider = Callable[..., list[Crumb]]  # (user, obj) -> crumbs ending with obj
TRAILS: dict[str, TrailProvider] = {}

# Which foreign key leads up from an object, most telling first. Actors (created_by, …) are
# never parents: only these names are followed.
PARENT_FIELDS = (
    "organization",
    "office",
    "household",
    "grid",
    "member",
    "instructor",
    "committee",
    "election",
    "meeting",
    "enterprise",
    "request",
    "project",
    "course",
    "task",
    "archive",
    "development",
    "transfer",
    "window",
    "claim",
    "district",
    "street",
)
MAX_DEPTH = 5


def trail_provider(label: str):
    """Register `fn(user, obj) -> [Crumb, …]` for the model `app_label.ModelName`."""

    def register(fn):
        TRAILS[label] = fn
        return fn

    return register


def _label(obj):
    return f"{obj._meta.app_label}.{obj._meta.object_name}"


def _parent(obj):
    fields = {f.name: f for f in obj._meta.concrete_fields if f.many_to_one}
    for name in PARENT_FIELDS:
        field = fields.get(name)
        if field is not None and getattr(obj, field.attname) is not None:
            return getattr(obj, name)
    return None


def _own_url(obj):
    get = getattr(obj, "get_absolute_url", None)
    return get() if callable(get) else ""


def trail(user, obj, depth=0) -> list[Crumb]:
    """Crumbs from the top of the organization path down to `obj` (included, linked)."""
    provider = TRAILS.get(_label(obj))
    if provider is not None:
        return provider(user, obj)
    parent = _parent(obj) if depth < MAX_DEPTH else None
    above = trail(user, parent, depth + 1) if parent is not None else []
    return [*above, Crumb(str(obj), _own_url(obj))]


def page_object(context):
    """The model instance a detail page is about: in the context, with the URL's pk."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or "pk" not in match.kwargs:
        return None
    try:
        pk = int(match.kwargs["pk"])
    except (TypeError, ValueError):
        return None
    flat = context.flatten()
    if flat.get("breadcrumbs") is not None or flat.get("ancestors") is not None:
        return None
    for value in flat.values():
        if isinstance(value, models.Model) and value.pk == pk:
            return value
    return None


def page_trail(context) -> list[Crumb]:
    obj = page_object(context)
    if obj is None:
        return []
    crumbs = trail(context["request"].user, obj)
    # The page itself is the last crumb: named, not linked.
    return [*crumbs[:-1], Crumb(crumbs[-1].label)] if crumbs else []
