"""Building xAPI 1.0.3 statements from plain values: who, which verb, which activity, what result.

Verbs are the ADL registry's IRIs; activity ids are addresses under the app's base URL (or, for a
competence, its CASE URI), so an analytics team can follow them back. Nothing here reads the
database: callers pass what they know, and lms.xapi.service queues the result.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lms.config import Settings

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: dict[str, str] = {
    "launched": ADL + "launched",
    "experienced": ADL + "experienced",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "answered": ADL + "answered",
    # Neither is among ADL's first verbs; both are the IRIs ADL's vocabulary registry lists.
    "rated": "http://id.tincanapi.com/verb/rated",
    "achieved": "https://w3id.org/xapi/dod-isd/verbs/achieved",
}

ACTIVITY = "http://adlnet.gov/expapi/activities/"
COURSE = ACTIVITY + "course"
LESSON = ACTIVITY + "lesson"
ASSESSMENT = ACTIVITY + "assessment"
QUESTION = ACTIVITY + "cmi.interaction"
COMPETENCE = ACTIVITY + "objective"
PLATFORM = "Proficio"
# Result extension carrying the competence level reached (0 to 5 in Proficio's frameworks).
LEVEL_EXTENSION = "https://w3id.org/xapi/proficio/extensions/level"


@dataclass(frozen=True)
class Activity:
    id: str  # an IRI
    type: str
    name: str
    lang: str = "en"  # the language of name and description: the content's own
    # Its versions in other languages, (language, text): xAPI's name and description are language maps,
    # so an LRS shows each reader the activity in theirs.
    names: tuple[tuple[str, str], ...] = ()
    description: str = ""
    descriptions: tuple[tuple[str, str], ...] = ()

    def as_object(self) -> dict[str, Any]:
        definition: dict[str, Any] = {"type": self.type}
        if self.name:
            definition["name"] = _language_map(self.lang, self.name, self.names)
        if self.description:
            definition["description"] = _language_map(self.lang, self.description, self.descriptions)
        return {"objectType": "Activity", "id": self.id, "definition": definition}


def _language_map(lang: str, text: str, versions: tuple[tuple[str, str], ...]) -> dict[str, str]:
    own = lang or "en"
    return {own: text, **{language: version for language, version in versions if version and language != own}}


def actor_of(settings: Settings, *, user_id: int, email: str) -> dict[str, Any]:
    """The person as an Agent: an account named by their id (stable, not their e-mail), unless the
    organisation chose mbox (XAPI_ACTOR_MBOX)."""
    if settings.xapi_actor_mbox:
        return {"objectType": "Agent", "mbox": f"mailto:{email}"}
    return {"objectType": "Agent", "account": {"homePage": settings.xapi_homepage, "name": str(user_id)}}


def timestamp(at: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and Z, as LRSs store them."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def score_result(*, raw: float, maximum: float, success: bool | None = None, completion: bool | None = None) -> dict[str, Any]:
    """A result with its score: scaled is raw / max, kept within xAPI's -1..1."""
    scaled = max(-1.0, min(1.0, raw / maximum)) if maximum > 0 else 0.0
    score: dict[str, Any] = {"raw": raw, "min": 0, "max": maximum, "scaled": round(scaled, 4)}
    result: dict[str, Any] = {"score": score}
    if success is not None:
        result["success"] = success
    if completion is not None:
        result["completion"] = completion
    return result


def statement_build(
    *,
    actor: dict[str, Any],
    verb: str,
    activity: Activity,
    at: datetime,
    parent: Activity | None = None,
    result: dict[str, Any] | None = None,
    statement_id: str | None = None,
) -> dict[str, Any]:
    """One statement; its id is chosen here and never again (the LRS's idempotency key)."""
    if verb not in VERBS:
        raise ValueError(f"unknown xAPI verb {verb!r}")
    statement: dict[str, Any] = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en": verb}},
        "object": activity.as_object(),
        "timestamp": timestamp(at),
    }
    context: dict[str, Any] = {"platform": PLATFORM}
    if activity.lang:
        context["language"] = activity.lang
    if parent is not None:
        context["contextActivities"] = {"parent": [parent.as_object()]}
    statement["context"] = context
    if result:
        statement["result"] = result
    return statement
