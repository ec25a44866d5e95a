"""The OpenBadgeCredential (Open Badges 3.0 on the W3C Verifiable Credentials Data Model 2.0), built
from plain values: no database here, so the tests can check its shape against 1EdTech's schema."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]


def did_web(base_url: str) -> str:
    """did:web of the app's address: host (its port's colon encoded), then any path as segments."""
    parts = urlsplit(base_url)
    host = quote(parts.netloc, safe="")
    path = [quote(p, safe="") for p in parts.path.strip("/").split("/") if p]
    return ":".join(["did:web", host, *path])


def verification_method(did: str, thumbprint: str) -> str:
    return f"{did}#{thumbprint}"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0's hashed identifier: "sha256$" and the hex SHA-256 of the address followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str


@dataclass(frozen=True)
class AchievementFacts:
    """What was achieved: a competence at a level, tied to its framework's (CASE) URIs."""

    id: str  # the competence's URI in its framework (a CASE item URI)
    name: str
    description: str
    criteria: str
    code: str
    level: int
    level_name: str
    framework_name: str
    framework_uri: str
    language: str  # the language its name and description are written in (OB 3.0 inLanguage)


@dataclass(frozen=True)
class CredentialFacts:
    uuid: str
    issued_at: datetime
    valid_until: datetime | None
    email: str
    salt: str
    status_list_url: str
    status_index: int


def achievement(facts: AchievementFacts) -> dict:
    level_id = f"{facts.id}#level-{facts.level}"
    return {
        "id": facts.id,
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": facts.name,
        "description": facts.description or facts.name,
        "criteria": {"narrative": facts.criteria},
        "humanCode": facts.code,
        "inLanguage": facts.language,
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": facts.name,
                "targetUrl": facts.id,
                "targetCode": facts.code,
                "targetFramework": facts.framework_name,
                "targetType": "CFItem",
            }
        ],
        "resultDescription": [
            {
                "id": f"{facts.id}#levels",
                "type": ["ResultDescription"],
                "name": "Proficiency level",
                "resultType": "RubricCriterionLevel",
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": facts.framework_name,
                        "targetUrl": facts.framework_uri,
                        "targetType": "ext:CFDocument",
                    }
                ],
                "rubricCriterionLevel": [
                    {"id": level_id, "type": ["RubricCriterionLevel"], "name": facts.level_name, "level": str(facts.level)}
                ],
            }
        ],
    }


def course_achievement(*, url: str, title: str, summary: str, criteria: str, language: str) -> dict:
    """A completed course: the achievement's id is the course's page in the catalogue."""
    return {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": title,
        "description": summary or title,
        "criteria": {"id": url, "narrative": criteria},
        "inLanguage": language,
    }


def competence_result(what: AchievementFacts) -> list[dict]:
    return [{"type": ["Result"], "resultDescription": f"{what.id}#levels", "achievedLevel": f"{what.id}#level-{what.level}"}]


def open_badge_credential(issuer: Issuer, subject: CredentialFacts, what: dict, result: list[dict] | None = None) -> dict:
    credential: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{subject.uuid}",
        "type": list(CREDENTIAL_TYPE),
        "name": what["name"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": iso(subject.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(subject.email, subject.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": subject.salt,
                }
            ],
            "achievement": what,
        },
        "credentialStatus": {
            "id": f"{subject.status_list_url}#{subject.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(subject.status_index),
            "statusListCredential": subject.status_list_url,
        },
    }
    if result:
        credential["credentialSubject"]["result"] = result
    if subject.valid_until is not None:
        credential["validUntil"] = iso(subject.valid_until)
    return credential
