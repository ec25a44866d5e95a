"""Shared steps for the Open Badges tests: a verified level to claim, and reading what was issued
without our own code (base64url, JWS parts, PNG chunks)."""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib

from sqlmodel import Session

from lms.competences.models import Competence
from lms.competences.service import evidence_record
from lms.people.models import User
from tests.lms.competences.factories import make_competences


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_parts(token: str) -> tuple[dict, dict]:
    header, payload, _ = token.split(".")
    return json.loads(b64d(header)), json.loads(b64d(payload))


def verified(db: Session, user: User, *, level: int = 3, source: str = "course", code: str = "4.1") -> Competence:
    """A competence in a small framework where the person holds `level` from `source` evidence."""
    (competence,) = make_competences(db, code)
    evidence_record(db, user=user, competence=competence, level=level, source=source, by=None)
    db.commit()
    return competence


def claim(browser, competence: Competence) -> int:
    """Claims the credential from the My credentials page's own form; returns the credential's id."""
    page = browser.get("/badges")
    assert page.status_code == 200
    assert f'name="competence_id" value="{competence.id}"' in page.text
    response = browser.post("/badges/claim", {"competence_id": str(competence.id)})
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/badges/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


def png_text_chunks(png: bytes) -> dict[bytes, bytes]:
    """Every iTXt chunk's keyword and text, read straight from the bytes (CRC checked)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        if kind == b"iTXt":
            keyword, _, rest = data.partition(b"\x00")
            assert rest[:2] == b"\x00\x00"  # not compressed
            _lang, _, rest = rest[2:].partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            found[keyword] = text
        at += 12 + length
    return found
