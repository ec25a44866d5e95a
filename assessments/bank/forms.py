"""The question form: posted strings in, (errors, QuestionData and tags) out, and back again.

Answers are a fixed number of rows so the form works without JavaScript; blank rows are ignored.
Every kind uses the same row fields (text, fraction, feedback, tolerance, answer) and shows only the
ones it needs, so one parser serves all six kinds.
"""

from __future__ import annotations

from typing import Any
import math
from dataclasses import dataclass, field
from itertools import zip_longest

from starlette.datastructures import FormData

from lms.competences.models import MAX_LEVEL
from lms.i18n import format_number, format_percent, gettext, lazy_gettext
from lms.web.params import parse_id, parse_int

from assessments.grading import parse_number
from assessments.interchange.common import MAX_TEXT, number
from assessments.models import Question
from assessments.questions import (
    ALLOWED_FRACTIONS,
    ALL_OR_NOTHING,
    EPSILON,
    KINDS,
    MATCHING,
    MULTIPLE_CHOICE,
    MULTIPLE_RULES,
    NUMERIC,
    PARTIAL,
    SHORT_TEXT,
    SINGLE_CHOICE,
    TRUE_FALSE,
    AcceptedAnswer,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    question_problems,
    true_false,
)

ROWS = 6
MAX_ROWS = 50
KIND_LABELS = {
    SINGLE_CHOICE: lazy_gettext("Single choice"),
    MULTIPLE_CHOICE: lazy_gettext("Multiple choice"),
    TRUE_FALSE: lazy_gettext("True/false"),
    SHORT_TEXT: lazy_gettext("Short text"),
    NUMERIC: lazy_gettext("Numeric"),
    MATCHING: lazy_gettext("Matching"),
}
RULE_LABELS = {
    PARTIAL: lazy_gettext("Partial credit: the score is the sum of the grades of the ticked choices, never below 0"),
    ALL_OR_NOTHING: lazy_gettext("All or nothing: full marks only when exactly the right choices are ticked, otherwise 0"),
}
# The grades a trainer picks from: Moodle's list (assessments.questions.ALLOWED_FRACTIONS) and, for
# choices, their negatives, so whatever is saved here Moodle accepts too. Labelled per request, in the
# reader's locale.
FRACTIONS = [*ALLOWED_FRACTIONS, *(-f for f in reversed(ALLOWED_FRACTIONS) if f)]


def _problem_fields() -> dict[str, str]:
    """Which question_problems sentences belong next to which field (in the reader's language); the rest go with the answers."""
    return {
        gettext("The question needs a name."): "name",
        gettext("The question needs a question text."): "stem_markdown",
        gettext("Points must be a number greater than 0."): "points",
    }


def _label(fraction: float) -> str:
    """A grade as the reader's locale writes a percentage, to Moodle's precision (83.33333 %), with a true minus."""
    return format_percent(fraction, decimals=5, trim=True).replace("-", "−") if fraction else "0"


