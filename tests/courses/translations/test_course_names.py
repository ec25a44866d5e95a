"""A course is named in the reader's language wherever it is named to them: My learning, the home
panels, certificates (page and PDF) and e-mails (rendered for their recipient); the original,
marked with its lang, where there is no version in theirs. Both engines, through HTTP and SMTP."""

from __future__ import annotations

import io
import re

import pypdf
from fastapi.testclient import TestClient
from markupsafe import Markup
from sqlmodel import select

from courses.catalogue.recommend import suggestions
from courses.models import CourseTranslation, Enrolment
from courses.requirements.sweep import requirement_sweep
from lms.notifications.models import Outbox
from lms.clock import utcnow
from lms.notifications.drain import outbox_drain
from lms.notifications.rendering import render_mail
from lms.i18n import speaking
from courses.translations.resolve import CourseName
from tests.conftest import sign_in
from tests.courses.certificates.factories import complete_course
from tests.courses.requirements.test_cycles import make_requirement
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import competence, load_digcomp
from tests.support.queries import counting

FRENCH = {"Accept-Language": "fr"}
TRANSLATED = "Repérer l’hameçonnage"


def in_french(db, course, title: str = TRANSLATED) -> None:
    db.add(CourseTranslation(course_id=course.id, language="fr", title=title, summary=""))
    db.commit()


def links(html: str, course_id: int) -> list[str]:
    """Each link to the course as (attributes, text), for checking its name and lang."""
    return re.findall(rf'<a href="/courses/{course_id}"([^>]*)>(.*?)</a>', html, re.S)


def test_my_learning_and_the_learners_home_name_courses_in_french(db, signed_in):
    translated = make_course(db, "Spotting phishing", modules=(("One", "Two"),))
    untranslated = make_course(db, "Data basics")
    in_french(db, translated)
    browser, learner = signed_in()
    browser.client.headers.update(FRENCH)
    for course in (translated, untranslated):
        assert browser.post(f"/courses/{course.id}/enrol").status_code == 303
    complete_lesson = lessons_of(db, translated)[0]
    assert browser.post(f"/courses/{translated.id}/lessons/{complete_lesson.id}/complete").status_code in (200, 303)

    page = browser.get("/learning").text
    assert ("", TRANSLATED) in links(page, translated.id) and "Spotting phishing" not in page
    assert (' lang="en"', "Data basics") in links(page, untranslated.id)

    # "Due next" offers to continue it and "In progress" lists it, both in French.
    home = browser.get("/").text
    assert home.count(TRANSLATED) >= 2 and "Spotting phishing" not in home


def test_my_learning_sends_as_many_statements_for_three_translated_courses_as_for_one(app, db, make_user):
    counts = []
    for n in (1, 3):
        learner = make_user()
        for i in range(n):
            course = make_course(db, f"Course {n}-{i}")
            in_french(db, course, f"Formation {n}-{i}")
            db.add(Enrolment(user_id=learner.id, course_id=course.id, source="self"))
        db.commit()
        with TestClient(app, follow_redirects=False, headers=FRENCH) as client:
            assert sign_in(client, learner.email).status_code == 303
            client.get("/learning")
            with counting(app.state.engine) as statements:
                page = client.get("/learning")
            assert page.status_code == 200 and f"Formation {n}-0" in page.text
            counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_trainers_home_panel_names_their_courses_in_their_language(db, signed_in):
    browser, trainer = signed_in("trainer", language="fr")
    course = make_course(db, "Spotting phishing", editors=[trainer])
    in_french(db, course)
    home = browser.get("/").text
    assert f'<a href="/author/courses/{course.id}">{TRANSLATED}</a>' in home.replace("&#39;", "’")


