"""Lesson bodies: Markdown to HTML, then sanitised with an explicit allow-list.

Two layers, on purpose: markdown-it never passes raw HTML through (``html=False``) and refuses
``javascript:``-style links, and nh3 (ammonia) then keeps only the tags, attributes and URL schemes
listed here. Stored HTML is cleaned again when shown, so tightening this list protects old lessons too.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "s", "del", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "hr", "br",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
# Relative URLs (course attachments, /courses/...) are kept by nh3; other schemes are dropped.
URL_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN = 100_000

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def markdown_to_html(text: str) -> str:
    """What is stored as ``Lesson.body_html`` when a lesson is saved."""
    return sanitise(_md.render(text or ""))


def render_lesson_html(stored_html: str) -> Markup:
    """Stored lesson HTML, cleaned again, ready to place in a template."""
    return Markup(sanitise(stored_html or ""))
