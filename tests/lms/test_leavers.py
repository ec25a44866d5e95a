"""Leavers and movers: deactivating from the CSV import and the command line ends sessions at once, is
reversible, and keeps the person's records (skills, report history, mandatory-training cycles)."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from courses.requirements.cycles import cycles_sync_requirement
from lms.audit.models import AuditEvent
from lms.auth.invitations import people_awaiting_invitation
from lms.clock import utcnow
from lms.competences.models import CompetenceStatus
from lms.people.csv_import import users_import
from lms.people.models import User, UserOrigin
from lms.people.selectors import user_by_email
from lms.reports.aggregate import direct_cells
from lms.reports.snapshot import snapshot_cells, snapshot_take
from tests.conftest import sign_in
from tests.courses.certificates.factories import make_certificate
from tests.courses.factories import make_course
from tests.courses.requirements.test_cycles import cycles_of, make_requirement
from tests.lms.reports.factories import make_org
from tests.lms.test_cli import fresh_settings, lms  # noqa: F401 - the CLI tests need fresh settings
from tests.support.queries import counting

HEADER = "email,name,org_unit,manager_email,roles,active\n"


def text_of(response) -> str:
    return html.unescape(response.text)


def upload(browser, content: str, *, dry_run: bool = False):
    data = {"dry_run": "true"} if dry_run else {}
    return browser.post("/admin/users/import", data, files={"file": ("people.csv", content.encode(), "text/csv")})


def fresh(db, user: User) -> User:
    db.expire_all()
    return db.get(User, user.id)


def audit_actions(db, user: User) -> list[tuple[str, str | None]]:
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(AuditEvent.target_id == str(user.id)).order_by(AuditEvent.id)).all()
    return [(e.action, e.actor_email) for e in rows]


def test_csv_active_no_signs_the_leaver_out_at_once_and_yes_lets_them_back(app, signed_in, make_user, db):
    browser, admin = signed_in("admin")
    leo = make_user(name="Leo Leaver", email="leo@example.gov")
    stay = make_user(name="Stan Stayer", email="stan@example.gov")
    leaving = HEADER + "leo@example.gov,Leo Leaver,,,,no\nstan@example.gov,Stan Stayer,,,,yes\n"
    with TestClient(app, follow_redirects=False) as theirs:
        assert sign_in(theirs, leo.email).status_code == 303

        dry = upload(browser, leaving, dry_run=True)
        assert dry.status_code == 200
        assert "update 1 and leave 1 user(s) unchanged. 1 would be deactivated and signed out everywhere, 0 would be reactivated." in (
            text_of(dry)
        )
        assert fresh(db, leo).is_active and theirs.get("/").status_code == 200

        done = upload(browser, leaving)
        assert done.status_code == 303
        flashed = text_of(browser.get(done.headers["location"]))
        assert "Created 0, updated 1, unchanged 1 user(s). 1 deactivated and signed out everywhere, 0 reactivated." in flashed
        # Their open session is refused on its very next request, and their password no longer works.
        after = theirs.get("/")
        assert after.status_code == 303 and after.headers["location"].startswith("/login")
        assert sign_in(theirs, leo.email).status_code == 422
        assert fresh(db, stay).is_active

        back = upload(browser, HEADER + "leo@example.gov,Leo Leaver,,,,Yes\n")
        assert back.status_code == 303
        assert "0 deactivated and signed out everywhere, 1 reactivated" in text_of(browser.get(back.headers["location"]))
        assert sign_in(theirs, leo.email).status_code == 303
        assert theirs.get("/").status_code == 200
    assert audit_actions(db, leo) == [("user.deactivate", admin.email), ("user.activate", admin.email)]
    summary = db.exec(select(AuditEvent).where(AuditEvent.action == "users.import").order_by(AuditEvent.id)).all()
    assert ['"deactivated": 1' in e.detail for e in summary] == [True, False]
    # The same file again changes nothing: the column states the wanted status, not a toggle.
    again = upload(browser, HEADER + "leo@example.gov,Leo Leaver,,,,1\n")
    assert "Created 0, updated 0, unchanged 1 user(s)." in text_of(browser.get(again.headers["location"]))


def test_an_empty_active_leaves_the_status_alone(signed_in, make_user, db):
    browser, _ = signed_in("admin")
    gone = make_user(name="Gina Gone", email="gina@example.gov", is_active=False)
    r = upload(browser, HEADER + "gina@example.gov,Gina Gone,,,,\n")
    assert "unchanged 1" in text_of(browser.get(r.headers["location"]))
    assert fresh(db, gone).is_active is False


def test_a_bad_active_value_is_listed_with_the_lines_other_problems(signed_in, make_user, db):
    browser, _ = signed_in("admin")
    leo = make_user(email="leo@example.gov")
    bad = HEADER + "leo@example.gov,Leo,,,,no\nx@example.gov,,,,,maybe\nnot-an-email,Someone,,,,left\n"
    r = upload(browser, bad)
    assert r.status_code == 422
    page = text_of(r)
    problems = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', page[page.index("Problems found") :])
    assert problems == [
        ("3", "Name is missing."),
        ("3", "Active 'maybe' is not yes or no; write yes, no, true, false, 1 or 0, or leave it empty."),
        ("4", problems[2][1]),
        ("4", "Active 'left' is not yes or no; write yes, no, true, false, 1 or 0, or leave it empty."),
    ]
    assert "not a valid email" in problems[2][1]
    assert fresh(db, leo).is_active  # the whole file was rejected


def test_people_the_import_creates_are_marked_and_a_listed_leaver_is_created_inactive(signed_in, db):
    browser, _ = signed_in("admin")
    r = upload(browser, HEADER + "new@example.gov,New Starter,Digital,,,\nold@example.gov,Old Record,Digital,,,false\n")
    assert r.status_code == 303
    db.expire_all()
    new, old = user_by_email(db, "new@example.gov"), user_by_email(db, "old@example.gov")
    assert (new.created_via, new.is_active) == (UserOrigin.IMPORT.value, True)
    assert (old.created_via, old.is_active) == (UserOrigin.IMPORT.value, False)
    # Only the active newcomer is offered an invitation.
    assert [p.email for p in people_awaiting_invitation(db)] == ["new@example.gov"]


def test_the_import_refuses_to_deactivate_the_admin_who_runs_it(signed_in, db):
    browser, admin = signed_in("admin")
    r = upload(browser, HEADER + f"{admin.email},{admin.name},,,admin,no\n")
    assert r.status_code == 422
    assert "This line deactivates your own account; ask another admin." in text_of(r)
    assert fresh(db, admin).is_active


def test_cli_deactivate_ends_sessions_and_activate_lets_them_back(client, make_user, db, db_url):
    leo = make_user(name="Leo Leaver", email="leo@example.gov")
    assert sign_in(client, leo.email).status_code == 303
    out = lms(db_url, "users", "deactivate", "Leo@Example.gov")
    assert out.exit_code == 0, out.output
    assert "Deactivated leo@example.gov (Leo Leaver): signed out everywhere" in out.stdout
    assert client.get("/account").status_code == 303
    assert sign_in(client, leo.email).status_code == 422
    assert "already inactive; nothing changed" in lms(db_url, "users", "deactivate", leo.email).stdout

    out = lms(db_url, "users", "activate", leo.email)
    assert out.exit_code == 0 and "Reactivated leo@example.gov" in out.stdout
    assert sign_in(client, leo.email).status_code == 303
    assert audit_actions(db, leo) == [("user.deactivate", "lms command line"), ("user.activate", "lms command line")]

    missing = lms(db_url, "users", "deactivate", "ghost@example.gov")
    assert missing.exit_code == 1 and missing.stderr.strip() == "Error: no user with email ghost@example.gov."


def test_cli_create_with_invite_prints_a_link_that_sets_the_password(client, db, db_url):
    out = lms(db_url, "users", "create", "--email", "ivy@example.gov", "--name", "Ivy Invited", "--invite")
    assert out.exit_code == 0, out.output
    assert "Created ivy@example.gov (Ivy Invited)" in out.stdout
    [link] = re.findall(r"http://127\.0\.0\.1:8000(/invite/\S+)", out.stdout)
    db.expire_all()
    ivy = user_by_email(db, "ivy@example.gov")
    assert ivy.password_hash is None and ivy.created_via == UserOrigin.LOCAL.value
    page = client.get(link)
    assert page.status_code == 200 and "Ivy Invited" in text_of(page)

    both = lms(db_url, "users", "create", "--email", "x@example.gov", "--name", "X", "--invite", "--password-stdin", input="pw\n")
    assert both.exit_code == 1 and "--invite and --password-stdin exclude each other" in both.stderr


def test_records_stay_and_reports_treat_the_leaver_as_they_treat_any_inactive_person(signed_in, make_user, db):
    """History stays: a snapshot taken before still counts them and their certificate still verifies;
    current figures, like every report today, count active people only; reactivating brings their
    unchanged statuses back."""
    browser, _ = signed_in("admin")
    org = make_org(db, make_user)
    org.unit("Team")
    leaver, *_ = org.people("Team", [{"1.1": 3}] * 3)
    team = org.units["Team"].id
    taken = snapshot_take(db, period="2026-10")
    db.commit()
    history = snapshot_cells(db, taken.id)
    before = direct_cells(db)
    statuses = db.exec(select(CompetenceStatus).where(CompetenceStatus.user_id == leaver.id)).all()

    certificate = make_certificate(db, leaver, make_course(db, "Records management"))

    assert browser.post(f"/admin/users/{leaver.id}/deactivate").status_code == 303
    db.expire_all()
    # A certificate is the person's to keep: it still verifies after they leave.
    assert "Valid certificate" in text_of(browser.get(f"/verify/{certificate.code}"))
    assert snapshot_cells(db, taken.id) == history
    people_in_team = {key: cell[0] for key, cell in direct_cells(db).items() if key[0] == team}
    assert set(people_in_team.values()) == {2}
    assert db.exec(select(CompetenceStatus).where(CompetenceStatus.user_id == leaver.id)).all() == statuses
    assert "Person 001" in text_of(browser.get(f"/admin/users?status=inactive&q={leaver.email}"))

    assert browser.post(f"/admin/users/{leaver.id}/activate").status_code == 303
    db.expire_all()
    assert direct_cells(db) == before


@pytest.mark.parametrize("way", ["import", "cli"])
def test_mandatory_training_cycles_close_as_left_and_reopen_on_return(signed_in, make_user, db, db_url, way):
    browser, _ = signed_in("admin")
    leo = make_user(name="Leo Leaver", email="leo@example.gov")
    requirement = make_requirement(db, [make_course(db)], everyone=True)
    cycles_sync_requirement(db, requirement=requirement, now=utcnow())
    db.commit()

    def set_active(active: bool) -> None:
        if way == "import":
            assert upload(browser, HEADER + f"leo@example.gov,Leo Leaver,,,,{'yes' if active else 'no'}\n").status_code == 303
        else:
            assert lms(db_url, "users", "activate" if active else "deactivate", leo.email).exit_code == 0

    set_active(False)
    [cycle] = cycles_of(db, requirement, leo)
    assert cycle.outcome == "left" and cycle.ended_at is not None
    set_active(True)  # the users_changed hook opens the returning person's next cycle at once
    first, back = cycles_of(db, requirement, leo)
    assert (first.number, first.outcome) == (1, "left") and (back.number, back.outcome) == (2, None)


def test_a_leavers_file_tells_the_training_listeners_once_not_per_person(app, signed_in, make_user, db):
    """Each leaver costs their own update, sign-out and audit row; the requirement listeners run once."""
    signed_in("admin")
    people = [make_user(email=f"p{i}@example.gov", name=f"P {i}") for i in range(15)]
    for n in range(2):
        requirement = make_requirement(db, [make_course(db)], everyone=True, name=f"Requirement {n}")
        cycles_sync_requirement(db, requirement=requirement, now=utcnow())
    db.commit()

    def deactivate(chosen: list[User]) -> int:
        data = HEADER + "".join(f"{p.email},{p.name},,,,no\n" for p in chosen)
        with counting(app.state.engine) as statements:
            result = users_import(db, data=data, by=None)
            db.commit()
        assert result.deactivated == len(chosen)
        return len(statements)

    few, many = deactivate(people[:3]), deactivate(people[3:15])
    assert many - few <= 3 * (12 - 3)
    assert all(cycle.outcome == "left" for p in people for cycle in cycles_of(db, requirement, p))
