"""The certificate a route works on, loaded from its path; someone else's is a 404, like one that does not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from lms.web.access import AdminUser, SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.certificates.models import Certificate
from courses.certificates.selectors import CertificateView, certificate_view

NOT_FOUND = "We could not find that certificate."


def own_certificate(db: DbSession, user: SignedInUser, certificate_id: Id) -> CertificateView:
    view = certificate_view(db, certificate_id)
    if view is None or view.user_id != user.id:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return view


def any_certificate(db: DbSession, user: AdminUser, certificate_id: Id) -> Certificate:
    certificate = db.get(Certificate, certificate_id)
    if certificate is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return certificate


OwnCertificate = Annotated[CertificateView, Depends(own_certificate)]
AnyCertificate = Annotated[Certificate, Depends(any_certificate)]
