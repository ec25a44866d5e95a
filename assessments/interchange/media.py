"""Files inside Moodle XML questions: checked as course files are, and referenced from the text.

Moodle embeds a text's files beside it (``<file name=".." path="/" encoding="base64">``) and points
at them as ``@@PLUGINFILE@@/name``; Moodle 1.x wrote one picture per question as ``<image>`` with
``<image_base64>``. Parsing keeps each accepted file's bytes with its question and leaves the
``@@PLUGINFILE@@`` reference in the Markdown; saving (assessments.bank.media) stores the files and
turns each reference into the file's address. Images are checked by content like course files
(courses.files.service): PNG, JPEG, GIF or WebP whose name agrees with its content, within the size
cap; SVG is refused, since it can carry script. Anything refused or missing leaves an image's alt
text in place of the image, and the import report says which file and why: never a broken link.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import filetype

from lms.i18n import format_number, gettext

from courses.files.service import ALLOWED, clean_filename

PLUGINFILE = "@@PLUGINFILE@@/"
IMAGE_TYPES = {mime: exts for mime, exts in ALLOWED.items() if mime.startswith("image/")}
IMAGE_TYPES_TEXT = "PNG, JPEG, GIF or WebP images"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # the default course-file cap (ATTACHMENT_MAX_MB)

# A Markdown image: ![alt](address) or ![alt](address "title"); the alt may hold escaped brackets.
IMAGE = re.compile(r"!\[((?:\\.|[^\\\]]){0,2000})\]\(\s*([^()\s]{0,2000})(?:\s+\"[^\"]{0,500}\")?\s*\)")
_REFERENCE = re.compile(re.escape(PLUGINFILE) + r"([^()\s\"'<>]{1,600})")


@dataclass(frozen=True)
class MediaFile:
    name: str
    content_type: str
    data: bytes


def file_name(name: str, path: str = "/") -> str:
    """The name a file keeps here: Moodle's folder path joined with "-" (names are unique per question)."""
    folders = [p for p in (path or "/").strip("/").split("/") if p]
    return clean_filename("-".join([*folders, name or ""]))


def reference_name(reference: str) -> str:
    """The stored name for the part after ``@@PLUGINFILE@@/`` (URL-encoded, maybe inside folders)."""
    *folders, name = unquote(reference).split("/")
    return file_name(name, "/".join(folders))


def check_image(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, str]:
    """(the type read from the content, "") if the file may be kept, else (None, why not)."""
    if not data:
        return None, gettext("the file is empty")
    if len(data) > max_bytes:
        return None, gettext("the file is larger than %(size)s MB") % {"size": format_number(max_bytes // (1024 * 1024))}
    kind = filetype.guess(data)
    if kind is None or kind.mime not in IMAGE_TYPES:
        svg = Path(name).suffix.lower() == ".svg" or data.lstrip()[:200].lower().find(b"<svg") >= 0
        if svg:
            return None, gettext("SVG images can carry script, so they are not accepted: only PNG, JPEG, GIF or WebP images")
        return None, gettext("this type of file is not accepted: only PNG, JPEG, GIF or WebP images")
    if Path(name).suffix.lower() not in IMAGE_TYPES[kind.mime]:
        return None, gettext("the file's name does not match its content, which is %(type)s") % {"type": kind.extension.upper()}
    return kind.mime, ""


def decode(text: str) -> bytes | None:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        return None


class Media:
    """The files of one question as its texts are read: kept ones, refused ones with why, and notes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.files: dict[str, MediaFile] = {}
        self.refused: dict[str, str] = {}
        self.notes: list[str] = []

    def add(self, name: str, path: str, encoded: str) -> None:
        key = file_name(name, path)
        if key in self.files or key in self.refused:
            return  # Moodle repeats a file in every text area that shows it
        data = decode(encoded)
        mime, why = check_image(key, data, self.max_bytes) if data is not None else (None, gettext("its content is not valid base64"))
        if mime is None or data is None:
            self.refused[key] = why
        else:
            self.files[key] = MediaFile(key, mime, data)

    def resolve(self, markdown: str) -> str:
        """Keep images of accepted files; any other image becomes its alt text, with a note why."""

        def one(match: re.Match[str]) -> str:
            alt, address = match.group(1), match.group(2)
            if address.startswith(PLUGINFILE):
                key = reference_name(address[len(PLUGINFILE) :])
                if key in self.files:
                    if not alt.strip():
                        self.notes.append(
                            gettext("The image %(file)s has no alt text: add a description of it for people who cannot see it.")
                            % {"file": key}
                        )
                    return f"![{alt}]({PLUGINFILE}{quote(key)})"
                why = self.refused.get(key) or gettext("the Moodle file embeds no file of that name")
                self.notes.append(
                    gettext("The image %(file)s was left out (%(why)s); its alt text stays in its place.") % {"file": key, "why": why}
                )
            else:
                shown = address[:100] or gettext("(no address)")
                self.notes.append(
                    gettext(
                        "The image at %(address)s was left out (only images carried in the file can be shown); "
                        "its alt text stays in its place."
                    )
                    % {"address": shown}
                )
            return alt

        return IMAGE.sub(one, markdown)

    def note_links(self, markdown: str) -> str:
        """A link to an embedded file (not an image) cannot be followed here: keep its words, say so."""

        def one(match: re.Match[str]) -> str:
            self.notes.append(
                gettext("A link to the file %(file)s was left out; its words stay.") % {"file": reference_name(match.group(2))}
            )
            return match.group(1)

        return re.sub(r"(?<!!)\[((?:\\.|[^\\\]]){0,2000})\]\(\s*" + re.escape(PLUGINFILE) + r"([^()\s]{1,600})\s*\)", one, markdown)

    def used(self, texts: list[str]) -> dict[str, MediaFile]:
        """Only the files some text shows: an embedded file nobody refers to is not kept."""
        return used(texts=texts, files=self.files)


def used(*, texts: list[str], files: dict[str, MediaFile]) -> dict[str, MediaFile]:
    """The ``files`` that ``texts`` refer to as ``@@PLUGINFILE@@/name``."""
    if not files:
        return {}
    names = {reference_name(ref) for text in texts for ref in _REFERENCE.findall(text)}
    return {name: f for name, f in files.items() if name in names}


def map_texts(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` (a question's data dict) with ``change`` applied to every string in it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list | tuple):
        return type(value)(map_texts(v, change) for v in value)
    if isinstance(value, dict):
        return {k: map_texts(v, change) for k, v in value.items()}
    return value


def texts_of(value: Any) -> list[str]:
    out: list[str] = []
    map_texts(value, lambda s: out.append(s) or s)  # type: ignore[func-returns-value]
    return out


def references_to(urls: dict[str, str]) -> Callable[[str], str]:
    """A function turning ``@@PLUGINFILE@@/name`` into ``urls[name]`` (names not in ``urls`` stay)."""

    def change(text: str) -> str:
        return _REFERENCE.sub(lambda m: urls.get(reference_name(m.group(1)), m.group(0)), text)

    return change


def pluginfile(name: str) -> str:
    return PLUGINFILE + quote(name)
