"""Request-scoped dependencies: the database session and the signed-in user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from sqlmodel import Session

from lms.auth.service import resolve_session
from lms.i18n import set_language
from lms.people.models import User
from lms.web.cookies import SESSION_COOKIE

T = TypeVar("T")


async def get_db(request: Request) -> AsyncIterator[Session]:
    # Async so FastAPI does not hop to a worker thread to open and again to close it (creating a
    # Session touches no database, closing one hands its connection back), and so the wait for a
    # slot (lms/web/capacity.py) happens on the event loop, holding no thread and no connection.
    async with request.app.state.db_gate.slot():
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            # Also for values the layout reads lazily while a page renders (the header's unread
            # count), so they use this request's connection rather than taking a second one.
            request.state.db = session
            try:
                yield session
            finally:
                request.state.db = None  # closed: an error page rendered later must not reopen it


DbSession = Annotated[Session, Depends(get_db)]


async def in_database(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` with a session of its own on a worker thread, holding a slot only meanwhile.

    For async routes that do slow work without the database in between (sign-in's password
    check), so that work does not keep one of the process's few connections.
    """
    async with request.app.state.db_gate.slot():

        def run() -> T:
            with Session(request.app.state.engine, expire_on_commit=False) as session:
                return work(session)

        return await run_in_threadpool(run)


def load_user(request: Request, db: Session) -> User | None:
    """Resolve the session cookie once per request; the result is kept on request.state."""
    if hasattr(request.state, "user"):
        return request.state.user
    request.state.user = None
    request.state.roles = frozenset()
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        found = resolve_session(db, token=token, settings=request.app.state.settings)
        if found:
            user, user_session, roles = found
            request.state.user = user
            request.state.session_token_hash = user_session.token_hash
            request.state.roles = roles
            # The person's own choice beats the browser's (lms.i18n.LocaleMiddleware chose that).
            set_language(user.language)
    return request.state.user


def client_ip(request: Request) -> str | None:
    # uvicorn rewrites request.client from X-Forwarded-For for trusted proxies only.
    return request.client.host if request.client else None
