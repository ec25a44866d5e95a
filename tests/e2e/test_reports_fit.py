"""The skills report's main table at a common laptop width: its last column can be read, by scrolling the
table's own box if need be, and the page itself is never wider than the window."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.support.accounts import LEAD
from tests.e2e.support.pages import check_page, sign_in, watch


def test_last_report_column_is_reachable_at_1280(new_context):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    page._test_watch = watch(page)
    sign_in(page, LEAD)
    page.goto("/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills report: Whole organisation")
    check_page(page)
    wrap = page.get_by_role("region", name="Table of figures for Whole organisation")
    last = wrap.locator("thead th").last
    # The page does not scroll sideways: anything wider scrolls inside the table's box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    box = wrap.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    # At this width the table fits its box; narrower windows scroll inside it.
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    last.scroll_into_view_if_needed()
    header = last.bounding_box()
    assert header is not None
    assert header["x"] >= box["x"] - 1 and header["x"] + header["width"] <= box["x"] + box["width"] + 1
    expect(last).to_be_visible()
    # The first column stays wide enough to read a competence name on one or two lines.
    first = wrap.locator("tbody th").first.bounding_box()
    assert first is not None and first["width"] >= 160
