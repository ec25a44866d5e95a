"""The organisation's own look (ORG_* settings): name in the header and title, logo, colour, support contact."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from lms.app import create_app
from lms.config import ConfigError, Settings, contrast_with_white


def page_of(settings: Settings, path: str = "/login", **org: str) -> tuple[str, dict[str, str]]:
    app = create_app(Settings(**{**settings.model_dump(), **org}))
    try:
        with TestClient(app, follow_redirects=False) as client:
            response = client.get(path)
            assert response.status_code == 200
            return response.text, dict(response.headers)
    finally:
        app.state.engine.dispose()


def test_the_name_logo_and_support_contact_appear_in_the_header_title_and_footer(settings):
    text, headers = page_of(
        settings,
        org_name="Ministry of Examples",
        org_logo_url="https://assets.example.org/crest.svg",
        org_support_email="learning@example.org",
        org_support_text="Open 9 to 5 on working days.",
    )
    assert "<title>Sign in · Ministry of Examples</title>" in text
    assert 'title="Ministry of Examples home">' in text and "Proficio" not in text.split("</header>")[0]
    assert '<img class="org-logo" src="https://assets.example.org/crest.svg" alt="">Ministry of Examples</a>' in text
    footer = text[text.index("<footer") :]
    assert '<a href="mailto:learning@example.org">learning@example.org</a>' in footer
    assert "Open 9 to 5 on working days." in footer and "Ministry of Examples" in footer
    # The logo's own origin, and only it, is added to the images the page may load.
    assert "img-src 'self' data: https://assets.example.org;" in headers["content-security-policy"]


def test_the_defaults_are_neutral(settings, client):
    text = client.get("/login").text
    assert "<title>Sign in · Proficio</title>" in text and "Sign in to Proficio" in text
    lowered = text.lower()
    for american in ("official website", "united states", "u.s. government", ".gov website", "usa-banner"):
        assert american not in lowered
    assert "Need help?" not in text  # no support contact until one is set
    assert "img-src 'self' data:;" in client.get("/login").headers["content-security-policy"]


def test_the_colour_is_served_as_a_cacheable_stylesheet(settings):
    text, _ = page_of(settings, org_primary_colour="#1D3557")
    app = create_app(Settings(**{**settings.model_dump(), "org_primary_colour": "#1D3557"}))
    try:
        with TestClient(app) as client:
            css = client.get("/theme.css")
    finally:
        app.state.engine.dispose()
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.text.strip() == ":root { --org-primary: #1d3557; }"
    assert css.headers["cache-control"] == "public, max-age=86400"
    assert '<link rel="stylesheet" href="/theme.css?v=' in text
    assert "style=" not in text  # the colour never goes inline: the CSP forbids it


@pytest.mark.parametrize(
    "colour, message",
    [
        ("#ffcc00", r"ORG_PRIMARY_COLOUR #ffcc00 has a contrast of 1\.\d\d:1 with white text; at least 4\.5:1"),
        ("#777777", r"contrast of 4\.48:1"),
        ("blue", "ORG_PRIMARY_COLOUR must be a hex colour"),
        ("#12345", "ORG_PRIMARY_COLOUR must be a hex colour"),
    ],
)
def test_an_unreadable_or_malformed_colour_is_refused_at_start_up(colour, message):
    with pytest.raises(ConfigError, match=message):
        Settings(org_primary_colour=colour)


def test_the_colour_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ORG_PRIMARY_COLOUR", "#FFFFFF")
    with pytest.raises(ConfigError, match="contrast of 1.00:1"):
        Settings()
    monkeypatch.setenv("ORG_PRIMARY_COLOUR", "#767676")  # the lightest grey that passes
    assert Settings().org_primary_colour == "#767676"


def test_contrast_follows_wcag_relative_luminance():
    assert contrast_with_white("#000") == pytest.approx(21)
    assert contrast_with_white("#ffffff") == pytest.approx(1)
    assert contrast_with_white("#005ea2") == pytest.approx(6.72, abs=0.01)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "http://example.org/logo.png",
        "/static/../lms/config.py",
        "data:image/png;base64,AA",
        'https://example.org/a"onerror=x',
        "//evil.example/logo.png",
    ],
)
def test_a_logo_must_be_a_static_file_or_https(url):
    with pytest.raises(ConfigError, match="ORG_LOGO_URL"):
        Settings(org_logo_url=url)


def test_a_local_logo_adds_nothing_to_the_csp():
    assert Settings(org_logo_url="/static/favicon.svg").org_logo_origin == ""


def test_a_malformed_support_email_is_refused():
    with pytest.raises(ConfigError, match="ORG_SUPPORT_EMAIL"):
        Settings(org_support_email="help desk")
