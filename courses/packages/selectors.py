"""Reads for packages: a lesson's package and a learner's runtime data."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import Session, select

from lms.db import known

from courses.models import Lesson
from courses.packages.models import Package, PackageRuntime


def package_of_lesson(session: Session, lesson_id: int) -> Package | None:
    return session.exec(select(Package).where(Package.lesson_id == lesson_id)).first()


def runtime_of(session: Session, *, user_id: int, lesson_id: int) -> PackageRuntime | None:
    return session.get(PackageRuntime, (user_id, lesson_id))


def content_url(package: Package, path: str | None = None) -> str:
    """The address a package's file is served at: its version is part of it, so a replaced
    package's files are never mixed with the new ones in a browser's cache."""
    return f"/packages/{package.lesson_id}/{package.version}/content/{quote(path if path is not None else package.launch_path)}"


def package_player(session: Session, lesson: Lesson) -> dict[str, str] | None:
    """What the lesson page needs to play the lesson's package (templates/courses/packages/_player.html)."""
    package = package_of_lesson(session, known(lesson.id))
    if package is None:
        return None
    return {
        "src": content_url(package),
        "runtime_url": f"/packages/{package.lesson_id}/runtime",
        "version": package.scorm_version,
        "title": lesson.title,
    }
