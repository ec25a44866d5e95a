"""Registers Open Badges with the platform: its tables, its command and its part of privacy."""

from __future__ import annotations

from typing import Any

from lms.badges import models  # noqa: F401 - registers the tables
from lms.badges import privacy
from lms.hooks import hooks


def _add_commands(root: Any) -> None:
    # Imported when the CLI asks, so that loading the app never imports the CLI.
    from lms.badges.cli import add_commands

    add_commands(root)


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    hooks.cli_commands.append(_add_commands)
    hooks.personal_data_exporters.extend(privacy.EXPORTERS)
    hooks.personal_data_excluded.update(privacy.EXCLUDED)
    hooks.personal_data_erasers.append(privacy.erase)
