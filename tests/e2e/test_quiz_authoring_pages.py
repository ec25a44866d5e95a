"""The demo trainer's assessments pages: the question bank (list, filter, categories, every kind's form, edit and
preview, a rejected form, a GIFT import through preview and confirm), a quiz's settings and its results.
Each page is checked for console errors, CSP refusals and axe-core violations."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import TRAINER
from tests.e2e.support.courses import flash_text, is_test_course
from tests.e2e.support.pages import check_page, sign_in, visit

KINDS = {
    "single_choice": "single choice",
    "multiple_choice": "multiple choice",
    "true_false": "true/false",
    "short_text": "short text",
    "numeric": "numeric",
    "matching": "matching",
}


def click_through(page: Page, link) -> None:
    with page.expect_navigation():
        link.click()
    check_page(page)


def test_question_bank_pages_are_accessible(page: Page):
    sign_in(page, TRAINER)
    visit(page, "/author/questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Question bank")
    rows = page.locator("table.bank-questions tbody tr")
    expect(rows.first).to_be_visible()

    # A filter answers in place (htmx) and puts the filters in the address.
    page.get_by_label("Kind", exact=True).select_option("single_choice")
    expect(page).to_have_url(re.compile(r"kind=single_choice"))
    expect(rows.first).to_be_visible()
    for kind in rows.locator("td:nth-child(2)").all_inner_texts():
        assert kind == "Single choice", kind
    check_page(page)

    # One existing question, found from the list: its edit page and its learner preview.
    link = rows.first.locator("th a").first
    name = link.inner_text().strip()
    click_through(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit question")
    expect(page.get_by_label("Name")).to_have_value(name)
    click_through(page, page.get_by_role("link", name="Preview as a learner"))
    assert re.search(r"/author/questions/\d+/preview$", page.url), page.url

    visit(page, "/author/questions/categories")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("categor", re.I))

    visit(page, "/author/questions/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("What kind of question?")
    expect(page.locator("ul.bank-kinds a")).to_have_count(len(KINDS))
    for kind, label in KINDS.items():
        visit(page, f"/author/questions/new?kind={kind}")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"New question: {label}")

    # A single-choice question with nothing filled in: the form comes back (422) with an error summary.
    visit(page, "/author/questions/new?kind=single_choice")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Add question").click()
    assert navigation.value.status == 422, navigation.value.status
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text(re.compile(r"^There (is a problem|are \d+ problems)$"))
    expect(summary.get_by_role("link").first).to_be_visible()
    check_page(page)


def test_question_import_previews_then_saves(page: Page, tmp_path):
    sign_in(page, TRAINER)
    visit(page, "/author/questions/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import questions")

    tag = uuid.uuid4().hex[:8]
    category = f"Browser test import {tag}"
    gift = tmp_path / f"import-{tag}.gift"
    gift.write_text(
        f"$CATEGORY: {category}\n\n"
        f"::Capital {tag}:: What is the capital of France? {{=Paris ~London ~Berlin}}\n\n"
        f"::Sky {tag}:: The sky is blue on a clear day. {{TRUE}}\n\n"
        f"::Essay {tag}:: Describe your last password change. {{}}\n",
        encoding="utf-8",
    )
    # USWDS's file input script replaces the field's accessible name ("Question file") with its own
    # drag-and-drop instructions, so the input is found by its id rather than by its label.
    page.locator("input#file[type=file]").set_input_files(str(gift))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Preview import").click()
    assert navigation.value.status == 200, navigation.value.status
    check_page(page)
    preview = page.locator("section.bank-import-preview")
    expect(preview.get_by_role("heading", level=2)).to_have_text(f"Preview of “{gift.name}”")
    expect(preview.locator("table").first.locator("tbody tr")).to_have_count(2)
    expect(page.locator("table.bank-import-problems tbody tr")).to_have_count(1)

    click_through(page, page.get_by_role("button", name="Import 2 questions"))
    assert flash_text(page).startswith(f"Imported 2 questions from “{gift.name}”."), flash_text(page)
    visit(page, f"/author/questions?q={tag}")
    expect(page.locator("table.bank-questions tbody tr")).to_have_count(2)


def test_quiz_settings_and_results_pages_are_accessible(page: Page):
    sign_in(page, TRAINER)
    visit(page, "/author")
    links = page.locator("table.author-courses tbody th a")
    courses = [links.nth(i).get_attribute("href") for i in range(links.count()) if not is_test_course(links.nth(i).inner_text())]
    settings = None
    for href in courses:
        visit(page, href)
        found = page.get_by_role("link", name=re.compile(r"^Quiz settings"))
        if found.count():
            settings = found.first
            break
    assert settings is not None, "a demo course the trainer edits should hold a quiz"
    click_through(page, settings)
    found = re.search(r"/author/quizzes/(\d+)$", page.url)
    assert found, page.url
    quiz_id = int(found.group(1))

    visit(page, f"/author/quizzes/{quiz_id}/results")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Results: "))
