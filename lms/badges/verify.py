"""Checking a credential someone shows us: is it signed by one of our keys, untouched, within its
dates, and not revoked? Used by the public verify page; it trusts nothing the credential says about
where to find keys or lists, only our own published keys and our own revocation list."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum

from sqlmodel import Session

from lms.badges import status_list
from lms.badges.keys import public_key
from lms.badges.png import NotAPng, extract
from lms.badges.selectors import key_by_thumbprint, revoked_indices
from lms.badges.signing import ALG, NotAJwt, signature_valid, unverified

# Claims the JWT adds around the credential (Open Badges 3.0, 8.2.4); the rest of the payload is it.
JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub", "iat")
# A pasted credential longer than this is not one of ours.
MAX_TEXT = 200_000


class Outcome(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    TAMPERED = "tampered"
    NOT_OURS = "not_ours"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    # The credential as it reads, when it could be read (what the page shows under the verdict).
    credential: dict = field(default_factory=dict)

    @property
    def achievement(self) -> dict:
        subject = self.credential.get("credentialSubject")
        found = subject.get("achievement") if isinstance(subject, dict) else None
        return found if isinstance(found, dict) else {}

    @property
    def issuer_name(self) -> str:
        issuer = self.credential.get("issuer")
        return str(issuer.get("name", "")) if isinstance(issuer, dict) else ""


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def token_from_text(text: str) -> tuple[str, dict | None]:
    """The VC-JWT in pasted text: the JWT itself, or our JSON download ({"jwt": ..., "credential": ...}),
    whose readable copy must then match what was signed. Raises ValueError for anything else."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValueError("too long")
    if not text.startswith("{"):
        return text, None
    document = json.loads(text)
    if not isinstance(document, dict) or not isinstance(document.get("jwt"), str):
        raise ValueError("a JSON credential without its signed JWT")
    shown = document.get("credential")
    return document["jwt"], shown if isinstance(shown, dict) else None


def token_from_png(data: bytes) -> str:
    try:
        baked = extract(data)
    except NotAPng as exc:
        raise ValueError(str(exc)) from exc
    if baked is None:
        raise ValueError("no credential baked in")
    return token_from_text(baked)[0]


def verify_token(session: Session, token: str, now: datetime, *, shown: dict | None = None) -> Verdict:
    try:
        header, payload = unverified(token)
    except NotAJwt:
        return Verdict(Outcome.UNREADABLE)
    credential = {k: v for k, v in payload.items() if k not in JWT_CLAIMS}
    _did, _, thumbprint = str(header.get("kid", "")).partition("#")
    key = key_by_thumbprint(session, thumbprint) if header.get("alg") == ALG and thumbprint else None
    if key is None:
        return Verdict(Outcome.NOT_OURS, credential)
    if not signature_valid(token, public_key(key)):
        return Verdict(Outcome.TAMPERED, credential)
    if shown is not None and shown != credential:
        # The signature holds but the readable copy beside it was edited.
        return Verdict(Outcome.TAMPERED, shown)
    status = credential.get("credentialStatus")
    if isinstance(status, dict) and str(status.get("statusListIndex", "")).isdigit():
        encoded = status_list.encode(revoked_indices(session))
        if status_list.is_set(encoded, int(status["statusListIndex"])):
            return Verdict(Outcome.REVOKED, credential)
    valid_from, valid_until = _parse_time(credential.get("validFrom")), _parse_time(credential.get("validUntil"))
    if valid_from is None or valid_from > now:
        return Verdict(Outcome.NOT_YET, credential)
    if valid_until is not None and valid_until <= now:
        return Verdict(Outcome.EXPIRED, credential)
    return Verdict(Outcome.VALID, credential)
