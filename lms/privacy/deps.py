"""The objects privacy routes work on, loaded from the path; 404 for what the person may not see."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from lms.people.models import User
from lms.privacy.models import DataExport
from lms.web.access import AdminUser, SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id


def _own_export(db: DbSession, user: SignedInUser, export_id: Id) -> DataExport:
    export = db.get(DataExport, export_id)
    # Someone else's export answers as if it did not exist: its id says nothing about anyone.
    if export is None or export.requested_by_id != user.id:
        raise HTTPException(status_code=404, detail="We could not find that export.")
    return export


def _person(db: DbSession, user: AdminUser, user_id: Id) -> User:
    person = db.get(User, user_id)
    if person is None:
        raise HTTPException(status_code=404, detail="We could not find that user. They may have been removed.")
    return person


OwnExport = Annotated[DataExport, Depends(_own_export)]
PersonForAdmin = Annotated[User, Depends(_person)]
