"""Managers' and skills leads' pages kept per session (lms/web/page_cache.py, LINE and FIGURES): the team
heatmap, the compliance matrix and a manager's home miss at once when anything they show about the
people in the line changes, or the line itself; the organisation report when new figures are published
or the threshold changes. Through HTTP on both engines, the cache on as in production."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import col, delete, select, text

from courses.models import Enrolment
from courses.requirements.models import RequirementCycle
from lms.audit.models import RecordView, RecordViewSubject
from lms.clock import utcnow
from lms.competences.models import JobProfile, JobProfileRequirement
from lms.competences.service import evidence_record
from lms.people.models import RoleGrant, User
from lms.reports.stored import figures_publish
from tests.courses.compliance.factories import enrol, make_cycle, make_requirement
from tests.courses.factories import make_course
from tests.lms.competences.factories import make_competences

DAY = timedelta(days=1)


@pytest.fixture
def cache(app):
    app.state.page_cache.max_age = 60
    return app.state.page_cache


class Line:
    """A manager signed in, with Alice and Bob in the line (Carol below Bob) and Oscar outside it."""

    def __init__(self, db, signed_in, make_user) -> None:
        (self.competence,) = make_competences(db, "4.1")
        profile = JobProfile(name="Caseworker")
        db.add(profile)
        db.flush()
        db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=self.competence.id, level=3))
        db.commit()
        self.db, self.profile = db, profile
        self.browser, self.manager = signed_in("manager", name="Mona Manager")
        self.alice = make_user(name="Alice Able", manager_id=self.manager.id, job_profile_id=profile.id)
        self.bob = make_user(name="Bob Baker", manager_id=self.manager.id, job_profile_id=profile.id)
        self.carol = make_user(name="Carol Clark", manager_id=self.bob.id, job_profile_id=profile.id)
        self.oscar = make_user(name="Oscar Outside", job_profile_id=profile.id)

    def evidence(self, person: User, level: int) -> None:
        evidence_record(self.db, user=person, competence=self.competence, level=level, source="course", by=None)
        self.db.commit()


@pytest.fixture
def line(db, signed_in, make_user) -> Line:
    return Line(db, signed_in, make_user)


def _hit(cache, get):
    before = cache.hits
    response = get()
    assert response.status_code == 200, response.status_code
    return response, cache.hits == before + 1


def _row(page: str, name: str) -> str:
    """The table row of one person, as its words."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        if f">{name}</a>" in row:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
    raise AssertionError(f"no row for {name}")


def test_a_kept_heatmap_misses_when_a_team_members_evidence_changes_and_not_for_an_outsiders(cache, line):
    line.browser.get("/team")
    page, hit = _hit(cache, lambda: line.browser.get("/team"))
    assert hit and "0 / 3 gap 3" in _row(page.text, "Carol Clark")
    line.evidence(line.oscar, 3)  # outside the line: the kept heatmap still stands
    _page, hit = _hit(cache, lambda: line.browser.get("/team"))
    assert hit
    line.evidence(line.carol, 3)  # an indirect report
    page, hit = _hit(cache, lambda: line.browser.get("/team"))
    assert not hit and "3 / 3 met" in _row(page.text, "Carol Clark")


def test_a_kept_heatmap_misses_when_someone_joins_or_leaves_the_team(cache, line, db):
    line.browser.get("/team")
    assert _hit(cache, lambda: line.browser.get("/team"))[1]
    db.get(User, line.oscar.id).manager_id = line.alice.id
    db.commit()
    page, hit = _hit(cache, lambda: line.browser.get("/team"))
    assert not hit and "Oscar Outside" in page.text
    assert _hit(cache, lambda: line.browser.get("/team"))[1]
    db.get(User, line.bob.id).manager_id = None  # Bob leaves, and Carol (his report) with him
    db.commit()
    page, hit = _hit(cache, lambda: line.browser.get("/team"))
    assert not hit and "Bob Baker" not in page.text and "Carol Clark" not in page.text


def test_a_swap_that_leaves_the_sum_of_versions_unchanged_still_misses(cache, line, db):
    """Alice leaves and Oscar joins in one transaction, with versions chosen so that the line's total
    stays the same: only the `lines` version tells the kept heatmap that its people changed."""
    db.execute(text("UPDATE person_version SET version = 5 WHERE user_id = :a"), {"a": line.alice.id})
    db.execute(text("UPDATE person_version SET version = 4 WHERE user_id = :o"), {"o": line.oscar.id})
    db.commit()
    line.browser.get("/team")
    assert _hit(cache, lambda: line.browser.get("/team"))[1]
    db.get(User, line.alice.id).manager_id = None  # 5 leaves the sum
    db.get(User, line.oscar.id).manager_id = line.manager.id  # 4 + 1 joins it
    db.commit()
    page, hit = _hit(cache, lambda: line.browser.get("/team"))
    assert not hit and "Oscar Outside" in page.text and "Alice Able" not in page.text


def test_a_kept_heatmap_is_gone_when_the_viewer_loses_the_manager_role(cache, line, db):
    line.browser.get("/team")
    assert _hit(cache, lambda: line.browser.get("/team"))[1]
    db.exec(delete(RoleGrant).where(col(RoleGrant.user_id) == line.manager.id))
    db.commit()
    assert line.browser.get("/team").status_code == 403


