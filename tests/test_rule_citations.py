"""Every row of every app's rules table cites its source in one of the accepted forms
(issue 17 §6): an article number, "local practice" or "unverified" (xianfeng.core.citations)."""

import importlib
import pkgutil
from pathlib import Path

import pytest

import xianfeng
from xianfeng.core.citations import citation_form

BASE_NAMES = {"SOURCE"}  # a document's name used as the prefix of rows, not a row itself


def rules_modules():
    root = Path(xianfeng.__file__).parent
    for app in sorted(m.name for m in pkgutil.iter_modules([str(root)]) if m.ispkg):
        if (root / app / "rules.py").exists():
            yield importlib.import_module(f"xianfeng.{app}.rules")


def rows(module):
    """(label, source) of every row the module defines."""
    items = list(vars(module).items())
    if callable(getattr(module, "rules_table", None)):
        # Tables whose values come from settings are built by a function.
        items.append(("rules_table()", tuple(module.rules_table())))
    for name, value in items:
        if name.startswith("_"):
            continue
        if name.endswith("SOURCE") and name not in BASE_NAMES and isinstance(value, str):
            yield name, value
        elif name == "RULE_TABLE":
            for row in value:
                yield f"RULE_TABLE[{row[0]}]", row[-1]
        elif isinstance(value, tuple | list) and value and hasattr(value[0], "source"):
            for row in value:
                label = next(
                    (getattr(row, a) for a in ("code", "doc", "category") if hasattr(row, a)), row
                )
                yield f"{name}[{label}]", row.source


MODULES = list(rules_modules())


def test_every_app_with_rules_is_covered():
    names = {m.__name__.split(".")[1] for m in MODULES}
    assert {"development", "elections", "archives", "orgs", "meetings", "dues"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_rules_row_cites_an_article_or_says_local_practice_or_unverified(module):
    found = list(rows(module))
    assert found, f"{module.__name__} has no cited row"
    bad = [(label, source) for label, source in found if citation_form(source) is None]
    assert not bad, f"{module.__name__}: rows without article / 地方惯例 / 未核对: {bad}"


@pytest.mark.parametrize(
    ("source", "form"),
    [
        ("党章 第七条：预备期为一年", "article"),
        ("细则 第二十、二十一条", "article"),
        ("本地默认：党课每季度1次", "local"),
        ("选举工作条例（条号未核对）", "unverified"),
        ("《中国共产党支部工作条例（试行）》(2018)", None),
        ("", None),
    ],
)
def test_citation_forms(source, form):
    assert citation_form(source) == form
