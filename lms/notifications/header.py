"""The unread count beside "Notifications" in the page header, for signed-in people only."""

from __future__ import annotations

from starlette.requests import Request

from lms.notifications.selectors import unread_count


def unread_notifications(request: Request) -> int:
    """Counted once per page, on the request's own session (lms.web.deps.get_db keeps it on
    request.state.db): one COUNT on the outbox's (user_id, created_at) index. Zero without a
    signed-in person or a session (error pages)."""
    cached = getattr(request.state, "unread_notifications", None)
    if cached is not None:
        return int(cached)
    user, db = getattr(request.state, "user", None), getattr(request.state, "db", None)
    count = unread_count(db, user_id=user.id) if user is not None and db is not None and user.id is not None else 0
    request.state.unread_notifications = count
    return count
