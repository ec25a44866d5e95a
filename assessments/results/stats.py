"""Quiz statistics for trainers, as Moodle's quiz statistics report computes them. Pure functions.

Questions are identified by question_id, not by slot: with random draws and shuffling the same
question sits in different slots of different attempts, and it is the question a trainer improves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

BINS = 10
# Below this a variance is rounding noise, not a spread of scores.
_EPSILON = 1e-12


@dataclass(frozen=True)
class ScoredAttempt:
    """One submitted attempt: its total and, per question_id, the points and fraction earned."""

    score: float
    percent: float
    passed: bool
    points: dict[int, float] = field(default_factory=dict)
    fractions: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionStats:
    question_id: int
    attempts: int
    facility: float | None  # mean fraction, 0..1
    discrimination: float | None  # -1..1


@dataclass(frozen=True)
class QuizStats:
    submitted: int
    average_percent: float | None
    pass_rate: float | None  # 0..1
    distribution: list[int]
    questions: list[QuestionStats]


def mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when it is undefined (fewer than two pairs, or a constant series)."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= _EPSILON or syy <= _EPSILON:
        return None
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def facility(fractions: list[float]) -> float | None:
    """The facility index: the mean fraction of the marks learners earned on the question."""
    return mean(fractions)


def discrimination(question_points: list[float], totals: list[float]) -> float | None:
    """The discrimination index: how well the question separates strong from weak learners.

    The question is correlated with the rest of the test (total minus the question), so a
    question does not inflate its own index by being part of the total.
    """
    rest = [total - points for points, total in zip(question_points, totals, strict=True)]
    return pearson(question_points, rest)


def distribution(percents: list[float], bins: int = BINS) -> list[int]:
    """Counts per equal range of percent; each range holds its lower bound, and 100% the last one."""
    counts = [0] * bins
    width = 100 / bins
    for percent in percents:
        index = int(max(0.0, percent) // width)
        counts[min(index, bins - 1)] += 1
    return counts


def pass_rate(passed: list[bool]) -> float | None:
    return sum(1 for p in passed if p) / len(passed) if passed else None


def question_stats(attempts: list[ScoredAttempt], order: list[int]) -> list[QuestionStats]:
    """Per question, in ``order``: over the attempts that included it."""
    rows = []
    for question_id in order:
        taken = [a for a in attempts if question_id in a.points]
        rows.append(
            QuestionStats(
                question_id=question_id,
                attempts=len(taken),
                facility=facility([a.fractions.get(question_id, 0.0) for a in taken]),
                discrimination=discrimination([a.points[question_id] for a in taken], [a.score for a in taken]),
            )
        )
    return rows


def quiz_stats(attempts: list[ScoredAttempt], order: list[int]) -> QuizStats:
    return QuizStats(
        submitted=len(attempts),
        average_percent=mean([a.percent for a in attempts]),
        pass_rate=pass_rate([a.passed for a in attempts]),
        distribution=distribution([a.percent for a in attempts]),
        questions=question_stats(attempts, order),
    )
