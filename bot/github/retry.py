"""When a GitHub request is sent again, and after how long: a tenacity policy over pure rules.

Rate limits are always retried (GitHub did nothing), waiting as long as it asks (Retry-After, or
the reset time of an exhausted limit, capped); 5xx answers are retried unless the request creates
comments or issues, which GitHub may have created before failing; after a timeout only reads (GETs
and GraphQL queries) are resent, since a write may have happened.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
)

log = logging.getLogger(__name__)

MAX_RETRIES = 3  # attempts in all, for one request
MAX_RETRY_WAIT = 60.0
_RETRY_STATUSES = {500, 502, 503, 504}


def github_retrying(method: str, url: str, *, base_delay: float,
                    sleep: Callable[[float], Awaitable[None]], mutation: bool = False) -> AsyncRetrying:
    """Calls a `(status, headers, body)` request under these rules; when the attempts run out,
    the last answer is returned (or its error raised) as it was. A GraphQL `mutation` is a write:
    after a timeout or a 5xx it may have happened, so only a rate limit sends it again."""
    return AsyncRetrying(
        stop=stop_after_attempt(MAX_RETRIES),
        retry=(retry_if_exception(lambda error: not mutation and retryable_error(method, url, error))
               | retry_if_result(lambda answer: retryable_answer(method, url, answer[0], answer[1],
                                                                 mutation=mutation))),
        wait=partial(_wait, wait_exponential(base_delay, max=MAX_RETRY_WAIT)),
        before_sleep=partial(_log_retry, method, url),
        retry_error_callback=_last_outcome,
        sleep=sleep,
    )


def is_graphql(url: str) -> bool:
    return path_of(url).endswith("/graphql")


def retryable_error(method: str, url: str, error: BaseException) -> bool:
    """Only reads (GETs and GraphQL queries) are resent after a timeout: a write may have happened."""
    return isinstance(error, TimeoutError | aiohttp.ClientConnectionError) and (
        method == "GET" or is_graphql(url))


def is_mutation(url: str, body: bytes) -> bool:
    """A GraphQL request whose document is a mutation (a write), not a query."""
    if not is_graphql(url) or not body:
        return False
    try:
        document = json.loads(body).get("query") or ""
    except (ValueError, AttributeError):
        return False
    return isinstance(document, str) and document.lstrip().startswith("mutation")


def retryable_answer(method: str, url: str, status: int, headers: Mapping[str, str], *,
                     mutation: bool = False) -> bool:
    """Rate limits always (nothing was done); 5xx unless the request creates comments or issues,
    which GitHub may have created before failing, or is a mutation, which may have landed."""
    limited = status == 429 or (
        status == 403 and ("retry-after" in headers or headers.get("x-ratelimit-remaining") == "0")
    )
    creates_duplicates = method == "POST" and ("/comments" in url or path_of(url).endswith("/issues"))
    return limited or (status in _RETRY_STATUSES and not creates_duplicates and not mutation)


def server_wait(headers: Mapping[str, str]) -> float | None:
    """The wait GitHub asks for (Retry-After, or the reset time of an exhausted limit), capped."""
    if "retry-after" in headers:
        try:
            return min(float(headers["retry-after"]), MAX_RETRY_WAIT)
        except ValueError:
            pass
    if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
        try:
            return min(max(float(headers["x-ratelimit-reset"]) - time.time(), 0.0), MAX_RETRY_WAIT)
        except ValueError:
            pass
    return None


def _wait(backoff: Callable[[RetryCallState], float], state: RetryCallState) -> float:
    outcome = state.outcome
    asked = None if outcome is None or outcome.failed else server_wait(outcome.result()[1])
    return backoff(state) if asked is None else asked


def _log_retry(method: str, url: str, state: RetryCallState) -> None:
    outcome, action = state.outcome, state.next_action
    assert outcome is not None and action is not None
    wait = action.sleep
    if outcome.failed:
        log.warning("GitHub %s %s failed (%s); retrying in %.1fs", method, path_of(url),
                    type(outcome.exception()).__name__, wait)
    else:
        log.warning("GitHub %s %s answered %d; retrying in %.1fs", method, path_of(url),
                    outcome.result()[0], wait)


def _last_outcome(state: RetryCallState) -> Any:
    assert state.outcome is not None
    return state.outcome.result()


def path_of(url: str) -> str:
    return url.split("?", 1)[0]
