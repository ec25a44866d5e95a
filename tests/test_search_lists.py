"""Every list with a search box finds names whatever their accents or case, on SQLite and PostgreSQL
alike: "angstrom" finds "Ångström" and "Ångström" finds "Angstrom" (lms.text_search)."""

from __future__ import annotations

import html

from tests.assessments.factories import make_category, make_question, single_choice
from tests.courses.compliance.factories import make_requirement
from tests.courses.factories import make_course

PAIRS = [("Ångström", "angstrom"), ("Øster", "oster"), ("Łukasiewicz", "lukasiewicz"), ("straße", "strasse"), ("ÉLODIE", "elodie")]


def _names() -> tuple[list[str], dict[str, set[str]]]:
    """Two records per pair (one written with the letters, one plainly) and a distractor; for each
    query, in either spelling and in capitals, the two records it must find."""
    names, expected = ["Zed Unrelated"], {}
    for written, typed in PAIRS:
        pair = {f"Ana {written}", f"Bo {typed.capitalize()}"}
        names += sorted(pair)
        for query in (written, typed, written.upper(), typed.upper()):
            expected[query] = pair
    return names, expected


def _check(get, names: list[str], expected: dict[str, set[str]]) -> None:
    for query, found in expected.items():
        page = html.unescape(get(query))
        shown = {n for n in names if n in page}
        assert shown == found, f"searching {query!r}"


def test_admin_user_search(signed_in, make_user):
    browser, _ = signed_in("admin")
    names, expected = _names()
    for n, name in enumerate(names):
        make_user(name=name, email=f"person{n}@example.gov")
    _check(lambda q: browser.get("/admin/users", params={"q": q}).text, names, expected)


def test_catalogue_search(signed_in, db):
    browser, _ = signed_in()
    names, expected = _names()
    for name in names:
        make_course(db, name)
    _check(lambda q: browser.get("/courses", params={"q": q}).text, names, expected)


def test_question_bank_search(signed_in, db):
    browser, _ = signed_in("trainer")
    names, expected = _names()
    category = make_category(db, "Names")
    for name in names:
        make_question(db, single_choice(name), category=category)
    _check(lambda q: browser.get("/author/questions", params={"q": q}).text, names, expected)


def test_requirements_search(signed_in, db):
    browser, _ = signed_in("admin")
    names, expected = _names()
    for name in names:
        make_requirement(db, name)
    _check(lambda q: browser.get("/admin/requirements", params={"q": q}).text, names, expected)
