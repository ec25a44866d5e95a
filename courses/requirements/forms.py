"""The requirement form as posted: text fields read into a RequirementSpec, with the form's own problems
(a number that is not a number) kept apart for the service to add its own to."""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.i18n import N_, gettext
from lms.web.params import parse_id, parse_int

from courses.requirements.models import Recurrence
from courses.requirements.service import RequirementSpec, split_emails

SUBTREE = "subtree"
UNIT_ONLY = "unit"
BLANK_UNIT_ROWS = 2  # empty rows under the chosen units; "Check who this assigns" adds two more
MIN_UNIT_ROWS = 3
NUMBER = -(10**9), 10**9  # any whole number reads; the service says which are allowed
RECURRENCE_OPTIONS = [
    (Recurrence.NONE.value, N_("Once: complete it one time")),
    (Recurrence.MONTHS.value, N_("Every few months, counted from each completion")),
    (Recurrence.ANNUAL.value, N_("On a fixed day each year")),
]
MONTH_OPTIONS = [
    (n, name)
    for n, name in enumerate(
        [
            N_("January"),
            N_("February"),
            N_("March"),
            N_("April"),
            N_("May"),
            N_("June"),
            N_("July"),
            N_("August"),
            N_("September"),
            N_("October"),
            N_("November"),
            N_("December"),
        ],
        1,
    )
]
WHOLE = "Enter a whole number, for example 30."


def _number(raw: str, name: str, errors: dict[str, str], *, empty: int | None = None) -> int | None:
    text = raw.strip()
    if not text:
        return empty
    value = parse_int(text, *NUMBER)
    if value is None:
        errors[name] = WHOLE
    return value


@dataclass
class RequirementForm:
    name: str = ""
    description: str = ""
    course_ids: list[str] = field(default_factory=list)
    everyone: bool = False
    unit_ids: list[str] = field(default_factory=list)
    unit_scopes: list[str] = field(default_factory=list)
    job_profile_ids: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    emails: str = ""
    due_days: str = "30"
    recurrence: str = Recurrence.NONE.value
    every_months: str = ""
    annual_month: str = ""
    annual_day: str = ""
    renew_window_days: str = "0"
    grace_days: str = "0"

    @classmethod
    def from_spec(cls, spec: RequirementSpec) -> RequirementForm:
        def text(value: int | None) -> str:
            return "" if value is None else str(value)

        return cls(
            name=spec.name,
            description=spec.description,
            course_ids=[str(c) for c in spec.course_ids],
            everyone=spec.everyone,
            unit_ids=[str(u) for u, _ in spec.units],
            unit_scopes=[SUBTREE if sub else UNIT_ONLY for _, sub in spec.units],
            job_profile_ids=[str(p) for p in spec.job_profile_ids],
            roles=list(spec.roles),
            emails="\n".join(spec.emails),
            due_days=text(spec.due_days),
            recurrence=spec.recurrence,
            every_months=text(spec.every_months),
            annual_month=text(spec.annual_month),
            annual_day=text(spec.annual_day),
            renew_window_days=text(spec.renew_window_days),
            grace_days=text(spec.grace_days),
        )

    def units(self) -> list[tuple[str, str]]:
        """(unit id, scope) for each row with a unit chosen; a row left on "choose" is skipped."""
        scopes = self.unit_scopes + [SUBTREE] * (len(self.unit_ids) - len(self.unit_scopes))
        return [(u, s) for u, s in zip(self.unit_ids, scopes, strict=False) if u.strip()]

    def unit_rows(self) -> list[tuple[str, str]]:
        """The rows the form shows: the chosen units, then empty ones to add more."""
        rows = self.units()
        blanks = max(BLANK_UNIT_ROWS, MIN_UNIT_ROWS - len(rows))
        return rows + [("", SUBTREE)] * blanks

    def to_spec(self) -> tuple[RequirementSpec, dict[str, str]]:
        errors: dict[str, str] = {}
        units = []
        for raw, scope in self.units():
            unit = parse_id(raw)
            if unit is None:
                errors["units"] = gettext("Choose organisation units from the lists.")
            else:
                units.append((unit, scope != UNIT_ONLY))
        course_ids = [c for c in (parse_id(raw) for raw in self.course_ids) if c is not None]
        if len(course_ids) != len(self.course_ids):
            errors["course_ids"] = gettext("Choose courses from the list.")
        profile_ids = [p for p in (parse_id(raw) for raw in self.job_profile_ids) if p is not None]
        if len(profile_ids) != len(self.job_profile_ids):
            errors["job_profile_ids"] = gettext("Choose job profiles from the list.")
        spec = RequirementSpec(
            name=self.name,
            description=self.description,
            course_ids=course_ids,
            everyone=self.everyone,
            units=units,
            job_profile_ids=profile_ids,
            roles=list(dict.fromkeys(self.roles)),
            emails=split_emails(self.emails),
            due_days=_number(self.due_days, "due_days", errors),
            recurrence=self.recurrence,
            every_months=_number(self.every_months, "every_months", errors),
            annual_month=_number(self.annual_month, "annual_month", errors),
            annual_day=_number(self.annual_day, "annual_day", errors),
            renew_window_days=_number(self.renew_window_days, "renew_window_days", errors, empty=0),
            grace_days=_number(self.grace_days, "grace_days", errors, empty=0),
        )
        return spec, errors
