"""The person and requirement a manager's cell page works on, loaded from its path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException

from courses.compliance.selectors import may_act
from courses.requirements.models import Requirement
from lms.people.models import User
from lms.web.access import ManagerUser
from lms.web.deps import DbSession
from lms.web.params import Id


@dataclass(frozen=True)
class Cell:
    person: User
    requirement: Requirement
    manager: User


def cell_of(db: DbSession, user: ManagerUser, user_id: Id, requirement_id: Id) -> Cell:
    # The same 404 for "no such person", "not in your line" and "no such requirement", so ids cannot be probed.
    person = db.get(User, user_id)
    requirement = db.get(Requirement, requirement_id)
    if person is None or requirement is None or not may_act(db, actor=user, user_id=user_id):
        raise HTTPException(status_code=404, detail="We could not find that person's training.")
    return Cell(person, requirement, user)


CellOf = Annotated[Cell, Depends(cell_of)]
