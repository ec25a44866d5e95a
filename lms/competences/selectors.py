"""Reads for the skills picture. Each function runs a fixed number of queries, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, and_, bindparam, select as sa_select
from sqlmodel import Session, col, select

from lms.clock import utcnow
from lms.competences.name_columns import name_in_language
from lms.competences.models import (
    Competence,
    CompetenceArea,
    CompetenceStatus,
    Evidence,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyLevel,
)
from lms.people.models import User


def effective_level(status: CompetenceStatus | None, now: datetime) -> tuple[int, bool]:
    """(verified level, lapsed): a level whose evidence expired since it was written counts as 0
    until `lms competences rebuild` (or new evidence) recomputes it from what is still valid."""
    if status is None:
        return 0, False
    if status.verified_until is not None and status.verified_until <= now:
        return 0, True
    return status.verified_level, False


@dataclass
class SkillRow:
    competence: Competence
    area: CompetenceArea
    framework: Framework
    required: int
    verified: int
    lapsed: bool
    verified_source: str | None
    verified_until: datetime | None
    self_level: int | None
    self_assessed_at: datetime | None

    @property
    def gap(self) -> int:
        return max(self.required - self.verified, 0)

    @property
    def in_profile(self) -> bool:
        return self.required > 0


# Built once (issue 15), with the person and their job profile as bound parameters. The status is read
# as columns, not an entity: these pages only show it, and hydrating it cost most of the page's time.
_SKILL_ROWS = (
    select(
        Competence,
        CompetenceArea,
        Framework,
        JobProfileRequirement.level,
        CompetenceStatus.user_id,  # None when the person has no status for this competence
        CompetenceStatus.verified_level,
        CompetenceStatus.verified_source,
        CompetenceStatus.verified_until,
        CompetenceStatus.self_level,
        CompetenceStatus.self_assessed_at,
    )
    .join(CompetenceArea, col(CompetenceArea.id) == Competence.area_id)
    .join(Framework, col(Framework.id) == Competence.framework_id)
    .outerjoin(
        JobProfileRequirement,
        and_(
            JobProfileRequirement.competence_id == Competence.id,
            JobProfileRequirement.job_profile_id == bindparam("job_profile_id", type_=Integer),
        ),
    )
    .outerjoin(
        CompetenceStatus,
        and_(CompetenceStatus.competence_id == Competence.id, CompetenceStatus.user_id == bindparam("user_id", type_=Integer)),
    )
    .order_by(Framework.code, CompetenceArea.position, Competence.position, Competence.code)
)


def skill_rows(session: Session, user: User, now: datetime | None = None) -> list[SkillRow]:
    """Every competence with the person's required, verified and self-assessed level (one query)."""
    now = now or utcnow()
    rows = []
    params = {"user_id": user.id, "job_profile_id": user.job_profile_id}
    for comp, area, fw, required, has_status, level, source, until, self_level, self_at in session.exec(_SKILL_ROWS, params=params):
        # As effective_level: a level whose evidence expired since it was written counts as 0 (lapsed).
        lapsed = has_status is not None and until is not None and until <= now
        rows.append(
            SkillRow(
                competence=comp,
                area=area,
                framework=fw,
                required=required or 0,
                verified=0 if has_status is None or lapsed else level,
                lapsed=lapsed,
                verified_source=source,
                verified_until=until,
                self_level=self_level,
                self_assessed_at=self_at,
            )
        )
    return rows


@dataclass
class EvidenceView:
    evidence: Evidence
    recorded_by_name: str | None

    def expired(self, now: datetime) -> bool:
        return self.evidence.expires_at is not None and self.evidence.expires_at <= now


# Built once (issue 15), like the two below.
_EVIDENCE = (
    select(Evidence, User.name)
    .outerjoin(User, col(User.id) == Evidence.recorded_by_id)
    .where(Evidence.user_id == bindparam("user_id", type_=Integer))
    .order_by(col(Evidence.recorded_at).desc(), col(Evidence.id).desc())
)
_LEVELS = select(ProficiencyLevel).order_by(col(ProficiencyLevel.level))


def evidence_by_competence(session: Session, user_id: int) -> dict[int, list[EvidenceView]]:
    """All evidence for a person, newest first, grouped by competence (one query)."""
    grouped: dict[int, list[EvidenceView]] = {}
    for evidence, name in session.exec(_EVIDENCE, params={"user_id": user_id}).all():
        grouped.setdefault(evidence.competence_id, []).append(EvidenceView(evidence, name))
    return grouped


def levels_by_framework(session: Session) -> dict[int, list[ProficiencyLevel]]:
    grouped: dict[int, list[ProficiencyLevel]] = {}
    for lv in session.exec(_LEVELS).all():
        grouped.setdefault(lv.framework_id, []).append(lv)
    return grouped


def competence_by_code(session: Session, code: str, framework_code: str | None = None) -> Competence | None:
    stmt = select(Competence).join(Framework, Framework.id == Competence.framework_id).where(Competence.code == code)
    if framework_code:
        stmt = stmt.where(Framework.code == framework_code)
    return session.exec(stmt.order_by(Framework.id)).first()


def job_profiles(session: Session) -> list[JobProfile]:
    return list(session.exec(select(JobProfile).order_by(JobProfile.name)).all())


@dataclass
class Heatmap:
    people: list[User]
    competences: list[tuple[Competence, CompetenceArea]]
    # (user_id, competence_id) -> (required, verified, self_level, lapsed)
    cells: dict[tuple[int, int], tuple[int, int, int | None, bool]] = field(default_factory=dict)
    profiles: dict[int, JobProfile] = field(default_factory=dict)

    def cell(self, user_id: int, competence_id: int) -> tuple[int, int, int | None, bool] | None:
        return self.cells.get((user_id, competence_id))

    def row(self, user_id: int) -> list[tuple[str, str, str, bool] | None]:
        """One person's cells in column order, ready to print: (css class, "verified / required",
        the same in words, lapsed), or None where the profile requires nothing."""
        shown: list[tuple[str, str, str, bool] | None] = []
        for competence, _area in self.competences:
            cell = self.cells.get((user_id, competence.id))
            if cell is None:
                shown.append(None)
                continue
            required, verified, _self, lapsed = cell
            gap = required - verified
            css = "heat-met" if gap <= 0 else ("heat-gap1" if gap == 1 else "heat-gap2")
            shown.append((css, f"{verified} / {required}", "met" if gap <= 0 else f"gap {gap}", lapsed))
        return shown

    def person_gap(self, user_id: int) -> int:
        return sum(max(r - v, 0) for (u, _), (r, v, _s, _l) in self.cells.items() if u == user_id and r)


def area_options(session: Session) -> list[tuple[int, str]]:
    """(id, label) of every competence area, by framework and position, named in the reader's language;
    the framework's code leads the label only when there are several frameworks."""
    version, on, name = name_in_language(CompetenceArea)
    rows = session.exec(
        sa_select(CompetenceArea.id, CompetenceArea.code, name, Framework.code)
        .join(Framework, Framework.id == CompetenceArea.framework_id)
        .outerjoin(version, on)
        .order_by(Framework.code, CompetenceArea.position, CompetenceArea.code)
    ).all()
    several = len({fw for *_a, fw in rows}) > 1
    return [(aid, f"{fw} {code} · {label}" if several else f"{code} · {label}") for aid, code, label, fw in rows]
