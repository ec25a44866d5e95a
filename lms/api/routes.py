"""/api/v1: the routers composed, and an OpenAPI schema that documents them and nothing else."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.openapi.utils import get_openapi
from starlette.responses import JSONResponse

from lms.api import catalogue_routes, org_routes, people_routes, schemas
from lms.web.access import Access, policy

PREFIX = "/api/v1"
DESCRIPTION = (
    "Read-only JSON for integrations. Authenticate with an API token that an administrator creates under "
    "Administration → API tokens: `Authorization: Bearer prf_…`. Each operation needs one scope; a token "
    "limited to an organisation unit sees only that unit's subtree. Small groups in aggregates are suppressed."
)

router = APIRouter(
    prefix=PREFIX,
    responses={
        401: {"model": schemas.Error, "description": "No token, or an unknown, revoked or expired one"},
        403: {"model": schemas.Error, "description": "The token lacks this operation's scope"},
    },
)
for sub in (catalogue_routes.router, org_routes.router, people_routes.router):
    router.include_router(sub)

_API_ROUTES = tuple(router.routes)


@cache
def api_schema() -> dict:
    return get_openapi(title="Proficio API", version="1", description=DESCRIPTION, routes=_API_ROUTES)


@router.get("/openapi.json", include_in_schema=False, dependencies=[policy(Access.PUBLIC)])
def openapi() -> JSONResponse:
    # Public: it describes shapes only, and client generators fetch it without credentials.
    return JSONResponse(api_schema())
