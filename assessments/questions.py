"""Question data as shown to a learner and graded: plain values, no database.

An attempt stores ``QuestionData.to_dict()`` as a snapshot, so editing a bank question later never
changes how a past attempt is shown or graded. ``from_dict(to_dict(q)) == q`` always holds.

Text fields (stem, choice text, feedback, match prompts) are Markdown with no raw HTML; render them
with the sanitising Markdown renderer. Accepted short answers and match answers are plain text.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from lms.i18n import format_percent, gettext

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_TEXT = "short_text"
NUMERIC = "numeric"
MATCHING = "matching"
KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE, SHORT_TEXT, NUMERIC, MATCHING)
CHOICE_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE)

ALL_OR_NOTHING = "all_or_nothing"
PARTIAL = "partial"
MULTIPLE_RULES = (ALL_OR_NOTHING, PARTIAL)

# Fractions are compared with this slack: imported percentages such as 33.33333 are not exact.
EPSILON = 1e-6
# The grades Moodle lets an answer have (and their negatives for choices), so a question saved here
# imports into Moodle unchanged; Moodle matches a grade to this list within 0.00001.
ALLOWED_FRACTIONS = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip
GRADE_SLACK = 1e-5


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    fraction: float = 0.0  # -1..1; 1 = fully correct, negatives penalise in "partial" multiple choice
    feedback: str = ""


@dataclass(frozen=True)
class AcceptedAnswer:
    """A short-text answer; a plain ``str`` is accepted wherever one of these is expected."""

    text: str
    fraction: float = 1.0
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    value: float
    tolerance: float = 0.0  # absolute: accepted if |response - value| <= tolerance
    fraction: float = 1.0
    feedback: str = ""


@dataclass(frozen=True)
class MatchPair:
    """One prompt and its answer. A pair with an empty prompt is a distractor: an extra answer only."""

    id: str
    prompt: str
    answer: str


def _tuple_of(cls: type, items: Any) -> tuple:
    out = []
    for item in items or ():
        if isinstance(item, cls):
            out.append(item)
        elif cls is AcceptedAnswer and isinstance(item, str):
            out.append(AcceptedAnswer(item))
        elif isinstance(item, dict):
            out.append(cls(**item))
        else:
            raise TypeError(f"expected {cls.__name__}, got {type(item).__name__}")
    return tuple(out)


@dataclass(frozen=True)
class QuestionData:
    kind: str
    name: str
    stem_markdown: str
    points: float = 1.0
    general_feedback: str = ""
    choices: tuple[Choice, ...] = ()
    accepted: tuple[AcceptedAnswer, ...] = ()
    numeric: tuple[NumericAnswer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    multiple_rule: str = PARTIAL
    # Numeric: feedback for any number no answer accepts (Moodle's "*" answer, always worth 0).
    other_feedback: str = ""
    # Combined feedback, shown after the answer's own: fully right, partly right, wrong.
    correct_feedback: str = ""
    partial_feedback: str = ""
    incorrect_feedback: str = ""
    # Moodle's interactive-mode hints and penalty per try: kept so an export gives them back.
    hints: tuple[str, ...] = ()
    penalty: float | None = None
    # Moodle's question id number and free tags, kept for the round trip (competences are columns).
    idnumber: str = ""
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Lists (and dicts, and plain strings for accepted answers) are welcome; store tuples.
        object.__setattr__(self, "choices", _tuple_of(Choice, self.choices))
        object.__setattr__(self, "accepted", _tuple_of(AcceptedAnswer, self.accepted))
        object.__setattr__(self, "numeric", _tuple_of(NumericAnswer, self.numeric))
        object.__setattr__(self, "pairs", _tuple_of(MatchPair, self.pairs))
        object.__setattr__(self, "points", float(self.points))
        object.__setattr__(self, "hints", tuple(str(h) for h in self.hints or ()))
        object.__setattr__(self, "tags", tuple(str(t) for t in self.tags or ()))

    @property
    def real_pairs(self) -> tuple[MatchPair, ...]:
        return tuple(p for p in self.pairs if p.prompt.strip())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: lists and dicts of str, float."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionData:
        known = {k: v for k, v in data.items() if k in _FIELDS}
        return cls(**known)


_FIELDS = {f.name for f in fields(QuestionData)}


def true_false(
    name: str, stem: str, correct: bool, *, feedback_true: str = "", feedback_false: str = "", **kwargs: Any
) -> QuestionData:
    """True/false is two choices with the fixed ids ``"true"`` and ``"false"``."""
    return QuestionData(
        TRUE_FALSE,
        name,
        stem,
        choices=[
            Choice("true", "True", 1.0 if correct else 0.0, feedback_true),
            Choice("false", "False", 0.0 if correct else 1.0, feedback_false),
        ],
        **kwargs,
    )


def _finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def _is_full(fraction: float) -> bool:
    return abs(fraction - 1.0) < EPSILON


def allowed_grade(fraction: float, *, negative: bool = False) -> bool:
    """Whether Moodle would accept ``fraction`` as an answer's grade (negatives only for choices)."""
    if not _finite(fraction) or (fraction < -GRADE_SLACK and not negative):
        return False
    return any(abs(abs(fraction) - allowed) < GRADE_SLACK for allowed in ALLOWED_FRACTIONS)


