"""Registers xAPI with the platform: the delivery job and its part of privacy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from lms.hooks import hooks
from lms.jobs.registry import register_handler, register_periodic
from lms.xapi import privacy
from lms.xapi.delivery import JOB_KIND, deliver_job

_registered = False


def _add_commands(root: Any) -> None:
    # Imported when the CLI asks, so that loading the app never imports the CLI.
    from lms.xapi.cli import add_commands

    add_commands(root)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    hooks.cli_commands.append(_add_commands)
    register_handler(JOB_KIND, deliver_job)
    register_periodic(JOB_KIND, timedelta(minutes=1))
    hooks.personal_data_excluded.update(privacy.EXCLUDED)
    hooks.personal_data_erasers.append(privacy.erase)
