"""Frameworks in several languages: DigComp in English and French, JSON/CSV/CASE carry the languages,
and My skills and the team heatmap name competences in the reader's language."""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import select

from lms.competences.framework_csv import export_csv, parse_csv
from lms.competences.framework_doc import framework_import
from lms.competences.framework_json import export_json, parse_json
from lms.competences.framework_service import digcomp_load
from lms.competences.models import Competence, CompetenceAreaTranslation, CompetenceTranslation, Framework, FrameworkTranslation

SMALL = {
    "code": "MINI",
    "language": "en",
    "name": "Mini framework",
    "translations": {"fr": {"name": "Mini référentiel", "description": "Pour les tests."}},
    "areas": [
        {
            "code": "A",
            "name": "Safety",
            "translations": {"fr": {"name": "Sécurité"}},
            "competences": [
                {
                    "code": "A.1",
                    "name": "Protecting devices",
                    "summary": "Updates.",
                    "translations": {"fr": {"name": "Protéger les appareils", "summary": "Mises à jour."}},
                },
                {"code": "A.2", "name": "Netiquette"},
            ],
        }
    ],
}


def test_digcomp_ships_in_english_and_french(db):
    digcomp_load(db)
    db.commit()
    framework = db.exec(select(Framework).where(Framework.code == "DigComp")).one()
    assert framework.language == "en"
    french = {
        c.code: t.name
        for c, t in db.exec(select(Competence, CompetenceTranslation).join(CompetenceTranslation)).all()
        if t.language == "fr"
    }
    assert len(french) == 21
    assert french["1.1"] == "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques"
    assert len(db.exec(select(CompetenceAreaTranslation).where(CompetenceAreaTranslation.language == "fr")).all()) == 5
    assert db.get(FrameworkTranslation, (framework.id, "fr")).name.startswith("DigComp 2.2")
    # Loading it again changes nothing.
    again = digcomp_load(db)
    assert again.created == 0 and again.updated == 0


def test_json_round_trip_keeps_the_languages(db):
    counts = framework_import(db, doc=parse_json(json.dumps(SMALL)))
    db.commit()
    framework = counts.framework
    exported = json.loads(export_json(db, framework))
    assert exported["language"] == "en"
    assert exported["translations"] == {"fr": {"name": "Mini référentiel", "description": "Pour les tests."}}
    area = exported["areas"][0]
    assert area["translations"] == {"fr": {"name": "Sécurité"}}
    assert area["competences"][0]["translations"] == {"fr": {"name": "Protéger les appareils", "summary": "Mises à jour."}}
    assert "translations" not in area["competences"][1]
    again = framework_import(db, doc=parse_json(json.dumps(exported)))
    assert again.created == 0 and again.updated == 0


def test_json_refuses_bad_languages(db):
    bad = json.loads(json.dumps(SMALL))
    bad["language"] = "not a language"
    bad["areas"][0]["translations"] = {"fr": {"description": "no name"}}
    try:
        parse_json(json.dumps(bad))
    except ValueError as exc:
        message = str(exc)
    else:
        raise AssertionError("accepted")
    assert "language" in message and "translations.fr needs a 'name'" in message


def test_csv_carries_a_column_per_language(db):
    framework = framework_import(db, doc=parse_json(json.dumps(SMALL))).framework
    db.commit()
    text = export_csv(db, framework)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {"language", "name_fr", "summary_fr"} <= set(rows[0])
    by_code = {r["code"]: r for r in rows}
    assert by_code["MINI"]["language"] == "en" and by_code["MINI"]["name_fr"] == "Mini référentiel"
    assert by_code["A.1"]["name_fr"] == "Protéger les appareils" and by_code["A.1"]["summary_fr"] == "Mises à jour."
    assert by_code["A.2"]["name_fr"] == ""
    # Imported into a new framework, the French comes back.
    doc = parse_csv(text.lstrip("\ufeff").replace("MINI", "MINI2"))
    assert doc["language"] == "en"
    assert doc["areas"][0]["competences"][0]["translations"] == {"fr": {"name": "Protéger les appareils", "summary": "Mises à jour."}}
    assert "translations" not in doc["areas"][0]["competences"][1]


