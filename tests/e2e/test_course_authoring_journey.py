"""The demo trainer builds a course: details and a competence, a module, two lessons written in Markdown with
the live preview following the typing, reordered and hidden in place, then published for learners."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import TRAINER
from tests.e2e.support.courses import (
    add_module,
    assert_not_reloaded,
    create_course,
    is_test_course,
    lessons_for,
    mark_navigation,
    open_new_lesson,
    outline_lessons,
    publish,
    save_lesson,
    submit_lesson,
    unique_title,
)
from tests.e2e.support.pages import check_page, field, sign_in, visit


def first_competence(page: Page) -> str:
    """The first competence the new-course form offers, as its option label."""
    visit(page, "/author/courses/new")
    return page.locator("#competence-0 option:not([value=''])").first.inner_text().strip()


def outline_click(page: Page, name: str) -> None:
    """An outline button: htmx swaps the outline in place; the page does not reload."""
    mark_navigation(page)
    page.locator("#outline").get_by_role("button", name=name, exact=True).click()


def test_trainer_builds_and_publishes_a_course_with_two_lessons(page: Page):
    sign_in(page, TRAINER)
    competence = first_competence(page)
    title = unique_title("Telling real requests from scams")
    course_id = create_course(page, title=title, competence=competence, level=3)
    expect(page.locator("main .course-status").first).to_have_text("Draft")
    expect(page.get_by_role("region", name="Competences developed")).to_contain_text(f"{competence}: level 3")

    module = "Spotting the signs"
    add_module(page, module)
    first, second = lessons_for("scams")

    # The first lesson is typed: the preview follows the Markdown as it is written, without a reload.
    open_new_lesson(page, module)
    field(page, "Lesson title").fill(first.title)
    field(page, "Estimated time (minutes)").fill(str(first.minutes))
    preview = page.locator("#preview")
    expect(preview).to_contain_text("The preview appears here as you type.")
    mark_navigation(page)
    body = field(page, "Lesson text (Markdown)")
    body.press_sequentially("## Check the sender\n\nLook at the **full** address.")
    expect(preview.get_by_role("heading", level=2, name="Check the sender")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("full")
    body.press_sequentially("\n\n- Hover over links before you open them")
    expect(preview.get_by_role("listitem")).to_have_text("Hover over links before you open them")
    # Pasted text arrives without a key press (an input event only): the preview follows it too.
    page.keyboard.insert_text("\n\nPasted from the policy: report a suspicious message.")
    expect(preview).to_contain_text("Pasted from the policy: report a suspicious message.")
    assert_not_reloaded(page)
    check_page(page)
    submit_lesson(page, first)

    open_new_lesson(page, module)
    save_lesson(page, second)
    assert outline_lessons(page) == [first.title, second.title]

    # Reorder and hide in place (htmx), with a message for screen readers; then put things back.
    outline_click(page, f"Move down “{first.title}”")
    expect(page.locator("#outline .outline-status")).to_contain_text(f"Moved “{first.title}” down.")
    assert outline_lessons(page) == [second.title, first.title]
    outline_click(page, f"Move up “{first.title}”")
    expect(page.locator("#outline .outline-status")).to_contain_text(f"Moved “{first.title}” up.")
    assert outline_lessons(page) == [first.title, second.title]
    status = page.locator("#outline .outline-status")
    outline_click(page, f"Hide “{second.title}”")
    expect(status).to_contain_text(f"“{second.title}” is now hidden from learners.")
    expect(page.locator("#outline li.is-hidden")).to_contain_text(second.title)
    outline_click(page, f"Show “{second.title}”")
    expect(status).to_contain_text(f"“{second.title}” is now shown to learners.")
    expect(page.locator("#outline li.is-hidden")).to_have_count(0)
    assert_not_reloaded(page)
    check_page(page)

    # After a reload the order is what the trainer left, so it was saved, not only drawn.
    visit(page, f"/author/courses/{course_id}")
    assert outline_lessons(page) == [first.title, second.title]

    publish(page)

    visit(page, "/author")
    row = page.locator("table.author-courses tbody tr").filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row.locator(".course-status")).to_have_text("Published")
    expect(row.locator("td").nth(2)).to_have_text("2")  # lessons

    # Published means learners can find it: the catalogue shows it to anyone signed in.
    visit(page, "/courses?q=" + re.sub(r"[()]", "", title).split()[-1])
    expect(page.locator("#catalogue-results").get_by_role("link", name=title)).to_be_visible()


def test_trainer_authoring_pages_are_accessible(page: Page):
    sign_in(page, TRAINER)
    visit(page, "/author")
    links = page.locator("table.author-courses tbody th a")
    demo = next((links.nth(i) for i in range(links.count()) if not is_test_course(links.nth(i).inner_text())), None)
    assert demo is not None, "the demo trainer should edit at least one demo course"
    href = demo.get_attribute("href")
    visit(page, href)
    expect(page.locator("#outline .outline-module").first).to_be_visible()
    lesson = page.locator("#outline ol.outline-lessons a").first.get_attribute("href")
    visit(page, lesson)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit lesson")
    expect(page.locator("#preview")).not_to_be_empty()
