"""Every page each persona reaches, rendered in a pseudo-locale: any interface text a reader sees that
is not wrapped in [!! … !!] was never marked for translation, so no catalogue can translate it.

The pseudo-locale ("qps") is built here, from the strings extracted from the code and templates at
test time: each message becomes "[!! message !!]". It is never shipped or offered in the language
switch; this module alone turns it on, in a server it runs in its own process for the purpose.

The rule for what must be wrapped: interface elements (headings, labels, buttons, column headers,
captions, legends, hints, alerts, navigation and header links, and the page's <title>). What is left
of their text once the wrapped messages are removed may hold only demo content (any name, title, code
or e-mail address stored in the database, the organisation's name, the languages' own names),
numbers, dates and punctuation. Data cells (td, dd, row headers) and a lesson's own text are not checked: they
show data.
"""

from __future__ import annotations

import re
import sqlite3
from fnmatch import fnmatch
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from playwright.sync_api import Browser, Page

from lms import i18n
from lms.i18n_check import extract, template
from tests.e2e.support.axe import assert_accessible
from tests.e2e.support.accounts import ADMIN, DEMO_PASSWORD, EMPLOYEE, LEAD, MANAGER, TRAINER
from tests.e2e.support.server import LiveServer, free_port
from tests.e2e.test_role_journeys import ADMIN_PAGES

PSEUDO = "qps"
OPEN, CLOSE = "[!! ", " !!]"
# The question bank's form for each kind of question (a new one: the demo's bank need not hold every kind).
QUESTION_KINDS = ("single_choice", "multiple_choice", "true_false", "short_text", "numeric", "matching")
EXTRA = {
    ADMIN: [*ADMIN_PAGES, "/admin/certificates", "/admin/requirements", "/admin/requirements/new", "/admin/assignment-rules"],
    LEAD: ["/reports?by=competence", "/reports/open-data", "/reports/compliance"],
    TRAINER: [
        "/author/questions",
        "/author/questions?archived=1",
        "/author/questions/categories",
        "/author/questions/import",
        "/author/questions/new",
        *(f"/author/questions/new?kind={kind}" for kind in QUESTION_KINDS),
    ],
    MANAGER: ["/team/compliance", "/team/assign", "/team/assignments"],
    EMPLOYEE: ["/learning/certificates", "/learning/completed", "/verify"],
}
# Pages reached by a link on another page (their addresses hold ids): (page, the link to follow), in order,
# so a page reached can lead to the next. A page given as a prefix ending in "/" is the first page reached
# so far whose address starts with it and ends in an id (a course's authoring page, a question's form).
FOLLOW = {
    ADMIN: [],
    LEAD: [],
    TRAINER: [
        ("/author", "main table th[scope=row] a"),  # a course's authoring page
        ("/author/courses/", "main .outline-lessons a[href$='/edit']"),  # a lesson's form
        ("/author/courses/", "main .outline-actions a[href$='/edit']"),  # a module's form
        ("/author/courses/", "main a[href$='/quizzes/new']"),  # adding a quiz
        ("/author/courses/", "main a[href^='/author/quizzes/by-lesson/']"),  # a quiz's settings
        ("/author", "main a[href='/author/courses/new']"),  # a new course's form
        ("/author/questions", "main table.bank-questions th[scope=row] a:not(.bank-preview-link)"),  # a question's form
        ("/author/questions/", "main a[href$='/preview']"),  # its preview
        ("/author/questions/", "main #versions a[href*='/versions/']"),  # its version in another language
    ],
    MANAGER: [],
    EMPLOYEE: [],
}
# One form per persona sent empty or wrong, so the error summary and each field's message (raised by the
# services in Python) are checked too: (page, the form's submit button[, what to wait for]). A page given as
# a prefix is found as in FOLLOW, and one holding "*" is the first page reached that it matches.
INVALID_FORMS = {
    ADMIN: [("/admin/users/new", "main form[action='/admin/users/new'] button[type=submit]"),
            ("/admin/requirements/new", "main form[action='/admin/requirements/new'] button[value=save]")],
    LEAD: [],
    TRAINER: [("/author/questions/new?kind=numeric", "main form.question-form button[type=submit]"),
              ("/author/questions/categories", "main form[action='/author/questions/categories'] button[type=submit]"),
              ("/author/questions/*/preview", "main form.bank-preview button[type=submit]", "main .bank-result")],
    MANAGER: [("/team/assign", "main form[action='/team/assign'] button[type=submit]")],
    EMPLOYEE: [("/account", "main form[action='/account/password'] button[type=submit]")],
}  # fmt: skip
# Files uploaded on a page, so the report of what a file holds (and why parts are refused) is checked:
# (page, file name, content, what appears once it is read). The GIFT file holds a question the bank
# takes and two it refuses; the framework file has a row of an unknown kind.
UPLOADS = {
    ADMIN: [
        ("/admin/frameworks", "framework.csv", b"kind,code,name\nframework,x,Framework\ngadget,y,Thing\n", "main #problems-heading")
    ],
    LEAD: [],
    TRAINER: [
        (
            "/author/questions/import",
            "questions.gift",
            b"::Capital:: The capital of France is {=Paris ~Lyon}\n\n::Essay:: Describe your week. {}\n\n::Broken:: No answer {=\n",
            "main #preview-heading",
        )
    ],
    MANAGER: [],
    EMPLOYEE: [],
}
# Pages that still show unmarked text, each with why; the test fails when one of them becomes clean (so
# it is taken off this list) as much as when any other page shows unmarked text.
KNOWN_GAPS: dict[str, str] = {}