def test_case_export_says_the_language_and_import_reads_it(db):
    from lms.competences.framework_case import case_package
    from lms.competences.framework_case_read import parse_case
    from tests.lms.competences.test_framework_case import BASE, assert_valid_case

    framework = framework_import(db, doc=parse_json(json.dumps({**SMALL, "language": "fr", "name": "Référentiel"}))).framework
    db.commit()
    package = case_package(db, framework, base_url=BASE)
    assert_valid_case(package)
    assert package["CFDocument"]["language"] == "fr"
    assert {item["language"] for item in package["CFItems"]} == {"fr"}
    package["CFDocument"]["identifier"] = "6f1c5d1e-8a0b-4c3e-9d7f-2a1b3c4d5e6f"
    doc = parse_case(json.dumps(package))
    assert doc["language"] == "fr"
    package["CFDocument"]["language"] = "<script>"
    assert "language" not in parse_case(json.dumps(package))


def test_my_skills_and_the_heatmap_name_competences_in_the_readers_language(db, signed_in, make_user):
    from tests.lms.competences.factories import load_digcomp, make_profile

    load_digcomp(db)
    profile = make_profile(db, requirements={"1.1": 3, "4.2": 2})
    french, me = signed_in(language="fr", job_profile_id=profile.id)
    page = french.get("/skills")
    assert "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques" in page.text
    assert "Maîtrise de l’information et des données" in page.text
    assert "Browsing, searching and filtering" not in page.text
    english = french.get("/skills/self-assessment", headers={"Accept-Language": "en"})
    assert "Naviguer" in english.text  # the person's own setting wins over the browser

    manager_browser, manager = signed_in("manager", language="fr")
    make_user(name="Alice Able", manager_id=manager.id, job_profile_id=profile.id)
    heatmap = manager_browser.get("/team")
    assert heatmap.status_code == 200
    assert "Protéger les données personnelles et la vie privée" in heatmap.text
    english_manager, _ = signed_in("manager", language="en")
    assert "Protéger" not in english_manager.get("/skills").text


def test_translations_are_checked_item_by_item():
    bad = json.loads(json.dumps(SMALL))
    bad["translations"] = ["fr"]
    bad["areas"][0]["translations"] = {"Français": {"name": "x"}}
    bad["areas"][0]["competences"][0]["translations"] = {"fr": {"name": "x" * 301}}
    bad["areas"][0]["competences"][1]["translations"] = {"fr": {"name": "Nétiquette", "summary": 3}}
    try:
        parse_json(json.dumps(bad))
    except ValueError as exc:
        message = str(exc)
    else:
        raise AssertionError("accepted")
    assert "'translations' must be an object of languages" in message
    assert "'Français' is not a language code" in message
    assert "translations.fr is too long" in message
    assert "translations.fr.summary must be text" in message


def test_reimporting_a_changed_translation_counts_as_an_update(db):
    framework_import(db, doc=parse_json(json.dumps(SMALL)))
    db.commit()
    changed = json.loads(json.dumps(SMALL))
    changed["areas"][0]["competences"][0]["translations"]["fr"]["name"] = "Protéger ses appareils"
    counts = framework_import(db, doc=parse_json(json.dumps(changed)))
    assert (counts.created, counts.updated) == (0, 1)
    row = db.exec(select(CompetenceTranslation).where(CompetenceTranslation.name == "Protéger ses appareils")).one()
    assert row.description == "Mises à jour."


def test_names_fall_back_to_the_frameworks_own_text(db):
    from lms.competences.localised import localised_pairs, localised_rows, names_for

    framework = framework_import(db, doc=parse_json(json.dumps(SMALL))).framework
    db.commit()
    names = names_for(db, language="fr")
    comps = {c.code: c for c in db.exec(select(Competence)).all()}
    assert names.of(comps["A.1"]).name == "Protéger les appareils" and names.of(comps["A.1"]).code == "A.1"
    assert names.of(comps["A.2"]) is comps["A.2"]  # no French version: the row itself
    assert names_for(db, [framework], language="en").found == {}  # nothing to read in the framework's own language
    assert localised_rows(db, []) == [] and localised_pairs(db, []) == []
