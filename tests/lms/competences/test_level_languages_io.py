"""Proficiency levels' versions in framework files: DigComp's French levels, JSON and CSV round trips
with the new columns, edits through a file, and the refusals."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from lms.competences.framework_csv import export_csv, parse_csv
from lms.competences.framework_doc import FrameworkFileError, framework_import
from lms.competences.framework_json import export_json, parse_json
from lms.competences.framework_service import digcomp_load
from lms.competences.models import Framework, ProficiencyLevel, ProficiencyLevelTranslation

FRENCH_BANDS = {
    1: "Fondamental",
    2: "Fondamental",
    3: "Intermédiaire",
    4: "Intermédiaire",
    5: "Avancé",
    6: "Avancé",
    7: "Hautement spécialisé",
    8: "Hautement spécialisé",
}


def _french_levels(db) -> dict[int, tuple[str, str]]:
    db.expire_all()
    rows = db.exec(
        select(ProficiencyLevel.level, ProficiencyLevelTranslation.band, ProficiencyLevelTranslation.summary)
        .join(ProficiencyLevelTranslation, ProficiencyLevelTranslation.level_id == ProficiencyLevel.id)
        .where(ProficiencyLevelTranslation.language == "fr")
    ).all()
    return {level: (band, summary) for level, band, summary in rows}


def _digcomp(db) -> Framework:
    digcomp_load(db)
    db.commit()
    return db.exec(select(Framework).where(Framework.code == "DigComp")).one()


def test_digcomp_levels_ship_in_french(db):
    _digcomp(db)
    french = _french_levels(db)
    assert {level: band for level, (band, _summary) in french.items()} == FRENCH_BANDS
    assert french[1][1] == "Des tâches simples, avec de l’aide."
    assert all(summary for _band, summary in french.values())


def test_json_round_trip_carries_the_levels_versions(db):
    framework = _digcomp(db)
    exported = json.loads(export_json(db, framework))
    assert exported["levels"][3]["translations"] == {
        "fr": {
            "band": "Intermédiaire",
            "summary": "Des tâches et des problèmes bien définis et non routiniers, de façon indépendante et selon mes besoins.",
        }
    }
    again = framework_import(db, doc=parse_json(json.dumps(exported)))
    assert again.created == 0 and again.updated == 0

    exported["levels"][0]["translations"]["fr"]["band"] = "Débutant"
    changed = framework_import(db, doc=parse_json(json.dumps(exported)))
    db.commit()
    assert changed.updated == 1 and _french_levels(db)[1][0] == "Débutant"


def test_csv_round_trip_carries_the_levels_versions_in_name_and_summary_columns(db):
    framework = _digcomp(db)
    text = export_csv(db, framework).lstrip("\ufeff")  # the BOM is for Excel; importing a file drops it
    rows = list(csv.DictReader(io.StringIO(text)))
    level_seven = next(r for r in rows if r["kind"] == "level" and r["code"] == "7")
    assert level_seven["band"] == "Highly specialised"
    assert level_seven["name_fr"] == "Hautement spécialisé"
    assert level_seven["summary_fr"].startswith("Résoudre des problèmes complexes qui ont peu de solutions")
    assert level_seven["name"] == ""
    again = framework_import(db, doc=parse_csv(text))
    assert again.created == 0 and again.updated == 0

    # Someone edits the French band of level 2 in a spreadsheet and imports it back.
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        if row["kind"] == "level" and row["code"] == "2":
            row["name_fr"], row["summary_fr"] = "Fondamental avancé", "Des tâches simples, seul."
        writer.writerow(row)
    counts = framework_import(db, doc=parse_csv(buffer.getvalue()))
    db.commit()
    assert counts.updated == 1
    assert _french_levels(db)[2] == ("Fondamental avancé", "Des tâches simples, seul.")
    assert _french_levels(db)[3][0] == "Intermédiaire"


def test_a_new_framework_with_french_levels_and_no_french_band(db):
    doc = {
        "code": "MINI",
        "name": "Mini",
        "levels": [
            {"level": 1, "band": "Start", "summary": "First steps.", "translations": {"fr": {"summary": "Premiers pas."}}},
            {"level": 2, "band": "Next", "translations": {"fr": {"band": "Suite"}}},
        ],
        "areas": [{"code": "A", "name": "Area", "competences": [{"code": "A.1", "name": "One"}]}],
    }
    counts = framework_import(db, doc=parse_json(json.dumps(doc)))
    db.commit()
    # Creating the levels' versions is part of creating the framework, not an update.
    assert counts.updated == 0
    assert _french_levels(db) == {1: ("", "Premiers pas."), 2: ("Suite", "")}
    exported = json.loads(export_json(db, counts.framework))
    assert exported["language"] == "en"
    assert exported["levels"][0]["translations"] == {"fr": {"band": "", "summary": "Premiers pas."}}


@pytest.mark.parametrize(
    ("translations", "problem"),
    [
        ("Fondamental", "levels[0]: 'translations' must be an object of languages"),
        ({"not a language": {"band": "X"}}, "levels[0]: translations: 'not a language' is not a language code"),
        ({"fr": {"band": 3}}, "levels[0]: translations.fr must hold a 'band' and a 'summary' as text."),
        ({"fr": {"band": " ", "summary": ""}}, "levels[0]: translations.fr needs a 'band' or a 'summary'."),
        ({"fr": {"band": "x" * 65}}, "levels[0]: translations.fr is too long."),
    ],
)
def test_bad_level_versions_are_refused_with_their_place(db, translations, problem):
    doc = {
        "code": "BAD",
        "name": "Bad",
        "levels": [{"level": 1, "band": "Start", "translations": translations}],
        "areas": [{"code": "A", "name": "Area"}],
    }
    with pytest.raises(FrameworkFileError) as refused:
        parse_json(json.dumps(doc))
    assert any(error.startswith(problem) for error in refused.value.errors), refused.value.errors
