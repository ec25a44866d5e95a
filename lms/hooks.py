"""Extension points that feature packages (courses, assessments) fill in when the app is composed.

The platform may not import those packages (see docs/architecture.md), so where it needs them it
calls whatever they registered here. `lms.app.load_features()` does the registering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

if TYPE_CHECKING:
    from lms.people.models import User

# The section of the home page a panel belongs in: everyone is an employee; the others are Role values.
EMPLOYEE = "employee"


@dataclass(frozen=True)
class HomePanel:
    """One box on the home page, drawn by a feature's own template with its own context."""

    role: str  # EMPLOYEE or a Role value: the section it is shown in
    title: str
    template: str  # included by templates/home/dashboard.html with `panel` in scope
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50  # lower first within the section; the platform's own panels use 10, 30, 70...


@dataclass(frozen=True)
class PersonalData:
    """One kind of a person's records: one JSON file in their subject access export (docs/privacy.md)."""

    kind: str  # the file's name without .json, e.g. "enrolments"
    title: str  # the heading in the export's readable summary
    # The user-id columns ("table.column") whose rows this kind exports; a test fails on a user-id
    # column that no kind covers and PERSONAL_DATA_EXCLUDED does not list.
    covers: tuple[str, ...]
    # Given the person's id, their rows as JSON-ready dicts, read in chunks (large histories stream).
    rows: Callable[[Session, int], Iterable[dict[str, Any]]]
    order: int = 50


@dataclass(frozen=True)
class ErasureLine:
    """What erasing a person does to one kind of record: counted for the plan, then done."""

    what: str  # "Course enrolments"
    action: str  # lms.privacy.erasure.Action: removed, cleared, anonymous (kept, no longer names them), law
    count: int
    rule: str = ""  # for records kept by law: the rule that keeps them


@dataclass(frozen=True)
class CompletedCourse:
    """A course a person completed, as a digital badge for it describes the course (lms/badges)."""

    course_id: int
    title: str  # in the reader's language where the course has a version
    summary: str
    completed_at: datetime
    language: str = ""  # the language title and summary are written in


@dataclass
class Hooks:
    # Called with the ids of users just created or changed (org unit, job profile...), in the
    # same transaction; e.g. rule-based course assignment for people who join later.
    users_changed: list[Callable[[Session, list[int]], None]] = field(default_factory=list)
    # Given [(competence_id, required_level)], return {competence_id: [suggestion, ...]}, best first.
    # A suggestion has course_id, title, level, estimated_minutes and url (what the pages show).
    gap_suggestions: list[Callable[[Session, list[tuple[int, int]]], dict[int, list[Any]]]] = field(default_factory=list)
    # Extra demo data, called by `lms demo` after the people and competences exist.
    demo_loaders: list[Callable[[Session], None]] = field(default_factory=list)
    # Extra `lms` subcommands: each is called once with the root Typer app and adds its own.
    cli_commands: list[Callable[[Any], None]] = field(default_factory=list)
    # Panels for the home page, given the person, their roles and the time; each provider returns only
    # the panels for roles the person has, in a fixed number of queries (the home page is every visit).
    home_panels: list[Callable[[Session, User, frozenset[str], datetime], list[HomePanel]]] = field(default_factory=list)
    # Given a course id, why a learner could not complete it as it stands, one sentence each (e.g. a quiz
    # lesson whose quiz has no questions). Publishing is refused while any provider returns something.
    publish_blockers: list[Callable[[Session, int], list[str]]] = field(default_factory=list)
    # The kinds of a person's records a subject access export holds (lms/privacy).
    personal_data_exporters: list[PersonalData] = field(default_factory=list)
    # User-id columns ("table.column") deliberately left out of exports, each with the reason.
    personal_data_excluded: dict[str, str] = field(default_factory=dict)
    # Erasure steps, given the person's id and whether to act (False: only count, for the plan). They
    # run in the erasing transaction and must leave statistics (evidence, attempts, statuses) in place.
    personal_data_erasers: list[Callable[[Session, int, bool], list[ErasureLine]]] = field(default_factory=list)
    # Given a person's id, the courses they completed, newest first (digital badges for courses).
    completed_courses: list[Callable[[Session, int], list[CompletedCourse]]] = field(default_factory=list)


hooks = Hooks()


def users_changed(session: Session, user_ids: list[int]) -> None:
    if user_ids:
        for callback in hooks.users_changed:
            callback(session, list(user_ids))


def gap_suggestions(session: Session, gaps: list[tuple[int, int]]) -> dict[int, list[Any]]:
    merged: dict[int, list[Any]] = {}
    if gaps:
        for provider in hooks.gap_suggestions:
            for competence_id, items in provider(session, gaps).items():
                merged.setdefault(competence_id, []).extend(items)
    return merged


def publish_blockers(session: Session, course_id: int) -> list[str]:
    return [blocker for provider in hooks.publish_blockers for blocker in provider(session, course_id)]


def home_panels(session: Session, user: User, roles: frozenset[str], now: datetime) -> list[HomePanel]:
    panels: list[HomePanel] = []
    for provider in hooks.home_panels:
        panels.extend(provider(session, user, roles, now))
    return panels


def completed_courses(session: Session, user_id: int) -> list[CompletedCourse]:
    return [course for provider in hooks.completed_courses for course in provider(session, user_id)]
