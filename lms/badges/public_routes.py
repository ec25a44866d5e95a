"""What anyone may read without signing in: our public keys (JWKS and the did:web document), the
revocation list, and the page that checks a credential someone shows."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from starlette.responses import Response

from lms.badges.credential import verification_method
from lms.badges.deps import Issuing
from lms.badges.keys import existing_signing_key, published_keys
from lms.badges.png import MAX_PNG_BYTES
from lms.badges.selectors import revoked_indices
from lms.badges.service import STATUS_PATH
from lms.badges.signing import sign
from lms.badges.status_list import encode, status_list_credential
from lms.badges.verify import MAX_TEXT, Outcome, Verdict, token_from_png, token_from_text, verify_token
from lms.clock import utcnow
from lms.i18n import gettext
from lms.web.access import Access, policy
from lms.web.deps import DbSession
from lms.web.limits import body_limit
from lms.web.templating import render

router = APIRouter()

# Keys and the list change rarely but must not be cached long: a revocation should show within minutes.
SHORT_CACHE = {"Cache-Control": "public, max-age=300"}
# A verdict is about this moment; a page per credential is nothing for a search engine to list.
VERIFY_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def _jwks(db: DbSession, issuer: Issuing) -> list[dict]:
    return [
        {**key.public_jwk, "kid": verification_method(issuer.did, key.thumbprint), "alg": "EdDSA", "use": "sig"}
        for key in published_keys(db)
    ]


def _json(document: dict, media_type: str = "application/json") -> Response:
    return Response(json.dumps(document, indent=2), media_type=media_type, headers=SHORT_CACHE)


@router.get("/.well-known/jwks.json", dependencies=[policy(Access.PUBLIC)])
def jwks(db: DbSession, issuer: Issuing) -> Response:
    return _json({"keys": _jwks(db, issuer)}, "application/jwk-set+json")


@router.get("/.well-known/did.json", dependencies=[policy(Access.PUBLIC)])
def did_document(db: DbSession, issuer: Issuing) -> Response:
    methods = [
        {
            "id": jwk["kid"],
            "type": "JsonWebKey2020",
            "controller": issuer.did,
            "publicKeyJwk": {k: jwk[k] for k in ("kty", "crv", "x")},
        }
        for jwk in _jwks(db, issuer)
    ]
    ids = [m["id"] for m in methods]
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        "id": issuer.did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
    return _json(document, "application/did+json")


@router.get(STATUS_PATH, dependencies=[policy(Access.PUBLIC)])
def status_list(db: DbSession, issuer: Issuing) -> Response:
    key = existing_signing_key(db, directory=issuer.keys_dir, secret=issuer.secret)
    if key is None:
        raise HTTPException(status_code=404, detail=gettext("No credentials have been issued yet."))
    document = status_list_credential(
        issuer_did=issuer.did, url=issuer.status_list_url, encoded=encode(revoked_indices(db)), now=utcnow().replace(microsecond=0)
    )
    token = sign(document, key.private, verification_method(issuer.did, key.row.thumbprint))
    return Response(token, media_type="application/vc+jwt", headers=SHORT_CACHE)


@router.get("/badges/verify", dependencies=[policy(Access.PUBLIC)])
def verify_form(request: Request) -> Response:
    return render(request, "badges/verify.html", {"verdict": None, "errors": {}, "text": ""}, headers=VERIFY_HEADERS)


@router.post("/badges/verify", dependencies=[policy(Access.PUBLIC)])
@body_limit(MAX_PNG_BYTES)
def verify_check(
    request: Request,
    db: DbSession,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    image: Annotated[UploadFile | None, File()] = None,
) -> Response:
    data = image.file.read(MAX_PNG_BYTES + 1) if image is not None else b""
    errors: dict[str, str] = {}
    verdict: Verdict | None = None
    if not text.strip() and not data:
        errors["text"] = gettext("Paste a credential or choose a badge image to check.")
    else:
        try:
            token, shown = token_from_text(text) if text.strip() else (token_from_png(data), None)
        except ValueError:
            verdict = Verdict(Outcome.UNREADABLE)
        else:
            verdict = verify_token(db, token, utcnow(), shown=shown)
    context = {"verdict": verdict, "errors": errors, "text": text if verdict is None or not verdict.credential else ""}
    return render(request, "badges/verify.html", context, status_code=422 if errors else 200, headers=VERIFY_HEADERS)
