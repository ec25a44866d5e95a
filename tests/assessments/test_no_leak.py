"""Right answers and feedback never reach the browser before the review policy allows.

Every attempt page and fragment is rendered, with questions of every kind whose feedback, accepted
answers and numbers are distinctive strings, and the HTML is searched for them.
"""

from __future__ import annotations

import re

import pytest

from assessments.models import Attempt
from tests.assessments.factories import SECRETS, make_quiz, questions, sequences, slot_of, start

HX = {"HX-Request": "true"}
# Wrong answers, so a learner's own (saved, shown back) answer is never a right one.
WRONG = {
    "single_choice": {"choice": "b"},
    "multiple_choice": {"choices": ["m3"]},
    "true_false": {"choice": "false"},
    "short_text": {"text": "no idea"},
    "numeric": {"value": "12"},
    "matching": {"match-p1": "Letters"},
}
MARKERS = ["correct", "fraction", "a right answer", "feedback", "0.3333", "-0.33", "general_feedback"]


def assert_clean(html: str, where: str) -> None:
    lowered = html.lower()
    for secret in SECRETS.values():
        assert secret.lower() not in lowered, f"{where} leaks {secret!r}"
    for marker in MARKERS:
        assert marker not in lowered, f"{where} contains {marker!r}"


def assert_matching_reveals_no_pairs(html: str) -> None:
    selects = re.findall(r'<select[^>]*name="match-[^"]+"[^>]*>(.*?)</select>', html, re.S)
    assert len(selects) == 3
    lists = [re.findall(r'<option value="([^"]*)"', s) for s in selects]
    assert all(options == lists[0] for options in lists), "each prompt must offer the same list"
    assert sorted(lists[0]) == sorted(["", "Tables of numbers", "Letters", "Web pages", "Nothing at all"])


@pytest.mark.parametrize("one_per_page", [True, False])
def test_attempt_pages_and_fragments_never_show_answers(db, signed_in, one_per_page):
    quiz = make_quiz(db, data=questions(), review_policy="never", one_per_page=one_per_page)
    browser, _ = signed_in()
    assert_clean(browser.get(f"/quizzes/{quiz.id}").text, "intro")
    attempt_id = start(browser, quiz)
    pages = range(1, 7) if one_per_page else [1]
    for page in pages:
        html = browser.get(f"/attempts/{attempt_id}?page={page}").text
        assert_clean(html, f"attempt page {page}")
        if "match-p1" in html:
            assert_matching_reveals_no_pairs(html)
    for kind, fields in WRONG.items():
        slot = slot_of(db, attempt_id, kind)
        saved = browser.post(
            f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", "flag_field": "1", "flagged": "1", **fields}, headers=HX
        )
        assert saved.status_code == 200
        assert_clean(saved.text, f"save fragment for {kind}")
        # A stale tab that also unflags the question: a real conflict, answered with the 409 fragment.
        stale = browser.post(
            f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", "flag_field": "1", "flagged": "0", **fields}, headers=HX
        )
        assert stale.status_code == 409
        assert_clean(stale.text, f"stale fragment for {kind}")
        plain_stale = browser.post(f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", **fields})
        assert_clean(plain_stale.text, f"stale page for {kind}")
        plain = browser.post(f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "1", **fields})
        assert plain.status_code == 303
    for page in pages:
        html = browser.get(f"/attempts/{attempt_id}?page={page}").text
        assert_clean(html, f"answered attempt page {page}")
        assert all(v == 2 for v in sequences(html).values())
    assert_clean(browser.get(f"/attempts/{attempt_id}/summary").text, "summary")
    assert browser.get(f"/attempts/{attempt_id}/result").status_code == 303  # not yet submitted

    browser.post(f"/attempts/{attempt_id}/submit")
    assert_clean(browser.get(f"/attempts/{attempt_id}/result").text, "result (never)")
    closed = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "2", "choice": "a"}, headers=HX)
    assert_clean(closed.text, "closed fragment")
    assert_clean(browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "2"}).text, "closed page")
    assert_clean(browser.get(f"/quizzes/{quiz.id}").text, "intro after submitting")


@pytest.mark.parametrize("policy", ["score_only", "after_passing", "never"])
def test_results_before_the_policy_allows_answers_show_none(db, signed_in, policy):
    quiz = make_quiz(db, data=questions(), review_policy=policy)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    for kind, fields in WRONG.items():
        browser.post(f"/attempts/{attempt_id}/slots/{slot_of(db, attempt_id, kind)}", {"sequence": "0", **fields})
    browser.post(f"/attempts/{attempt_id}/submit")
    db.expire_all()
    assert db.get(Attempt, attempt_id).passed is False
    assert_clean(browser.get(f"/attempts/{attempt_id}/result").text, f"result ({policy})")


def test_the_review_shows_answers_once_allowed(db, signed_in):
    """The counterpart: the same secrets do appear when the policy allows, so the searches above bite."""
    quiz = make_quiz(db, data=questions(), review_policy="after_submit")
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    for kind, fields in WRONG.items():
        browser.post(f"/attempts/{attempt_id}/slots/{slot_of(db, attempt_id, kind)}", {"sequence": "0", **fields})
    browser.post(f"/attempts/{attempt_id}/submit")
    review = browser.get(f"/attempts/{attempt_id}/result").text
    for secret in ("single_feedback_wrong", "short_answer", "numeric_value", "general_feedback"):
        assert SECRETS[secret] in review
    assert "Incorrect" in review and "a right answer" in review and "Tables of numbers" in review
