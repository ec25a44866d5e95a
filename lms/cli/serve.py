"""`lms serve`: run the web app with uvicorn."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import typer
import uvicorn

from lms.cli._common import database, fail, require_schema
from lms.db import DatabaseNotWritable, check_writable
from lms.cli.demo import print_demo_accounts
from lms.demo_accounts import demo_accounts_shown


def serve(
    host: str = typer.Option("127.0.0.1", envvar="HOST", help="Address to listen on."),
    port: int = typer.Option(8000, envvar="PORT", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes; sessions live in the database, so any number works."),
    reload: bool = typer.Option(False, "--reload", help="Restart on code changes (development; one worker)."),
    with_worker: bool = typer.Option(
        False,
        "--with-worker",
        help="Also run `lms worker` (background jobs) as a child process that stops with the server. "
        "For the demo and small single-machine installs; production runs `lms worker` separately.",
    ),
) -> None:
    """Serve Proficio over HTTP. Refuses to start until the database is at the latest migration."""
    if reload and workers > 1:
        fail("use either --reload or --workers, not both.")
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        try:
            check_writable(engine)
        except DatabaseNotWritable as exc:
            fail(f"{exc}; Proficio needs to write its database to serve.")
        demo = [email for email, _ in demo_accounts_shown(session)]
    _require_writable_folder(settings.attachments_path, "ATTACHMENTS_DIR")
    # Generate the development secret once here, before workers start, so they all share one key.
    settings.resolved_secret_key()
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(f"Proficio: http://{shown_host}:{port}")
    if demo:
        print_demo_accounts(demo)
    fix_malloc_thresholds()
    with _worker_process(with_worker):
        uvicorn.run(
            "lms.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=None if reload else workers,
            reload=reload,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            server_header=False,
            # uvicorn replaces a new process that does not answer its supervisor within this time; on a
            # busy host importing the app alone can take longer than uvicorn's 5 s default.
            timeout_worker_healthcheck=settings.worker_boot_timeout,
        )


# glibc's malloc raises its mmap threshold to the size of the largest block freed (up to 32 MiB) and
# its trim threshold to twice that. After one argon2 hash (a 19 MiB block) every arena of the
# server's threads then keeps up to 38 MiB it no longer uses. Fixed at glibc's own starting values
# they stay put: large blocks go back to the system when freed, and free memory at the top of each
# arena is returned. Measured under the mixed load at 100,000 people: peak RSS 258 -> 240 MB, same
# throughput (bench/README.md). The environment carries them to `--workers` processes, which read
# them when they start; set either variable yourself to choose other values.
MALLOC_THRESHOLDS = {"MALLOC_MMAP_THRESHOLD_": 128 * 1024, "MALLOC_TRIM_THRESHOLD_": 128 * 1024}
_M_TRIM_THRESHOLD = -1  # mallopt's parameter numbers, from glibc's malloc.h
_M_MMAP_THRESHOLD = -3


def fix_malloc_thresholds() -> bool:
    """Fix glibc malloc's thresholds for this process and the ones it starts; False where libc is not glibc."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return False
    for variable, default in MALLOC_THRESHOLDS.items():
        value = int(os.environ.setdefault(variable, str(default)))
        mallopt(_M_MMAP_THRESHOLD if "MMAP" in variable else _M_TRIM_THRESHOLD, value)
    return True


# How long the worker may take to finish its current job once the server has stopped.
WORKER_STOP_SECONDS = 30


class _Terminated(Exception):
    """SIGTERM reached `lms serve --with-worker`; raised to stop the worker before we go."""


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


@contextmanager
def _worker_process(enabled: bool) -> Iterator[None]:
    """`lms worker` as a child process for as long as the server runs.

    A child process rather than a thread: a thread would share the server's GIL, so a long report
    snapshot would stall requests, and with --workers or --reload uvicorn serves from other processes
    anyway. The child's stdin is a pipe from us and closing it asks the worker to finish its current
    job and stop. We close it when uvicorn returns and wait for the worker, and the kernel closes it
    should this process die without cleaning up (SIGKILL), so the worker never runs on as an orphan.
    Closing a pipe rather than sending SIGTERM: Ctrl-C already reached the worker (same process group)
    and started its graceful stop, after which a SIGTERM would cut its current job short.
    """
    if not enabled:
        yield
        return
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from lms.cli import main; sys.exit(main())", "worker", "--stop-with-parent"],
        stdin=subprocess.PIPE,
    )
    # uvicorn shuts down on SIGTERM and then raises it again with our handler back in place, which
    # by default would end this process before it waits for the worker; so we turn it into an
    # exception, wait, and then die of SIGTERM as a supervisor expects.
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    terminated = False
    try:
        yield
    except _Terminated:
        terminated = True
    finally:
        assert child.stdin is not None
        child.stdin.close()
        try:
            child.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        signal.signal(signal.SIGTERM, previous)
    if terminated:
        signal.raise_signal(signal.SIGTERM)


def _require_writable_folder(folder: Path, setting: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        fail(f"{setting} ({folder}) is not writable: {exc.strerror or exc}.")
