"""How the client (lms/sso/client.py) takes each answer a provider can give, against a plain HTTP
server on loopback that answers exactly what each test sets: broken discovery documents, token
endpoint errors, rotated keys and ID tokens that fail one check each. No database needed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from lms.config import Settings
from lms.sso import client
from lms.sso.client import Attempt
from lms.sso.errors import SsoError
from lms.sso.service import profile_from_claims
from tests.support.event_loop import run_coroutine

CLIENT_ID = "proficio-unit"
NONCE = "the-nonce-of-this-attempt"
ATTEMPT = Attempt(state="s", nonce=NONCE, code_verifier="v" * 64, next="/")


class FakeProvider:
    """Answers GETs and POSTs from ``routes`` (path -> (status, body)); keeps what it was sent."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, object]] = {}
        self.requests: list[tuple[str, str, str, dict[str, str]]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                provider.requests.append((self.command, self.path, body, dict(self.headers)))
                status, payload = provider.routes.get(self.path.split("?")[0], (404, "not here"))
                raw = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if isinstance(payload, str) else "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.discovery()
        self.routes["/jwks"] = (200, {"keys": [self.key.as_dict(private=False)]})

    def discovery(self, **changes: object) -> None:
        doc = {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            **changes,
        }
        self.routes["/.well-known/openid-configuration"] = (200, {k: v for k, v in doc.items() if v is not None})

    def id_token(self, key: RSAKey | None = None, **changes: object) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "sub": "person-1", "iat": now, "exp": now + 300, "nonce": NONCE, **changes}
        key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, {k: v for k, v in claims.items() if v is not None}, key)

    def tokens(self, id_token: str | None) -> None:
        self.routes["/token"] = (200, {"access_token": "at", "token_type": "Bearer", **({"id_token": id_token} if id_token else {})})


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    client.cache_clear()  # a port used by an earlier test's provider may come round again
    provider = FakeProvider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def settings_for(fake: FakeProvider, **changes: object) -> Settings:
    return Settings(
        oidc_issuer=fake.url, oidc_client_id=CLIENT_ID, oidc_client_secret="secret", oidc_provider_name="Fake ID", **changes
    )


def sign_in_claims(fake: FakeProvider, settings: Settings | None = None) -> dict:
    settings = settings or settings_for(fake)

    async def run() -> dict:
        provider = await client.discover(settings)
        id_token = await client.exchange_code(settings, provider, code="c", attempt=ATTEMPT, redirect_uri="http://testserver/cb")
        return await client.id_token_claims(settings, provider, id_token=id_token, attempt=ATTEMPT)

    return run_coroutine(run())


def refused(fake: FakeProvider, settings: Settings | None = None) -> SsoError:
    with pytest.raises(SsoError) as caught:
        sign_in_claims(fake, settings)
    return caught.value


def test_a_good_answer_gives_the_claims_and_discovery_is_kept(fake):
    fake.tokens(fake.id_token(email="a@example.gov"))
    assert sign_in_claims(fake)["email"] == "a@example.gov"
    assert sign_in_claims(fake)["sub"] == "person-1"
    discoveries = [r for r in fake.requests if r[1] == "/.well-known/openid-configuration"]
    assert len(discoveries) == 1
    token_request = next(r for r in fake.requests if r[1] == "/token")
    form = parse_qs(token_request[2])
    assert form["grant_type"] == ["authorization_code"] and form["code_verifier"] == ["v" * 64]
    assert token_request[3]["Authorization"].startswith("Basic ")  # client_secret_basic by default


def test_a_provider_that_takes_the_secret_only_in_the_form_gets_it_there(fake):
    fake.discovery(token_endpoint_auth_methods_supported=["client_secret_post"])
    fake.tokens(fake.id_token())
    sign_in_claims(fake)
    form = parse_qs(next(r for r in fake.requests if r[1] == "/token")[2])
    assert form["client_id"] == [CLIENT_ID] and form["client_secret"] == ["secret"]


@pytest.mark.parametrize(
    ("answer", "reason", "where"),
    [
        ((500, "down"), "provider_unreachable", "discovery: HTTP 500"),
        ((404, "<html>no</html>"), "provider_error", "discovery: HTTP 404"),
        ((200, {"issuer": "x"}), "provider_error", "discovery: missing endpoints"),
    ],
)
def test_a_broken_discovery_document_is_refused(fake, answer, reason, where):
    fake.routes["/.well-known/openid-configuration"] = answer
    error = refused(fake)
    assert (error.reason, error.detail["where"], error.status) == (reason, where, 502)


