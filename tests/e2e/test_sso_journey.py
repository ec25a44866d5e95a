"""Single sign-on in Chromium: through a real OpenID provider and back, sign out through it, and the
pages a person sees on the way (sign-in page with the provider's button, a refusal) are axe-clean.

Its own `lms serve`, configured for single sign-on by environment as an operator would, so the other
browser tests keep their password-only server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect

from tests.e2e.support.pages import check_page, visit
from tests.e2e.support.server import LiveServer

PROVIDER_NAME = "Example ID"
PERSON = "robin.sso@example.gov"

pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


@pytest.fixture(scope="module")
def provider_url() -> Iterator[str]:
    with run_server_in_thread(require_nonce=True) as server:
        url = f"http://localhost:{server.server_port}"
        claims = {"email": PERSON, "email_verified": True, "name": "Robin Sso"}
        assert httpx.put(f"{url}/users/robin-1", json=claims).status_code == 204
        yield url


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory, provider_url) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("e2e-sso-server"))
    server.env.update(
        {
            "OIDC_ISSUER": provider_url,
            "OIDC_CLIENT_ID": "proficio-e2e",
            "OIDC_CLIENT_SECRET": "e2e-client-secret",
            "OIDC_PROVIDER_NAME": PROVIDER_NAME,
            # Passwords for the named administrator only: the sign-in page then has both ways in.
            "AUTH_LOCAL_PASSWORDS": "admins",
            "AUTH_BREAK_GLASS_ADMINS": "root@example.gov",
        }
    )
    server.lms("db", "upgrade")
    server.lms("users", "create", "--email", PERSON, "--name", "Robin Sso", "--invite")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sso_page(page: Page, sso_server: LiveServer) -> Page:
    # The provider's pages pull a stylesheet from a CDN, unreachable here; its look is not under test.
    page.route(re.compile(r"^https://cdn\.jsdelivr\.net/"), lambda route: route.fulfill(status=200, body="", content_type="text/css"))
    page._sso_base = sso_server.url  # type: ignore[attr-defined]
    return page


def url(page: Page, path: str) -> str:
    return page._sso_base + path  # type: ignore[attr-defined]


def test_a_person_signs_in_through_the_provider_and_out_again(sso_page: Page, provider_url: str):
    page = sso_page
    visit(page, url(page, "/login"))  # axe-clean with the provider's button on it
    button = page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}")
    expect(button).to_be_visible()
    expect(page.get_by_role("heading", name="Administrators: sign in with a password")).to_be_visible()

    with page.expect_navigation():
        button.click()
    assert page.url.startswith(f"{provider_url}/oauth2/authorize?")
    page.get_by_placeholder("sub").fill("robin-1")
    with page.expect_navigation(url=re.compile(r"^http://127\.0\.0\.1:\d+/$")):
        page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()
    check_page(page)
    visit(page, url(page, "/account"))
    expect(page.get_by_text(PERSON)).to_be_visible()
    expect(page.get_by_text(f"You sign in with {PROVIDER_NAME}.")).to_be_visible()
    expect(page.get_by_role("heading", name="Change password")).to_have_count(0)

    with page.expect_navigation(url=re.compile(rf"^{re.escape(provider_url)}/oauth2/end_session\?")):
        page.get_by_role("button", name="Sign out").click()
    with page.expect_navigation(url=re.compile(r"/login$")):
        page.get_by_role("button", name="End session").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    check_page(page)
    visit(page, url(page, "/account"))  # no longer signed in: sent to sign in
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_a_refused_sign_in_shows_an_accessible_page(sso_page: Page):
    page = sso_page
    visit(page, url(page, "/login/sso/callback?state=forged&code=stolen"), status=400)
    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in has expired")
    expect(page.get_by_role("link", name="Try again")).to_have_attribute("href", "/login/sso")
    expect(page.get_by_role("link", name="Back to the sign-in page")).to_be_visible()


def test_a_stranger_is_told_to_ask_an_administrator(sso_page: Page, provider_url: str):
    page = sso_page
    visit(page, url(page, "/login"))
    with page.expect_navigation():
        page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.get_by_placeholder("sub").fill("stranger@example.gov")
    with page.expect_navigation(url=re.compile(r"/login/sso/callback\?")) as answer:
        page.get_by_role("button", name="Authorize").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have an account yet")
    expect(page.get_by_text("Ask your administrator to create one")).to_be_visible()
    check_page(page)
