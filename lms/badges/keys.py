"""The organisation's Ed25519 signing key: made on first use (or by `lms badges keygen`), its private
half kept in a file outside the web root, encrypted with the app's SECRET_KEY and readable by the
server's user only (0600); its public half kept in the database, where it stays published after a
newer key takes over so that every credential it signed still verifies."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from lms.badges.models import BadgeKey
from lms.clock import utcnow
from lms.errors import FieldError
from lms.i18n import gettext

if TYPE_CHECKING:
    from joserfc.jwk import OKPKey  # imported where keys are made or read: see lms/badges/signing.py


class BadgeKeyError(FieldError):
    """The signing key exists but cannot be used (its file unreadable, or SECRET_KEY changed)."""


@dataclass(frozen=True)
class SigningKey:
    row: BadgeKey
    private: OKPKey


def key_file(directory: Path, thumbprint: str) -> Path:
    return directory / f"ed25519-{thumbprint}.pem"


def _write_private(path: Path, pem: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    # Created with its final mode, so the key is never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


def key_generate(session: Session, *, directory: Path, secret: str) -> SigningKey:
    """A new key that signs from now on; the previous ones are retired but stay published."""
    from joserfc.jwk import OKPKey

    private = OKPKey.generate_key("Ed25519")
    thumbprint = private.thumbprint()
    _write_private(key_file(directory, thumbprint), private.as_pem(private=True, password=secret))
    now = utcnow()
    for old in session.exec(select(BadgeKey).where(col(BadgeKey.retired_at).is_(None))).all():
        old.retired_at = now
        session.add(old)
    row = BadgeKey(thumbprint=thumbprint, public_jwk=dict(private.as_dict(private=False)), created_at=now)
    session.add(row)
    session.flush()
    return SigningKey(row, private)


def signing_key(session: Session, *, directory: Path, secret: str) -> SigningKey:
    """The key that signs now, made if there is none or its file has gone (a new server, say)."""
    row = session.exec(select(BadgeKey).where(col(BadgeKey.retired_at).is_(None)).order_by(col(BadgeKey.id).desc())).first()
    if row is None or not key_file(directory, row.thumbprint).exists():
        return key_generate(session, directory=directory, secret=secret)
    return SigningKey(row, _read(row, directory, secret))


def _read(row: BadgeKey, directory: Path, secret: str) -> OKPKey:
    from joserfc.jwk import OKPKey

    try:
        return OKPKey.import_key(key_file(directory, row.thumbprint).read_bytes(), password=secret)
    except (ValueError, TypeError, OSError) as exc:
        raise BadgeKeyError(
            gettext("The badge signing key cannot be read: SECRET_KEY may have changed. Run `lms badges keygen` to make a new one.")
        ) from exc


def existing_signing_key(session: Session, *, directory: Path, secret: str) -> SigningKey | None:
    """The key that signs now, if there is one whose file is here; never makes one (for GET pages)."""
    row = session.exec(select(BadgeKey).where(col(BadgeKey.retired_at).is_(None)).order_by(col(BadgeKey.id).desc())).first()
    if row is None or not key_file(directory, row.thumbprint).exists():
        return None
    return SigningKey(row, _read(row, directory, secret))


def published_keys(session: Session) -> list[BadgeKey]:
    return list(session.exec(select(BadgeKey).order_by(col(BadgeKey.id))).all())


def public_key(row: BadgeKey) -> OKPKey:
    from joserfc.jwk import OKPKey

    return OKPKey.import_key(row.public_jwk)
