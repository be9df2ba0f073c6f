"""The active categories, with their checklists (一次性告知) and extra questions, as the
public intake reads them on every post: one load a minute per process instead of three
queries per post (core/memo.py)."""

from xianfeng.core.memo import Memo

from .models import Category, CategoryAttribute, ChecklistItem

SECONDS = 60


def _load():
    categories = list(
        Category.objects.filter(is_active=True).prefetch_related("checklist", "attributes")
    )
    return categories, {c.pk: c for c in categories}


_active = Memo(_load, seconds=SECONDS).forget_on(Category, ChecklistItem, CategoryAttribute)


def active_categories():
    return _active.get()[0]


def active_category(pk):
    return _active.get()[1].get(pk)
