"""Lesson bodies: Markdown to HTML, then sanitised with an explicit allow-list.

Two layers, on purpose: markdown-it never passes raw HTML through (``html=False``) and refuses
``javascript:``-style links, and nh3 (ammonia) then keeps only the tags, attributes and URL schemes
listed here. Stored HTML is cleaned again when shown, so tightening this list protects old lessons too.

Same-site addresses: a page that shows authored text requests its images itself, and a reader may
follow its links with their session, so authored text may only point into the app at course files
(``/courses/<course>/files/<file>``, a download that changes nothing). Images come only from there
(from the lesson's own course, when shown in a lesson), or, in a question's text, from that question's
own files (``/questions/<question>/files/<file>``); links may also go to other sites, e-mail
addresses and anchors on the same page. Anything else loses its ``src`` or ``href`` when shown, and
``url_problems`` lets the authoring service refuse it when a lesson is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from lms.i18n import N_, gettext

TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "hr",
    "br",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
# Relative URLs (course attachments, /courses/...) are kept by nh3; other schemes are dropped.
URL_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN = 100_000

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(["table", "strikethrough"])


FILE_URL = re.compile(r"/courses/([0-9]{1,19})/files/([0-9]{1,19})", re.ASCII)
QUESTION_FILE_URL = re.compile(r"/questions/([0-9]{1,19})/files/[0-9]{1,19}", re.ASCII)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
IMAGE_RULE = N_("Images can only come from this course's files: upload the image under Files and copy its Markdown.")
LINK_RULE = N_(
    "Links can go to other websites, e-mail addresses or course files, not to pages of "
    "Proficio itself: name the course or lesson instead."
)


def _course_file(url: str, course_id: int | None) -> bool:
    match = FILE_URL.fullmatch(url)
    return match is not None and (course_id is None or int(match.group(1)) == course_id)


def image_allowed(src: str, course_id: int | None = None, question_id: int | None = None) -> bool:
    if question_id is not None and (match := QUESTION_FILE_URL.fullmatch(src.strip())) is not None:
        return int(match.group(1)) == question_id
    return _course_file(src.strip(), course_id)


def link_allowed(href: str) -> bool:
    """Other sites (the scheme list decides which), anchors on this page, and course files."""
    href = href.strip()
    if href.startswith("#") or _course_file(href, None):
        return True
    # Protocol-relative ("//host/...") and relative addresses ("/admin", "lessons/5", "../x") stay in the app.
    return bool(_SCHEME.match(href)) and not href.startswith("//")


def _url_filter(course_id: int | None, question_id: int | None = None) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if image_allowed(value, course_id, question_id) else None
        if tag == "a" and attribute == "href":
            return value if link_allowed(value) else None
        return value

    return keep


def sanitise(html: str, *, course_id: int | None = None, question_id: int | None = None) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_url_filter(course_id, question_id),
    )


def markdown_to_html(text: str, *, question_id: int | None = None) -> str:
    """What is stored as ``Lesson.body_html`` when a lesson is saved; with ``question_id``, a
    question's text, which may show that question's own files."""
    return sanitise(_md.render(text or ""), question_id=question_id)


def render_lesson_html(stored_html: str, *, course_id: int | None = None, question_id: int | None = None) -> Markup:
    """Stored lesson HTML, cleaned again, ready to place in a template.

    With ``course_id``, images from another course's files are dropped too; with ``question_id``,
    images of that question's own files are kept.
    """
    return Markup(sanitise(stored_html or "", course_id=course_id, question_id=question_id))


def url_problems(text: str, *, course_id: int, attachment_ids: set[int]) -> list[str]:
    """Why the Markdown's images and links may not be saved in a lesson of this course (empty: fine)."""
    problems: list[str] = []
    for token in _md.parse(text or ""):
        for child in token.children or ():
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                match = FILE_URL.fullmatch(src.strip())
                if not (match and int(match.group(1)) == course_id and int(match.group(2)) in attachment_ids):
                    problems.append(
                        gettext("%(rule)s Not allowed: %(what)s")
                        % {"rule": gettext(IMAGE_RULE), "what": src[:200] or gettext("(empty)")}
                    )
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not link_allowed(href):
                    problems.append(
                        gettext("%(rule)s Not allowed: %(what)s")
                        % {"rule": gettext(LINK_RULE), "what": href[:200] or gettext("(empty)")}
                    )
    return list(dict.fromkeys(problems))
