"""Test harness: every database test runs on SQLite and on PostgreSQL, each test on a fresh database.

A migrated template database is built once per engine and copied for each test (a file copy for
SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests see real commits and stay isolated.
Tests marked ``@pytest.mark.demo`` get a copy of a second template instead, holding the `lms demo`
data, built once per engine the first time such a test runs.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
import weakref
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session
from starlette.testclient import TestClient

from lms import migrations
from lms.app import create_app
from lms.auth.passwords import hash_password
from lms.app import load_features
from lms.config import Settings
from lms.db import make_engine
from lms.demo import DemoSummary, demo_load
from lms.people.models import RoleGrant, User
from lms.web.cookies import ANON_COOKIE, SESSION_COOKIE
from tests.support.postgres import TempPostgres, find_pg_bin

# Timing is not behaviour: on a busy machine Hypothesis's own speed checks (a deadline per example, a
# health check on how fast inputs are drawn) fail property tests whose properties hold.
hypothesis_settings.register_profile("proficio", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("proficio")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_PASSWORD = "correct horse battery staple 42"
ENGINES = ["sqlite", "postgresql"]


def pytest_configure(config):
    config.addinivalue_line("markers", "demo: the test's database is a fresh copy of one holding the `lms demo` data")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real argon2 hash, shared so tests don't spend a tenth of a second per user."""
    return hash_password(TEST_PASSWORD)


@pytest.fixture(scope="session")
def pg_server():
    url = os.environ.get("PROFICIO_TEST_PG_URL")
    if url:
        yield url
        return
    bindir = find_pg_bin()
    if bindir is None:
        if IN_CI:
            pytest.fail("PostgreSQL binaries not found; CI must run every database test on PostgreSQL too.")
        pytest.skip("PostgreSQL binaries not found (install postgresql to run these)")
    server = TempPostgres(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    # Fold the WAL back into the main file so a plain copy carries the whole schema.
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    # One template per xdist worker, so workers sharing a server (PROFICIO_TEST_PG_URL) don't collide.
    name = "proficio_template_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    migrations.upgrade(str(make_url(pg_server).set(database=name).render_as_string(False)))
    return name


def _new_pg_database(pg_server: str, template: str | None, name: str | None = None) -> str:
    name = name or "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
    admin.dispose()
    return make_url(pg_server).set(database=name).render_as_string(hide_password=False)


def _load_demo(url: str) -> DemoSummary:
    """`lms demo` into the migrated database at ``url``, as the CLI does it; every connection closed after."""
    load_features()
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            summary = demo_load(session)
            session.commit()
        if url.startswith("sqlite"):
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return summary


@pytest.fixture(scope="session")
def sqlite_demo_template(sqlite_template, tmp_path_factory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("sqlite-demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    return path, _load_demo(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def pg_demo_template(pg_server, pg_template) -> tuple[str, DemoSummary]:
    name = "proficio_demo_" + os.environ.get("PYTEST_XDIST_WORKER", "main")  # per worker, as pg_template
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()
    return name, _load_demo(_new_pg_database(pg_server, pg_template, name))


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> str:
    """A migrated database on each engine: empty, or holding the demo data for tests marked demo."""
    demo = request.node.get_closest_marker("demo") is not None
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_demo_template")[0] if demo else (request.getfixturevalue("sqlite_template"))
        target = tmp_path / "proficio.db"
        shutil.copy(template, target)
        return f"sqlite:///{target}"
    template = request.getfixturevalue("pg_demo_template")[0] if demo else request.getfixturevalue("pg_template")
    return _new_pg_database(request.getfixturevalue("pg_server"), template)


@pytest.fixture
def demo_summary(request, db_url) -> DemoSummary:
    """What demo_load answered when it built the template this test's database (marked demo) copies."""
    assert request.node.get_closest_marker("demo"), "demo_summary is for tests marked demo"
    engine = request.node.callspec.params["db_url"]
    return request.getfixturevalue("sqlite_demo_template" if engine == "sqlite" else "pg_demo_template")[1]


@pytest.fixture(params=ENGINES)
def empty_db_url(request, tmp_path) -> str:
    """A database with no schema at all, for migration tests."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return _new_pg_database(request.getfixturevalue("pg_server"), None)


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(
        database_url=db_url,
        secret_key="test-secret-key-" + "x" * 32,
        proficio_env="development",
        attachments_dir=tmp_path / "attachments",
    )


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def db(app):
    with Session(app.state.engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


class UserFactory:
    def __init__(self, session: Session, password_hash: str):
        self.session = session
        self.password_hash = password_hash
        self.count = 0

    def __call__(self, *roles: str, email: str | None = None, name: str | None = None, **fields) -> User:
        self.count += 1
        user = User(
            email=email or f"user{self.count}@example.gov",
            name=name or f"Test User {self.count}",
            **{"password_hash": self.password_hash, **fields},
        )
        self.session.add(user)
        self.session.flush()
        for role in roles:
            self.session.add(RoleGrant(user_id=user.id, role=role))
        self.session.commit()
        return user


@pytest.fixture
def make_user(db, password_hash) -> UserFactory:
    return UserFactory(db, password_hash)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def _csrf_binding(client: TestClient) -> tuple[str, str] | None:
    """The cookie the server binds a CSRF token to (lms.web.csrf): the session's, else the visitor's."""
    cookies = {cookie.name: cookie.value for cookie in client.cookies.jar}
    if SESSION_COOKIE in cookies:
        return SESSION_COOKIE, cookies[SESSION_COOKIE]
    if ANON_COOKIE in cookies:
        return ANON_COOKIE, cookies[ANON_COOKIE]
    return None


_csrf_tokens: weakref.WeakKeyDictionary[TestClient, tuple[tuple[str, str] | None, str]] = weakref.WeakKeyDictionary()


def csrf_token(client: TestClient) -> str:
    """The CSRF token of the client's session (or anonymous visit), read from a page once and kept.

    The server derives the token from the session cookie, so it is fetched again only when that
    cookie changes: signing in (as anyone), signing out, a new session, cleared cookies.
    """
    binding = _csrf_binding(client)
    cached = _csrf_tokens.get(client)
    if binding is not None and cached is not None and cached[0] == binding:
        return cached[1]
    # /account while the session is valid, /login otherwise (it shows the form only when signed out).
    pages = ["/account", "/login"] if binding is not None and binding[0] == SESSION_COOKIE else ["/login"]
    for page in pages:
        match = CSRF_RE.search(client.get(page).text)
        if match:
            break
    assert match, "no page showed a CSRF field"
    token = match.group(1)
    _csrf_tokens[client] = (_csrf_binding(client), token)  # a first visit sets the cookie it is bound to
    return token


def sign_in(client: TestClient, email: str, password: str = TEST_PASSWORD):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


class Browser:
    """A signed-in TestClient that adds the session's CSRF token to unsafe requests (kept per session)."""

    def __init__(self, client: TestClient):
        self.client = client

    def token(self) -> str:
        return csrf_token(self.client)

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, **kw)


@pytest.fixture
def signed_in(client, make_user):
    """signed_in(*roles, **user_fields) -> (Browser, User)."""

    def _sign_in(*roles: str, **fields):
        user = make_user(*roles, **fields)
        response = sign_in(client, user.email)
        assert response.status_code == 303, response.text
        return Browser(client), user

    return _sign_in
