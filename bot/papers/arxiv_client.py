"""The arXiv metadata client: the synchronous `arxiv` package, run in a thread, behind one gate.

arXiv asks for at most one request every 3 seconds, one connection at a time, so every request of
the app (`/add` lookups and scheduled searches alike) passes through its client's one `RateGate`.
Results are cached. With REDIS_URL the gate and the cache live on Redis (`bot.papers.arxiv_shared`),
shared by every process of the app.
"""

from __future__ import annotations

import asyncio
import logging
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import arxiv
import requests
from aiolimiter import AsyncLimiter
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from bot.errors import ArxivUnavailable
from bot.papers.arxiv_shared import paper_from_bytes, paper_to_bytes
from bot.papers.references import ArxivRef, Paper
from bot.settings import Settings
from bot.shared_cache import Cache, MemoryCache

log = logging.getLogger(__name__)

ARXIV_DOWN = (
    "arXiv did not answer (it may be down or rate-limiting us); nothing was changed. "
    "Please try again in a few minutes."
)
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_TRANSIENT_STATUSES = {429, 500, 502, 503, 504}
MAX_BACKOFF = 30.0
CACHE_KEY = "arxiv:paper:{ref}"
T = TypeVar("T")


class Gate(typing.Protocol):
    interval: float

    async def run(self, func: Callable[..., T], *args: object) -> T: ...


class RateGate:
    """One request at a time, each starting at least `interval` seconds after the one before
    (aiolimiter's leaky bucket of size one), run in a worker thread so the event loop never waits."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._one_at_a_time = asyncio.Lock()
        self._limiter = AsyncLimiter(1, interval) if interval > 0 else None

    async def run(self, func: Callable[..., T], *args: object) -> T:
        async with self._one_at_a_time:
            if self._limiter is not None:
                await self._limiter.acquire()
            return await asyncio.to_thread(func, *args)


class _TimeoutSession(requests.Session):
    """The `arxiv` package sets no timeout; this session adds one and keeps the last body."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout
        self.last_body = b""

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        kwargs.setdefault("timeout", self.timeout)
        response = super().request(*args, **kwargs)
        self.last_body = response.content
        return response


@dataclass(frozen=True)
class SearchQuery:
    query: str
    max_results: int = 50


