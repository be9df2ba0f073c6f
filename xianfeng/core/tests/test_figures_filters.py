"""Figures people can read: durations and rates."""

from datetime import timedelta

import pytest

from xianfeng.core.templatetags.xianfeng import duration, percent


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (timedelta(days=6, hours=10, minutes=56, seconds=42.89), "6天10小时"),
        (timedelta(days=2), "2天"),
        (timedelta(hours=3, minutes=20), "3小时20分钟"),
        (timedelta(hours=3), "3小时"),
        (timedelta(minutes=15, seconds=59), "15分钟"),
        (timedelta(seconds=30), "不到1分钟"),
        (None, "—"),
        (timedelta(seconds=-5), "—"),
    ],
)
def test_duration(value, said):
    assert duration(value) == said


@pytest.mark.parametrize(
    ("value", "said"), [(12.5, "12.5%"), (100.0, "100%"), (0, "0%"), (None, "—")]
)
def test_percent(value, said):
    assert percent(value) == said
