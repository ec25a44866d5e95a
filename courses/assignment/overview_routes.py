"""My learning (the employee's home) and the manager's overview of their line's assignments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.web.paging import SHORT_ROWS, Page, clamp_page, page_size, url_with
from lms.clock import utcnow
from lms.csvfile import csv_response
from lms.export_headings import headings
from lms.db import known
from lms.people.models import User
from lms.web.access import ManagerUser, SignedInUser
from lms.web.deps import DbSession
from lms.web.page_cache import page_cached
from lms.web.params import parse_id
from lms.web.templating import render

from courses.assignment.export import COLUMNS, assignment_rows
from courses.assignment.selectors import (
    CATEGORIES,
    CATEGORY_LABELS,
    completed_count,
    completed_items,
    my_learning,
    user_gaps,
)
from courses.assignment.line_selectors import AssignmentFilters, line_assignments, line_course_options
from courses.catalogue.recommend import suggestions

router = APIRouter()

RECOMMENDED_SHOWN = 6
Param = Annotated[str, Query(max_length=100)]
PageNo = Annotated[int, Query(ge=1, le=1_000_000)]


def _recommended(db: Session, user: User, now: datetime, enrolled: set[int]) -> list[dict]:
    """Courses that close the user's gaps, each listed once with the gaps it closes, best fit first."""
    gaps = user_gaps(db, user, now)
    found = suggestions(db, [(known(c.id), required) for c, required, _v in gaps], exclude_course_ids=enrolled)
    courses: dict[int, dict] = {}
    for competence, required, verified in gaps:
        for rank, s in enumerate(found.get(competence.id, [])):
            entry = courses.setdefault(s.course_id, {"course": s, "closes": [], "rank": rank})
            entry["closes"].append((competence, required, verified, s.level))
            entry["rank"] = min(entry["rank"], rank)
    ordered = sorted(courses.values(), key=lambda e: (e["rank"], -len(e["closes"]), e["course"].estimated_minutes, e["course"].title))
    return ordered[:RECOMMENDED_SHOWN]


@router.get("/learning")
@page_cached
def learning_home(request: Request, db: DbSession, user: SignedInUser) -> Response:
    now = utcnow()
    learning = my_learning(db, user, now)
    enrolled = {item.course.id for _k, _h, items in learning.sections for item in items}
    # Completed courses beyond the ten shown still must not be recommended again.
    return render(
        request,
        "courses/assignment/my_learning.html",
        {
            "learning": learning,
            "now": now,
            "recommended": _recommended(db, user, now, enrolled | learning.completed_course_ids),
        },
    )


@router.get("/learning/completed")
def learning_completed(request: Request, db: DbSession, user: SignedInUser, page: PageNo = 1) -> Response:
    now = utcnow()
    per_page = page_size(request, SHORT_ROWS)
    total = completed_count(db, user)
    page = clamp_page(page, total, per_page)
    return render(
        request,
        "courses/assignment/completed.html",
        {
            "result": Page(
                items=completed_items(db, user, now, page=page, per_page=per_page), total=total, page=page, per_page=per_page
            ),
            "now": now,
            "page_url": lambda n: url_with("/learning/completed", {}, page=n),
        },
    )


def line_filters(status: Param = "", course: Param = "", q: Param = "", page: PageNo = 1) -> AssignmentFilters:
    """The line-assignment filters from the query string, shared by the page and its CSV export."""
    return AssignmentFilters(status=status if status in CATEGORIES else "", course=parse_id(course), q=q.strip()[:100], page=page)


LineFilters = Annotated[AssignmentFilters, Depends(line_filters)]


@router.get("/team/assignments")
def team_assignments(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    filters: LineFilters,
) -> Response:
    now = utcnow()
    per_page = page_size(request, SHORT_ROWS)
    items, total = line_assignments(db, manager_id=user.id, filters=filters, now=now, per_page=per_page)
    if not items and total and filters.page > 1:
        filters.page = clamp_page(filters.page, total, per_page)
        items, total = line_assignments(db, manager_id=user.id, filters=filters, now=now, per_page=per_page)
    return render(
        request,
        "courses/assignment/team_assignments.html",
        {
            "result": Page(items=items, total=total, page=filters.page, per_page=per_page),
            "filters": filters,
            "now": now,
            "page_url": lambda n: filters.url("/team/assignments", page=n),
            "export_url": filters.url("/team/assignments.csv"),
            "status_options": [(key, CATEGORY_LABELS[value]) for key, value in CATEGORIES.items()],
            "course_options": line_course_options(db, user.id),
        },
        block="results",
    )


@router.get("/team/assignments.csv")
def team_assignments_csv(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    filters: LineFilters,
) -> Response:
    now = utcnow()
    items, _total = line_assignments(db, manager_id=user.id, filters=filters, now=now)
    filename = f"team-assignments-{now.date().isoformat()}.csv"
    return csv_response(filename, headings(COLUMNS), assignment_rows(items, now))
