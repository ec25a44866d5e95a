"""The pieces a credential travels in, checked on their own: PNG baking, the status list's encoding,
the JWT's parts, and a verdict's dates (a credential only valid for a while)."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

import pytest

from lms.badges import png, status_list
from lms.badges.credential import did_web
from lms.badges.signing import NotAJwt, unverified
from lms.badges.verify import Outcome, token_from_png, token_from_text, verify_token
from lms.clock import utcnow
from lms.competences.service import evidence_record
from tests.lms.badges.support import claim, png_text_chunks
from tests.lms.competences.factories import make_competences


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_baking_replaces_an_old_credential_and_reads_a_compressed_one():
    image = png.badge_image("#1a4480")
    once = png.bake(image, "first")
    twice = png.bake(once, "second")
    assert png_text_chunks(twice) == {b"openbadgecredential": b"second"}
    assert png.extract(image) is None
    # Another tool may write the chunk compressed (iTXt's compression flag).
    compressed = (
        png.SIGNATURE
        + _chunk(b"iTXt", b"openbadgecredential\x00\x01\x00en\x00\x00" + zlib.compress(b"eyJ.x.y"))
        + _chunk(b"IEND", b"")
    )
    assert png.extract(compressed) == "eyJ.x.y"
    for broken in (
        b"GIF89a",
        png.SIGNATURE + b"\x00\x00\x00\x10IHDR",
        png.SIGNATURE,
        png.SIGNATURE + _chunk(b"iTXt", b"openbadgecredential\x00"),
    ):
        with pytest.raises(png.NotAPng):
            png.extract(broken)
    bomb = (
        png.SIGNATURE
        + _chunk(b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(b"a" * (png.MAX_PNG_BYTES + 10)))
        + _chunk(b"IEND", b"")
    )
    with pytest.raises(png.NotAPng):
        png.extract(bomb)
    with pytest.raises(ValueError):
        token_from_png(image)


def test_the_status_list_sets_the_bits_it_is_given_and_refuses_what_it_cannot_read():
    encoded = status_list.encode([0, 9, 131071])
    assert [status_list.is_set(encoded, i) for i in (0, 1, 9, 131070, 131071)] == [True, False, True, False, True]
    for bad, index in (("zabc", 0), ("u!!!", 0), (encoded, 131072)):
        with pytest.raises(ValueError):
            status_list.is_set(bad, index)


def test_did_web_and_jwt_parts():
    assert did_web("https://lms.example.gov") == "did:web:lms.example.gov"
    assert did_web("http://127.0.0.1:8000/proficio/") == "did:web:127.0.0.1%3A8000:proficio"
    for text in ("a.b", "!!.!!.x", "WzFd.WzFd.x"):
        with pytest.raises(NotAJwt):
            unverified(text)
    with pytest.raises(ValueError):
        token_from_text('{"credential": {}}')
    with pytest.raises(ValueError):
        token_from_text("x" * 200_001)


def test_a_credential_is_valid_only_between_its_dates(signed_in, db):
    browser, user = signed_in()
    (competence,) = make_competences(db, "5.1")
    evidence_record(db, user=user, competence=competence, level=2, source="quiz", by=None, expires_at=utcnow() + timedelta(days=30))
    db.commit()
    download = browser.get(f"/badges/{claim(browser, competence)}/credential.json").json()
    assert "validUntil" in download["credential"]
    now = utcnow()
    assert verify_token(db, download["jwt"], now).outcome is Outcome.VALID
    assert verify_token(db, download["jwt"], now + timedelta(days=31)).outcome is Outcome.EXPIRED
    assert verify_token(db, download["jwt"], now - timedelta(days=1)).outcome is Outcome.NOT_YET
    assert "until" in browser.get("/badges").text
