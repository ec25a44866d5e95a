"""/scim/v2: discovery (ServiceProviderConfig, ResourceTypes, Schemas) and the Users and Groups routers.

Every route needs an API token with the scope scim:write, discovery included: the documents are
harmless, but a connector sends its token anyway and one rule is easier to reason about.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from scim2_models import Context, Resource
from starlette.responses import Response

from lms.scim import group_routes, user_routes
from lms.scim.deps import ScimCaller, base_url
from lms.scim.errors import ScimError, ScimRoute, scim_json
from lms.web.csrf import csrf_exempt
from lms.scim.schemas import LIST_SCHEMA, published_schemas, resource_types, service_provider_config

PREFIX = "/scim/v2"
router = APIRouter(prefix=PREFIX, route_class=ScimRoute)


def _dump(resource: Resource, location: str) -> dict:
    body = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    body.setdefault("meta", {})["location"] = location
    body["meta"].setdefault("resourceType", type(resource).__name__)
    return body


def _listed(items: list[dict]) -> Response:
    return scim_json(
        {"schemas": [LIST_SCHEMA], "totalResults": len(items), "startIndex": 1, "itemsPerPage": len(items), "Resources": items}
    )


@router.get("/ServiceProviderConfig")
def service_provider(request: Request, _caller: ScimCaller) -> Response:
    body = service_provider_config()
    body["meta"]["location"] = f"{base_url(request)}/ServiceProviderConfig"
    return scim_json(body)


def _resource_types(request: Request) -> dict[str, dict]:
    base = base_url(request)
    return {rt.id or "": _dump(rt, f"{base}/ResourceTypes/{rt.id}") for rt in resource_types()}


def _schemas(request: Request) -> dict[str, dict]:
    base = base_url(request)
    return {s.id or "": _dump(s, f"{base}/Schemas/{s.id}") for s in published_schemas(request.app.state.settings)}


@router.get("/ResourceTypes")
def resource_type_list(request: Request, _caller: ScimCaller) -> Response:
    return _listed(list(_resource_types(request).values()))


@router.get("/ResourceTypes/{resource_type_id}")
def resource_type_read(request: Request, _caller: ScimCaller, resource_type_id: str) -> Response:
    found = _resource_types(request).get(resource_type_id)
    if found is None:
        raise ScimError(404, f"No resource type {resource_type_id}: this service has User and Group.")
    return scim_json(found)


@router.get("/Schemas")
def schema_list(request: Request, _caller: ScimCaller) -> Response:
    return _listed(list(_schemas(request).values()))


@router.get("/Schemas/{schema_id}")
def schema_read(request: Request, _caller: ScimCaller, schema_id: str) -> Response:
    found = _schemas(request).get(schema_id)
    if found is None:
        raise ScimError(404, f"No schema {schema_id}.")
    return scim_json(found)


@router.post("/.search")
@csrf_exempt
def search_everything(_caller: ScimCaller) -> Response:
    # RFC 7644 §3.4.3 allows a search across resource types at the root; 501 is its answer for "not here".
    raise ScimError(501, "Searching several resource types at once is not supported: POST /Users/.search or /Groups/.search.")


router.include_router(user_routes.router)
router.include_router(group_routes.router)
