"""`lms serve` as an operator runs it, on a test's database, plus signed-in visitors without argon2.

Used by the tests that need real HTTP and a real server process: load, faults, keep-alive.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
from sqlmodel import Session

from lms.auth.models import UserSession
from lms.auth.service import hash_token
from lms.db import make_engine
from lms.web.cookies import SESSION_COOKIE

LMS = str(Path(sys.executable).parent / "lms")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str, workdir: Path, **env: str):
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-secret-" + "x" * 40,
            "PROFICIO_ENV": "development",
            "PYTHONUNBUFFERED": "1",
            "ATTACHMENTS_DIR": str(workdir / "attachments"),
            **env,
        }
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.url = ""
        self._log = None

    def lms(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([LMS, *args], env=self.env, cwd=self.workdir, capture_output=True, text=True, timeout=timeout)

    def start(self, *serve_args: str, timeout: float = 90) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = (self.workdir / f"server-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [LMS, "serve", "--host", "127.0.0.1", "--port", str(self.port), *serve_args],
            env=self.env,
            cwd=self.workdir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"`lms serve` exited with {self.process.returncode}:\n{self.output()}")
            try:
                # Any answer means it listens; a 503 from /healthz is for the test to judge.
                httpx2.get(f"{self.url}/healthz", timeout=2)
                return
            except httpx2.TransportError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError(f"`lms serve` did not start within {timeout:.0f}s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: nothing gets to clean up."""
        self.process.kill()
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log and not self._log.closed:
            self._log.close()

    def child_pids(self) -> list[int]:
        """The processes `lms serve` started itself (uvicorn's, `--with-worker`'s), read from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The fields after the command name (which may hold spaces): state, then the parent's pid.
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def output(self) -> str:
        return "".join(p.read_text(errors="replace")[-4000:] for p in sorted(self.workdir.glob("server-*.log")))

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def open_sessions(database_url: str, user_ids: list[int]) -> dict[int, str]:
    """A signed-in session for each user, written as sign-in writes it: {user_id: cookie token}."""
    engine = make_engine(database_url)
    tokens = {uid: secrets.token_urlsafe(32) for uid in user_ids}
    try:
        with Session(engine) as db:
            db.add_all(UserSession(token_hash=hash_token(token), user_id=uid) for uid, token in tokens.items())
            db.commit()
    finally:
        engine.dispose()
    return tokens


def session_cookies(token: str) -> dict[str, str]:
    return {SESSION_COOKIE: token}
