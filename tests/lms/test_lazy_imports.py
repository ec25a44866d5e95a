"""A web process does not import the heavy libraries only a few requests need (issue 15: memory per process).

fpdf2 with fontTools and Pillow (30 MB), zxcvbn's word lists (12 MB), Authlib and joserfc with
cryptography (10 MB) and XlsxWriter (2 MB) are imported by the code that uses them, when it first runs.
A top-level import of any of them, anywhere the app's modules reach, puts that memory back into every
server process; this test says which module brought it in. `python -m bench.memory imports` measures
what each costs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAZY = ("fpdf", "fontTools", "PIL", "segno", "zxcvbn", "authlib", "joserfc", "cryptography", "xlsxwriter")

# Records, for each module imported, the module whose code imported it, so a failure names the culprit.
_PROBE = """
import builtins, json, sys
importer = {}
real_import = builtins.__import__
def tracing_import(name, globals=None, locals=None, fromlist=(), level=0):
    before = set(sys.modules)
    module = real_import(name, globals, locals, fromlist, level)
    by = (globals or {}).get("__name__", "?")
    for new in set(sys.modules) - before:
        importer.setdefault(new, by)
    return module
builtins.__import__ = tracing_import
import lms.app
lms.app.create_app()
print(json.dumps(importer))
"""


def _imported_by_app(tmp_path: Path) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lazy.db'}",
        "SECRET_KEY": "lazy-imports-test-" + "x" * 32,
        "PROFICIO_ENV": "production",
        "COOKIE_SECURE": "true",
        "ATTACHMENTS_DIR": str(tmp_path / "attachments"),
    }
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _imported_by_app(tmp_path_factory.mktemp("lazy"))


def test_a_new_server_process_has_not_imported_the_heavy_libraries(imported: dict[str, str]) -> None:
    heavy = {name: by for name, by in imported.items() if name.split(".")[0] in LAZY}
    # The first module of each library and who imported it: the line to move into the function that uses it.
    culprits = sorted({(name.split(".")[0], by) for name, by in heavy.items() if by.split(".")[0] not in LAZY})
    assert not heavy, f"imported at start-up (library, by module): {culprits}"


def test_the_probe_sees_imports_made_by_the_app(imported: dict[str, str]) -> None:
    # Guards the test above against passing because the probe saw nothing.
    assert imported["lms.app"] == "__main__"
    assert "courses.certificates.routes" in imported
    assert "lms.auth.passwords" in imported
