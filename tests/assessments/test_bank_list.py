"""The bank's list (search, filters, pages, counts), its categories and its exports."""

import re

from sqlmodel import select

from assessments.models import QuestionCategory
from assessments.questions import NUMERIC, NumericAnswer, QuestionData
from tests.assessments.factories import make_category, make_question
from tests.assessments.test_bank_questions import single
from tests.lms.competences.factories import competence, load_digcomp


def names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/author/questions/\d+">([^<]+)</a>', html)


def test_empty_bank_says_what_to_do(signed_in):
    browser, _ = signed_in("trainer")
    html = browser.get("/author/questions").text
    assert "The bank is empty" in html and "/author/questions/categories" in html
    assert "There are no categories yet" in browser.get("/author/questions/categories").text


def test_search_filter_and_pages(signed_in, db):
    browser, _ = signed_in("trainer")
    load_digcomp(db)
    safety, other = make_category(db, "Safety"), make_category(db, "Other")
    tag = competence(db, "4.2").id
    for i in range(28):
        make_question(db, single(f"Safety {i:02}", "Spot the phishing email"), category=safety)
    make_question(db, single("Passwords", "How long should a passphrase be?"), category=other, competence_id=tag, level=2)
    make_question(db, QuestionData(NUMERIC, "Bits", "Bits in a byte? Café", numeric=[NumericAnswer(8)]), category=other)

    first = browser.get("/author/questions").text
    assert len(names(first)) == 25 and "30 questions" in first and "Page 1 of 2" in first
    second = browser.get("/author/questions?page=2").text
    assert len(names(second)) == 5
    assert names(browser.get("/author/questions?page=99").text) == names(second)  # past the end: last page

    assert names(browser.get("/author/questions?q=passphrase").text) == ["Passwords"]  # stem words
    assert names(browser.get("/author/questions?q=PASSWORDS").text) == ["Passwords"]  # name, any case
    assert names(browser.get("/author/questions?q=long+passphrase").text) == ["Passwords"]  # every word
    assert names(browser.get("/author/questions?q=long+zebra").text) == []
    assert "No questions match these filters" in browser.get("/author/questions?q=zebra").text
    assert names(browser.get("/author/questions?q=100%25").text) == []  # wildcards taken literally
    assert len(names(browser.get(f"/author/questions?category={safety.id}").text)) == 25
    assert sorted(names(browser.get(f"/author/questions?category={other.id}").text)) == ["Bits", "Passwords"]
    assert names(browser.get("/author/questions?kind=numeric").text) == ["Bits"]
    assert names(browser.get(f"/author/questions?competence={tag}").text) == ["Passwords"]
    assert names(browser.get(f"/author/questions?category={safety.id}&competence={tag}").text) == []
    # Bad filter values are ignored rather than failing.
    assert browser.get("/author/questions?category=abc&kind=essay&competence=").status_code == 200

    partial = browser.get("/author/questions?q=passphrase", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text and 'id="results"' in partial.text

    categories = browser.get("/author/questions/categories").text
    assert re.search(r"Safety</a></th>\s*<td>28</td>", categories)
    assert re.search(r"Other</a></th>\s*<td>2</td>", categories)


def test_categories_are_created_and_renamed(signed_in, db):
    browser, _ = signed_in("admin")
    assert browser.post("/author/questions/categories", data={"name": "  Safety   basics "}).status_code == 303
    category = db.exec(select(QuestionCategory)).one()
    assert category.name == "Safety basics"
    again = browser.post("/author/questions/categories", data={"name": "safety BASICS"})
    assert again.status_code == 422 and "already exists" in again.text
    assert browser.post("/author/questions/categories", data={"name": ""}).status_code == 422
    make_category(db, "Passwords")

    assert browser.post(f"/author/questions/categories/{category.id}", data={"name": "Safety"}).status_code == 303
    clash = browser.post(f"/author/questions/categories/{category.id}", data={"name": "passwords"})
    assert clash.status_code == 422 and "already exists" in clash.text
    db.refresh(category)
    assert category.name == "Safety"
    assert browser.post("/author/questions/categories/999999", data={"name": "X"}).status_code == 404


def test_exports_are_downloads_of_the_active_questions(signed_in, db):
    browser, _ = signed_in("trainer")
    category = make_category(db, "DigComp 4.2 Personal data")
    make_question(db, single("Kept"), category=category)
    archived = make_question(db, single("Archived one"), category=category)
    browser.post(f"/author/questions/{archived.id}/archive", data={"action": "archive"})

    gift = browser.get(f"/author/questions/categories/{category.id}/export.gift")
    assert gift.status_code == 200
    assert gift.headers["content-disposition"] == 'attachment; filename="digcomp-4-2-personal-data.gift"'
    assert "::Kept::" in gift.text and "Archived one" not in gift.text
    assert "$CATEGORY: $course$/top/DigComp 4.2 Personal data" in gift.text

    xml = browser.get(f"/author/questions/categories/{category.id}/export.xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert xml.headers["content-disposition"].startswith("attachment;") and "<text>Kept</text>" in xml.text
    assert browser.get("/author/questions/categories/999999/export.xml").status_code == 404
