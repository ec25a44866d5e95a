"""The requirement an admin page works on, loaded from its path.

Skills leads read requirements (Access.REPORTS); only administrators change them (Access.ADMIN).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException
from sqlmodel import Session

from lms.web.access import AdminUser, ReportsUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.requirements.models import Requirement


def _load(db: Session, requirement_id: int) -> Requirement:
    requirement = db.get(Requirement, requirement_id)
    if requirement is None:
        raise HTTPException(status_code=404, detail="We could not find that requirement.")
    return requirement


def readable_requirement(db: DbSession, _user: ReportsUser, requirement_id: Id) -> Requirement:
    return _load(db, requirement_id)


def editable_requirement(db: DbSession, _user: AdminUser, requirement_id: Id) -> Requirement:
    return _load(db, requirement_id)


ReadableRequirement = Annotated[Requirement, Depends(readable_requirement)]
EditableRequirement = Annotated[Requirement, Depends(editable_requirement)]
