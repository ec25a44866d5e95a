"""Through the pages: a Moodle XML file's images stored with their questions, shown, served to the right
people only, and written back out (tests/assessments/fixtures/moodle/media.xml)."""

import re
from pathlib import Path

from sqlmodel import select

from assessments.models import Question, QuestionCategory, QuestionFile
from assessments.questions import QuestionData
from courses.markdown import markdown_to_html
from tests.assessments.factories import make_quiz, start
from tests.assessments.interchange.test_bank_round_trip import import_file, tree

FIXTURES = Path(__file__).parent.parent / "fixtures" / "moodle"
MEDIA = (FIXTURES / "media.xml").read_bytes()


def padlock(db) -> Question:
    db.expire_all()
    return db.exec(select(Question).where(Question.name == "Padlock").order_by(Question.id.desc())).first()


def files_of(db, question: Question) -> dict[str, QuestionFile]:
    return {f.filename: f for f in db.exec(select(QuestionFile).where(QuestionFile.question_id == question.id)).all()}


def url(f: QuestionFile) -> str:
    return f"/questions/{f.question_id}/files/{f.id}"


def test_an_import_stores_the_images_and_the_bank_preview_shows_them_with_their_alt_text(signed_in, db, settings):
    browser, _ = signed_in("trainer")
    page = import_file(browser, "media.xml", MEDIA)
    # The report names each image that could not come, and why, per question.
    assert "The image missing.png was left out (the Moodle file embeds no file of that name)" in page
    assert "The image logo.svg was left out (SVG images can carry script" in page
    assert "The image line.png has no alt text" in page
    assert "Carries 3 images: line.png, padlock icon.png, tick.gif." in page and "Carries 1 image: cable.png." in page
    assert "What does this sign mean? [A closed padlock]" in page  # the text's start, its image as its alt text

    question = padlock(db)
    files = files_of(db, question)
    assert sorted(files) == ["line.png", "padlock icon.png", "tick.gif"]
    stored = settings.attachments_path / files["padlock icon.png"].storage_key
    assert stored.read_bytes().startswith(b"\x89PNG") and files["tick.gif"].content_type == "image/gif"
    data = QuestionData.from_dict(question.data)
    assert data.stem_markdown == f"What does this sign mean?\n\n![A closed padlock]({url(files['padlock icon.png'])})"

    preview = browser.get(f"/author/questions/{question.id}/preview").text
    assert f'<img src="{url(files["padlock icon.png"])}" alt="A closed padlock">' in preview
    assert f'<img src="{url(files["tick.gif"])}" alt="A green tick">' in preview

    got = browser.get(url(files["padlock icon.png"]))
    assert got.status_code == 200 and got.content == stored.read_bytes()
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"] == "inline; filename=\"padlock icon.png\"; filename*=UTF-8''padlock%20icon.png"
    assert got.headers["cache-control"] == "private, max-age=300"


def test_learners_see_the_images_in_their_attempt_and_review_and_nobody_else_gets_them(signed_in, db, settings):
    browser, _ = signed_in("trainer")
    import_file(browser, "media.xml", MEDIA)
    question = padlock(db)
    image = url(files_of(db, question)["padlock icon.png"])
    quiz = make_quiz(db, questions=[question], review_policy="after_submit")

    outsider, _ = signed_in()  # signed in before anyone has an attempt with the question
    assert outsider.get(image).status_code == 404

    learner, _ = signed_in()
    attempt = start(learner, quiz)
    page = learner.get(f"/attempts/{attempt}").text
    assert f'<img src="{image}" alt="A closed padlock">' in page
    assert learner.get(image).status_code == 200
    assert learner.post(f"/attempts/{attempt}/submit").status_code == 303
    review = learner.get(f"/attempts/{attempt}/result").text
    assert f'<img src="{image}" alt="A closed padlock">' in review
    assert learner.get(image).status_code == 200  # still theirs to review

    # The file's id under another question, or a file that does not exist, is a 404 too.
    other = db.exec(select(Question).where(Question.name == "Old picture")).one()
    assert learner.get(image.replace(f"/questions/{question.id}/", f"/questions/{other.id}/")).status_code == 404
    assert learner.get(f"/questions/{question.id}/files/999999").status_code == 404

    another, _ = signed_in()
    assert another.get(image).status_code == 404


