"""Talking to the organisation's OpenID provider: discovery, the authorization request, the code
exchange and the ID token's checks, through Authlib (the OAuth client) and joserfc (Authlib's JOSE
library, which its own ``authlib.jose`` now defers to). Nothing here touches the database: the routes
call it between their database work, so a slow provider never holds a connection."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2 as httpx

from lms.config import Settings
from lms.sso import errors
from lms.sso.errors import SsoError

# Authlib and joserfc (with cryptography) take 10 MB in a process: they are imported by the first
# sign-in through the provider, not by every server, most of which never see one.
if TYPE_CHECKING:
    from authlib.integrations.httpx_client import AsyncOAuth2Client
    from joserfc.jwk import KeySet

# Provider metadata and signing keys change rarely; an unknown key id fetches the keys again at once.
DISCOVERY_TTL_SECONDS = 3600
HTTP_TIMEOUT_SECONDS = 10.0
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    token_auth_method: str
    fetched_at: float


@dataclass(frozen=True)
class Attempt:
    """The per-attempt secrets, kept in a signed cookie until the provider sends the browser back."""

    state: str
    nonce: str
    code_verifier: str
    next: str


# httpx2 is what Authlib's client runs on (its fallback to the older httpx is deprecated), so our own
# requests to the provider use it too, and one family of errors covers both.
HTTP_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError,)
HTTP_STATUS_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPStatusError,)

_providers: dict[str, Provider] = {}
_key_sets: dict[str, dict[str, Any]] = {}


def provider_origin(issuer: str) -> str:
    """scheme://host[:port] of the provider (for the CSP's form-action); empty when single sign-on is off."""
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}" if issuer and parts.scheme in {"http", "https"} and parts.netloc else ""


def provider_label(settings: Settings) -> str:
    return settings.oidc_provider_name or settings.org_name


async def _get_json(url: str, *, label: str, where: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
            response = await http.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise errors.provider_unreachable(label, where) from exc
    if response.status_code >= 500:
        raise errors.provider_unreachable(label, f"{where}: HTTP {response.status_code}")
    try:
        document = response.json()
    except ValueError:
        document = None
    if response.status_code != 200 or not isinstance(document, dict):
        raise errors.provider_unusable(label, f"{where}: HTTP {response.status_code}")
    return document


async def discover(settings: Settings) -> Provider:
    """The provider's metadata from OIDC_ISSUER/.well-known/openid-configuration, cached for an hour."""
    issuer = settings.oidc_issuer.rstrip("/")
    cached = _providers.get(issuer)
    if cached is not None and time.monotonic() - cached.fetched_at < DISCOVERY_TTL_SECONDS:
        return cached
    label = provider_label(settings)
    doc = await _get_json(f"{issuer}/.well-known/openid-configuration", label=label, where="discovery")
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(isinstance(doc.get(k), str) and doc[k] for k in required):
        raise errors.provider_unusable(label, "discovery: missing endpoints")
    # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
    if doc["issuer"].rstrip("/") != issuer:
        raise errors.provider_unusable(label, f"discovery: issuer {doc['issuer']!r} is not OIDC_ISSUER")
    methods = doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    provider = Provider(
        issuer=doc["issuer"],
        authorization_endpoint=doc["authorization_endpoint"],
        token_endpoint=doc["token_endpoint"],
        jwks_uri=doc["jwks_uri"],
        end_session_endpoint=doc.get("end_session_endpoint") or "",
        token_auth_method="client_secret_basic" if "client_secret_basic" in methods else "client_secret_post",
        fetched_at=time.monotonic(),
    )
    _providers[issuer] = provider
    return provider


def _oauth_client(settings: Settings, provider: Provider, redirect_uri: str) -> AsyncOAuth2Client:
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    return AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret or None,
        scope=settings.oidc_scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=provider.token_auth_method if settings.oidc_client_secret else "none",
        timeout=HTTP_TIMEOUT_SECONDS,
    )


