"""Unpacked packages on disk: PACKAGES_DIR/<storage key>/, outside the web root.

A package is unpacked into a hidden temporary folder beside its final place and renamed into place
in one step, so a learner never sees half a package; the previous upload's folder is removed only
after the database says the new one is current (see service.package_store).
"""

from __future__ import annotations

import secrets
import shutil
import zipfile
from pathlib import Path

from lms.config import Settings
from lms.i18n import gettext

from courses.packages.zip_check import PackageError, safe_name

CHUNK = 64 * 1024


def packages_root(settings: Settings) -> Path:
    return settings.packages_path


def package_dir(settings: Settings, storage_key: str) -> Path:
    return packages_root(settings) / storage_key


def unpack(settings: Settings, archive: zipfile.ZipFile, *, max_bytes: int) -> str:
    """Unpack every checked entry and return the new folder's storage key.

    The bytes written are counted again against `max_bytes`: the sizes in a zip's directory are
    written by whoever built it, and a forged one would otherwise pass check_zip."""
    root = packages_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    staging = root / f".incoming-{key}"
    staging.mkdir()
    written = 0
    try:
        for entry in archive.infolist():
            name = safe_name(entry.filename)
            if name is None or name == ".":  # refused by check_zip already; kept here for safety
                continue
            target = staging / name
            if entry.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry) as source, target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise PackageError(
                            gettext("The package would unpack to far more than its size (a “zip bomb”), so it was refused."),
                            "file",
                        )
                    out.write(chunk)
        staging.rename(root / key)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return key


def remove(settings: Settings, storage_key: str) -> None:
    folder = package_dir(settings, storage_key)
    # Renamed away first, so a request in flight never reads a half-deleted folder.
    trash = packages_root(settings) / f".removing-{storage_key}"
    try:
        folder.rename(trash)
    except FileNotFoundError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def content_file(settings: Settings, storage_key: str, path: str) -> Path | None:
    """The file at `path` inside the package, or None: missing, a folder, or outside the package
    (traversal, or a symbolic link leading out)."""
    name = safe_name(path)
    if name is None or name == ".":
        return None
    base = package_dir(settings, storage_key).resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


def sweep(settings: Settings, *, keep: set[str], older_than: float) -> list[str]:
    """Remove folders under PACKAGES_DIR that no package names (a deleted lesson's, an upload whose
    commit failed, one cut short by a crash) and that were last changed before `older_than` (a Unix
    time): a folder younger than that may belong to an upload whose row is not committed yet."""
    root = packages_root(settings)
    if not root.is_dir():
        return []
    removed = []
    for entry in sorted(root.iterdir()):
        if entry.name in keep or not entry.is_dir() or entry.stat().st_mtime >= older_than:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed
