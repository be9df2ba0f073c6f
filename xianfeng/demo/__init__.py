"""Demo data for `manage.py load_demo`, one module per area.

Each module has `load(ctx)`; the command calls them in `MODULES` order. Everything is keyed on
stable identifiers (organization codes, ID numbers, usernames), so loading twice changes nothing.
Each module draws from its own seeded random stream (`ctx.rng(name)`), so adding a module later
never changes what the earlier ones produce.
"""

import random
from dataclasses import dataclass, field
from datetime import date

MODULES = (
    "xianfeng.demo.orgs",
    "xianfeng.demo.members",
    "xianfeng.demo.committees",
    "xianfeng.demo.tags",
    "xianfeng.demo.users",
    "xianfeng.demo.tasks",
    "xianfeng.demo.learning",
    "xianfeng.demo.service",
    "xianfeng.demo.dues",
    "xianfeng.demo.development",
    "xianfeng.demo.archives",
    "xianfeng.demo.cadres",
    "xianfeng.demo.grid",
    "xianfeng.demo.transfers",
    "xianfeng.demo.instructors",
    "xianfeng.demo.elections",
    "xianfeng.demo.meetings",
    "xianfeng.demo.requests",  # after the grid demo: routes through its grids
    "xianfeng.demo.enterprise",  # after requests: its categories come from a migration
    "xianfeng.demo.screen",  # the wall login and the big screen's monthly totals (on the clock)
    "xianfeng.demo.campaigns",  # 东辛村拆迁 and 郭店十村整合回迁, through the campaign services
    "xianfeng.demo.venues",  # before the year: its past activities run on the clock
    "xianfeng.demo.year",  # the year's other senders, on the clock; months closed by the job
    "xianfeng.demo.assessment",  # last: rates what the year left in the records
)
SEED = 20200903  # the date of the 郭店 report
PASSWORD = "xianfeng-demo"
_HASHED = []


def password_hash():
    """The demo password hashed once per load (hashing is slow on purpose: ~0.3 s a login);
    every demo login gets it (set directly: the demo password skips the validators)."""
    if not _HASHED:
        from django.contrib.auth.hashers import make_password

        _HASHED.append(make_password(PASSWORD))
    return _HASHED[0]


@dataclass
class Context:
    today: date = field(default_factory=date.today)
    seed: int = SEED
    orgs: dict = field(default_factory=dict)  # code → Organization
    streets: dict = field(default_factory=dict)  # street code → (District, Street)
    units: dict = field(default_factory=dict)  # org code → Unit definition
    members: dict = field(default_factory=dict)  # org code → [id_number, …] in load order
    logins: list = field(default_factory=list)  # (username, role label, organization name)
    progress: object = None  # callable(module name, seconds) after each module, or None
    timeline: list = field(default_factory=list)  # (moment, order, step) run by demo/year.py

    def rng(self, name):
        return random.Random(f"{self.seed}:{name}")

    def at(self, moment, step):
        """Schedule `step()` at `moment` of the demo year. The modules schedule what happens;
        `demo/year.py` runs every step in time order on the demo clock, so each member's
        bookings (caps, rollups, TOP10 ties) happen in the order they would have."""
        self.timeline.append((moment, len(self.timeline), step))


def load_all(ctx):
    from importlib import import_module
    from time import monotonic

    for path in MODULES:
        started = monotonic()
        import_module(path).load(ctx)
        if ctx.progress is not None:
            ctx.progress(path.rsplit(".", 1)[-1], monotonic() - started)
    # Rows written in bulk (requests, members) skip the services: build the rollups once.
    from xianfeng.archives import rollups as archive_rollups
    from xianfeng.dues import rollups as dues_rollups
    from xianfeng.orgs import breakdowns
    from xianfeng.resident_requests import rollups

    rollups.rebuild()
    rollups.rebuild_escalations()
    rollups.rebuild_now()
    breakdowns.refresh_all()
    dues_rollups.refresh_all()
    archive_rollups.refresh_all()
    return ctx
