"""Writes for packages: a trainer's upload (new lesson or replacement) and settings, and a learner's
runtime commits, which complete the lesson the way "Mark complete" does. Callers commit.

Files on disk cannot join the database's transaction, so the order is: unpack into a new folder, write
the rows, and the caller removes the folder the rows no longer name once the commit succeeded (or the
new folder, if it failed): `package_files_discard`.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings
from lms.i18n import gettext
from lms.people.models import User

from courses.authoring.service import lesson_add
from courses.files.service import clean_filename
from courses.learning.service import lesson_complete
from courses.models import Course, CourseStatus, Lesson, LessonKind, Module
from courses.packages import storage
from courses.packages.cmi import Report, completes, judged, read
from courses.packages.manifest import MANIFEST, MAX_MANIFEST_BYTES, Manifest, parse_manifest
from courses.packages.models import Package, PackageRuntime
from courses.packages.selectors import runtime_of
from courses.packages.zip_check import Limits, PackageError, check_zip


def limits(settings: Settings) -> Limits:
    max_bytes = settings.package_max_mb * 1024 * 1024
    # A package is mostly media that barely compresses; five times its size unpacked is generous.
    return Limits(max_bytes=max_bytes, max_unpacked_bytes=max(5 * max_bytes, 50 * 1024 * 1024))


def max_upload_bytes(settings: Settings) -> int:
    return limits(settings).max_bytes


@dataclass(frozen=True)
class Unpacked:
    manifest: Manifest
    storage_key: str
    size: int


def _unpack(settings: Settings, data: bytes) -> Unpacked:
    """Every upload check, then the package unpacked into a new folder."""
    try:
        return _checked_unpack(settings, data)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        # A damaged entry (bad checksum, truncated data, unknown compression) shows only when read.
        raise PackageError(
            gettext("The zip is damaged or uses a compression method that cannot be read. Export it again."), "file"
        ) from exc


def _checked_unpack(settings: Settings, data: bytes) -> Unpacked:
    checks = limits(settings)
    archive = check_zip(data, checks)
    names = {info.filename for info in archive.infolist()}
    if MANIFEST not in names:
        raise PackageError(
            gettext(
                "The zip has no imsmanifest.xml at its top level, so it is not a SCORM package. Export it again as SCORM 1.2 or 2004."
            ),
            "file",
        )
    manifest = parse_manifest(_read_capped(archive, MANIFEST))
    if manifest.launch_path not in names:
        raise PackageError(
            gettext("The manifest launches “%(path)s”, which is not in the package.") % {"path": manifest.launch_path[:200]},
            "file",
        )
    key = storage.unpack(settings, archive, max_bytes=checks.max_unpacked_bytes)
    return Unpacked(manifest=manifest, storage_key=key, size=len(data))


def _read_capped(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as handle:
        return handle.read(MAX_MANIFEST_BYTES + 1)


def package_lesson_create(
    session: Session,
    *,
    settings: Settings,
    module: Module,
    title: str,
    filename: str,
    data: bytes,
    complete_when_opened: bool,
    by: User,
) -> Package:
    """A new lesson at the end of `module` that plays the uploaded package. The lesson takes the
    package's own title when the trainer gives none."""
    title = " ".join(title.split())
    if len(title) > 200:
        raise PackageError(gettext("Keep the title to 200 characters or fewer."), "title")
    unpacked = _unpack(settings, data)
    title = title or unpacked.manifest.title or clean_filename(filename).removesuffix(".zip")[:200]
    lesson = lesson_add(session, module=module, title=title, estimated_minutes=10, body_markdown="")
    lesson.kind = LessonKind.PACKAGE.value
    session.add(lesson)
    package = Package(
        lesson_id=lesson.id,
        uploaded_by_id=by.id,
        complete_when_opened=complete_when_opened,
        launch_path="",
        storage_key="",
        filename="",
    )
    _apply(package, unpacked, filename)
    session.add(package)
    session.flush()
    _audit(session, by=by, lesson=lesson, package=package, action="course.package_upload")
    return package


