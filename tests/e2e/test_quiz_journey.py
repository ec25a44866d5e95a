"""The demo employee takes the timed phishing quiz with the keyboard alone, reloads mid-way and finds the
answers kept, submits, reads the review the quiz allows, and sees the level it verified on My skills.

The demo (assessments/demo.py) leaves this quiz untouched for the employee, and it proves 4.1 at level 3
where the employee is verified below that; the test checks both on the pages before acting.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from assessments.demo.questions import PHISHING
from assessments.questions import MATCHING, MULTIPLE_CHOICE, SHORT_TEXT, QuestionData
from courses.demo.content.phishing import COURSE
from tests.e2e.support.accounts import EMPLOYEE
from tests.e2e.support.courses import required_skills
from tests.e2e.support.pages import check_page, sign_in, visit
from tests.e2e.support.skills import MAX_TABS

CODE, LEVEL = next(iter(COURSE.competences.items()))  # what a pass proves: 4.1 at level 3


def focused(page: Page) -> dict:
    """The focused control, with its label as a user hears it."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el.labels && el.labels[0] ? el.labels[0].innerText.trim() : '';
            return {tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), value: el.value,
                    checked: !!el.checked, label, text: (el.innerText || '').trim()};
        }"""
    )


def tab_to(page: Page, matches) -> dict:
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if matches(now):
            return now
        seen.append(now["label"] or now["text"][:30] or now["tag"])
    raise AssertionError(f"Tab never reached the target; focus went through {seen}")


def into_main(page: Page) -> None:
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")


def question_on_page(page: Page) -> QuestionData:
    stem = page.locator(".question-stem").first.inner_text()
    tidy = " ".join(stem.split())
    found = [q for _, q in PHISHING.questions if " ".join(q.stem_markdown.split())[:20] in tidy]
    assert len(found) == 1, f"cannot tell which demo question this is: {tidy!r}"
    return found[0]


def answer_with_keyboard(page: Page, q: QuestionData) -> None:
    """Answer rightly using Tab, the arrow keys, Space and typing only."""
    into_main(page)
    if q.kind == MULTIPLE_CHOICE:
        right = {c.text for c in q.choices if c.fraction > 0}
        box = tab_to(page, lambda f: f["type"] == "checkbox")
        while not box["label"].startswith("Flag question"):
            if (box["label"] in right) != box["checked"]:
                page.keyboard.press("Space")
            box = tab_to(page, lambda f: f["type"] == "checkbox")
    elif q.kind == MATCHING:
        for _ in q.real_pairs:
            select = tab_to(page, lambda f: f["tag"] == "select")
            answer = next(p.answer for p in q.real_pairs if p.prompt == select["label"])
            page.keyboard.type(answer[:12])  # a closed select jumps to the option its typed start matches
            assert focused(page)["value"] == answer, f"typing did not choose {answer!r} for {select['label']!r}"
    elif q.kind == SHORT_TEXT:
        tab_to(page, lambda f: f["type"] == "text" and f["label"] == "Your answer")
        page.keyboard.type(q.accepted[0].text)
        page.keyboard.press("Tab")  # leaving the field saves at once, as well as after a pause in typing
    else:
        right = max(q.choices, key=lambda c: c.fraction).text
        radio = tab_to(page, lambda f: f["type"] == "radio")
        for _ in q.choices:
            if radio["label"] == right:
                break
            page.keyboard.press("ArrowDown")
            radio = focused(page)
        assert radio["label"] == right
        if not radio["checked"]:
            page.keyboard.press("Space")
    expect(page.locator(".save-status").first).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))


def press_button(page: Page, name: str) -> None:
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page)


def test_employee_takes_a_timed_quiz_with_the_keyboard_and_sees_the_verified_level(page: Page):
    sign_in(page, EMPLOYEE)
    visit(page, "/skills")
    row = next(r for r in required_skills(page) if r["competence"].startswith(f"{CODE} "))
    assert row["verified_level"] < LEVEL, f"the demo employee should be below {LEVEL} in {CODE}: {row}"

    # Find the quiz the way a learner does: My learning, the course, its quiz lesson.
    visit(page, "/learning")
    with page.expect_navigation():
        page.get_by_role("link", name=COURSE.title).first.click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name=PHISHING.title).click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PHISHING.title)
    expect(page.locator(".quiz-facts")).to_contain_text(f"{PHISHING.time_limit_minutes} minutes")
    check_page(page)
    into_main(page)
    press_button(page, "Start the quiz")
    expect(page.locator(".attempt-time")).to_contain_text("Time left: ")

    count = len(PHISHING.questions)
    for number in range(1, count + 1):
        expect(page.locator(".attempt-bar")).to_contain_text(f"Question {number} of {count}")
        q = question_on_page(page)
        answer_with_keyboard(page, q)
        check_page(page)
        if number == 3:
            # Reload mid-way: the autosaved answer is still there.
            field_value = page.locator(".quiz-question input[type=text], .quiz-question input:checked").first
            kept = field_value.input_value() if q.kind == SHORT_TEXT else field_value.get_attribute("value")
            page.reload()
            check_page(page)
            expect(page.locator(".save-status").first).to_contain_text("Saved at")
            if q.kind == SHORT_TEXT:
                expect(page.get_by_label("Your answer", exact=True)).to_have_value(kept)
            else:
                expect(page.locator(f".quiz-question input[value='{kept}']").first).to_be_checked()
        press_button(page, "Save and next" if number < count else "Save and review your answers")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{PHISHING.title}: summary")
    expect(page.get_by_role("cell", name="Not answered")).to_have_count(0)
    expect(page.get_by_role("cell", name="Answered", exact=True)).to_have_count(count)
    into_main(page)
    press_button(page, "Submit and finish")

    # The quiz shows the score and the right answers after submitting.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{PHISHING.title}: your result")
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    expect(page.get_by_text(f"The pass mark is {PHISHING.pass_percent}%.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Your answers")).to_be_visible()
    expect(page.locator("section.quiz-review")).to_have_count(count)
    expect(page.get_by_role("heading", level=3, name=re.compile(r"^Question 1: Correct"))).to_be_visible()

    # The result is no dead end: it names what the pass proved and leads on to the course (issue 20).
    after = page.locator("section.quiz-next")
    expect(after.get_by_role("heading", level=2)).to_have_text("What next")
    expect(after.get_by_role("listitem").filter(has_text=re.compile(rf"^{re.escape(CODE)} .*: level {LEVEL}$"))).to_have_count(1)
    expect(after).to_contain_text(re.compile(rf"You have completed the course “{re.escape(COURSE.title)}”|is not complete yet"))
    with page.expect_navigation():
        after.get_by_role("link", name=re.compile(r"^Back to the course")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE.title)
    check_page(page)
    with page.expect_navigation():
        page.go_back()
    check_page(page)

    link = tab_to(
        page,
        lambda f: f["tag"] == "a" and f["text"] == "My skills" and page.evaluate("() => !!document.activeElement.closest('main')"),
    )
    assert link["text"] == "My skills"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page)
    row = next(r for r in required_skills(page) if r["competence"].startswith(f"{CODE} "))
    assert row["verified_level"] == LEVEL, f"{CODE} should be verified at {LEVEL}; My skills shows {row}"
    assert "Quiz" in row["verified"], f"the verified level should come from the quiz; it reads {row['verified']!r}"
