"""Page arithmetic, LIKE patterns and filter URLs shared by every paged list."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


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


def url_with(base: str, params: dict, **changes) -> str:
    """``base`` with the current filters (empty ones dropped) and some of them changed."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "") and not (k == "page" and v == 1)})
    return f"{base}?{query}" if query else base
