"""/api/v1 compliance, read-only (scope "compliance:read"): the requirements, one person's standing on each,
and an org unit's compliance rates with the units it is made of.

A token limited to an org unit reaches only people and units in that unit's subtree; anything else answers
404 like a missing id. Unit figures come from the same cube as /reports/compliance, so a figure hidden on the
page is hidden here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from lms.api.auth import ApiCaller, require_scope
from lms.api.schemas import TOKEN_RESPONSES, Error, UnitRef
from lms.api.selectors import person_in_scope, unit_in_scope
from lms.clock import utcnow
from lms.db import known
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.compliance.report_selectors import Cell, Row, live_cube, report_columns, requirements_in_force, unit_report
from courses.compliance.selectors import standings

router = APIRouter(prefix="/api/v1", tags=["compliance"], responses=TOKEN_RESPONSES)

ComplianceCaller = Annotated[ApiCaller, require_scope("compliance:read")]
NO_PERSON = "There is no such person, or this API token may not see them."
NO_UNIT = "There is no such unit, or this API token may not see it."


class RequirementOut(BaseModel):
    id: int
    name: str
    recurrence: str = Field(description="none, months (every `every_months` from completion) or annual (a fixed day)")
    every_months: int | None
    annual_month: int | None
    annual_day: int | None
    due_days: int = Field(description="Days a person has from being assigned")


class StandingOut(BaseModel):
    requirement_id: int
    requirement: str
    status: str = Field(description="not_started, in_progress, due_soon, overdue, compliant, expiring, expired or exempt")
    label: str
    date: datetime | None = Field(description="Due date, valid-until date or exemption end, whichever the status is about")
    within_days: int | None = Field(description="For expiring: within 30, 60 or 90 days")


class PersonComplianceOut(BaseModel):
    person: UnitRef
    requirements: list[StandingOut] = Field(description="Requirements in force that the person is assigned")


class ComplianceCellOut(BaseModel):
    requirement_id: int
    suppressed: bool
    people: int | None = Field(None, description="People in the audience, not exempt; null when suppressed")
    compliant: int | None = None
    rate: float | None = Field(None, description="compliant / people")


class ComplianceRowOut(BaseModel):
    kind: str = Field(description="unit: the unit and its subunits; direct: the people directly in the unit")
    unit_id: int
    label: str
    cells: list[ComplianceCellOut]


class UnitComplianceOut(BaseModel):
    unit: UnitRef
    min_group: int
    requirements: list[UnitRef]
    total: ComplianceRowOut
    parts: list[ComplianceRowOut]


@router.get("/compliance/requirements", response_model=list[RequirementOut])
def compliance_requirements(db: DbSession, caller: ComplianceCaller) -> list[RequirementOut]:
    """The requirements in force (not archived), by name."""
    return [
        RequirementOut(
            id=known(r.id),
            name=r.name,
            recurrence=r.recurrence,
            every_months=r.every_months,
            annual_month=r.annual_month,
            annual_day=r.annual_day,
            due_days=r.due_days,
        )
        for r in requirements_in_force(db)
    ]


@router.get("/people/{person_id}/compliance", response_model=PersonComplianceOut, responses={404: {"model": Error}})
def person_compliance(person_id: Id, db: DbSession, caller: ComplianceCaller) -> PersonComplianceOut:
    """The person's standing on each requirement in force that they are assigned (the one status rule the pages use)."""
    row = person_in_scope(db, person_id=person_id, scope_unit_id=caller.org_unit_id)
    if row is None:
        raise HTTPException(status_code=404, detail=NO_PERSON)
    columns = report_columns(db)
    found = standings(db, now=utcnow(), user_ids=[person_id], requirement_ids=[c.id for c in columns])
    return PersonComplianceOut(
        person=UnitRef(id=known(row.user.id), name=row.user.name),
        requirements=[
            StandingOut(
                requirement_id=c.id,
                requirement=c.name,
                status=st.status.value,
                label=st.label,
                date=st.date,
                within_days=st.within_days,
            )
            for c in columns
            if (st := found.get((person_id, c.id))) is not None
        ],
    )


def _cell(requirement_id: int, cell: Cell) -> ComplianceCellOut:
    if cell.suppressed:
        return ComplianceCellOut(requirement_id=requirement_id, suppressed=True)
    return ComplianceCellOut(
        requirement_id=requirement_id, suppressed=False, people=cell.people or 0, compliant=cell.compliant or 0, rate=cell.rate
    )


def _row(row: Row, ids: list[int]) -> ComplianceRowOut:
    return ComplianceRowOut(
        kind=row.group, unit_id=row.unit_id, label=row.label, cells=[_cell(rid, c) for rid, c in zip(ids, row.cells, strict=True)]
    )


@router.get("/org-units/{unit_id}/compliance", response_model=UnitComplianceOut, responses={404: {"model": Error}})
def unit_compliance(request: Request, unit_id: Id, db: DbSession, caller: ComplianceCaller) -> UnitComplianceOut:
    """Compliance rates of the unit (with its subunits) and of the units it is made of, per requirement in force.
    Groups smaller than `min_group`, and any figure that would let one be worked out by subtraction, are suppressed."""
    unit = unit_in_scope(db, unit_id=unit_id, scope_unit_id=caller.org_unit_id)
    if unit is None:
        raise HTTPException(status_code=404, detail=NO_UNIT)
    cube = live_cube(db, now=utcnow(), min_group=request.app.state.settings.report_min_group)
    report = unit_report(cube, known(unit.id))
    ids = [c.id for c in report.columns]
    return UnitComplianceOut(
        unit=UnitRef(id=known(unit.id), name=unit.name),
        min_group=report.min_group,
        requirements=[UnitRef(id=c.id, name=c.name) for c in report.columns],
        total=_row(report.total, ids),
        parts=[_row(part, ids) for part in report.parts],
    )
