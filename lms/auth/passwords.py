"""Password hashing and the password policy."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from passlib.context import CryptContext

from lms.i18n import gettext

# OWASP's argon2id setting (19 MiB, 2 passes, 1 lane) instead of the library default (64 MiB, 3, 4):
# a single lane keeps one hash on one core, so sign-ins scale with cores, and 19 MiB a hash keeps a
# burst of sign-ins from taking hundreds of megabytes. deprecated="auto" makes verify_and_update()
# report hashes made with other parameters, so they are upgraded at the next sign-in.
pwd_context = CryptContext(
    schemes=["argon2"], deprecated="auto", argon2__type="ID", argon2__memory_cost=19456, argon2__time_cost=2, argon2__parallelism=1
)
# Hashing runs on its own few threads. It is CPU-bound, so more at once than there are cores only
# adds latency; and glibc keeps a freed 19 MiB block in the arena of the thread that used it, so
# hashing on any of the web server's forty threads would leave up to forty such blocks resident.
_hasher = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="argon2")

MIN_LENGTH = 12
MAX_LENGTH = 256  # generous, and never truncated: argon2 hashes the whole input
MIN_SCORE = 3  # zxcvbn 0-4: below 3 is guessable by an online attacker within days


def hash_password(password: str) -> str:
    return _hasher.submit(pwd_context.hash, password).result()


def verify_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """(ok, new_hash_or_None). Runs a dummy verification for a missing hash to keep timing flat."""
    if not password_hash:
        _hasher.submit(pwd_context.dummy_verify).result()
        return False, None
    return _hasher.submit(pwd_context.verify_and_update, password, password_hash).result()


async def verify_password_async(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """verify_password for async code: waits on the event loop, holding no thread meanwhile."""
    if not password_hash:
        await asyncio.wrap_future(_hasher.submit(pwd_context.dummy_verify))
        return False, None
    return await asyncio.wrap_future(_hasher.submit(pwd_context.verify_and_update, password, password_hash))


def _personal_words(user_inputs: Iterable[str]) -> list[str]:
    """Names and email parts, split so "jane.doe@x" also rules out "jane" and "doe"."""
    words = set()
    for item in user_inputs:
        if not item:
            continue
        local = item.split("@")[0].lower()
        words.update({item.lower(), local})
        words.update(w for w in re.split(r"[\s._+-]+", local) if len(w) > 2)
    return sorted(words)


def password_problems(password: str, *, user_inputs: Sequence[str] = ()) -> list[str]:
    """Human-readable reasons a password is refused; empty when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [gettext("Use at least %(num)d characters.") % {"num": MIN_LENGTH}]
    if len(password) > MAX_LENGTH:
        return [gettext("Use at most %(num)d characters.") % {"num": MAX_LENGTH}]
    # Imported here: its word lists take 12 MB in every web process, and only password forms need them.
    from zxcvbn import zxcvbn

    # zxcvbn refuses input over 72 characters (its matching is quadratic); longer passwords are
    # still hashed whole, only their strength is judged on the start.
    result = zxcvbn(password[:72], user_inputs=_personal_words(user_inputs))
    if result["score"] < MIN_SCORE:
        # zxcvbn's own hints are English only.
        hint = result["feedback"].get("warning") or gettext("It is too easy to guess.")
        suggestions = " ".join(result["feedback"].get("suggestions") or [])
        return [f"{gettext('Choose a less common password.')} {hint} {suggestions}".strip()]
    return []
