from datetime import date

import pytest

from xianfeng.elections.rules import add_months, count_votes, is_majority, margin_short, quorum_met


@pytest.mark.parametrize(
    ("eligible", "present", "valid"),
    [(10, 8, False), (10, 9, True), (5, 4, False), (5, 5, True), (7, 6, True), (0, 0, False)],
)
def test_quorum_is_more_than_four_fifths(eligible, present, valid):
    assert quorum_met(eligible, present) is valid


@pytest.mark.parametrize(
    ("votes", "present", "elected"), [(4, 8, False), (5, 8, True), (4, 9, False), (5, 9, True)]
)
def test_majority_is_more_than_half_of_those_present(votes, present, elected):
    assert is_majority(votes, present) is elected


def test_most_votes_fill_the_seats():
    outcome = count_votes({1: 9, 2: 7, 3: 8, 4: 6}, present=10, seats=3)
    assert outcome.elected == [1, 3, 2]
    assert outcome.tied == []


def test_a_tie_at_the_last_seat_needs_another_ballot():
    outcome = count_votes({1: 9, 2: 7, 3: 7, 4: 2}, present=10, seats=2)
    assert outcome.elected == [1]
    assert outcome.tied == [2, 3]


def test_a_tie_inside_the_seats_is_no_problem():
    assert count_votes({1: 7, 2: 7, 3: 6}, present=10, seats=2).elected == [1, 2]


def test_fewer_majorities_than_seats_leaves_seats_open():
    outcome = count_votes({1: 9, 2: 5, 3: 4}, present=10, seats=3)
    assert outcome.elected == [1]


def test_margin_warning_below_twenty_percent():
    assert margin_short(5, 5)
    assert not margin_short(6, 5)
    assert margin_short(3, 3)


def test_add_months_clips_to_the_month_end():
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 6) == date(2025, 5, 15)
