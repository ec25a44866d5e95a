"""Helpers for the competences pages: keyboard focus, and reading levels the way a user reads them."""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.sync_api import Page

# Generous: the primary navigation grows as features land, and these tests must not depend on it.
MAX_TABS = 40


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type'),
                    name: el.getAttribute('name'), value: el.value, checked: !!el.checked,
                    text: (el.innerText || '').trim()};
        }"""
    )


def tab_until(page: Page, matches, *, key: str = "Tab") -> dict:
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
        seen.append(now.get("id") or now.get("name") or now.get("text") or now["tag"])
    raise AssertionError(f"{key} never reached the target; focus went through {seen}")


def expect_status(page: Page, path: str, status: int) -> None:
    """Tell the page watch that a request to ``path`` will answer ``status`` on purpose."""
    page._proficio_watch.expect_status(urljoin(page.url, path), status)


def my_skills_levels(page: Page) -> dict[str, dict[str, str]]:
    """On My skills: competence ("2.2 Interacting ...") -> the text of its verified and self-assessed cells.

    Read from the required-for-your-role table, by column header, so a new column does not break it.
    """
    return page.evaluate(
        """() => {
            const table = [...document.querySelectorAll('table.skills-table')][0];
            const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
            const col = name => heads.indexOf(name);
            const tidy = s => s.replace(/\\s+/g, ' ').trim();
            const out = {};
            for (const tr of table.querySelectorAll('tbody tr')) {
                const cells = [...tr.children];
                out[tidy(cells[0].innerText)] = {
                    verified: tidy(cells[col('Verified level')].innerText),
                    self: tidy(cells[col('Self-assessed')].innerText),
                };
            }
            return out;
        }"""
    )


def heatmap(page: Page) -> dict:
    """The heatmap as a user reads it: column codes; per person their link, profile, cells, lapsed cells, total gap."""
    return page.evaluate(
        """() => {
            const table = document.querySelector('table.heatmap');
            if (!table) return {codes: [], people: []};
            const tidy = s => s.replace(/\\s+/g, ' ').trim();
            const heads = [...table.querySelectorAll('thead th')];
            const codes = heads.slice(1, -1).map(th => tidy(th.querySelector('abbr').innerText));
            const people = [...table.querySelectorAll('tbody tr')].map(tr => {
                const cells = [...tr.children];
                const link = cells[0].querySelector('a');
                const levels = {}, lapsed = [];
                cells.slice(1, -1).forEach((td, i) => {
                    const shown = td.querySelector('.heat-levels');
                    if (shown) levels[codes[i]] = tidy(shown.innerText);
                    if (td.querySelector('.heat-lapsed')) lapsed.push(codes[i]);
                });
                return {name: tidy(link.innerText), href: link.getAttribute('href'),
                        profile: tidy(cells[0].querySelector('.heat-profile').innerText),
                        levels, lapsed, total_gap: parseInt(cells[cells.length - 1].innerText, 10)};
            });
            return {codes, people};
        }"""
    )


def verified_and_required(cell: str) -> tuple[int, int]:
    """A heatmap cell reads "verified / required"."""
    verified, required = (int(part) for part in cell.split("/"))
    return verified, required
