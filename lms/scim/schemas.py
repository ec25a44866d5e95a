"""How Proficio's people and groups look in SCIM, and the discovery documents that say so (RFC 7643 §§5-7)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scim2_models import EnterpriseUser, Group, ResourceType, Schema, ScimPolicy, User

from lms.config import Settings
from lms.people.models import User as Person
from lms.scim.models import ScimGroup

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
UserModel = User[EnterpriseUser]
MAX_RESULTS = 200
# What connectors send in practice: attributes no schema declares are dropped (a directory may carry its
# own extensions), a `remove` may name its target in `value` and a path filter matching nothing
# creates the entry (both Microsoft Entra ID's way).
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

# The attributes Proficio keeps; the published schemas list only these (plus the two configured ones),
# so a client knows that the others (phone numbers, addresses, photos...) are not stored.
CORE_USER_ATTRIBUTES = {"userName", "name", "displayName", "active", "emails", "groups", "preferredLanguage"}
NAME_SUB_ATTRIBUTES = {"formatted"}
EMAIL_SUB_ATTRIBUTES = {"value", "type", "primary"}
ENTERPRISE_ATTRIBUTES = {"manager"}


def split_attribute(spec: str) -> tuple[str | None, str]:
    """("urn:…:User", "department") for an extension attribute, (None, "title") for a core one."""
    if spec.startswith("urn:"):
        urn, _, name = spec.rpartition(":")
        return urn, name
    return None, spec


def _put(doc: dict[str, Any], spec: str, value: Any) -> None:
    if value is None:
        return
    urn, name = split_attribute(spec)
    if urn is None:
        doc[name] = value
    else:
        doc.setdefault(urn, {})[name] = value


def version_of(changed: datetime) -> str:
    """A weak ETag from the last change: any write that changes the row changes it."""
    return 'W/"' + hashlib.sha256(changed.isoformat().encode()).hexdigest()[:16] + '"'


def _meta(kind: str, location: str, created: datetime, changed: datetime | None) -> dict[str, Any]:
    last = changed or created
    return {"resourceType": kind, "created": created, "lastModified": last, "location": location, "version": version_of(last)}


@dataclass
class UserContext:
    """What a page of users needs beyond their own rows, read once for the page (selectors.user_context)."""

    unit_paths: dict[int, str] = field(default_factory=dict)
    profile_names: dict[int, str] = field(default_factory=dict)
    groups: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


def user_version(user: Person) -> str:
    return version_of(user.updated_at or user.created_at)


def user_document(user: Person, ctx: UserContext, *, base: str, settings: Settings) -> dict[str, Any]:
    uid = str(user.id)
    doc: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "id": uid,
        "userName": user.email,
        "displayName": user.name,
        "name": {"formatted": user.name},
        "active": user.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "meta": _meta("User", f"{base}/Users/{uid}", user.created_at, user.updated_at),
    }
    if user.external_id is not None:
        doc["externalId"] = user.external_id
    if user.language is not None and "preferredLanguage" not in (
        settings.scim_job_profile_attribute,
        settings.scim_org_unit_attribute,
    ):
        doc["preferredLanguage"] = user.language
    groups = ctx.groups.get(user.id or 0, [])
    if groups:
        doc["groups"] = [
            {"value": str(gid), "$ref": f"{base}/Groups/{gid}", "display": name, "type": "direct"} for gid, name in groups
        ]
    if user.org_unit_id is not None:
        _put(doc, settings.scim_org_unit_attribute, ctx.unit_paths.get(user.org_unit_id))
    if user.job_profile_id is not None:
        _put(doc, settings.scim_job_profile_attribute, ctx.profile_names.get(user.job_profile_id))
    if user.manager_id is not None:
        # No displayName: the manager's own document has it, and a client comparing what it sent with
        # what it reads back would see a difference it did not make.
        doc.setdefault(ENTERPRISE, {})["manager"] = {"value": str(user.manager_id), "$ref": f"{base}/Users/{user.manager_id}"}
    return doc


def group_document(group: ScimGroup, members: list[tuple[int, str]], *, base: str) -> dict[str, Any]:
    gid = str(group.id)
    doc: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": gid,
        "displayName": group.display_name,
        "members": [{"value": str(uid), "$ref": f"{base}/Users/{uid}", "display": name, "type": "User"} for uid, name in members],
        "meta": _meta("Group", f"{base}/Groups/{gid}", group.created_at, group.updated_at),
    }
    if group.external_id is not None:
        doc["externalId"] = group.external_id
    return doc


def _keep(attributes: list | None, names: set[str]) -> list:
    return [a for a in attributes or [] if a.name in names]


def published_schemas(settings: Settings) -> list[Schema]:
    """The User, enterprise User and Group schemas, cut down to what Proficio stores."""
    unit_urn, unit_name = split_attribute(settings.scim_org_unit_attribute)
    profile_urn, profile_name = split_attribute(settings.scim_job_profile_attribute)
    core = CORE_USER_ATTRIBUTES | {n for urn, n in ((unit_urn, unit_name), (profile_urn, profile_name)) if urn is None}
    extension = ENTERPRISE_ATTRIBUTES | {n for urn, n in ((unit_urn, unit_name), (profile_urn, profile_name)) if urn == ENTERPRISE}
    user = User.to_schema()
    user.attributes = _keep(user.attributes, core)
    for attribute in user.attributes:
        if attribute.name == "name":
            attribute.sub_attributes = _keep(attribute.sub_attributes, NAME_SUB_ATTRIBUTES)
        if attribute.name == "emails":
            attribute.sub_attributes = _keep(attribute.sub_attributes, EMAIL_SUB_ATTRIBUTES)
    enterprise = EnterpriseUser.to_schema()
    enterprise.attributes = _keep(enterprise.attributes, extension)
    return [user, enterprise, Group.to_schema()]


def resource_types() -> list[ResourceType]:
    return [ResourceType.from_resource(UserModel), ResourceType.from_resource(Group)]


def service_provider_config() -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "API token",
                "description": "An API token with the scope scim:write, sent as 'Authorization: Bearer <token>'.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": "/scim/v2/ServiceProviderConfig"},
    }
