"""Quiz statistics against hand-computed figures."""

from __future__ import annotations

import math

import pytest

from assessments.results.stats import (
    ScoredAttempt,
    discrimination,
    distribution,
    facility,
    mean,
    pass_rate,
    pearson,
    quiz_stats,
)


def test_facility_is_the_mean_fraction():
    assert facility([1.0, 0.5, 0.0]) == pytest.approx(0.5)
    assert facility([0.25]) == pytest.approx(0.25)
    assert facility([]) is None


def test_a_perfectly_discriminating_question_scores_one():
    # The strong learners (rest 4) got it right, the weak (rest 1) wrong.
    assert discrimination([1, 1, 0, 0], [5, 5, 1, 1]) == pytest.approx(1.0)


def test_a_question_the_weak_get_right_discriminates_negatively():
    assert discrimination([0, 0, 1, 1], [4, 4, 2, 2]) == pytest.approx(-1.0)


def test_discrimination_uses_the_rest_of_the_test_not_the_total():
    # points x = [1, 0, 1, 0]; rest y = [3, 2, 1, 0]: sxy = 1, sxx = 1, syy = 5, so r = 1 / sqrt(5).
    assert discrimination([1, 0, 1, 0], [4, 2, 2, 0]) == pytest.approx(1 / math.sqrt(5))


def test_discrimination_is_undefined_without_spread_or_people():
    assert discrimination([1, 1, 1], [3, 2, 1]) is None  # everyone got it right
    assert discrimination([1, 0, 1], [3, 2, 3]) is None  # the rest of the test is constant (2 each)
    assert discrimination([1], [3]) is None  # one attempt
    assert discrimination([], []) is None
    assert pearson([0.1, 0.1 + 1e-15], [1, 2]) is None  # rounding noise is not a spread


def test_distribution_puts_each_percent_in_its_tenth():
    counts = distribution([0, 9.99, 10, 55, 99.9, 100])
    assert counts == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert distribution([]) == [0] * 10
    assert distribution([-5]) == [1] + [0] * 9


def test_pass_rate_and_mean():
    assert pass_rate([True, False, True, True]) == pytest.approx(0.75)
    assert pass_rate([]) is None
    assert mean([50, 100]) == pytest.approx(75)
    assert mean([]) is None


def test_quiz_stats_group_by_question_over_the_attempts_that_drew_it():
    attempts = [
        ScoredAttempt(score=2, percent=100, passed=True, points={1: 1, 2: 1}, fractions={1: 1, 2: 1}),
        ScoredAttempt(score=1, percent=50, passed=False, points={1: 0, 3: 1}, fractions={1: 0, 3: 1}),
        ScoredAttempt(score=0, percent=0, passed=False, points={1: 0, 2: 0}, fractions={1: 0, 2: 0}),
    ]
    stats = quiz_stats(attempts, [1, 2, 3])
    assert stats.submitted == 3
    assert stats.average_percent == pytest.approx(50)
    assert stats.pass_rate == pytest.approx(1 / 3)
    assert stats.distribution == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    q1, q2, q3 = stats.questions
    assert (q1.attempts, q2.attempts, q3.attempts) == (3, 2, 1)
    assert q1.facility == pytest.approx(1 / 3)
    # Question 1: points [1, 0, 0], rest [1, 1, 0]: r = 0.5.
    assert q1.discrimination == pytest.approx(0.5)
    assert q2.facility == pytest.approx(0.5) and q2.discrimination == pytest.approx(1.0)
    assert q3.facility == pytest.approx(1.0) and q3.discrimination is None


def test_no_attempts_gives_no_figures():
    stats = quiz_stats([], [7])
    assert stats.average_percent is None and stats.pass_rate is None
    assert stats.questions[0].attempts == 0 and stats.questions[0].facility is None
