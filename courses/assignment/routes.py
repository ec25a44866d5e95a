"""Assigning courses: a manager to people in their reporting line (by hand or to everyone with a gap),
and an administrator by rule to an org unit and/or job profile.

A manager's request naming anyone outside their line is refused whole with 404, so nothing is written
and ids cannot be probed.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import format_number, gettext, ngettext
from lms.web.forms import field_errors
from lms.web.params import parse_day_from_today
from lms.clock import utcnow
from lms.competences.models import Competence
from lms.competences.selectors import job_profiles
from lms.db import known
from lms.people.models import User
from lms.people.selectors import org_units_with_paths
from lms.web.access import AdminUser, ManagerUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.params import check_int, parse_id
from lms.web.templating import redirect, render

from courses.assignment.deps import RuleOf
from courses.assignment.line_selectors import (
    enrolment_due_dates,
    line_gap_people,
    line_people,
    published_course_options,
)
from courses.assignment.rule_selectors import rule_overview
from courses.models import Course, CourseCompetence, CourseStatus
from courses.catalogue.recommend import suggestions
from courses.assignment.service import MAX_DUE_DAYS, rule_create, rule_deactivate
from courses.errors import CourseError
from courses.assignment.service import assign

router = APIRouter(prefix="/team")
admin_router = APIRouter(prefix="/admin/assignment-rules")

Text = Annotated[str, Form(max_length=200)]
Message = Annotated[str, Form(max_length=2000)]
Param = Annotated[str, Query(max_length=20)]


def parse_due(raw: str, errors: dict[str, str]) -> datetime | None:
    """A date from a date input, due at the end of that day (UTC) so "due today" is not overdue yet."""
    day = parse_day_from_today(
        raw,
        errors,
        "due_date",
        bad_format=gettext("Enter the due date as a date, for example 2030-03-31."),
        in_past=gettext("The due date cannot be in the past."),
    )
    return datetime.combine(day, time(23, 59, 59), UTC) if day else None


def _published(db: Session, course_id: int | None) -> Course | None:
    course = db.get(Course, course_id) if course_id else None
    return course if course is not None and course.status == CourseStatus.PUBLISHED.value else None


def _assign_and_confirm(
    db: Session,
    request: Request,
    *,
    course: Course,
    people: list[User],
    by: User,
    due_at: datetime | None,
    message: str,
    own_message: bool = True,
) -> str:
    """Assign, and say what happened to whom: who is new, and for those who already had the course
    whether their due date changed (assign keeps the earliest, and leaves finished courses alone)."""
    before = enrolment_due_dates(db, known(course.id), [known(p.id) for p in people])
    enrolments = assign(db, course=course, users=people, by=by, due_at=due_at, message=message, client_ip=client_ip(request))
    moved = sum(1 for e in enrolments if e.user_id in before and e.due_at != before[e.user_id])
    return _confirmation(
        len(people), len(before), due_given=due_at is not None, due_moved=moved, message=own_message and bool(message.strip())
    )


def _confirmation(n: int, had: int, *, due_given: bool, due_moved: int, message: bool) -> str:
    if not due_given:
        due = gettext("their due date is unchanged")
    elif due_moved == had:
        due = gettext("their due date was updated")
    elif due_moved == 0:
        due = gettext("their due date is unchanged (it was already this date or earlier, or they have finished)")
    else:
        due = gettext(
            "the due date was updated for %(moved)s (the others' was already this date or earlier, or they have finished)"
        ) % {"moved": format_number(due_moved)}
    count = format_number(n)
    if had == 0:
        text = ngettext("Assigned to %(count)s person.", "Assigned to %(count)s people.", n) % {"count": count}
    elif had == n == 1:
        text = gettext("Assigned to 1 person, who already had this course; %(due)s.") % {"due": due}
    elif had == n:
        text = ngettext(
            "Assigned to %(count)s person. All %(count)s already had this course; %(due)s.",
            "Assigned to %(count)s people. All %(count)s already had this course; %(due)s.",
            n,
        ) % {"count": count, "due": due}
    else:
        text = ngettext(
            "Assigned to %(count)s person: %(new)s new, %(had)s already had it (%(due)s).",
            "Assigned to %(count)s people: %(new)s new, %(had)s already had it (%(due)s).",
            n,
        ) % {"count": count, "new": format_number(n - had), "had": format_number(had), "due": due}
    if message:
        text += " " + gettext("They will see your message on the course page.")
    return text


def _assign_page(
    request: Request, db: Session, manager: User, form: dict, *, errors: dict | None = None, status_code: int = 200
) -> Response:
    competence = db.get(Competence, parse_id(str(form.get("competence", "")))) if form.get("competence") else None
    recommended = []
    if competence:
        # Enough for everyone in the line with the gap; without a gap, any course that develops it.
        needed = max((level for _p, level in line_gap_people(db, manager.id, competence.id, utcnow())), default=1)
        recommended = suggestions(db, [(known(competence.id), needed)]).get(competence.id, [])
    return render(
        request,
        "courses/assignment/assign.html",
        {
            "form": form,
            "errors": errors or {},
            "course_options": published_course_options(db),
            "people": line_people(db, manager.id),
            "competence": competence,
            "recommended": recommended,
            "min_date": utcnow().date().isoformat(),
        },
        status_code=status_code,
    )


@router.get("/assign")
def assign_form(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    course: Param = "",
    competence: Param = "",
    gap: Param = "",
    person: Param = "",
) -> Response:
    selected: set[int] = set()
    competence_id = parse_id(competence)
    if competence_id and gap == "1":
        selected = {known(p.id) for p, _level in line_gap_people(db, user.id, competence_id, utcnow())}
    if parse_id(person):
        selected.add(parse_id(person))  # only pre-ticks a box; people outside the line have none
    form = {
        "course_id": parse_id(course),
        "competence": competence_id or "",
        "user_ids": selected,
        "whole_line": False,
        "due_date": "",
        "message": "",
    }
    return _assign_page(request, db, user, form)


@router.post("/assign")
def assign_submit(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    course_id: Text = "",
    user_ids: Annotated[list[str], Form()] = [],
    whole_line: Text = "",
    due_date: Text = "",
    message: Message = "",
    competence: Text = "",
) -> Response:
    line = {p.id: p for p, _direct in line_people(db, user.id)}
    chosen = [parse_id(raw) for raw in user_ids]
    if any(pid is None or pid not in line for pid in chosen):
        raise HTTPException(status_code=404, detail="We could not find one of those people in your team.")
    everyone = whole_line in {"1", "on", "true"}
    ids = list(line) if everyone else list(dict.fromkeys(chosen))
    errors: dict[str, str] = {}
    course = _published(db, parse_id(course_id))
    if course is None:
        errors["course_id"] = gettext("Choose a published course.")
    if not ids:
        errors["user_ids"] = gettext("Choose at least one person, or the whole reporting line.")
    due_at = parse_due(due_date, errors)
    form = {
        "course_id": parse_id(course_id),
        "competence": parse_id(competence) or "",
        "user_ids": set(ids),
        "whole_line": everyone,
        "due_date": due_date,
        "message": message,
    }
    if not errors:
        try:
            done = _assign_and_confirm(
                db, request, course=course, people=[line[i] for i in ids], by=user, due_at=due_at, message=message
            )
            db.commit()
        except CourseError as exc:
            db.rollback()
            errors.update(field_errors(exc))
    if errors:
        return _assign_page(request, db, user, form, errors=errors, status_code=422)
    flash(request, done)
    return redirect(request, f"/team/assignments?course={course.id}")


@router.post("/assign-gap")
def assign_gap(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    competence_id: Text = "",
    course_id: Text = "",
    due_date: Text = "",
) -> Response:
    """Everyone in the line below their required level for one competence gets one course."""
    competence = db.get(Competence, parse_id(competence_id)) if parse_id(competence_id) else None
    course = _published(db, parse_id(course_id))
    if competence is None or course is None or db.get(CourseCompetence, (course.id, competence.id)) is None:
        raise HTTPException(status_code=404, detail="We could not find that course for that competence.")
    errors: dict[str, str] = {}
    due_at = parse_due(due_date, errors)
    if errors:
        flash(request, errors["due_date"], "error")
        return redirect(request, "/team")
    people = [p for p, _level in line_gap_people(db, user.id, competence.id, utcnow())]
    if not people:
        flash(
            request,
            gettext("Nobody in your team is below the required level in %(competence)s.")
            % {"competence": f"{competence.code} {competence.name}"},
        )
        return redirect(request, "/team")
    done = _assign_and_confirm(
        db,
        request,
        course=course,
        people=people,
        by=user,
        due_at=due_at,
        message=f"To close a gap in {competence.code} {competence.name}.",
        own_message=False,  # written for them, not by the manager
    )
    db.commit()
    flash(
        request,
        gettext("“%(course)s”, for the gap in %(competence)s: %(done)s")
        % {"course": course.title, "competence": f"{competence.code} {competence.name}", "done": done},
    )
    return redirect(request, f"/team/assignments?course={course.id}")


# --- Administrator rules -----------------------------------------------------------------------


def _rules_page(
    request: Request, db: Session, *, form: dict | None = None, errors: dict | None = None, status_code: int = 200
) -> Response:
    return render(
        request,
        "courses/assignment/rules.html",
        {
            "rules": rule_overview(db),
            "form": form or {},
            "errors": errors or {},
            "course_options": published_course_options(db),
            "unit_options": [(u.id, path) for u, path in org_units_with_paths(db)],
            "profile_options": [(p.id, p.name) for p in job_profiles(db)],
        },
        status_code=status_code,
    )


@admin_router.get("")
def rules_list(request: Request, db: DbSession, user: AdminUser) -> Response:
    return _rules_page(request, db)


@admin_router.post("")
def rules_create(
    request: Request,
    db: DbSession,
    user: AdminUser,
    course_id: Text = "",
    org_unit_id: Text = "",
    job_profile_id: Text = "",
    due_days: Text = "",
    message: Message = "",
) -> Response:
    form = {
        "course_id": course_id,
        "org_unit_id": org_unit_id,
        "job_profile_id": job_profile_id,
        "due_days": due_days,
        "message": message,
    }
    errors: dict[str, str] = {}
    days = None
    if due_days.strip():
        days = check_int(
            due_days,
            errors,
            "due_days",
            lo=1,
            hi=MAX_DUE_DAYS,
            message=gettext("Enter a whole number of days from 1 to %(max)s, or leave it empty.") % {"max": MAX_DUE_DAYS},
        )
    if not errors:
        try:
            rule, count = rule_create(
                db,
                course_id=parse_id(course_id),
                org_unit_id=parse_id(org_unit_id),
                job_profile_id=parse_id(job_profile_id),
                due_days=days,
                message=message,
                by=user,
                client_ip=client_ip(request),
            )
            db.commit()
        except CourseError as exc:
            db.rollback()
            errors.update(field_errors(exc))
    if errors:
        return _rules_page(request, db, form=form, errors=errors, status_code=422)
    flash(
        request,
        ngettext(
            "The rule is saved and assigned the course to %(count)s person now; people who join later are assigned too.",
            "The rule is saved and assigned the course to %(count)s people now; people who join later are assigned too.",
            count,
        )
        % {"count": format_number(count)},
    )
    return redirect(request, "/admin/assignment-rules")


@admin_router.post("/{rule_id:id}/deactivate")
def rules_deactivate(request: Request, db: DbSession, user: AdminUser, rule: RuleOf) -> Response:
    rule_deactivate(db, rule=rule, by=user, client_ip=client_ip(request))
    db.commit()
    flash(request, gettext("The rule is switched off. People it assigned keep their courses; nobody new is assigned."))
    return redirect(request, "/admin/assignment-rules")
