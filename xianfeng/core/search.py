"""Global search and pickers: the seam through which apps answer a search box.

Each app registers what it can find, scoped to the user, in its AppConfig.ready():

    from xianfeng.core.search import Hit, search_provider

    @search_provider("member", _("党员"))
    def find_members(user, text, *, limit, within=None): -> list[Hit]

`within` (an organization id, optional) narrows a picker to a subtree. A provider answers in a
fixed number of queries, shows only what the user may see, and masks personal data the way
the lists do. Hits from every provider make the header search; one provider answers a picker.
"""

from collections.abc import Callable
from dataclasses import dataclass

MAX_QUERY = 50


@dataclass(frozen=True)
class Hit:
    id: int | str
    label: str
    detail: str
    link: str


@dataclass(frozen=True)
class SearchProvider:
    kind: str
    label: str
    find: Callable[..., list[Hit]]  # (user, text, *, limit, within=None)


SEARCH_PROVIDERS: dict[str, SearchProvider] = {}


def search_provider(kind: str, label):
    def register(fn):
        SEARCH_PROVIDERS[kind] = SearchProvider(kind, label, fn)
        return fn

    return register


def clean_query(text) -> str:
    """The search text as typed, without control characters, at most MAX_QUERY characters."""
    return "".join(c for c in str(text or "") if c.isprintable()).strip()[:MAX_QUERY]


def search_all(user, text: str, *, limit: int = 8) -> list[tuple[SearchProvider, list[Hit]]]:
    text = clean_query(text)
    if not text or not user.is_authenticated:
        return []
    found = []
    for provider in SEARCH_PROVIDERS.values():
        hits = provider.find(user, text, limit=limit)
        if hits:
            found.append((provider, hits))
    return found
