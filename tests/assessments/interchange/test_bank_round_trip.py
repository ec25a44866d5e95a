"""Through the pages: a Moodle file into the bank as a tree, the report, and Proficio -> file -> Proficio."""

import hashlib
import html as html_lib
import re
from pathlib import Path

import pytest
from sqlmodel import select

from assessments.bank.exchange import category_paths
from assessments.bank.forms import fraction_options
from assessments.bank.service import BankError, category_rename, question_archive, question_create
from assessments.interchange.media import map_texts
from assessments.models import Question, QuestionCategory, QuestionFile
from assessments.questions import QuestionData
from lms.competences.framework_service import digcomp_load
from lms.competences.models import Competence
from tests.assessments.factories import make_category

FIXTURES = Path(__file__).parent.parent / "fixtures" / "moodle"


def upload(browser, name: str, content: bytes, target: str = "file"):
    return browser.post(
        "/author/questions/import", data={"target": target}, files={"file": (name, content, "application/octet-stream")}
    )


def import_file(browser, name: str, content: bytes) -> str:
    page = upload(browser, name, content).text
    payload = [html_lib.unescape(v) for v in re.findall(r'name="payload" value="([^"]+)"', page)]
    assert browser.post("/author/questions/import/confirm", data={"payload": payload}).status_code == 303
    return page


def _files_by_name(db, question: Question, settings):
    """Each file's address in the question's texts -> what it is (name, type and, with settings, bytes)."""
    out = {}
    for f in db.exec(select(QuestionFile).where(QuestionFile.question_id == question.id)).all():
        data = (settings.attachments_path / f.storage_key).read_bytes() if settings is not None else b""
        out[f"/questions/{question.id}/files/{f.id}"] = f"file:{f.filename}:{f.content_type}:{hashlib.sha256(data).hexdigest()}"
    return out


def tree(db, top: QuestionCategory, *, gift: bool = False, settings=None) -> dict:
    """Everything below ``top`` by path under it: category id number and description, and its questions.

    A question's files are compared by what they are, not by their addresses (which differ per copy).
    """
    db.expire_all()
    paths = category_paths(db)
    out = {}
    for category in db.exec(select(QuestionCategory)).all():
        path = paths[category.id]
        if path[0] != top.name or len(path) > 1 and paths[category.parent_id][0] != top.name:
            continue
        questions = db.exec(
            select(Question).where(Question.category_id == category.id, Question.archived.is_(False)).order_by(Question.id)
        ).all()
        rows = []
        for q in questions:
            files = _files_by_name(db, q, settings)
            data = map_texts(
                q.data, lambda text, files=files: re.sub(r"/questions/\d+/files/\d+", lambda m: files.get(m[0], m[0]), text)
            )
            if gift:  # GIFT has no place for these (docs/question-interchange.md)
                for key in ("hints", "penalty", "correct_feedback", "partial_feedback", "incorrect_feedback"):
                    data.pop(key)
            rows.append((data, q.competence_id, q.level))
        out[path[1:]] = (category.idnumber, category.description, rows)
    return out


@pytest.fixture
def digcomp(db):
    digcomp_load(db)
    db.commit()


def test_a_moodle_xml_file_arrives_as_a_tree_with_tags_and_a_report(signed_in, db, digcomp):
    browser, _ = signed_in("trainer")
    page = import_file(browser, "moodle.xml", (FIXTURES / "every_kind.xml").read_bytes())
    # The report, per question: imported as it is, imported with changes and why, left out and why.
    assert "Imported as it is" in page and "Imported with changes" in page
    assert "The image at https://example.org/wifi.png was left out" in page and "2 hints and the penalty per try" in page
    assert "Reflection" in page and "Essay questions are not supported." in page
    assert "Default for Digital skills / Safety / Old/new (new category)" in page

    paths = {path: cid for cid, path in category_paths(db).items()}
    assert set(paths) == {
        ("Default for Digital skills",),
        ("Default for Digital skills", "Safety"),
        ("Default for Digital skills", "Safety", "Old/new"),
    }
    top = db.get(QuestionCategory, paths[("Default for Digital skills",)])
    safety = db.get(QuestionCategory, paths[("Default for Digital skills", "Safety")])
    assert (top.idnumber, top.description, top.parent_id) == ("digital", "Everything for the **digital skills** course.", None)
    assert (safety.idnumber, safety.description, safety.parent_id) == ("safety", "Staying safe online.", top.id)

    phish = db.exec(select(Question).where(Question.name == "Phishing signs")).one()
    competence = db.exec(select(Competence).where(Competence.code == "4.1")).one()
    assert (phish.competence_id, phish.level, phish.category_id) == (competence.id, 3, safety.id)
    data = QuestionData.from_dict(phish.data)
    assert (
        data.tags == ("phishing",) and data.idnumber == "phish-1" and data.hints == ("Think about **pressure**.", "Check the sender.")
    )


