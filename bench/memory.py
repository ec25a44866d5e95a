"""Where a web process's memory goes (issue 15: at most 250 MB per process at L).

    python -m bench.memory imports
    python -m bench.memory pages --database-url sqlite:///var/bench/bench-L.db

`imports`: in fresh interpreters, the resident memory (VmRSS) after each step of importing the framework,
the libraries and Proficio's own packages in turn and after `create_app()` (which imports every route
module), and what importing each heavy library costs on top of the framework (FastAPI, SQLModel,
Jinja2, Babel) in a process of its own: the libraries Proficio imports only where they are used
(tests/lms/test_lazy_imports.py keeps them so).

`pages`: `lms serve` as an operator runs it (production settings), one request of each page kind of
the mixed load (bench.mixed) in turn, and the server's VmRSS and VmHWM after each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx2 as httpx

from bench.servers import SECRET, lms_served

# Heavy libraries and what in Proficio needs them; none should be imported by `import lms.app`.
LAZY = {
    "fpdf": ("fpdf", "certificate PDFs (courses/certificates/pdf.py), with fontTools and Pillow"),
    "segno": ("segno", "the QR code on a certificate"),
    "zxcvbn": ("zxcvbn", "password strength, on forms that set a password (lms/auth/passwords.py)"),
    "authlib": ("authlib.integrations.httpx_client", "sign-in through an OpenID provider (lms/sso/client.py)"),
    "joserfc": ("joserfc.jwt", "ID tokens and signed badges (lms/sso/client.py, lms/badges/), with cryptography"),
    "xlsxwriter": ("xlsxwriter", "XLSX exports (lms/reports/export.py)"),
}

_ENV = {"SECRET_KEY": SECRET, "PROFICIO_ENV": "production", "COOKIE_SECURE": "true"}

# Imported in this order in one process, VmRSS read after each step: what each step adds.
STEPS = [
    "sqlalchemy.orm",
    "pydantic",
    "fastapi",
    "sqlmodel",
    "jinja2",
    "babel.dates",
    "httpx2",
    "passlib.context",
    "markdown_it",
    "nh3",
    "scim2_models",
    "lms.models",
    "courses.models",
    "assessments.models",
    "lms.app",
]

_WATERFALL = """
import importlib, json, sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
steps = [("interpreter", rss(), len(sys.modules))]
for name in sys.argv[2:]:
    importlib.import_module(name)
    steps.append((name, rss(), len(sys.modules)))
import lms.app
lms.app.create_app()
steps.append(("create_app()", rss(), len(sys.modules)))
print(json.dumps({"steps": steps, "loaded": sorted(sys.modules)}))
"""

_LIBRARY = """
import importlib, sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import babel, fastapi, jinja2, sqlmodel
before = rss()
importlib.import_module(sys.argv[2])
print(rss() - before)
"""


def _python(code: str, *args: str) -> str:
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, **_ENV, "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/proficio-bench-memory.db")}
    done = subprocess.run([sys.executable, "-c", code, root, *args], capture_output=True, text=True, env=env, cwd=root)
    if done.returncode:
        raise RuntimeError(done.stderr)
    return done.stdout.strip().splitlines()[-1]


def imports() -> None:
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    result = json.loads(_python(_WATERFALL, *STEPS))
    print("| step (imported in this order) | VmRSS MB | added MB | modules |\n|---|---:|---:|---:|")
    previous = 0.0
    for name, rss, modules in result["steps"]:
        print(f"| {name} | {rss:.1f} | {rss - previous:+.1f} | {modules} |")
        previous = rss
    loaded = set(result["loaded"])
    print("\nImported only where used (VmRSS added by importing it after the framework, own process):\n")
    print("| library | MB | imported by `import lms.app` | what needs it |\n|---|---:|---|---|")
    for package, (module, why) in LAZY.items():
        cost = float(_python(_LIBRARY, module))
        imported = any(name == package or name.startswith(package + ".") for name in loaded)
        print(f"| {module} | {cost:.1f} | {'yes' if imported else 'no'} | {why} |")


def _status(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _server_pid(proc: subprocess.Popen) -> int:
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        children = []
    return int(children[0]) if children else proc.pid


def pages(database_url: str) -> None:
    from bench.mixed import prepare

    requests = prepare(database_url, 4)
    log = Path("var/bench/logs/memory-pages.log")
    with lms_served(database_url, log, **_ENV) as (base, proc):
        pid = _server_pid(proc)
        rss, peak = _status(pid)
        print(f"load average {os.getloadavg()[0]:.1f}\n")
        print("| after | status | VmRSS MB | VmHWM MB |\n|---|---:|---:|---:|")
        print(f"| start (one /healthz) | 200 | {rss:.1f} | {peak:.1f} |")
        with httpx.Client(base_url=base, timeout=120) as client:
            for kind, kind_requests in requests.items():
                r = kind_requests[0]
                headers = {"Cookie": r.cookie}
                if r.htmx:
                    headers["HX-Request"] = "true"
                if r.method == "POST":
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                response = client.request(r.method, r.path, headers=headers, content=r.body or None)
                rss, peak = _status(pid)
                print(f"| {kind} | {response.status_code} | {rss:.1f} | {peak:.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["imports", "pages"])
    parser.add_argument("--database-url", help="a generated organisation (pages)")
    args = parser.parse_args(argv)
    if args.what == "imports":
        imports()
    elif not args.database_url:
        parser.error("pages needs --database-url")
    else:
        pages(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
