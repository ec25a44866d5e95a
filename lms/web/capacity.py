"""How many requests do database work at once in one process, and what happens past that.

A request's session takes a connection at its first query and keeps it until the request ends,
across the thread hops of its sync dependencies and handler. If requests could take connections
freely, those holding one while waiting for a thread and the threads waiting for a connection would
wait on each other until the pool's timeout (the lock-up of issue 14). So a request first takes a
slot here, on the event loop, where waiting costs no thread; there are exactly as many slots as
pooled connections, so a request that has its slot always gets its connection at once. Requests
beyond that wait their turn, and after ``timeout`` seconds are answered 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class DatabaseBusy(Exception):
    """Every connection stayed in use for longer than the request may wait."""


class ConnectionGate:
    def __init__(self, size: int, timeout: float):
        self.size = size
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None

    def _current(self) -> asyncio.Semaphore:
        # A semaphore belongs to one event loop; tests may drive one app from several in turn.
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:
            self._loop, self._semaphore = loop, asyncio.Semaphore(self.size)
        return self._semaphore

    @asynccontextmanager
    async def slot(self, timeout: float | None = None) -> AsyncIterator[None]:
        semaphore = self._current()
        try:
            async with asyncio.timeout(self.timeout if timeout is None else timeout):
                await semaphore.acquire()
        except TimeoutError:
            raise DatabaseBusy() from None
        try:
            yield
        finally:
            semaphore.release()
