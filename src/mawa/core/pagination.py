"""Paging for the JSON API's lists: a maximum page size, an offset bounded so that no number a
client sends reaches the database as one it cannot hold (a 64-bit overflow was a 500), and a
hook that sees the page actually returned (for the audit log: every person shown is a view)."""

from collections.abc import Callable

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000_000  # far past any list Mawa holds; beyond it, nothing is there


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, *, shown: Callable | None = None, **kwargs):
        """`shown(request, items, count, params)` is called with the page's items, once."""
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
        self.shown = shown

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, MAX_PAGE_SIZE)
        items = list(queryset[offset : offset + limit])
        count = self._items_count(queryset)
        if self.shown is not None:
            self.shown(request, items, count, params)
        return {self.items_attribute: items, "count": count}
