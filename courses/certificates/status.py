"""A certificate's standing on a given day, derived from its dates (never stored)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from lms.i18n import N_


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATUS_LABELS = {
    CertificateStatus.VALID: N_("Valid"),
    CertificateStatus.EXPIRED: N_("Expired"),
    CertificateStatus.REVOKED: N_("Revoked"),
}


def certificate_status(*, revoked_at: datetime | None, valid_until: datetime | None, now: datetime) -> CertificateStatus:
    """Revoked wins over expired: a withdrawn certificate says so even after its validity would have ended."""
    if revoked_at is not None and revoked_at <= now:
        return CertificateStatus.REVOKED
    if valid_until is not None and valid_until <= now:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID
