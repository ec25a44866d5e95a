"""One way to read every number and id that arrives from outside: forms, query strings, paths, imports.

Only ASCII digits count (`str.isdigit()` also accepts '²' and '①', which `int()` then refuses, and
`int()` accepts '٣'), and nothing longer than a 64-bit integer is ever converted, so a hostile value is
"not found" (ids) or a field error (values), never an `OverflowError` from the database or a
`ValueError` from `int()`.

- `parse_id(raw)` -> 1..MAX_ID or None; a None id is "not found".
- `parse_day_from_today(raw, errors, field, ...)` -> an optional date that may not lie in the past.
- `parse_int(raw, lo, hi)` -> lo..hi or None; `check_int(...)` also records the field's error message.
- `Id`, `IdQuery`, `PageNo`: bounded types for path and query parameters, so FastAPI checks them and
  the OpenAPI schema states the bounds. Paths that need a converter use `{name:id}` (registered here):
  ASCII digits, at most 19 of them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request
from starlette.convertors import Convertor, register_url_convertor

from lms.clock import utcnow
from lms.i18n import gettext

MAX_ID = 2**63 - 1  # the largest BIGINT on PostgreSQL and INTEGER on SQLite
MAX_DIGITS = len(str(MAX_ID))  # 19
MAX_PAGE = 1_000_000
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_INT_RE = re.compile(r"-?[0-9]{1,%d}" % MAX_DIGITS, re.ASCII)


def parse_int(raw: object, lo: int, hi: int) -> int | None:
    """The whole number `raw` spells (ASCII digits, surrounding spaces allowed, a '-' only when lo < 0)
    if it lies within lo..hi; None for anything else, including non-strings."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not _INT_RE.fullmatch(text) or (text.startswith("-") and lo >= 0):
            return None
        value = int(text)
    else:
        return None
    return value if lo <= value <= hi else None


def parse_id(raw: object) -> int | None:
    """A database id (1..2^63-1) or None, which callers treat as "not found"."""
    return parse_int(raw, 1, MAX_ID)


def check_int(raw: object, errors: dict[str, str], field: str, *, lo: int, hi: int, message: str) -> int | None:
    """`parse_int`, recording `message` as `errors[field]` when the value is missing or out of range."""
    value = parse_int(raw, lo, hi)
    if value is None:
        errors[field] = message
    return value


# Path and query parameters. FastAPI validates them; a path id that fails is answered 404 (lms.web.errors).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
SlotNo = Annotated[int, Path(ge=0, le=MAX_ID)]  # a position counted from 0


class IdConvertor(Convertor[int]):
    """`{name:id}` in a route path: like Starlette's `int`, but never more digits than an id can have,
    so a 5,000-digit path segment does not match (404) instead of making `int()` raise."""

    regex = "[0-9]{1,%d}" % MAX_DIGITS

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("id", IdConvertor())


async def refuse_nul(request: Request) -> None:
    """App-wide dependency: no query or form value may hold a NUL character.

    PostgreSQL cannot store one in a text column (and no one types it), so it is refused here, once,
    rather than as a database error in whichever query it reaches first.
    """
    values: list[str] = [v for _k, v in request.query_params.multi_items()]
    if request.method in UNSAFE_METHODS and request.headers.get("content-type", "").startswith(FORM_TYPES):
        form = await request.form()
        for key, value in form.multi_items():
            values.append(key)
            values.append(value if isinstance(value, str) else (value.filename or ""))
    if any("\x00" in v for v in values):
        raise HTTPException(
            status_code=400,
            detail=gettext("The request contained a NUL character, which Proficio cannot store. Remove it and try again."),
        )


def parse_day_from_today(raw: str, errors: dict[str, str], field: str, *, bad_format: str, in_past: str) -> date | None:
    """An optional date input that may not lie in the past (UTC); problems go into `errors[field]`."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[field] = bad_format
        return None
    if day < utcnow().date():
        errors[field] = in_past
        return None
    return day
