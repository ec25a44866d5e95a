"""Subject access exports: asking for one, building it (a job), downloading it once, purging old ones."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings, get_settings
from lms.errors import FieldError
from lms.hooks import PersonalData, hooks
from lms.i18n import gettext, lazy_gettext
from lms.jobs.models import Job
from lms.jobs.queue import job_enqueue
from lms.notifications.service import notify
from lms.people.models import User
from lms.privacy.export_writer import export_write
from lms.privacy.kinds import PLATFORM_KINDS
from lms.privacy.models import DataExport, ExportStatus

log = logging.getLogger(__name__)

EXPORT_JOB = "privacy.export"
PURGE_JOB = "privacy.exports_purge"


class PrivacyError(FieldError):
    pass


class ExportGone(PrivacyError):
    """The export can no longer be downloaded: taken already, expired, or never built."""


def export_kinds() -> list[PersonalData]:
    """Every kind in the export, the platform's and the features', in the order the summary shows them."""
    return sorted((*PLATFORM_KINDS, *hooks.personal_data_exporters), key=lambda kind: (kind.order, kind.kind))


def export_request(session: Session, *, subject: User, by: User, client_ip: str | None = None) -> DataExport:
    """Queue an export of `subject`'s data for `by` (the person, or an admin on their behalf)."""
    if subject.erased_at is not None:
        raise PrivacyError(gettext("This person's data has been erased: there is nothing left to export."))
    pending = session.exec(
        select(DataExport.id).where(
            DataExport.subject_id == subject.id,
            DataExport.requested_by_id == by.id,
            DataExport.status == ExportStatus.QUEUED.value,
        )
    ).first()
    if pending is not None:
        raise PrivacyError(gettext("An export is already being prepared. It will appear here when it is ready."))
    export = DataExport(subject_id=subject.id, requested_by_id=by.id)
    session.add(export)
    session.flush()
    job_enqueue(session, kind=EXPORT_JOB, payload={"export_id": export.id}, dedupe_key=f"{EXPORT_JOB}:{export.id}")
    audit_record(
        session,
        action="data_export.request",
        actor=by,
        target_type="user",
        target_id=subject.id,
        client_ip=client_ip,
        detail={"export": export.id},
    )
    return export


def export_path(settings: Settings, export: DataExport) -> Path | None:
    return settings.exports_path / export.file_name if export.file_name else None


def export_build(session: Session, *, export_id: int, settings: Settings, now: datetime | None = None) -> DataExport | None:
    """Write the ZIP and open the download window; nothing when the export is gone or already built."""
    now = now or utcnow()
    export = session.get(DataExport, export_id)
    if export is None or export.status != ExportStatus.QUEUED.value:
        return None
    subject = session.get(User, export.subject_id)
    assert subject is not None  # the foreign key cascades: no export outlives its subject
    file_name = f"{secrets.token_hex(16)}.zip"
    counts = export_write(
        session,
        subject_id=export.subject_id,
        subject_name=subject.name,
        kinds=export_kinds(),
        target=settings.exports_path / file_name,
        org_name=settings.org_name,
        now=now,
    )
    export.file_name = file_name
    export.size_bytes = (settings.exports_path / file_name).stat().st_size
    export.status = ExportStatus.READY.value
    export.ready_at = now
    export.expires_at = now + timedelta(days=settings.export_days)
    session.add(export)
    requester = session.get(User, export.requested_by_id)
    assert requester is not None
    notify(
        session,
        user=requester,
        kind="data_export_ready",
        object_ref=f"export:{export.id}",
        period="",
        subject=lazy_gettext("Your personal data export is ready")
        if requester.id == subject.id
        else lazy_gettext("A personal data export you asked for is ready"),
        template="data_export_ready",
        context={"own": requester.id == subject.id, "expires_at": export.expires_at},
        link=f"/exports/{export.id}",
        now=now,
        settings=settings,
    )
    audit_record(
        session,
        action="data_export.ready",
        target_type="user",
        target_id=export.subject_id,
        detail={"export": export.id, "records": sum(counts.values())},
    )
    return export


def export_gone_reason(export: DataExport, now: datetime) -> str | None:
    """Why the export cannot be downloaded now, in a sentence; None when it can."""
    if export.status == ExportStatus.DOWNLOADED.value and export.downloaded_at is not None:
        return f"This export was downloaded on {export.downloaded_at:%-d %B %Y at %H:%M UTC}. Each export can be downloaded once."
    if export.status == ExportStatus.EXPIRED.value or (export.expires_at is not None and export.expires_at <= now):
        return "This export's download link has expired. Exports can be downloaded for a limited time."
    if export.status == ExportStatus.FAILED.value:
        return "This export could not be built. Please ask for a new one; if it fails again, tell your administrator."
    return None


def export_download(
    session: Session, *, export: DataExport, by: User, settings: Settings, client_ip: str | None = None, now: datetime | None = None
) -> Path:
    """Record the one download of a ready export and return its file (the caller removes it once sent)."""
    now = now or utcnow()
    if export.requested_by_id != by.id:
        raise ExportGone(gettext("Only the person who asked for this export can download it."))
    reason = export_gone_reason(export, now)
    path = export_path(settings, export)
    if reason is None and (export.status != ExportStatus.READY.value or path is None or not path.is_file()):
        reason = "This export is not ready yet." if export.status == ExportStatus.QUEUED.value else "This export's file is missing."
    if reason is not None:
        raise ExportGone(reason)
    assert path is not None
    export.status = ExportStatus.DOWNLOADED.value
    export.downloaded_at = now
    session.add(export)
    audit_record(
        session,
        action="data_export.download",
        actor=by,
        target_type="user",
        target_id=export.subject_id,
        client_ip=client_ip,
        detail={"export": export.id},
    )
    return path


def export_file_remove(settings: Settings, export: DataExport) -> None:
    path = export_path(settings, export)
    if path is not None:
        path.unlink(missing_ok=True)


def exports_purge(session: Session, *, settings: Settings, now: datetime | None = None) -> int:
    """Expire ready exports past their date and remove every file no longer downloadable; idempotent."""
    now = now or utcnow()
    stale = session.exec(
        select(DataExport).where(
            col(DataExport.file_name).is_not(None),
            (col(DataExport.status) != ExportStatus.READY.value) | (col(DataExport.expires_at) <= now),
        )
    ).all()
    for export in stale:
        export_file_remove(settings, export)
        if export.status == ExportStatus.READY.value:
            export.status = ExportStatus.EXPIRED.value
        export.file_name = None
        session.add(export)
    return len(stale)


def _last_attempt(session: Session, export_id: int) -> bool:
    job = session.exec(select(Job).where(Job.dedupe_key == f"{EXPORT_JOB}:{export_id}")).first()
    return job is None or job.attempts >= job.max_attempts


def export_job(session: Session, payload: dict[str, Any]) -> None:
    export_id = int(payload["export_id"])
    try:
        export_build(session, export_id=export_id, settings=get_settings())
    except Exception:
        session.rollback()  # the claim is already committed; only this attempt's writes go
        if not _last_attempt(session, export_id):
            raise  # the worker retries it later
        # Given up: say so, so the requester can ask again instead of waiting for ever.
        log.exception("Personal data export %s failed on its last attempt", export_id)
        export = session.get(DataExport, export_id)
        if export is not None and export.status == ExportStatus.QUEUED.value:
            export.status = ExportStatus.FAILED.value
            export.error = "The export could not be written; the worker's log has the details."
            session.add(export)


def purge_job(session: Session, _payload: dict[str, Any]) -> None:
    exports_purge(session, settings=get_settings())
