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
from assessments.grading import grade
from assessments.questions import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    TRUE_FALSE,
    QuestionData,
    answering_in,
    localised,
    version_answers,
)
from courses.markdown import markdown_to_html, render_lesson_html
from courses.translations.resolve import language_name
from lms.i18n import current_language, gettext

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
    # The language of the question's own text when it is shown because the reader's has no version.
    fallback: str | None = None
    reader_language: str = ""

    @property
    def lang(self) -> Markup:
        """` lang="en"` on text shown in another language than the page's, else nothing."""
        return Markup(' lang="{0}"').format(self.fallback) if self.fallback else Markup("")

    @property
    def language_note(self) -> str:
        if not self.fallback:
            return ""
        return gettext("This question is not available in %(language)s yet; shown in %(original)s.") % {
            "language": language_name(self.reader_language),
            "original": language_name(self.fallback),
        }

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


def shown_question(entry: dict, language: str) -> tuple[QuestionData, str | None]:
    """The question of a layout entry as a reader of ``language`` sees it, and the language of its
    own text when that is shown instead (no version in theirs). Texts only: grading reads
    ``entry["question"]``, never this. Attempts from before versions existed carry no language."""
    q = QuestionData.from_dict(entry["question"])
    own = entry.get("language")
    if not own or own == language:
        return q, None
    texts = (entry.get("versions") or {}).get(language)
    if texts:
        return localised(q, texts), None
    return q, own


def _choice_text(q: QuestionData, choice_id: str, text: str, qid: int | None) -> Markup:
    if q.kind == TRUE_FALSE and choice_id in ("true", "false"):
        # True and false are the interface's words, in the reader's language.
        return Markup.escape(gettext("True") if choice_id == "true" else gettext("False"))
    return inline(text, qid)


def question_view(attempt: Attempt, slot: int, response: Response | None, *, language: str | None = None) -> QuestionView:
    entry = attempt.layout[slot]
    language = language or current_language()
    q, fallback = shown_question(entry, language)
    qid = entry.get("question_id")
    by_id = {c.id: c for c in q.choices}
    order = [i for i in entry.get("choice_order") or [] if i in by_id] or list(by_id)
    view = QuestionView(
        slot=slot,
        number=slot + 1,
        kind=q.kind,
        stem=rich(q.stem_markdown, qid),
        points=q.points,
        choices=[(i, _choice_text(q, i, by_id[i].text, qid)) for i in order],
        fallback=fallback,
        reader_language=language,
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
    language = current_language()
    view = question_view(attempt, slot, response, language=language)
    entry = attempt.layout[slot]
    q, fallback = shown_question(entry, language)
    fraction = response.fraction if response and response.fraction is not None else 0.0
    outcome = "correct" if fraction >= 1 else "incorrect" if fraction <= 0 else "partial"
    feedback = response.feedback if response else ""
    versions = entry.get("versions") or {}
    if response is not None and not fallback and q != QuestionData.from_dict(entry["question"]):
        # The stored feedback is in the question's own language; the same grading of the version
        # gives the same feedback in the reader's (the score stays the stored one).
        graded_in = versions.get(attempt.settings.get("language") or "") if entry.get("language") else None
        feedback = "\n".join(grade(answering_in(q, graded_in), response.answer or {}).feedback)
    review = ReviewView(
        question=view,
        outcome=outcome,
        points=response.points if response and response.points else 0,
        feedback=rich(feedback, entry.get("question_id")),
        right_choices={c.id for c in q.choices if c.fraction > 0},
    )
    if q.kind == SHORT_TEXT:
        # The reader's language's own answers, where its version lists some, are the ones to show.
        own = version_answers(versions.get(language)) if entry.get("language") != language else ()
        best = max(own or q.accepted, key=lambda a: a.fraction, default=None)
        review.right_answer = best.text if best else ""
    elif q.kind == NUMERIC:
        closest = max(q.numeric, key=lambda a: a.fraction, default=None)
        if closest:
            review.right_answer = f"{closest.value:g}" + (f" (± {closest.tolerance:g})" if closest.tolerance else "")
    elif q.kind == MATCHING:
        review.right_matches = [(inline(p.prompt, attempt.layout[slot].get("question_id")), p.answer) for p in q.real_pairs]
    return review
