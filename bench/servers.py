"""The app and the anchor, each in its own uvicorn process with the same settings (one worker)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
APP = "lms.app:create_app"
BARE = "bench.bare_app:create_app"
SECRET = "bench-secret-key-" + "x" * 32


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(factory: str, database_url: str, log_path: Path, **env: str):
    """Yields (base_url, pid) of one uvicorn process serving ``factory``; it stops when the block ends."""
    port = _free_port()
    with _running(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        port,
        database_url,
        log_path,
        **env,
    ) as (base, proc):
        yield base, proc.pid


@contextmanager
def lms_served(database_url: str, log_path: Path, *, workers: int = 1, **env: str):
    """Yields (base_url, process) of `lms serve --workers N`, as an operator runs it."""
    port = _free_port()
    lms = str(Path(sys.executable).parent / "lms")
    with _running(
        [lms, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)], port, database_url, log_path, **env
    ) as running:
        yield running


@contextmanager
def _running(command: list[str], port: int, database_url: str, log_path: Path, **env: str):
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "PROFICIO_ENV": "development", **env}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"The server exited with {proc.returncode}; see its log under var/bench/.")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("The server did not answer /healthz within a minute.")


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process has held since it started."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM not found")
