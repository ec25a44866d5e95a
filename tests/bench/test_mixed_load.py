"""A CI-sized mixed load: 100 people at once for 20 s against `lms serve`, from wrk; no 5xx, ever.

The full table (20 to 400 people, one and two processes, both engines) is `python -m bench.mixed`;
see bench/README.md.
"""

from __future__ import annotations

import shutil

import pytest

from bench.generate import generate
from bench.mixed import KINDS, load, prepare
from bench.servers import lms_served
from tests.conftest import IN_CI

PEOPLE = 100
SECONDS = 20


@pytest.fixture
def wrk():
    if shutil.which("wrk") is None:
        if IN_CI:
            pytest.fail("wrk not found; .ci/run installs it")
        pytest.skip("wrk not found (Debian: apt-get install wrk)")


def test_a_hundred_people_at_once_get_no_server_error(wrk, empty_db_url, tmp_path):
    generate(empty_db_url, size="T", log=lambda _line: None)
    requests = prepare(empty_db_url, PEOPLE)
    with lms_served(empty_db_url, tmp_path / "server.log", DB_POOL_SIZE="5") as (base, _proc):
        results = load(base, requests, connections=PEOPLE, duration=SECONDS)
    log = (tmp_path / "server.log").read_text()
    by_kind = {r.kind: r for r in results}
    assert set(by_kind) == set(KINDS)
    failures = {r.kind: (r.statuses, r.socket_errors) for r in results if r.server_errors or r.socket_errors}
    assert not failures, f"{failures}\n{log[-3000:]}"
    # Every kind was served, and answered as a person would expect (pages 200, forms 303, saves 200).
    for kind, result in by_kind.items():
        assert result.requests > 0, kind
        expected = {"sign-in": "303", "quiz submit": "303"}.get(kind, "200")
        assert set(result.statuses) == {expected}, (kind, result.statuses)
    assert "Traceback" not in log
