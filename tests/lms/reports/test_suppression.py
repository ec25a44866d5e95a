"""Small groups stay hidden, and no hidden figure can be recovered by subtracting shown ones."""

from __future__ import annotations

import random

import pytest

from lms.reports.suppression import suppressed_keys

K = 5


def test_small_groups_are_hidden_and_zero_groups_are_not():
    counts = {"a": 4, "b": 5, "c": 0, "d": 1}
    assert suppressed_keys(counts, {}, K) == {"a", "d"}


def test_a_lone_hidden_sibling_takes_its_smallest_sibling_with_it():
    # org = 3 + 8 + 20: showing org, 8 and 20 would give 3 away by subtraction.
    counts = {"org": 31, "small": 3, "mid": 8, "big": 20}
    hidden = suppressed_keys(counts, {"org": ["small", "mid", "big"]}, K)
    assert hidden == {"small", "mid"}


def test_two_hidden_siblings_need_nothing_more():
    counts = {"org": 27, "a": 3, "b": 4, "big": 20}
    assert suppressed_keys(counts, {"org": ["a", "b", "big"]}, K) == {"a", "b"}


def test_a_whole_with_one_part_that_is_hidden_is_hidden_too():
    # A unit made of one team (plus nobody directly in it): the unit's figure is the team's.
    counts = {"unit": 6, "team": 6, "other": 3}
    partitions = {"unit": ["team"], "area": ["unit", "other"]}
    hidden = suppressed_keys(counts, partitions, K)
    # "other" is small, so "unit" goes with it; then "team" would equal the hidden "unit": also hidden.
    assert {"other", "unit", "team"} <= hidden


def test_secondary_suppression_carries_down_so_a_hidden_whole_is_not_the_sum_of_its_parts():
    counts = {"org": 40, "small": 2, "dept": 38, "t1": 19, "t2": 19}
    partitions = {"org": ["small", "dept"], "dept": ["t1", "t2"]}
    hidden = suppressed_keys(counts, partitions, K)
    assert {"small", "dept"} <= hidden
    assert hidden & {"t1", "t2"}, "dept = t1 + t2 would give dept, and so small, away"


def _check(counts, partitions, hidden):
    for whole, parts in partitions.items():
        nonzero = [p for p in parts if counts.get(p, 0) > 0]
        hidden_parts = [p for p in nonzero if p in hidden]
        if whole not in hidden:
            assert len(hidden_parts) != 1, f"{whole} shown with exactly one hidden part {hidden_parts}"
        elif nonzero:
            assert hidden_parts, f"hidden {whole} equals the sum of its shown parts"


def _random_tree(rng: random.Random):
    counts, partitions = {}, {}
    next_id = iter(range(10_000))

    def grow(depth: int) -> str:
        key = f"u{next(next_id)}"
        if depth == 3 or rng.random() < 0.3:
            counts[key] = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30])
            return key
        parts = [grow(depth + 1) for _ in range(rng.randint(1, 5))]
        partitions[key] = parts
        counts[key] = sum(counts[p] for p in parts)
        return key

    grow(0)
    return counts, partitions


@pytest.mark.parametrize("seed", range(40))
def test_no_random_tree_leaves_a_figure_recoverable_by_subtraction(seed):
    counts, partitions = _random_tree(random.Random(seed))
    hidden = suppressed_keys(counts, partitions, K)
    assert {k for k, n in counts.items() if 0 < n < K} <= hidden
    _check(counts, partitions, hidden)


def test_the_threshold_is_respected_exactly():
    counts = {"a": 2, "b": 3}
    assert suppressed_keys(counts, {}, 3) == {"a"}
