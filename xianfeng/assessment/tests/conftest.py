import pytest

from xianfeng.core.events import MEMBER_INPUTS


@pytest.fixture
def without_providers():
    """Only the secretary's score connected: as if the points and meetings apps were absent."""
    saved = {
        code: MEMBER_INPUTS.pop(code) for code in ("points", "review") if code in MEMBER_INPUTS
    }
    yield
    MEMBER_INPUTS.update(saved)
