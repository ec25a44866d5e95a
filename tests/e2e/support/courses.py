"""Helpers for the courses pages: building a course through the authoring screens, reading levels and lists.

The browser tests share one database, so every course they build carries ``E2E_MARK`` in its title:
other tests can tell it from the demo courses, and a uuid fragment keeps each title unique.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from tests.e2e.support.pages import check_page, field, visit

E2E_MARK = "(browser test"


def unique_title(stem: str) -> str:
    return f"{stem} {E2E_MARK} {uuid.uuid4().hex[:8]})"


def is_test_course(title: str) -> bool:
    return E2E_MARK in title


@dataclass(frozen=True)
class LessonDraft:
    title: str
    minutes: int
    markdown: str


def lessons_for(topic: str) -> list[LessonDraft]:
    """Two short, real-sounding lessons; headings start at level 2 because the lesson title is the h1."""
    return [
        LessonDraft(
            f"Who is asking? ({topic})",
            5,
            "## Check the sender\n\nLook at the full address, not only the display name.\n\n"
            "- Hover over links before you open them\n- Ask a colleague when in doubt\n",
        ),
        LessonDraft(
            f"Reporting it ({topic})",
            4,
            "## Report, then delete\n\nForward the message to the service desk, then delete it.\n\n"
            "| Step | Who |\n| --- | --- |\n| Report | You |\n| Block | Service desk |\n",
        ),
    ]


def flash_text(page: Page) -> str:
    return page.locator("#flashes").inner_text().strip()


def course_id_from_url(page: Page) -> int:
    found = re.search(r"/author/courses/(\d+)", page.url)
    assert found, f"expected to be on a course's authoring page, not {page.url}"
    return int(found.group(1))


# --- authoring, as a signed-in trainer ----------------------------------------------------------


def create_course(page: Page, *, title: str, competence: str, level: int, minutes: int = 15) -> int:
    """New course form -> the draft's authoring page; ``competence`` is its label, e.g. "5.1 Solving ..."."""
    visit(page, "/author")
    with page.expect_navigation():
        page.get_by_role("link", name="New course").click()
    check_page(page)
    field(page, "Title").fill(title)
    field(page, "Summary").fill("Tell a genuine request from a scam, and what to do about the scams.")
    field(page, "Audience").fill("Everyone who answers citizens' emails")
    field(page, "Estimated time (minutes)").fill(str(minutes))
    field(page, "Competence 1").select_option(label=competence)
    field(page, "Level reached (competence 1)").select_option(label=str(level))
    with page.expect_navigation():
        page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#flashes")).to_contain_text("Course created as a draft")
    check_page(page)
    return course_id_from_url(page)


def add_module(page: Page, title: str) -> None:
    """On a course's authoring page."""
    field(page, "Module title").fill(title)
    with page.expect_navigation():
        page.get_by_role("button", name="Add module").click()
    expect(page.locator("#flashes")).to_contain_text(f"Module “{title}” added.")
    expect(page.locator("#outline h3").filter(has_text=f": {title}")).to_have_count(1)
    check_page(page)


def open_new_lesson(page: Page, module_title: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=f"Add a lesson to {module_title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New lesson in “{module_title}”")
    check_page(page)


def save_lesson(page: Page, lesson: LessonDraft) -> None:
    """On the new-lesson form: fill it in at once (no live preview) and add the lesson."""
    field(page, "Lesson title").fill(lesson.title)
    field(page, "Estimated time (minutes)").fill(str(lesson.minutes))
    field(page, "Lesson text (Markdown)").fill(lesson.markdown)
    submit_lesson(page, lesson)


def submit_lesson(page: Page, lesson: LessonDraft) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Add lesson").click()
    expect(page.locator("#flashes")).to_contain_text(f"Lesson “{lesson.title}” added.")
    check_page(page)


def outline_lessons(page: Page) -> list[str]:
    """Lesson titles in the authoring outline, in order."""
    return [t.strip() for t in page.locator("#outline ol.outline-lessons > li > a").all_inner_texts()]


