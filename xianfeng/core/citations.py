"""What a rules-table source must say (issue 17): the article it was checked against, or that
it is local practice, or that its article number is unverified. Never a bare document name.

Every app's `rules.py` keeps its rows beside their sources; tests/test_rule_citations.py
collects them all (row objects with a `source`, `RULE_TABLE` triples, `*_SOURCE` strings) and
asks `citation_form` of each.
"""

import re

ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇两\d、]+条")
LOCAL_PRACTICE = ("地方惯例", "本地做法", "本地默认", "本系统默认", "本系统约定", "local practice")
UNVERIFIED = ("条号未核对", "未核实", "未核对", "unverified")
FORMS = ("article", "local", "unverified")


def citation_form(source) -> str | None:
    """ "article", "local" or "unverified" for a well-formed source (the first that applies);
    None for an empty source or one that names a text without saying which article."""
    text = str(source or "").strip()
    if not text:
        return None
    if ARTICLE.search(text):
        return "article"
    if any(marker in text for marker in LOCAL_PRACTICE):
        return "local"
    if any(marker in text for marker in UNVERIFIED):
        return "unverified"
    return None
