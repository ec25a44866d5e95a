"""Column headings of the spreadsheets a person downloads from a page, in that person's language.

The reports, compliance, team and quiz results exports are read by people: their first row is in the
reader's language (``Person``, ``Personne``). Each export keeps its stable identifiers (``person``,
``compliance_pct``) as its column list in code and turns them into headings only when the file is
written, through ``headings``. Files meant for programs keep the identifiers in every language: the JSON
API, SCIM, the open data files, the framework and people import/export formats (imports accept exactly
those identifiers) and the invitation links for a mail merge (docs/languages.md).

One table for every export, so a heading shared by several files is translated once.
"""

from __future__ import annotations

from collections.abc import Iterable

from lms.i18n import N_, gettext

HEADINGS: dict[str, str] = {
    # Shared
    "person": N_("Person"),
    "email": N_("Email"),
    "unit_path": N_("Unit path"),
    "org_unit": N_("Organisation unit"),
    "group": N_("Group"),
    "people": N_("People"),
    "suppressed": N_("Hidden (fewer than the minimum group size)"),
    "status": N_("Status"),
    "days_overdue": N_("Days overdue"),
    # Skills reports (lms/reports/export.py)
    "column_kind": N_("Column kind"),
    "column_code": N_("Column code"),
    "column_name": N_("Column name"),
    "share_meeting_pct": N_("Meeting the required level (%)"),
    "average_gap": N_("Average gap"),
    "average_verified_level": N_("Average verified level"),
    "average_self_assessed_level": N_("Average self-assessed level"),
    # Team skills (lms/competences/team_csv.py)
    "job_profile": N_("Job profile"),
    "competence_code": N_("Competence code"),
    "competence_name": N_("Competence"),
    "required": N_("Required level"),
    "verified": N_("Verified level"),
    "gap": N_("Gap"),
    "self_assessed": N_("Self-assessed level"),
    "lapsed": N_("Lapsed"),
    # Mandatory training (courses/compliance)
    "requirement": N_("Requirement"),
    "requirement_id": N_("Requirement id"),
    "status_label": N_("Standing"),
    "date": N_("Date"),
    "compliant": N_("Compliant"),
    "compliance_pct": N_("Compliance rate (%)"),
    # Team assignments (courses/assignment/export.py)
    "course": N_("Course"),
    "due_date": N_("Due date"),
    "progress_percent": N_("Progress (%)"),
    "assigned_by": N_("Assigned by"),
    "source": N_("Source"),
    "enrolled_at": N_("Enrolled on"),
    "completed_at": N_("Completed on"),
    # Quiz results (assessments/results/export.py); question names after these are data
    "learner": N_("Learner"),
    "attempt": N_("Attempt"),
    "started": N_("Started"),
    "submitted": N_("Submitted"),
    "score": N_("Score"),
    "max": N_("Maximum score"),
    "percent": N_("Score (%)"),
    "passed": N_("Passed"),
}
LEVEL_PREFIX = "level_"


def heading(column: str) -> str:
    """One column's heading in the current language; a column that is not an identifier (a quiz question's
    name) is data and stays as it is."""
    if column in HEADINGS:
        return gettext(HEADINGS[column])
    if column.startswith(LEVEL_PREFIX) and column[len(LEVEL_PREFIX) :].isdigit():
        return gettext("People at level %(level)s") % {"level": column[len(LEVEL_PREFIX) :]}
    return column


def headings(columns: Iterable[str]) -> list[str]:
    return [heading(column) for column in columns]
