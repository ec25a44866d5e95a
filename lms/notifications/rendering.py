"""Mail bodies from Jinja2 templates under templates/mail/: plain text as written, HTML autoescaped."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lms.config import PROJECT_ROOT, Settings

# Its own environment, not the pages' one: .txt must not be HTML-escaped, and a mail template that
# names a missing value should fail in the caller's test rather than send a blank.
mail_templates = Environment(
    loader=FileSystemLoader(str(PROJECT_ROOT / "templates")),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


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