def _grades() -> str:
    """Moodle's grades as the reader's locale writes percentages (100%, 83.33333%)."""
    return ", ".join(format_percent(f, decimals=5, trim=True) for f in ALLOWED_FRACTIONS if f)


def question_problems(q: QuestionData) -> list[str]:
    """Everything that would make ``q`` unfair or ungradeable, as sentences for a trainer."""
    problems: list[str] = []
    if q.kind not in KINDS:
        return [gettext("Unknown question kind %(kind)r.") % {"kind": q.kind}]
    if not q.name.strip():
        problems.append(gettext("The question needs a name."))
    if not q.stem_markdown.strip():
        problems.append(gettext("The question needs a question text."))
    if not _finite(q.points) or q.points <= 0:
        problems.append(gettext("Points must be a number greater than 0."))
    if q.penalty is not None and not (_finite(q.penalty) and 0 <= q.penalty <= 1):
        problems.append(
            gettext("The penalty per try must be between %(low)s and %(high)s.")
            % {"low": format_percent(0), "high": format_percent(1)}
        )
    if q.kind in CHOICE_KINDS:
        problems += _choice_problems(q)
    elif q.kind == SHORT_TEXT:
        if any(not a.text.strip() for a in q.accepted):
            problems.append(gettext("Accepted answers cannot be empty."))
        if not any(_is_full(a.fraction) for a in q.accepted):
            problems.append(gettext("At least one accepted answer must be worth %(full)s.") % {"full": format_percent(1)})
        if any(not 0 <= a.fraction <= 1 + EPSILON for a in q.accepted):
            problems.append(
                gettext("Accepted answers must be worth between %(low)s and %(high)s.")
                % {"low": format_percent(0), "high": format_percent(1)}
            )
        elif any(not allowed_grade(a.fraction) for a in q.accepted):
            problems.append(gettext("Grades must come from Moodle's list: %(grades)s or 0.") % {"grades": _grades()})
    elif q.kind == NUMERIC:
        if any(not (_finite(a.value) and _finite(a.tolerance)) or a.tolerance < 0 for a in q.numeric):
            problems.append(gettext("Numeric answers need a number and a tolerance of 0 or more."))
        if not any(_is_full(a.fraction) for a in q.numeric):
            problems.append(gettext("At least one numeric answer must be worth %(full)s.") % {"full": format_percent(1)})
        if any(not allowed_grade(a.fraction) for a in q.numeric):
            problems.append(gettext("Grades must come from Moodle's list: %(grades)s or 0.") % {"grades": _grades()})
    elif q.kind == MATCHING:
        if len(q.real_pairs) < 2:
            problems.append(gettext("Matching needs at least two pairs."))
        if any(not p.answer.strip() for p in q.pairs):
            problems.append(gettext("Every pair needs an answer."))
        if len({p.id for p in q.pairs}) != len(q.pairs) or any(not p.id for p in q.pairs):
            problems.append(gettext("Pair ids must be present and unique."))
    return problems