def publish(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("#flashes")).to_contain_text("Course published: learners can now find it in the catalogue.")
    expect(page.locator("main .course-status").first).to_have_text("Published")
    check_page(page)


def build_published_course(page: Page, *, title: str, competence: str, level: int) -> tuple[int, list[LessonDraft]]:
    """The whole authoring path without the checks the authoring journey makes: one module, two lessons."""
    course_id = create_course(page, title=title, competence=competence, level=level)
    module = "Spotting the signs"
    add_module(page, module)
    lessons = lessons_for(title.split(" ")[0])
    for lesson in lessons:
        open_new_lesson(page, module)
        save_lesson(page, lesson)
    assert outline_lessons(page) == [lesson.title for lesson in lessons]
    publish(page)
    return course_id, lessons


# --- reading the learner's pages ------------------------------------------------------------------


def level_number(text: str) -> int:
    """ "5 · Advanced ..." -> 5; "Not verified yet" and a lapsed level ("0 (lapsed)") -> 0."""
    found = re.match(r"^\s*(\d+)", text)
    return int(found.group(1)) if found else 0


def required_skills(page: Page) -> list[dict]:
    """On My skills, the required-for-your-role table: competence label, required and verified level, cell text."""
    rows = page.evaluate(
        """() => {
            const table = document.querySelector('table.skills-table');
            if (!table) return [];
            const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
            const col = name => heads.indexOf(name);
            const tidy = s => s.replace(/\\s+/g, ' ').trim();
            return [...table.querySelectorAll('tbody tr')].map(tr => {
                const cells = [...tr.children];
                return {competence: tidy(cells[0].innerText), href: cells[0].querySelector('a').getAttribute('href'),
                        required: tidy(cells[col('Required')].innerText),
                        verified: tidy(cells[col('Verified level')].innerText)};
            });
        }"""
    )
    for row in rows:
        row["required_level"] = level_number(row["required"])
        row["verified_level"] = level_number(row["verified"])
    return rows


def competence_to_improve(page: Page) -> tuple[str, int]:
    """On My skills: a required competence below its required level and the level that closes the gap;
    failing that, any required competence one level above where the learner is verified."""
    rows = required_skills(page)
    assert rows, "the demo employee's role should require competences"
    for row in rows:
        if row["verified_level"] < row["required_level"]:
            return row["competence"], row["required_level"]
    row = next(r for r in rows if r["verified_level"] < 8)
    return row["competence"], row["verified_level"] + 1


def close_gap_actions(page: Page) -> list[dict]:
    """On My team, the "Close the gaps" entries that offer a course: competence, people below, course, button."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.close-gaps li.close-gap')].flatMap(li => {
            const form = li.querySelector('form');
            if (!form) return [];
            const heading = li.querySelector('h3').innerText.replace(/\\s+/g, ' ').trim();
            const m = heading.match(/^(\\S+) (.*): (\\d+) (?:person|people) below requirement$/);
            const best = li.querySelector('p a');
            return [{code: m[1], competence: `${m[1]} ${m[2]}`, below: parseInt(m[3], 10),
                     course: best.innerText.trim(), course_id: form.querySelector('[name=course_id]').value,
                     competence_id: form.querySelector('[name=competence_id]').value}];
        })"""
    )


def assignment_rows(page: Page) -> list[dict]:
    """On Team assignments: person, course, status and due text for each row shown."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#assignment-results tbody tr')].map(tr => {
            const cells = [...tr.children].map(td => td.innerText.replace(/\\s+/g, ' ').trim());
            return {person: cells[0], course: cells[1], status: cells[2], due: cells[3], progress: cells[4],
                    assigned_by: cells[5]};
        })"""
    )


def mark_navigation(page: Page) -> None:
    """Leave a marker in the document; it survives an htmx swap but not a page load."""
    page.evaluate("() => { window.__e2e_no_reload = true; }")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.__e2e_no_reload === true"), "the page reloaded; expected an in-place update"
