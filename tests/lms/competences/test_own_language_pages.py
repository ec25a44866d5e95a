"""A framework's and a job profile's own language, changed on their admin pages: a select of the
supported languages, refused while a version in the chosen language exists, audited, administrators
only, and never without the form's CSRF token."""

from __future__ import annotations

import html
import json
import re

from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.competences.models import (
    CompetenceTranslation,
    Framework,
    FrameworkTranslation,
    JobProfile,
    JobProfileTranslation,
    ProficiencyLevel,
    ProficiencyLevelTranslation,
)
from tests.lms.competences.factories import make_competences, make_profile


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text))).strip()


def selected(page: str, select_id: str) -> str:
    block = page[page.index(f'id="{select_id}"') :]
    block = block[: block.index("</select>")]
    return re.search(r'<option value="(\w+)" selected>', block).group(1)


def events(db, action: str) -> list[dict]:
    return [json.loads(e.detail) for e in db.exec(select(AuditEvent).where(AuditEvent.action == action))]


def a_framework(db) -> Framework:
    (first,) = make_competences(db, "4.1")
    return db.get(Framework, first.framework_id)


def test_an_administrator_changes_a_framework_language_on_its_page(signed_in, db):
    framework = a_framework(db)
    browser, admin = signed_in("admin")
    page = browser.get(f"/admin/frameworks/{framework.id}").text
    assert selected(page, "framework-language") == "en" and '<label class="usa-label" for="framework-language">' in page

    changed = browser.post(f"/admin/frameworks/{framework.id}/language", {"language": "fr"})
    assert changed.status_code == 303 and changed.headers["location"].endswith("#languages-heading")
    db.expire_all()
    assert db.get(Framework, framework.id).language == "fr"
    page = browser.get(f"/admin/frameworks/{framework.id}")
    assert "Safety is now written in French." in text(page)
    assert selected(page.text, "framework-language") == "fr"
    # The versions now offered are in the other language.
    assert f"/admin/frameworks/{framework.id}/translations/en" in page.text and "/translations/fr" not in page.text
    assert events(db, "framework.language") == [{"from": "en", "to": "fr"}]
    # Choosing the language it already has changes nothing and records nothing.
    assert browser.post(f"/admin/frameworks/{framework.id}/language", {"language": "fr"}).status_code == 303
    assert len(events(db, "framework.language")) == 1


def test_a_framework_language_is_refused_while_a_version_in_it_exists(signed_in, db):
    framework = a_framework(db)
    level = ProficiencyLevel(framework_id=framework.id, level=1, band="Foundation")
    db.add(level)
    db.flush()
    db.add(ProficiencyLevelTranslation(level_id=level.id, language="fr", band="Fondamental"))
    db.commit()
    browser, _ = signed_in("admin")
    refused = browser.post(f"/admin/frameworks/{framework.id}/language", {"language": "fr"})
    assert refused.status_code == 303
    page = text(browser.get(f"/admin/frameworks/{framework.id}"))
    assert "This framework already has texts in French" in page and "Clear them on its French version's pages first" in page
    db.expire_all()
    assert db.get(Framework, framework.id).language == "en" and events(db, "framework.language") == []

    # A competence's version, or the framework's own, refuses it just the same; an unknown language too.
    db.delete(db.get(ProficiencyLevelTranslation, (level.id, "fr")))
    db.add(FrameworkTranslation(framework_id=framework.id, language="fr", name="Sécurité"))
    db.commit()
    browser.post(f"/admin/frameworks/{framework.id}/language", {"language": "fr"})
    browser.post(f"/admin/frameworks/{framework.id}/language", {"language": "de"})
    db.expire_all()
    assert db.get(Framework, framework.id).language == "en"
    assert "Choose one of the languages Proficio supports." in text(browser.get(f"/admin/frameworks/{framework.id}"))


def test_a_competence_version_refuses_its_language(signed_in, db):
    (competence,) = make_competences(db, "4.2")
    db.add(CompetenceTranslation(competence_id=competence.id, language="fr", name="Protéger"))
    db.commit()
    browser, _ = signed_in("admin")
    browser.post(f"/admin/frameworks/{competence.framework_id}/language", {"language": "fr"})
    db.expire_all()
    assert db.get(Framework, competence.framework_id).language == "en"


def test_an_administrator_changes_a_profile_language_on_its_page(signed_in, db):
    profile = make_profile(db, "Caseworker", {})
    browser, _ = signed_in("admin")
    page = browser.get(f"/admin/job-profiles/{profile.id}").text
    assert selected(page, "profile-language") == "en"

    changed = browser.post(f"/admin/job-profiles/{profile.id}/language", {"language": "fr"})
    assert changed.status_code == 303 and changed.headers["location"].endswith("#versions")
    db.expire_all()
    assert db.get(JobProfile, profile.id).language == "fr"
    page = browser.get(f"/admin/job-profiles/{profile.id}")
    assert "Caseworker is now written in French." in text(page) and selected(page.text, "profile-language") == "fr"
    assert f'action="/admin/job-profiles/{profile.id}/translations/en"' in page.text
    assert events(db, "job_profile.language") == [{"from": "en", "to": "fr"}]

    # Back to English is refused once an English version exists.
    browser.post(f"/admin/job-profiles/{profile.id}/translations/en", {"name": "Case worker"})
    refused = browser.post(f"/admin/job-profiles/{profile.id}/language", {"language": "en"})
    assert refused.status_code == 303
    assert "This job profile already has a version in English." in text(browser.get(f"/admin/job-profiles/{profile.id}"))
    db.expire_all()
    assert db.get(JobProfile, profile.id).language == "fr" and db.get(JobProfileTranslation, (profile.id, "en")) is not None
    browser.post(f"/admin/job-profiles/{profile.id}/language", {"language": "xx"})
    db.expire_all()
    assert db.get(JobProfile, profile.id).language == "fr" and len(events(db, "job_profile.language")) == 1


def test_only_administrators_change_a_language_and_only_with_the_token(signed_in, client, db):
    framework = a_framework(db)
    profile = make_profile(db, "Clerk", {})
    for role in ("manager", "trainer"):
        browser, _ = signed_in(role)
        assert browser.post(f"/admin/frameworks/{framework.id}/language", {"language": "fr"}).status_code == 403
        assert browser.post(f"/admin/job-profiles/{profile.id}/language", {"language": "fr"}).status_code == 403
    signed_in("admin")
    assert client.post(f"/admin/frameworks/{framework.id}/language", data={"language": "fr"}).status_code == 403
    assert client.post(f"/admin/job-profiles/{profile.id}/language", data={"language": "fr"}).status_code == 403
    db.expire_all()
    assert db.get(Framework, framework.id).language == "en" and db.get(JobProfile, profile.id).language == "en"
