"""/api/v1 org units within the token's scope."""

from __future__ import annotations

from fastapi import APIRouter

from lms.api import schemas
from lms.api.auth import ReportsCaller
from lms.api.selectors import unit_names, units_in_scope, with_paths
from lms.web.deps import DbSession

router = APIRouter(tags=["org units"])


@router.get("/org-units", response_model=list[schemas.OrgUnitOut])
def org_units(db: DbSession, caller: ReportsCaller):
    """The token's unit and every unit below it (the whole organisation for an unlimited token), in path order.
    The top unit of a limited token keeps its real parent_id, which lies outside what the token can see."""
    units = units_in_scope(db, caller.org_unit_id)
    return [schemas.OrgUnitOut(id=u.id, name=u.name, parent_id=u.parent_id, path=path)
            for u, path in with_paths(units, unit_names(db))]
