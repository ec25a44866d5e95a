"""My team: the heatmap and summary, filters, the drill-down, ratings and the CSV export."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.clock import utcnow
from lms.competences.models import JobProfile
from lms.competences.service import status_refresh
from lms.people.models import User
from tests.lms.competences.factories import REQUIRED, competence as comp, load_digcomp, make_profile, record
from tests.support.exports import rows_by_identifier


def text(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text))).strip()
    return re.sub(r" ([:.,;])", r"\1", words)


def row_of(response, name: str) -> str:
    """The heatmap row of one person, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", response.text, re.S):
        if f">{name}</a>" in row:
            return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip()
    raise AssertionError(f"no row for {name}")


@dataclass
class Team:
    browser: object
    manager: User
    alice: User
    bob: User
    carol: User
    outsider: User
    profile: JobProfile


@pytest.fixture
def team(db, signed_in, make_user) -> Team:
    """Alice and Bob report to the manager, Carol to Bob; the outsider reports to someone else."""
    load_digcomp(db)
    profile = make_profile(db)
    browser, manager = signed_in("manager", name="Mona Manager")
    other = make_user("manager", name="Otto Other")
    alice = make_user(name="Alice Able", manager_id=manager.id, job_profile_id=profile.id)
    bob = make_user(name="Bob Baker", manager_id=manager.id, job_profile_id=profile.id)
    carol = make_user(name="Carol Clark", manager_id=bob.id, job_profile_id=profile.id)
    outsider = make_user(name="Oscar Outside", manager_id=other.id, job_profile_id=profile.id)
    record(db, alice, "1.1", 3)
    record(db, alice, "4.2", 2, source="manager", by=manager)
    record(db, alice, "4.2", 5, source="self", by=alice)
    record(db, bob, "1.1", 2, source="quiz")
    record(db, bob, "1.1", 3, source="self", by=bob)
    record(db, outsider, "1.1", 7)
    # A level that held when its status was written and has expired since: shown as lapsed.
    now = utcnow()
    record(db, alice, "2.1", 2, recorded_at=now - timedelta(days=400), expires_at=now - timedelta(days=1))
    status_refresh(db, user_id=alice.id, competence_id=comp(db, "2.1").id, now=now - timedelta(days=2))
    db.commit()
    return Team(browser, manager, alice, bob, carol, outsider, profile)


def test_heatmap_shows_each_cell_in_words_and_the_summary(team):
    response = team.browser.get("/team")
    assert response.status_code == 200
    page = response.text
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert '<abbr title="Protecting personal data and privacy">4.2</abbr>' in page
    assert row_of(response, "Alice Able") == "Alice Able Caseworker 3 / 3 met 0 / 2 gap 2 lapsed 2 / 4 gap 2 4"
    assert row_of(response, "Bob Baker") == "Bob Baker Caseworker 2 / 3 gap 1 0 / 2 gap 2 0 / 4 gap 4 7"
    assert row_of(response, "Carol Clark").startswith("Carol Clark Caseworker 0 / 3 gap 3")
    assert 'class="heat heat-met"' in page and 'class="heat heat-gap1"' in page and "heat-gap2" in page
    assert f'href="/team/people/{team.alice.id}"' in page
    assert "Oscar Outside" not in page
    words = text(response)
    assert "11% 1 of 9 required levels are met." in words
    assert "4.2 Protecting personal data and privacy: 3 people" in words
    assert "Carol Clark: 9 levels" in words
    # Alice rates herself 3 above (5 vs 2), Bob 1 above (3 vs 2): 2.0 on average.
    assert "On average people rate themselves 2.0 levels above their verified level." in words


