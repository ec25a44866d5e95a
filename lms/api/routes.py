"""/api/v1: the routers composed, and an OpenAPI schema that documents them and nothing else."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute

from lms.api import catalogue_routes, org_routes, people_routes, schemas
from lms.web.access import Access, policy

PREFIX = "/api/v1"
DESCRIPTION = (
    "Read-only JSON for integrations. Authenticate with an API token that an administrator creates under "
    "Administration → API tokens: `Authorization: Bearer prf_…`. Each operation needs one scope; a token "
    "limited to an organisation unit sees only that unit's subtree. Small groups in aggregates are suppressed."
)

router = APIRouter(prefix=PREFIX, responses=schemas.TOKEN_RESPONSES)
for sub in (catalogue_routes.router, org_routes.router, people_routes.router):
    router.include_router(sub)


def api_schema(routes: list[BaseRoute]) -> dict:
    # Every /api/v1 route the app serves, features' routers included (they cannot register here: the
    # platform does not import features), so the schema cannot drift from what is served.
    api = [ctx for ctx in iter_route_contexts(routes) if ctx.path.startswith(PREFIX + "/")]
    return get_openapi(title="Proficio API", version="1", description=DESCRIPTION, routes=api)


@router.get("/openapi.json", include_in_schema=False, dependencies=[policy(Access.PUBLIC)])
def openapi(request: Request) -> JSONResponse:
    # Public: it describes shapes only, and client generators fetch it without credentials.
    state = request.app.state
    if getattr(state, "api_schema", None) is None:
        state.api_schema = api_schema(request.app.routes)
    return JSONResponse(state.api_schema)
