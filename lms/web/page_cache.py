"""Whole pages kept per session, answered without routing, dependencies, the ORM or Jinja.

A route opts in with ``@page_cached`` (My learning, My skills, the catalogue, a course and its lessons:
pages that show only the person's own data and shared content). The middleware answers a GET for such
a route from a kept copy when everything the page was built from still stands:

- the session: one statement reads the session row, its person's ``is_active`` and language, the
  person's data version (``person_version``, bumped by database triggers on every table holding their
  own data: lms/data_versions.py) and the ``content`` data version (bumped at commit by any write to
  the shared tables). A signed-out session has no row, a deactivated person is inactive, and a
  granted or removed role bumps the person: each misses at once, and the request takes the ordinary
  path, which answers as it always did. So the cache adds no delay to losing access (the bound is
  zero); idle and absolute timeouts are checked the same way, and a session due for its once-a-minute
  touch goes the ordinary way too.
- the language (the person's choice, else the browser's), the static bundles' versions, the
  address with its query, and the session's token hash: copies are per session, so a person never
  gets another's page, and the CSRF token inside (bound to the session) stays valid.
- age: a copy is used for at most ``max_age`` seconds, because some text moves with time alone
  (due dates becoming overdue, evidence lapsing); 0 turns the cache off (development, so template
  edits show at once; tests turn it on).

Pages that show other people declare what they show (``page_cached_for(..., shows=...)``), and the
same one statement reads more versions for them:

- LINE (the team heatmap, the compliance matrix, a manager's home): the number of people in the
  viewer's reporting line and the sum of their person versions (the recursive CTE the team pages read
  the line through), and the ``lines`` data version, bumped by any change of who reports to whom. With
  the line's people fixed, versions only grow, so the sum moves with any write to anyone in it; a line
  above ``LINE_EXACT_MAX`` people (counted on the session's previous check) sums everyone's versions
  instead, which costs less than walking the line (measured at 100,000 people: bench/README.md).
- FIGURES (the organisation report and a unit's): today's stored figure sets for the threshold in
  force (the worker replaces a set, never updates it) and the threshold itself; until every framework
  has a stored set, the ``reports`` data version the process computes them at instead.

The heatmap records a view of the people it names (lms/privacy/views.py); the views a kept page's
build recorded are recorded again each time the copy is sent (two inserts), so the record of who saw
whom is what it was without the cache. The access checks are not re-run on a hit: the viewer's own
version moves when a role is granted or removed, so losing the manager's role misses at once.

The versions are read before the page is built, so a write that lands meanwhile leaves a copy older
than its key would say, and the next request misses. Not kept: htmx requests (fragments), responses
other than 200, responses that set a cookie (a flash message being cleared, a form's errors come as
422 anyway), requests carrying a flash message. Every kept page is sent with an ``ETag`` and
``Cache-Control: private, no-cache``, so a browser revalidates and a repeat view is ``304 Not
Modified`` without a body. Copies live in the process (bounded by ``max_bytes``, least recently
used out first).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lms.auth.service import TOUCH_INTERVAL, hash_token
from lms.clock import utcnow
from lms.i18n import current_language
from lms.privacy.views import NotedView, noted_views, views_record_again
from lms.web import static
from lms.web.capacity import DatabaseBusy
from lms.web.cookies import FLASH_COOKIE, SESSION_COOKIE
from lms.web.page_keys import (
    EVERYONE_STATE,
    FIGURES_STATE,
    LINE_STATE,
    OWN_STATE,
    FIGURES,
    LINE,
    LINE_EXACT_MAX,
    OWN,
)

F = TypeVar("F", bound=Callable[..., object])
_CACHED = "__page_cached__"
CACHE_CONTROL = b"private, no-cache"

_SIZES_KEPT = 10_000


def page_cached(endpoint: F) -> F:
    """Mark a GET route whose page depends only on its address, the signed-in person's own data, shared
    content and the language (see the module docstring): it may then be answered from a kept copy."""
    setattr(endpoint, _CACHED, (_always, OWN))
    return endpoint


def page_cached_for(keep: Callable[[dict[str, Any]], bool], *, shows: str = OWN) -> Callable[[F], F]:
    """As page_cached, for a page kept only when ``keep(request state)`` holds once it is built: the
    home page is kept for people whose panels it can key (no role, or manager only). A change of
    roles bumps the person's version, so the decision is made again. ``shows``: LINE or FIGURES for a
    page that shows other people's data too (module docstring)."""
    if shows not in (OWN, LINE, FIGURES):
        raise ValueError(f"unknown page scope {shows!r}")

    def mark(endpoint: F) -> F:
        setattr(endpoint, _CACHED, (keep, shows))
        return endpoint

    return mark