def _choice_problems(q: QuestionData) -> list[str]:
    problems: list[str] = []
    ids = [c.id for c in q.choices]
    if len(set(ids)) != len(ids) or any(not i for i in ids):
        problems.append(gettext("Choice ids must be present and unique."))
    if any(not c.text.strip() for c in q.choices):
        problems.append(gettext("Choices cannot be empty."))
    if any(not _finite(c.fraction) or not -1 - EPSILON <= c.fraction <= 1 + EPSILON for c in q.choices):
        problems.append(
            gettext("Choice grades must be between %(low)s and %(high)s.") % {"low": format_percent(-1), "high": format_percent(1)}
        )
    elif q.kind != TRUE_FALSE and any(not allowed_grade(c.fraction, negative=True) for c in q.choices):
        problems.append(gettext("Grades must come from Moodle's list: %(grades)s or 0, or their negatives.") % {"grades": _grades()})
    if q.kind == TRUE_FALSE:
        fractions = sorted(c.fraction for c in q.choices)
        if len(q.choices) != 2 or fractions != [0.0, 1.0] or set(ids) != {"true", "false"}:
            problems.append(gettext("True/false needs exactly two choices, 'true' and 'false', one right and one wrong."))
        return problems
    if len(q.choices) < 2:
        problems.append(gettext("A choice question needs at least two choices."))
    if q.kind == SINGLE_CHOICE and not any(_is_full(c.fraction) for c in q.choices):
        problems.append(gettext("At least one choice must be worth %(full)s.") % {"full": format_percent(1)})
    if q.kind == MULTIPLE_CHOICE:
        if q.multiple_rule not in MULTIPLE_RULES:
            problems.append(gettext("Unknown multiple-choice rule %(rule)r.") % {"rule": q.multiple_rule})
        positive = sum(c.fraction for c in q.choices if c.fraction > 0)
        # As Moodle's editing form: the positive grades, rounded to two decimals, make exactly 1.
        if q.multiple_rule == PARTIAL and positive > 0 and round(positive, 2) != 1:
            problems.append(
                gettext("The right choices must add up to exactly %(full)s (they add up to %(sum)s).")
                % {"full": format_percent(1), "sum": format_percent(positive, decimals=3, trim=True)}
            )
        if positive <= 0:
            problems.append(gettext("At least one choice must be right."))
    return problems


# A version in another language (assessments.models.QuestionTranslation.data) holds text under the
# keys text_fields gives; what grading reads (ids, grades, numbers, points) stays the question's. The
# one exception is a short-text question's accepted answers: a learner types words in their language,
# so a version may list its own under VERSION_ANSWERS (see answering_in).
VERSION_ANSWERS = "accepted"
FEEDBACK_KEYS = ("general_feedback", "correct_feedback", "partial_feedback", "incorrect_feedback", "other_feedback")


