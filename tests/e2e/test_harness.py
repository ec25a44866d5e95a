"""The checks every browser test relies on must themselves catch what they claim to catch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.support.axe import axe_violations, format_violations
from tests.e2e.support.pages import check_page, visit

TINY_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw="


def test_axe_reports_violations_with_rule_impact_and_target(page: Page):
    page.set_content(f'<html lang="en"><title>t</title><body><main><input type="text"><img src="{TINY_GIF}"></main>')
    violations = axe_violations(page)
    assert {"label", "image-alt"} <= {v["id"] for v in violations}
    report = format_violations("about:blank", violations)
    assert "- label [critical]" in report
    assert "at input" in report and "at img" in report


def test_a_csp_refusal_fails_the_page_check(page: Page):
    visit(page, "/login")
    with page.expect_console_message(lambda m: m.type == "error"):
        page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'window.injected = true';
            document.body.appendChild(s);
        }""")
    assert page.evaluate("() => window.injected") is None, "the CSP let an inline script run"
    with pytest.raises(AssertionError, match="Content Security Policy"):
        check_page(page)


def test_a_script_error_fails_the_page_check(page: Page):
    visit(page, "/login")
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('boom from the page'); }); }")
    with pytest.raises(AssertionError, match="boom from the page"):
        check_page(page)
