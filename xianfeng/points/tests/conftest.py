import pytest

from .factories import Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
