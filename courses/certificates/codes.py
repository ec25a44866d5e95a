"""Verification codes: random, unguessable, and easy to read aloud or type from paper.

The alphabet leaves out characters that are easily confused (0/O, 1/I/L), so a code copied from a
printed certificate is right first time; 16 characters of 31 give about 79 bits, far beyond guessing
through the public /verify page.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16
GROUP = 4


def code_new() -> str:
    """A fresh code in its printed form, e.g. ``K7QM-3XHT-9BZR-WD4P``."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def code_normalise(raw: str) -> str | None:
    """The printed form of what someone typed (any case, spaces or dashes anywhere); None if it cannot be a code."""
    letters = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if len(letters) != LENGTH or any(ch not in ALPHABET for ch in letters):
        return None
    return _grouped(letters)


def _grouped(letters: str) -> str:
    return "-".join(letters[i : i + GROUP] for i in range(0, len(letters), GROUP))
