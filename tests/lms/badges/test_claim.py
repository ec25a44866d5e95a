"""Claiming an Open Badges 3.0 credential for a verified level: what is issued, how it is signed,
and what a person downloads. The credential is checked against 1EdTech's own JSON schema, and its
signature with `cryptography` against the key we publish, not with the library that signed it."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import jsonschema
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.competences.framework_case import derived_id
from lms.competences.models import Framework
from lms.competences.service import evidence_record
from tests.lms.badges.support import b64d, claim, jwt_parts, png_text_chunks, verified

SCHEMA = json.loads((Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential.json").read_text())


def _download(browser, credential_id: int) -> dict:
    response = browser.get(f"/badges/{credential_id}/credential.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    return response.json()


def test_a_verified_level_gives_a_signed_open_badge_that_matches_the_schema(signed_in, db, settings):
    browser, user = signed_in()
    competence = verified(db, user, level=3)
    assert 'href="/badges"' in browser.get("/skills").text
    detail = browser.get(f"/skills/{competence.id}").text
    assert "Claim a credential" in detail and f'name="competence_id" value="{competence.id}"' in detail
    credential_id = claim(browser, competence)

    page = browser.get(f"/badges/{credential_id}")
    assert "Competence 4.1" in page.text and "Badge image (PNG)" in page.text
    download = _download(browser, credential_id)
    token, credential = download["jwt"], download["credential"]

    # 1EdTech's schema for OpenBadgeCredential / AchievementCredential (VC Data Model 2.0).
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]
    assert errors == []

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:testserver"
    assert credential["issuer"]["type"] == ["Profile"]
    subject = credential["credentialSubject"]
    identity = subject["identifier"][0]
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"
    assert identity["identityHash"] == "sha256$" + hashlib.sha256((user.email + identity["salt"]).encode()).hexdigest()
    assert user.email not in json.dumps(credential)
    achievement = subject["achievement"]
    # The competence's CASE item URI (derived from its codes, as the framework's CASE package says).
    framework = db.get(Framework, competence.framework_id)
    assert achievement["id"] == f"http://testserver/ims/case/v1p0/uri/{derived_id('framework', framework.code, 'competence', '4.1')}"
    assert achievement["id"] == achievement["alignment"][0]["targetUrl"]
    assert achievement["humanCode"] == "4.1" and achievement["criteria"]["narrative"]
    assert subject["result"][0]["achievedLevel"].endswith("#level-3")
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://testserver/badges/status/revocation"

    # VC-JWT: the payload is the credential plus the registered claims.
    header, payload = jwt_parts(token)
    assert header["alg"] == "EdDSA"
    assert {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "exp")} == credential
    assert payload["iss"] == "did:web:testserver" and payload["jti"] == credential["id"]

    # An independent check of the signature, against the published key set and the did:web document.
    jwks = browser.get("/.well-known/jwks.json").json()["keys"]
    key = next(k for k in jwks if k["kid"] == header["kid"])
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    signing_input, signature = token.rsplit(".", 1)
    Ed25519PublicKey.from_public_bytes(b64d(key["x"])).verify(b64d(signature), signing_input.encode())
    did = browser.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:testserver"
    method = next(m for m in did["verificationMethod"] if m["id"] == header["kid"])
    assert method["publicKeyJwk"]["x"] == key["x"] and header["kid"] in did["assertionMethod"]

    # The PNG carries the same credential in an iTXt chunk named openbadgecredential.
    png = browser.get(f"/badges/{credential_id}/badge.png")
    assert png.headers["content-type"] == "image/png"
    assert png_text_chunks(png.content)[b"openbadgecredential"].decode() == token

    # The private key: encrypted, outside the web root, readable by its owner only.
    (key_path,) = settings.badge_keys_path.glob("ed25519-*.pem")
    assert b"ENCRYPTED PRIVATE KEY" in key_path.read_bytes()
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert "static" not in key_path.parts

    events = db.exec(select(AuditEvent).where(AuditEvent.action == "badge.issued")).all()
    assert [e.actor_id for e in events] == [user.id]


def test_claiming_again_gives_the_same_credential_and_a_higher_level_a_new_one(signed_in, db):
    browser, user = signed_in()
    competence = verified(db, user, level=2)
    first = claim(browser, competence)
    page = browser.get("/badges")
    assert f'href="/badges/{first}"' in page.text and f'value="{competence.id}"' not in page.text
    again = browser.post("/badges/claim", {"competence_id": str(competence.id)})
    assert again.headers["location"] == f"/badges/{first}"
    evidence_record(db, user=user, competence=competence, level=4, source="quiz", by=None)
    db.commit()
    second = claim(browser, competence)
    assert second != first
    assert jwt_parts(_download(browser, second)["jwt"])[1]["credentialSubject"]["result"][0]["achievedLevel"].endswith("#level-4")


def test_a_self_assessed_level_offers_no_credential(signed_in, db):
    browser, user = signed_in()
    competence = verified(db, user, level=5, source="self")
    page = browser.get("/badges")
    assert "Claim a credential" not in page.text
    assert "Claim a credential" not in browser.get(f"/skills/{competence.id}").text
    assert "You hold no verified level yet" in page.text
    refused = browser.post("/badges/claim", {"competence_id": str(competence.id)})
    assert refused.status_code == 422
    assert "only for a competence where you hold a verified level" in refused.text
    assert browser.get("/badges").text.count("/badges/1") == 0


def test_the_competence_uri_is_the_case_identifier_when_the_framework_has_one(signed_in, db):
    browser, user = signed_in()
    competence = verified(db, user)
    competence.case_id = "0b9c1e52-3f6b-4b0e-9a57-2d1c9b6f1a11"
    db.add(competence)
    db.commit()
    download = _download(browser, claim(browser, competence))
    assert download["credential"]["credentialSubject"]["achievement"]["id"] == (
        "http://testserver/ims/case/v1p0/uri/0b9c1e52-3f6b-4b0e-9a57-2d1c9b6f1a11"
    )


def test_someone_elses_credential_is_not_found(signed_in, client, make_user, db):
    browser, user = signed_in()
    credential_id = claim(browser, verified(db, user))
    client.cookies.clear()
    other, _ = signed_in()
    for url in (f"/badges/{credential_id}", f"/badges/{credential_id}/credential.json", f"/badges/{credential_id}/badge.png"):
        assert other.get(url).status_code == 404
    assert other.post(f"/badges/{credential_id}/revoke", {"reason": ""}).status_code == 404
