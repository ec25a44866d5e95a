"""The list kit: page sizes, page arithmetic, filters and their URLs, LIKE patterns; shared by every paged list.

A list route builds its filters (a ``ListFilters`` subclass) from the query string, asks a selector for one
``Page`` of rows of ``page_size(request)`` and renders a template that wraps its fields in
``filter_form`` and ends its results with ``results_pager`` (``templates/layout/lists.html``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import ClassVar
from urllib.parse import urlencode

from starlette.requests import Request

# Rows on one page, as multiples of the PAGE_SIZE setting (default 25). Tables of short one-line rows
# (audit events, jobs, assignments, the team heatmap, quiz attempts, job profiles) show twice as many;
# the catalogue's course cards, each a few lines tall, half as many (12 at the default).
ROWS = 1.0
SHORT_ROWS = 2.0
CARDS = 0.5


def page_size(request: Request, scale: float = ROWS) -> int:
    """How many rows a page of a list shows: the PAGE_SIZE setting times ``scale``."""
    return max(1, int(request.app.state.settings.page_size * scale))


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def clamp_page(page: int, total: int, per_page: int) -> int:
    """A page past the end (say, after a filter shrank the list) shows the last page instead of nothing."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page), pages)


def like_pattern(text: str) -> str:
    """A case-insensitive 'contains' pattern with LIKE wildcards in the input taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def url_with(base: str, params: Mapping[str, str | int | None], **changes: str | int | None) -> str:
    """``base`` with the current filters (empty ones dropped) and some of them changed."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "") and not (k == "page" and v == 1)})
    return f"{base}?{query}" if query else base


@dataclass(kw_only=True)
class ListFilters:
    """What a paged list is narrowed and sorted by, as its query string carries it.

    A subclass is a dataclass whose fields are named like the query parameters. A field at its default
    (or empty: None, "", False) is "not filtered" and is left out of URLs; True is sent as "1" and a date
    as YYYY-MM-DD. Fields named in ``ORDERING`` sort the list rather than narrow it: they count for
    ``is_default`` (offer "Clear filters") but not for ``is_filtered`` ("nothing matches these filters").
    """

    ORDERING: ClassVar[tuple[str, ...]] = ("sort",)
    page: int = 1

    def params(self) -> dict[str, str | int]:
        """The query parameters that differ from the defaults, in field order, without the page."""
        out: dict[str, str | int] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "page" or value == f.default or value is None or value is False or value == "":
                continue
            out[f.name] = "1" if value is True else value.isoformat() if isinstance(value, date) else value
        return out

    @property
    def is_filtered(self) -> bool:
        """Some filter narrows the list (the sort order alone does not)."""
        return any(name not in self.ORDERING for name in self.params())

    @property
    def is_default(self) -> bool:
        """Nothing is chosen: no filter and the default order."""
        return not self.params()

    def url(self, base: str, **changes: str | int | None) -> str:
        """``base`` with these filters and some of them changed, e.g. ``url("/admin/users", page=2)``."""
        return url_with(base, self.params(), **changes)
