"""Importing question files: the preview saves nothing, the confirm saves exactly what was previewed."""

import html as html_lib
import re
import secrets
from pathlib import Path

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from assessments.interchange.common import MAX_IMPORT_BYTES, comparable
from assessments.models import Question, QuestionCategory
from assessments.questions import QuestionData
from lms.audit.models import AuditEvent
from tests.assessments import every_kind
from tests.assessments.factories import make_category, make_question
from tests.conftest import Browser, sign_in

DATA = Path(__file__).parent / "data"


def upload(browser, name: str, content: bytes, target: str = "file"):
    return browser.post(
        "/author/questions/import", data={"target": target}, files={"file": (name, content, "application/octet-stream")}
    )


def payload_of(page: str) -> list[str]:
    return [html_lib.unescape(v) for v in re.findall(r'name="payload" value="([^"]+)"', page)]


def preview_names(page: str) -> list[str]:
    table = page.split("Questions that will be imported", 1)[1].split("</table>", 1)[0]
    return [html_lib.unescape(n) for n in re.findall(r'<th scope="row">([^<]+)</th>', table)]


def test_preview_lists_questions_and_problems_and_saves_nothing(signed_in, db):
    browser, _ = signed_in("trainer")
    page = upload(browser, "safety.gift", (DATA / "digcomp_safety.gift").read_bytes())
    assert page.status_code == 200
    assert len(preview_names(page.text)) == 10 and "Phishing signs" in page.text
    assert "DigComp / Safety (new category)" in page.text
    assert "Reflection essay" in page.text and "Essay" in page.text and "Broken" in page.text
    assert "Import 10 questions" in page.text
    assert db.exec(select(Question)).all() == [] and db.exec(select(QuestionCategory)).all() == []


@pytest.mark.parametrize(
    ("filename", "category"),
    [("digcomp_safety.gift", ("DigComp", "Safety")), ("digcomp_safety.xml", ("Default for Digital safety", "Safety"))],
)
def test_confirm_saves_exactly_the_previewed_questions_once(signed_in, db, filename, category):
    browser, user = signed_in("trainer")
    page = upload(browser, filename, (DATA / filename).read_bytes()).text
    previewed = preview_names(page)
    response = browser.post("/author/questions/import/confirm", data={"payload": payload_of(page)})
    assert response.status_code == 303
    saved = db.exec(select(Question).order_by(Question.id)).all()
    assert [q.name for q in saved] == previewed
    # The path is a tree: the parent, and the category the questions are in below it.
    top, leaf = db.exec(select(QuestionCategory).order_by(QuestionCategory.id)).all()
    assert (top.name, leaf.name, top.parent_id, leaf.parent_id) == (*category, None, top.id)
    assert {q.category_id for q in saved} == {leaf.id}
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "questions.import")).one()
    assert event.actor_id == user.id and f'"imported": {len(previewed)}' in event.detail
    assert "Imported" in browser.get(response.headers["location"]).text

    # A second click on the same confirm button imports nothing more.
    again = browser.post("/author/questions/import/confirm", data={"payload": payload_of(page)})
    assert again.status_code == 303
    assert len(db.exec(select(Question)).all()) == len(previewed)


def test_import_into_a_chosen_category(signed_in, db):
    browser, _ = signed_in("trainer")
    target = make_category(db, "Mine")
    page = upload(browser, "safety.xml", (DATA / "digcomp_safety.xml").read_bytes(), target=str(target.id)).text
    assert browser.post("/author/questions/import/confirm", data={"payload": payload_of(page)}).status_code == 303
    assert {q.category_id for q in db.exec(select(Question)).all()} == {target.id}
    assert [c.name for c in db.exec(select(QuestionCategory)).all()] == ["Mine"]


