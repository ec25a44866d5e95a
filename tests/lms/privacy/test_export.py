"""Subject access export: asked for on /account or by an admin, built by the worker, downloaded once
by whoever asked, from a link that expires (both engines, through the real app and worker)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, select, update

from lms.audit.models import AuditEvent, RecordView, RecordViewSubject
from lms.config import Settings, get_settings
from lms.clock import utcnow
from lms.jobs.models import Job
from lms.jobs.registry import registry
from lms.jobs.worker import Worker
from lms.notifications.models import Outbox
from lms.privacy.models import DataExport, ExportStatus
from lms.privacy.service import ExportGone, export_build, export_download, export_kinds, exports_purge, purge_job
from tests.conftest import Browser, sign_in
from tests.lms.privacy.seeding import EMAIL, NAME, seed_person


@pytest.fixture
def settings(db_url, tmp_path, monkeypatch) -> Iterator[Settings]:
    # The worker's handler reads its settings from the environment, as `lms worker` does (once per process).
    monkeypatch.setenv("EXPORTS_DIR", str(tmp_path / "exports"))
    get_settings.cache_clear()
    yield Settings(
        database_url=db_url,
        secret_key="test-secret-key-" + "x" * 32,
        proficio_env="development",
        attachments_dir=tmp_path / "attachments",
        exports_dir=tmp_path / "exports",
    )
    get_settings.cache_clear()


def run_jobs(app) -> None:
    worker = Worker(worker_id="test", registry=registry)
    with Session(app.state.engine, expire_on_commit=False) as session:
        while worker.run_next(session):
            pass


def latest_export(db: Session) -> DataExport:
    db.expire_all()
    return db.exec(select(DataExport).order_by(DataExport.id.desc())).first()


def open_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_a_person_exports_every_kind_of_their_records_once(app, client, db, make_user, settings):
    seeded = seed_person(db, make_user)
    seeded.person.is_active = True
    db.add(seeded.person)
    db.commit()
    assert sign_in(client, EMAIL).status_code == 303
    me = Browser(client)

    page = me.get("/account")
    assert "Your data" in page.text and "Request a copy of your data" in page.text
    assert me.post("/account/exports").status_code == 303
    # Asking again while the first is being prepared says so rather than queueing a second.
    me.post("/account/exports")
    assert "already being prepared" in me.get("/account").text
    export = latest_export(db)
    assert export.status == ExportStatus.QUEUED and export.subject_id == export.requested_by_id == seeded.person.id
    assert "being prepared" in me.get(f"/exports/{export.id}").text
    early = me.post(f"/exports/{export.id}/download")
    assert early.status_code == 410 and "not ready yet" in early.text

    run_jobs(app)
    export = latest_export(db)
    assert export.status == ExportStatus.READY
    assert export.expires_at - export.ready_at == timedelta(days=7)
    assert (settings.exports_path / export.file_name).is_file()
    assert f'href="/exports/{export.id}"' in me.get("/account").text
    mail = db.exec(select(Outbox).where(Outbox.user_id == seeded.person.id, Outbox.kind == "data_export_ready")).one()
    assert mail.link == f"/exports/{export.id}" and mail.subject == "Your personal data export is ready"

    archive = open_zip(me.post(f"/exports/{export.id}/download"))
    names = set(archive.namelist())
    kinds = export_kinds()
    assert names == {f"{kind.kind}.json" for kind in kinds} | {"summary.html"}
    empty = [kind.kind for kind in kinds if not json.loads(archive.read(f"{kind.kind}.json"))]
    assert empty == [], f"kinds with no record for a person who has one of everything: {empty}"

    attempts = json.loads(archive.read("quiz_attempts.json"))
    assert attempts[0]["passed"] is True and [r["answer"] for r in attempts[0]["responses"]][0] == {"choice": "b"}
    assert len(attempts[0]["responses"]) == 2
    profile = json.loads(archive.read("profile.json"))
    assert profile[0]["email"] == EMAIL and "password_hash" not in profile[0]
    assert {row.get("name") for row in profile[1:]} == {"trainer", "Casework trainers"}
    given = json.loads(archive.read("ratings_given.json"))
    assert given[0]["about_person_id"] == seeded.colleague.id and "Colm" not in json.dumps(given)
    summary = archive.read("summary.html").decode()
    assert NAME in summary and "Handling personal data" in summary and "Data protection" in summary

    # Once: the file is gone, and the link now explains why.
    assert not (settings.exports_path / export.file_name).exists()
    again = me.post(f"/exports/{export.id}/download")
    assert again.status_code == 410 and "downloaded on" in again.text
    gone = me.get(f"/exports/{export.id}")
    assert gone.status_code == 410 and "request a new" in gone.text.lower() or "ask for a new copy" in gone.text
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_id == str(seeded.person.id))).all()
    assert {"data_export.request", "data_export.ready", "data_export.download"} <= set(actions)


def test_an_admin_exports_on_someones_behalf_and_only_the_admin_can_download(app, client, db, make_user, settings):
    subject = make_user(name="Sam Subject")
    other_admin = make_user("admin", email="other.admin@example.gov")
    admin = make_user("admin", email="asking.admin@example.gov")
    assert sign_in(client, admin.email).status_code == 303
    browser = Browser(client)
    page = browser.get(f"/admin/users/{subject.id}")
    assert f'href="/admin/users/{subject.id}/data#export"' in page.text
    assert browser.get(f"/admin/users/{subject.id}/data").status_code == 200
    seen = db.exec(select(RecordView.what).join(RecordViewSubject).where(RecordViewSubject.user_id == subject.id)).all()
    assert "personal data page (Administration)" in seen
    assert browser.post(f"/admin/users/{subject.id}/exports").status_code == 303
    assert browser.post(f"/admin/users/{subject.id}/exports").status_code == 422
    run_jobs(app)
    export = latest_export(db)
    assert export.requested_by_id == admin.id and export.status == ExportStatus.READY
    assert (settings.exports_path / export.file_name).is_file(), list(settings.exports_path.iterdir())

    with pytest.raises(ExportGone):
        export_download(db, export=export, by=other_admin, settings=settings)
    assert browser.get("/admin/users/999999/data").status_code == 404
    # The subject, another admin, and anyone else: as if it did not exist.
    for email in (subject.email, other_admin.email):
        client.cookies.clear()
        assert sign_in(client, email).status_code == 303
        assert Browser(client).get(f"/exports/{export.id}").status_code == 404
        assert Browser(client).post(f"/exports/{export.id}/download").status_code == 404
    client.cookies.clear()
    assert client.get(f"/exports/{export.id}").status_code in (303, 307)

    client.cookies.clear()
    assert sign_in(client, admin.email).status_code == 303
    archive = open_zip(Browser(client).post(f"/exports/{export.id}/download"))
    assert json.loads(archive.read("profile.json"))[0]["name"] == "Sam Subject"


def test_a_person_cannot_ask_for_someone_elses_data(client, db, signed_in, make_user):
    other = make_user()
    browser, _ = signed_in()
    assert browser.get(f"/admin/users/{other.id}/data").status_code == 403
    assert browser.post(f"/admin/users/{other.id}/exports").status_code == 403
    assert db.exec(select(DataExport)).all() == []


def test_an_expired_link_answers_410_and_its_file_is_removed(app, client, db, make_user, settings):
    person = make_user()
    assert sign_in(client, person.email).status_code == 303
    me = Browser(client)
    me.post("/account/exports")
    run_jobs(app)
    export = latest_export(db)
    path = settings.exports_path / export.file_name
    export.expires_at = export.ready_at - timedelta(seconds=1)
    db.add(export)
    db.commit()

    page = me.get(f"/exports/{export.id}")
    assert page.status_code == 410 and "expired" in page.text
    assert me.post(f"/exports/{export.id}/download").status_code == 410
    assert "expired" in me.get("/account").text

    assert export_build(db, export_id=export.id, settings=settings) is None  # built once only
    purge_job(db, {})
    db.commit()
    assert not path.exists() and latest_export(db).status == ExportStatus.EXPIRED
    assert exports_purge(db, settings=settings) == 0


def test_an_export_that_cannot_be_written_fails_after_its_retries_and_can_be_asked_for_again(
    app, client, db, make_user, tmp_path, monkeypatch
):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("EXPORTS_DIR", str(blocker / "exports"))
    get_settings.cache_clear()
    person = make_user()
    assert sign_in(client, person.email).status_code == 303
    me = Browser(client)
    me.post("/account/exports")
    for attempt in (1, 2, 3):
        db.exec(update(Job).values(run_after=utcnow() - timedelta(seconds=1)))
        db.commit()
        run_jobs(app)
        assert latest_export(db).status == (ExportStatus.FAILED if attempt == 3 else ExportStatus.QUEUED)

    export = latest_export(db)
    page = me.get(f"/exports/{export.id}")
    assert page.status_code == 410 and "could not be built" in page.text
    assert "could not be built" in me.get("/account").text
    assert me.post("/account/exports").status_code == 303
    assert latest_export(db).id != export.id
