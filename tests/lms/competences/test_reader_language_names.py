"""Reports, the catalogue's competence filter and course pages name competences (and levels) in the
reader's language, with no more statements than in the framework's own language."""

from __future__ import annotations

import html
import re

from lms.reports.snapshot import snapshot_take
from lms.reports.tree import ORG
from tests.conftest import sign_in
from tests.courses.factories import make_course
from tests.lms.reports.factories import make_org
from tests.support.queries import counting

FRENCH_1_1 = "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques"
ENGLISH_1_1 = "Browsing, searching and filtering data, information and digital content"


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text))).strip()


def _count(app, client, url: str) -> tuple[int, str]:
    client.get(url)  # warm up
    with counting(app.state.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), text(response)


def test_reports_name_competences_areas_and_bands_in_the_readers_language(app, client, db, make_user):
    org = make_org(db, make_user)
    org.unit("Policy")
    org.people("Policy", [{"1.1": 3, "4.2": 2}] * 6)
    snapshot_take(db, period="2026-10")  # a trend needs a month stored besides now
    db.commit()
    english = make_user("skills_lead")
    french = make_user("skills_lead", language="fr")
    policy = org.units["Policy"]
    pages = [
        "/reports?by=competence",
        "/reports?by=area",
        f"/reports/units/{policy.id}/trend?by=competence",
        f"/reports/compare?by=competence&unit={ORG}&unit={policy.id}",
    ]
    assert sign_in(client, english.email).status_code == 303
    in_english = {url: _count(app, client, url) for url in pages}
    assert sign_in(client, french.email).status_code == 303
    in_french = {url: _count(app, client, url) for url in pages}

    competence_page = in_french["/reports?by=competence"][1]
    assert FRENCH_1_1 in competence_page and ENGLISH_1_1 not in competence_page
    assert "Intermédiaire" in competence_page and "Hautement spécialisé" in competence_page
    assert "Highly specialised" not in competence_page
    assert "Le cadre européen des compétences numériques" in competence_page  # the framework's French name
    assert "Maîtrise de l’information et des données" in in_french["/reports?by=area"][1]
    assert FRENCH_1_1 in in_french[pages[2]][1] and FRENCH_1_1 in in_french[pages[3]][1]
    assert ENGLISH_1_1 in in_english["/reports?by=competence"][1]
    assert "Intermediate" in in_english["/reports?by=competence"][1]
    # The figures are shared by every reader; the names cost one statement, whatever the size.
    for url in pages:
        assert in_french[url][0] <= in_english[url][0] + 1, url


def test_catalogue_filter_and_course_page_name_competences_in_french(app, client, db, make_user):
    make_org(db, make_user)  # DigComp with its French names
    course = make_course(db, "Searching well", develops={"1.1": 3})
    english = make_user()
    french = make_user(language="fr")
    assert sign_in(client, english.email).status_code == 303
    english_catalogue = _count(app, client, "/courses")
    english_course = _count(app, client, f"/courses/{course.id}")
    assert ENGLISH_1_1 in english_catalogue[1] and ENGLISH_1_1 in english_course[1]

    assert sign_in(client, french.email).status_code == 303
    catalogue = _count(app, client, "/courses")
    filter_options = client.get("/courses").text
    assert f">1.1 {FRENCH_1_1}</option>" in html.unescape(filter_options)
    assert "1 Maîtrise de l’information et des données</option>" in html.unescape(filter_options)
    assert FRENCH_1_1 in catalogue[1] and ENGLISH_1_1 not in catalogue[1]
    course_page = _count(app, client, f"/courses/{course.id}")
    assert FRENCH_1_1 in course_page[1] and ENGLISH_1_1 not in course_page[1]
    # Read in the same statements as the English names (a French reader's pages also read the
    # course's own French version: one statement, courses.translations's, not the names').
    assert catalogue[0] <= english_catalogue[0] + 1
    assert course_page[0] <= english_course[0] + 1