def test_a_discovery_document_for_another_issuer_is_refused(fake):
    fake.discovery(issuer="https://someone-else.example")
    error = refused(fake)
    assert error.reason == "provider_error" and "is not OIDC_ISSUER" in error.detail["where"]


@pytest.mark.parametrize(
    ("answer", "reason", "where"),
    [
        ((400, {"error": "unauthorized_client"}), "provider_refused", None),
        ((503, "busy"), "provider_unreachable", "token endpoint: HTTP 503"),
        ((200, "<html>a login page</html>"), "provider_error", "token endpoint"),
        ((200, {"access_token": "at", "token_type": "Bearer"}), "provider_error", "token endpoint: no ID token"),
    ],
)
def test_token_endpoint_answers_that_are_not_tokens(fake, answer, reason, where):
    fake.routes["/token"] = answer
    error = refused(fake)
    assert error.reason == reason
    if where:
        assert error.detail["where"].startswith(where)


def test_a_rotated_signing_key_is_fetched_again(fake):
    new_key = RSAKey.generate_key(2048, parameters={"kid": "key-2", "use": "sig"})
    fake.tokens(fake.id_token())
    sign_in_claims(fake)  # keys fetched and kept
    fake.routes["/jwks"] = (200, {"keys": [fake.key.as_dict(private=False), new_key.as_dict(private=False)]})
    fake.tokens(fake.id_token(key=new_key))
    assert sign_in_claims(fake)["sub"] == "person-1"
    assert len([r for r in fake.requests if r[1] == "/jwks"]) == 2


def test_unusable_signing_keys_are_refused(fake):
    fake.routes["/jwks"] = (200, {"keys": [{"kty": "nonsense"}]})
    fake.tokens(fake.id_token())
    error = refused(fake)
    assert (error.reason, error.detail) == ("provider_error", {"where": "signing keys"}), (error.reason, error.detail)


@pytest.mark.parametrize(
    ("token", "reason", "detail"),
    [
        (lambda f: "not-a-token", "token_invalid", "decode_error"),
        (lambda f: f.id_token(key=RSAKey.generate_key(2048, parameters={"kid": "key-1"})), "token_invalid", "signature"),
        (lambda f: f.id_token(aud="another-client"), "token_invalid", "claim aud"),
        (lambda f: f.id_token(iss="https://someone-else.example"), "token_invalid", "claim iss"),
        (lambda f: f.id_token(aud=[CLIENT_ID, "another-client"]), "token_invalid", "claim azp"),
        (lambda f: f.id_token(sub=None), "token_invalid", "sub"),
        (lambda f: f.id_token(iat=int(time.time()) + 3600), "clock_skew", None),
        (lambda f: f.id_token(nonce="another"), "nonce_mismatch", None),
    ],
)
def test_id_tokens_failing_one_check_are_refused(fake, token, reason, detail):
    fake.tokens(token(fake))
    error = refused(fake)
    assert error.reason == reason
    if detail:
        assert detail in error.detail["problem"]


def test_several_audiences_are_fine_when_the_token_was_issued_to_us(fake):
    fake.tokens(fake.id_token(aud=[CLIENT_ID, "another-client"], azp=CLIENT_ID))
    assert sign_in_claims(fake)["azp"] == CLIENT_ID


def test_a_token_a_little_off_our_clock_is_taken_within_the_skew(fake):
    fake.tokens(fake.id_token(iat=int(time.time()) + 60, exp=int(time.time()) - 60))
    assert sign_in_claims(fake, settings_for(fake, oidc_clock_skew_seconds=120))["sub"] == "person-1"


def test_claims_under_the_configured_names(fake):
    settings = settings_for(fake, oidc_claim_subject="oid", oidc_claim_groups="roles", oidc_claim_org_unit="department")
    profile = profile_from_claims(
        {"sub": "pairwise", "oid": "object-id", "roles": "LMS.Trainer", "department": ["Data Team"], "email_verified": "true"},
        issuer=fake.url,
        settings=settings,
    )
    assert (profile.subject, profile.groups, profile.org_unit, profile.email_verified) == (
        "object-id",
        ["LMS.Trainer"],
        "Data Team",
        True,
    )
    assert profile.email is None and profile.name is None and not profile.groups_overflow
    with pytest.raises(SsoError) as caught:
        profile_from_claims({"sub": "pairwise"}, issuer=fake.url, settings=settings)
    assert caught.value.reason == "token_invalid" and "no oid claim" in caught.value.detail["problem"]
