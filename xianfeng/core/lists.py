"""One page of a list, with "共 N 条" and 上一页/下一页 (core/pager.html).

For lists whose total is cheap: a queryset of one scoped subtree (a COUNT over an index) or
a list already in memory. Lists of a whole city's members use members.keyset instead (no
count, first/last and both directions by key)."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def page_of(request, items, size=None, param="page"):
    """The requested page of `items` (a bad or too large number gives the nearest page).

    `param` names the page number in the query string, for a second list on the same page;
    core/pager.html links through it (page.param)."""
    page = Paginator(items, size or PAGE_SIZE).get_page(request.GET.get(param))
    page.param = param
    return page
