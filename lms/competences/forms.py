"""Input shapes for the competence forms, kept apart from the tables they change."""

from __future__ import annotations

from dataclasses import dataclass

from lms.competences.models import MAX_LEVEL
from lms.web.params import parse_int


@dataclass
class SelfAssessmentForm:
    competence_id: int
    level: str = ""

    def check(self) -> tuple[dict[str, str], int | None]:
        """(errors, level): the level must be one of the radio buttons, 0 to MAX_LEVEL."""
        raw = self.level.strip()
        if not raw:
            return {"level": "Choose the level that best describes you."}, None
        level = parse_int(raw, 0, MAX_LEVEL)
        if level is None:
            return {"level": f"Choose a level from 0 to {MAX_LEVEL}."}, None
        return {}, level
