"""The public verify page: a pasted or uploaded credential is valid, revoked, tampered with or not
ours, said plainly to someone who is not signed in; and the revocation list it relies on is public."""

from __future__ import annotations

import base64
import gzip
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc.jwk import OKPKey
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.badges.signing import sign
from tests.conftest import csrf_token
from tests.lms.badges.support import b64d, claim, jwt_parts, verified


def _issue(signed_in, db) -> tuple[object, int, dict]:
    browser, user = signed_in()
    credential_id = claim(browser, verified(db, user))
    return browser, credential_id, browser.get(f"/badges/{credential_id}/credential.json").json()


def _check(client, *, text: str = "", png: bytes | None = None) -> str:
    files = {"image": ("badge.png", png, "image/png")} if png is not None else {"image": ("", b"", "application/octet-stream")}
    response = client.post("/badges/verify", data={"text": text, "csrf_token": csrf_token(client)}, files=files)
    assert response.status_code in (200, 422)
    assert response.headers["cache-control"] == "no-store"
    return response.text


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_the_verify_page_answers_valid_tampered_not_ours_and_unreadable(signed_in, client, db):
    browser, credential_id, download = _issue(signed_in, db)
    token = download["jwt"]
    png = browser.get(f"/badges/{credential_id}/badge.png").content
    client.cookies.clear()  # a stranger, not signed in

    assert "Check a digital badge" in client.get("/badges/verify").text
    assert "Valid credential" in _check(client, text=token)
    assert "Valid credential" in _check(client, text=json.dumps(download))
    assert "Valid credential" in _check(client, png=png)

    # A changed level in the signed payload breaks the signature.
    header, payload, signature = token.split(".")
    claims = json.loads(b64d(payload))
    claims["credentialSubject"]["result"][0]["achievedLevel"] = claims["credentialSubject"]["result"][0]["achievedLevel"][:-1] + "8"
    forged = ".".join([header, _b64(json.dumps(claims).encode()), signature])
    assert "Tampered credential" in _check(client, text=forged)
    # A changed readable copy beside an intact JWT is caught too.
    edited = json.loads(json.dumps(download))
    edited["credential"]["name"] = "Something grander"
    assert "Tampered credential" in _check(client, text=json.dumps(edited))

    # Signed properly, but by a key that is not ours (with our kid's shape).
    stranger = OKPKey.generate_key("Ed25519")
    their_header = jwt_parts(token)[0]
    foreign = sign(download["credential"], stranger, "did:web:elsewhere.example#" + stranger.thumbprint())
    assert "Not issued by Proficio" in _check(client, text=foreign)
    assert their_header["kid"].startswith("did:web:testserver#")

    assert "Not a credential we can read" in _check(client, text="hello")
    assert "Not a credential we can read" in _check(client, png=b"\x89PNG\r\n\x1a\nbroken")
    assert "Paste a credential or choose a badge image" in _check(client)


def test_a_revoked_credential_fails_verification_and_the_public_list_says_so(signed_in, client, db):
    browser, credential_id, download = _issue(signed_in, db)
    token = download["jwt"]
    index = int(download["credential"]["credentialStatus"]["statusListIndex"])

    def bit() -> bool:
        listed = client.get("/badges/status/revocation")
        assert listed.status_code == 200 and listed.headers["content-type"].startswith("application/vc+jwt")
        # Checked without our code: the signature against the published key, then the bit itself.
        jwk = next(k for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kid"] == jwt_parts(listed.text)[0]["kid"])
        signing_input, signature = listed.text.rsplit(".", 1)
        Ed25519PublicKey.from_public_bytes(b64d(jwk["x"])).verify(b64d(signature), signing_input.encode())
        subject = jwt_parts(listed.text)[1]["credentialSubject"]
        assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
        bits = gzip.decompress(b64d(subject["encodedList"][1:]))
        assert len(bits) * 8 >= 131072
        return bool(bits[index // 8] & (0x80 >> (index % 8)))

    assert bit() is False
    page = browser.get(f"/badges/{credential_id}")
    assert "Revoke credential" in page.text
    assert browser.post(f"/badges/{credential_id}/revoke", {"reason": "Moved on"}).status_code == 303
    assert "was revoked on" in browser.get(f"/badges/{credential_id}").text
    assert bit() is True
    assert "Revoked credential" in _check(client, text=token)
    assert json.loads(db.exec(select(AuditEvent).where(AuditEvent.action == "badge.revoked")).one().detail)["by_holder"] is True
    # Revoking twice is refused, plainly.
    again = browser.post(f"/badges/{credential_id}/revoke", {"reason": ""})
    assert again.status_code == 303
    assert "already revoked" in browser.get(again.headers["location"]).text


def test_an_admin_finds_and_revokes_a_credential(signed_in, client, db):
    _browser, credential_id, download = _issue(signed_in, db)
    client.cookies.clear()
    admin, _ = signed_in("admin")
    listing = admin.get("/admin/badges?q=user1")
    assert "Competence 4.1" in listing.text and "1 credential" in listing.text
    assert "0 credentials" in admin.get("/admin/badges?q=nobody-at-all").text
    too_long = admin.post(f"/admin/badges/{credential_id}/revoke", {"reason": "x" * 501})
    assert too_long.status_code == 422 and "under 500 characters" in too_long.text
    assert admin.post(f"/admin/badges/{credential_id}/revoke", {"reason": "Issued in error"}).status_code == 303
    assert "Issued in error" in admin.get("/admin/badges").text
    assert "Revoked credential" in _check(client, text=download["jwt"])


def test_keys_and_list_are_public_and_empty_before_any_credential(client):
    assert client.get("/.well-known/jwks.json").json() == {"keys": []}
    assert client.get("/.well-known/did.json").json()["verificationMethod"] == []
    assert client.get("/badges/status/revocation").status_code == 404
