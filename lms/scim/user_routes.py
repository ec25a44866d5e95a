"""/scim/v2/Users: HR's directory creates, finds, changes and deactivates people."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from scim2_models import Context, PatchOp
from starlette.responses import Response

from lms.people.models import User
from lms.scim.deps import JsonBody, ListingParams, ScimCaller, Shown, base_url, label, search_listing
from lms.scim.errors import ScimError, ScimRoute
from lms.scim.filters import USER_FILTERS, parse_filter
from lms.scim.responses import check_if_match, list_response, not_modified, resource_response
from lms.scim.schemas import POLICY, UserModel, user_document, user_version
from lms.scim.selectors import user_by_scim_id, user_context, users_page
from lms.scim.service import scim_user_create, scim_user_deactivate, scim_user_replace
from lms.scim.user_input import normalise_patch, normalise_user
from lms.web.csrf import csrf_exempt
from lms.web.deps import DbSession

router = APIRouter(prefix="/Users", route_class=ScimRoute)


def _document(db: DbSession, request: Request, user: User) -> dict[str, Any]:
    return user_document(user, user_context(db, [user]), base=base_url(request), settings=request.app.state.settings)


def _found(db: DbSession, user_id: str) -> User:
    user = user_by_scim_id(db, user_id)
    if user is None:
        raise ScimError(404, f"No user with id {user_id}.")
    return user


def _listing(db: DbSession, request: Request, text: str | None, start: int, count: int, params: Any) -> Response:
    terms = parse_filter(text, USER_FILTERS) if text else []
    total, users = users_page(db, terms, start=start, count=count)
    ctx = user_context(db, users)
    base, settings = base_url(request), request.app.state.settings
    return list_response(total, start, [user_document(u, ctx, base=base, settings=settings) for u in users], params)


@router.get("")
def users_list(request: Request, db: DbSession, _caller: ScimCaller, listing: ListingParams) -> Response:
    return _listing(db, request, listing.filter, listing.start, listing.count, listing.params)


@router.post("/.search")
@csrf_exempt
def users_search(request: Request, db: DbSession, _caller: ScimCaller, body: JsonBody) -> Response:
    window = search_listing(body)
    return _listing(db, request, window.filter, window.start, window.count, window.params)


@router.post("", status_code=status.HTTP_201_CREATED)
@csrf_exempt
def user_create(request: Request, db: DbSession, caller: ScimCaller, body: JsonBody) -> Response:
    resource = UserModel.model_validate(
        normalise_user(body, base_url(request)), scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=POLICY
    )
    user = scim_user_create(db, resource=resource, settings=request.app.state.settings, via=label(caller))
    db.commit()
    return resource_response(_document(db, request, user), status=201)


@router.get("/{user_id}")
def user_read(request: Request, db: DbSession, _caller: ScimCaller, user_id: str, shown: Shown) -> Response:
    user = _found(db, user_id)
    return not_modified(request, user_version(user)) or resource_response(_document(db, request, user), shown)


@router.put("/{user_id}")
@csrf_exempt
def user_replace(request: Request, db: DbSession, caller: ScimCaller, user_id: str, body: JsonBody) -> Response:
    user = _found(db, user_id)
    check_if_match(request, user_version(user))
    resource = UserModel.model_validate(
        normalise_user(body, base_url(request)), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST, scim_policy=POLICY
    )
    scim_user_replace(db, user=user, resource=resource, settings=request.app.state.settings, via=label(caller))
    db.commit()
    return resource_response(_document(db, request, user))


@router.patch("/{user_id}")
@csrf_exempt
def user_patch(request: Request, db: DbSession, caller: ScimCaller, user_id: str, body: JsonBody) -> Response:
    """The patch is applied to the person's current document (scim2-models does the RFC 7644 §3.5.2
    path semantics), and the result replaces the person, so PATCH and PUT share every rule."""
    user = _found(db, user_id)
    check_if_match(request, user_version(user))
    patch = PatchOp[UserModel].model_validate(
        normalise_patch(body, base_url(request)), scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
    )
    resource = UserModel.model_validate(_document(db, request, user))
    if patch.patch(resource, POLICY):
        scim_user_replace(db, user=user, resource=resource, settings=request.app.state.settings, via=label(caller), patched=True)
        db.commit()
    return resource_response(_document(db, request, user))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
@csrf_exempt
def user_delete(request: Request, db: DbSession, caller: ScimCaller, user_id: str) -> Response:
    user = _found(db, user_id)
    check_if_match(request, user_version(user))
    scim_user_deactivate(db, user=user, settings=request.app.state.settings, via=label(caller))
    db.commit()
    return Response(status_code=204)
