"""The worker's privacy jobs: building exports on request, and removing expired ones daily."""

from __future__ import annotations

from datetime import timedelta

from lms.hooks import hooks
from lms.jobs.registry import register_handler, register_periodic
from lms.privacy.kinds import EXCLUDED
from lms.privacy.service import EXPORT_JOB, PURGE_JOB, export_job, purge_job


def register() -> None:
    hooks.personal_data_excluded.update(EXCLUDED)
    register_handler(EXPORT_JOB, export_job)
    register_handler(PURGE_JOB, purge_job)
    # Hourly rather than daily: an expired export's file should not outlive its link by a day.
    register_periodic(PURGE_JOB, timedelta(hours=1))
