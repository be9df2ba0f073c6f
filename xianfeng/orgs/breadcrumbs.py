"""Breadcrumbs: an organization's trail is its ancestors then itself; those in the user's
scope are links to their detail page, those above it plain names."""

from django.urls import reverse

from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.breadcrumbs import Crumb, trail_provider

from .models import Organization


@trail_provider("orgs.Organization")
def org_trail(user, org):
    step = Organization.steplen
    paths = [org.path[:n] for n in range(step, len(org.path) + 1, step)]
    chain = list(Organization.objects.filter(path__in=paths).order_by("path"))
    visible = set(
        scope_orgs(user).filter(pk__in=[o.pk for o in chain]).values_list("pk", flat=True)
    )
    return [
        Crumb(o.name, reverse("orgs:detail", args=[o.pk]) if o.pk in visible else "") for o in chain
    ]
