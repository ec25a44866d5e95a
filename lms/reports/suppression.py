"""Small-group suppression that also survives subtraction. Pure: no database.

A figure about fewer than `min_group` people is never shown (primary suppression). That alone is not
enough: when a parent total is shown and only one of the parts that add up to it is hidden, the hidden
part is the parent minus the others. So, until nothing changes (secondary suppression):

- a shown whole with exactly one hidden part hides its smallest other part, or itself when there is
  no other part;
- a hidden whole whose parts are all shown hides its smallest part (else the parts add up to it).

Parts with nobody in them are shown as zero: they reveal nothing. Wholes and parts are any hashable
keys; the org tree (a unit = its child units + the people directly in it) and the framework (an area's
requirements = its competences') both give such partitions.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

Key = Hashable


def suppressed_keys(
    counts: Mapping[Key, int],
    partitions: Mapping[Key, Sequence[Key]],
    min_group: int,
) -> set[Key]:
    """Every key whose figures must be hidden. `counts` holds the people behind each key."""
    hidden = {key for key, n in counts.items() if 0 < n < min_group}
    wholes_of: dict[Key, list[Key]] = {}
    for whole, parts in partitions.items():
        for part in parts:
            wholes_of.setdefault(part, []).append(whole)

    def order(key: Key) -> tuple[int, str]:
        return counts.get(key, 0), repr(key)

    pending = list(partitions)
    while pending:
        whole = pending.pop()
        parts = [p for p in partitions[whole] if counts.get(p, 0) > 0]
        hidden_parts = [p for p in parts if p in hidden]
        shown_parts = [p for p in parts if p not in hidden]
        newly: list[Key] = []
        if whole not in hidden:
            if len(hidden_parts) == 1:
                newly.append(min(shown_parts, key=order) if shown_parts else whole)
        elif shown_parts and not hidden_parts:
            newly.append(min(shown_parts, key=order))
        for key in newly:
            hidden.add(key)
            # The key's own parts and every whole it belongs to must be looked at again.
            if key in partitions:
                pending.append(key)
            pending.extend(wholes_of.get(key, ()))
    return hidden
