"""One test per checklist row and path, and the path decision at its date edge."""

from datetime import date

import pytest

from xianfeng.archives.rules import (
    DEVELOPED,
    LEGACY,
    REQUIREMENTS,
    RULES_IN_FORCE,
    TRANSFERRED_IN,
    derive_path,
    required_docs,
)


def docs(path, full):
    return [r.doc for r in required_docs(path, full)]


def test_every_row_cites_a_source():
    assert all(r.source for r in REQUIREMENTS)


@pytest.mark.parametrize(
    ("path", "full", "expected"),
    [
        (
            DEVELOPED,
            False,
            [
                "application",
                "volunteer_form",
                "political_review",
                "training_records",
                "thought_reports",
            ],
        ),
        (
            DEVELOPED,
            True,
            [
                "application",
                "volunteer_form",
                "political_review",
                "training_records",
                "thought_reports",
                "confirmation_application",
                "confirmation_approval",
            ],
        ),
        (
            TRANSFERRED_IN,
            False,
            ["application", "volunteer_form", "political_review", "transfer_letter"],
        ),
        (
            TRANSFERRED_IN,
            True,
            [
                "application",
                "volunteer_form",
                "political_review",
                "transfer_letter",
                "confirmation_application",
                "confirmation_approval",
            ],
        ),
        (LEGACY, False, ["application", "volunteer_form"]),
        (LEGACY, True, ["application", "volunteer_form", "confirmation_application"]),
    ],
)
def test_required_documents_per_path_and_category(path, full, expected):
    assert docs(path, full) == expected


@pytest.mark.parametrize(
    ("joined_on", "came_from_outside", "path"),
    [
        (date(2014, 5, 27), False, LEGACY),  # the day before the 细则 was issued
        (date(2014, 5, 28), False, DEVELOPED),  # the day it was issued
        (date(2014, 5, 27), True, LEGACY),  # an old member from outside keeps the legacy list
        (date(2014, 5, 28), True, TRANSFERRED_IN),
    ],
)
def test_path_is_derived_from_joined_date_and_origin(joined_on, came_from_outside, path):
    assert date(2014, 5, 28) == RULES_IN_FORCE
    assert derive_path(joined_on, came_from_outside) == path