def test_certificates_page_and_pdf_name_the_course_in_french(db, signed_in):
    browser, learner = signed_in(language="fr")
    course = make_course(db, "Spotting phishing")
    other = make_course(db, "Data basics")
    in_french(db, course)
    complete_course(db, learner, course)
    complete_course(db, learner, other)
    page = browser.get("/learning/certificates").text
    assert f'<th scope="row">{TRANSLATED}</th>' in page and '<th scope="row" lang="en">Data basics</th>' in page
    certificate_id = re.findall(r"/learning/certificates/(\d+)\.pdf", page)
    texts = []
    for cid in certificate_id:
        pdf = browser.get(f"/learning/certificates/{cid}.pdf")
        assert pdf.status_code == 200
        texts.append(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages))
    joined = " ".join(texts)
    assert "Repérer" in joined and "Spotting phishing" not in joined


def test_the_certificate_mail_names_the_course_in_its_recipients_language(db, make_user, mail_settings, smtp_server):
    course = make_course(db, "Spotting phishing")
    in_french(db, course)
    lea = make_user(name="Léa Lefèvre", email="lea@example.org", language="fr")
    sam = make_user(name="Sam Smith", email="sam@example.org", language="en")
    complete_course(db, lea, course)
    complete_course(db, sam, course)
    assert outbox_drain(db, settings=mail_settings, now=utcnow()).sent == 2
    mail = {msg["To"].addresses[0].addr_spec: msg for msg in smtp_server.collector.messages}
    french, english = mail["lea@example.org"], mail["sam@example.org"]
    assert TRANSLATED in french["Subject"] and "Spotting phishing" not in french["Subject"]
    assert TRANSLATED in french.get_body(("plain",)).get_content()
    assert TRANSLATED in french.get_body(("html",)).get_content()
    assert "Spotting phishing" in english["Subject"] and TRANSLATED not in english.get_body(("plain",)).get_content()


def test_a_mail_marks_a_course_title_it_shows_in_another_language(settings, make_user):
    name = CourseName("Data basics", "en")
    context = {
        "course_title": name,
        "code": "ABCD",
        "completed_at": utcnow(),
        "valid_until": None,
        "verify_path": "/verify/ABCD",
        "org": settings,
        "org_name": "Org",
        "base_url": "http://x",
        "link": "http://x/learning",
        "kind_label": "Certificates",
        "preferences_url": "http://x/account",
        "unsubscribe_url": "http://x/unsubscribe/t",
        "user": make_user(name="Léa"),
        "subject": "Certificat",
    }
    with speaking("fr"):
        text, html = render_mail("certificate_ready", context)
    assert '<span lang="en">Data basics</span>' in html and "Data basics" in text and "<span" not in text


def test_course_suggestions_for_a_gap_are_named_in_the_readers_language(db):
    load_digcomp(db)
    translated = make_course(db, "Privacy at work", develops={"4.2": 5})
    make_course(db, "Privacy by design", develops={"4.2": 6})
    in_french(db, translated, "La vie privée au travail")
    privacy = competence(db, "4.2").id
    with speaking("fr"):
        found = suggestions(db, [(privacy, 4)])[privacy]
        shown = {str(s.title): Markup.escape(s.title) for s in found}
    assert shown == {
        "La vie privée au travail": Markup("La vie privée au travail"),
        "Privacy by design": Markup('<span lang="en">Privacy by design</span>'),
    }
    with speaking("en"):
        assert [str(s.title) for s in suggestions(db, [(privacy, 4)])[privacy]] == ["Privacy at work", "Privacy by design"]


def test_the_sweeps_messages_name_the_course_in_each_recipients_language(db, settings, make_user):
    course = make_course(db, "Spotting phishing")
    in_french(db, course)
    lea = make_user(name="Léa Lefèvre", language="fr")
    sam = make_user(name="Sam Smith", language="en")
    make_requirement(db, [course], everyone=True, name="Phishing")
    requirement_sweep(db, now=utcnow(), settings=settings)
    db.commit()
    bodies = {
        row.user_id: (row.body_text, row.body_html)
        for row in db.exec(select(Outbox).where(Outbox.kind == "assigned", Outbox.user_id.in_([lea.id, sam.id])))
    }
    assert TRANSLATED in bodies[lea.id][0] and TRANSLATED in bodies[lea.id][1] and "Spotting phishing" not in bodies[lea.id][0]
    assert "Spotting phishing" in bodies[sam.id][0] and TRANSLATED not in bodies[sam.id][1]
