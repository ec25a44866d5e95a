"""What the retention registry is made of: an entry per table, the periods the retention job applies,
and what happens to a table's rows at the end (retention_registry.py holds the registry itself)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class End(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


@dataclass(frozen=True)
class Rule:
    """A period the retention job applies, with its default; an organisation overrides `days`."""

    key: str
    label: str
    days: int  # 0 switches the rule off
    end: End
    what: str


@dataclass(frozen=True)
class Entry:
    table: str
    holds: str  # what personal data, in a phrase
    why: str
    keep: str  # for how long, in words
    end: End
    personal: dict[str, str]  # column -> what it says about a person
    other: str = ""  # the table's remaining columns, space-separated: no personal data in them
    rule: str | None = None  # the Rule applied by the retention job, if any

    @property
    def other_columns(self) -> set[str]:
        return set(self.other.split())


YEAR = 365

ACCOUNT = "while the account exists"
ERASED = "anonymised or removed when the person is erased"
STATS = "kept for reports; attached to the anonymous row after erasure"