def test_unknown_competence_tags_are_reported_and_the_question_imported_untagged(signed_in, db):
    browser, _ = signed_in("trainer")
    gift = b"// [tag:competence:no-such-code]\n::Untagged:: Pick {=a ~b}\n"
    page = import_file(browser, "x.gift", gift)
    assert (
        "&#39;no-such-code&#39; is not in this site&#39;s frameworks" in page
        or "'no-such-code' is not in this site's frameworks" in page
    )
    q = db.exec(select(Question).where(Question.name == "Untagged")).one()
    assert q.competence_id is None and QuestionData.from_dict(q.data).tags == ()


def test_whole_bank_round_trips_through_moodle_xml_and_gift(signed_in, db, digcomp, settings):
    browser, _ = signed_in("trainer")
    import_file(browser, "moodle.xml", (FIXTURES / "every_kind.xml").read_bytes())
    import_file(browser, "moodle.gift", (FIXTURES / "every_kind.gift").read_bytes())  # merges into the same tree
    top = db.exec(select(QuestionCategory).where(QuestionCategory.parent_id.is_(None))).one()
    original = tree(db, top, settings=settings)
    assert sum(len(rows) for *_, rows in original.values()) == 13 and any(
        level == 2 for *_, rows in original.values() for *_, level in rows
    )

    xml = browser.get("/author/questions/export.xml")
    assert xml.status_code == 200 and xml.headers["content-disposition"] == 'attachment; filename="question-bank.xml"'
    category_rename(db, category=top, name="Before XML", by=None)
    db.commit()
    import_file(browser, "question-bank.xml", xml.content)
    again = db.exec(select(QuestionCategory).where(QuestionCategory.name == "Default for Digital skills")).one()
    assert tree(db, again, settings=settings) == original

    # GIFT would make "Both factors" partial credit and cannot carry "Phishing signs"'s image: the
    # export refuses, says why, and offers XML.
    refused = browser.get(f"/author/questions/categories/{again.id}/export.gift")
    assert refused.status_code == 422 and "Both factors" in refused.text and "all-or-nothing" in refused.text
    assert "Phishing signs" in refused.text and "GIFT cannot carry files" in refused.text
    assert f'href="/author/questions/categories/{again.id}/export.xml"' in refused.text
    assert browser.get("/author/questions/export.gift").status_code == 422
    for q in db.exec(select(Question).where(Question.name.in_(["Both factors", "Phishing signs"]))).all():
        question_archive(db, question=q, by=None)
    db.commit()
    before_gift = tree(db, again, gift=True)
    gift = browser.get(f"/author/questions/categories/{again.id}/export.gift")
    assert gift.status_code == 200 and "// [id:safety]" in gift.text and "[tag:competence:4.1]" in gift.text
    category_rename(db, category=again, name="Before GIFT", by=None)
    db.commit()
    import_file(browser, "bank.gift", gift.content)
    back = db.exec(select(QuestionCategory).where(QuestionCategory.name == "Default for Digital skills")).one()
    assert tree(db, back, gift=True) == before_gift


