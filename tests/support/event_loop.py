"""Running a coroutine to completion from a plain test, whatever ran before it in this worker."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a thread of its own. A browser test earlier in the same pytest worker leaves
    Playwright's event loop marked running on the main thread until the session ends, and there
    ``asyncio.run`` refuses to start; which files share a worker changes as tests are added."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