class ArxivClient:
    """Looks papers up by id (one request per comment) and runs searches, politely."""

    def __init__(
        self,
        api_url: str,
        *,
        min_interval: float = 3.0,
        timeout: float = 30.0,
        retries: int = 2,
        cache_ttl: float = 6 * 3600,
        gate: Gate | None = None,
        cache: Cache | None = None,
    ) -> None:
        self.gate: Gate = gate if gate is not None else RateGate(min_interval)
        self.timeout = timeout
        self.retries = retries
        self._query_url = api_url.rstrip("?") + "?{}"
        self._cache: Cache = cache if cache is not None else MemoryCache(4096)
        self._cache_ttl = cache_ttl

    @classmethod
    def from_settings(cls, settings: Settings, *, gate: Gate | None = None,
                      cache: Cache | None = None) -> ArxivClient:
        return cls(settings.arxiv_api_url, min_interval=settings.arxiv_min_interval,
                   timeout=settings.arxiv_timeout, gate=gate, cache=cache)

    @property
    def request_lease(self) -> float:
        """The longest one gated request can take (see `_gated_search`)."""
        return self.timeout * 2 + 10

    async def fetch(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper | None]:
        """Metadata for each ref (None: arXiv has no such paper). One request for all misses."""
        found: dict[ArxivRef, Paper | None] = {}
        missing = []
        for ref in dict.fromkeys(refs):
            raw = await self._cache.get(CACHE_KEY.format(ref=ref.versioned))
            cached = paper_from_bytes(raw) if raw is not None else None
            if cached is not None:
                found[ref] = cached
            else:
                missing.append(ref)
        for attempt in range(2):  # an empty answer is retried once before "not found"
            if not missing:
                break
            papers = await self._request(
                arxiv.Search(id_list=[ref.versioned for ref in missing], max_results=len(missing))
            )
            by_id = {paper.arxiv_id: paper for paper in papers}
            still_missing = []
            for ref in missing:
                paper = by_id.get(ref.arxiv_id)
                if paper is None:
                    still_missing.append(ref)
                    continue
                await self._cache.set(CACHE_KEY.format(ref=ref.versioned), paper_to_bytes(paper),
                                      self._cache_ttl)
                found[ref] = paper
            if attempt == 0 and still_missing and papers:
                break  # arXiv answered for the others: those it skipped do not exist
            missing = still_missing
        for ref in missing:
            found.setdefault(ref, None)
        return found

    async def search(self, query: SearchQuery) -> list[Paper]:
        """Newest submissions first."""
        search = arxiv.Search(
            query=query.query,
            max_results=query.max_results,
            sort_by=arxiv.SortCriterion.SubmittedDate,
            sort_order=arxiv.SortOrder.Descending,
        )
        return await self._request(search)

    async def _request(self, search: arxiv.Search) -> list[Paper]:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential(self.gate.interval, max=MAX_BACKOFF),
            retry=retry_if_exception_type((ArxivUnavailable, TimeoutError)),
            after=_log_failure,
            retry_error_callback=_give_up,
            sleep=asyncio.sleep,
        )
        return await retrying(self._gated_search, search)

    async def _gated_search(self, search: arxiv.Search) -> list[Paper]:
        # The thread cannot be stopped: this bounds the wait when a socket timeout does not fire.
        return await asyncio.wait_for(self.gate.run(self._run_search, search),
                                      timeout=self.request_lease)

    def _run_search(self, search: arxiv.Search) -> list[Paper]:
        """Runs in a worker thread: one HTTP request, no retries of the package's own."""
        client = arxiv.Client(page_size=max(1, search.max_results or 1), delay_seconds=0,
                              num_retries=0)
        client.query_url_format = self._query_url
        session = _TimeoutSession(self.timeout)
        client._session = session  # the package offers no public way to set a timeout
        try:
            results = list(client.results(search))
        except arxiv.HTTPError as exc:
            if exc.status == 400:
                return []  # a malformed id list: callers validate ids first, so none match
            if exc.status in _TRANSIENT_STATUSES or exc.status >= 500:
                raise ArxivUnavailable(ARXIV_DOWN) from exc
            raise ArxivUnavailable(ARXIV_DOWN) from exc
        except (requests.RequestException, arxiv.ArxivError) as exc:
            raise ArxivUnavailable(ARXIV_DOWN) from exc
        finally:
            session.close()
        if not results and b"<feed" not in session.last_body[:2000]:
            # e.g. HTTP 200 with the body "Rate exceeded.": not an answer, so not "not found"
            raise ArxivUnavailable(ARXIV_DOWN) from ValueError(session.last_body[:80])
        return [paper for result in results if (paper := paper_from_result(result))]


def _log_failure(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, ArxivUnavailable):
        log.warning("arXiv request failed (attempt %d): %s", state.attempt_number, error.__cause__)
    elif isinstance(error, TimeoutError):
        log.warning("arXiv request timed out (attempt %d)", state.attempt_number)


def _give_up(state: RetryCallState) -> list[Paper]:
    raise ArxivUnavailable(ARXIV_DOWN)


def paper_from_result(result: arxiv.Result) -> Paper | None:
    """Convert a parsed Atom entry; error entries (`/api/errors#...`) give None."""
    match = _ENTRY_ID.search(result.entry_id or "")
    if not match or "/api/errors" in result.entry_id:
        return None
    return Paper(
        arxiv_id=match["id"],
        version=int(match["version"] or 1),
        title=" ".join(str(result.title).split()),
        authors=tuple(" ".join(author.name.split()) for author in result.authors),
        abstract=" ".join((result.summary or "").split()),
        published=result.published.date(),
        updated=result.updated.date(),
        categories=tuple(result.categories),
        primary_category=result.primary_category or "",
        comment=" ".join((result.comment or "").split()),
        journal_ref=" ".join((result.journal_ref or "").split()),
        doi=result.doi or "",
    )
