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
    "xianfeng.core.demo.orgs",
    "xianfeng.core.demo.members",
    "xianfeng.core.demo.committees",
    "xianfeng.core.demo.tags",
    "xianfeng.core.demo.users",
    "xianfeng.core.demo.tasks",
    "xianfeng.core.demo.learning",
    "xianfeng.core.demo.service",
    "xianfeng.core.demo.dues",
    "xianfeng.core.demo.development",
    "xianfeng.core.demo.archives",
    "xianfeng.core.demo.cadres",
    "xianfeng.core.demo.assessment",
    "xianfeng.core.demo.grid",
    "xianfeng.core.demo.transfers",
    "xianfeng.core.demo.instructors",
    "xianfeng.core.demo.elections",
    "xianfeng.core.demo.meetings",
    "xianfeng.core.demo.requests",  # after the grid demo: routes through its grids
    "xianfeng.core.demo.points",
    "xianfeng.core.demo.enterprise",  # after requests: its categories come from a migration
)
SEED = 20200903  # the date of the 郭店 report
PASSWORD = "xianfeng-demo"


@dataclass
class Context:
    today: date = field(default_factory=date.today)
    seed: int = SEED
    orgs: dict = field(default_factory=dict)  # code → Organization
    streets: dict = field(default_factory=dict)  # street code → (District, Street)
    units: dict = field(default_factory=dict)  # org code → Unit definition
    members: dict = field(default_factory=dict)  # org code → [id_number, …] in load order
    logins: list = field(default_factory=list)  # (username, role label, organization name)

    def rng(self, name):
        return random.Random(f"{self.seed}:{name}")


def load_all(ctx):
    from importlib import import_module

    for path in MODULES:
        import_module(path).load(ctx)
    return ctx
