"""Input shapes for the authoring forms: raw strings in, (errors, clean values) out."""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.competences.models import MAX_LEVEL
from lms.i18n import format_number, gettext
from lms.web.params import check_int, parse_id, parse_int

from courses.markdown import MAX_MARKDOWN

BLANK_COMPETENCE_ROWS = 3
MAX_MINUTES = 100_000


def _minutes(raw: str, name: str, errors: dict) -> int:
    minutes = check_int(
        raw,
        errors,
        name,
        lo=1,
        hi=MAX_MINUTES,
        message=gettext("Enter the estimated time as a whole number of minutes, from 1 to %(max)s.")
        % {"max": format_number(MAX_MINUTES)},
    )
    return minutes or 0


def _title(raw: str, errors: dict, *, missing: str, name: str = "title") -> str:
    title = " ".join((raw or "").split())
    if not title:
        errors[name] = missing
    elif len(title) > 200:
        errors[name] = gettext("Keep the title to 200 characters or fewer.")
    return title


@dataclass
class CompetenceRow:
    competence_id: str = ""
    level: str = ""


@dataclass
class CourseForm:
    title: str = ""
    summary: str = ""
    audience: str = ""
    estimated_minutes: str = "30"
    rows: list[CompetenceRow] = field(default_factory=list)

    @classmethod
    def from_lists(cls, *, competence_ids: list[str], levels: list[str], **fields: str) -> CourseForm:
        rows = [CompetenceRow(c, lv) for c, lv in zip(competence_ids, levels + [""] * len(competence_ids), strict=False)]
        return cls(rows=rows, **fields)

    def with_blank_rows(self) -> CourseForm:
        filled = [r for r in self.rows if r.competence_id or r.level]
        self.rows = filled + [CompetenceRow() for _ in range(BLANK_COMPETENCE_ROWS)]
        return self

    def check(self) -> tuple[dict[str, str], dict]:
        errors: dict[str, str] = {}
        values = {
            "title": _title(self.title, errors, missing=gettext("Enter a title for the course.")),
            "summary": (self.summary or "").strip(),
            "audience": " ".join((self.audience or "").split()),
            "estimated_minutes": _minutes(self.estimated_minutes, "estimated_minutes", errors),
        }
        if len(values["summary"]) > 5000:
            errors["summary"] = gettext("Keep the summary to %(max)s characters or fewer.") % {"max": format_number(5000)}
        if len(values["audience"]) > 500:
            errors["audience"] = gettext("Keep the audience to %(max)s characters or fewer.") % {"max": format_number(500)}
        levels: dict[int, int] = {}
        for i, row in enumerate(self.rows):
            comp, level = row.competence_id.strip(), row.level.strip()
            if not comp and not level:
                continue
            competence_id, level_value = parse_id(comp), parse_int(level, 1, MAX_LEVEL)
            if competence_id is None:
                errors.setdefault(f"competence-{i}", gettext("Choose a competence for this level, or clear the level."))
            elif level_value is None:
                errors.setdefault(
                    f"level-{i}", gettext("Choose the level the course brings learners to (1 to %(max)s).") % {"max": MAX_LEVEL}
                )
            elif competence_id in levels:
                errors.setdefault(f"competence-{i}", gettext("This competence is listed twice; keep one row for it."))
            else:
                levels[competence_id] = level_value
        values["competences"] = levels
        return errors, values


@dataclass
class LessonForm:
    title: str = ""
    estimated_minutes: str = "10"
    body_markdown: str = ""
    module_id: str = ""

    def check(self) -> tuple[dict[str, str], dict]:
        errors: dict[str, str] = {}
        body = (self.body_markdown or "").replace("\r\n", "\n")
        values = {
            "title": _title(self.title, errors, missing=gettext("Enter a title for the lesson.")),
            "estimated_minutes": _minutes(self.estimated_minutes, "estimated_minutes", errors),
            "body_markdown": body,
        }
        if len(body) > MAX_MARKDOWN:
            errors["body_markdown"] = gettext("Keep the lesson to %(max)s characters or fewer; split it in two.") % {
                "max": format_number(MAX_MARKDOWN)
            }
        return errors, values


def module_title(raw: str) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    title = _title(raw, errors, missing=gettext("Enter a title for the module."))
    return errors, title