def page_cached_showing(shows: str) -> Callable[[F], F]:
    """A page kept whenever it answers 200, keyed on what it shows as well (LINE, FIGURES)."""
    return page_cached_for(_always, shows=shows)


def _always(_state: dict[str, Any]) -> bool:
    return True


@dataclass
class Entry:
    key: tuple
    etag: bytes
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored: float
    views: tuple[NotedView, ...] = ()  # recorded again each time the copy is sent


class _Bounded(OrderedDict[str, tuple[int, int]]):
    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most

    def note(self, key: str, value: tuple[int, int]) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.most:
            self.popitem(last=False)


class PageCache:
    def __init__(self, *, max_age: float, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_age = max_age
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()
        self._bytes = 0
        self.hits = self.misses = 0
        # (lines version, people in the line) per session when last counted, to choose the cheaper
        # statement (LINE_EXACT_MAX); either statement gives a sound key, so a stale count costs only time.
        self.line_sizes = _Bounded(_SIZES_KEPT)

    def get(self, where: tuple[str, str], key: tuple) -> Entry | None:
        entry = self._entries.get(where)
        if entry is None or entry.key != key or time.monotonic() - entry.stored > self.max_age:
            return None
        self._entries.move_to_end(where)
        return entry

    def put(self, where: tuple[str, str], entry: Entry) -> None:
        old = self._entries.pop(where, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[where] = entry
        self._bytes += len(entry.body)
        while self._bytes > self.max_bytes and self._entries:
            _where, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
        self.line_sizes.clear()


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def _cookies(raw: bytes | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (raw or b"").decode("latin-1").split(";"):
        name, _eq, value = part.strip().partition("=")
        out.setdefault(name, value)
    return out


class PageCacheMiddleware:
    """Pure ASGI, innermost: inside the locale (the language is chosen) and the security headers (a
    kept page still gets them on every answer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._patterns: list[tuple[re.Pattern[str], str]] | None = None

    def _shows(self, scope: Scope) -> str | None:
        """What the route at this address shows (OWN, LINE, FIGURES), None if it is not kept.

        Only a first filter (saves the statement elsewhere): what is kept is decided by the endpoint
        that answered, so /courses/{course_id} matching another route's address keeps nothing."""
        if self._patterns is None:
            self._patterns = [
                (compile_path(ctx.path)[0], getattr(ctx.endpoint, _CACHED)[1])
                for ctx in iter_route_contexts(scope["app"].routes)
                if getattr(ctx.endpoint, _CACHED, None) and "GET" in (ctx.methods or ())
            ]
        return next((shows for pattern, shows in self._patterns if pattern.match(scope["path"])), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app_state = scope.get("app").state if scope["type"] == "http" and scope.get("app") else None
        cache: PageCache | None = getattr(app_state, "page_cache", None)
        if (
            cache is None
            or cache.max_age <= 0
            or scope["method"] != "GET"
            or _header(scope, b"hx-request") is not None
            or (shows := self._shows(scope)) is None
        ):
            await self.app(scope, receive, send)
            return
        cookies = _cookies(_header(scope, b"cookie"))
        token = cookies.get(SESSION_COOKIE)
        if not token or cookies.get(FLASH_COOKIE):
            await self.app(scope, receive, send)
            return
        token_hash = hash_token(token)
        key = await self._key(app_state, cache, token_hash, shows)
        if key is None:  # no session, or one the ordinary path must end, touch or refuse
            await self.app(scope, receive, send)
            return
        where = (token_hash, scope["path"] + "?" + scope["query_string"].decode("latin-1"))
        etag = b'W/"' + hashlib.sha256(repr((where, key)).encode()).hexdigest()[:32].encode() + b'"'
        entry = cache.get(where, key)
        if entry is not None:
            cache.hits += 1
            if _header(scope, b"if-none-match") == etag:
                headers = [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            if entry.views and not await self._record_views(app_state, entry.views):
                await self.app(scope, receive, send)  # the ordinary path says why the database would not take it
                return
            await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        cache.misses += 1
        await self._render_and_keep(scope, receive, send, cache, where, key, etag)

    async def _key(self, app_state: Any, cache: PageCache, token_hash: str, shows: str) -> tuple | None:
        engine: Engine = app_state.engine
        settings = app_state.settings
        statement, params = OWN_STATE, {"token_hash": token_hash}
        if shows == LINE:
            _lines, people = cache.line_sizes.get(token_hash, (None, 0))
            statement = EVERYONE_STATE if people > LINE_EXACT_MAX else LINE_STATE
        elif shows == FIGURES:
            statement, params = FIGURES_STATE, {**params, "min_group": settings.report_min_group}

        def read() -> Any:
            with engine.connect() as conn:
                return conn.execute(statement, params).first()

        try:
            async with app_state.db_gate.slot():
                row = await run_in_threadpool(read)
        except (DatabaseBusy, sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
            return None  # the ordinary path answers it (503 while busy, the database-away page)
        if row is None:
            return None
        created_at, last_seen_at, is_active, language, person_version, content_version, *shown = row
        now = utcnow()
        if not is_active or now - last_seen_at > TOUCH_INTERVAL or now - created_at > timedelta(hours=settings.session_absolute_hours):
            return None
        if shows == LINE:
            lines_version, people = shown[0], shown[1]
            if people >= 0:
                cache.line_sizes.note(token_hash, (lines_version, people))
            elif cache.line_sizes.get(token_hash, (lines_version, 0))[0] != lines_version:
                cache.line_sizes.pop(token_hash, None)  # the line changed: counted again next time
        elif shows == FIGURES:
            shown.append(settings.report_min_group)
        bundles = tuple(static.version(name) for name in static.BUNDLES)
        return (shows, person_version, content_version, language or current_language(), bundles, *shown)

    async def _record_views(self, app_state: Any, views: tuple[NotedView, ...]) -> bool:
        """Record again the views of other people's data that the kept page's build recorded: the page
        shows the same people again (lms/privacy/views.py). False if the database would not take it."""
        engine: Engine = app_state.engine

        def write() -> None:
            with engine.begin() as conn:
                views_record_again(conn, views)

        try:
            async with app_state.db_gate.slot():
                await run_in_threadpool(write)
        except (DatabaseBusy, sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
            return False
        return True

    async def _render_and_keep(
        self, scope: Scope, receive: Receive, send: Send, cache: PageCache, where: tuple[str, str], key: tuple, etag: bytes
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        noted: list[NotedView] = []
        shows = key[0]

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                decide, endpoint_shows = getattr(scope.get("endpoint"), _CACHED, (None, None))
                keep = (
                    message["status"] == 200
                    and decide is not None
                    and endpoint_shows == shows  # keyed on what this endpoint shows, not another route's
                    and decide(scope.get("state", {}))
                    and not any(k.lower() in (b"set-cookie", b"cache-control") for k, _ in headers)
                )
                if keep:
                    headers += [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]
                    message = {**message, "headers": headers}
                    start = message
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = b"".join(chunks)
                    entry = Entry(key, etag, start["status"], start["headers"], body, time.monotonic(), tuple(noted))
                    cache.put(where, entry)
            await send(message)

        token = noted_views.set(noted)  # the route's thread shares this list (its context is a copy)
        try:
            await self.app(scope, receive, capture)
        finally:
            noted_views.reset(token)
