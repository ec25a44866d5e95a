"""A real OpenID provider (oidc-provider-mock, a Flask app on loopback) and the app pointed at it.

The provider runs for the module; each test gives its people claims with PUT /users/{sub}, the way the
provider's own API does, and signs in through its real authorization form and token endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from starlette.testclient import TestClient

CLIENT_ID = "proficio-tests"
PROVIDER_NAME = "Example ID"


@dataclass
class Provider:
    url: str

    def set_user(self, sub: str, **claims: object) -> None:
        response = httpx.put(f"{self.url}/users/{sub}", json=claims)
        assert response.status_code == 204, response.text


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with run_server_in_thread(require_nonce=True) as server:
        yield Provider(f"http://localhost:{server.server_port}")


@pytest.fixture(scope="module")
def skewed_provider() -> Iterator[Provider]:
    """A provider whose ID tokens expired ten minutes before they were issued: a clock far off ours."""
    with run_server_in_thread(require_nonce=True, access_token_max_age=timedelta(seconds=-600)) as server:
        yield Provider(f"http://localhost:{server.server_port}")


@pytest.fixture
def settings(settings, provider):
    return settings.model_copy(
        update={
            "oidc_issuer": provider.url,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": "client-secret-for-tests",
            "oidc_provider_name": PROVIDER_NAME,
        }
    )


@pytest.fixture
def configure(app):
    """configure(**settings): change the running app's settings for this test (as a restart with them would)."""

    def _configure(**changes: object) -> None:
        app.state.settings = app.state.settings.model_copy(update=changes)

    return _configure


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def start(client: TestClient, next: str | None = None) -> str:
    """GET /login/sso; returns the provider's authorization URL it sends the browser to."""
    response = client.get("/login/sso", params={"next": next} if next else None)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def authorize(authorize_url: str, sub: str | None = None, *, deny: bool = False) -> str:
    """The person at the provider: its form, then Authorize as ``sub`` (or Deny). Returns our callback URL."""
    with httpx.Client() as http:
        form = http.get(authorize_url)
        assert form.status_code == 200, form.text
        answer = http.post(authorize_url, data={"action": "deny"} if deny else {"sub": sub})
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def sso_sign_in(client: TestClient, sub: str, *, next: str | None = None):
    """The whole round trip; returns the callback's response."""
    return client.get(authorize(start(client, next), sub))
