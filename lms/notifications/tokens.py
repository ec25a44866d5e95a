"""Signed unsubscribe tokens: they stand in for signing in, for one person and one kind only.

The token is "<user id>.<kind>.<HMAC-SHA256 of both with the app's secret key>", URL-safe as it is.
It never expires: the link in an old message must keep working (RFC 8058 asks for that), and all it
can do is move one kind of message to a digest or off.
"""

from __future__ import annotations

import hmac
import re

from lms.web.signing import sign

_PURPOSE = "unsubscribe"
_SHAPE = re.compile(r"([0-9]{1,12})\.([a-z_]{1,40})\.([0-9a-f]{64})")


def unsubscribe_token(secret: str, *, user_id: int, kind: str) -> str:
    return f"{user_id}.{kind}.{sign(secret, _PURPOSE, f'{user_id}:{kind}')}"


def unsubscribe_check(secret: str, token: str) -> tuple[int, str] | None:
    """(user id, kind) for a genuine token, None for anything else (compared in constant time)."""
    found = _SHAPE.fullmatch(token)
    if not found:
        return None
    user_id, kind, mac = found.groups()
    if not hmac.compare_digest(mac, sign(secret, _PURPOSE, f"{user_id}:{kind}")):
        return None
    return int(user_id), kind