def test_a_question_shows_only_its_own_files():
    text = "![A](/questions/7/files/3)"
    assert '<img src="/questions/7/files/3" alt="A">' in markdown_to_html(text, question_id=7)
    assert "src" not in markdown_to_html(text, question_id=8)
    assert "src" not in markdown_to_html(text)  # a lesson cannot borrow a question's file


def test_moodle_xml_export_carries_the_files_back_identical_and_gift_refuses_them(signed_in, db, settings):
    browser, _ = signed_in("trainer")
    import_file(browser, "media.xml", MEDIA)
    media = db.exec(select(QuestionCategory).where(QuestionCategory.name == "Media")).one()
    before = tree(db, media, settings=settings)

    xml = browser.get(f"/author/questions/categories/{media.id}/export.xml")
    assert xml.status_code == 200
    assert '<file name="padlock icon.png" path="/" encoding="base64">' in xml.text
    assert "![A closed padlock](@@PLUGINFILE@@/padlock%20icon.png)" in xml.text
    assert "/questions/" not in xml.text  # no address of this site leaks into the file

    media.name = "Before"
    db.add(media)
    db.commit()
    import_file(browser, "media-again.xml", xml.content)
    again = db.exec(select(QuestionCategory).where(QuestionCategory.name == "Media")).one()
    assert tree(db, again, settings=settings) == before  # texts, alt text, file names, types and bytes

    refused = browser.get(f"/author/questions/categories/{again.id}/export.gift")
    assert refused.status_code == 422
    assert "Padlock" in refused.text and "Old picture" in refused.text and "GIFT cannot carry files" in refused.text
    assert "Refused files" not in refused.text  # it lost its images on the way in, so GIFT can carry it


def test_a_duplicate_has_its_own_copies_of_the_files(signed_in, db, settings):
    browser, _ = signed_in("trainer")
    import_file(browser, "media.xml", MEDIA)
    original = padlock(db)
    response = browser.post(f"/author/questions/{original.id}/duplicate")
    assert response.status_code == 303
    copy = db.exec(select(Question).where(Question.name == "Padlock (copy)")).one()
    mine, theirs = files_of(db, copy), files_of(db, original)
    assert sorted(mine) == sorted(theirs) and {f.id for f in mine.values()}.isdisjoint(f.id for f in theirs.values())
    stem = QuestionData.from_dict(copy.data).stem_markdown
    assert url(mine["padlock icon.png"]) in stem and f"/questions/{original.id}/" not in stem
    preview = browser.get(f"/author/questions/{copy.id}/preview").text
    assert re.search(rf'<img src="/questions/{copy.id}/files/\d+" alt="A closed padlock">', preview)
    assert browser.get(url(mine["padlock icon.png"])).content == browser.get(url(theirs["padlock icon.png"])).content


def test_a_file_gone_from_the_store_is_a_404_and_is_left_out_of_exports_and_copies(signed_in, db, settings):
    browser, _ = signed_in("trainer")
    import_file(browser, "media.xml", MEDIA)
    question = padlock(db)
    lost = files_of(db, question)["tick.gif"]
    (settings.attachments_path / lost.storage_key).unlink()
    missing = browser.get(url(lost))
    assert missing.status_code == 404 and "This file is missing. Tell a trainer." in missing.text

    xml = browser.get("/author/questions/export.xml").text
    assert '<file name="padlock icon.png"' in xml and '<file name="tick.gif"' not in xml
    assert browser.post(f"/author/questions/{question.id}/duplicate").status_code == 303
    copy = db.exec(select(Question).where(Question.name == "Padlock (copy)")).one()
    assert sorted(files_of(db, copy)) == ["line.png", "padlock icon.png"]
