"""Reading a SCIM User into the fields Proficio keeps, each refusal as a SCIM error a connector can show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scim2_models import EnterpriseUser, Path
from sqlmodel import Session, func, select

from lms.competences.models import JobProfile
from lms.config import Settings
from lms.i18n import negotiate
from lms.people.csv_import.units import org_unit_id_by_path
from lms.people.service import PeopleError, clean_email
from lms.scim.errors import ScimError
from lms.scim.schemas import ENTERPRISE, UserModel
from lms.scim.selectors import user_by_scim_id


@dataclass(frozen=True)
class PersonFields:
    email: str
    name: str
    external_id: str | None
    active: bool | None  # None: not said, keep as it is
    org_unit_id: int | None
    job_profile_id: int | None
    manager_id: int | None
    # preferredLanguage as one of the interface's languages; None when absent or not one of them.
    language: str | None = None
    # Whether preferredLanguage said anything at all (an unsupported value is said, but kept out).
    language_said: bool = False


def invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(f"Expected a string, got {value!r}.")
    return value.strip() or None


def external_id(value: Any) -> str | None:
    text = _text(value)
    if text is not None and len(text) > 255:
        raise invalid("externalId may have at most 255 characters.")
    return text


def _attribute(resource: UserModel, spec: str) -> str | None:
    return _text(Path[UserModel](spec).get(resource))


def _email(resource: UserModel, current: str | None) -> str:
    """userName is the e-mail address. A change of the primary e-mail alone (userName left as it was)
    changes it too, since both show the one address Proficio keeps."""
    user_name = _text(resource.user_name)
    emails = resource.emails or []
    primary = next((e for e in emails if e.primary), emails[0] if emails else None)
    primary_value = _text(primary.value) if primary is not None else None
    chosen = user_name
    if current is not None and (user_name or "").lower() == current and primary_value and primary_value.lower() != current:
        chosen = primary_value
    if not chosen:
        raise ScimError(400, "userName is required: the person's e-mail address.", "invalidValue")
    try:
        return clean_email(chosen)
    except PeopleError:
        raise invalid(f"userName must be the person's e-mail address; '{chosen}' is not one.") from None


def _name(resource: UserModel, email: str, current: str | None) -> str:
    """displayName, name.formatted and givenName + familyName all say the one name Proficio keeps: the
    first that differs from the current name is a change (a PATCH rewrites only one of them)."""
    name = resource.name
    candidates = [_text(resource.display_name)]
    if name is not None:
        candidates.append(_text(name.formatted))
        candidates.append(_given_and_family(_text(name.given_name), _text(name.family_name), current))
    said = [c for c in candidates if c]
    changed = [c for c in said if c != current]
    return (changed or said or [current or email.split("@")[0]])[0]


def _given_and_family(given: str | None, family: str | None, current: str | None) -> str | None:
    """A PATCH of name.familyName alone (a surname change) keeps the given name from the current name,
    taken as all but its last word; and the other way round for name.givenName alone."""
    words = (current or "").split()
    if given and not family and len(words) > 1:
        family = words[-1]
    elif family and not given and len(words) > 1:
        given = " ".join(words[:-1])
    return " ".join(p for p in (given, family) if p) or None


def _unit(session: Session, resource: UserModel, settings: Settings) -> int | None:
    path = _attribute(resource, settings.scim_org_unit_attribute)
    if path is None:
        return None
    found = org_unit_id_by_path(session, path)
    if found is None:
        raise invalid(
            f"No organisation unit '{path}' ({settings.scim_org_unit_attribute}). Create it in Proficio under "
            "Administration → Organisation, or send the path of an existing unit, such as 'Directorate / Team'."
        )
    return found


def _profile(session: Session, resource: UserModel, settings: Settings) -> int | None:
    name = _attribute(resource, settings.scim_job_profile_attribute)
    if name is None:
        return None
    found = session.exec(select(JobProfile.id).where(func.lower(JobProfile.name) == name.lower())).first()
    if found is None:
        raise invalid(
            f"No job profile called '{name}' ({settings.scim_job_profile_attribute}). Create it in Proficio under "
            "Administration → Job profiles, or send the name of an existing one."
        )
    return found


def _manager(session: Session, resource: UserModel) -> int | None:
    extension = resource[EnterpriseUser]
    manager = extension.manager if extension is not None else None
    value = _text(manager.value) if manager is not None else None
    if value is None:
        return None
    person = user_by_scim_id(session, value)
    if person is None:
        raise invalid(f"The manager '{value}' is not a user here: send the manager's SCIM id (the 'id' Proficio returned).")
    return person.id


def preferred_language(value: Any) -> tuple[str | None, bool]:
    """(supported language or None, whether a value was given). RFC 7643 §4.1.1 formats
    preferredLanguage as an Accept-Language value ("fr-CA, fr;q=0.9, en"): the first language the
    interface ships in wins, "fr-BE" and "fr_CA" as "fr". Anything else is the person's preference,
    not a mistake, so it is kept out without an error."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None, False
    found = negotiate(text.replace("_", "-"), default="")
    return found or None, True


def person_fields(
    session: Session, resource: UserModel, *, settings: Settings, current_email: str | None = None, current_name: str | None = None
) -> PersonFields:
    email = _email(resource, current_email)
    # An organisation may have mapped preferredLanguage to a job profile or unit instead (docs/scim.md).
    mapped = "preferredLanguage" in (settings.scim_job_profile_attribute, settings.scim_org_unit_attribute)
    language, language_said = (None, False) if mapped else preferred_language(resource.preferred_language)
    return PersonFields(
        email=email,
        name=_name(resource, email, current_name)[:200],
        external_id=external_id(resource.external_id),
        active=resource.active,
        org_unit_id=_unit(session, resource, settings),
        job_profile_id=_profile(session, resource, settings),
        manager_id=_manager(session, resource),
        language=language,
        language_said=language_said,
    )


def _manager_object(value: Any, base: str) -> Any:
    # Entra ID sends the manager as a bare id string, and without "$ref", which RFC 7643's
    # schema requires: both are completed here so the strict models accept what connectors send.
    if isinstance(value, str):
        value = {"value": value}
    if isinstance(value, dict) and isinstance(value.get("value"), str) and value["value"] and "$ref" not in value:
        value = {**value, "$ref": f"{base}/Users/{value['value']}"}
    return value


def normalise_user(body: dict[str, Any], base: str) -> dict[str, Any]:
    extension = body.get(ENTERPRISE)
    if isinstance(extension, dict) and "manager" in extension:
        body = {**body, ENTERPRISE: {**extension, "manager": _manager_object(extension["manager"], base)}}
    return body


def normalise_patch(body: dict[str, Any], base: str) -> dict[str, Any]:
    """Entra ID's known departures: `active` as "True"/"False", the manager as a bare id."""
    operations = body.get("Operations")
    if not isinstance(operations, list):
        return body
    fixed = []
    for op in operations:
        if isinstance(op, dict):
            path = str(op.get("path") or "")
            value = op.get("value")
            if path.lower() == "active" and isinstance(value, str) and value.lower() in {"true", "false"}:
                op = {**op, "value": value.lower() == "true"}
            elif path.lower() == f"{ENTERPRISE}:manager".lower():
                op = {**op, "value": _manager_object(value, base)}
            elif isinstance(value, dict) and not path:
                op = {**op, "value": normalise_user(value, base)}
        fixed.append(op)
    return {**body, "Operations": fixed}
