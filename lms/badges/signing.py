"""VC-JWT (Open Badges 3.0, section 8.2): the credential is the JWT's payload, signed with EdDSA
(Ed25519) by joserfc; the header's kid is the did:web verification method of the key."""

from __future__ import annotations

import base64
import binascii
import json
import warnings
from calendar import timegm
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from typing import TYPE_CHECKING

# joserfc (with cryptography) is imported when a badge is signed or checked, not by every server.
if TYPE_CHECKING:
    from joserfc.jwk import OKPKey

ALG = "EdDSA"


class NotAJwt(ValueError):
    """Text that is not a compact JWS with a JSON header and payload."""


def _epoch(text: str) -> int:
    return timegm(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).utctimetuple())


@contextmanager
def _eddsa() -> Iterator[None]:
    # joserfc warns that RFC 9864 deprecates "EdDSA" for the fully specified "Ed25519"; Open Badges 3.0
    # and the verifiers people will use still name EdDSA, so the credentials keep it.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


def sign(credential: dict, key: OKPKey, kid: str) -> str:
    claims = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"], "nbf": _epoch(credential["validFrom"])}
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
    from joserfc import jws

    with _eddsa():
        return jws.serialize_compact({"alg": ALG, "typ": "JWT", "kid": kid}, payload, key, algorithms=[ALG])


def _b64json(part: str) -> dict:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise NotAJwt(str(exc)) from exc
    if not isinstance(value, dict):
        raise NotAJwt("not a JSON object")
    return value


def unverified(token: str) -> tuple[dict, dict]:
    """The header and payload as written, before anything is checked."""
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise NotAJwt("a compact JWS has three parts")
    return _b64json(parts[0]), _b64json(parts[1])


def signature_valid(token: str, key: OKPKey) -> bool:
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        with _eddsa():
            jws.deserialize_compact(token.strip(), key, algorithms=[ALG])
    except (JoseError, ValueError):
        return False
    return True
