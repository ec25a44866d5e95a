"""Synthetic job profiles, courses (modules, page and quiz lessons, what they prove) and quizzes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from assessments.models import ReviewPolicy
from assessments.questions import MULTIPLE_CHOICE, SINGLE_CHOICE, Choice, QuestionData, true_false
from courses.markdown import markdown_to_html

# Required DigComp levels per profile; "leader" and "executive" go to people who manage others.
PROFILES = {
    "Casework": {"1.1": 3, "2.1": 3, "2.2": 3, "3.1": 2, "4.1": 3, "4.2": 4},
    "Policy": {"1.1": 4, "1.2": 4, "1.3": 3, "2.2": 3, "2.4": 3, "4.2": 3},
    "Data": {"1.1": 4, "1.2": 5, "1.3": 5, "3.4": 3, "4.2": 4, "5.3": 3},
    "Digital": {"2.2": 4, "3.4": 5, "4.1": 5, "4.2": 4, "5.1": 5, "5.2": 4},
    "Design": {"1.2": 3, "2.3": 4, "2.5": 4, "3.1": 5, "3.2": 4, "5.3": 4},
    "Finance": {"1.1": 3, "1.3": 4, "2.1": 3, "3.1": 3, "4.1": 3, "4.2": 3},
    "People": {"2.1": 4, "2.4": 3, "2.5": 3, "4.2": 4, "4.3": 3, "5.4": 3},
    "Communications": {"2.1": 4, "2.3": 3, "2.5": 4, "3.1": 4, "3.2": 3, "3.3": 3},
    "Projects": {"2.4": 4, "1.3": 3, "2.1": 3, "5.2": 3, "5.4": 3, "4.1": 2},
    "Information": {"1.2": 4, "1.3": 4, "2.6": 4, "3.3": 4, "4.2": 5, "4.1": 3},
    "leader": {"2.1": 4, "2.4": 4, "2.5": 3, "4.1": 3, "4.2": 4, "5.4": 4},
    "executive": {"2.4": 5, "2.5": 4, "4.2": 4, "5.2": 4, "5.4": 5},
}
PROFILE_NAMES = {
    "Casework": "Caseworker",
    "Policy": "Policy adviser",
    "Data": "Data analyst",
    "Digital": "Digital specialist",
    "Design": "Service designer",
    "Finance": "Finance officer",
    "People": "HR adviser",
    "Communications": "Communications officer",
    "Projects": "Project manager",
    "Information": "Information manager",
    "leader": "Team leader",
    "executive": "Senior leader",
}
# Evidence of these competences goes stale: threats and tools change.
VALIDITY_MONTHS = {"4.1": 12, "4.2": 24, "2.6": 24, "5.1": 36}
TOPICS = {
    "1.1": "searching and browsing",
    "1.2": "judging sources",
    "1.3": "managing data",
    "2.1": "online collaboration",
    "2.2": "sharing information",
    "2.3": "digital public services",
    "2.4": "working together online",
    "2.5": "online etiquette",
    "2.6": "your digital identity",
    "3.1": "creating documents",
    "3.2": "editing and reusing content",
    "3.3": "copyright and licences",
    "3.4": "automation and scripting",
    "4.1": "protecting devices",
    "4.2": "protecting personal data",
    "4.3": "health and wellbeing online",
    "4.4": "digital sustainability",
    "5.1": "solving technical problems",
    "5.2": "choosing digital tools",
    "5.3": "creative use of technology",
    "5.4": "closing your own skill gaps",
}
OPENINGS = ["Getting started with", "Practical", "Everyday", "Advanced", "A refresher on", "Leading on"]


@dataclass
class CourseSpec:
    id: int
    title: str
    status: str
    competences: dict[int, int]  # competence id -> level
    lessons: list[int] = field(default_factory=list)  # required lessons, in order
    quiz_id: int | None = None
    quiz_lesson_id: int | None = None
    questions: list[dict] = field(default_factory=list)  # the quiz's layout entries, fixed slots in order


@dataclass
class Content:
    courses: list[CourseSpec] = field(default_factory=list)
    tables: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)


def profiles_rows(comps: dict[str, int]) -> tuple[dict[str, int], list[dict], list[dict]]:
    """(function -> profile id, job_profile rows, requirement rows)."""
    ids, profiles, requirements = {}, [], []
    for index, (key, levels) in enumerate(PROFILES.items(), start=1):
        ids[key] = index
        profiles.append({"id": index, "name": PROFILE_NAMES[key], "description": f"Synthetic profile: {key}."})
        requirements += [{"job_profile_id": index, "competence_id": comps[c], "level": lv} for c, lv in levels.items()]
    return ids, profiles, requirements


def courses_build(n_courses: int, comps: dict[str, int], trainers: list[int], rng: random.Random, now: datetime) -> Content:
    content = Content()
    ids = {"module": 0, "lesson": 0, "quiz": 0, "question": 0, "slot": 0}

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    codes = sorted(comps)
    for course_id in range(1, n_courses + 1):
        code = rng.choice(codes)
        level = rng.randint(2, 6)
        levels = {comps[code]: level}
        if rng.random() < 0.4:
            other = rng.choice([c for c in codes if c != code])
            levels[comps[other]] = max(1, level - 1)
        status = rng.choices(["published", "draft", "archived"], [88, 7, 5])[0]
        created = now - timedelta(days=rng.randint(200, 900))
        title = f"{rng.choice(OPENINGS)} {TOPICS[code]} ({course_id})"
        spec = CourseSpec(course_id, title, status, levels)
        author = rng.choice(trainers)
        minutes = 0
        n_modules = rng.randint(2, 4)
        has_quiz = rng.random() < 0.6
        for m in range(n_modules):
            module_id = next_id("module")
            content.add(
                "course_module", {"id": module_id, "course_id": course_id, "title": f"Module {m + 1}", "position": m, "hidden": False}
            )
            for position in range(rng.randint(2, 4)):
                lesson_id = next_id("lesson")
                body = (
                    f"## {TOPICS[code].capitalize()}, part {position + 1}\n\nWhat to do, why it matters, "
                    f"and a *worked example* from a public service."
                )
                minutes_here = rng.randint(5, 20)
                minutes += minutes_here
                content.add(
                    "lesson",
                    {
                        "id": lesson_id,
                        "course_id": course_id,
                        "module_id": module_id,
                        "title": f"Lesson {m + 1}.{position + 1}",
                        "kind": "page",
                        "body_markdown": body,
                        "body_html": _html(body),
                        "position": position,
                        "hidden": False,
                        "estimated_minutes": minutes_here,
                    },
                )
                spec.lessons.append(lesson_id)
            if has_quiz and m == n_modules - 1:
                minutes += _quiz(content, spec, next_id, module_id, position + 1, code, level, author, created, rng)
        content.add(
            "course",
            {
                "id": course_id,
                "title": title,
                "summary": f"A course on {TOPICS[code]}.",
                "audience": "Everyone",
                "estimated_minutes": minutes,
                "status": status,
                "created_by_id": author,
                "created_at": created,
                "updated_at": created,
                "published_at": created + timedelta(days=3) if status != "draft" else None,
            },
        )
        content.add("course_editor", {"course_id": course_id, "user_id": author})
        for competence_id, lv in levels.items():
            content.add("course_competence", {"course_id": course_id, "competence_id": competence_id, "level": lv})
        content.courses.append(spec)
    return content


def _quiz(
    content: Content,
    spec: CourseSpec,
    next_id,
    module_id: int,
    position: int,
    code: str,
    level: int,
    author: int,
    created: datetime,
    rng: random.Random,
) -> int:
    lesson_id, quiz_id = next_id("lesson"), next_id("quiz")
    competence_id = next(iter(spec.competences))
    content.add(
        "lesson",
        {
            "id": lesson_id,
            "course_id": spec.id,
            "module_id": module_id,
            "title": "Check your understanding",
            "kind": "quiz",
            "body_markdown": "",
            "body_html": "",
            "position": position,
            "hidden": False,
            "estimated_minutes": 10,
        },
    )
    spec.lessons.append(lesson_id)
    spec.quiz_id, spec.quiz_lesson_id = quiz_id, lesson_id
    content.add(
        "question_category",
        {
            "id": quiz_id,
            "name": f"Questions for course {spec.id}",
            "description": f"Questions for “{spec.title}”.",
            "created_by_id": author,
            "created_at": created,
        },
    )
    for index in range(6):
        data = _question(index, code, rng)
        question_id = next_id("question")
        content.add(
            "question",
            {
                "id": question_id,
                "category_id": quiz_id,
                "kind": data.kind,
                "name": data.name,
                "data": data.to_dict(),
                "competence_id": competence_id,
                "level": level,
                "version": 1,
                "archived": False,
                "created_by_id": author,
                "created_at": created,
                "updated_at": created,
            },
        )
        if index < 5:
            content.add(
                "quiz_slot",
                {
                    "id": next_id("slot"),
                    "quiz_id": quiz_id,
                    "position": index,
                    "question_id": question_id,
                    "category_id": None,
                    "draw_count": 1,
                },
            )
            spec.questions.append(
                {
                    "question_id": question_id,
                    "question": data.to_dict(),
                    "choice_order": [c.id for c in data.choices],
                    "competence_id": competence_id,
                }
            )
    content.add(
        "quiz",
        {
            "id": quiz_id,
            "lesson_id": lesson_id,
            "pass_percent": 70,
            "time_limit_minutes": 20 if rng.random() < 0.2 else None,
            "attempts_allowed": rng.choice([None, 3, 3]),
            "shuffle_questions": False,
            "shuffle_choices": True,
            "one_per_page": True,
            "review_policy": ReviewPolicy.AFTER_SUBMIT.value,
            "proves_competence_id": competence_id,
            "proves_level": spec.competences[competence_id],
            "diagnostic": False,
            "diagnostic_bands": [],
        },
    )
    return 10


def _question(index: int, code: str, rng: random.Random) -> QuestionData:
    topic = TOPICS[code]
    name = f"{topic.capitalize()} {index + 1}"
    if index % 3 == 1:
        return true_false(name, f"Is this statement about {topic} true?", rng.random() < 0.5)
    if index % 3 == 2:
        return QuestionData(
            MULTIPLE_CHOICE,
            name,
            f"Which of these are good practice in {topic}?",
            choices=[
                Choice("a", "This one", 0.5),
                Choice("b", "That one", 0.5),
                Choice("c", "Not this", -0.5),
                Choice("d", "Nor this", -0.5),
            ],
        )
    right = rng.randrange(4)
    return QuestionData(
        SINGLE_CHOICE,
        name,
        f"What is the best first step in {topic}?",
        choices=[Choice(k, f"Option {k.upper()}", 1.0 if i == right else 0.0) for i, k in enumerate("abcd")],
    )


_HTML: dict[str, str] = {}


def _html(markdown: str) -> str:
    if markdown not in _HTML:
        _HTML[markdown] = markdown_to_html(markdown)
    return _HTML[markdown]
