"""Synthetic activity for a slice of people: enrolments, lesson progress, quiz attempts, evidence, statuses.

Everything a service would have written is written here the same way: a completed course has every
required lesson completed and its course evidence; a quiz course is completed by a passed attempt that
recorded quiz evidence; statuses are what ``lms.competences.rules.derive_levels`` makes of the evidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from assessments.demo import answer_for
from assessments.grading import grade
from assessments.questions import QuestionData
from bench.synth_content import CourseSpec
from lms.competences.rules import derive_levels
from lms.competences.service import add_months

CHOICE_KINDS = {"single_choice", "multiple_choice"}
ENROLMENTS_PER_PERSON = ([0, 1, 2, 3, 4, 5, 6, 8], [10, 14, 18, 18, 14, 11, 9, 6])


@dataclass(slots=True)
class Ev:
    """One evidence row; ``derive_levels`` reads its attributes like an Evidence object."""

    id: int
    user_id: int
    competence_id: int
    level: int
    source: str
    recorded_at: datetime
    expires_at: datetime | None
    recorded_by_id: int | None = None
    reference: str = ""
    note: str = ""


class Activity:
    """Holds the id counters and the catalogue; ``person`` appends one person's rows to ``tables``."""

    def __init__(
        self,
        courses: list[CourseSpec],
        quizzes: dict[int, dict],
        rules: dict[int, list[tuple]],
        validity: dict[int, int],
        now: datetime,
        rng: random.Random,
    ):
        self.courses = {c.id: c for c in courses}
        self.published = [c.id for c in courses if c.status == "published"]
        # Popularity falls off like 1/rank: a few courses everyone takes, a long tail.
        self.cum_weights = []
        total = 0.0
        for rank in range(1, len(self.published) + 1):
            total += 1 / rank
            self.cum_weights.append(total)
        self.quizzes, self.rules, self.validity = quizzes, rules, validity
        self.now, self.rng = now, rng
        self.ids = {"enrolment": 0, "assignment": 0, "attempt": 0, "evidence": 0}
        self.graded: dict[tuple[int, bool], tuple[dict, object]] = {}
        self.tables: dict[str, list[dict]] = {}

    def _id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def _add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)

    def take_tables(self) -> dict[str, list[dict]]:
        tables, self.tables = self.tables, {}
        return tables

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def settled(self, when: datetime, competence_ids) -> datetime:
        """Move ``when`` back a little if evidence recorded then would expire within the next week, so a
        status derived now still holds when the data is checked or benchmarked."""
        for competence_id in competence_ids:
            months = self.validity.get(competence_id)
            if months and self.ago(1) <= add_months(when, months) <= self.now + timedelta(days=7):
                return when - timedelta(days=10)
        return when

    def evidence(self, evs: list[Ev], user_id: int, competence_id: int, level: int, source: str, at: datetime, **extra) -> None:
        months = self.validity.get(competence_id)
        expires = add_months(at, months) if months and source != "self" else None
        evs.append(Ev(self._id("evidence"), user_id, competence_id, max(0, min(8, level)), source, at, expires, **extra))

    def person(
        self, user_id: int, manager_id: int | None, requirements: dict[int, int], profile_id: int | None, all_competences: list[int]
    ) -> None:
        rng, evs = self.rng, []
        extras = rng.sample(all_competences, rng.choice([0, 0, 1, 2]))
        for competence_id in [*requirements, *[c for c in extras if c not in requirements]]:
            required = requirements.get(competence_id, 2)
            true_level = max(0, min(8, required + rng.choice([-3, -2, -1, -1, 0, 0, 0, 1, 1])))
            if rng.random() < 0.25:
                at = self.settled(self.ago(rng.uniform(200, 1100)), [competence_id])
                self.evidence(
                    evs,
                    user_id,
                    competence_id,
                    true_level,
                    "import",
                    at,
                    reference="hr-import",
                    note="Carried over from the previous training record.",
                )
            if rng.random() < 0.07 and manager_id:
                at = self.settled(self.ago(rng.uniform(5, 300)), [competence_id])
                self.evidence(
                    evs,
                    user_id,
                    competence_id,
                    true_level,
                    "manager",
                    at,
                    recorded_by_id=manager_id,
                    note="Observed in day-to-day work.",
                )
            for _ in range(rng.choices([0, 1, 2], [35, 50, 15])[0]):
                level = true_level + rng.choice([0, 0, 1, 1, 2, -1])
                self.evidence(evs, user_id, competence_id, level, "self", self.ago(rng.uniform(1, 400)), recorded_by_id=user_id)
        self._enrolments(user_id, manager_id, profile_id, evs)
        self._statuses(user_id, evs)

    def _enrolments(self, user_id: int, manager_id: int | None, profile_id: int | None, evs: list[Ev]) -> None:
        rng = self.rng
        wanted: dict[int, tuple] = {}
        for course_id, rule_id in self.rules.get(profile_id, []):
            wanted[course_id] = ("rule", rule_id)
        count = rng.choices(*ENROLMENTS_PER_PERSON)[0] if self.published else 0
        for course_id in rng.choices(self.published, cum_weights=self.cum_weights, k=count):
            wanted.setdefault(course_id, ("assigned", None) if manager_id and rng.random() < 0.4 else ("self", None))
        for course_id, (source, rule_id) in wanted.items():
            self._enrolment(user_id, manager_id, self.courses[course_id], source, rule_id, evs)

    def _enrolment(
        self, user_id: int, manager_id: int | None, course: CourseSpec, source: str, rule_id: int | None, evs: list[Ev]
    ) -> None:
        rng = self.rng
        enrolment_id = self._id("enrolment")
        enrolled = self.ago(rng.uniform(1, 700))
        due = enrolled + timedelta(days=rng.choice([14, 30, 60, 90])) if source != "self" else None
        outcome = rng.choices(["enrolled", "in_progress", "completed"], [30, 35, 35])[0]
        started = completed = last_lesson = None
        lessons = course.lessons
        done = 0
        if outcome != "enrolled":
            started = enrolled + timedelta(hours=rng.uniform(1, 240))
            started = min(started, self.ago(0.5))
        if outcome == "completed":
            completed = self.settled(started + timedelta(days=rng.uniform(0.1, 40)), course.competences)
            completed = min(completed, self.ago(0.2))
            started = min(started, completed - timedelta(hours=1))
            done = len(lessons)
        elif outcome == "in_progress":
            done = rng.randint(0, len(lessons) - 1)
        span = (completed or self.ago(0.2)) - started if started else None
        for index, lesson_id in enumerate(lessons[: done + (outcome == "in_progress")]):
            viewed = started + span * (index / (len(lessons) + 1))
            finished = None
            if index < done:
                finished = (
                    completed if (lesson_id == course.quiz_lesson_id and completed) else viewed + span / (2 * (len(lessons) + 1))
                )
            self._add(
                "lesson_progress",
                {
                    "user_id": user_id,
                    "lesson_id": lesson_id,
                    "course_id": course.id,
                    "first_viewed_at": viewed,
                    "completed_at": finished,
                },
            )
            last_lesson = lesson_id
        if course.quiz_id and outcome != "enrolled" and (done == len(lessons) or (done == len(lessons) - 1 and rng.random() < 0.5)):
            self._attempts(user_id, course, passed_at=completed, started=started, span=span, evs=evs)
        if completed:
            for competence_id, level in course.competences.items():
                self.evidence(
                    evs,
                    user_id,
                    competence_id,
                    level,
                    "course",
                    completed,
                    reference=f"course:{course.id}",
                    note=f"Completed the course “{course.title}”.",
                )
        self._add(
            "enrolment",
            {
                "id": enrolment_id,
                "course_id": course.id,
                "user_id": user_id,
                "source": source,
                "status": outcome,
                "due_at": due,
                "enrolled_at": enrolled,
                "started_at": started,
                "completed_at": completed,
                "last_lesson_id": last_lesson,
                "progress_percent": round(100 * done / len(lessons)),
            },
        )
        if source != "self":
            self._add(
                "assignment",
                {
                    "id": self._id("assignment"),
                    "enrolment_id": enrolment_id,
                    "assigned_by_id": manager_id if source == "assigned" else None,
                    "rule_id": rule_id,
                    "due_at": due,
                    "assigned_at": enrolled,
                    "message": "Please complete this by the due date." if source == "assigned" else "",
                },
            )

    def _attempts(
        self, user_id: int, course: CourseSpec, *, passed_at: datetime | None, started: datetime, span: timedelta, evs: list[Ev]
    ) -> None:
        quiz = self.quizzes[course.quiz_id]
        plans = []
        if passed_at is None:
            # A timed attempt left open would only be closed by the sweep; leave those submitted.
            timed = quiz["time_limit_minutes"] is not None
            plans.append("fail" if timed else self.rng.choice(["fail", "in_progress"]))
        else:
            if self.rng.random() < 0.25:
                plans.append("fail")
            plans.append("pass")
        for number, plan in enumerate(plans, start=1):
            at = passed_at - timedelta(minutes=15) if plan == "pass" else started + span * 0.9 + timedelta(minutes=30 * number)
            self._attempt(user_id, quiz, number, plan, at, evs)

    def _attempt(self, user_id: int, quiz: dict, number: int, plan: str, started: datetime, evs: list[Ev]) -> None:
        rng = self.rng
        attempt_id = self._id("attempt")
        layout = []
        for entry in quiz["questions"]:
            order = list(entry["choice_order"])
            if entry["question"]["kind"] in CHOICE_KINDS:
                rng.shuffle(order)
            layout.append({**entry, "choice_order": order})
        rights = {
            "pass": [True] * 5 if rng.random() < 0.6 else [True, True, True, True, False],
            "fail": [True, True, False, False, False],
            "in_progress": [True, False],
        }[plan]
        submitted = None if plan == "in_progress" else started + timedelta(minutes=rng.randint(6, 14))
        score = max_score = 0.0
        for slot, (entry, right) in enumerate(zip(layout, rights, strict=False)):
            answer, result = self._graded(entry, right)
            saved = started + timedelta(minutes=slot + 1)
            graded = submitted is not None
            self._add(
                "attempt_response",
                {
                    "attempt_id": attempt_id,
                    "slot": slot,
                    "answer": answer,
                    "flagged": False,
                    "sequence": 1,
                    "saved_at": saved,
                    "fraction": result.fraction if graded else None,
                    "points": result.points if graded else None,
                    "feedback": "\n".join(result.feedback) if graded else "",
                },
            )
            score += result.points
            max_score += entry["question"]["points"]
        limit = quiz["time_limit_minutes"]
        row = {
            "id": attempt_id,
            "quiz_id": quiz["id"],
            "user_id": user_id,
            "number": number,
            "state": "in_progress",
            "started_at": started,
            "deadline_at": started + timedelta(minutes=limit) if limit else None,
            "submitted_at": submitted,
            "layout": layout,
            "settings": quiz["settings"],
            "score": None,
            "max_score": None,
            "percent": None,
            "passed": None,
        }
        if submitted is not None:
            max_score = sum(e["question"]["points"] for e in layout)
            percent = round(100 * score / max_score, 2)
            row.update(
                state="submitted",
                score=round(score, 4),
                max_score=round(max_score, 4),
                percent=percent,
                passed=percent >= quiz["pass_percent"],
            )
            if row["passed"]:
                self.evidence(
                    evs,
                    user_id,
                    quiz["proves_competence_id"],
                    quiz["proves_level"],
                    "quiz",
                    submitted,
                    reference=f"attempt:{attempt_id}",
                    note=f"Passed with {percent:g}%.",
                )
        self._add("attempt", row)

    def _graded(self, entry: dict, right: bool):
        key = (entry["question_id"], right)
        if key not in self.graded:
            data = QuestionData.from_dict(entry["question"])
            answer = answer_for(data, right)
            self.graded[key] = (answer, grade(data, answer))
        return self.graded[key]

    def _statuses(self, user_id: int, evs: list[Ev]) -> None:
        by_competence: dict[int, list[Ev]] = {}
        for ev in evs:
            by_competence.setdefault(ev.competence_id, []).append(ev)
            self._add(
                "evidence",
                {
                    "id": ev.id,
                    "user_id": ev.user_id,
                    "competence_id": ev.competence_id,
                    "level": ev.level,
                    "source": ev.source,
                    "reference": ev.reference,
                    "recorded_by_id": ev.recorded_by_id,
                    "recorded_at": ev.recorded_at,
                    "note": ev.note,
                    "expires_at": ev.expires_at,
                },
            )
        for competence_id, items in by_competence.items():
            levels = derive_levels(items, self.now)
            self._add(
                "competence_status",
                {
                    "user_id": user_id,
                    "competence_id": competence_id,
                    "verified_level": levels.verified_level,
                    "verified_source": levels.verified_source,
                    "verified_until": levels.verified_until,
                    "self_level": levels.self_level,
                    "self_assessed_at": levels.self_assessed_at,
                    "updated_at": self.now,
                },
            )
