"""Mail bodies from Jinja2 templates under templates/mail/: plain text as written, HTML autoescaped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from babel.dates import get_timezone
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lms import i18n
from lms.config import PROJECT_ROOT, Settings
from lms.people.models import User

# Its own environment, not the pages' one: .txt must not be HTML-escaped, and a mail template that
# names a missing value should fail in the caller's test rather than send a blank.
mail_templates = Environment(
    loader=FileSystemLoader(str(PROJECT_ROOT / "templates")),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    extensions=["jinja2.ext.i18n"],
)
# The callables read the language from a context variable that `in_language_of` sets for one recipient, so
# one environment serves mail to people in different languages from several threads at once (lms/i18n.py).
mail_templates.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
mail_templates.globals["current_language"] = i18n.current_language
mail_templates.filters["format_date"] = i18n.format_date
mail_templates.filters["format_datetime"] = i18n.format_datetime
mail_templates.filters["format_number"] = i18n.format_number


@contextmanager
def in_language_of(user: User, settings: Settings) -> Iterator[None]:
    """Write to ``user`` in their language (else DEFAULT_LANGUAGE) and the organisation's time zone,
    whoever caused the message: the subject, the body and the dates in them."""
    with i18n.speaking(i18n.language_for(user.language, settings.default_language), get_timezone(settings.time_zone)):
        yield


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """(text, html) from templates/mail/{template}.txt and .html."""
    text = mail_templates.get_template(f"mail/{template}.txt").render(context)
    html = mail_templates.get_template(f"mail/{template}.html").render(context)
    return text, html


def mail_context(settings: Settings, *, kind_label: str, link: str, unsubscribe_url: str, **extra: Any) -> dict[str, Any]:
    """What every mail template may use besides the caller's own values."""
    base = settings.mail_base_url
    return {
        **extra,
        "org": settings,
        "org_name": settings.org_name,
        "base_url": base,
        "link": f"{base}{link}" if link.startswith("/") else link,
        "kind_label": kind_label,
        "preferences_url": f"{base}/account#notifications",
        "unsubscribe_url": unsubscribe_url,
    }
