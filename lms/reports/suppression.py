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

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

# Whatever identifies a figure (the cube uses (group, unit, kind, key) tuples); callers keep their type.
Key = TypeVar("Key", bound=Hashable)


def suppressed_keys(
    counts: Mapping[Key, int],
    partitions: Mapping[Key, Sequence[Key]],
    min_group: int,
) -> set[Key]:
    """Every key whose figures must be hidden. `counts` holds the people behind each key."""
    wholes: dict[Key, list[Key]] = {}
    for whole, parts in partitions.items():
        for part in parts:
            wholes.setdefault(part, []).append(whole)
    return suppress(counts, lambda key: [partitions[key]] if key in partitions else [], lambda key: wholes.get(key, ()), min_group)


def suppress(
    counts: Mapping[Key, int],
    parts_of: Callable[[Key], Iterable[Sequence[Key]]],
    wholes_of: Callable[[Key], Iterable[Key]],
    min_group: int,
) -> set[Key]:
    """The same, with the partitions given as functions, so a big table never has to build an index
    of every partition: only those around hidden keys are ever looked at. A key may be the whole of
    several partitions (a unit's area is both its subunits' areas and its own competences)."""
    hidden = {key for key, n in counts.items() if 0 < n < min_group}

    def order(key: Key) -> tuple[int, str]:
        return counts.get(key, 0), repr(key)

    # A group hidden for its size has only smaller, so hidden, parts: only the wholes around it matter,
    # and only shown ones: a hidden whole with this hidden part already keeps its secret.
    pending = list({whole for key in hidden for whole in wholes_of(key) if whole not in hidden})
    while pending:
        whole = pending.pop()
        for partition in parts_of(whole):
            parts = [p for p in partition if counts.get(p, 0) > 0]
            if not parts:
                continue
            hidden_parts = [p for p in parts if p in hidden]
            shown_parts = [p for p in parts if p not in hidden]
            key = None
            if whole not in hidden:
                if len(hidden_parts) == 1:
                    key = min(shown_parts, key=order) if shown_parts else whole
            elif shown_parts and not hidden_parts:
                key = min(shown_parts, key=order)
            if key is not None:
                hidden.add(key)
                # The key's own parts and every whole it belongs to must be looked at again.
                pending.append(key)
                pending.extend(w for w in wholes_of(key) if w not in hidden)
    return hidden
