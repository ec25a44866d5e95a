"""The daily job that removes unpacked packages nothing points at any more (storage.sweep)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from lms.config import Settings, get_settings
from lms.jobs.registry import register_handler, register_periodic

from courses.packages import storage
from courses.packages.models import Package

JOB_KIND = "packages.sweep"
GRACE_SECONDS = 24 * 3600


def package_folders_sweep(session: Session, *, settings: Settings, now: float | None = None) -> list[str]:
    keep = set(session.exec(select(Package.storage_key)).all())
    return storage.sweep(settings, keep=keep, older_than=(now if now is not None else time.time()) - GRACE_SECONDS)


def _sweep_job(session: Session, _payload: dict[str, Any]) -> None:
    package_folders_sweep(session, settings=get_settings())


def packages_jobs_register() -> None:
    register_handler(JOB_KIND, _sweep_job)
    register_periodic(JOB_KIND, timedelta(days=1))
