"""Grading of every question kind, the attempt total, diagnostic bands and question validation."""

import json

import pytest

from assessments.grading import diagnostic_levels, grade, grade_attempt, parse_number
from assessments.questions import (
    ALL_OR_NOTHING,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    question_problems,
    true_false,
)


def single(points=2):
    return QuestionData(
        SINGLE_CHOICE,
        "Capital",
        "Capital of France?",
        points=points,
        choices=[
            Choice("a", "Paris", 1.0, "Yes."),
            Choice("b", "Lyon", 0.0, "No."),
            Choice("c", "Paris-ish", 0.5),
            Choice("d", "Mars", -0.5),
        ],
    )


def multiple(rule="partial"):
    return QuestionData(
        MULTIPLE_CHOICE,
        "Primes",
        "Pick the primes",
        points=4,
        multiple_rule=rule,
        choices=[Choice("a", "2", 0.5, "2 is prime"), Choice("b", "3", 0.5), Choice("c", "4", -0.5), Choice("d", "9", -1.0)],
    )


SHORT = QuestionData(SHORT_TEXT, "City", "Where?", accepted=["New  York", {"text": "NYC", "fraction": 0.5}])
NUM = QuestionData(NUMERIC, "Pi", "Pi?", numeric=[NumericAnswer(3.5, 0.1), NumericAnswer(3.0, 0.0, 0.5, "Close")])
MATCH = QuestionData(
    MATCHING,
    "Sounds",
    "Match",
    points=3,
    pairs=[MatchPair("1", "cat", "meow"), MatchPair("2", "dog", "woof"), MatchPair("3", "cow", "moo"), MatchPair("4", "", "quack")],
)


def test_single_choice_right_partial_wrong_and_negative():
    assert grade(single(), {"choice": "a"}).points == 2 and grade(single(), {"choice": "a"}).correct is True
    assert grade(single(), {"choice": "a"}).feedback == ["Yes."]
    half = grade(single(), {"choice": "c"})
    assert (half.fraction, half.points, half.correct) == (0.5, 1.0, None)
    assert grade(single(), {"choice": "b"}).correct is False
    assert grade(single(), {"choice": "d"}).fraction == 0.0  # never below zero


@pytest.mark.parametrize("response", [{}, None, {"choice": ""}, {"choice": "zz"}, {"choice": ["a"]}, "a"])
def test_single_choice_missing_or_unknown_answer_is_zero(response):
    result = grade(single(), response)
    assert (result.fraction, result.points, result.correct, result.answered) == (0.0, 0.0, False, False)


def test_true_false_and_general_feedback_last():
    q = true_false("Sun", "The sun is a star", True, feedback_false="It is.", general_feedback="Stars shine.")
    assert grade(q, {"choice": "true"}).correct is True
    wrong = grade(q, {"choice": "false"})
    assert wrong.fraction == 0 and wrong.feedback == ["It is.", "Stars shine."]


def test_multiple_partial_sums_selected_and_penalises_wrong():
    q = multiple()
    assert grade(q, {"choices": ["a", "b"]}).points == 4
    assert grade(q, {"choices": ["a"]}).fraction == 0.5
    assert grade(q, {"choices": ["a", "b", "c"]}).fraction == 0.5
    assert grade(q, {"choices": ["a", "c"]}).fraction == 0.0
    assert grade(q, {"choices": ["a", "b", "c", "d"]}).fraction == 0.0  # ticking everything does not pay


def test_multiple_partial_clamps_and_ignores_unknown_and_repeated_ids():
    q = multiple()
    assert grade(q, {"choices": ["c", "d"]}).fraction == 0.0
    assert grade(q, {"choices": ["a", "a", "a"]}).fraction == 0.5
    assert grade(q, {"choices": ["a", "b", "zz", 7, None]}).fraction == 1.0
    over = QuestionData(MULTIPLE_CHOICE, "x", "x", choices=[Choice("a", "A", 1.0), Choice("b", "B", 1.0)])
    assert grade(over, {"choices": ["a", "b"]}).fraction == 1.0


def test_multiple_all_or_nothing():
    q = multiple(ALL_OR_NOTHING)
    assert grade(q, {"choices": ["b", "a"]}).points == 4
    assert grade(q, {"choices": ["a"]}).points == 0
    assert grade(q, {"choices": ["a", "b", "c"]}).points == 0
    assert grade(q, {"choices": []}).answered is False
    assert grade(q, {"choices": "ab"}).fraction == 0


