"""What a learner may see of an attempt's questions.

``question_view`` is the only way attempt pages get at a question, and it copies out the stem, the
choices (id and text, in the attempt's order), the matching prompts and a shuffled list of answers:
never fractions, feedback, accepted answers, numeric values or which answer belongs to which prompt.
``review_view`` adds those, and is called only when the review policy allows it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from assessments.models import Attempt, Response
from assessments.questions import MATCHING, MULTIPLE_CHOICE, NUMERIC, SHORT_TEXT, QuestionData
from courses.markdown import markdown_to_html, render_lesson_html

MAX_TEXT_ANSWER = 1000


# Question text is rendered on every page of every attempt and never changes for a given text, so
# each process keeps the most recent renderings (Markup is immutable): parsing and sanitising
# Markdown was a fifth of a question page (issue 15).
# With ``question_id``, the text may show that question's own files (its images).
@lru_cache(maxsize=4096)
def rich(text: str, question_id: int | None = None) -> Markup:
    return render_lesson_html(markdown_to_html(text or "", question_id=question_id), question_id=question_id)


@lru_cache(maxsize=4096)
def inline(text: str, question_id: int | None = None) -> Markup:
    """Markdown for a label: one paragraph is unwrapped, since a label may not hold a <p>."""
    html = markdown_to_html(text or "", question_id=question_id).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return render_lesson_html(html, question_id=question_id)


@dataclass
class QuestionView:
    slot: int
    number: int
    kind: str
    stem: Markup
    points: float
    choices: list[tuple[str, Markup]] = field(default_factory=list)
    prompts: list[tuple[str, Markup]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    answer: dict = field(default_factory=dict)
    flagged: bool = False
    sequence: int = 0
    saved_at: datetime | None = None

    @property
    def multiple(self) -> bool:
        return self.kind == MULTIPLE_CHOICE

    @property
    def answered(self) -> bool:
        a = self.answer
        return bool(
            a.get("choice")
            or a.get("choices")
            or str(a.get("text") or "").strip()
            or str(a.get("value") or "").strip()
            or any((a.get("matches") or {}).values())
        )

    def chosen(self, choice_id: str) -> bool:
        return choice_id == self.answer.get("choice") or choice_id in (self.answer.get("choices") or [])

    def matched(self, pair_id: str) -> str:
        return (self.answer.get("matches") or {}).get(pair_id, "")


def question_view(attempt: Attempt, slot: int, response: Response | None) -> QuestionView:
    entry = attempt.layout[slot]
    q = QuestionData.from_dict(entry["question"])
    qid = entry.get("question_id")
    by_id = {c.id: c for c in q.choices}
    order = [i for i in entry.get("choice_order") or [] if i in by_id] or list(by_id)
    view = QuestionView(
        slot=slot,
        number=slot + 1,
        kind=q.kind,
        stem=rich(q.stem_markdown, qid),
        points=q.points,
        choices=[(i, inline(by_id[i].text, qid)) for i in order],
    )
    if q.kind == MATCHING:
        view.prompts = [(p.id, inline(p.prompt, qid)) for p in q.real_pairs]
        # Sorted first so the list never reflects the pairs' order, then shuffled the same way for
        # this attempt on every page load.
        answers = sorted({p.answer.strip() for p in q.pairs if p.answer.strip()})
        random.Random(f"{attempt.id}:{slot}").shuffle(answers)
        view.answers = answers
    if response is not None:
        view.answer = response.answer or {}
        view.flagged, view.sequence, view.saved_at = response.flagged, response.sequence, response.saved_at
    return view


def answer_from_form(attempt: Attempt, slot: int, form: Any) -> dict:
    """The response dict grading expects, from the question's form fields (see grading.py)."""
    q = QuestionData.from_dict(attempt.layout[slot]["question"])

    def text(name: str) -> str:
        value = form.get(name)
        return value[:MAX_TEXT_ANSWER] if isinstance(value, str) else ""

    if q.kind == MULTIPLE_CHOICE:
        ids = {c.id for c in q.choices}
        return {"choices": [v for v in form.getlist("choices") if v in ids]}
    if q.kind == SHORT_TEXT:
        return {"text": text("text")}
    if q.kind == NUMERIC:
        return {"value": text("value")}
    if q.kind == MATCHING:
        return {"matches": {p.id: text(f"match-{p.id}") for p in q.real_pairs if text(f"match-{p.id}")}}
    choice = text("choice")
    return {"choice": choice} if choice in {c.id for c in q.choices} else {}


@dataclass
class ReviewView:
    question: QuestionView
    outcome: str  # "correct", "partial", "incorrect"
    points: float
    feedback: Markup
    right_choices: set[str] = field(default_factory=set)
    right_answer: str = ""
    right_matches: list[tuple[Markup, str]] = field(default_factory=list)


def review_view(attempt: Attempt, slot: int, response: Response | None) -> ReviewView:
    """The question with the right answer and feedback. Only for review_rights(...).answers."""
    view = question_view(attempt, slot, response)
    q = QuestionData.from_dict(attempt.layout[slot]["question"])
    fraction = response.fraction if response and response.fraction is not None else 0.0
    outcome = "correct" if fraction >= 1 else "incorrect" if fraction <= 0 else "partial"
    review = ReviewView(
        question=view,
        outcome=outcome,
        points=response.points if response and response.points else 0,
        feedback=rich(response.feedback if response else "", attempt.layout[slot].get("question_id")),
        right_choices={c.id for c in q.choices if c.fraction > 0},
    )
    if q.kind == SHORT_TEXT:
        best = max(q.accepted, key=lambda a: a.fraction, default=None)
        review.right_answer = best.text if best else ""
    elif q.kind == NUMERIC:
        closest = max(q.numeric, key=lambda a: a.fraction, default=None)
        if closest:
            review.right_answer = f"{closest.value:g}" + (f" (± {closest.tolerance:g})" if closest.tolerance else "")
    elif q.kind == MATCHING:
        review.right_matches = [(inline(p.prompt, attempt.layout[slot].get("question_id")), p.answer) for p in q.real_pairs]
    return review
