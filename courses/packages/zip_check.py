"""Checks on an uploaded package before a byte of it is unpacked.

A zip's directory says how large each entry is once inflated; the checks read only that directory,
so a zip bomb is refused before it is inflated, and unpacking (storage.py) counts the bytes it writes
again, because the directory can lie.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lms.i18n import gettext

from courses.errors import CourseError


class PackageError(CourseError):
    """A package refused on upload; the message says why, for the trainer."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # the upload itself
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 100  # inflated / compressed, over the whole archive
    max_entries: int = 10_000


def safe_name(name: str) -> str | None:
    """The entry's path inside the package, or None when it could land outside the package's folder
    (zip-slip: `..`, an absolute path, a drive letter, a backslash path)."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    normal = posixpath.normpath(name)
    if normal.startswith("../") or normal == ".." or "/../" in f"/{name}/":
        return None
    return normal


def check_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, opened, when every check passes; PackageError (field "file") otherwise."""
    if not data:
        raise PackageError(gettext("The file is empty."), "file")
    if len(data) > limits.max_bytes:
        raise PackageError(
            gettext("The package is larger than %(mb)s MB.") % {"mb": limits.max_bytes // (1024 * 1024)},
            "file",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise PackageError(gettext("This file is not a zip archive. Upload the SCORM package as a .zip file."), "file") from exc
    if len(entries) > limits.max_entries:
        raise PackageError(
            gettext("The package holds more than %(n)s files, which is more than a package may hold.") % {"n": limits.max_entries},
            "file",
        )
    for entry in entries:
        if safe_name(entry.filename) is None:
            raise PackageError(
                gettext("The package has a file named “%(name)s”, which points outside the package. Rebuild the package.")
                % {"name": entry.filename[:100]},
                "file",
            )
        if entry.flag_bits & 0x1:
            raise PackageError(gettext("The package has encrypted files, which cannot be played."), "file")
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes or unpacked > limits.max_ratio * max(packed, 1):
        raise PackageError(
            gettext("The package would unpack to far more than its size (a “zip bomb”), so it was refused."),
            "file",
        )
    return archive
