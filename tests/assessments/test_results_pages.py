"""The trainer's results for a quiz: figures, who may see them, the CSV export, and query counts."""

from __future__ import annotations

import csv
import io
import re
from itertools import count

import pytest

from assessments.attempts.service import attempt_start, attempt_submit, response_save
from assessments.questions import QuestionData
from tests.assessments.factories import answer, quiz_of, single_choice
from tests.courses.factories import make_course
from tests.support.queries import counting as _counting

_n = count(1)


def _quiz(db, editor, names=("Alpha", "Beta", "Gamma"), **settings):
    course = make_course(db, title=f"Results course {next(_n)}", editors=[editor], modules=(("Check",),))
    return quiz_of(db, [single_choice(n) for n in names], course=course, **settings)


def _submit(db, quiz, user, rights: list[bool] | None, *, submit: bool = True):
    """An attempt answering each question right or wrong, in the order of the quiz's slots."""
    attempt = attempt_start(db, quiz=quiz, user=user)
    db.commit()
    for slot, entry in enumerate(attempt.layout):
        if rights is not None:
            data = QuestionData.from_dict(entry["question"])
            response_save(db, attempt=attempt, slot=slot, answer=answer(data, right=rights[slot]), sequence=0)
    if submit:
        attempt_submit(db, attempt=attempt)
    db.commit()
    return attempt


R, W = True, False
# (alpha, beta, gamma) per learner. Alpha: points [1,1,0,0,1], rest [2,1,2,1,2] → r = 0.2/1.2 ≈ 0.17.
PATTERNS = [(R, R, R), (R, W, R), (W, R, R), (W, W, R), (R, R, R)]


def _class(db, make_user, quiz):
    learners = [make_user(email=f"learner{i}-{next(_n)}@example.gov", name=f"Learner {i}") for i in range(len(PATTERNS))]
    for learner, rights in zip(learners, PATTERNS, strict=True):
        _submit(db, quiz, learner, list(rights))
    _submit(db, quiz, make_user(email=f"busy{next(_n)}@example.gov", name="Still Going"), None, submit=False)
    return learners


def _row(html: str, question_id: int) -> str:
    return re.search(rf'<tr id="question-{question_id}">(.*?)</tr>', html, re.S).group(1)


def _figure(html: str, id_: str) -> str:
    return re.search(rf'id="{id_}">([^<]*)<', html).group(1)


def test_an_editor_sees_the_figures(db, signed_in, make_user):
    browser, trainer = signed_in("trainer")
    quiz, (alpha, beta, gamma) = _quiz(db, trainer, pass_percent=60)
    _class(db, make_user, quiz)

    response = browser.get(f"/author/quizzes/{quiz.id}/results")
    assert response.status_code == 200
    html = response.text
    assert _figure(html, "submitted-count") == "5"
    assert _figure(html, "in-progress-count") == "1"
    assert _figure(html, "pass-rate") == "80%"  # 100, 66.67, 66.67, 33.33, 100 against 60
    assert _figure(html, "average-score") == "73.3%"
    distribution = re.findall(r'<tr><th scope="row">(\d+)–\d+%</th><td>(\d+)</td>', html)
    assert [(int(low), int(n)) for low, n in distribution if n != "0"] == [(30, 1), (60, 2), (90, 2)]
    assert "bar-10" in html and "bar-5" in html and 'style="' not in html

    for question, facility, disc in ((alpha, "60%", "0.17"), (beta, "60%", "0.17"), (gamma, "100%", "—")):
        row = _row(html, question.id)
        assert question.name in row and f"<td>{facility}</td>" in row and f"<td>{disc}</td>" in row
        assert "<td>5</td>" in row
    # The attempts list: every attempt, including the one in progress.
    assert html.count("Learner ") >= 5 and "Still Going" in html and "In progress" in html
    # The settings page links here.
    assert f'href="/author/quizzes/{quiz.id}/results"' in browser.get(f"/author/quizzes/{quiz.id}").text


