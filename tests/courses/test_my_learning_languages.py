"""My learning's recommendations name the gaps they close in the reader's language, in the same statements."""

from __future__ import annotations

from sqlmodel import delete

from lms.competences.models import CompetenceTranslation
from tests.courses.factories import make_course
from tests.lms.competences.factories import competence, load_digcomp, make_profile
from tests.lms.competences.test_team_pages import text
from tests.lms.test_i18n import compiled_catalogues  # noqa: F401 - autouse: French needs the compiled catalogue


def _recommended(browser) -> str:
    words = text(browser.get("/learning"))
    return words[words.index("Recommandés pour vous") :]


def test_a_recommendation_names_the_competence_in_the_reader_s_language(db, signed_in):
    load_digcomp(db)
    browser, _me = signed_in(job_profile_id=make_profile(db).id, language="fr")  # 1.1 at 3
    make_course(db, "Search skills", develops={"1.1": 3}, minutes=45)
    searching = competence(db, "1.1")
    db.exec(delete(CompetenceTranslation).where(CompetenceTranslation.competence_id == searching.id))  # type: ignore[call-overload]
    db.add(CompetenceTranslation(competence_id=searching.id, language="fr", name="Chercher des données, en français"))
    db.commit()

    recommended = _recommended(browser)
    assert "1.1 Chercher des données, en français" in recommended
    assert searching.name not in recommended

    # No version in the reader's language: the framework's own name.
    db.exec(delete(CompetenceTranslation).where(CompetenceTranslation.competence_id == searching.id))  # type: ignore[call-overload]
    db.commit()
    assert f"1.1 {searching.name}" in _recommended(browser)
