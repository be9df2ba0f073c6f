"""Breadcrumbs: a grid's trail is 网格治理 then its ancestor grids the user may reach."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.breadcrumbs import Crumb, trail_provider

from .models import Grid
from .scoping import scope_grids


@trail_provider("grid.Grid")
def grid_trail(user, grid):
    step = Grid.steplen
    paths = [grid.path[:n] for n in range(step, len(grid.path) + 1, step)]
    chain = list(Grid.objects.filter(path__in=paths).order_by("path"))
    visible = set(
        scope_grids(user).filter(pk__in=[g.pk for g in chain]).values_list("pk", flat=True)
    )
    crumbs = [Crumb(_("网格治理"), reverse("grid:home") if visible else "")]
    return crumbs + [
        Crumb(g.name, reverse("grid:detail", args=[g.pk]) if g.pk in visible else "")
        for g in chain
        if g.pk in visible or g.pk == grid.pk
    ]
