"""The signed-in home page and the health check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import N_
from lms.clock import utcnow
from lms.db import DatabaseNotWritable, check_writable
from lms.home import selectors
from lms.hooks import EMPLOYEE, HomePanel, home_panels
from lms.people.models import Role, User
from lms.web.access import Access, SignedInUser, policy
from lms.web.deps import DbSession
from lms.web.page_cache import LINE, page_cached_for
from lms.reports.published import PublishedFigures
from lms.web.templating import render

router = APIRouter()


# The sections of the home page in the order a person with several roles sees them: employee first.
SECTIONS = (
    (EMPLOYEE, N_("Your learning and skills")),
    (Role.MANAGER.value, N_("Your team")),
    (Role.TRAINER.value, N_("Your courses and quizzes")),
    (Role.SKILLS_LEAD.value, N_("Your organisation")),
    (Role.ADMIN.value, N_("Administration")),
)


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    panels: list[HomePanel]


def _platform_panels(db: Session, user: User, roles: frozenset[str], now: datetime, line: PublishedFigures | None) -> list[HomePanel]:
    """The platform's own panels; the courses and quizzes ones come through lms.hooks.home_panels."""
    me = selectors.employee_home(db, user, now)
    panels = [
        HomePanel(EMPLOYEE, N_("Your skill gaps"), "home/_gaps.html", {"me": me}, order=30),
        HomePanel(EMPLOYEE, N_("Recent evidence"), "home/_evidence.html", {"me": me, "now": now}, order=40),
        HomePanel(EMPLOYEE, N_("You"), "home/_you.html", {"me": selectors.employee_figures(db, user)}, order=70),
    ]
    if Role.MANAGER in roles:
        team = selectors.manager_home(db, user, now, line)
        panels += [
            HomePanel(Role.MANAGER.value, N_("Your team at a glance"), "home/_team.html", {"team": team}, order=10),
            HomePanel(Role.MANAGER.value, N_("Worth doing now"), "home/_team_actions.html", {"team": team}, order=30),
            HomePanel(
                Role.MANAGER.value,
                N_("Your reporting line"),
                "home/_team_line.html",
                {"line": selectors.manager_figures(db, user.id)},
                order=70,
            ),
        ]
    if Role.SKILLS_LEAD in roles or Role.ADMIN in roles:
        panels.append(
            HomePanel(
                Role.SKILLS_LEAD.value, N_("Organisation skills"), "home/_org.html", {"org": selectors.org_home(db, now)}, order=10
            )
        )
    if Role.ADMIN in roles:
        panels += [
            HomePanel(
                Role.ADMIN.value,
                N_("Needs attention"),
                "home/_attention.html",
                {"attention": selectors.admin_attention(db, now)},
                order=10,
            ),
            HomePanel(
                Role.ADMIN.value, N_("Recent activity"), "home/_activity.html", {"admin": selectors.admin_figures(db)}, order=30
            ),
        ]
    return panels


def home_sections(
    db: Session, user: User, roles: frozenset[str], now: datetime, line: PublishedFigures | None = None
) -> list[Section]:
    shown = {EMPLOYEE, *roles}
    if Role.ADMIN in roles:
        shown.add(Role.SKILLS_LEAD.value)  # administrators see the organisation's figures too
    panels = _platform_panels(db, user, roles, now, line) + home_panels(db, user, roles, now)
    sections = []
    for key, heading in SECTIONS:
        mine = sorted((p for p in panels if p.role == key), key=lambda p: p.order)
        if key in shown and mine:
            sections.append(Section(key, heading, mine))
    return sections


@router.get("/")
# Kept for people with no role or only the manager's: their panels show their own data and their line's;
# other roles' panels show the organisation's or their courses' learners.
@page_cached_for(lambda state: state.get("roles", frozenset()) <= {Role.MANAGER.value}, shows=LINE)
def home(request: Request, db: DbSession, user: SignedInUser) -> Response:
    sections = home_sections(db, user, request.state.roles, utcnow(), request.app.state.line_figures)
    return render(request, "home/dashboard.html", {"sections": sections})


@router.get("/healthz", dependencies=[policy(Access.OPEN)], include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """200 when a new connection can read and write the database, else 503 saying which failed.

    Uses its own short-lived connection, never the session cookie or the request pool: it answers
    the same with or without a cookie, and while every pooled connection is busy.
    """
    try:
        # One connection: it connects and reads (the UPDATE finds its row), then tries the write.
        check_writable(request.app.state.probe_engine)
    except DatabaseNotWritable:
        return _unhealthy(database="read-only")
    except Exception:  # noqa: BLE001 - whatever stops the probe, the database is not usable
        return _unhealthy(database="unreachable")
    return JSONResponse({"status": "ok", "database": "ok"})


def _unhealthy(*, database: str) -> JSONResponse:
    return JSONResponse({"status": "error", "database": database}, status_code=503, headers={"Retry-After": "30"})