def test_grades_outside_moodles_list_are_refused_on_entry(db):
    category = make_category(db)
    odd = QuestionData(
        "single_choice", "Odd", "Pick", choices=[{"id": "a", "text": "A", "fraction": 1.0}, {"id": "b", "text": "B", "fraction": 0.35}]
    )
    with pytest.raises(BankError, match="Moodle's list"):
        question_create(db, category=category, data=odd, by=None)
    short = QuestionData(
        "multiple_choice",
        "Sum",
        "Pick",
        choices=[{"id": "a", "text": "A", "fraction": 0.5}, {"id": "b", "text": "B", "fraction": 0.3}],
    )
    with pytest.raises(BankError, match="exactly 100%"):
        question_create(db, category=category, data=short, by=None)
    # The editor offers exactly Moodle's grades (and their negatives).
    labels = [label for _, label, _selected in fraction_options("0")]
    assert labels[:4] == ["100%", "90%", "83.33333%", "80%"] and "−100%" in labels


def test_categories_nest_and_names_repeat_only_under_different_parents(db):
    from assessments.bank.service import category_create

    week1, week2 = category_create(db, name="Week 1", by=None), category_create(db, name="Week 2", by=None)
    quiz1 = category_create(db, name="Quiz", by=None, parent=week1)
    quiz2 = category_create(db, name="Quiz", by=None, parent=week2)
    assert quiz1.parent_id == week1.id and quiz2.parent_id == week2.id
    with pytest.raises(BankError, match="already exists in that category"):
        category_create(db, name="quiz", by=None, parent=week1)
    assert category_paths(db)[quiz2.id] == ("Week 2", "Quiz")


def test_the_categories_page_nests_new_categories_and_offers_whole_bank_exports(signed_in, db):
    browser, _ = signed_in("trainer")
    week = make_category(db, "Week 1")
    page = browser.get("/author/questions/categories").text
    assert 'href="/author/questions/export.gift"' in page and 'href="/author/questions/export.xml"' in page
    created = browser.post("/author/questions/categories", data={"name": "Quiz", "parent": str(week.id)})
    assert created.status_code == 303
    quiz = db.exec(select(QuestionCategory).where(QuestionCategory.name == "Quiz")).one()
    assert quiz.parent_id == week.id and "Week 1 / Quiz" in browser.get("/author/questions/categories").text
    again = browser.post("/author/questions/categories", data={"name": "quiz", "parent": str(week.id)})
    assert again.status_code == 422 and "already exists in that category" in again.text
    assert browser.post("/author/questions/categories", data={"name": "Quiz"}).status_code == 303  # at the top: another parent


def test_competence_tags_that_do_not_fit_are_reported(signed_in, db, digcomp):
    browser, _ = signed_in("trainer")
    gift = (
        b"// [tag:competence:4.1] [tag:competence-framework:DigComp] [tag:competence-level:99]\n::Bad level:: Pick {=a ~b}\n\n"
        b"// [tag:competence-level:2]\n::No code:: Pick {=a ~b}\n\n"
        b"// [tag:competence:4.1] [tag:competence-framework:Elsewhere]\n::Other framework:: Pick {=a ~b}\n"
    )
    page = import_file(browser, "tags.gift", gift)
    assert "is not a level here" in page and "without a competence code" in page and "is not in this site" in page
    saved = {q.name: (q.competence_id, q.level) for q in db.exec(select(Question)).all()}
    competence = db.exec(select(Competence).where(Competence.code == "4.1")).one()
    assert saved == {"Bad level": (competence.id, None), "No code": (None, None), "Other framework": (None, None)}


def test_gift_points_and_penalty_are_checked():
    from assessments.interchange.gift import parse_gift
    from assessments.questions import question_problems

    result = parse_gift("// [points:lots]\n::P:: Pick {=a ~b}\n\n// [points:2.5]\n::Q:: Pick {=a ~b}\n")
    assert [(p.where, p.title) for p in result.problems] == [(2, "P")] and "not a number" in result.problems[0].reason
    assert result.questions[0].points == 2.5
    assert question_problems(QuestionData("true_false", "T", "S", penalty=1.5)) != []
    bad = QuestionData(
        "single_choice", "T", "S", penalty=1.5, choices=[{"id": "a", "text": "A", "fraction": 1}, {"id": "b", "text": "B"}]
    )
    assert question_problems(bad) == ["The penalty per try must be between 0% and 100%."]
