"""The revocation list: a W3C Bitstring Status List (one bit per credential, 1 = revoked), gzipped and
base64url-encoded with the multibase "u" prefix, inside a BitstringStatusListCredential."""

from __future__ import annotations

import base64
import binascii
import gzip
from collections.abc import Iterable
from datetime import datetime

from lms.badges.credential import VC_CONTEXT, iso
from lms.badges.models import STATUS_LIST_SIZE


def encode(revoked: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        # Index 0 is the most significant bit of the first byte (the specification's order).
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list always encodes to the same text.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def is_set(encoded: str, index: int) -> bool:
    """Whether the bit at index is 1; a list that cannot be read raises ValueError."""
    if not encoded.startswith("u"):
        raise ValueError("the encoded list has no multibase base64url prefix")
    body = encoded[1:]
    try:
        bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, OSError, EOFError) as exc:
        raise ValueError("the encoded list is not gzipped base64url") from exc
    if not 0 <= index < len(bits) * 8:
        raise ValueError("the index is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(*, issuer_did: str, url: str, encoded: str, now: datetime) -> dict:
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_did},
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
