"""Turning a service's refusal into the errors a form shows beside its fields."""

from __future__ import annotations

from collections.abc import Mapping

from lms.errors import FieldError


def field_errors(exc: FieldError, *, default: str = "form", rename: Mapping[str, str] | None = None) -> dict[str, str]:
    """``{field id: message}`` for the form template's macros.

    ``default`` receives errors that name no field; ``rename`` maps a model field to the form field that
    edits it when the two differ (a manager's id is entered as their e-mail address).
    """
    field = exc.field or default
    if rename:
        field = rename.get(field, field)
    return {field: str(exc)}
