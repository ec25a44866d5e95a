"""Stored XSS: well-known payloads in every authored field come out inert on the real pages.

"Inert" is checked on the parsed page, inside <main> (the layout's own script tags are outside it):
no script-capable element, no event-handler or style attribute, no javascript:/data:/vbscript: URL.
Escaped payloads may still *show* words like "onerror=" as text, which is harmless, so raw substrings
are only checked for "<script", "<iframe" and "<svg", which escaped text can never contain.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from courses.markdown import markdown_to_html, render_lesson_html
from courses.models import Course, Lesson, Module

PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="javascript:alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<div onmouseover="alert(1)">hover</div>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "</textarea><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<a href=vbscript:msgbox(1)>vb</a>",
    "<base href=javascript:alert(1)//>",
]

DANGEROUS_TAGS = {"script", "iframe", "svg", "math", "object", "embed", "style", "base", "frame", "frameset", "meta", "link", "body"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class MainScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
            return
        if not self.depth:
            return
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"{tag}[{name}]")
            compact = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRS and compact.startswith(BAD_SCHEMES):
                self.problems.append(f"{tag}[{name}={value!r}]")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1


def assert_inert(html: str, where: str) -> None:
    main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
    scanner = MainScanner()
    scanner.feed(html if "<main" in html else f"<main>{html}</main>")
    assert not scanner.problems, f"{where}: {scanner.problems}"
    for raw in ("<script", "<iframe", "<svg"):
        assert raw not in main.lower(), f"{where}: {raw}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_makes_each_payload_inert(payload):
    html = markdown_to_html(payload)
    assert_inert(html, payload)
    assert_inert(str(render_lesson_html(html)), payload)


def test_stored_html_is_cleaned_again_when_shown():
    stored = '<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
    shown = str(render_lesson_html(stored))
    assert shown == '<p>Hi</p><a rel="noopener noreferrer">x</a>'


def test_payloads_in_every_authored_field_are_inert_on_the_authoring_pages(signed_in, db):
    browser, _ = signed_in("trainer")
    token = browser.token()

    def post(url: str, data: dict, **kw):
        return browser.post(url, {**data, "csrf_token": token}, **kw)

    everything = "\n\n".join(PAYLOADS)
    short = " ".join(p.replace("\n", " ") for p in PAYLOADS[:4])[:200]
    assert (
        post(
            "/author/courses/new", data={"title": short, "summary": everything, "audience": PAYLOADS[2], "estimated_minutes": "10"}
        ).status_code
        == 303
    )
    course = db.exec(select(Course)).one()
    for payload in PAYLOADS:
        post(f"/author/courses/{course.id}/modules", {"title": payload[:200]})
    module = db.exec(select(Module)).first()
    for payload in PAYLOADS:
        post(
            f"/author/courses/{course.id}/modules/{module.id}/lessons/new",
            {"title": payload[:200], "estimated_minutes": "5", "body_markdown": payload},
        )
    post(
        f"/author/courses/{course.id}/modules/{module.id}/lessons/new",
        {"title": "Everything", "estimated_minutes": "5", "body_markdown": everything},
    )
    lessons = db.exec(select(Lesson)).all()
    assert len(lessons) == len(PAYLOADS) + 1
    for lesson in lessons:
        assert_inert(lesson.body_html, f"stored body of {lesson.title!r}")

    pages = [
        "/author",
        f"/author/courses/{course.id}",
        f"/author/courses/{course.id}/edit",
        f"/author/courses/{course.id}/modules/{module.id}/edit",
    ]
    # Each lesson's page shows its own title and body; the first few and the one holding every payload.
    pages += [f"/author/courses/{course.id}/lessons/{lesson.id}/edit" for lesson in lessons[:3] + lessons[-1:]]
    for url in pages:
        response = browser.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)
    preview = post("/author/preview", {"body_markdown": everything}, headers={"HX-Request": "true"})
    assert_inert(preview.text, "live preview")
    no_js = post(
        f"/author/courses/{course.id}/lessons/{lessons[-1].id}/edit",
        {"title": "Everything", "estimated_minutes": "5", "body_markdown": everything, "action": "preview"},
    )
    assert_inert(no_js.text, "preview without JavaScript")


@pytest.mark.parametrize(
    "live",
    [
        "<img src=x onerror=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '<p style="x">y</p>',
        "<iframe></iframe>",
    ],
)
def test_the_check_itself_catches_live_payloads(live):
    with pytest.raises(AssertionError):
        assert_inert(live, "raw")
