"""The quiz settings form as posted: raw strings in, (errors, clean values) out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from assessments.models import Quiz, ReviewPolicy
from courses.models import Lesson
from lms.i18n import N_, gettext
from lms.competences.models import MAX_LEVEL, Competence
from lms.web.params import check_int, parse_id, parse_int

MAX_TIME_LIMIT = 24 * 60
MAX_ATTEMPTS = 100

REVIEW_POLICY_LABELS = {
    ReviewPolicy.SCORE_ONLY.value: N_("Show the score only"),
    ReviewPolicy.AFTER_SUBMIT.value: N_("Show the score and the right answers after submitting"),
    ReviewPolicy.AFTER_PASSING.value: N_("Show the score; show the right answers only after passing"),
    ReviewPolicy.NEVER.value: N_("Show nothing (not even the score)"),
}


@dataclass
class QuizSettingsForm:
    """The settings form as posted; ``check`` gives the values quizzes.service.quiz_update applies."""

    title: str = ""
    pass_percent: str = "70"
    time_limit_minutes: str = ""
    attempts_allowed: str = ""
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    one_per_page: bool = True
    review_policy: str = ReviewPolicy.AFTER_SUBMIT.value
    mode: str = "proves"  # or "diagnostic"
    proves_competence_id: str = ""
    proves_level: str = ""
    band_min: list[str] = field(default_factory=list)
    band_level: list[str] = field(default_factory=list)

    @classmethod
    def from_quiz(cls, quiz: Quiz, lesson: Lesson) -> QuizSettingsForm:
        def text(value: object) -> str:
            return "" if value is None else str(value)

        bands = quiz.diagnostic_bands or []
        return cls(
            title=lesson.title,
            pass_percent=str(quiz.pass_percent),
            time_limit_minutes=text(quiz.time_limit_minutes),
            attempts_allowed=text(quiz.attempts_allowed),
            shuffle_questions=quiz.shuffle_questions,
            shuffle_choices=quiz.shuffle_choices,
            one_per_page=quiz.one_per_page,
            review_policy=quiz.review_policy,
            mode="diagnostic" if quiz.diagnostic else "proves",
            proves_competence_id=text(quiz.proves_competence_id),
            proves_level=text(quiz.proves_level),
            band_min=[text(b[0]) for b in bands],
            band_level=[text(b[1]) for b in bands],
        )

    def band_rows(self, blank: int = 3) -> list[tuple[str, str]]:
        rows = [(m, lv) for m, lv in zip(self.band_min, self.band_level + [""] * len(self.band_min), strict=False) if m or lv]
        return rows + [("", "")] * blank

    def check(self, session: Session) -> tuple[dict[str, str], dict]:
        errors: dict[str, str] = {}
        title = " ".join(self.title.split())
        if not title:
            errors["title"] = gettext("Enter a title for the quiz.")
        elif len(title) > 200:
            errors["title"] = gettext("Keep the title to 200 characters or fewer.")
        values: dict[str, Any] = {
            "title": title,
            "pass_percent": _whole(
                self.pass_percent, 0, 100, "pass_percent", errors, gettext("Enter the pass mark as a whole number from 0 to 100.")
            ),
            "time_limit_minutes": _optional(
                self.time_limit_minutes,
                1,
                MAX_TIME_LIMIT,
                "time_limit_minutes",
                errors,
                gettext("Enter the time limit in minutes, from 1 to %(max)s, or leave it blank for no limit.")
                % {"max": MAX_TIME_LIMIT},
            ),
            "attempts_allowed": _optional(
                self.attempts_allowed,
                1,
                MAX_ATTEMPTS,
                "attempts_allowed",
                errors,
                gettext("Enter the number of attempts, from 1 to %(max)s, or leave it blank for unlimited attempts.")
                % {"max": MAX_ATTEMPTS},
            ),
            "shuffle_questions": self.shuffle_questions,
            "shuffle_choices": self.shuffle_choices,
            "one_per_page": self.one_per_page,
            "review_policy": self.review_policy,
            "diagnostic": self.mode == "diagnostic",
            "proves_competence_id": None,
            "proves_level": None,
            "diagnostic_bands": [],
        }
        if self.review_policy not in REVIEW_POLICY_LABELS:
            errors["review_policy"] = gettext("Choose what learners see after submitting.")
        if self.mode not in {"proves", "diagnostic"}:
            errors["mode"] = gettext("Choose what the quiz verifies.")
        elif self.mode == "diagnostic":
            values["diagnostic_bands"] = self._bands(errors)
        else:
            self._proves(session, values, errors)
        return errors, values

    def _proves(self, session: Session, values: dict, errors: dict) -> None:
        competence, level = self.proves_competence_id.strip(), self.proves_level.strip()
        if not competence and not level:
            return
        competence_id = parse_id(competence)
        if competence_id is None or session.get(Competence, competence_id) is None:
            errors["proves_competence_id"] = gettext("Choose the competence a pass proves, or leave both blank.")
            return
        values["proves_competence_id"] = competence_id
        values["proves_level"] = _whole(
            level,
            1,
            MAX_LEVEL,
            "proves_level",
            errors,
            gettext("Choose the level a pass proves, from 1 to %(max)s.") % {"max": MAX_LEVEL},
        )

    def _bands(self, errors: dict) -> list[list[int]]:
        bands: list[list[int]] = []
        message = gettext(
            "Each band needs a minimum percent from 0 to 100 and a level from 1 to %(max)s; leave unused rows blank."
        ) % {"max": MAX_LEVEL}
        for minimum, level in self.band_rows(blank=0):
            lo, lv = parse_int(minimum, 0, 100), parse_int(level, 1, MAX_LEVEL)
            if lo is None or lv is None:
                errors["bands"] = message
                return []
            bands.append([lo, lv])
        if not bands:
            errors["bands"] = gettext("A diagnostic quiz needs at least one band: a minimum percent and the level it proves.")
        elif len({b[0] for b in bands}) != len(bands):
            errors["bands"] = gettext("Give each band a different minimum percent.")
        return sorted(bands)


def _whole(raw: str, lo: int, hi: int, name: str, errors: dict, message: str) -> int | None:
    return check_int(raw, errors, name, lo=lo, hi=hi, message=message)


def _optional(raw: str, lo: int, hi: int, name: str, errors: dict, message: str) -> int | None:
    return None if not (raw or "").strip() else _whole(raw, lo, hi, name, errors, message)
