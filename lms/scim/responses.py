"""Answers shared by the Users and Groups routes: a resource with its ETag, a list, the If-Match check."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from scim2_models import Context, Group, Resource, ResponseParameters
from starlette.responses import Response

from lms.scim.errors import ScimError, scim_json
from lms.scim.schemas import LIST_SCHEMA, UserModel

MODELS: dict[str, type[Resource[Any]]] = {"User": UserModel, "Group": Group}


def wire(doc: dict[str, Any], params: ResponseParameters | None = None) -> dict[str, Any]:
    """The document as SCIM sends it, cut to the attributes the client asked for."""
    model = MODELS[doc["meta"]["resourceType"]].model_validate(doc)
    return model.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=params)


def resource_response(doc: dict[str, Any], params: ResponseParameters | None = None, *, status: int = 200) -> Response:
    headers = {"ETag": doc["meta"]["version"]}
    if status == 201:
        headers["Location"] = doc["meta"]["location"]
    return scim_json(wire(doc, params), status, headers)


def list_response(total: int, start: int, docs: list[dict[str, Any]], params: ResponseParameters) -> Response:
    body = {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(docs),
        "Resources": [wire(doc, params) for doc in docs],
    }
    return scim_json(body)


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def check_if_match(request: Request, version: str) -> None:
    """RFC 7644 §3.14: a write with an If-Match that names another version is refused with 412."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return
    if version.removeprefix("W/") not in _tags(header):
        raise ScimError(412, "The resource changed since you read it (If-Match does not match its version): read it again.")


def not_modified(request: Request, version: str) -> Response | None:
    header = request.headers.get("if-none-match")
    if header is not None and (header.strip() == "*" or version.removeprefix("W/") in _tags(header)):
        return Response(status_code=304, headers={"ETag": version})
    return None
