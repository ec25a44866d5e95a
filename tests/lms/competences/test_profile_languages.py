"""Job profiles and proficiency levels in several languages: an administrator gives a profile its
French name on the profile's page, and French readers see it, and DigComp's French level names, on
the profile page, My skills, a skill's page and the team pages."""

from __future__ import annotations

import html
import json
import re

from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.competences.models import JobProfile, JobProfileTranslation
from tests.lms.competences.factories import competence, load_digcomp, make_profile, record
from tests.conftest import sign_in
from tests.support.queries import counting


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text))).strip()


def test_a_profile_gets_a_french_version_on_its_page(signed_in, db):
    load_digcomp(db)
    profile = make_profile(db, "Caseworker", {"1.1": 4}, description="Handles cases.")
    browser, admin = signed_in("admin")
    page = browser.get(f"/admin/job-profiles/{profile.id}")
    assert 'action="/admin/job-profiles/%d/translations/fr"' % profile.id in page.text
    assert "/translations/en" not in page.text  # the profile's own language has no version form

    saved = browser.post(
        f"/admin/job-profiles/{profile.id}/translations/fr",
        {"name": " Gestionnaire   de dossiers ", "description": "Traite les dossiers."},
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("#versions")
    db.expire_all()
    version = db.get(JobProfileTranslation, (profile.id, "fr"))
    assert (version.name, version.description) == ("Gestionnaire de dossiers", "Traite les dossiers.")
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "job_profile.translation.save")).one()
    assert event.actor_id == admin.id and json.loads(event.detail)["language"] == "fr"
    # The original is untouched, and its form still edits it.
    assert db.get(JobProfile, profile.id).name == "Caseworker"
    assert 'value="Gestionnaire de dossiers"' in browser.get(f"/admin/job-profiles/{profile.id}").text

    # A description without a name is refused, with what was typed kept.
    refused = browser.post(f"/admin/job-profiles/{profile.id}/translations/fr", {"name": "", "description": "Sans nom."})
    assert refused.status_code == 422
    assert "Enter the name in this language" in text(refused) and "Sans nom." in refused.text
    assert browser.post(f"/admin/job-profiles/{profile.id}/translations/en", {"name": "X"}).status_code == 404
    assert browser.post(f"/admin/job-profiles/{profile.id}/translations/de", {"name": "X"}).status_code == 404

    # Clearing both fields removes the version.
    assert browser.post(f"/admin/job-profiles/{profile.id}/translations/fr", {"name": "", "description": ""}).status_code == 303
    db.expire_all()
    assert db.get(JobProfileTranslation, (profile.id, "fr")) is None


def test_non_admins_cannot_save_a_version(signed_in, db):
    profile = make_profile(db, "Clerk", {})
    browser, _ = signed_in("manager")
    assert browser.post(f"/admin/job-profiles/{profile.id}/translations/fr", {"name": "Commis"}).status_code == 403


def _french_caseworker(db):
    load_digcomp(db)
    profile = make_profile(db, "Caseworker", {"1.1": 4, "4.1": 3})
    db.add(JobProfileTranslation(job_profile_id=profile.id, language="fr", name="Gestionnaire de dossiers", description=""))
    db.commit()
    return profile


def test_the_profile_page_in_french_names_levels_and_competences_in_french(signed_in, db):
    profile = _french_caseworker(db)
    browser, _ = signed_in("admin", language="fr")
    page = text(browser.get(f"/admin/job-profiles/{profile.id}"))
    assert "Gestionnaire de dossiers" in page
    assert "4 · Intermédiaire" in page and "7 · Hautement spécialisé" in page
    assert "Naviguer, rechercher et filtrer des données" in page
    assert "Intermediate" not in page
    listing = text(browser.get("/admin/job-profiles"))
    assert "Gestionnaire de dossiers" in listing
    # In English the same page shows the originals.
    english, _ = signed_in("admin")
    page = text(english.get(f"/admin/job-profiles/{profile.id}"))
    assert "4 · Intermediate" in page and "Caseworker" in page


def test_my_skills_in_french_names_the_role_and_the_levels_in_french(client, signed_in, db, make_user):
    profile = _french_caseworker(db)
    manager = make_user("manager", name="Mona Manager", language="fr")
    browser, me = signed_in(job_profile_id=profile.id, language="fr", manager_id=manager.id)
    record(db, me, "1.1", 3, "manager", manager)
    skills = text(browser.get("/skills"))
    assert "Gestionnaire de dossiers" in skills
    assert "4 · Intermédiaire" in skills and "3 · Intermédiaire" in skills
    assert "Caseworker" not in skills and "Intermediate" not in skills
    detail = text(browser.get(f"/skills/{competence(db, '1.1').id}"))
    assert "Des tâches routinières bien définies et des problèmes simples, en autonomie." in detail
    assert "5 · Avancé" in detail and "8 · Hautement spécialisé" in detail
    step = text(browser.get("/skills/self-assessment"))
    assert "1 · Fondamental" in step and "Des tâches simples, avec de l’aide." in step

    # The team pages, for a French manager.
    assert sign_in(client, manager.email).status_code == 303
    page = client.get("/team")
    heat = text(page)
    assert "Gestionnaire de dossiers" in heat
    # The area filter and the job profile filter too.
    assert "1 · Maîtrise de l’information et des données</option>" in html.unescape(page.text)
    assert "Gestionnaire de dossiers</option>" in html.unescape(page.text)
    person = text(client.get(f"/team/people/{me.id}"))
    assert "Gestionnaire de dossiers" in person and "3 · Intermédiaire" in person


def test_my_skills_reads_french_names_in_one_statement(app, client, db, make_user):
    profile = _french_caseworker(db)
    english = make_user(job_profile_id=profile.id)
    french = make_user(job_profile_id=profile.id, language="fr")

    def count(user) -> int:
        assert sign_in(client, user.email).status_code == 303
        client.get("/skills")  # warm up
        with counting(app.state.engine) as statements:
            assert client.get("/skills").status_code == 200
        return len(statements)

    # One statement more in French: every version (competences, levels, the profile) at once.
    assert count(french) == count(english) + 1


def test_a_profile_version_keeps_to_the_limits_and_an_unchanged_save_is_not_audited(signed_in, db):
    profile = make_profile(db, "Clerk", {})
    browser, _ = signed_in("admin")
    url = f"/admin/job-profiles/{profile.id}/translations/fr"
    assert browser.post(url, {"name": "Commis", "description": "Tient les registres."}).status_code == 303
    assert browser.post(url, {"name": "Commis", "description": "Tient les registres."}).status_code == 303
    assert len(db.exec(select(AuditEvent).where(AuditEvent.action == "job_profile.translation.save")).all()) == 1
    too_long = browser.post(url, {"name": "n" * 201})
    assert too_long.status_code == 422 and "Use a name of at most 200 characters." in text(too_long)
    long_description = browser.post(url, {"name": "Commis", "description": "d" * 2001})
    assert long_description.status_code == 422 and "Use a description of at most 2000 characters." in text(long_description)
    db.expire_all()
    assert db.get(JobProfileTranslation, (profile.id, "fr")).name == "Commis"
