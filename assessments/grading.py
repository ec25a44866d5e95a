"""Grading: a pure, deterministic function of a question snapshot and a learner's response.

Responses are small dicts, one shape per kind (anything missing, empty or malformed grades 0):

=================  ==========================================  =======================================
kind               response                                    rule
=================  ==========================================  =======================================
single_choice      ``{"choice": "<choice id>"}``               fraction of the chosen choice, floored
true_false         ``{"choice": "true" | "false"}``            at 0; an unknown id counts as no answer
multiple_choice    ``{"choices": ["<id>", ...]}``              see ``multiple_rule`` below
short_text         ``{"text": "..."}``                         best matching accepted answer; case,
                                                               and runs of whitespace, are ignored
numeric            ``{"value": "3,5" | "3.5" | 3.5}``          best answer within its absolute
                                                               tolerance (boundary included)
matching           ``{"matches": {"<pair id>": "answer"}}``    right pairs / pairs (distractors aside)
=================  ==========================================  =======================================

Multiple choice, the partial-credit rule (``QuestionData.multiple_rule``):

* ``"partial"``: the score is the sum of the fractions of the selected choices, clamped to [0, 1].
  Right choices carry positive fractions that add up to 1; wrong choices may carry negative ones, so
  ticking every box does not earn full marks. Unknown or repeated ids are ignored.
* ``"all_or_nothing"``: 1 only if the set of selected choices is exactly the set of right choices
  (those with a positive fraction), otherwise 0.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from assessments.questions import (
    ALL_OR_NOTHING,
    EPSILON,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    QuestionData,
)


@dataclass(frozen=True)
class Grade:
    """``correct`` is True for full credit, False for none (or no answer), None for partial credit."""

    fraction: float
    points: float
    correct: bool | None
    feedback: list[str] = field(default_factory=list)
    answered: bool = True


class AttemptScore(NamedTuple):
    score: float
    max_score: float
    percent: float


def grade(question: QuestionData, response: Mapping[str, Any] | None) -> Grade:
    response = response if isinstance(response, Mapping) else {}
    grader = _GRADERS.get(question.kind, _choice)
    fraction, answered, feedback = grader(question, response)
    fraction = min(1.0, max(0.0, fraction))
    if fraction > 1 - EPSILON:
        fraction = 1.0
    elif fraction < EPSILON:
        fraction = 0.0
    correct = True if fraction == 1.0 else False if fraction == 0.0 else None
    # Moodle's combined feedback: after the answer's own, before the general feedback.
    combined = {True: question.correct_feedback, None: question.partial_feedback, False: question.incorrect_feedback}[correct]
    if answered and combined.strip():
        feedback = [*feedback, combined]
    if question.general_feedback.strip():
        feedback = [*feedback, question.general_feedback]
    points = round(fraction * question.points, 7)
    return Grade(round(fraction, 7), points, correct, feedback, answered)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _choice(q: QuestionData, response: Mapping[str, Any]) -> tuple[float, bool, list[str]]:
    chosen = next((c for c in q.choices if c.id == _text(response.get("choice"))), None)
    if chosen is None:
        return 0.0, False, []
    return chosen.fraction, True, [chosen.feedback] if chosen.feedback.strip() else []


def _multiple(q: QuestionData, response: Mapping[str, Any]) -> tuple[float, bool, list[str]]:
    raw = response.get("choices")
    ids = {i for i in raw if isinstance(i, str)} if isinstance(raw, (list, tuple, set, frozenset)) else set()
    selected = [c for c in q.choices if c.id in ids]  # in question order, each once
    feedback = [c.feedback for c in selected if c.feedback.strip()]
    if not selected:
        return 0.0, False, []
    if q.multiple_rule == ALL_OR_NOTHING:
        right = {c.id for c in q.choices if c.fraction > 0}
        return (1.0 if {c.id for c in selected} == right else 0.0), True, feedback
    return sum(c.fraction for c in selected), True, feedback


def normalise_text(text: str) -> str:
    """Short-text comparison form: Unicode NFKC, case-folded, whitespace collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _short_text(q: QuestionData, response: Mapping[str, Any]) -> tuple[float, bool, list[str]]:
    given = normalise_text(_text(response.get("text")))
    if not given:
        return 0.0, False, []
    matches = [a for a in q.accepted if normalise_text(a.text) == given]
    if not matches:
        return 0.0, True, []
    best = max(matches, key=lambda a: a.fraction)
    return best.fraction, True, [best.feedback] if best.feedback.strip() else []


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)


def parse_number(value: Any) -> float | None:
    """A learner's number: "3.5", "3,5", " -2 ", "1e3"; None for anything else (never raises).

    A comma is a decimal separator only when it is the only separator, since "1,000.5" is ambiguous
    across locales and a wrong guess would silently mark a right answer wrong (or the reverse).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str) or len(value) > 100:
        return None
    text = value.strip().replace("\u2212", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def within(x: float, value: float, tolerance: float) -> bool:
    # The slack keeps the boundary inclusive despite binary floating point (3.6 - 3.5 > 0.1).
    slack = 1e-9 * max(1.0, abs(value), abs(tolerance))
    return abs(x - value) <= tolerance + slack


def _numeric(q: QuestionData, response: Mapping[str, Any]) -> tuple[float, bool, list[str]]:
    raw = response.get("value")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0.0, False, []
    x = parse_number(raw)
    if x is None:
        return 0.0, True, []
    matches = [a for a in q.numeric if within(x, a.value, a.tolerance)]
    if not matches:
        return 0.0, True, [q.other_feedback] if q.other_feedback.strip() else []
    best = max(matches, key=lambda a: a.fraction)
    return best.fraction, True, [best.feedback] if best.feedback.strip() else []


def _matching(q: QuestionData, response: Mapping[str, Any]) -> tuple[float, bool, list[str]]:
    raw = response.get("matches")
    matches = raw if isinstance(raw, Mapping) else {}
    pairs = q.real_pairs
    given = {p.id: _text(matches.get(p.id)).strip() for p in pairs}
    if not pairs or not any(given.values()):
        return 0.0, False, []
    right = sum(1 for p in pairs if given[p.id] == p.answer.strip())
    return right / len(pairs), True, []


_GRADERS = {MULTIPLE_CHOICE: _multiple, SHORT_TEXT: _short_text, NUMERIC: _numeric, MATCHING: _matching}


def grade_attempt(questions_and_responses: Iterable[tuple[QuestionData, Mapping[str, Any] | None]]) -> AttemptScore:
    """Total points, maximum points and percent (0 when there is nothing to score)."""
    score = max_score = 0.0
    for question, response in questions_and_responses:
        score += grade(question, response).points
        max_score += question.points
    percent = 100.0 * score / max_score if max_score > 0 else 0.0
    return AttemptScore(round(score, 7), round(max_score, 7), round(percent, 7))


def diagnostic_levels(
    subscores_by_competence: Mapping[Any, tuple[float, float]], bands: Iterable[tuple[float, Any]]
) -> dict[Any, Any]:
    """Map each competence's sub-score to the level of the highest band its percent reaches.

    ``bands`` is ``[(min_percent, level), ...]`` in any order. A competence with no questions
    (max 0) or below every band is left out: the test verified no level for it.
    """
    ordered = sorted(bands, key=lambda band: band[0], reverse=True)
    levels: dict[Any, Any] = {}
    for competence, (score, max_score) in subscores_by_competence.items():
        if max_score <= 0:
            continue
        percent = 100.0 * score / max_score
        level = next((lvl for minimum, lvl in ordered if percent + 1e-9 >= minimum), None)
        if level is not None:
            levels[competence] = level
    return levels
