"""`lms serve` fixes glibc malloc's thresholds, so memory a request freed goes back to the system.

Without it, glibc raises its thresholds after one large block is freed (an argon2 hash's 19 MiB), and
from then on keeps up to twice that per arena of the server's threads (bench/README.md, memory).
Each case runs in a fresh interpreter: the thresholds and the environment are per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Frees one 19 MiB block (as argon2 does), then allocates, touches and frees an 8 MiB one, and says
# how much of the 8 MiB the process still holds afterwards.
_PROBE = """
import ctypes, ctypes.util, json, os, sys
from lms.cli.serve import fix_malloc_thresholds
applied = fix_malloc_thresholds() if sys.argv[1] == "fixed" else None
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
def touched(size):
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    return block
libc.free(touched(19 * 2**20))
before = rss()
libc.free(touched(8 * 2**20))
print(json.dumps({"kept_mb": rss() - before, "applied": applied, "mmap": os.environ.get("MALLOC_MMAP_THRESHOLD_"),
                  "trim": os.environ.get("MALLOC_TRIM_THRESHOLD_")}))
"""


def _probe(mode: str, **env: str) -> dict:
    environment = {"PATH": "/usr/bin:/bin", **env}
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_the_fix_glibc_keeps_a_freed_block_after_a_large_one() -> None:
    assert _probe("default")["kept_mb"] >= 7


def test_with_the_fix_the_freed_block_goes_back_to_the_system() -> None:
    fixed = _probe("fixed")
    assert fixed["applied"] is True
    assert fixed["kept_mb"] < 1


def test_worker_processes_inherit_the_thresholds_and_an_operators_own_values_stand() -> None:
    assert _probe("fixed")["mmap"] == str(128 * 1024)
    chosen = _probe("fixed", MALLOC_MMAP_THRESHOLD_="262144", MALLOC_TRIM_THRESHOLD_="1048576")
    assert (chosen["mmap"], chosen["trim"]) == ("262144", "1048576")


def test_the_fix_in_this_process_reports_glibc_and_keeps_the_environment_it_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    # In process as well, so coverage sees the function; the values set are glibc's own defaults.
    from lms.cli.serve import MALLOC_THRESHOLDS, fix_malloc_thresholds

    for variable, value in MALLOC_THRESHOLDS.items():
        monkeypatch.setenv(variable, str(value))
    assert fix_malloc_thresholds() is True
