"""Synthetic but valid people: ID numbers that pass GB 11643, birth dates and genders that agree
with them, admission at 18 or later, phones, education and addresses."""

from datetime import date, timedelta

from xianfeng.core.dates import add_years
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Category, Education

from .names import make_name

# Birth dates are drawn from fixed years (never from today) so the same seed always yields the
# same ID numbers, which is what makes re-running the demo idempotent.
BORN_FROM = date(1936, 1, 1)
BORN_TO = date(2002, 12, 31)

EDUCATION_WEIGHTS = (
    (Education.POSTGRADUATE, 4),
    (Education.BACHELOR, 22),
    (Education.COLLEGE, 20),
    (Education.SECONDARY, 10),
    (Education.HIGH_SCHOOL, 20),
    (Education.JUNIOR, 24),
)
EDUCATION_POOL = tuple(e for e, w in EDUCATION_WEIGHTS for _ in range(w))
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "158",
    "159",
    "176",
    "177",
    "180",
    "186",
    "187",
    "188",
    "189",
    "199",
)


class IdAllocator:
    """Hands out ID numbers that are unique within one run, deterministically."""

    def __init__(self):
        self.used = set()

    def allocate(self, rng, region, born, gender):
        """(ID number, birth date); the date moves on a day in the rare case a day is full."""
        for _ in range(1000):
            sequence = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
            number = make_id_number(region, born, sequence)
            if number not in self.used:
                self.used.add(number)
                return number, born
            born += timedelta(days=1)
        raise RuntimeError("ID number space exhausted")


def random_date(rng, start, end):
    # One random() per date, whatever the span: spans that depend on today must not shift the
    # rest of the sequence, or a re-run on another day would produce different ID numbers.
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))


def make_person(rng, ids, *, region, today, probationary=False, gender=None, addresses=()):
    """Field values for one Member (without organization)."""
    gender = gender or ("M" if rng.random() < 0.68 else "F")
    born = random_date(rng, date(1980, 1, 1) if probationary else BORN_FROM, BORN_TO)
    id_number, born = ids.allocate(rng, region, born, gender)
    if probationary:
        joined = today - timedelta(days=rng.randrange(20, 360))
        confirmed = None
    else:
        earliest = add_years(born, 18)
        latest = today - timedelta(days=400)
        # Most people join in their twenties or thirties: skew towards the 18th birthday.
        span = max(0, (latest - earliest).days)
        joined = earliest + timedelta(days=int(rng.random() ** 2 * (span + 1)))
        confirmed = add_years(joined, 1)
    address = rng.choice(addresses) if addresses else ""
    if address:
        address = f"{address}{rng.randrange(1, 300)}号"
    return {
        "name": make_name(rng, gender),
        "gender": gender,
        "birth_date": born,
        "id_number": id_number,
        "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
        "education": rng.choice(EDUCATION_POOL),
        "household_address": address,
        "home_address": address,
        "joined_on": joined,
        "confirmed_on": confirmed,
        "category": Category.PROBATIONARY if probationary else Category.FULL,
    }
