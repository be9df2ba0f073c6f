"""服务公示牌 and 共产党员户 door plates: who serves a zone, how to reach them, a real QR code.

The QR code encodes the absolute URL of the zone's public request page `/r/<grid code>/`
(built by the resident-requests app) and is drawn inline as SVG by segno.

Grid staff appear with their number in full when they agreed to publish it (GridStaff.
publish_phone), and without a number otherwise. Members (中心户, 划片) follow the setting
GRID_BOARD_CONTACT: "full" (the number as stored), "masked" (138****1234, the default: a board
hangs in a public stairwell) or "hidden".
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe

from xianfeng.core.uploads import file_link
from xianfeng.members.masking import mask_phone

from .models import CentralHousehold, Grid, GridStaff, Household, ZoneResponsibility
from .services import responsible_chain

CONTACT_MODES = ("full", "masked", "hidden")


def request_path(grid):
    return f"/r/{grid.code}/"


def qr_svg(url, *, scale=4):
    """An inline <svg> QR code (error level M) for `url`."""
    code = segno.make(url, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=scale, border=4, dark="#000", light="#fff"))  # noqa: S308


def board_contact(phone):
    mode = getattr(settings, "GRID_BOARD_CONTACT", "masked")
    if mode == "full":
        return phone
    if mode == "hidden":
        return ""
    return mask_phone(phone)


@dataclass
class Server:
    """One person on a board."""

    name: str
    title: str
    services: str = ""
    phone: str = ""
    photo_url: str = ""

    @property
    def initial(self):
        return self.name[:1]


def board_servers(grid, *, on=None):
    """中心户 and 划片 members of the zone, then the active staff of the zone and the grids above."""
    on = on or timezone.localdate()
    servers = []
    centrals = CentralHousehold.objects.filter(grid=grid, is_active=True).select_related("member")
    for c in centrals:
        servers.append(
            Server(
                c.member.name,
                "党员中心户",
                c.services,
                board_contact(c.member.phone),
                file_link(c.photo),
            )
        )
    duties = ZoneResponsibility.objects.filter(grid=grid, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )
    for d in duties.select_related("member"):
        servers.append(Server(d.member.name, "划片负责人", d.note, board_contact(d.member.phone)))
    upward = [grid.path[:i] for i in range(Grid.steplen, len(grid.path) + 1, Grid.steplen)]
    staff = (
        GridStaff.objects.filter(grid__path__in=upward, ended_on__isnull=True)
        .filter(role__is_volunteer=False)
        .select_related("role", "grid")
        .order_by("-grid__depth", "role__order", "id")
    )
    for s in staff:
        title = s.role.name if s.grid_id == grid.pk else f"{s.grid.name}{s.role.name}"
        servers.append(Server(s.name, title, "", s.phone if s.publish_phone else ""))
    return servers


def board_context(request, grid):
    url = request.build_absolute_uri(request_path(grid))
    return {
        "grid": grid,
        "servers": board_servers(grid),
        "chain": [s for s in responsible_chain(grid) if s.organization],
        "request_url": url,
        "qr": qr_svg(url),
        "size": "A3" if request.GET.get("size") == "A3" else "A4",
    }


def door_plates(grid):
    """党员中心户 plates, then 共产党员户 plates for the other flagged households of the subtree."""
    households = Household.objects.filter(
        grid__path__startswith=grid.path, is_party_household=True
    ).select_related("grid")
    centrals = CentralHousehold.objects.filter(
        grid__path__startswith=grid.path, is_active=True
    ).select_related("member", "grid")
    plates = [("党员中心户", c.address or c.grid.name, c.member.name) for c in centrals]
    central_homes = {(c.grid_id, c.address) for c in centrals}
    plates += [
        ("共产党员户", h.address, "")
        for h in households
        if (h.grid_id, h.address) not in central_homes
    ]
    return plates
