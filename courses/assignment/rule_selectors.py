"""Reads for assignment rules: whom a rule covers now, and the admin's overview of every rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from lms.competences.models import JobProfile
from lms.people.models import User
from lms.people.selectors import org_unit_subtree_ids, org_units_with_paths

from courses.models import AssignmentRule, Course, CourseTranslation
from courses.translations.resolve import MarkedText, marked_title, title_version


def rule_targets(session: Session, rule: AssignmentRule, user_ids: list[int] | None = None) -> list[User]:
    """Active users the rule covers (optionally only among ``user_ids``)."""
    stmt = select(User).where(User.is_active)
    if rule.org_unit_id is not None:
        stmt = stmt.where(User.org_unit_id.in_(org_unit_subtree_ids(session, rule.org_unit_id)))
    if rule.job_profile_id is not None:
        stmt = stmt.where(User.job_profile_id == rule.job_profile_id)
    if user_ids is not None:
        stmt = stmt.where(User.id.in_(user_ids))
    return list(session.exec(stmt).all())


@dataclass
class RuleRow:
    rule: AssignmentRule
    course_title: MarkedText  # in the reader's language where the course has a version
    unit_path: str | None
    profile_name: str | None
    covered: int


def rule_overview(session: Session) -> list[RuleRow]:
    """Every rule with the number of active people it covers now. Three queries in all: the counts
    are summed from one (unit, profile) histogram rather than a subtree query per rule."""
    rules = session.exec(
        select(AssignmentRule, Course.title, Course.default_language, CourseTranslation.title)
        .join(Course, Course.id == AssignmentRule.course_id)
        .outerjoin(CourseTranslation, title_version())
        .order_by(AssignmentRule.active.desc(), AssignmentRule.created_at.desc(), AssignmentRule.id.desc())
    ).all()
    if not rules:
        return []
    units = org_units_with_paths(session)
    children: dict[int | None, list[int]] = {}
    for unit, _path in units:
        children.setdefault(unit.parent_id, []).append(unit.id)
    paths = {unit.id: path for unit, path in units}
    histogram = session.exec(
        sa_select(User.org_unit_id, User.job_profile_id, func.count())
        .where(User.is_active)
        .group_by(User.org_unit_id, User.job_profile_id)
    ).all()
    profile_names = dict(session.exec(select(JobProfile.id, JobProfile.name)).all())

    def subtree(unit_id: int) -> set[int]:
        found, stack = set(), [unit_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return found

    rows = []
    for rule, title, default_language, version in rules:
        units_in = subtree(rule.org_unit_id) if rule.org_unit_id is not None else None
        covered = sum(
            n
            for unit_id, profile_id, n in histogram
            if (units_in is None or unit_id in units_in) and (rule.job_profile_id is None or profile_id == rule.job_profile_id)
        )
        rows.append(
            RuleRow(
                rule,
                marked_title(title, default_language, version),
                paths.get(rule.org_unit_id),
                profile_names.get(rule.job_profile_id),
                covered,
            )
        )
    return rows