def test_tampered_or_foreign_confirmations_are_refused(signed_in, db, app, make_user):
    browser, _ = signed_in("trainer")
    page = upload(browser, "safety.gift", (DATA / "digcomp_safety.gift").read_bytes()).text
    payload = payload_of(page)
    body, mac = payload[-1].rsplit(".", 1)
    forged = [*payload[:-1], body + "." + ("0" if mac[0] != "0" else "1") + mac[1:]]
    assert browser.post("/author/questions/import/confirm", data={"payload": forged}).status_code == 400
    content = payload[0]
    tampered = [content[:10] + ("A" if content[10] != "A" else "B") + content[11:], *payload[1:]]
    assert browser.post("/author/questions/import/confirm", data={"payload": tampered}).status_code == 400
    assert browser.post("/author/questions/import/confirm", data={}).status_code == 400

    # Another trainer cannot replay this trainer's preview.
    other = make_user("trainer")
    with TestClient(app, follow_redirects=False) as client:
        assert sign_in(client, other.email).status_code == 303
        assert Browser(client).post("/author/questions/import/confirm", data={"payload": payload}).status_code == 400
    assert db.exec(select(Question)).all() == []


def test_export_then_import_gives_equal_questions(signed_in, db):
    browser, _ = signed_in("trainer")
    source = make_category(db, "Round trip")
    # GIFT cannot say all-or-nothing: that question is refused there (tests/assessments/interchange).
    originals = [q for q in every_kind() if q.multiple_rule != "all_or_nothing" or q.kind != "multiple_choice"]
    for data in originals:
        make_question(db, data, category=source)
    for ext, flags in ((".gift", {}), (".xml", {})):
        exported = browser.get(f"/author/questions/categories/{source.id}/export{ext}").content
        target = make_category(db, f"Back from {ext}")
        page = upload(browser, f"bank{ext}", exported, target=str(target.id)).text
        assert "Could not be imported" not in page
        assert browser.post("/author/questions/import/confirm", data={"payload": payload_of(page)}).status_code == 303
        back = db.exec(select(Question).where(Question.category_id == target.id).order_by(Question.id)).all()
        assert [comparable(QuestionData.from_dict(q.data), **flags) for q in back] == [comparable(q, **flags) for q in originals]


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        (
            "evil.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><quiz>&e;</quiz>',
            422,
            "refused for safety",
        ),
        (
            "lol.xml",
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>',
            422,
            "refused for safety",
        ),
        ("broken.xml", b"<quiz><question", 422, "not well-formed XML"),
        ("huge.gift", b"x" * (MAX_IMPORT_BYTES + 1), 413, "larger than 5 MB"),
        ("binary.gift", b"\xff\xfe\x00\x01", 422, "UTF-8"),
        ("empty.gift", b"", 422, "Choose a GIFT"),
        ("bank.docx", b"::a:: b {T}", 422, "ending in .gift or .txt"),
    ],
)
def test_hostile_or_wrong_files_get_a_clean_message(signed_in, db, name, content, status, message):
    browser, _ = signed_in("trainer")
    response = upload(browser, name, content)
    assert response.status_code == status
    assert message in response.text and "Traceback" not in response.text and "root:" not in response.text
    assert 'name="payload"' not in response.text
    assert db.exec(select(Question)).all() == []


def test_unknown_target_category_is_refused(signed_in, db):
    browser, _ = signed_in("trainer")
    response = upload(browser, "a.gift", b"::A:: Sky is blue {T}", target="999999")
    assert response.status_code == 422 and "Choose the category to import into" in response.text


def test_a_large_file_survives_the_round_trip_through_the_page(signed_in, db):
    """Form fields are capped at 1 MB each, so a big preview travels in several signed pieces."""
    browser, _ = signed_in("trainer")
    questions = [f"::Q{i}:: {secrets.token_hex(350)} {{T}}" for i in range(1500)]
    content = "\n\n".join(questions).encode()
    assert 1_000_000 < len(content) < MAX_IMPORT_BYTES
    page = upload(browser, "big.gift", content).text
    payload = payload_of(page)
    assert len(payload) > 1
    assert browser.post("/author/questions/import/confirm", data={"payload": payload}).status_code == 303
    assert len(db.exec(select(Question)).all()) == 1500
