"""A certificate says which competences its course develops, named in its reader's language: the PDF
in its holder's, the public check in its visitor's; the original where the framework has no version."""

from __future__ import annotations

import io
import re

import pypdf
from sqlmodel import delete, select

from courses.certificates.models import Certificate

from lms.competences.models import CompetenceTranslation
from tests.courses.certificates.factories import complete_course
from tests.courses.factories import make_course
from tests.lms.competences.factories import competence, load_digcomp

FRENCH_1_1 = "Naviguer, rechercher et filtrer des données"
ENGLISH_4_1 = "Protecting devices"


def _pdf_text(browser, certificate_id: str) -> str:
    pdf = browser.get(f"/learning/certificates/{certificate_id}.pdf")
    assert pdf.status_code == 200
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split())


def test_the_pdf_and_the_check_name_the_competences_in_french(db, signed_in, client):
    load_digcomp(db)
    db.exec(delete(CompetenceTranslation).where(CompetenceTranslation.competence_id == competence(db, "4.1").id))
    db.commit()
    browser, learner = signed_in(language="fr")
    course = make_course(db, "Spotting phishing", develops={"1.1": 3, "4.1": 2})
    complete_course(db, learner, course)
    page = browser.get("/learning/certificates").text
    (certificate_id,) = re.findall(r"/learning/certificates/(\d+)\.pdf", page)

    text = _pdf_text(browser, certificate_id)
    assert FRENCH_1_1 in text and "Browsing" not in text
    assert ENGLISH_4_1 in text  # no French version: as written

    code = db.exec(select(Certificate.code).where(Certificate.user_id == learner.id)).one()
    client.cookies.clear()  # the public check, by someone not signed in
    french = client.get(f"/verify/{code}", headers={"Accept-Language": "fr"}).text
    assert FRENCH_1_1 in french and "Browsing" not in french
    english = client.get(f"/verify/{code}", headers={"Accept-Language": "en"}).text
    assert "Browsing, searching and filtering data" in english and FRENCH_1_1 not in english


def test_a_course_that_develops_nothing_prints_no_competence_line(db, signed_in):
    browser, learner = signed_in(language="fr")
    complete_course(db, learner, make_course(db, "Data basics"))
    (certificate_id,) = re.findall(r"/learning/certificates/(\d+)\.pdf", browser.get("/learning/certificates").text)
    assert "Develops" not in _pdf_text(browser, certificate_id)