def test_each_view_of_a_kept_heatmap_is_recorded_for_the_people_it_shows(cache, line, db):
    line.browser.get("/team")
    assert _hit(cache, lambda: line.browser.get("/team"))[1]
    views = db.exec(select(RecordView).where(RecordView.viewer_id == line.manager.id)).all()
    assert len(views) == 2 and {v.what for v in views} == {"team skills (My team)"}
    subjects = db.exec(select(RecordViewSubject.user_id).where(RecordViewSubject.view_id == views[1].id)).all()
    assert sorted(subjects) == sorted([line.alice.id, line.bob.id, line.carol.id])


def test_a_kept_compliance_matrix_misses_when_a_team_members_assignment_or_completion_changes(cache, line, db):
    now = utcnow()
    course = make_course(db, "Data protection basics")
    requirement = make_requirement(db, "Data protection", courses=[course])
    cycle = make_cycle(db, requirement, line.alice, opened_at=now - 10 * DAY, due_at=now + 60 * DAY)
    make_cycle(db, requirement, line.oscar, opened_at=now - 10 * DAY, due_at=now + 60 * DAY)
    line.browser.get("/team/compliance")
    page, hit = _hit(cache, lambda: line.browser.get("/team/compliance"))
    assert hit and "Not started" in _row(page.text, "Alice Able")
    enrol(db, line.oscar, course, started_at=now)  # outside the line
    assert _hit(cache, lambda: line.browser.get("/team/compliance"))[1]
    enrol(db, line.alice, course, started_at=now)  # she starts the course she is assigned
    page, hit = _hit(cache, lambda: line.browser.get("/team/compliance"))
    assert not hit and "In progress" in _row(page.text, "Alice Able")
    assert _hit(cache, lambda: line.browser.get("/team/compliance"))[1]
    kept = db.get(RequirementCycle, cycle.id)
    kept.completed_at, kept.valid_until, kept.outcome = now, now + 300 * DAY, "completed"
    db.commit()
    page, hit = _hit(cache, lambda: line.browser.get("/team/compliance"))
    assert not hit and "Compliant" in _row(page.text, "Alice Able")
    assert db.exec(select(Enrolment).where(Enrolment.user_id == line.alice.id)).one().started_at is not None


def test_a_managers_home_is_kept_and_misses_when_a_team_members_data_changes(cache, line):
    before, _hit_first = _hit(cache, lambda: line.browser.get("/"))
    assert "Your team at a glance" in before.text
    again, hit = _hit(cache, lambda: line.browser.get("/"))
    assert hit and again.text == before.text
    line.evidence(line.oscar, 3)
    assert _hit(cache, lambda: line.browser.get("/"))[1]
    line.evidence(line.alice, 3)
    after, hit = _hit(cache, lambda: line.browser.get("/"))
    assert not hit and after.text != before.text


def test_a_home_with_a_role_beyond_manager_is_not_kept(cache, signed_in):
    browser, _user = signed_in("manager", "trainer")
    browser.get("/")
    assert not _hit(cache, lambda: browser.get("/"))[1]


@pytest.fixture
def lead(app, db, signed_in, make_user):
    (competence,) = make_competences(db, "4.1")
    profile = JobProfile(name="Caseworker")
    db.add(profile)
    db.flush()
    db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=competence.id, level=3))
    db.commit()
    people = [make_user(name=f"Person {n}", job_profile_id=profile.id) for n in range(4)]
    browser, _lead = signed_in("skills_lead")
    return browser, competence, people


def _as_of(page: str) -> str:
    return re.search(r'class="figures-as-of" datetime="([^"]+)"', page).group(1)


def test_a_kept_org_report_misses_when_new_figures_are_published(cache, lead, db):
    browser, competence, people = lead
    figures_publish(db, min_group=5, now=datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc), force=True)
    db.commit()
    first = browser.get("/reports")
    assert _as_of(first.text).startswith("2026-12-03T09:00")
    assert _hit(cache, lambda: browser.get("/reports"))[1]
    evidence_record(db, user=people[0], competence=competence, level=3, source="course", by=None)
    db.commit()  # the data moved, the stored figures did not: the page says what they say
    assert _hit(cache, lambda: browser.get("/reports"))[1]
    figures_publish(db, min_group=5, now=datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc), force=True)
    db.commit()
    page, hit = _hit(cache, lambda: browser.get("/reports"))
    assert not hit and _as_of(page.text).startswith("2026-12-03T10:00")


def test_a_kept_org_report_misses_when_the_threshold_changes(cache, app, lead, db):
    browser, _competence, _people = lead
    figures_publish(db, min_group=5, force=True)
    db.commit()
    browser.get("/reports")
    page, hit = _hit(cache, lambda: browser.get("/reports"))
    assert hit and "fewer than 5 people" in page.text
    app.state.settings = app.state.settings.model_copy(update={"report_min_group": 3})
    page, hit = _hit(cache, lambda: browser.get("/reports"))
    assert not hit and "fewer than 3 people" in page.text
