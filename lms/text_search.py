"""Search that understands names: "angstrom" finds "Ångström", "lukasiewicz" finds "Łukasiewicz".

Neither engine can be trusted to fold text the same way (SQLite's lower() folds ASCII only; PostgreSQL
folds by the database's collation and needs the unaccent extension to drop accents), so the folding is
done here, in Python, once: a table that is searched carries a `search_text` column holding `fold()`
of the text it is searched by, and a query is folded the same way and matched with LIKE on that
column. Both engines then compare plain lower-case ASCII-like text, and give the same answers.

`search_text` is kept up to date by one SQLAlchemy `before_flush` listener (below), not by the
services: names and titles are written in many places (services, the CSV import, SCIM, single
sign-on, the question-bank import, erasure, the demo), and a listener on every flush cannot be
forgotten by the next one; a bulk ORM `update()` of the searched fields is caught too (the rows are
read back and refreshed). A table opts in by declaring its column with `search_column(fields)`. Raw
SQL bypasses both: such code sets `search_text` itself (to `search_text_of(row)` or `fold_all(...)`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, Result, Text, Update, and_, event, inspect, select, true
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

MAX_WORDS = 8
_SOURCE = "search_source"

# Letters that are not a base letter plus accents, so NFKD leaves them whole; folded by hand to
# what people type on an English keyboard (casefold has already turned ß into ss).
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ĸ": "k",
        "ŋ": "n",
        "ɨ": "i",
        "ƀ": "b",
        "ƶ": "z",
    }
)


def fold(text: str | None) -> str:
    """`text` as search compares it: compatibility-decomposed (NFKD), accents dropped, case-folded,
    special letters mapped (Ø→o, Ł→l, ß→ss, Æ→ae), runs of white space made one space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_SPECIAL).split())


def fold_all(parts: Iterable[str | None]) -> str:
    """Several texts folded into one search text (a separator keeps words of two parts apart)."""
    return fold(" ".join(p for p in parts if p))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_folded(column: Any, query: str, *, every_word: bool = True) -> ColumnElement[bool]:
    """True where the folded column holds every word of the folded query, in any order (the
    catalogue's and the bank's search), or with `every_word=False` the folded query as one phrase
    (the people lists, where "person 0" should not also find "Person 10"). LIKE wildcards in the
    query are taken literally; at most MAX_WORDS words count; an empty query is always true."""
    words = fold(query).split()[:MAX_WORDS]
    if not every_word:
        words = [" ".join(words)] if words else []
    return and_(true(), *(column.like(f"%{_escape(w)}%", escape="\\") for w in words))


SearchText = Callable[[Any], Iterable[str | None]]


@dataclass(frozen=True)
class _Source:
    fields: tuple[str, ...]
    text: SearchText


def search_column(*fields: str, text: SearchText | None = None) -> Column[str]:
    """The `search_text` column of a searchable table: fold_all of the row's `fields` (or of what
    `text(row)` picks out of them), set on every flush and after a bulk update of those fields."""
    source = _Source(fields, text or (lambda row: [getattr(row, f) for f in fields]))
    return Column(Text, nullable=False, server_default="", info={_SOURCE: source})


def search_text_of(obj: object) -> str | None:
    """What `obj`'s search_text should hold, or None if its table has no search column."""
    source = _source(type(obj))
    return None if source is None else fold_all(source.text(obj))


_cache: dict[type, _Source | None] = {}


def _source(cls: type) -> _Source | None:
    if cls not in _cache:
        mapper: Mapper[Any] | None = inspect(cls, raiseerr=False)
        found = None
        if mapper is not None:
            for column in mapper.columns:
                if _SOURCE in column.info:
                    found = column.info[_SOURCE]
        _cache[cls] = found
    return _cache[cls]


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session: Session, _context: object, _instances: object) -> None:
    for obj in (*session.new, *session.dirty):
        value = search_text_of(obj)
        if value is not None and getattr(obj, "search_text", None) != value:
            obj.search_text = value


@event.listens_for(Session, "do_orm_execute")
def _refresh_after_bulk_update(state: ORMExecuteState) -> Result[Any] | None:
    """A bulk `update(User).values(name=...)` skips the flush, so the rows it changed are read back
    and their search text set for the next flush (erasure must not leave a name findable). The rows
    are found again by the statement's WHERE clause, as it reads after the update."""
    if not state.is_update or state.bind_mapper is None:
        return None
    cls = state.bind_mapper.class_
    source = _source(cls)
    statement = state.statement
    changed = {getattr(key, "key", key) for key in getattr(statement, "_values", None) or {}}
    if source is None or not changed & set(source.fields) or not isinstance(statement, Update):
        return None
    result = state.invoke_statement()
    query = select(cls).execution_options(populate_existing=True)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    for obj in state.session.scalars(query):
        obj.search_text = fold_all(source.text(obj))
    return result
