"""Badge images: a plain PNG drawn here (no imaging library), and the credential baked into it as Open
Badges 3.0 says: an iTXt chunk with the keyword "openbadgecredential" holding the VC-JWT."""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
SIZE = 240
# Far more than a credential; a bigger upload is refused before its chunks are read.
MAX_PNG_BYTES = 2 * 1024 * 1024


class NotAPng(ValueError):
    pass


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


@lru_cache(maxsize=4)
def badge_image(colour: str) -> bytes:
    """A round badge in the organisation's colour with a white ring, on a transparent square."""
    r, g, b = _rgb(colour)
    centre = (SIZE - 1) / 2
    rows = []
    for y in range(SIZE):
        row = bytearray(b"\x00")  # filter: none
        for x in range(SIZE):
            d = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if d > SIZE / 2 - 2:
                row += b"\x00\x00\x00\x00"
            elif SIZE * 0.36 < d < SIZE * 0.40:
                row += b"\xff\xff\xff\xff"
            else:
                row += bytes((r, g, b, 255))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _chunk(b"IEND", b"")


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if len(png) > MAX_PNG_BYTES or not png.startswith(SIGNATURE):
        raise NotAPng("not a PNG image")
    found, at = [], len(SIGNATURE)
    while at + 12 <= len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if len(data) != length:
            raise NotAPng("the image is cut short")
        found.append((kind, data))
        at += 12 + length
        if kind == b"IEND":
            return found
    raise NotAPng("the image has no end")


def bake(png: bytes, credential: str) -> bytes:
    """The image with the credential in an uncompressed iTXt chunk just before IEND (any old one goes)."""
    data = KEYWORD + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + credential.encode()
    kept = [(k, d) for k, d in _chunks(png) if k != b"IEND" and not (k == b"iTXt" and d.startswith(KEYWORD + b"\x00"))]
    return SIGNATURE + b"".join(_chunk(k, d) for k, d in kept) + _chunk(b"iTXt", data) + _chunk(b"IEND", b"")


def extract(png: bytes) -> str | None:
    """The credential baked into the image, or None when it has none."""
    for kind, data in _chunks(png):
        if kind != b"iTXt" or not data.startswith(KEYWORD + b"\x00"):
            continue
        rest = data[len(KEYWORD) + 1 :]
        if len(rest) < 2:
            raise NotAPng("the credential chunk is cut short")
        compressed, rest = rest[0], rest[2:]
        _language, _, rest = rest.partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        try:
            if compressed:
                inflate = zlib.decompressobj()
                raw = inflate.decompress(text, MAX_PNG_BYTES)
                if inflate.unconsumed_tail:
                    raise NotAPng("the credential chunk is too large")
                text = raw
            return text.decode()
        except (zlib.error, UnicodeDecodeError) as exc:
            raise NotAPng("the credential chunk cannot be read") from exc
    return None
