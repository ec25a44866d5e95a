"""Health check, security headers, error pages and htmx fragments."""

from lms.app import create_app
from lms.config import Settings
from starlette.testclient import TestClient


def test_healthz_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(tmp_path):
    settings = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none", secret_key="k" * 40)
    with TestClient(create_app(settings)) as c:
        r = c.get("/healthz")
    assert r.status_code == 503 and r.json() == {"status": "error", "database": "unreachable"}


def test_security_headers_on_pages_and_errors(client, signed_in):
    for path in ("/login", "/no-such-page"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["cache-control"] == "no-store"
    browser, _ = signed_in()
    page = browser.get("/account")
    assert page.headers["cache-control"] == "no-store" and "HX-Request" in page.headers["vary"]


def test_static_files_are_cacheable_and_nosniff(client):
    r = client.get("/static/css/app.css")
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers.get("cache-control") != "no-store"


def test_pages_have_no_inline_scripts_or_styles(client, signed_in):
    browser, _ = signed_in("admin", "manager", "trainer")
    for path in ("/", "/account", "/login"):
        html = browser.get(path).text
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_404_is_a_page_or_a_fragment(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<html" in page.text and "Page not found" in page.text
    fragment = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert fragment.status_code == 404 and "<html" not in fragment.text and "Page not found" in fragment.text
    boosted = client.get("/no-such-page", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.text


def test_403_page_for_missing_role(signed_in):
    browser, _ = signed_in()
    r = browser.get("/admin/users")
    assert r.status_code == 403 and "You do not have access" in r.text


def test_body_carries_csrf_header_for_htmx(signed_in):
    browser, _ = signed_in()
    html = browser.get("/account").text
    assert 'hx-headers=\'{"X-CSRF-Token": "' in html


def test_templates_and_static_files_are_rechecked_for_edits_in_development_only(tmp_path):
    from lms.web.templating import templates

    url = f"sqlite:///{tmp_path / 'x.db'}"
    from lms.web import static

    create_app(Settings(database_url=url, proficio_env="production", cookie_secure=True, secret_key="p" * 40))
    assert templates.env.auto_reload is False and static.watch_files is False
    create_app(Settings(database_url=url, secret_key="d" * 40))
    assert templates.env.auto_reload is True and static.watch_files is True
