"""The shapes /api/v1 answers with. They are the documented contract (OpenAPI), kept apart from the tables."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Error(BaseModel):
    detail: str


# Every /api/v1 router declares these, so each operation documents how a token is refused.
TOKEN_RESPONSES: dict[int | str, dict] = {
    401: {"model": Error, "description": "No token, or an unknown, revoked or expired one"},
    403: {"model": Error, "description": "The token lacks this operation's scope"},
}


class FrameworkSummary(BaseModel):
    code: str
    name: str
    version: str
    publisher: str
    licence: str
    areas: int = Field(description="Number of competence areas")
    competences: int = Field(description="Number of competences")


class Level(BaseModel):
    level: int
    band: str
    summary: str


class CompetenceOut(BaseModel):
    code: str
    name: str
    description: str
    evidence_valid_months: int | None = Field(description="How long evidence stays valid; null: it never lapses")


class AreaOut(BaseModel):
    code: str
    name: str
    competences: list[CompetenceOut]


class FrameworkDetail(BaseModel):
    code: str
    name: str
    version: str
    publisher: str
    licence: str
    levels: list[Level]
    areas: list[AreaOut]


class JobProfileSummary(BaseModel):
    id: int
    name: str
    description: str
    requirements: int = Field(description="Number of competences with a required level")


class Requirement(BaseModel):
    framework: str = Field(description="Framework code")
    competence: str = Field(description="Competence code within the framework")
    name: str
    level: int = Field(description="Required proficiency level")


class JobProfileDetail(BaseModel):
    id: int
    name: str
    description: str
    requirements: list[Requirement]


class OrgUnitOut(BaseModel):
    id: int
    name: str
    parent_id: int | None = Field(description="null for a top-level unit")
    path: str = Field(description='Full name, e.g. "Digital / Data team"')


class UnitRef(BaseModel):
    id: int
    name: str


class PersonOut(BaseModel):
    id: int
    name: str
    email: str
    org_unit: UnitRef | None
    job_profile: UnitRef | None
    manager_id: int | None


class PeoplePage(BaseModel):
    items: list[PersonOut]
    total: int
    page: int
    per_page: int
    next: str | None = Field(description="URL of the next page; null on the last page")


class SelfAssessment(BaseModel):
    level: int
    assessed_at: datetime | None


class CompetenceStatusOut(BaseModel):
    framework: str
    competence: str
    name: str
    area: str
    required: int
    verified: int = Field(description="Verified level; 0 when its evidence has expired")
    lapsed: bool = Field(description="True when a verified level has expired and now counts as 0")
    gap: int = Field(description="required - verified, never below 0")
    verified_source: str | None = Field(description="What the verified level rests on: quiz, course, manager, ...")
    verified_until: datetime | None
    self_assessment: SelfAssessment | None = Field(description="The person's own rating; it never counts as verified")


class PersonCompetences(BaseModel):
    person: PersonOut
    competences: list[CompetenceStatusOut] = Field(description="One entry per competence the job profile requires")


class AggregateCell(BaseModel):
    """One group × one column. A suppressed cell carries no numbers at all, not even its size."""

    column: str = Field(description="Area or competence code")
    suppressed: bool = Field(description="True when the group is too small to show (or would give one away)")
    people: int | None = Field(None, description="People whose job profile requires it; null when suppressed")
    requirements: int | None = Field(None, description="Person × competence requirements counted")
    meeting: int | None = Field(None, description="Requirements met at or above the required level")
    share_meeting: float | None = None
    average_gap: float | None = None
    average_verified: float | None = None
    self_assessed: int | None = Field(None, description="Requirements that people also rated themselves on")
    average_self: float | None = None
    average_verified_of_self_assessed: float | None = None
    levels: list[int] | None = Field(None, description="Requirements by verified level, index 0 = no verified level")


class AggregateRow(BaseModel):
    kind: str = Field(description='"unit": a unit and everything below it; "direct": only people directly in it')
    unit_id: int
    label: str
    cells: list[AggregateCell]


class AggregateColumn(BaseModel):
    code: str
    name: str


class OrgUnitAggregates(BaseModel):
    unit: UnitRef
    framework: str | None = Field(description="Framework code; null when none is loaded")
    by: str = Field(description='"area" or "competence"')
    min_group: int = Field(description="Smallest group shown; smaller ones (and any that would reveal them) are suppressed")
    figures_as_of: datetime = Field(description="When these figures were computed (they are kept while the data does not change)")
    columns: list[AggregateColumn]
    total: AggregateRow
    parts: list[AggregateRow] = Field(description="The units it is made of, and the people directly in it")
