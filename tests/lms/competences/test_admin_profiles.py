"""Admin job profiles: create, the required-levels grid, rename, delete, and giving profiles to people."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.competences.models import Competence, JobProfile, JobProfileRequirement
from lms.people.models import User
from tests.lms.competences.factories import load_digcomp, make_profile


def text_of(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def comps(db) -> dict[str, Competence]:
    load_digcomp(db)
    return {c.code: c for c in db.exec(select(Competence)).all()}


def requirements(db, profile_id: int) -> dict[str, int]:
    db.expire_all()
    rows = db.exec(
        select(Competence.code, JobProfileRequirement.level)
        .join(Competence, Competence.id == JobProfileRequirement.competence_id)
        .where(JobProfileRequirement.job_profile_id == profile_id)
    ).all()
    return dict(rows)


def grid_values(page: str) -> dict[str, str]:
    """competence id -> the selected level shown in the grid."""
    found = {}
    for cid, options in re.findall(r'<select class="usa-select" id="level-(\d+)" name="level-\d+"[^>]*>(.*?)</select>', page, re.S):
        found[cid] = re.search(r'<option value="(\d)" selected>', options).group(1)
    return found


def test_create_lists_with_counts_and_rejects_blank_or_duplicate_names(signed_in, db, comps, make_user):
    browser, _ = signed_in("admin")
    assert "There are no job profiles yet" in text_of(browser.get("/admin/job-profiles"))
    created = browser.post("/admin/job-profiles", {"name": "  Data   analyst ", "description": "Analyses data."})
    assert created.status_code == 303
    new = db.exec(select(JobProfile)).one()
    assert created.headers["location"] == f"/admin/job-profiles/{new.id}" and new.name == "Data analyst"

    blank = browser.post("/admin/job-profiles", {"name": " "})
    assert blank.status_code == 422 and "Enter a name for the job profile." in text_of(blank)
    dup = browser.post("/admin/job-profiles", {"name": "DATA ANALYST", "description": "kept"})
    assert dup.status_code == 422 and "There is already a job profile called Data analyst." in text_of(dup)
    assert ">kept</textarea>" in dup.text

    db.add(JobProfileRequirement(job_profile_id=new.id, competence_id=comps["1.1"].id, level=3))
    db.commit()
    make_user(job_profile_id=new.id)
    listing = text_of(browser.get("/admin/job-profiles"))
    assert re.search(rf'<a href="/admin/job-profiles/{new.id}">Data analyst</a></th>\s*<td>1</td>\s*<td>1</td>', listing)


def test_grid_has_every_competence_by_area_with_accessible_labels(signed_in, db, comps):
    browser, _ = signed_in("admin")
    p = make_profile(db, "Caseworker", {}, description="Handles cases.")
    page = text_of(browser.get(f"/admin/job-profiles/{p.id}"))
    assert len(grid_values(page)) == 21 and set(grid_values(page).values()) == {"0"}
    assert page.count('scope="rowgroup"') == 5 and "4 Safety</th>" in page
    c = comps["4.2"]
    assert f'<label class="usa-sr-only" for="level-{c.id}">Required level for 4.2 {c.name}</label>' in page
    assert '<option value="4">4 · Intermediate</option>' in page


def test_grid_save_sets_changes_and_removes_levels_in_one_post(signed_in, db, comps):
    browser, _ = signed_in("admin")
    p = make_profile(db, "Caseworker", {}, description="Handles cases.")
    url = f"/admin/job-profiles/{p.id}/requirements"
    all_zero = {f"level-{c.id}": "0" for c in comps.values()}
    r = browser.post(url, {**all_zero, f"level-{comps['1.1'].id}": "3", f"level-{comps['4.2'].id}": "5"})
    assert r.status_code == 303
    assert requirements(db, p.id) == {"1.1": 3, "4.2": 5}
    page = text_of(browser.get(r.headers["location"]))
    assert "saved: 2 changes" in page
    assert grid_values(page)[str(comps["4.2"].id)] == "5"

    r = browser.post(url, {**all_zero, f"level-{comps['4.2'].id}": "4", f"level-{comps['5.1'].id}": "8"})
    assert requirements(db, p.id) == {"4.2": 4, "5.1": 8}
    db.expire_all()
    detail = db.exec(
        select(AuditEvent.detail).where(AuditEvent.action == "job_profile.requirements").order_by(AuditEvent.id.desc())
    ).first()
    assert json.loads(detail) == {"1.1": [3, 0], "4.2": [5, 4], "5.1": [0, 8]}

    unchanged = browser.post(url, {**all_zero, f"level-{comps['4.2'].id}": "4", f"level-{comps['5.1'].id}": "8"})
    assert "No levels changed" in text_of(browser.get(unchanged.headers["location"]))


def test_grid_rejects_bad_levels_and_unknown_competences_with_messages(signed_in, db, comps):
    browser, _ = signed_in("admin")
    p = make_profile(db, "Caseworker", {}, description="Handles cases.")
    db.add(JobProfileRequirement(job_profile_id=p.id, competence_id=comps["1.1"].id, level=2))
    db.commit()
    url = f"/admin/job-profiles/{p.id}/requirements"
    r = browser.post(
        url,
        {
            f"level-{comps['1.1'].id}": "9",
            f"level-{comps['1.2'].id}": "-1",
            f"level-{comps['1.3'].id}": "4",
            "level-999999": "3",
            "level-abc": "2",
        },
    )
    assert r.status_code == 422
    page = text_of(r)
    assert page.count("Choose a level from 0 to 8") >= 2
    assert "There is no competence with id 999999." in page and "Not a competence id: 'abc'." in page
    assert f'href="#level-{comps["1.1"].id}"' in r.text
    # What was sent stays on screen; nothing was saved.
    assert grid_values(page)[str(comps["1.3"].id)] == "4"
    assert requirements(db, p.id) == {"1.1": 2}


def test_rename_and_describe(signed_in, db, comps):
    browser, _ = signed_in("admin")
    p = make_profile(db, "Caseworker", {}, description="Handles cases.")
    make_profile(db, "Team leader", {}, description="Handles cases.")
    r = browser.post(f"/admin/job-profiles/{p.id}", {"name": "Senior caseworker", "description": "Leads cases."})
    assert r.status_code == 303
    db.refresh(p)
    assert (p.name, p.description) == ("Senior caseworker", "Leads cases.")
    clash = browser.post(f"/admin/job-profiles/{p.id}", {"name": "team leader", "description": ""})
    assert clash.status_code == 422 and "already a job profile called Team leader" in text_of(clash)
    assert browser.get("/admin/job-profiles/999999").status_code == 404


def test_delete_is_refused_while_someone_has_the_profile(signed_in, db, comps, make_user):
    browser, _ = signed_in("admin")
    p = make_profile(db, "Caseworker", {}, description="Handles cases.")
    db.add(JobProfileRequirement(job_profile_id=p.id, competence_id=comps["1.1"].id, level=2))
    db.commit()
    holder = make_user(name="Hana Holder", job_profile_id=p.id)
    page = text_of(browser.get(f"/admin/job-profiles/{p.id}"))
    assert "1 person has this job profile." in page and "cannot be deleted while people have it" in page
    refused = browser.post(f"/admin/job-profiles/{p.id}/delete")
    assert refused.status_code == 409
    assert "Caseworker cannot be deleted: 1 person has this job profile." in text_of(refused)
    assert db.exec(select(JobProfile.id).where(JobProfile.id == p.id)).first() == p.id

    holder.job_profile_id = None
    db.add(holder)
    db.commit()
    done = browser.post(f"/admin/job-profiles/{p.id}/delete")
    assert done.status_code == 303 and done.headers["location"] == "/admin/job-profiles"
    assert db.exec(select(JobProfile.id).where(JobProfile.id == p.id)).first() is None
    assert requirements(db, p.id) == {}
    assert "job_profile.delete" in db.exec(select(AuditEvent.action)).all()


def test_user_form_assigns_a_profile_and_the_list_shows_it(signed_in, db, make_user):
    browser, admin = signed_in("admin")
    p = make_profile(db, "Caseworker", {}, description="Handles cases.")
    person = make_user(name="Pat Person", email="pat@example.gov")
    form = {"name": "Pat Person", "email": "pat@example.gov", "org_unit_id": "", "manager_email": ""}
    edit = text_of(browser.get(f"/admin/users/{person.id}"))
    assert '<label class="usa-label" for="job_profile_id">Job profile</label>' in edit
    assert f'<option value="{p.id}">Caseworker</option>' in edit

    r = browser.post(f"/admin/users/{person.id}", {**form, "job_profile_id": str(p.id)})
    assert r.status_code == 303
    db.refresh(person)
    assert person.job_profile_id == p.id
    assert f'<option value="{p.id}" selected>Caseworker</option>' in text_of(browser.get(f"/admin/users/{person.id}"))
    listing = text_of(browser.get("/admin/users"))
    assert re.search(r"Pat Person</a></th>.*?<td>Caseworker</td>", listing, re.S)
    db.expire_all()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "user.job_profile")).one()
    assert event.target_id == str(person.id) and json.loads(event.detail) == {"from": None, "to": "Caseworker"}

    bad = browser.post(f"/admin/users/{person.id}", {**form, "job_profile_id": "999999"})
    assert bad.status_code == 422 and "Choose a job profile from the list." in text_of(bad)
    browser.post(f"/admin/users/{person.id}", {**form, "job_profile_id": ""})
    db.refresh(person)
    assert person.job_profile_id is None

    created = browser.post("/admin/users/new", {"name": "Nia New", "email": "nia@example.gov", "job_profile_id": str(p.id)})
    assert created.status_code == 303
    db.expire_all()
    assert db.exec(select(User).where(User.email == "nia@example.gov")).one().job_profile_id == p.id


HEADER = "email,name,org_unit,manager_email,roles,job_profile\n"


def import_csv(browser, content: str):
    return browser.post("/admin/users/import", {}, files={"file": ("people.csv", content.encode(), "text/csv")})


def test_csv_import_sets_clears_and_checks_job_profiles(signed_in, db):
    browser, _ = signed_in("admin")
    make_profile(db, "Caseworker", {}, description="Handles cases.")
    make_profile(db, "Data analyst", {}, description="Handles cases.")
    assert "Accepted but not used yet" not in text_of(browser.get("/admin/users/import"))

    good = HEADER + "ann@example.gov,Ann,,,,caseworker\nbob@example.gov,Bob,,,,\n"
    r = import_csv(browser, good)
    assert r.status_code == 303
    db.expire_all()
    by_email = {u.email: u for u in db.exec(select(User)).all()}
    names = {p.id: p.name for p in db.exec(select(JobProfile)).all()}
    assert names[by_email["ann@example.gov"].job_profile_id] == "Caseworker"
    assert by_email["bob@example.gov"].job_profile_id is None

    again = import_csv(browser, good)
    assert "Created 0, updated 0, unchanged 2" in text_of(browser.get(again.headers["location"]))

    moved = HEADER + "ann@example.gov,Ann,,,,\nbob@example.gov,Bob,,,,DATA ANALYST\n"
    r = import_csv(browser, moved)
    assert "Created 0, updated 2, unchanged 0" in text_of(browser.get(r.headers["location"]))
    db.expire_all()
    by_email = {u.email: u for u in db.exec(select(User)).all()}
    assert by_email["ann@example.gov"].job_profile_id is None
    assert names[by_email["bob@example.gov"].job_profile_id] == "Data analyst"

    # Without the column, people keep their profiles.
    r = import_csv(browser, "email,name,org_unit,manager_email,roles\nbob@example.gov,Bob,,,\n")
    assert "unchanged 1" in text_of(browser.get(r.headers["location"]))
    db.expire_all()
    assert db.exec(select(User).where(User.email == "bob@example.gov")).one().job_profile_id is not None

    bad = HEADER + "ann@example.gov,Ann,,,,Astronaut\ncid@example.gov,Cid,,,,Caseworker\ndee@example.gov,Dee,,,,Wizard\n"
    r = import_csv(browser, bad)
    assert r.status_code == 422
    page = text_of(r)
    assert "<th scope=\"row\">2</th><td>Unknown job profile 'Astronaut'." in page
    assert "<th scope=\"row\">4</th><td>Unknown job profile 'Wizard'." in page
    db.expire_all()
    assert db.exec(select(User).where(User.email == "cid@example.gov")).first() is None