async def authorization_request(settings: Settings, provider: Provider, *, redirect_uri: str, next: str) -> tuple[str, Attempt]:
    """The provider's authorization URL (code flow, PKCE S256, state, nonce) and the secrets to keep."""
    from authlib.common.security import generate_token

    attempt = Attempt(state=generate_token(32), nonce=generate_token(32), code_verifier=generate_token(64), next=next)
    async with _oauth_client(settings, provider, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            provider.authorization_endpoint, state=attempt.state, code_verifier=attempt.code_verifier, nonce=attempt.nonce
        )
    return url, attempt


async def exchange_code(settings: Settings, provider: Provider, *, code: str, attempt: Attempt, redirect_uri: str) -> str:
    """Trade the authorization code (with the PKCE verifier) for tokens; returns the ID token."""
    from authlib.integrations.base_client.errors import OAuthError

    label = provider_label(settings)
    try:
        async with _oauth_client(settings, provider, redirect_uri) as client:
            token = await client.fetch_token(
                provider.token_endpoint, grant_type="authorization_code", code=code, code_verifier=attempt.code_verifier
            )
    except OAuthError as exc:
        # invalid_grant: the code was used before, has expired, or the verifier does not match it.
        if exc.error == "invalid_grant":
            raise errors.code_rejected(label, exc.error) from exc
        raise errors.provider_refused(label, str(exc.error)) from exc
    except HTTP_STATUS_ERRORS as exc:
        status = getattr(getattr(exc, "response", None), "status_code", "?")
        raise errors.provider_unreachable(label, f"token endpoint: HTTP {status}") from exc
    except HTTP_ERRORS as exc:
        raise errors.provider_unreachable(label, "token endpoint") from exc
    except ValueError as exc:
        raise errors.provider_unusable(label, "token endpoint") from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise errors.provider_unusable(label, "token endpoint: no ID token (is 'openid' in OIDC_SCOPES?)")
    return id_token


async def _key_set(settings: Settings, provider: Provider, *, refresh: bool) -> KeySet:
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    keys = _key_sets.get(provider.jwks_uri)
    if keys is None or refresh:
        keys = await _get_json(provider.jwks_uri, label=provider_label(settings), where="signing keys")
        _key_sets[provider.jwks_uri] = keys
    try:
        return KeySet.import_key_set(keys)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise errors.provider_unusable(provider_label(settings), "signing keys") from exc


async def id_token_claims(settings: Settings, provider: Provider, *, id_token: str, attempt: Attempt) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, times and nonce have been checked."""
    from joserfc import jwt
    from joserfc.errors import ExpiredTokenError, InvalidClaimError, InvalidKeyIdError, JoseError

    label = provider_label(settings)
    try:
        try:
            decoded = jwt.decode(id_token, await _key_set(settings, provider, refresh=False), algorithms=SIGNING_ALGORITHMS)
        except InvalidKeyIdError:
            # The provider has rotated its keys since we fetched them.
            decoded = jwt.decode(id_token, await _key_set(settings, provider, refresh=True), algorithms=SIGNING_ALGORITHMS)
    except SsoError:
        raise  # the keys could not be had; SsoError is a ValueError, so it must pass the next clause
    except JoseError as exc:
        raise errors.token_invalid(label, f"signature: {exc.error}") from exc
    except ValueError as exc:
        raise errors.token_invalid(label, "not a signed token") from exc
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=settings.oidc_clock_skew_seconds,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": settings.oidc_client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": attempt.nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise errors.clock_skew(label, "exp") from exc
    except InvalidClaimError as exc:
        if exc.claim in {"iat", "nbf"}:
            raise errors.clock_skew(label, exc.claim) from exc
        if exc.claim == "nonce":
            raise errors.nonce_mismatch(label) from exc
        raise errors.token_invalid(label, f"claim {exc.claim}") from exc
    except JoseError as exc:
        raise errors.token_invalid(label, str(exc)) from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # OpenID Connect Core 3.1.3.7: with several audiences, the token must have been issued to us.
    if len(audiences) > 1 and claims.get("azp") != settings.oidc_client_id:
        raise errors.token_invalid(label, "claim azp")
    return claims


def cache_clear() -> None:
    """Forget every provider's metadata and keys, as a restart would."""
    _providers.clear()
    _key_sets.clear()
