from types import SimpleNamespace

import pytest

from xianfeng.learning.rules import BEAT, credit, is_complete, score_paper


@pytest.mark.parametrize(
    ("gap", "credited"),
    [
        (None, 0),
        (-1, 0),
        (10, 10),
        (BEAT, BEAT),
        (BEAT + 15, BEAT),
        (2 * BEAT, BEAT),
        (2 * BEAT + 1, 0),
    ],
)
def test_a_beat_credits_real_time_only(gap, credited):
    assert credit(gap) == credited


@pytest.mark.parametrize(("seconds", "done"), [(479, False), (480, True)])
def test_a_course_is_finished_at_eighty_percent(seconds, done):
    assert is_complete(seconds, 10) is done


def q(pk, answer):
    return SimpleNamespace(pk=pk, answer=answer)


def test_multiple_choice_needs_every_right_option_and_no_wrong_one():
    paper = [q(1, [0]), q(2, [0, 2]), q(3, [1]), q(4, [0, 1])]
    answers = {"1": [0], "2": [0], "3": [1], "4": [1, 0]}
    assert score_paper(paper, answers) == 75  # 2 (only one of two) scores nothing


def test_unanswered_questions_score_nothing_and_empty_paper_is_zero():
    assert score_paper([q(1, [0]), q(2, [1]), q(3, [2])], {"1": [0]}) == 33
    assert score_paper([], {}) == 0
