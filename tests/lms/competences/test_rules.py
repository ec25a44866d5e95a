"""The evidence → level rule, as a pure function."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lms.competences.rules import derive_levels

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@dataclass
class E:
    level: int
    source: str
    days_ago: int
    expires_in_days: int | None = None
    id: int | None = None

    @property
    def recorded_at(self):
        return NOW - timedelta(days=self.days_ago)

    @property
    def expires_at(self):
        return None if self.expires_in_days is None else NOW + timedelta(days=self.expires_in_days)


def test_no_evidence_means_level_zero_and_no_self_assessment():
    levels = derive_levels([], NOW)
    assert levels.verified_level == 0 and levels.self_level is None and levels.verified_source is None


def test_self_assessment_never_counts_as_verified():
    levels = derive_levels([E(6, "self", 3)], NOW)
    assert levels.verified_level == 0
    assert levels.self_level == 6 and levels.self_assessed_at == NOW - timedelta(days=3)


def test_latest_self_assessment_wins_even_if_lower():
    levels = derive_levels([E(6, "self", 30), E(3, "self", 1)], NOW)
    assert levels.self_level == 3


def test_highest_unexpired_verified_evidence_counts():
    levels = derive_levels([E(2, "course", 100), E(4, "quiz", 50), E(3, "import", 10)], NOW)
    assert (levels.verified_level, levels.verified_source) == (4, "quiz")


def test_expired_evidence_no_longer_counts():
    levels = derive_levels([E(5, "quiz", 400, expires_in_days=-35), E(2, "course", 20, expires_in_days=345)], NOW)
    assert levels.verified_level == 2
    assert levels.verified_until == NOW + timedelta(days=345)


def test_everything_expired_means_zero():
    levels = derive_levels([E(5, "quiz", 400, expires_in_days=-1)], NOW)
    assert levels.verified_level == 0 and levels.verified_until is None


def test_evidence_expiring_exactly_now_has_expired():
    assert derive_levels([E(4, "quiz", 365, expires_in_days=0)], NOW).verified_level == 0


def test_manager_corrects_a_level_downward():
    levels = derive_levels([E(5, "quiz", 60), E(3, "manager", 5)], NOW)
    assert (levels.verified_level, levels.verified_source) == (3, "manager")


def test_later_evidence_can_raise_a_level_again_after_a_manager_rating():
    levels = derive_levels([E(5, "quiz", 60), E(3, "manager", 20), E(4, "course", 2)], NOW)
    assert (levels.verified_level, levels.verified_source) == (4, "course")


def test_latest_manager_rating_counts_not_the_highest():
    levels = derive_levels([E(6, "manager", 30), E(2, "manager", 3)], NOW)
    assert levels.verified_level == 2


def test_expired_manager_rating_falls_back_to_unexpired_evidence():
    levels = derive_levels([E(4, "course", 10), E(1, "manager", 400, expires_in_days=-30)], NOW)
    assert levels.verified_level == 4


def test_self_assessment_after_manager_rating_changes_nothing_verified():
    levels = derive_levels([E(3, "manager", 10), E(7, "self", 1)], NOW)
    assert levels.verified_level == 3 and levels.self_level == 7


def test_same_timestamp_is_ordered_by_id():
    levels = derive_levels([E(5, "quiz", 1, id=2), E(2, "manager", 1, id=1)], NOW)
    assert levels.verified_level == 5  # the quiz was recorded after the rating
    levels = derive_levels([E(5, "quiz", 1, id=1), E(2, "manager", 1, id=2)], NOW)
    assert levels.verified_level == 2


def test_verified_until_is_the_longest_lasting_holder_of_the_level():
    levels = derive_levels([E(4, "quiz", 10, expires_in_days=30), E(4, "course", 5)], NOW)
    assert levels.verified_until is None  # the course evidence does not expire
