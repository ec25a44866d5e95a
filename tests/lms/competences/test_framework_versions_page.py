"""The page that edits a framework's versions in another language: what is missing, one form per
part (the framework, its levels, each area with its competences), errors all at once, audited,
administrators only; and what a French reader then sees."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.competences.models import (
    Competence,
    CompetenceArea,
    CompetenceTranslation,
    Framework,
    FrameworkTranslation,
    ProficiencyLevel,
    ProficiencyLevelTranslation,
)
from tests.lms.competences.factories import make_competences


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text))).strip()


@pytest.fixture
def small(db):
    """A framework in English with two competences, one level, and no versions at all."""
    first, second = make_competences(db, "4.1", "4.2")
    framework = db.get(Framework, first.framework_id)
    db.add(ProficiencyLevel(framework_id=framework.id, level=1, band="Foundation", summary="Simple tasks."))
    db.commit()
    return framework, first, second


def test_only_administrators_reach_the_versions_pages(signed_in, small):
    framework, first, _ = small
    browser, _ = signed_in("manager")
    base = f"/admin/frameworks/{framework.id}/translations/fr"
    for url in (base, f"{base}/framework", f"{base}/levels", f"{base}/areas/{first.area_id}"):
        assert browser.get(url).status_code == 403
    assert browser.post(f"{base}/framework", {"framework-name": "X"}).status_code == 403


def test_the_language_page_lists_what_is_missing_and_forms_fill_it_in(signed_in, db, small):
    framework, first, second = small
    browser, admin = signed_in("admin")
    detail = browser.get(f"/admin/frameworks/{framework.id}")
    assert f'href="/admin/frameworks/{framework.id}/translations/fr"' in detail.text
    base = f"/admin/frameworks/{framework.id}/translations/fr"
    page = text(browser.get(base))
    # The framework, one level, one area and two competences: five items, none translated.
    assert "5 items have no version in French yet." in page
    assert page.count("Missing") >= 5
    # The framework's own language has no versions page; nor has an unsupported one.
    assert browser.get(f"/admin/frameworks/{framework.id}/translations/en").status_code == 404
    assert browser.get(f"/admin/frameworks/{framework.id}/translations/de").status_code == 404

    saved = browser.post(f"{base}/framework", {"framework-name": "  Sécurité   numérique ", "framework-description": "Pour tous."})
    assert saved.status_code == 303 and saved.headers["location"].endswith("#framework")
    db.expire_all()
    version = db.get(FrameworkTranslation, (framework.id, "fr"))
    assert (version.name, version.description) == ("Sécurité numérique", "Pour tous.")

    level = db.exec(select(ProficiencyLevel).where(ProficiencyLevel.framework_id == framework.id)).one()
    assert (
        browser.post(
            f"{base}/levels", {f"level-{level.id}-name": "Fondamental", f"level-{level.id}-description": "Des tâches simples."}
        ).status_code
        == 303
    )
    db.expire_all()
    assert db.get(ProficiencyLevelTranslation, (level.id, "fr")).band == "Fondamental"

    area_url = f"{base}/areas/{first.area_id}"
    form = browser.get(area_url)
    assert 'id="competence-%d-name"' % first.id in form.text and 'lang="fr"' in form.text
    answer = browser.post(
        area_url,
        {
            f"area-{first.area_id}-name": "Sécurité",
            f"competence-{first.id}-name": "Protéger les appareils",
            f"competence-{first.id}-description": "Mises à jour.",
            f"competence-{second.id}-name": "",
            # Another framework's competence, or an id this page does not show, is never read.
            "competence-999999-name": "Ignored",
        },
    )
    assert answer.status_code == 303
    page = text(browser.get(base))
    assert "1 item has no version in French yet." in page
    assert "Protéger les appareils" in page
    db.expire_all()
    assert db.get(CompetenceTranslation, (first.id, "fr")).description == "Mises à jour."
    assert db.get(CompetenceTranslation, (second.id, "fr")) is None

    # Clearing an item's fields removes its version.
    browser.post(area_url, {f"area-{first.area_id}-name": "Sécurité", f"competence-{first.id}-name": ""})
    db.expire_all()
    assert db.get(CompetenceTranslation, (first.id, "fr")) is None
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "framework.translation.save")).all()
    assert len(events) == 4 and all(e.actor_id == admin.id and json.loads(e.detail)["language"] == "fr" for e in events)


def test_a_long_form_reports_every_problem_and_saves_nothing(signed_in, db, small):
    framework, first, second = small
    browser, _ = signed_in("admin")
    area_url = f"/admin/frameworks/{framework.id}/translations/fr/areas/{first.area_id}"
    answer = browser.post(
        area_url,
        {
            f"area-{first.area_id}-name": "Sécurité",
            f"competence-{first.id}-name": "x" * 301,
            f"competence-{second.id}-description": "Un résumé sans nom.",
        },
    )
    assert answer.status_code == 422
    body = text(answer)
    assert "There are 2 problems" in body
    assert "4.1 Competence 4.1: use at most 300 characters for the name." in body
    assert "4.2 Competence 4.2: enter the name in French" in body
    # What was typed is kept.
    assert "Un résumé sans nom." in body
    assert f'href="#competence-{second.id}-name"' in answer.text
    db.expire_all()
    assert db.exec(select(CompetenceTranslation)).all() == []
    area = db.get(CompetenceArea, first.area_id)
    assert area.name == "Safety"


def test_french_readers_see_the_versions_saved_on_the_page(signed_in, db, small, make_user):
    framework, first, _ = small
    admin, _ = signed_in("admin")
    base = f"/admin/frameworks/{framework.id}/translations/fr"
    admin.post(f"{base}/areas/{first.area_id}", {f"competence-{first.id}-name": "Protéger les appareils"})
    level = db.exec(select(ProficiencyLevel).where(ProficiencyLevel.framework_id == framework.id)).one()
    admin.post(f"{base}/levels", {f"level-{level.id}-name": "Fondamental"})
    reader, _ = signed_in(language="fr")
    skill = text(reader.get(f"/skills/{first.id}"))
    assert "Protéger les appareils" in skill
    assert "1 · Fondamental" in skill
    assert db.get(Competence, first.id).name == "Competence 4.1"


def test_saving_the_same_versions_again_changes_nothing_and_limits_are_kept(signed_in, db, small):
    framework, first, _ = small
    browser, _ = signed_in("admin")
    base = f"/admin/frameworks/{framework.id}/translations/fr"
    level = db.exec(select(ProficiencyLevel).where(ProficiencyLevel.framework_id == framework.id)).one()
    form = {f"level-{level.id}-name": "Fondamental", f"level-{level.id}-description": "Des tâches simples."}
    assert browser.post(f"{base}/levels", form).status_code == 303
    again = browser.post(f"{base}/levels", form, follow_redirects=True)
    assert "Nothing changed." in text(again)
    assert len(db.exec(select(AuditEvent).where(AuditEvent.action == "framework.translation.save")).all()) == 1
    # A band longer than the column, a description longer than 20,000 characters: both said at once.
    refused = browser.post(f"{base}/levels", {f"level-{level.id}-name": "x" * 65, f"level-{level.id}-description": "y" * 20_001})
    assert refused.status_code == 422
    body = text(refused)
    assert "Level 1: use at most 64 characters for the name." in body
    assert "Level 1: use at most 20000 characters for the description." in body
    assert browser.get(f"{base}/areas/999999").status_code == 404
    assert browser.get("/admin/frameworks/999999/translations/fr").status_code == 404