def package_replace(session: Session, *, settings: Settings, package: Package, filename: str, data: bytes, by: User) -> str:
    """A new upload for the same lesson; learners' runtime data stays. Returns the folder to remove
    once the commit succeeded (the previous upload's)."""
    unpacked = _unpack(settings, data)
    old_key = package.storage_key
    _apply(package, unpacked, filename)
    package.version += 1
    package.uploaded_by_id, package.uploaded_at = by.id, utcnow()
    session.add(package)
    session.flush()
    lesson = session.get(Lesson, package.lesson_id)
    _audit(session, by=by, lesson=lesson, package=package, action="course.package_replace")
    return old_key


def _apply(package: Package, unpacked: Unpacked, filename: str) -> None:
    package.scorm_version = unpacked.manifest.scorm_version
    package.launch_path = unpacked.manifest.launch_path
    package.mastery_score = unpacked.manifest.mastery_score
    package.storage_key = unpacked.storage_key
    package.filename = clean_filename(filename)
    package.size = unpacked.size


def _audit(session: Session, *, by: User, lesson: Lesson, package: Package, action: str) -> None:
    audit_record(
        session,
        action=action,
        actor=by,
        target_type="course",
        target_id=lesson.course_id,
        detail={
            "lesson": lesson.title,
            "file": package.filename,
            "size": package.size,
            "scorm": package.scorm_version,
            "version": package.version,
        },
    )


def package_files_discard(settings: Settings, storage_key: str) -> None:
    """Remove a folder no row names any more (after a replacement, or a failed upload)."""
    if storage_key:
        storage.remove(settings, storage_key)


def package_settings_update(session: Session, *, package: Package, complete_when_opened: bool, by: User) -> None:
    if package.complete_when_opened == complete_when_opened:
        return
    package.complete_when_opened = complete_when_opened
    session.add(package)
    lesson = session.get(Lesson, package.lesson_id)
    audit_record(
        session,
        action="course.package_settings",
        actor=by,
        target_type="course",
        target_id=lesson.course_id,
        detail={"lesson": lesson.title, "complete_when_opened": complete_when_opened},
    )


@dataclass(frozen=True)
class CommitResult:
    recorded: bool  # False for a course that is not open (a trainer's preview of a draft)
    lesson_completed: bool


def runtime_commit(
    session: Session, *, user: User, lesson: Lesson, package: Package, cmi: Any, session_key: str, opened: bool = False
) -> CommitResult:
    """Keep what the package reported (CmiError if it cannot be SCORM data) and complete the lesson
    when the report says so, or at once when the trainer chose "complete when opened".

    One page load is one session: a new `session_key` folds the previous session's time into the total."""
    report: Report = judged(read(cmi, package.scorm_version), version=package.scorm_version, mastery_score=package.mastery_score)
    course = session.get(Course, lesson.course_id)
    if course.status != CourseStatus.PUBLISHED.value:
        return CommitResult(recorded=False, lesson_completed=False)
    runtime = runtime_of(session, user_id=user.id, lesson_id=lesson.id)
    now = utcnow()
    if runtime is None:
        runtime = PackageRuntime(user_id=user.id, lesson_id=lesson.id, first_opened_at=now, session_key=session_key)
    elif runtime.session_key != session_key:
        runtime.total_seconds += runtime.session_seconds
        runtime.session_seconds, runtime.session_key = 0.0, session_key
    if not opened:  # the page's own "opened" note carries no data of the package's
        runtime.lesson_status, runtime.success_status = report.lesson_status, report.success_status
        runtime.score_raw, runtime.score_scaled = report.score_raw, report.score_scaled
        runtime.location, runtime.suspend_data, runtime.exit = report.location, report.suspend_data, report.exit
        runtime.session_seconds = max(runtime.session_seconds, report.session_seconds)
        runtime.commits += 1
    runtime.updated_at = now
    session.add(runtime)
    session.flush()
    done = package.complete_when_opened or (not opened and completes(report))
    if done:
        lesson_complete(session, user=user, lesson=lesson)
    return CommitResult(recorded=True, lesson_completed=done)
