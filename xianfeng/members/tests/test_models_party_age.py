from datetime import date

from xianfeng.members.models import Category
from xianfeng.testing import make_member


def test_party_age_counts_from_confirmation_not_admission(world):
    member = make_member(
        world.branch, "转正", joined_on=date(2000, 7, 1), confirmed_on=date(2001, 7, 1)
    )
    assert member.party_age(date(2051, 6, 30)) == 49
    assert member.party_age(date(2051, 7, 1)) == 50


def test_no_party_age_while_probationary(world):
    member = make_member(world.branch, "预备", category=Category.PROBATIONARY)
    assert member.party_age(date(2030, 1, 1)) is None
