"""The organisation's colour as a stylesheet (served at /theme.css by lms/web/theme_routes.py).

A stylesheet of its own because the CSP forbids inline styles; static/css/app.css reads the property.
"""

from __future__ import annotations

import hashlib

from lms.config import Settings


def theme_css(settings: Settings) -> str:
    return f":root {{ --org-primary: {settings.org_primary_colour}; }}\n"


def theme_version(settings: Settings) -> str:
    """Changes with the stylesheet, so a page links to a new address when the colour changes."""
    return hashlib.sha256(theme_css(settings).encode()).hexdigest()[:12]
