"""Where a `next=` value may send people after signing in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A path on this site in printable ASCII: it must fit a Location or HX-Redirect header as it is, and
# nothing a browser would read as another host ('//', '\', '/。evil', control characters).
_SITE_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")


def safe_next(target: str | None) -> str:
    """`target` if it is a plain path on this site, else "/"."""
    if not target or len(target) > 2000 or not _SITE_PATH.fullmatch(target) or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target