def test_heatmap_names_its_column_codes_under_the_table(team):
    page = team.browser.get("/team").text
    after_table = page[page.index("</table>") :]
    legend = after_table[after_table.index('<ul class="usa-list usa-list--unstyled heat-legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert "Competences in the columns" in after_table
    assert '<span class="report-code">4.2</span> Protecting personal data and privacy</li>' in legend


def test_filters_and_sort_work_without_javascript(team, db):

    def people(r) -> list[str]:
        return re.findall(r'<th scope="row"><a href="/team/people/\d+">([^<]+)</a>', r.text)

    assert people(team.browser.get("/team")) == ["Alice Able", "Bob Baker", "Carol Clark"]
    assert people(team.browser.get("/team?sort=gap")) == ["Carol Clark", "Bob Baker", "Alice Able"]
    assert people(team.browser.get("/team?direct=1")) == ["Alice Able", "Bob Baker"]
    area4 = comp(db, "4.2").area_id
    by_area = team.browser.get(f"/team?area={area4}")
    assert ">4.2</abbr>" in by_area.text and ">1.1</abbr>" not in by_area.text
    other = make_profile(db, "Data analyst", {"1.3": 4})
    assert "Nobody in your team matches these filters" in team.browser.get(f"/team?profile={other.id}").text
    assert people(team.browser.get(f"/team?profile={team.profile.id}")) == ["Alice Able", "Bob Baker", "Carol Clark"]


def test_htmx_filter_request_gets_only_the_results_block(team):
    response = team.browser.get("/team?direct=1", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="team-results"')
    assert "<html" not in response.text and "Carol Clark" not in response.text


def test_empty_states_say_what_to_do(client, db, make_user):
    from tests.conftest import sign_in

    load_digcomp(db)
    lonely = make_user("manager")
    sign_in(client, lonely.email)
    assert "Nobody reports to you yet" in client.get("/team").text
    make_user(manager_id=lonely.id)
    assert "Your team has no job profiles yet; ask an administrator to assign them" in client.get("/team").text


def test_drill_down_shows_required_verified_self_and_evidence(team):
    response = team.browser.get(f"/team/people/{team.alice.id}")
    assert response.status_code == 200
    words = text(response)
    assert "Job profile: Caseworker" in words
    assert "4.2 Protecting personal data and privacy 4 · " in words
    assert "2 · " in words and "from manager rating" in words
    assert "Self-assessed" in words and "5 · " in words
    assert "level 2 from manager rating by Mona Manager" in words
    assert "lapsed" in words
    assert 'name="competence_id"' in response.text and 'name="level"' in response.text
    assert "Reason — required when you rate below the current verified level" in words
    carol = team.browser.get(f"/team/people/{team.carol.id}")
    assert carol.status_code == 200, "indirect reports are in the line too"


def test_a_rating_is_recorded_audited_and_changes_the_heatmap_cell(team, db):
    cid = comp(db, "4.2").id
    response = team.browser.post(
        f"/team/people/{team.alice.id}/ratings", data={"competence_id": cid, "level": "4", "note": "Led the privacy review"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/team/people/{team.alice.id}"
    page = team.browser.get(response.headers["location"])
    assert "Rating recorded: Alice Able is at level 4 in 4.2" in text(page)
    assert "2 / 4 gap 2" not in row_of(team.browser.get("/team"), "Alice Able")
    assert row_of(team.browser.get("/team"), "Alice Able").endswith("4 / 4 met 2")
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "competence.rate")).all()
    assert [(e.actor_id, e.target_id) for e in events] == [(team.manager.id, str(team.alice.id))]


def test_htmx_rating_redirects_the_whole_page(team, db):
    response = team.browser.post(
        f"/team/people/{team.bob.id}/ratings", headers={"HX-Request": "true"}, data={"competence_id": comp(db, "1.1").id, "level": "3"}
    )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/team/people/{team.bob.id}"


def test_rating_below_verified_needs_a_reason(team, db):
    url = f"/team/people/{team.alice.id}/ratings"
    cid = comp(db, "1.1").id
    response = team.browser.post(url, data={"competence_id": cid, "level": "1", "note": " "})
    assert response.status_code == 422
    assert 'id="note-error"' in response.text
    assert "Give a reason when you rate below the current verified level." in response.text
    assert 'href="#note"' in response.text, "the error summary links to the field"
    partial = team.browser.post(url, headers={"HX-Request": "true"}, data={"competence_id": cid, "level": "1"})
    assert partial.status_code == 422 and "<html" not in partial.text and 'id="note-error"' in partial.text
    ok = team.browser.post(url, data={"competence_id": cid, "level": "1", "note": "Has not used it for a year"})
    assert ok.status_code == 303
    assert row_of(team.browser.get("/team"), "Alice Able").startswith("Alice Able Caseworker 1 / 3 gap 2")


@pytest.mark.parametrize(
    "data, field", [({"level": "9"}, "level"), ({"level": ""}, "level"), ({"competence_id": "999999", "level": "3"}, "competence_id")]
)
def test_rating_rejects_bad_input_next_to_the_field(team, db, data, field):
    data = {"competence_id": comp(db, "1.1").id, **data}
    response = team.browser.post(f"/team/people/{team.bob.id}/ratings", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text


def test_export_is_the_heatmap_as_csv(team, db):
    response = team.browser.get("/team/export.csv?direct=1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    today = utcnow().date().isoformat()
    assert response.headers["content-disposition"] == f'attachment; filename="team-skills-{today}.csv"'
    rows = rows_by_identifier(response)
    assert len(rows) == 2 * len(REQUIRED)
    alice_42 = next(r for r in rows if r["email"] == team.alice.email and r["competence_code"] == "4.2")
    assert alice_42 == {
        "person": "Alice Able",
        "email": team.alice.email,
        "job_profile": "Caseworker",
        "competence_code": "4.2",
        "competence_name": "Protecting personal data and privacy",
        "required": "4",
        "verified": "2",
        "gap": "2",
        "self_assessed": "5",
        "lapsed": "no",
    }
    assert next(r for r in rows if r["email"] == team.alice.email and r["competence_code"] == "2.1")["lapsed"] == "yes"


def test_export_guards_against_formula_injection(team, make_user):
    make_user(name='=HYPERLINK("http://evil")', email="evil@example.gov", manager_id=team.manager.id, job_profile_id=team.profile.id)
    rows = list(csv.reader(io.StringIO(team.browser.get("/team/export.csv").content.decode("utf-8-sig"))))
    names = {r[0] for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
