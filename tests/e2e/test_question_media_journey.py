"""A question's image comes in from a Moodle XML bank and shows wherever the question does (issue 12): the
trainer imports tests/assessments/fixtures/moodle/media.xml, reads the report, previews the question
and sees its image; puts it in a quiz; a learner sees the image in the attempt and in the review. Each
page is checked for console errors, CSP refusals and axe-core violations, and each image is checked
as loaded (the browser decoded the bytes the server sent), with its alt text."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import LEAD, TRAINER
from tests.e2e.support.courses import add_module, create_course, publish, unique_title
from tests.e2e.support.pages import check_page, field, sign_in, sign_out, visit

MEDIA = Path(__file__).resolve().parent.parent / "assessments" / "fixtures" / "moodle" / "media.xml"
ALT = "A closed padlock"


def click(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_page(page)


def assert_image_shown(page: Page, alt: str) -> None:
    image = page.get_by_role("img", name=alt)
    expect(image).to_be_visible()
    src = image.get_attribute("src") or ""
    assert re.fullmatch(r"/questions/\d+/files/\d+", src), src
    # naturalWidth is 0 for an image the browser could not load or decode.
    assert image.evaluate("img => img.complete && img.naturalWidth") == 2


def test_an_imported_image_shows_in_the_bank_the_attempt_and_the_review(page: Page, tmp_path: Path):
    tag = uuid.uuid4().hex[:8]
    category, name = f"Media {tag}", f"Padlock {tag}"
    bank = tmp_path / f"media-{tag}.xml"
    bank.write_text(
        MEDIA.read_text(encoding="utf-8")
        .replace("$course$/top/Media", f"$course$/top/{category}")
        .replace("<text>Padlock</text>", f"<text>{name}</text>"),
        encoding="utf-8",
    )

    sign_in(page, TRAINER)
    visit(page, "/author/questions/import")
    page.locator("input#file[type=file]").set_input_files(str(bank))
    click(page, page.get_by_role("button", name="Preview import"))
    row = page.locator("section.bank-import-preview table").first.locator("tbody tr").filter(has_text=name)
    expect(row).to_contain_text("Carries 3 images: line.png, padlock icon.png, tick.gif.")
    expect(row).to_contain_text("The image missing.png was left out")
    click(page, page.get_by_role("button", name="Import 3 questions"))

    visit(page, f"/author/questions?q={tag}")
    click(page, page.get_by_role("link", name=f"Preview “{name}”"))
    assert_image_shown(page, ALT)
    expect(page.get_by_role("img", name="A green tick")).to_be_visible()  # an image inside a choice

    # A quiz holding the question, in a new published course.
    visit(page, "/author/courses/new")
    competence = page.locator("#competence-0 option:not([value=''])").first.inner_text().strip()
    course_id = create_course(page, title=unique_title("Signs in the browser"), competence=competence, level=2)
    module = "Reading the signs"
    add_module(page, module)
    click(page, page.get_by_role("link", name=f"Add a quiz to {module}"))
    field(page, "Quiz title").fill(f"Padlock quiz {tag}")
    click(page, page.get_by_role("button", name="Add quiz"))
    page.get_by_label("Show questions from category").select_option(label=category)
    click(page, page.get_by_role("button", name="Filter"))
    page.get_by_label("Question", exact=True).select_option(label=f"{name} (single choice)")
    click(page, page.get_by_role("button", name="Add this question"))
    visit(page, f"/author/courses/{course_id}")
    publish(page)
    sign_out(page)

    sign_in(page, LEAD)
    visit(page, f"/courses/{course_id}")
    click(page, page.get_by_role("button", name="Enrol"))
    click(page, page.get_by_role("link", name="Start", exact=True))
    click(page, page.get_by_role("link", name="Go to the quiz"))
    click(page, page.get_by_role("button", name="Start the quiz"))
    assert_image_shown(page, ALT)
    page.locator("label", has_text="The connection is encrypted").click()  # USWDS draws the radio on its label
    click(page, page.get_by_role("button", name="Save and review your answers"))
    click(page, page.get_by_role("button", name="Submit and finish"))
    assert re.search(r"/attempts/\d+/result$", page.url), page.url
    assert_image_shown(page, ALT)