# Interface elements whose text must be wrapped; data cells are left out on purpose.
CHECKED = ", ".join(
    [
        *(f"main h{n}" for n in range(1, 7)),
        "main label",
        "main button",
        "main th[scope=col]",
        "main caption",
        "main legend",
        "main .usa-hint",
        "main .usa-alert__heading",
        "main .usa-alert__text",
        "main a.usa-button",
        "main .usa-error-message",
        "main select option",
        "header nav a",
        "header button",
        "footer a",
    ]
)
UNWRAPPED_JS = """
(checked) => {
  const found = [];
  const texts = [[document.title, 'title']];
  for (const el of document.querySelectorAll(checked)) {
    // An option is drawn only when its list opens: it counts as shown when its list is.
    const shown = el.tagName === 'OPTION' ? el.closest('select') : el;
    if (!shown || !shown.getClientRects().length) continue;  // not shown
    if (el.closest('.lesson-body')) continue;  // a lesson's own text (its preview): course content
    // An option that shows its own value is a code (an audit action, course.publish): data.
    if (el.tagName === 'OPTION' && el.value === el.textContent.trim()) continue;
    // Codes (a scope name, a command) are data: what is typed, never translated. So is text marked with a
    // language of its own (a question's original beside the field for its version).
    const copy = el.cloneNode(true);
    copy.querySelectorAll('code, kbd, samp, [lang]').forEach((code) => code.remove());
    texts.push([copy.textContent || '', el.tagName.toLowerCase()]);
  }
  return texts;
}
"""
DATE = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b")
WORD = re.compile(r"[^\W\d_]{2,}")
INNERMOST = re.compile(r"\[!! (?:(?!\[!! ).)*? !!\]", re.S)


def pseudo_translations(directory: Path) -> Path:
    """The pseudo-locale's compiled catalogue: every extracted message wrapped, plurals included."""
    extracted = template(extract(directory / "messages.pot"))
    catalog = Catalog(locale="en", domain=i18n.DOMAIN)
    for message in extracted:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            catalog.add(message.id, tuple(OPEN + form + CLOSE for form in message.id), flags=message.flags, context=message.context)
        else:
            catalog.add(message.id, OPEN + message.id + CLOSE, flags=message.flags, context=message.context)
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{i18n.DOMAIN}.mo").open("wb") as fp:
        write_mo(fp, catalog)
    return directory


def demo_content(database: str) -> list[str]:
    """Every name, title, code and address stored in the demo database, longest first."""
    found: set[str] = set()
    with sqlite3.connect(database) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                if column in {"name", "title", "code", "email", "short_name", "label", "description", "summary", "band"}:
                    found.update(v for (v,) in db.execute(f'SELECT DISTINCT "{column}" FROM "{table}"') if isinstance(v, str) and v)
    return sorted(found, key=len, reverse=True)


