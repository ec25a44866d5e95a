"""The header's language switch, with the keyboard alone, and the pages it leads to in French."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import DEMO_PASSWORD, EMPLOYEE
from tests.e2e.support.pages import check_page, visit
from tests.e2e.test_keyboard import tab_until


def test_the_switch_turns_the_pages_french_from_the_keyboard(page: Page):
    visit(page, "/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    reached = tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Français")
    assert reached["outline"], "the focused switch shows no focus outline"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Proficio")
    expect(page.get_by_text("Les pages s’affichent désormais en Français.")).to_be_visible()
    check_page(page)  # axe-core on the French page, lang attributes included

    # Signed in, a person who chose nothing keeps the browser's choice of the switch.
    page.get_by_label("Adresse e-mail").fill(EMPLOYEE)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("navigation", name="Principale").get_by_role("link", name="Mon compte")).to_be_attached()
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("navigation", name="Langue").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    check_page(page)
