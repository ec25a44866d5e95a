"""SCIM error bodies (RFC 7644 §3.12): every failure under /scim/v2 answers one, never a page or a 500 trace."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError
from scim2_models import Error
from scim2_models.exceptions import SCIMException
from sqlalchemy.exc import DataError, IntegrityError
from starlette.responses import Response

from lms.errors import FieldError

log = logging.getLogger("lms.scim")

MEDIA_TYPE = "application/scim+json"


class ScimError(Exception):
    """A refusal with its HTTP status and RFC 7644 scimType (None where the RFC names none, as for 404)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def scim_json(body: dict, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, default=str), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def error_response(status: int, detail: str, scim_type: str | None = None, headers: dict[str, str] | None = None) -> Response:
    body = Error(status=status, scim_type=scim_type, detail=detail).model_dump()
    return scim_json(body, status, headers)


def validation_error(exc: ValidationError) -> ScimError:
    """The first problem pydantic (through scim2-models) found, with the scimType it carries."""
    first = Error.from_validation_errors(exc)[0]
    return ScimError(first.status or 400, first.detail or "The request is not valid.", first.scim_type or "invalidValue")


def _as_response(exc: Exception) -> Response | None:
    if isinstance(exc, ScimError):
        return error_response(exc.status, exc.detail, exc.scim_type)
    if isinstance(exc, SCIMException):
        return error_response(exc.status, exc.detail or str(exc), exc.scim_type or None)
    if isinstance(exc, ValidationError):
        err = validation_error(exc)
        return error_response(err.status, err.detail, err.scim_type)
    if isinstance(exc, IntegrityError):
        # Two requests creating the same person at once: the database's unique index decides.
        return error_response(409, "Another request has just created or changed the same resource; read it again.", "uniqueness")
    if isinstance(exc, DataError):
        # A value the column cannot hold that no check above caught: the client's to fix, not a 500.
        return error_response(400, "A value is too long or out of range for Proficio.", "invalidValue")
    if isinstance(exc, FieldError):
        return error_response(400, str(exc), "invalidValue")
    if isinstance(exc, RequestValidationError):
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        return error_response(400, f"Some values were missing or not valid: {fields}.", "invalidValue")
    if isinstance(exc, HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        return error_response(exc.status_code, detail, None, dict(exc.headers or {}))
    return None


class ScimRoute(APIRoute):
    """Turns whatever a SCIM handler or its dependencies raise into an Error body (the app's handlers
    answer pages; a directory's connector needs RFC 7644's shape and its scimType)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def scim_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                response = _as_response(exc)
                if response is None:
                    raise
                return response

        return scim_handler
