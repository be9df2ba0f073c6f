"""Keyset (seek) pagination on the primary key: every page costs one indexed range scan.

OFFSET would read and discard every earlier row, so the last page of a city's million
members would cost a million rows; here the last page is `ORDER BY id DESC LIMIT n`, reversed.
"""

from dataclasses import dataclass

from django.http import QueryDict


@dataclass
class KeysetPage:
    items: list
    has_previous: bool
    has_next: bool
    params: QueryDict

    def _link(self, **extra):
        params = self.params.copy()
        for key in ("after", "before", "page"):
            params.pop(key, None)
        params.update(extra)
        return "?" + params.urlencode()

    @property
    def first_url(self):
        return self._link()

    @property
    def last_url(self):
        return self._link(page="last")

    @property
    def next_url(self):
        return self._link(after=self.items[-1].pk) if self.has_next and self.items else None

    @property
    def previous_url(self):
        return self._link(before=self.items[0].pk) if self.has_previous and self.items else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def keyset_page(qs, params, size, *, descending=False) -> KeysetPage:
    """One page of `qs` by primary key, from `after=`, `before=` or `page=last` in `params`.

    `descending` lists newest first (then "after" means older rows).
    """
    after, before = _int(params.get("after")), _int(params.get("before"))
    forward = "-pk" if descending else "pk"
    backward = "pk" if descending else "-pk"
    beyond, behind = ("pk__lt", "pk__gt") if descending else ("pk__gt", "pk__lt")
    if after is not None:
        rows = list(qs.filter(**{beyond: after}).order_by(forward)[: size + 1])
        return KeysetPage(rows[:size], True, len(rows) > size, params)
    if before is not None:
        rows = list(qs.filter(**{behind: before}).order_by(backward)[: size + 1])
        return KeysetPage(rows[:size][::-1], len(rows) > size, True, params)
    if params.get("page") == "last":
        rows = list(qs.order_by(backward)[: size + 1])
        return KeysetPage(rows[:size][::-1], len(rows) > size, False, params)
    rows = list(qs.order_by(forward)[: size + 1])
    return KeysetPage(rows[:size], False, len(rows) > size, params)
