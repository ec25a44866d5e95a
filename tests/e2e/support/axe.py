"""Run axe-core on the page in the browser and turn its violations into a readable failure."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
# wcag22aa brings 2.5.8 target size (24 by 24 CSS pixels, or that much room around a smaller target).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@lru_cache(maxsize=1)
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, within: str | None = None) -> list[dict]:
    """Violations on the whole page, or only inside the element matching the CSS selector ``within``."""
    # Evaluated over the DevTools protocol, which the page's CSP (script-src 'self') does not govern;
    # a <script> tag would be refused, as it should be.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async ([tags, within]) => {
            const context = within ? document.querySelector(within) : document;
            if (!context) throw new Error(`nothing on the page matches ${within}`);
            const results = await window.axe.run(context, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        [TAGS, within],
    )


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}")
            if node["summary"]:
                lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


def assert_accessible(page: Page, within: str | None = None) -> None:
    violations = axe_violations(page, within)
    where = page.url + (f" inside {within}" if within else "")
    assert not violations, format_violations(where, violations)
