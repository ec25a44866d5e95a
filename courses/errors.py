"""The error every course write raises for input it refuses: a message for the person, and the form field it belongs to."""

from __future__ import annotations


class CourseError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
