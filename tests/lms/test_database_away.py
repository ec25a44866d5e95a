"""When the database goes away or turns read-only: clean 503s, a truthful health check, recovery
without a restart, and a server that refuses to start on a database it cannot write.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx2
import pytest
import uvicorn
from sqlmodel import Session

from lms import migrations
from lms.app import create_app
from lms.db import make_engine
from lms.people.models import User
from lms.web.access import Access, policy
from tests.conftest import IN_CI, TEST_PASSWORD
from tests.support.live_server import CSRF_FIELD, LiveServer, free_port, open_sessions, session_cookies
from tests.support.postgres import TempPostgres, find_pg_bin


def _person(db_url: str, password_hash: str) -> int:
    engine = make_engine(db_url)
    try:
        with Session(engine) as db:
            user = User(email="pat@example.gov", name="Pat Person", password_hash=password_hash)
            db.add(user)
            db.commit()
            return user.id
    finally:
        engine.dispose()


def _signed_in_get(server: LiveServer, token: str, path: str) -> httpx2.Response:
    return httpx2.get(server.url + path, cookies=session_cookies(token), timeout=30)


@pytest.fixture
def own_postgres():
    """A PostgreSQL cluster of this test's own, so stopping it troubles no other test."""
    bindir = find_pg_bin()
    if bindir is None:
        if IN_CI:
            pytest.fail("PostgreSQL binaries not found")
        pytest.skip("PostgreSQL binaries not found (install postgresql to run this)")
    server = TempPostgres(bindir)
    url = server.start()
    try:
        yield server, url
    finally:
        server.stop()


def test_postgresql_going_away_gives_503s_and_the_app_recovers_by_itself(own_postgres, tmp_path, password_hash):
    cluster, url = own_postgres
    migrations.upgrade(url)
    token = open_sessions(url, [_person(url, password_hash)])[1]
    with LiveServer(url, tmp_path) as server:
        server.start()
        assert _signed_in_get(server, token, "/skills").status_code == 200

        cluster.halt()
        page = _signed_in_get(server, token, "/skills")
        api = httpx2.get(server.url + "/api/v1/frameworks", headers={"Authorization": "Bearer prf_nope"}, timeout=30)
        health = httpx2.get(server.url + "/healthz", timeout=30)
        health_with_cookie = _signed_in_get(server, token, "/healthz")

        cluster.resume()
        recovered = _signed_in_get(server, token, "/skills")
        healthy = _signed_in_get(server, token, "/healthz")

    assert page.status_code == 503 and page.headers["retry-after"] == "30"
    assert "cannot reach its database" in page.text and "text/html" in page.headers["content-type"]
    assert api.status_code == 503 and "cannot reach its database" in api.json()["detail"]
    for answer in (health, health_with_cookie):
        assert answer.status_code == 503 and answer.json() == {"status": "error", "database": "unreachable"}
    assert recovered.status_code == 200 and "My skills" in recovered.text
    assert healthy.status_code == 200 and healthy.json()["status"] == "ok"
    assert "Traceback" not in server.output()


def _set_read_only(path: Path, read_only: bool) -> None:
    """Make a file unwritable for this process. Root ignores permissions, so root uses the
    immutable attribute (ext4, xfs, btrfs); anyone else a plain chmod."""
    if os.geteuid() == 0:
        result = subprocess.run(["chattr", "+i" if read_only else "-i", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            # A file system without the immutable attribute (tmpfs, some overlays): nothing else
            # stops root writing. CI's runs on ext4, where it must work.
            message = f"cannot make a file read-only as root here: {result.stderr.strip()}"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
    else:
        path.chmod(0o444 if read_only else 0o644)


@pytest.fixture
def sqlite_file(tmp_path, sqlite_template, password_hash):
    path = tmp_path / "proficio.db"
    shutil.copy(sqlite_template, path)
    _person(f"sqlite:///{path}", password_hash)
    yield path
    _set_read_only(path, False)


def test_serve_refuses_a_read_only_sqlite_database_in_one_line(sqlite_file, tmp_path):
    server = LiveServer(f"sqlite:///{sqlite_file}", tmp_path)
    _set_read_only(sqlite_file, True)
    result = server.lms("serve", "--port", str(free_port()), timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: the database cannot be written: attempt to write a readonly database; Proficio needs to write its database to serve."
    ]


def _sign_in(http: httpx2.Client) -> httpx2.Response:
    token = CSRF_FIELD.search(http.get("/login").text).group(1)
    return http.post("/login", data={"email": "pat@example.gov", "password": TEST_PASSWORD, "csrf_token": token})


def test_sqlite_turning_read_only_gives_503_and_recovers_when_writable_again(sqlite_file, tmp_path):
    with LiveServer(f"sqlite:///{sqlite_file}", tmp_path) as server:
        server.start()
        _set_read_only(sqlite_file, True)
        with httpx2.Client(base_url=server.url, timeout=30) as http:
            refused = _sign_in(http)
            health = http.get("/healthz")
            _set_read_only(sqlite_file, False)
            signed_in = _sign_in(http)
            healthy = http.get("/healthz")
    assert refused.status_code == 503 and "cannot reach its database" in refused.text
    assert refused.headers["retry-after"] == "30"
    assert health.status_code == 503 and health.json() == {"status": "error", "database": "read-only"}
    # No restart: the read-only connections were dropped, the next one opened for writing.
    assert signed_in.status_code == 303, signed_in.text
    assert healthy.status_code == 200


def test_a_500_leaves_the_keep_alive_connection_open_for_the_next_request(settings):
    app = create_app(settings)

    @app.get("/boom", dependencies=[policy(Access.PUBLIC)])
    def boom():  # a defect, as any route might have
        raise RuntimeError("a bug")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/boom")
        failed = conn.getresponse()
        body = failed.read().decode()
        conn.request("GET", "/login")  # same connection: it must still be open
        after = conn.getresponse()
        after.read()
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()
    assert failed.status == 500 and "Something went wrong" in body
    assert failed.getheader("content-security-policy")  # the error page has the usual headers
    assert after.status == 200
