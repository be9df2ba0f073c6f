from datetime import date, timedelta

from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Gender

from .. import services
from ..rules import MEETING_VOTE_STEPS, STEP_CODES, step_index

# A valid 支部大会: 10 entitled, 8 present, 7 in favour.
VOTE = {"voters_entitled": 10, "voters_present": 8, "votes_for": 7}

BORN = date(1995, 3, 10)


def person(n=1, **overrides):
    return {
        "name": f"申请人{n}",
        "id_number": make_id_number("370105", BORN, n * 2 + 1),
        "gender": Gender.MALE,
        "birth_date": BORN,
        "phone": "13800000000",
        **overrides,
    }


def start(world, n=1, applied_on=date(2020, 1, 6), **overrides):
    return services.start_development(
        world.branch,
        actor=world.users["branch_secretary"],
        applied_on=applied_on,
        **person(n, **overrides),
    )


def walk(world, development, until, dates=None, start_on=date(2020, 1, 6)):
    """Record every step after the first up to `until`; unnamed dates are 1 week apart."""
    dates = dates or {}
    day = start_on
    for code in STEP_CODES[1 : step_index(until) + 1]:
        day = dates.get(code, day + timedelta(days=7))
        services.record_step(
            development,
            code,
            done_on=day,
            actor=world.users["branch_secretary"],
            hours=24,
            **(VOTE if code in MEETING_VOTE_STEPS else {}),
        )
    return development
