"""Organizations of the demo: five district committees, their streets and every unit below."""

from datetime import date, timedelta

from xianfeng.orgs.models import Domain, Organization, OrgKind

from .streets import DISTRICTS


def load(ctx):
    rng = ctx.rng("orgs")
    existing = {o.code: o for o in Organization.objects.all()}
    for district in DISTRICTS:
        root = ensure(
            ctx,
            existing,
            None,
            district.code,
            {
                "name": district.name,
                "kind": OrgKind.COMMITTEE,
                "domain": Domain.ORGAN,
                "founded_on": date(1984, 7, 1),
            },
        )
        for s, street in enumerate(district.streets, 1):
            code = f"{district.code}-{s:02d}"
            node = ensure(
                ctx,
                existing,
                root,
                code,
                {
                    "name": street.name,
                    "short_name": street.short_name,
                    "kind": OrgKind.COMMITTEE,
                    "domain": Domain.ORGAN,
                    "founded_on": date(1995, 1, 1) + timedelta(days=rng.randrange(3650)),
                    "address": f"{district.place}{street.roads[0]}{rng.randrange(1, 200)}号",
                },
            )
            ctx.streets[code] = (district, street)
            area = "0535" if district.code.startswith("3706") else "0531"
            add_units(ctx, existing, rng, node, code, street.units, area)


def add_units(ctx, existing, rng, parent, parent_code, units, area):
    for u, unit in enumerate(units, 1):
        code = f"{parent_code}-{u:03d}" if parent.depth == 2 else f"{parent_code}-{u:02d}"
        node = ensure(
            ctx,
            existing,
            parent,
            code,
            {
                "name": unit.name,
                "kind": unit.kind,
                "domain": unit.domain,
                "is_joint": unit.is_joint,
                "is_temporary": unit.is_temporary,
                "founded_on": date(2000, 1, 1) + timedelta(days=rng.randrange(7000)),
                "contact_phone": f"{area}-{rng.randrange(10**7, 10**8)}",
            },
        )
        ctx.units[code] = unit
        add_units(ctx, existing, rng, node, code, unit.children, area)


def ensure(ctx, existing, parent, code, fields):
    """The organization with `code`, created under `parent` with the treebeard API if missing."""
    org = existing.get(code)
    if org is None:
        fields = {"code": code, **fields}
        if parent is None:
            org = Organization.objects.add_root(fields)
        else:
            parent.refresh_from_db()
            org = Organization.objects.add_child(parent, fields)
        existing[code] = org
    ctx.orgs[code] = org
    return org
