"""A course in two languages: a trainer translates part of it; a French reader gets French where it
exists and the English original, marked and explained, where it does not."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.accounts import DEMO_PASSWORD, EMPLOYEE, TRAINER
from tests.e2e.support.courses import build_published_course, unique_title
from tests.e2e.support.pages import check_page, field, sign_in, visit, watch


def test_a_french_reader_sees_the_french_lesson_and_a_note_on_the_untranslated_one(page: Page, browser: Browser, base_url: str):
    sign_in(page, TRAINER)
    title = unique_title("Phishing basics")
    course_id, (first, second) = build_published_course(
        page, title=title, competence="4.2 Protecting personal data and privacy", level=2
    )

    # Start French from the course page: title and summary first.
    visit(page, f"/author/courses/{course_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Start a version in French").click()
    check_page(page)
    french_title = f"Les bases de l’hameçonnage {course_id}"
    field(page, "Title").fill(french_title)
    field(page, "Summary").fill("Reconnaître une demande authentique d’une arnaque.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the French version").click()
    expect(page.locator("#flashes")).to_contain_text("The French version is saved.")

    # The table shows what is missing; the first lesson's link goes straight to its form.
    table = page.locator("table.translation-table")
    expect(table.get_by_role("link", name=re.compile(r"^Missing"))).to_have_count(3)  # the module and both lessons
    check_page(page)
    with page.expect_navigation():
        table.get_by_role("link", name=re.compile("^Missing.*" + re.escape(first.title))).click()
    check_page(page)
    field(page, "Title").fill("Qui demande ?")
    field(page, "Lesson text (Markdown)").fill(
        "## Vérifier l’expéditeur\n\nRegardez l’adresse complète, pas seulement le nom affiché.\n"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save the French version").click()
    expect(table.get_by_role("link", name=re.compile(r"^Missing"))).to_have_count(2)

    # A reader whose browser asks for French.
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    reader = context.new_page()
    reader.set_default_timeout(10_000)
    reader_watch = watch(reader)
    visit(reader, "/login")
    reader.get_by_label("Adresse e-mail").fill(EMPLOYEE)
    reader.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    with reader.expect_navigation():
        reader.get_by_role("button", name="Se connecter").click()

    visit(reader, f"/courses/{course_id}")
    expect(reader.get_by_role("heading", level=1)).to_have_text(french_title)
    expect(reader.get_by_role("link", name="Qui demande ?")).to_be_visible()
    expect(reader.get_by_role("link", name=second.title)).to_have_attribute("lang", "en")
    check_page(reader)

    with reader.expect_navigation():
        reader.get_by_role("link", name="Qui demande ?").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Qui demande ?")
    expect(reader.get_by_role("heading", name="Vérifier l’expéditeur")).to_be_visible()
    expect(reader.locator(".lesson-language-note")).to_have_count(0)
    check_page(reader)

    visit(reader, f"/courses/{course_id}")
    with reader.expect_navigation():
        reader.get_by_role("link", name=second.title).click()
    heading = reader.get_by_role("heading", level=1)
    expect(heading).to_have_text(second.title)
    expect(heading).to_have_attribute("lang", "en")
    expect(reader.locator("article.lesson-body")).to_have_attribute("lang", "en")
    expect(reader.locator(".lesson-language-note")).to_contain_text("anglais")
    expect(reader.locator("html")).to_have_attribute("lang", "fr")
    check_page(reader)  # axe: valid-lang and the rest, on a French page holding English content
    reader_watch.assert_clean()
    context.close()
