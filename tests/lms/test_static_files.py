"""Static files: versioned addresses cached for a year, text compressed once (Brotli or gzip), 304s by ETag."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import brotli
import pytest
from starlette.testclient import TestClient

from lms.app import create_app
from lms.config import Settings
from lms.web.static import BUNDLES, STATIC_DIR

CSS = "css/app.css"


@pytest.fixture(scope="module")
def static_client(tmp_path_factory, sqlite_template):
    # Static files never touch the database: one engine is enough.
    db = tmp_path_factory.mktemp("static") / "static.db"
    shutil.copy(sqlite_template, db)
    app = create_app(Settings(database_url=f"sqlite:///{db}", secret_key="static-test-" + "x" * 40))
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def linked_assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_version_and_those_are_cached_for_a_year(static_client):
    page = static_client.get("/login")
    assert page.status_code == 200
    assets = linked_assets(page.text)
    assert any(a.startswith("/static/css/proficio.css?v=") for a in assets)
    assert all(re.search(r"\?v=[0-9a-f]{12}$", a) for a in assets), assets
    for asset in assets:
        r = static_client.get(asset)
        assert r.status_code == 200, asset
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable", asset


def test_an_unversioned_or_stale_address_must_revalidate(static_client):
    for url in (f"/static/{CSS}", f"/static/{CSS}?v=000000000000"):
        r = static_client.get(url)
        assert r.status_code == 200
        assert r.headers["cache-control"] == "no-cache"
        again = static_client.get(url, headers={"if-none-match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


def test_a_page_needs_one_stylesheet_and_one_script_besides_the_theme(static_client):
    html = static_client.get("/login").text
    sheets = re.findall(r'<link rel="stylesheet" href="([^"?]+)', html)
    scripts = re.findall(r'<script src="([^"?]+)', html)
    assert sheets == ["/static/css/proficio.css", "/theme.css"] and scripts == ["/static/js/proficio.js"]
    assert 'rel="icon" href="data:image/svg+xml,' in html  # no favicon request either


def test_a_bundle_is_its_files_joined(static_client):
    for name, parts in BUNDLES.items():
        r = static_client.get(f"/static/{name}", headers={"accept-encoding": "identity"})
        assert r.status_code == 200 and r.content == b"\n".join((STATIC_DIR / p).read_bytes() for p in parts)
    assert static_client.get("/static/css/proficio.css").headers["content-type"] == "text/css; charset=utf-8"


def test_icons_named_by_the_stylesheet_are_there_and_kept_a_week(static_client):
    sheet = (STATIC_DIR / "css/uswds-proficio.min.css").read_text()
    icons = sorted(set(re.findall(r"\.\./(vendor/uswds/img/[^\")]+)", sheet)))
    assert icons
    for icon in icons:
        r = static_client.get(f"/static/{icon}")
        assert r.status_code == 200, icon
        assert r.headers["cache-control"] == "public, max-age=604800"


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("br, gzip", "br", brotli.decompress), ("gzip, deflate", "gzip", gzip.decompress), ("identity", None, None)],
)
def test_text_files_are_sent_compressed_as_the_browser_accepts(static_client, accept, encoding, decode):
    raw = (STATIC_DIR / "css/uswds-proficio.min.css").read_bytes()
    with static_client.stream("GET", "/static/css/uswds-proficio.min.css", headers={"accept-encoding": accept}) as r:
        body = b"".join(r.iter_raw())
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert r.headers.get("content-encoding") == encoding
    if decode is None:
        assert body == raw
    else:
        assert r.headers["vary"] == "Accept-Encoding"
        assert decode(body) == raw and len(body) < len(raw) / 6


def test_each_encoding_has_its_own_etag_and_answers_304(static_client):
    url = f"/static/{CSS}"
    br = static_client.get(url, headers={"accept-encoding": "br"})
    gz = static_client.get(url, headers={"accept-encoding": "gzip"})
    assert br.headers["etag"] != gz.headers["etag"]
    assert static_client.get(url, headers={"accept-encoding": "br", "if-none-match": br.headers["etag"]}).status_code == 304
    # A gzip copy's tag does not validate a Brotli response.
    assert static_client.get(url, headers={"accept-encoding": "br", "if-none-match": gz.headers["etag"]}).status_code == 200


def test_a_range_request_gets_the_plain_bytes(static_client):
    raw = (STATIC_DIR / CSS).read_bytes()
    r = static_client.get(f"/static/{CSS}", headers={"accept-encoding": "br", "range": "bytes=0-99"})
    assert r.status_code == 206 and "content-encoding" not in r.headers and r.content == raw[:100]


def test_an_edited_file_gets_a_new_address(static_client, tmp_path, monkeypatch):
    import lms.web.static as static

    monkeypatch.setattr(static, "STATIC_DIR", tmp_path)
    sheet = Path(tmp_path / "x.css")
    sheet.write_text("a{color:red}")
    first = static.static_url("x.css")
    sheet.write_text("a{color:blue}")
    assert static.static_url("x.css") != first
