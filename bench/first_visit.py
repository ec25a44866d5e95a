"""What a first and a repeat visit cost the browser: requests and bytes on the wire, in a real Chromium.

A cold browser opens the sign-in page, signs in as the employee and lands on their home page; the same
browser (its HTTP cache kept) then opens the sign-in page and the home page again. Bytes are what came
over the wire (headers and compressed bodies, as Chromium counts them); a response served from the
browser's cache costs nothing and is not counted as a request.

    python -m bench.first_visit --database-url sqlite:///var/bench/bench-S.db

Targets (issue 15): a first visit under 100 KB in at most 6 requests, a repeat visit only the HTML.
"""

from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, Request, sync_playwright

from bench.servers import ROOT, lms_served
from bench.synth_people import EMPLOYEE
from lms.demo_accounts import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
TARGET_BYTES = 100 * 1024
TARGET_REQUESTS = 6


@dataclass
class Visit:
    requests: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(size for _, size in self.requests)

    def line(self, label: str) -> str:
        return f"{label}: {len(self.requests)} requests, {self.total / 1024:.1f} KiB"


def _record(page: Page, visit: Visit) -> None:
    def finished(request: Request) -> None:
        response = request.response()
        if response is None or response.from_service_worker:
            return
        sizes = request.sizes()
        wire = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if response.status == 304 or wire > 0:
            visit.requests.append((request.url.split("?")[0], wire))

    page.on("requestfinished", finished)


def measure(base: str) -> tuple[Visit, Visit]:
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS) if executable else p.chromium.launch()
        context = browser.new_context()
        page = context.new_page()
        first, repeat = Visit(), Visit()
        _record(page, first)
        page.goto(base + "/login", wait_until="networkidle")
        page.fill("input[name=email]", EMPLOYEE)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.close()
        second = context.new_page()
        _record(second, repeat)
        second.goto(base + "/", wait_until="networkidle")
        browser.close()
    return first, repeat


def report(database_url: str) -> str:
    """Serve the database with `lms serve`, measure both visits, and describe them with the targets."""
    with lms_served(database_url, Path(ROOT) / "var/bench/logs/first-visit.log") as (base, _):
        first, repeat = measure(base)
    lines = []
    for label, visit in (("First visit (sign-in page, sign in, home)", first), ("Repeat visit (home)", repeat)):
        lines.append(visit.line(label))
        lines.extend(f"  {size / 1024:7.1f} KiB  {url.removeprefix(base)}" for url, size in visit.requests)
    lines.append(
        f"Target: first visit < {TARGET_BYTES // 1024} KiB in <= {TARGET_REQUESTS} requests "
        f"({first.total / TARGET_BYTES:.2f}x the bytes, {len(first.requests) / TARGET_REQUESTS:.2f}x the requests); "
        f"repeat visit only the page ({len(repeat.requests)} request)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a generated bench database (bench.generate)")
    print(report(parser.parse_args().database_url))


if __name__ == "__main__":
    main()