def test_no_attempts_says_what_to_expect(db, signed_in):
    browser, trainer = signed_in("trainer")
    quiz, _ = _quiz(db, trainer)
    html = browser.get(f"/author/quizzes/{quiz.id}/results").text
    assert "No one has submitted this quiz yet" in html
    assert "results.csv" not in html


def test_attempts_are_paginated_by_fifty(db, signed_in, make_user):
    browser, trainer = signed_in("trainer")
    quiz, _ = _quiz(db, trainer, names=("Only",))
    for i in range(51):
        _submit(db, quiz, make_user(email=f"p{i}-{next(_n)}@example.gov", name=f"Person {i:02d}"), None, submit=False)
    first = browser.get(f"/author/quizzes/{quiz.id}/results").text
    assert "Showing 1–50 of 51" in first and "Page 1 of 2" in first
    second = browser.get(f"/author/quizzes/{quiz.id}/results?page=2").text
    assert "Showing 51–51 of 51" in second and "Person 00" in second


@pytest.mark.parametrize(
    "roles, results_status, csv_status",
    [
        (("trainer",), 404, 404),  # a trainer who does not edit the course: as if the quiz did not exist
        (("admin",), 200, 200),
    ],
)
def test_who_may_see_results(db, signed_in, make_user, roles, results_status, csv_status):
    owner = make_user("trainer", email=f"owner{next(_n)}@example.gov")
    quiz, _ = _quiz(db, owner)
    _submit(db, quiz, make_user(email=f"l{next(_n)}@example.gov"), [R, R, R])
    browser, _ = signed_in(*roles)
    assert browser.get(f"/author/quizzes/{quiz.id}/results").status_code == results_status
    assert browser.get(f"/author/quizzes/{quiz.id}/results.csv").status_code == csv_status
    if roles == ("trainer",):
        assert browser.get("/author/quizzes/999999/results").status_code == 404


def test_csv_has_one_row_per_submitted_attempt(db, signed_in, make_user):
    browser, trainer = signed_in("trainer")
    quiz, (alpha, beta) = _quiz(db, trainer, names=("=Alpha", "Beta"), pass_percent=50)
    sly = make_user(email=f"sly{next(_n)}@example.gov", name='=HYPERLINK("http://evil")')
    _submit(db, quiz, sly, [R, W])
    _submit(db, quiz, sly, [R, R])
    _submit(db, quiz, make_user(email=f"late{next(_n)}@example.gov", name="Late"), None, submit=False)

    response = browser.get(f"/author/quizzes/{quiz.id}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Learner",
        "Email",
        "Attempt",
        "Started",
        "Submitted",
        "Score",
        "Maximum score",
        "Score (%)",
        "Passed",
        "'=Alpha",
        "Beta",
    ]
    assert len(rows) == 3  # the attempt in progress is not exported
    first, second = rows[1], rows[2]
    assert first[0] == '\'=HYPERLINK("http://evil")' and first[1] == sly.email
    assert first[2] == "1" and first[5:] == ["1", "2", "50", "yes", "1", "0"]
    assert second[2] == "2" and second[5:] == ["2", "2", "100", "yes", "1", "1"]
    assert first[3] and first[4]


def test_query_count_does_not_grow_with_attempts(app, db, signed_in, make_user):
    browser, trainer = signed_in("trainer")
    counts = {}
    for n in (3, 15):
        quiz, _ = _quiz(db, trainer, names=(f"One {n}", f"Two {n}"))
        for i in range(n):
            learner = make_user(email=f"q{n}-{i}-{next(_n)}@example.gov", name=f"Q {i}")
            _submit(db, quiz, learner, [i % 2 == 0, i % 3 == 0])
        for suffix in ("results", "results.csv"):
            with _counting(app.state.engine) as statements:
                assert browser.get(f"/author/quizzes/{quiz.id}/{suffix}").status_code == 200
            counts[n, suffix] = len(statements)
    assert counts[3, "results"] == counts[15, "results"]
    assert counts[3, "results.csv"] == counts[15, "results.csv"]
