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
            [
                "application",
                "volunteer_form",
                "political_review",
                "training_records",
                "thought_reports",
                "transfer_letter",
            ],
        ),
        (
            TRANSFERRED_IN,
            True,
            [
                "application",
                "volunteer_form",
                "political_review",
                "training_records",
                "thought_reports",
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


def test_transferred_in_after_2014_needs_every_article_37_document_of_a_developed_member():
    for full in (False, True):
        developed = set(docs(DEVELOPED, full))
        transferred = set(docs(TRANSFERRED_IN, full))
        assert developed <= transferred
        assert transferred - developed == {"transfer_letter"}
    article_37 = {r.doc for r in REQUIREMENTS if "第三十七条" in r.source}
    assert article_37 <= set(docs(TRANSFERRED_IN, True))
    assert "training_records" not in docs(LEGACY, True)  # before the 细则: the shorter list
