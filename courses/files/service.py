"""Course files: checked by content, stored outside the web root under random names, served safely.

The type is read from the file's first bytes (``filetype``), never from the name or the browser's
Content-Type, and the extension must agree with it, so an HTML page renamed ``.png`` is refused.
Office documents are zip files inside; only the zip container can be recognised from the content
without unpacking it, so they are refused rather than trusted on their name: images and PDF only.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path
from urllib.parse import quote

import filetype
from sqlmodel import Session

from lms.i18n import N_, gettext
from lms.audit.service import audit_record
from lms.config import Settings
from lms.people.models import User

from courses.models import Attachment, Course
from courses.errors import CourseError

# MIME type read from content -> the extensions a file of that type may have.
ALLOWED = {
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/pdf": {".pdf"},
}
ALLOWED_TEXT = N_("PNG, JPEG, GIF or WebP images, or PDF documents")


def storage_dir(settings: Settings) -> Path:
    return settings.attachments_path


def max_bytes(settings: Settings) -> int:
    return settings.attachment_max_mb * 1024 * 1024


def clean_filename(name: str) -> str:
    """The name as shown and offered for download: no path, no control characters."""
    name = Path(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "file"


def attachment_store(session: Session, *, settings: Settings, course: Course, by: User, filename: str, data: bytes) -> Attachment:
    if not data:
        raise CourseError(gettext("The file is empty."), "file")
    if len(data) > max_bytes(settings):
        raise CourseError(gettext("The file is larger than %(max)s MB.") % {"max": settings.attachment_max_mb}, "file")
    name = clean_filename(filename)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise CourseError(
            gettext("This type of file is not accepted. Upload PNG, JPEG, GIF or WebP images, or PDF documents."), "file"
        )
    if Path(name).suffix.lower() not in ALLOWED[mime]:
        raise CourseError(
            gettext("The file's name does not match its content, which is %(kind)s. Rename it to end in %(suffixes)s.")
            % {"kind": kind.extension.upper(), "suffixes": gettext(" or ").join(sorted(ALLOWED[mime]))},
            "file",
        )
    key = secrets.token_hex(24)
    folder = storage_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(data)
    attachment = Attachment(
        course_id=course.id, filename=name, content_type=mime, size=len(data), storage_key=key, uploaded_by_id=by.id
    )
    session.add(attachment)
    session.flush()
    audit_record(
        session,
        action="course.file_upload",
        actor=by,
        target_type="course",
        target_id=course.id,
        detail={"file": name, "size": len(data)},
    )
    return attachment


def attachment_delete(session: Session, *, settings: Settings, attachment: Attachment, by: User) -> None:
    session.delete(attachment)
    audit_record(
        session,
        action="course.file_delete",
        actor=by,
        target_type="course",
        target_id=attachment.course_id,
        detail={"file": attachment.filename},
    )
    # The row goes with the caller's commit; a leftover file is harmless, a missing one is not.
    path = attachment_path(settings, attachment)
    if path is not None:
        path.unlink(missing_ok=True)


def attachment_path(settings: Settings, attachment: Attachment) -> Path | None:
    if not re.fullmatch(r"[0-9a-f]{16,64}", attachment.storage_key):
        return None
    path = storage_dir(settings) / attachment.storage_key
    return path if path.is_file() else None


def attachment_url(attachment: Attachment) -> str:
    return f"/courses/{attachment.course_id}/files/{attachment.id}"


def is_image(attachment: Attachment) -> bool:
    return attachment.content_type.startswith("image/")


def markdown_snippet(attachment: Attachment) -> str:
    label = re.sub(r"[\[\]()\\]", "", Path(attachment.filename).stem) or "file"
    prefix = "!" if is_image(attachment) else ""
    return f"{prefix}[{label}]({attachment_url(attachment)})"


def content_disposition(attachment: Attachment) -> str:
    """inline for images, attachment otherwise; an ASCII fallback plus the RFC 5987 UTF-8 name."""
    disposition = "inline" if is_image(attachment) else "attachment"
    ascii_name = unicodedata.normalize("NFKD", attachment.filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "file"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.filename, safe='')}"
