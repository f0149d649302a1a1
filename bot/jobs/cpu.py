"""CPU work off the event loop, on one worker thread of its own.

Parsing a list, learning its sections and rendering entries are pure Python. Under the GIL two
threads doing that finish no sooner than one, and every extra thread gets its own malloc arena,
where the dictionaries of freed section models leave holes the process keeps: with a thread per
job the server's memory crept up by about 10 MB per 500 jobs (benchmarks/README.md, Memory).
Network calls that block (the `arxiv` package) use asyncio's default pool, not this one.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperbot-cpu")


async def run_cpu(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`func(*args, **kwargs)` on the CPU worker thread, with the caller's context variables
    (the delivery id in log lines), as `asyncio.to_thread` would."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_worker, call)
