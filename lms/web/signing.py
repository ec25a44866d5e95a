"""HMAC helpers for values the server hands out and later checks (CSRF tokens, flash cookies)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def sign(secret: str, purpose: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def dumps(secret: str, purpose: str, data: Any) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    return f"{payload}.{sign(secret, purpose, payload)}"


def loads(secret: str, purpose: str, raw: str | None) -> Any:
    if not raw or "." not in raw:
        return None
    payload, mac = raw.rsplit(".", 1)
    if not hmac.compare_digest(mac, sign(secret, purpose, payload)):
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
