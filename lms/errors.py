"""The one error a write raises for input the person can fix.

Services raise a subclass (``PeopleError``, ``CourseError``, ...) so callers can catch one feature's
refusals; every subclass carries the message to show and the form field it belongs to, so a route turns
any of them into form errors the same way (``lms.web.forms.field_errors``).
"""

from __future__ import annotations


class FieldError(ValueError):
    """``field`` names the form field the message belongs to; None means the form as a whole."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
