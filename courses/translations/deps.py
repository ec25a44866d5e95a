"""The language a translation route works on, from its path: a supported one other than the course's default."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path

from lms.i18n import SUPPORTED_LANGUAGES

from courses.authoring.deps import EditableCourse


def version_language(course: EditableCourse, language: Annotated[str, Path(max_length=8)]) -> str:
    if language not in SUPPORTED_LANGUAGES or language == course.default_language:
        raise HTTPException(status_code=404)
    return language


VersionLanguage = Annotated[str, Depends(version_language)]
