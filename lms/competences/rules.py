"""The one rule that turns evidence into levels. Pure: no database, no clock of its own.

Explained to users on /skills/how-levels-work; keep that page in step with this module.

1. Self-assessment never counts as verified. The self-assessed level is the latest self entry.
2. Evidence that has expired no longer counts.
3. Without a manager rating, the verified level is the highest level among the unexpired
   verified evidence (course, quiz, manager, import).
4. A manager rating is a judgement of the person as they are now, so it replaces everything
   recorded before it — it can correct a level downwards. Evidence recorded after it (a quiz
   passed later, say) can raise the level again.
5. The verified level lasts until the evidence holding it up expires (``verified_until``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

SELF = "self"
MANAGER = "manager"


class EvidenceLike(Protocol):
    level: int
    source: str
    recorded_at: datetime
    expires_at: datetime | None
    id: int | None


@dataclass(frozen=True)
class Levels:
    verified_level: int = 0
    verified_source: str | None = None
    verified_until: datetime | None = None
    self_level: int | None = None
    self_assessed_at: datetime | None = None


def _order(e: EvidenceLike) -> tuple:
    return (e.recorded_at, e.id or 0)


def derive_levels(evidence: Iterable[EvidenceLike], now: datetime) -> Levels:
    items = sorted(evidence, key=_order)
    self_items = [e for e in items if e.source == SELF]
    latest_self = self_items[-1] if self_items else None

    valid = [e for e in items if e.source != SELF and (e.expires_at is None or e.expires_at > now)]
    managers = [e for e in valid if e.source == MANAGER]
    if managers:
        cutoff = _order(managers[-1])
        valid = [e for e in valid if _order(e) >= cutoff]

    if not valid:
        verified_level, source, until = 0, None, None
    else:
        verified_level = max(e.level for e in valid)
        holders = [e for e in valid if e.level == verified_level]
        # Among equal levels, the one that lasts longest holds the level up.
        best = max(holders, key=lambda e: (e.expires_at is None, e.expires_at or now, _order(e)))
        source, until = best.source, best.expires_at

    return Levels(
        verified_level=verified_level,
        verified_source=source,
        verified_until=until,
        self_level=latest_self.level if latest_self else None,
        self_assessed_at=latest_self.recorded_at if latest_self else None,
    )
