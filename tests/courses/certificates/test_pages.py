"""My certificates, the PDF download, the public verify page and the admin pages, over HTTP."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
from sqlmodel import select

from courses.certificates import routes as certificate_routes
from courses.certificates.models import Certificate
from courses.certificates.service import certificate_revoke
from lms.audit.models import AuditEvent
from lms.clock import utcnow
from tests.courses.certificates.factories import certificate_of, complete_course, make_certificate
from tests.courses.factories import make_course
from tests.lms.competences.test_skills_pages import text


def test_my_certificates_empty_then_listed_newest_first_with_status(db, signed_in, make_user):
    browser, me = signed_in()
    learning = browser.get("/learning")
    assert 'href="/learning/certificates">My certificates</a>' in learning.text
    page = text(browser.get("/learning/certificates"))
    assert "No certificates yet" in page and "complete a course" in page

    old = make_course(db, "Phishing awareness")
    new = make_course(db, "Information security")
    admin = make_user("admin")
    expired = make_certificate(db, me, old, completed_at=utcnow() - timedelta(days=400), valid_for=timedelta(days=365))
    complete_course(db, me, new)
    [_, current] = certificate_of(db, me)
    revoked = make_certificate(db, me, old, completed_at=utcnow() - timedelta(days=30))
    certificate_revoke(db, certificate=revoked, reason="Duplicate", by=admin)
    db.commit()
    make_certificate(db, make_user(), old)  # someone else's

    response = browser.get("/learning/certificates")
    assert response.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", response.text, re.S)[1:]
    assert len(rows) == 3
    assert "Information security" in rows[0] and "Valid" in rows[0] and current.code in rows[0] and "No end date" in rows[0]
    assert "Phishing awareness" in rows[1] and "Revoked" in rows[1]
    assert "Expired" in rows[2] and expired.code in rows[2]
    assert f'href="/learning/certificates/{current.id}.pdf"' in rows[0]


def test_the_download_is_the_holders_own_pdf(db, signed_in, make_user):
    browser, me = signed_in(name="Zoë Łukasiewicz")
    complete_course(db, me, make_course(db, "Handling personal data"))
    [mine] = certificate_of(db, me)
    response = browser.get(f"/learning/certificates/{mine.id}.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="certificate-{mine.code}.pdf"'
    assert "no-store" in response.headers["cache-control"]
    page_text = " ".join(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    done = mine.completed_at
    for expected in ("Zoë Lukasiewicz", "Handling personal data", f"Completed on {done.day} {done:%B %Y}", mine.code):
        assert expected in page_text, expected
    assert f"http://testserver/verify/{mine.code}" in page_text  # no BASE_URL set: the address the request came to

    other = make_user()
    complete_course(db, other, make_course(db, "Someone else's course"))
    [theirs] = certificate_of(db, other)
    assert browser.get(f"/learning/certificates/{theirs.id}.pdf").status_code == 404
    assert browser.get("/learning/certificates/999999.pdf").status_code == 404


def test_the_pdf_points_at_base_url_when_it_is_set(app, db, signed_in):
    app.state.settings.base_url = "https://lms.example.gov/"
    browser, me = signed_in()
    complete_course(db, me)
    [mine] = certificate_of(db, me)
    data = browser.get(f"/learning/certificates/{mine.id}.pdf").content
    assert f"https://lms.example.gov/verify/{mine.code}" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def _result(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store" and response.headers["x-robots-tag"] == "noindex"
    return text(response)


def test_verify_says_valid_then_expired_then_revoked(db, client, make_user, monkeypatch):
    learner, admin = make_user(name="Ada Example", email="ada@example.gov"), make_user("admin")
    course = make_course(db, "Records management")
    certificate = make_certificate(db, learner, course, valid_for=timedelta(days=365))
    url = f"/verify/{certificate.code}"

    page = _result(client, url)
    assert "Valid certificate" in page
    assert "Ada Example" in page and "Records management" in page
    assert f"Valid until {certificate.valid_until.day} {certificate.valid_until:%B %Y}" in page
    assert "ada@example.gov" not in page  # only the name, course and dates
    # Typed by hand: any case, spaces instead of dashes, through the form.
    typed = certificate.code.lower().replace("-", " ")
    assert "Valid certificate" in _result(client, f"/verify?code={typed}")

    later = certificate.valid_until + timedelta(minutes=1)
    monkeypatch.setattr(certificate_routes, "utcnow", lambda: later)
    page = _result(client, url)
    assert "Expired certificate" in page and "Ada Example" in page and "Valid certificate" not in page
    monkeypatch.undo()

    certificate_revoke(db, certificate=certificate, reason="Issued in error", by=admin)
    db.commit()
    page = _result(client, url)
    assert "Revoked certificate" in page and "Ada Example" in page and "Revoked on" in page
    assert "Issued in error" not in page  # the reason is for the audit log, not the public


def test_an_unknown_code_looks_like_any_other_code_that_is_not_there(db, client, make_user):
    certificate = make_certificate(db, make_user(), make_course(db))
    unknown = "ABCD-EFGH-JKMN-PQRS"
    assert unknown != certificate.code
    pages = [_result(client, f"/verify/{code}") for code in (unknown, "nonsense", "x" * 100)]
    for page in pages:
        assert "No valid certificate" in page and "no valid certificate with this code" in page
        assert "Name" not in page and "Course" not in page
    # The same page apart from the code it echoes (only a well-formed one is echoed).
    assert pages[0].replace(f"Code checked: {unknown} ", "") == pages[1] == pages[2]
    assert client.get("/verify/" + "x" * 101).status_code in (404, 422)


def test_the_verify_form(client):
    page = _result(client, "/verify")
    assert "Type the verification code" in page
    assert 'name="code"' in client.get("/verify").text
    assert "Type the verification code" in _result(client, "/verify?code=+")


def test_admins_find_certificates_by_code_or_email_and_page_through_them(db, signed_in, make_user):
    browser, admin = signed_in("admin")
    course = make_course(db, "Information security")
    ada, bob = make_user(email="ada@example.gov"), make_user(email="bob@example.gov")
    ada_cert = make_certificate(db, ada, course)
    for _ in range(25):
        make_certificate(db, bob, course, completed_at=utcnow() - timedelta(days=1))

    page = text(browser.get("/admin/certificates"))
    assert "Showing 1–25 of 26 certificates" in page and "Page 1 of 2" in page
    assert "Showing 26–26 of 26" in text(browser.get("/admin/certificates?page=2"))

    for q in (ada_cert.code, ada_cert.code.lower().replace("-", ""), "ADA@EXAMPLE", ada_cert.code[:7]):
        found = text(browser.get("/admin/certificates", params={"q": q}))
        assert "Showing 1–1 of 1 certificate" in found and ada_cert.code in found, q
    none = text(browser.get("/admin/certificates?q=nobody%25"))
    assert "No certificate matches" in none
    fragment = browser.get("/admin/certificates?q=bob", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "of 25 certificates" in text(fragment)


def test_admins_revoke_with_a_reason(db, signed_in, make_user):
    browser, admin = signed_in("admin")
    certificate = make_certificate(db, make_user(name="Ada Example"), make_course(db, "Phishing awareness"))
    url = f"/admin/certificates/{certificate.id}/revoke"
    assert f'href="{url}"' in browser.get("/admin/certificates").text
    confirm = text(browser.get(url))
    assert f"Revoke certificate {certificate.code}?" in confirm and "Ada Example" in confirm

    refused = browser.post(url, data={"reason": "  "})
    assert refused.status_code == 422 and "Say why the certificate is revoked" in text(refused)
    db.expire_all()
    assert db.get(Certificate, certificate.id).revoked_at is None

    done = browser.post(url, data={"reason": "Completed on someone else's account"})
    assert done.status_code == 303 and done.headers["location"] == f"/admin/certificates?q={certificate.code}"
    listed = text(browser.get(done.headers["location"]))
    assert f"Certificate {certificate.code} is revoked" in listed and "Revoked on" in listed
    assert f'href="{url}"' not in browser.get("/admin/certificates").text
    db.expire_all()
    assert db.get(Certificate, certificate.id).revoked_reason == "Completed on someone else's account"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "certificate.revoke")).one()
    assert event.actor_id == admin.id

    again = browser.post(url, data={"reason": "Twice"})
    assert again.status_code == 422 and "already been revoked" in text(again)
    assert "was revoked on" in text(browser.get(url))
    assert browser.get("/admin/certificates/999999/revoke").status_code == 404
    assert browser.post("/admin/certificates/999999/revoke", data={"reason": "x"}).status_code == 404
