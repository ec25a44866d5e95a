"""Mail is written in the language of the person it goes to (their setting, else DEFAULT_LANGUAGE),
never in that of whoever caused it: sent through a real SMTP server and read as the person reads it."""

from __future__ import annotations

import threading
from datetime import timedelta

from babel.dates import format_date

from lms import i18n
from lms.clock import utcnow
from lms.i18n import lazy_date, lazy_gettext
from lms.notifications.drain import outbox_drain
from lms.notifications.rendering import render_mail
from lms.notifications.service import notify
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.courses.factories import make_course

DAY = timedelta(days=1)


def _bodies(msg):
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_an_english_managers_reminder_reaches_a_french_learner_in_french(db, signed_in, make_user, mail_settings, smtp_server):
    browser, manager = signed_in("manager", name="Morgan Manager", language="en")
    course = make_course(db, "Data protection basics")
    requirement = make_requirement(db, "Data protection", courses=[course])
    lea = make_user(name="Léa Lefèvre", email="lea@example.org", language="fr", manager_id=manager.id)
    sam = make_user(name="Sam Smith", email="sam@example.org", manager_id=manager.id)  # no setting: DEFAULT_LANGUAGE (en)
    now = utcnow()
    due = now - 2 * DAY
    for person in (lea, sam):
        make_cycle(db, requirement, person, opened_at=now - 40 * DAY, due_at=due)
        response = browser.post(f"/team/compliance/{person.id}/{requirement.id}/reminder")
        assert response.status_code == 303
    # The manager's own page stays English.
    assert f"Reminder sent to {sam.name}" in browser.get(f"/team/compliance/{sam.id}/{requirement.id}").text

    assert outbox_drain(db, settings=mail_settings, now=utcnow()).sent == 2
    mail = {msg["To"].addresses[0].addr_spec: msg for msg in smtp_server.collector.messages}

    french = mail["lea@example.org"]
    day_fr = format_date(due, "long", locale="fr")
    assert french["Subject"] == f"Rappel : Data protection était à faire pour le {day_fr}"
    text, html = _bodies(french)
    assert text.startswith("Bonjour Léa Lefèvre,")
    assert "Morgan Manager nous a demandé de vous rappeler que votre formation obligatoire Data protection" in text
    assert f"était à faire pour le {day_fr} et n’est pas encore terminée." in text
    assert "Vous recevez ce message parce que vous avez un compte chez" in text and "Se désabonner :" in text
    assert '<html lang="fr">' in html and "Choisissez comment vous recevez ces messages" in html
    assert "Hello" not in text and "Reminder" not in french["Subject"]

    english = mail["sam@example.org"]
    assert english["Subject"] == f"Reminder: Data protection was due on {format_date(due, 'long', locale='en_GB')}"
    text, html = _bodies(english)
    assert text.startswith("Hello Sam Smith,") and '<html lang="en-GB">' in html


def test_without_a_setting_mail_follows_the_organisations_default_language(db, settings, make_user):
    person = make_user(name="Noé Noël")
    french_default = settings.model_copy(update={"default_language": "fr"})
    row = notify(
        db,
        user=person,
        kind="certificate_ready",
        object_ref="certificate:1",
        period="ABC",
        subject=lazy_gettext("Your certificate for “%(course)s”", course="Sécurité"),
        template="certificate_ready",
        context={
            "course_title": "Sécurité",
            "code": "ABC-123",
            "completed_at": utcnow(),
            "valid_until": None,
            "verify_path": "/verify/ABC-123",
        },
        link="/learning/certificates",
        settings=french_default,
    )
    db.commit()
    assert row is not None and row.subject == "Votre certificat pour « Sécurité »"
    assert "Vous avez terminé « Sécurité » et votre certificat est prêt" in row.body_text
    assert f"Terminé le : {format_date(utcnow(), 'long', locale='fr')}" in row.body_text
    # The person's own setting wins over the default.
    person.language = "en"
    db.add(person)
    db.commit()
    again = notify(
        db,
        user=person,
        kind="certificate_ready",
        object_ref="certificate:2",
        period="DEF",
        subject=lazy_gettext("Your certificate for “%(course)s”", course="Safety"),
        template="certificate_ready",
        context={"course_title": "Safety", "code": "DEF-456", "completed_at": utcnow(), "valid_until": None, "verify_path": "/v"},
        link="/learning/certificates",
        settings=french_default,
    )
    assert again is not None and again.subject == "Your certificate for “Safety”" and "Hello Noé Noël," in again.body_text


def test_writing_to_someone_leaves_the_callers_language_alone_and_other_threads_unaffected(settings):
    i18n.begin("en")
    seen: dict[str, str] = {}
    subject = lazy_gettext("Reminder: %(requirement)s is due on %(due)s", requirement="Fire safety", due=lazy_date(utcnow()))
    ready = threading.Barrier(2)

    def write(language: str) -> None:
        with i18n.speaking(language):
            ready.wait(timeout=10)  # both threads inside their language at once
            seen[language] = str(subject)

    threads = [threading.Thread(target=write, args=(code,)) for code in ("fr", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["fr"].startswith("Rappel : Fire safety est à faire pour le") and seen["en"].startswith("Reminder: Fire safety")
    with i18n.speaking("fr"):
        assert i18n.current_language() == "fr"
    assert i18n.current_language() == "en" and str(subject).startswith("Reminder:")


def test_every_mail_template_renders_in_french(settings, make_user):
    """Each template with its values, in French: no English sentence left, no placeholder unfilled."""
    person = make_user(name="Léa")
    now = utcnow()

    class Requirement:
        name = "Incendie"

    common = {"user": person, "subject": "s", "org": settings, "org_name": "Org", "base_url": "https://x", "link": "https://x/l"}
    common |= {"kind_label": "k", "preferences_url": "https://x/p", "unsubscribe_url": "https://x/u"}
    values = {
        "certificate_ready": {"course_title": "C", "code": "X", "completed_at": now, "valid_until": now, "verify_path": "/v"},
        "data_export_ready": {"own": True, "expires_at": now},
        "digest": {"items": [{"subject": "S", "url": "https://x/1", "label": "L"}]},
        "invitation": {"expires_at": now},
        "message": {"text": "Texte"},
        "requirement_assigned": {"requirement": Requirement, "course_title": "C", "due": "1 mars"},
        "requirement_due_soon": {"requirement": Requirement, "course_title": "C", "due": "1 mars", "days": 3},
        "requirement_escalation": {"requirement": Requirement, "person": person, "due": "1 mars", "overdue_days": 9, "level": 1},
        "requirement_expiring": {"requirement": Requirement, "course_title": "", "valid_until": "1 mars"},
        "requirement_overdue": {"requirement": Requirement, "course_title": "C", "due": "1 mars", "weekly": True},
    }
    with i18n.speaking("fr"):
        for template, extra in values.items():
            text, html = render_mail(template, {**common, **extra})
            assert text.startswith("Bonjour Léa,"), template
            for english in ("Hello", "You ", "Your ", "Open in", "Unsubscribe", "%("):
                assert english not in text and english not in html, (template, english)


def test_a_fraction_takes_the_plural_and_a_whole_float_its_own_form():
    i18n.begin("fr")
    try:
        assert i18n.ngettext("%(num)s day", "%(num)s days", 1.0) == "%(num)s jour"
        assert i18n.ngettext("%(num)s day", "%(num)s days", 1.5) == "%(num)s jours"
        assert i18n.language_for("de", "fr") == "fr" and i18n.language_for(None, "xx") == "en"
    finally:
        i18n.begin("en")