def unwrapped(text: str, content: list[str]) -> str:
    """What is left of ``text`` once wrapped messages, demo content, dates and numbers are taken out."""
    # Innermost first: a message can hold another ("[!! [!! Value !!] (row 1) !!]", a label in a sentence).
    rest, before = text, None
    while rest != before:
        rest, before = INNERMOST.sub(" ", rest), rest
    for value in content:
        if value in rest:
            rest = rest.replace(value, " ")
    rest = DATE.sub(" ", rest)
    return " ".join(WORD.findall(rest))


@pytest.fixture(scope="module")
def pseudo_server(tmp_path_factory) -> Iterator[tuple[str, list[str]]]:
    from lms.app import create_app
    from lms.config import Settings

    # The demo, loaded by the operator's own commands, served in this process so the pseudo-locale can be added.
    demo = LiveServer(tmp_path_factory.mktemp("pseudo-demo"))
    demo.lms("db", "upgrade")
    demo.lms("demo")
    locale_dir = pseudo_translations(tmp_path_factory.mktemp("pseudo-locale"))
    patch = pytest.MonkeyPatch()
    patch.setattr(i18n, "SUPPORTED_LANGUAGES", (*i18n.SUPPORTED_LANGUAGES, PSEUDO))
    patch.setattr(i18n, "FORMAT_LOCALES", {**i18n.FORMAT_LOCALES, PSEUDO: "en_GB"})
    real_catalogue = i18n.catalogue
    patch.setattr(
        i18n, "catalogue", lambda language, locale_dir_=None: real_catalogue(language, locale_dir if language == PSEUDO else None)
    )
    url = demo.env["DATABASE_URL"]
    settings = Settings(database_url=url, secret_key=demo.env["SECRET_KEY"], proficio_env="development", org_name="Proficio")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the pseudo-locale server did not start"
    # Languages are also named by Babel in the page's locale ("French"): data from CLDR, not the catalogues.
    babel_names = [i18n.current_locale().languages.get(code) or code for code in i18n.LANGUAGE_NAMES]
    content = [*demo_content(url.removeprefix("sqlite:///")), settings.org_name, *i18n.LANGUAGE_NAMES.values(), *babel_names]
    try:
        yield f"http://127.0.0.1:{port}", content
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        patch.undo()


@pytest.fixture
def pseudo_page(browser: Browser, pseudo_server) -> Iterator[Page]:
    base, _content = pseudo_server
    context = browser.new_context(base_url=base)
    context.add_cookies([{"name": i18n.LANGUAGE_COOKIE, "value": PSEUDO, "url": base}])
    page = context.new_page()
    # Generous: the server shares this process with the test, on a machine that may be busy.
    page.set_default_timeout(60_000)
    yield page
    context.close()


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/login" not in page.url, f"signing in as {email} failed"


def unwrapped_on(page: Page, content: list[str]) -> list[str]:
    found = []
    for text, tag in page.evaluate(UNWRAPPED_JS, CHECKED):
        rest = unwrapped(text, content)
        if rest:
            found.append(f"<{tag}> {text.strip()[:80]!r}: {rest[:60]!r}")
    return list(dict.fromkeys(found))


