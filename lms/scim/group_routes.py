"""/scim/v2/Groups: groups map to roles through GROUP_ROLES; other groups are kept with no effect."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from scim2_models import Context, Group, PatchOp
from starlette.responses import Response

from lms.api.auth import ApiCaller
from lms.scim.deps import JsonBody, ListingParams, ScimCaller, Shown, base_url, label, search_listing
from lms.scim.errors import ScimError, ScimRoute
from lms.scim.filters import GROUP_FILTERS, parse_filter
from lms.scim.group_service import scim_group_create, scim_group_delete, scim_group_replace
from lms.scim.models import ScimGroup
from lms.scim.responses import check_if_match, list_response, not_modified, resource_response
from lms.scim.schemas import POLICY, group_document, version_of
from lms.scim.selectors import group_by_scim_id, group_members, groups_page
from lms.web.csrf import csrf_exempt
from lms.web.deps import DbSession

router = APIRouter(prefix="/Groups", route_class=ScimRoute)


def _document(db: DbSession, request: Request, group: ScimGroup) -> dict[str, Any]:
    members = group_members(db, [group.id or 0]).get(group.id or 0, [])
    return group_document(group, members, base=base_url(request))


def _found(db: DbSession, group_id: str) -> ScimGroup:
    group = group_by_scim_id(db, group_id)
    if group is None:
        raise ScimError(404, f"No group with id {group_id}.")
    return group


def _member_ids(resource: Group) -> list[str]:
    return [m.value for m in resource.members or [] if m.value]


def _listing(db: DbSession, request: Request, text: str | None, start: int, count: int, params: Any) -> Response:
    terms = parse_filter(text, GROUP_FILTERS) if text else []
    total, groups = groups_page(db, terms, start=start, count=count)
    members = group_members(db, [g.id or 0 for g in groups])
    base = base_url(request)
    return list_response(total, start, [group_document(g, members.get(g.id or 0, []), base=base) for g in groups], params)


@router.get("")
def groups_list(request: Request, db: DbSession, _caller: ScimCaller, listing: ListingParams) -> Response:
    return _listing(db, request, listing.filter, listing.start, listing.count, listing.params)


@router.post("/.search")
@csrf_exempt
def groups_search(request: Request, db: DbSession, _caller: ScimCaller, body: JsonBody) -> Response:
    window = search_listing(body)
    return _listing(db, request, window.filter, window.start, window.count, window.params)


@router.post("", status_code=status.HTTP_201_CREATED)
@csrf_exempt
def group_create(request: Request, db: DbSession, caller: ScimCaller, body: JsonBody) -> Response:
    resource = Group.model_validate(body, scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=POLICY)
    group = scim_group_create(
        db,
        name=resource.display_name,
        external_id=resource.external_id,
        members=_member_ids(resource),
        settings=request.app.state.settings,
        via=label(caller),
    )
    db.commit()
    return resource_response(_document(db, request, group), status=201)


@router.get("/{group_id}")
def group_read(request: Request, db: DbSession, _caller: ScimCaller, group_id: str, shown: Shown) -> Response:
    group = _found(db, group_id)
    return not_modified(request, version_of(group.updated_at)) or resource_response(_document(db, request, group), shown)


def _replace(db: DbSession, request: Request, caller: ApiCaller, group: ScimGroup, resource: Group) -> None:
    scim_group_replace(
        db,
        group=group,
        name=resource.display_name,
        external_id=resource.external_id,
        members=_member_ids(resource),
        settings=request.app.state.settings,
        via=label(caller),
    )
    db.commit()


@router.put("/{group_id}")
@csrf_exempt
def group_replace(request: Request, db: DbSession, caller: ScimCaller, group_id: str, body: JsonBody) -> Response:
    group = _found(db, group_id)
    check_if_match(request, version_of(group.updated_at))
    _replace(db, request, caller, group, Group.model_validate(body, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST, scim_policy=POLICY))
    return resource_response(_document(db, request, group))


@router.patch("/{group_id}")
@csrf_exempt
def group_patch(request: Request, db: DbSession, caller: ScimCaller, group_id: str, body: JsonBody) -> Response:
    group = _found(db, group_id)
    check_if_match(request, version_of(group.updated_at))
    patch = PatchOp[Group].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY)
    resource = Group.model_validate(_document(db, request, group))
    if patch.patch(resource, POLICY):
        _replace(db, request, caller, group, resource)
    return resource_response(_document(db, request, group))


@router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
@csrf_exempt
def group_delete(request: Request, db: DbSession, caller: ScimCaller, group_id: str) -> Response:
    group = _found(db, group_id)
    check_if_match(request, version_of(group.updated_at))
    scim_group_delete(db, group=group, settings=request.app.state.settings, via=label(caller))
    db.commit()
    return Response(status_code=204)
