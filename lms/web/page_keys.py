"""The statements a kept page's key is read with (lms/web/page_cache.py): one per kind of page, each a
single round trip that also reads the session, built once with bind parameters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, String, bindparam, case, func, literal, select, true

from lms.auth.models import UserSession
from lms.competences.models import Framework
from lms.data_versions import DataVersion, PersonVersion
from lms.people.models import User
from lms.people.selectors import reporting_line_cte
from lms.reports.models import ReportFigureSet

# What a kept page shows beyond the address, the language and shared content, i.e. which versions key it.
OWN = "own"  # the signed-in person's own data
LINE = "line"  # also the people in their reporting line (heatmap, compliance matrix, a manager's home)
FIGURES = "figures"  # also the organisation's published report figures and their threshold (reports)
# Above this many people in a line, summing their versions costs about what summing everyone's does
# at 100,000 people (looked up one by one: about 1 µs a person on SQLite, several on PostgreSQL; the
# whole table: under 0.1 µs a row): the key then moves with anyone's data, which for a line that size
# is much of the organisation anyway. Measured in bench/README.md (session 10).
LINE_EXACT_MAX = 1000

# Built once: the session, whether its person may still sign in, and the versions a page is keyed on.
_TOKEN = bindparam("token_hash", type_=String)
_COLUMNS = (
    UserSession.created_at,
    UserSession.last_seen_at,
    User.is_active,
    User.language,
    func.coalesce(PersonVersion.version, 0),
    select(DataVersion.version).where(DataVersion.scope == "content").scalar_subquery(),
)


def _state(*extra: Any) -> Select:
    return (
        select(*_COLUMNS, *extra)
        .join(User, User.id == UserSession.user_id)
        .outerjoin(PersonVersion, PersonVersion.user_id == User.id)
        .where(UserSession.token_hash == _TOKEN)
    )


def _scope_version(scope: str) -> Any:
    return select(DataVersion.version).where(DataVersion.scope == scope).scalar_subquery()


OWN_STATE = _state()
# The line: everyone below the session's person (the CTE the team pages read it through). While the
# `lines` version stands still the set is the same, and as versions only grow, the sum moves with
# any write to anyone in it. Its size comes along, to choose the statement next time.
_LINE = reporting_line_cte(select(UserSession.user_id).where(UserSession.token_hash == _TOKEN).scalar_subquery())
# Each person's version looked up by its key: joined instead, PostgreSQL hashes the whole table (every
# person's row) for a line of 50, as it cannot tell how few people the recursive CTE will yield.
_VERSION_OF = select(PersonVersion.version).where(PersonVersion.user_id == _LINE.c.id).correlate(_LINE).scalar_subquery()
_LINE_VERSIONS = (
    select(func.count(_LINE.c.id).label("people"), func.coalesce(func.sum(_VERSION_OF), 0).label("versions"))
    .select_from(_LINE)
    .subquery("line_versions")
)
LINE_STATE = _state(_scope_version("lines"), _LINE_VERSIONS.c.people, _LINE_VERSIONS.c.versions).join(_LINE_VERSIONS, true())
EVERYONE_STATE = _state(
    _scope_version("lines"), literal(-1), select(func.coalesce(func.sum(PersonVersion.version), 0)).scalar_subquery()
)
# Reports: today's stored figure sets for the threshold in force (replaced, never updated, by the
# worker: a new id, time or data version each time) and, until every framework has one, the
# `reports` version the process computes them at instead (lms/reports/deps.py).
_LIVE = ReportFigureSet.snapshot_id.is_(None), ReportFigureSet.min_group == bindparam("min_group", type_=Integer)
_SETS = (
    select(
        func.count().label("sets"),
        func.coalesce(func.sum(ReportFigureSet.id), 0).label("ids"),
        func.coalesce(func.sum(ReportFigureSet.data_version), 0).label("data_versions"),
        func.max(ReportFigureSet.computed_at).label("computed_at"),
    )
    .where(*_LIVE)
    .subquery("figure_sets")
)
_FRAMEWORKS = select(func.count()).select_from(Framework).scalar_subquery()
FIGURES_STATE = _state(*_SETS.c, case((_SETS.c.sets >= _FRAMEWORKS, literal(0)), else_=_scope_version("reports"))).join(_SETS, true())
