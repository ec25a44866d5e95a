"""Plain shapes for the demo course content, so the content modules read like an outline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LessonSpec:
    title: str
    minutes: int
    body: str  # Markdown


@dataclass(frozen=True)
class ModuleSpec:
    title: str
    lessons: tuple[LessonSpec, ...]


@dataclass(frozen=True)
class CourseSpec:
    key: str  # how activity.py refers to the course
    title: str
    summary: str
    audience: str
    # DigComp competence code -> the level the course brings a learner to
    competences: dict[str, int]
    modules: tuple[ModuleSpec, ...]
    published: bool = True

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for module in self.modules for lesson in module.lessons)
