"""A real learning record store for the tests: Ralph's LRS (ralph-malph 5.1.0) with its file-system
backend, run from its own virtual environment (.venv-lrs, `make lrs-venv`: its pins clash with ours),
on a free loopback port, with Basic-auth credentials made by `ralph auth`. Also Ralph's own pydantic
models, called in that environment to validate statements."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from lms.config import PROJECT_ROOT

LRS_VENV = Path(os.environ.get("LRS_VENV", PROJECT_ROOT / ".venv-lrs"))
USERNAME, PASSWORD = "proficio", "lrs-test-password"
VALIDATOR = Path(__file__).with_name("validate_ralph.py")
SERVER = Path(__file__).with_name("run_ralph_lrs.py")


def _bin(name: str) -> Path:
    path = LRS_VENV / "bin" / name
    assert path.exists(), f"{path} is missing: run `make lrs-venv` (Ralph's LRS lives in its own virtual environment)"
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RALPH_APP_DIR": str(home),
        "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"),
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000",
    }


def write_credentials(home: Path) -> None:
    """The LRS's credentials file, with one user allowed everything (`ralph auth -w`)."""
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_bin("ralph"), "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "all", "-M", "mailto:lrs-admin@example.org", "-w"],
        env=_env(home),
        cwd=home,
        check=True,
        capture_output=True,
        timeout=120,
    )


class Lrs:
    def __init__(self, home: Path, port: int | None = None):
        self.home = home
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.url}/xAPI"

    def start(self) -> Lrs:
        (self.home / "data").mkdir(parents=True, exist_ok=True)
        log = open(self.home / "server.log", "ab")
        # Ralph's app as `ralph runserver -b fs` serves it, less the reloader (see run_ralph_lrs.py).
        self.process = subprocess.Popen(
            [_bin("python"), str(SERVER), str(self.port)],
            env=_env(self.home),
            cwd=self.home,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{self.url}/__heartbeat__", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError("the LRS did not start:\n" + (self.home / "server.log").read_text()[-3000:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def statements(self, **params: str) -> list[dict[str, Any]]:
        """Every statement the LRS holds (GET /xAPI/statements, following `more`)."""
        found: list[dict[str, Any]] = []
        url = f"{self.endpoint}/statements"
        query: dict[str, str] | None = {"limit": "500", **params}
        headers = {"X-Experience-API-Version": "1.0.3"}
        while url:
            response = httpx.get(url, params=query, auth=(USERNAME, PASSWORD), headers=headers, timeout=30)
            assert response.status_code == 200, response.text
            body = response.json()
            found.extend(body["statements"])
            more = body.get("more") or ""
            url, query = (f"{self.url}{more}" if more.startswith("/") else more), None
        return found


def ralph_validate(statements: list[dict[str, Any]]) -> list[str]:
    """Each statement checked by Ralph's xAPI 1.0.3 models in Ralph's environment: the problems found."""
    done = subprocess.run([_bin("python"), str(VALIDATOR)], input=json.dumps(statements), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))
