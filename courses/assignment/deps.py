"""The assignment rule an administrator's route works on, loaded from its path."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.models import AssignmentRule


def rule_of(db: DbSession, _user: AdminUser, rule_id: Id) -> AssignmentRule:
    rule = db.get(AssignmentRule, rule_id)
    if rule is None:
        raise HTTPException(status_code=404, detail="We could not find that rule.")
    return rule


RuleOf = Annotated[AssignmentRule, Depends(rule_of)]
