"""The shapes /api/v1 answers with. They are the documented contract (OpenAPI), kept apart from the tables."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Error(BaseModel):
    detail: str


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
    self_assessment: SelfAssessment | None = Field(
        description="The person's own rating; it never counts as verified"
    )


class PersonCompetences(BaseModel):
    person: PersonOut
    competences: list[CompetenceStatusOut] = Field(description="One entry per competence the job profile requires")