@pytest.mark.parametrize(
    "text,fraction",
    [
        ("New York", 1.0),
        ("  new   york ", 1.0),
        ("NEW\tYORK", 1.0),
        ("nyc", 0.5),
        ("New Yorkshire", 0.0),
        ("", 0.0),
        ("   ", 0.0),
    ],
)
def test_short_text_ignores_case_and_spacing(text, fraction):
    assert grade(SHORT, {"text": text}).fraction == fraction


def test_short_text_missing_or_not_a_string():
    assert grade(SHORT, {}).answered is False
    assert grade(SHORT, {"text": 42}).fraction == 0


@pytest.mark.parametrize(
    "value,fraction",
    [
        ("3.5", 1.0),
        ("3,5", 1.0),
        (" 3.6 ", 1.0),
        ("3.4", 1.0),
        (3.6, 1.0),
        ("3.60001", 0.0),
        ("3", 0.5),
        ("-3.5", 0.0),
        ("1,000.5", 0.0),
        ("abc", 0.0),
        ("nan", 0.0),
        ("inf", 0.0),
        ("3.5e0", 1.0),
        ("1_0", 0.0),
        ("", 0.0),
        (None, 0.0),
        (True, 0.0),
        ("٣.٥", 0.0),
        ("9" * 500, 0.0),
    ],
)
def test_numeric_tolerance_boundary_commas_and_garbage(value, fraction):
    assert grade(NUM, {"value": value}).fraction == fraction


def test_numeric_feedback_of_best_match():
    assert grade(NUM, {"value": "3"}).feedback == ["Close"]
    assert parse_number("\u22122,5") == -2.5


def test_matching_counts_right_pairs_and_ignores_distractor():
    assert grade(MATCH, {"matches": {"1": "meow", "2": "woof", "3": "moo"}}).points == 3
    partial = grade(MATCH, {"matches": {"1": "meow", "2": "moo", "3": "quack"}})
    assert (partial.fraction, partial.points, partial.correct) == (pytest.approx(1 / 3, abs=1e-6), 1.0, None)
    assert grade(MATCH, {"matches": {"9": "meow"}}).answered is False
    assert grade(MATCH, {"matches": ["meow"]}).fraction == 0


def test_grade_attempt_totals_and_percent():
    score = grade_attempt([(single(), {"choice": "a"}), (multiple(), {"choices": ["a"]}), (SHORT, None)])
    assert score == (4.0, 7.0, pytest.approx(57.142857, abs=1e-5))
    assert grade_attempt([]) == (0.0, 0.0, 0.0)


def test_diagnostic_levels_pick_highest_band_reached():
    bands = [(80, "advanced"), (0, "foundation"), (50, "intermediate")]
    levels = diagnostic_levels({"4.1": (4, 5), "4.2": (1, 2), "4.3": (1, 5), "4.4": (0, 0)}, bands)
    assert levels == {"4.1": "advanced", "4.2": "intermediate", "4.3": "foundation"}
    assert diagnostic_levels({"4.1": (1, 5)}, [(50, "intermediate")]) == {}


def test_snapshot_round_trips_through_json():
    for q in (single(), multiple(ALL_OR_NOTHING), SHORT, NUM, MATCH, true_false("t", "s", False)):
        again = QuestionData.from_dict(json.loads(json.dumps(q.to_dict())))
        assert again == q and grade(again, {"choice": "a"}) == grade(q, {"choice": "a"})


def test_question_problems():
    assert question_problems(single()) == []
    assert question_problems(MATCH) == []
    no_right = QuestionData(SINGLE_CHOICE, "x", "x", choices=[Choice("a", "A"), Choice("b", "B")])
    assert any("100%" in p for p in question_problems(no_right))
    tf = QuestionData("true_false", "x", "x", choices=[Choice("true", "True", 1.0)])
    assert any("exactly two" in p for p in question_problems(tf))
    one_pair = QuestionData(MATCHING, "x", "x", pairs=[MatchPair("1", "a", "b"), MatchPair("2", "", "c")])
    assert any("two pairs" in p for p in question_problems(one_pair))
    assert any("Points" in p for p in question_problems(single(points=0)))
    assert question_problems(QuestionData("essay", "x", "x")) == ["Unknown question kind 'essay'."]
    low = QuestionData(MULTIPLE_CHOICE, "x", "x", choices=[Choice("a", "A", 0.5), Choice("b", "B", -0.5)])
    assert any("add up" in p for p in question_problems(low))
    dup = QuestionData(SINGLE_CHOICE, "x", "x", choices=[Choice("a", "A", 1.0), Choice("a", "B")])
    assert any("unique" in p for p in question_problems(dup))
