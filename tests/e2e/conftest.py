"""Browser tests: one live `lms serve` with demo data for the session, one Chromium, a fresh context per test."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.e2e.support.accounts import CHANGER_EMAIL, CHANGER_NAME, CHANGER_PASSWORD
from tests.e2e.support.pages import watch
from tests.e2e.support.server import LiveServer

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("e2e-server"))
    server.lms("db", "upgrade")
    server.lms("demo")
    server.lms("users", "create", "--email", CHANGER_EMAIL, "--name", CHANGER_NAME, "--password-stdin", stdin=CHANGER_PASSWORD + "\n")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium where installed (no browser download is possible here); otherwise Playwright's own.
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser(launch_browser):
    try:
        launched = launch_browser()
    except Exception as exc:  # noqa: BLE001 - any launch failure means no browser: skip, or fail in CI
        message = f"No browser could be launched ({exc}). Install chromium or run `playwright install chromium`."
        if IN_CI:
            pytest.fail("CI must run the browser tests. " + message, pytrace=False)
        pytest.skip(message)
    yield launched
    launched.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page_watch = watch(page)
    yield page
    page_watch.assert_clean()
