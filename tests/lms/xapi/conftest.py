"""A real LRS for the xAPI tests (see lrs.py), and the settings that point Proficio at it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from lms.config import get_settings
from tests.lms.xapi.lrs import PASSWORD, USERNAME, Lrs, write_credentials


@pytest.fixture(scope="session")
def lrs_home(tmp_path_factory) -> Iterator:
    home = tmp_path_factory.mktemp("lrs")
    write_credentials(home)
    return home


@pytest.fixture(scope="session")
def lrs(lrs_home) -> Iterator[Lrs]:
    server = Lrs(lrs_home).start()
    yield server
    server.stop()


def point_at(monkeypatch, endpoint: str, **more: str) -> str:
    """Settings (read by the worker and the services through get_settings) for this test; its own
    actor homePage keeps its statements apart from other tests' in the shared LRS."""
    homepage = f"https://lms.test/{uuid.uuid4().hex[:12]}"
    values = {
        "XAPI_ENDPOINT": endpoint,
        "XAPI_USERNAME": USERNAME,
        "XAPI_PASSWORD": PASSWORD,
        "XAPI_ACTOR_HOMEPAGE": homepage,
        "BASE_URL": "https://lms.example.gov",
        **more,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return homepage


@pytest.fixture
def xapi(monkeypatch, lrs) -> Iterator[str]:
    """xAPI switched on and pointed at the test LRS; yields the actors' homePage."""
    yield point_at(monkeypatch, lrs.endpoint)
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    yield
    get_settings.cache_clear()
