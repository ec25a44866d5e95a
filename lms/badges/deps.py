"""What the badge routes work on: the issuer's settings from the app, and a person's own credential."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from lms.badges.models import BadgeCredential
from lms.badges.service import IssuerSettings
from lms.i18n import gettext
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id


def issuer_settings(request: Request) -> IssuerSettings:
    settings = request.app.state.settings
    return IssuerSettings(
        base_url=(settings.base_url or str(request.base_url)).rstrip("/"),
        org_name=settings.org_name,
        keys_dir=settings.badge_keys_path,
        secret=request.app.state.secret_key,
    )


def _own(db: DbSession, user: SignedInUser, credential_id: Id) -> BadgeCredential:
    credential = db.get(BadgeCredential, credential_id)
    if credential is None or credential.user_id != user.id:
        raise HTTPException(status_code=404, detail=gettext("We could not find that credential."))
    return credential


def _any(db: DbSession, credential_id: Id) -> BadgeCredential:
    credential = db.get(BadgeCredential, credential_id)
    if credential is None:
        raise HTTPException(status_code=404, detail=gettext("We could not find that credential."))
    return credential


Issuing = Annotated[IssuerSettings, Depends(issuer_settings)]
OwnCredential = Annotated[BadgeCredential, Depends(_own)]
# Only for routes that declare the admin policy themselves.
AnyCredential = Annotated[BadgeCredential, Depends(_any)]
