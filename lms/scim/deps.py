"""What every /scim/v2 route works with: the calling token, the JSON body, the paging and attribute parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from scim2_models import Context, ResponseParameters, SearchRequest

from lms.api.auth import ApiCaller, api_caller
from lms.scim.errors import ScimError
from lms.scim.schemas import MAX_RESULTS, POLICY
from lms.web.access import Access

SCOPE = "scim:write"
MAX_START = 2**31 - 1


def scim_caller(caller: Annotated[ApiCaller, Depends(api_caller)]) -> ApiCaller:
    if SCOPE not in caller.scopes:
        raise ScimError(403, f"This API token lacks the scope {SCOPE}.")
    # A directory provisions the whole organisation; a token limited to one unit could neither place
    # people elsewhere nor see who already exists, so it is refused rather than half-working.
    if caller.org_unit_id is not None:
        raise ScimError(403, "SCIM needs a token for the whole organisation; this one is limited to an organisation unit.")
    return caller


scim_caller.access = Access.API_TOKEN
ScimCaller = Annotated[ApiCaller, Depends(scim_caller)]


def label(caller: ApiCaller) -> str:
    """The audit log's actor for this token's changes."""
    return f"API token {caller.token.name}"


def base_url(request: Request) -> str:
    settings = request.app.state.settings
    root = (settings.base_url or str(request.base_url)).rstrip("/")
    return f"{root}/scim/v2"


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The request body is not valid JSON.", "invalidSyntax") from None
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a JSON object.", "invalidSyntax")
    if _has_nul(body):
        # PostgreSQL cannot store it and SQLite would: refused alike on both, as lms.web.params does for forms.
        raise ScimError(400, "Text may not contain the NUL character.", "invalidValue")
    return body


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


JsonBody = Annotated[dict[str, Any], Depends(json_body)]


def _number(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ScimError(400, f"{name} must be a whole number.", "invalidValue") from None


@dataclass(frozen=True)
class Listing:
    filter: str | None
    start: int
    count: int
    params: ResponseParameters


def _split(raw: str | None) -> list[str] | None:
    names = [a.strip() for a in (raw or "").split(",") if a.strip()]
    return names or None


def listing(request: Request) -> Listing:
    """startIndex is 1-based and below 1 counts as 1; count is capped at MAX_RESULTS (RFC 7644 §3.4.2.4)."""
    q = request.query_params
    # Capped so that a huge startIndex is an empty page, not an OFFSET the database refuses.
    start = min(max(_number(q.get("startIndex"), "startIndex", 1), 1), MAX_START)
    count = min(max(_number(q.get("count"), "count", 100), 0), MAX_RESULTS)
    return Listing(q.get("filter") or None, start, count, response_parameters(q.get("attributes"), q.get("excludedAttributes")))


def search_listing(body: Any) -> Listing:
    """The same window as `listing`, from a POST .search body (RFC 7644 §3.4.3)."""
    search: SearchRequest = SearchRequest.model_validate(body, scim_ctx=Context.SEARCH_REQUEST, scim_policy=POLICY)
    start = min(max(search.start_index or 1, 1), MAX_START)
    count = min(max(search.count if search.count is not None else 100, 0), MAX_RESULTS)
    params = response_parameters(search.attributes, search.excluded_attributes)
    return Listing(search.filter and str(search.filter), start, count, params)


def response_parameters(attributes: str | list[str] | None, excluded: str | list[str] | None) -> ResponseParameters:
    wanted = attributes if isinstance(attributes, list) else _split(attributes)
    unwanted = excluded if isinstance(excluded, list) else _split(excluded)
    if wanted and unwanted:
        raise ScimError(400, "Send attributes or excludedAttributes, not both.", "invalidValue")
    return ResponseParameters(attributes=wanted, excluded_attributes=unwanted)


def shown(request: Request) -> ResponseParameters:
    return response_parameters(request.query_params.get("attributes"), request.query_params.get("excludedAttributes"))


ListingParams = Annotated[Listing, Depends(listing)]
Shown = Annotated[ResponseParameters, Depends(shown)]
