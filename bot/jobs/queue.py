"""The server's background work: a bounded queue, fair between repositories, drained on shutdown.

Each accepted job first waits for its repository's turn (jobs of one repository run one after
another, in the order they arrived), then for one of `limit` worker slots. A job waiting for its
repository's turn holds no slot, so a burst on one repository never keeps another waiting: that
repository's next job only queues for a slot once the previous one has finished, behind the
other repositories' jobs that were already waiting.

Why not aiojobs: its `limit` counts a job as active from the moment it starts, including while it
awaits a lock inside (the starvation this queue exists to prevent), and a full `pending_limit`
makes `spawn()` wait instead of refusing, where the webhook must answer at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass

log = logging.getLogger(__name__)

Turn = Callable[[str], AbstractAsyncContextManager[object]]


@dataclass(frozen=True)
class QueueLimits:
    running: int  # jobs at work at once
    queued: int  # jobs accepted and waiting, over all repositories
    queued_per_key: int  # ... of one repository


class JobQueue:
    """Tracked background jobs: at most `limits.running` at work, a bounded number waiting."""

    def __init__(self, limits: QueueLimits, turn: Turn | None = None) -> None:
        self.limits = limits
        self._turn = turn
        self._slots = asyncio.Semaphore(limits.running)
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting: Counter[str | None] = Counter()
        self.queued = 0
        self.running = 0
        self.completed = 0
        self.failed = 0
        self.refused = 0

    def has_room(self, key: str | None) -> bool:
        if self.queued >= self.limits.queued:
            return False
        return key is None or self._waiting[key] < self.limits.queued_per_key

    def start(self, name: str, work: Callable[[], Awaitable[None]], key: str | None = None) -> bool:
        """Accept `work` (keyed by its repository, if any); False, and nothing runs, when full."""
        if not self.has_room(key):
            self.refused += 1
            return False
        self.queued += 1
        self._waiting[key] += 1
        task = asyncio.create_task(self._run(work, key), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, work: Callable[[], Awaitable[None]], key: str | None) -> None:
        in_slot = False
        try:
            turn = self._turn(key) if self._turn and key is not None else nullcontext()
            async with turn, self._slots:
                self._leave_queue(key)
                in_slot = True
                self.running += 1
                try:
                    await work()
                    self.completed += 1
                except Exception:
                    self.failed += 1
                    log.exception("background job failed")
                finally:
                    self.running -= 1
        finally:
            if not in_slot:  # cancelled (shutdown) while it was still waiting
                self._leave_queue(key)

    def _leave_queue(self, key: str | None) -> None:
        self.queued -= 1
        self._waiting[key] -= 1
        if not self._waiting[key]:
            del self._waiting[key]

    @property
    def unfinished(self) -> int:
        return len(self._tasks)

    def figures(self) -> dict[str, object]:
        """For /health: what is at work, what waits, and the limits."""
        return {"jobs_running": self.running, "jobs_queued": self.queued,
                "jobs_completed": self.completed, "jobs_failed": self.failed,
                "jobs_refused": self.refused,
                "queue_limits": {"running": self.limits.running, "queued": self.limits.queued,
                                 "queued_per_repository": self.limits.queued_per_key}}

    async def drain(self, grace: float) -> None:
        if not self._tasks:
            return
        log.info("waiting up to %.0fs for %d job(s) to finish", grace, len(self._tasks))
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            log.warning("cancelled %d unfinished job(s); a redelivery or the next run redoes them",
                        len(pending))