def walk(page: Page, email: str, content: list[str]) -> dict[str, list[str]]:
    sign_in(page, email)
    offered = page.locator("header nav a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    paths = [p for p in dict.fromkeys([*offered, "/", "/account", *EXTRA[email]]) if p.startswith("/")]
    reached: list[str] = []

    def address(start: str) -> str:
        if "*" in start:  # a pattern: the first page reached that it matches
            found = next((p for p in reached if fnmatch(p, start)), "")
            assert found, f"{email}: no page like {start} was reached"
            return found
        if not start.endswith("/"):
            return start
        found = next((p for p in reached if p.startswith(start) and p.rstrip("/").split("/")[-1].isdigit()), "")
        assert found, f"{email}: no page under {start} was reached"
        return found

    for start, link in FOLLOW[email]:
        page.goto(address(start))
        href = page.locator(link).first.get_attribute("href")
        assert href, f"{email}: no {link} on {page.url}"
        reached.append(href)
        paths.append(href)
    failures = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{email}: {path} answered {response and response.status}"
        found = unwrapped_on(page, content)
        if found:
            failures[path] = found
    for path, button, *shown in INVALID_FORMS[email]:
        page.goto(address(path))
        page.locator(button).click()
        page.locator(shown[0] if shown else "main .usa-error-message").first.wait_for()
        found = unwrapped_on(page, content)
        if found:
            failures[f"{address(path)} (sent{'' if shown else ' empty'})"] = found
    for path, name, data, shown_after in UPLOADS[email]:
        page.goto(path)
        upload = page.locator("main form[enctype='multipart/form-data']").first
        upload.locator("input[type=file]").set_input_files({"name": name, "mimeType": "application/octet-stream", "buffer": data})
        upload.locator("button[type=submit]").click()
        page.locator(shown_after).wait_for()
        found = unwrapped_on(page, content)
        if found:
            failures[f"{path} (uploading {name})"] = found
    return failures


def _merged(lines: list[str]) -> list[str]:
    """One line per text, naming every persona that saw it."""
    who: dict[str, list[str]] = {}
    for line in lines:
        email, _sep, text = line.partition(": ")
        who.setdefault(text, []).append(email.split("@")[0])
    return [f"{text} ({', '.join(dict.fromkeys(names))})" for text, names in who.items()]


def test_every_page_a_persona_reaches_is_fully_marked_for_translation(pseudo_page: Page, pseudo_server):
    _base, content = pseudo_server
    failures: dict[str, list[str]] = {}
    for email in (ADMIN, LEAD, TRAINER, MANAGER, EMPLOYEE):
        for path, found in walk(pseudo_page, email, content).items():
            failures.setdefault(path, []).extend(f"{email}: {line}" for line in found)
        pseudo_page.context.clear_cookies()
        pseudo_page.context.add_cookies([{"name": i18n.LANGUAGE_COOKIE, "value": PSEUDO, "url": _base}])
    unexpected = {path: lines for path, lines in failures.items() if path not in KNOWN_GAPS}
    fixed = [path for path in KNOWN_GAPS if path not in failures]
    report = "\n".join(f"{path}\n  " + "\n  ".join(_merged(lines)) for path, lines in sorted(unexpected.items()))
    assert not unexpected, f"Text shown without being marked for translation:\n{report}"
    assert not fixed, f"These pages are fully marked now; take them off KNOWN_GAPS: {fixed}"


def test_the_check_catches_a_hard_coded_string_on_a_real_page(pseudo_page: Page, pseudo_server):
    _base, content = pseudo_server
    sign_in(pseudo_page, ADMIN)
    pseudo_page.goto("/admin/users")
    assert unwrapped_on(pseudo_page, content) == []
    # As if a template had gained <button>Save draft</button> and a hard-coded column heading.
    pseudo_page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', '<button type="button">Save draft</button>');
          main.querySelector('th[scope=col]').textContent = 'Name';
        }"""
    )
    found = unwrapped_on(pseudo_page, content)
    assert any("Save draft" in line for line in found) and any("'Name'" in line for line in found), found


def test_the_rule_leaves_data_and_wrapped_text_alone():
    content = ["Ada Lovelace", "Digital / Data team"]
    assert unwrapped("[!! Users !!] · Ada Lovelace, 3 Dec 2026 (12)", content) == ""
    assert unwrapped("[!! Users !!] Digital / Data team", content) == ""
    assert unwrapped("Last sign-in", content) == "Last sign in"
    assert unwrapped("[!! Edit !!] settings", content) == "settings"
    assert unwrapped("[!! [!! Value !!] (row 1) !!]", content) == ""
    assert unwrapped("[!! [!! Value !!] (row 1) !!] row", content) == "row"


@pytest.mark.parametrize(
    ("who", "path"),
    [(EMPLOYEE, "/learning/certificates"), (EMPLOYEE, "/learning/completed"), (ADMIN, "/admin/users"), (TRAINER, "/author")],
)
def test_translated_pages_are_axe_clean_in_french(browser: Browser, pseudo_server, who: str, path: str):
    """The same server in French: the page says it is French (<html lang>), and axe-core finds nothing."""
    base, _content = pseudo_server
    context = browser.new_context(base_url=base)
    context.add_cookies([{"name": i18n.LANGUAGE_COOKIE, "value": "fr", "url": base}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        sign_in(page, who)  # an admin's header carries the most links: the longest in French
        response = page.goto(path)
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "fr"
        assert "[!!" not in page.content()
        assert_accessible(page)
    finally:
        context.close()
