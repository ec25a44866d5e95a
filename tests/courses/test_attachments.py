"""Course files: type checked from content, size limit, stored outside the web root, served safely
and only to people who may see the course."""

from __future__ import annotations

from sqlmodel import select

from courses.files.service import storage_dir
from courses.models import Attachment, Enrolment
from tests.courses.factories import make_course

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"\x00" * 32
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def upload(browser, course_id, name, data, mime="application/octet-stream"):
    return browser.post(f"/author/courses/{course_id}/attachments", files={"file": (name, data, mime)})


def test_upload_stores_outside_the_web_root_and_serves_with_safe_headers(app, signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer])
    response = upload(browser, course.id, "Phishing chart ü.png", PNG, "image/png")
    assert response.status_code == 303
    attachment = db.exec(select(Attachment)).one()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    stored = storage_dir(app.state.settings) / attachment.storage_key
    assert stored.read_bytes() == PNG and "static" not in stored.parts
    assert attachment.storage_key not in attachment.filename

    page = browser.get(f"/author/courses/{course.id}").text
    assert f"![Phishing chart ü](/courses/{course.id}/files/{attachment.id})" in page
    served = browser.get(f"/courses/{course.id}/files/{attachment.id}")
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"] == (
        "inline; filename=\"Phishing chart u.png\"; filename*=UTF-8''Phishing%20chart%20%C3%BC.png"
    )

    assert upload(browser, course.id, "guide.pdf", PDF).status_code == 303
    pdf = db.exec(select(Attachment).where(Attachment.filename == "guide.pdf")).one()
    served = browser.get(f"/courses/{course.id}/files/{pdf.id}")
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith('attachment; filename="guide.pdf"')


def test_type_is_checked_from_content_not_name(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer])
    spoofed = upload(browser, course.id, "innocent.png", HTML, "image/png")
    assert spoofed.status_code == 422 and "This type of file is not accepted" in spoofed.text
    renamed = upload(browser, course.id, "chart.pdf", PNG, "application/pdf")
    assert renamed.status_code == 422 and "does not match its content" in renamed.text
    empty = browser.post(f"/author/courses/{course.id}/attachments", data={})
    assert empty.status_code == 422 and "Choose a file to upload." in empty.text
    assert db.exec(select(Attachment)).first() is None


def test_files_over_the_size_limit_are_refused(app, signed_in, db):
    app.state.settings.attachment_max_mb = 1
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer])
    response = upload(browser, course.id, "big.png", PNG + b"\x00" * (1024 * 1024))
    assert response.status_code == 413 and "larger than 1 MB" in response.text
    assert db.exec(select(Attachment)).first() is None
    assert upload(browser, course.id, "small.png", PNG).status_code == 303


def test_only_people_who_may_see_the_course_get_its_files(app, signed_in, db, make_user, client):
    trainer = make_user("trainer")
    draft = make_course(db, title="Draft course", editors=[trainer], status="draft")
    published = make_course(db, title="Published course", editors=[trainer])
    archived = make_course(db, title="Old course", editors=[trainer], status="archived")
    from courses.files.service import attachment_store

    files = {
        c.id: attachment_store(db, settings=app.state.settings, course=c, by=trainer, filename="a.png", data=PNG)
        for c in (draft, published, archived)
    }
    learner = make_user()
    db.add(Enrolment(course_id=archived.id, user_id=learner.id))
    db.commit()

    def url(course):
        return f"/courses/{course.id}/files/{files[course.id].id}"

    assert client.get(url(published)).status_code == 303  # anonymous: sign in first
    browser, other_learner = signed_in()
    assert browser.get(url(published)).status_code == 200
    assert browser.get(url(draft)).status_code == 404
    assert browser.get(url(archived)).status_code == 404
    # The right file id under another course's URL is not found either.
    assert browser.get(f"/courses/{published.id}/files/{files[draft.id].id}").status_code == 404
    client.cookies.clear()
    from tests.conftest import Browser, sign_in

    sign_in(client, learner.email)
    assert Browser(client).get(url(archived)).status_code == 200  # enrolled before it was archived


def test_deleting_a_file_removes_it(app, signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer])
    upload(browser, course.id, "a.png", PNG)
    attachment = db.exec(select(Attachment)).one()
    path, file_id = storage_dir(app.state.settings) / attachment.storage_key, attachment.id
    assert browser.post(f"/author/courses/{course.id}/attachments/{file_id}/delete").status_code == 303
    assert not path.exists()
    db.expire_all()
    assert db.get(Attachment, file_id) is None
    assert browser.get(f"/courses/{course.id}/files/{file_id}").status_code == 404