def text_fields(q: QuestionData) -> list[tuple[str, str, bool]]:
    """(key, original text, required) for every text of ``q`` a version may translate, in form order.

    The stem, choices' texts and matching prompts are required in a version; feedback left blank
    shows the original's. True/false choices are named by the interface, so they are not here.
    """
    out: list[tuple[str, str, bool]] = [("stem_markdown", q.stem_markdown, True)]
    for choice in q.choices:
        if q.kind != TRUE_FALSE:
            out.append((f"choice-{choice.id}-text", choice.text, True))
        if choice.feedback.strip():
            out.append((f"choice-{choice.id}-feedback", choice.feedback, False))
    out += [(f"pair-{pair.id}", pair.prompt, True) for pair in q.real_pairs]
    out += [(f"accepted-{i}-feedback", a.feedback, False) for i, a in enumerate(q.accepted) if a.feedback.strip()]
    out += [(f"numeric-{i}-feedback", a.feedback, False) for i, a in enumerate(q.numeric) if a.feedback.strip()]
    out += [(key, getattr(q, key), False) for key in FEEDBACK_KEYS if getattr(q, key).strip()]
    out += [(f"hint-{i}", hint, False) for i, hint in enumerate(q.hints) if hint.strip()]
    return out


def version_answers(texts: dict[str, Any] | None) -> tuple[AcceptedAnswer, ...]:
    """The accepted answers a version lists, in its order; anything malformed is left out."""
    raw = (texts or {}).get(VERSION_ANSWERS)
    out: list[AcceptedAnswer] = []
    for item in raw if isinstance(raw, list) else ():
        text = item.get("text") if isinstance(item, dict) else None
        fraction = item.get("fraction", 1.0) if isinstance(item, dict) else None
        if isinstance(text, str) and text.strip() and isinstance(fraction, (int, float)) and _finite(fraction):
            out.append(AcceptedAnswer(text, float(fraction), str(item.get("feedback") or "")))
    return tuple(out)


def answering_in(q: QuestionData, texts: dict[str, Any] | None) -> QuestionData:
    """``q`` as graded in the language of version ``texts``: the original's accepted answers and the
    version's. Only short text has answers a learner types; every other kind is returned unchanged."""
    extra = version_answers(texts) if q.kind == SHORT_TEXT else ()
    return replace(q, accepted=q.accepted + extra) if extra else q


def graded_question(entry: dict[str, Any], language: str | None) -> QuestionData:
    """The question of an attempt's layout entry as grading reads it, for an attempt started in
    ``language``: the snapshot's own answers, and those of the snapshot's version in that language
    (never another language's). Attempts from before versions had answers carry no language."""
    q = QuestionData.from_dict(entry["question"])
    if not language or language == entry.get("language"):
        return q
    return answering_in(q, (entry.get("versions") or {}).get(language))


def localised(q: QuestionData, texts: dict[str, Any] | None) -> QuestionData:
    """``q`` with the texts of a version put in; any text the version lacks stays the original's.

    Only text changes: kind, ids, grades, accepted answers, numeric values and points are ``q``'s, so
    grading the result gives the same fraction and points as grading ``q`` (tests assert it). The
    version's own accepted answers are added by ``answering_in``, for the attempt's language only.
    """
    if not texts:
        return q

    def pick(key: str, original: str) -> str:
        value = texts.get(key)
        return value if isinstance(value, str) and value.strip() else original

    def choice(c: Choice) -> Choice:
        return Choice(c.id, pick(f"choice-{c.id}-text", c.text), c.fraction, pick(f"choice-{c.id}-feedback", c.feedback))

    return QuestionData(
        **{
            **asdict(q),
            "stem_markdown": pick("stem_markdown", q.stem_markdown),
            "choices": [choice(c) for c in q.choices],
            "pairs": [MatchPair(p.id, pick(f"pair-{p.id}", p.prompt) if p.prompt.strip() else p.prompt, p.answer) for p in q.pairs],
            "accepted": [
                AcceptedAnswer(a.text, a.fraction, pick(f"accepted-{i}-feedback", a.feedback)) for i, a in enumerate(q.accepted)
            ],
            "numeric": [
                NumericAnswer(a.value, a.tolerance, a.fraction, pick(f"numeric-{i}-feedback", a.feedback))
                for i, a in enumerate(q.numeric)
            ],
            **{key: pick(key, getattr(q, key)) for key in FEEDBACK_KEYS},
            "hints": [pick(f"hint-{i}", hint) for i, hint in enumerate(q.hints)],
        }
    )