def fraction_options(current: str, *, negatives: bool = True) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for a grade select; ``current`` stays selectable even if unusual."""
    try:
        chosen = float(current)
    except ValueError:
        chosen = 0.0
    options = [(f, _label(f)) for f in FRACTIONS if negatives or f >= 0]
    if not any(abs(f - chosen) < EPSILON for f, _ in options) and math.isfinite(chosen):
        options.append((chosen, _label(chosen)))
        options.sort(key=lambda o: -o[0])
    return [(repr(f), label, abs(f - chosen) < EPSILON) for f, label in options]


@dataclass
class Row:
    text: str = ""  # choice text, accepted answer, numeric value, or matching prompt
    fraction: str = "0.0"
    feedback: str = ""
    tolerance: str = ""
    answer: str = ""  # matching only

    def blank(self) -> bool:
        return not any(v.strip() for v in (self.text, self.feedback, self.tolerance, self.answer))


@dataclass
class QuestionForm:
    kind: str
    category_id: str = ""
    name: str = ""
    stem_markdown: str = ""
    general_feedback: str = ""
    points: str = "1"
    competence_id: str = ""
    level: str = ""
    multiple_rule: str = PARTIAL
    tf_correct: str = "true"
    tf_feedback_true: str = ""
    tf_feedback_false: str = ""
    rows: list[Row] = field(default_factory=list)

    @classmethod
    def from_post(cls, form: FormData, kind: str) -> QuestionForm:
        def one(name: str) -> str:
            value = form.get(name, "")
            return value if isinstance(value, str) else ""

        columns = [form.getlist(f"row_{name}")[:MAX_ROWS] for name in ("text", "fraction", "feedback", "tolerance", "answer")]
        rows = [Row(*(v if isinstance(v, str) else "" for v in values)) for values in zip_longest(*columns, fillvalue="")]
        return cls(
            kind=kind,
            rows=rows,
            **{
                name: one(name)
                for name in (
                    "category_id",
                    "name",
                    "stem_markdown",
                    "general_feedback",
                    "points",
                    "competence_id",
                    "level",
                    "multiple_rule",
                    "tf_correct",
                    "tf_feedback_true",
                    "tf_feedback_false",
                )
            },
        )

    @classmethod
    def from_question(cls, question: Question) -> QuestionForm:
        data = QuestionData.from_dict(question.data)
        form = cls(
            kind=data.kind,
            category_id=str(question.category_id),
            name=data.name,
            stem_markdown=data.stem_markdown,
            general_feedback=data.general_feedback,
            points=number(data.points),
            competence_id=str(question.competence_id or ""),
            level=str(question.level or ""),
            multiple_rule=data.multiple_rule,
        )
        if data.kind == TRUE_FALSE:
            by_id = {c.id: c for c in data.choices}
            form.tf_correct = "true" if by_id["true"].fraction > 0 else "false"
            form.tf_feedback_true, form.tf_feedback_false = by_id["true"].feedback, by_id["false"].feedback
        form.rows = (
            [Row(c.text, repr(c.fraction), c.feedback) for c in data.choices]
            if data.kind in (SINGLE_CHOICE, MULTIPLE_CHOICE)
            else [Row(a.text, repr(a.fraction), a.feedback) for a in data.accepted]
            if data.kind == SHORT_TEXT
            else [Row(number(a.value), repr(a.fraction), a.feedback, number(a.tolerance)) for a in data.numeric]
            if data.kind == NUMERIC
            else [Row(p.prompt, answer=p.answer) for p in data.pairs]
            if data.kind == MATCHING
            else []
        )
        return form

    def with_blank_rows(self) -> QuestionForm:
        filled = [r for r in self.rows if not r.blank()]
        self.rows = filled + [Row() for _ in range(max(ROWS - len(filled), 2))]
        return self

    def check(self) -> tuple[dict[str, str], dict]:
        """Field errors, and values for the service: data (QuestionData), category_id, competence_id, level."""
        errors: dict[str, str] = {}
        points = parse_number(self.points)
        if points is None or not math.isfinite(points) or points <= 0 or points > 1000:
            errors["points"] = gettext(
                "Enter the points as a number greater than 0 (for example %(one)s or %(decimal)s), at most %(max)s."
            ) % {
                "one": format_number(1),
                "decimal": format_number(2.5),
                "max": format_number(1000),
            }
            points = 1.0
        for name in ("name", "stem_markdown", "general_feedback", "tf_feedback_true", "tf_feedback_false"):
            if len(getattr(self, name)) > MAX_TEXT:
                errors[name] = gettext("Keep this to %(max)s characters or fewer.") % {"max": format_number(MAX_TEXT)}
        if any(len(v) > MAX_TEXT for r in self.rows for v in (r.text, r.feedback, r.answer)):
            errors["answers"] = gettext("Keep each answer and its feedback to %(max)s characters or fewer.") % {
                "max": format_number(MAX_TEXT)
            }
        values: dict[str, Any] = {
            "category_id": parse_id(self.category_id),
            "competence_id": parse_id(self.competence_id),
            "level": parse_int(self.level, 1, MAX_LEVEL),
            "data": None,
        }
        if values["category_id"] is None:
            errors["category_id"] = gettext("Choose a category for the question.")
        if self.competence_id and values["competence_id"] is None:
            errors["competence_id"] = gettext("Choose a competence from the list.")
        if self.level and values["level"] is None:
            errors["level"] = gettext("Choose a level from 1 to %(max)s.") % {"max": MAX_LEVEL}
        elif values["level"] is not None and values["competence_id"] is None:
            errors["level"] = gettext("Choose the competence this level is for, or clear the level.")
        data = self._data(points, errors)
        fields = _problem_fields()
        for problem in question_problems(data):
            key = fields.get(problem, "answers")
            if key == "answers" and key in errors:
                errors[key] += " " + problem
            else:
                errors.setdefault(key, problem)
        values["data"] = data
        return errors, values

    def _data(self, points: float, errors: dict) -> QuestionData:
        common = {"points": points, "general_feedback": self.general_feedback.replace("\r\n", "\n").strip()}
        stem = self.stem_markdown.replace("\r\n", "\n").strip()
        name = " ".join(self.name.split())
        if self.kind == TRUE_FALSE:
            return true_false(
                name,
                stem,
                self.tf_correct != "false",
                feedback_true=self.tf_feedback_true.strip(),
                feedback_false=self.tf_feedback_false.strip(),
                **common,
            )
        rows = [(n, r) for n, r in enumerate(self.rows, start=1) if not r.blank()]
        if self.kind == MATCHING:
            pairs = [MatchPair(f"p{i}", r.text.strip(), r.answer.strip()) for i, (_n, r) in enumerate(rows, 1)]
            return QuestionData(MATCHING, name, stem, pairs=pairs, **common)
        fractions = {n: _fraction(r.fraction, n, errors) for n, r in rows}
        if self.kind == SHORT_TEXT:
            accepted = [AcceptedAnswer(" ".join(r.text.split()), fractions[n], r.feedback.strip()) for n, r in rows]
            return QuestionData(SHORT_TEXT, name, stem, accepted=accepted, **common)
        if self.kind == NUMERIC:
            numeric = []
            for n, r in rows:
                value, tolerance = parse_number(r.text), parse_number(r.tolerance or "0")
                if value is None or tolerance is None or tolerance < 0:
                    errors.setdefault(
                        "answers", gettext("Answer row %(row)s: enter a number, and a tolerance of 0 or more.") % {"row": n}
                    )
                    continue
                numeric.append(NumericAnswer(value, tolerance, fractions[n], r.feedback.strip()))
            return QuestionData(NUMERIC, name, stem, numeric=numeric, **common)
        rule = self.multiple_rule if self.multiple_rule in MULTIPLE_RULES else PARTIAL
        choices = [Choice(f"c{i}", r.text.strip(), fractions[n], r.feedback.strip()) for i, (n, r) in enumerate(rows, 1)]
        kind = self.kind if self.kind in KINDS else SINGLE_CHOICE
        return QuestionData(kind, name, stem, choices=choices, multiple_rule=rule, **common)


def _fraction(raw: str, row: int, errors: dict) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not -1 - EPSILON <= value <= 1 + EPSILON:
        errors.setdefault("answers", gettext("Answer row %(row)s: choose a grade from the list.") % {"row": row})
        return 0.0
    return value


def excerpt(markdown: str, length: int = 120) -> str:
    """The start of a Markdown text as plain words, for lists and import previews."""
    words = " ".join(markdown.replace("\\", "").replace("**", "").replace("`", "").split())
    return words if len(words) <= length else words[: length - 1].rstrip() + "…"


def preview_answer(q: QuestionData, form: FormData) -> dict:
    """A response in grading's shape (see assessments.grading) from the preview form."""

    def text(name: str) -> str:
        value = form.get(name, "")
        return value[:1000] if isinstance(value, str) else ""

    if q.kind == MULTIPLE_CHOICE:
        return {"choices": [c for c in form.getlist("choices")[:MAX_ROWS] if isinstance(c, str)]}
    if q.kind == SHORT_TEXT:
        return {"text": text("text")}
    if q.kind == NUMERIC:
        return {"value": text("value")}
    if q.kind == MATCHING:
        return {"matches": {p.id: text(f"match_{p.id}") for p in q.real_pairs}}
    return {"choice": text("choice")}
