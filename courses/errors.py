"""The error every course write raises for input it refuses: a message for the person, and the form field it belongs to."""

from __future__ import annotations

from lms.errors import FieldError


class CourseError(FieldError):
    pass
