"""A real Proficio server for the browser tests, built with the operator's own `lms` commands.

Going through the console script (not `create_app` in-process) also tests what an operator runs:
migrations, the demo loader, `lms users create` and `lms serve`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# The console script installed next to this interpreter: the same `lms` an operator runs.
LMS = str(Path(sys.executable).parent / "lms")
STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.log_path = workdir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / 'e2e.db'}",
            "SECRET_KEY": "e2e-secret-key-" + "x" * 40,
            "PROFICIO_ENV": "development",
            "PYTHONUNBUFFERED": "1",
        }
        self.process: subprocess.Popen | None = None

    def lms(self, *args: str, stdin: str | None = None) -> str:
        """Run an `lms` command against this server's database; fail with its output if it fails."""
        result = subprocess.run([LMS, *args], env=self.env, cwd=self.workdir, input=stdin, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(
                f"`lms {' '.join(args)}` exited {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
            )
        return result.stdout

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [LMS, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=self.workdir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"`lms serve` exited with {self.process.returncode}\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"`lms serve` did not answer /healthz within {STARTUP_TIMEOUT:.0f}s\n{self.output()}")

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()
