"""A fake of export.arxiv.org's `GET /api/query`, served over real HTTP for tests.

It knows every paper in the recorded responses (tests/fixtures/arxiv) plus what tests add with
`add_paper`, answers `id_list` and `search_query` like arXiv (400 with an Error entry for a
malformed id, 200 without an entry for an unknown one), speaks the current Atom dialect or the
classic one (`dialect = "classic"`), logs every call with its arrival time (for rate-gate
assertions), and can misbehave on demand with `fail_next`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from aiohttp import web

from tests.fakes.arxiv_feed import (
    ARXIV_DIR,
    CURRENT,
    FakePaper,
    parse_feed_papers,
    render_error,
    render_feed,
)
from tests.fakes.arxiv_query import QueryError, compile_query

VALID_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?")
RECORDED_FEEDS = (
    "arxivpy.id_list.single.xml",
    "arxivpy.id_list.two-ids-one-invalid.xml",
    "arxivpy.id_list.old-style-id.xml",
    "arxivpy.id_list.versioned-id.xml",
    "arxivpy.search_query.100-entries.xml",
    "arxiv2bib.classic.id_list.two-papers.xml",
    "ewan-m.classic.search_query.10-entries.xml",
    "arxiv-user-manual.classic.search_query.1-entry.xml",
)
SORT_KEYS = {"relevance", "lastUpdatedDate", "submittedDate"}
MAX_RESULTS_LIMIT = 30000
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@dataclass
class ArxivCall:
    at: float  # time.monotonic() when the request arrived
    query: dict[str, str]
    status: int = 0


@dataclass
class _Fault:
    kind: int | str
    times: int


@dataclass
class FakeArxiv:
    dialect: str = CURRENT
    delay: float = 0.0  # latency added to every answer
    hang_seconds: float = 30.0  # how long a "timeout" fault holds the connection at most
    url: str = ""  # set by the fixture: ".../api/query"
    papers: dict[str, FakePaper] = field(default_factory=dict)
    call_log: list[ArxivCall] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in RECORDED_FEEDS:
            for paper in parse_feed_papers((ARXIV_DIR / name).read_bytes()):
                self.papers[paper.arxiv_id] = paper
        self._release = asyncio.Event()
        self.app = web.Application()
        self.app.router.add_get("/api/query", self._handle)
        self.app.on_shutdown.append(self._on_shutdown)

    # -- test-side API ---------------------------------------------------------------------

    def add_paper(
        self,
        arxiv_id: str,
        title: str,
        abstract: str,
        authors: list[str] | list[tuple[str, list[str]]],
        published: date | datetime | str,
        categories: list[str],
        version: int = 1,
        updated: date | datetime | str | None = None,
        comment: str | None = None,
        journal_ref: str | None = None,
        doi: str | None = None,
    ) -> FakePaper:
        """Add (or replace) a paper; `authors` are names or (name, affiliations) pairs."""
        first = _moment(published)
        paper = FakePaper(
            arxiv_id=arxiv_id,
            version=version,
            title=title,
            abstract=abstract,
            authors=[(a, []) if isinstance(a, str) else (a[0], list(a[1])) for a in authors],
            published=first,
            updated=_moment(updated) if updated is not None else first + timedelta(days=version - 1),
            categories=list(categories),
            primary_category=categories[0] if categories else "",
            comment=comment,
            journal_ref=journal_ref,
            doi=doi,
        )
        self.papers[arxiv_id] = paper
        return paper

    def fail_next(self, kind: int | str, times: int = 1) -> None:
        """Misbehave on the next `times` calls: an HTTP status (503, 429, 400, ...),
        "rate-exceeded-200" (200 with body `Rate exceeded.`), "timeout" (hold the answer for
        `hang_seconds`), or "empty" (a valid feed with no entries)."""
        if not isinstance(kind, int) and kind not in ("rate-exceeded-200", "timeout", "empty"):
            raise ValueError(f"unknown fault {kind!r}")
        self.faults.append(_Fault(kind, times))

    def intervals(self) -> list[float]:
        """Seconds between the arrivals of consecutive calls."""
        times = [c.at for c in self.call_log]
        return [b - a for a, b in itertools.pairwise(times)]

    def release_hanging(self) -> None:
        self._release.set()

    # -- HTTP --------------------------------------------------------------------------------

    async def _on_shutdown(self, app: web.Application) -> None:
        self.release_hanging()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        call = ArxivCall(time.monotonic(), dict(request.query))
        self.call_log.append(call)
        if self.delay:
            await asyncio.sleep(self.delay)
        response = await self._fault_response(call.query) or self._answer(call.query)
        call.status = response.status
        return response

    async def _fault_response(self, query: dict[str, str]) -> web.Response | None:
        if not self.faults:
            return None
        fault = self.faults[0]
        fault.times -= 1
        if fault.times <= 0:
            self.faults.pop(0)
        if fault.kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._release.wait(), self.hang_seconds)
            return web.Response(status=504, text="Gateway Timeout")
        if fault.kind == "rate-exceeded-200":
            return web.Response(status=200, text="Rate exceeded.", content_type="text/plain")
        if fault.kind == "empty":
            return self._feed_response("search_query=&id_list=&start=0&max_results=10", "", [], 0, 0, 10)
        if fault.kind == 400:
            return web.Response(
                status=400,
                body=render_error(self.dialect, query.get("id_list", "").split(",")[0] or "abc"),
                content_type="application/atom+xml",
            )
        return web.Response(status=int(fault.kind), text=f"HTTP {fault.kind}", content_type="text/plain")

    def _answer(self, query: dict[str, str]) -> web.Response:
        search, id_list = query.get("search_query", ""), query.get("id_list", "")
        sort_by, sort_order = query.get("sortBy", "relevance"), query.get("sortOrder", "descending")
        try:
            start, max_results = int(query.get("start", "0")), int(query.get("max_results", "10"))
        except ValueError:
            return self._error("start and max_results must be integers")
        if start < 0 or not 0 <= max_results <= MAX_RESULTS_LIMIT:
            return self._error(f"max_results must be between 0 and {MAX_RESULTS_LIMIT}")
        if sort_by not in SORT_KEYS or sort_order not in ("ascending", "descending"):
            return self._error("sortBy or sortOrder is not valid")
        ids = [part.strip() for part in id_list.split(",") if part.strip()]
        for raw in ids:
            if not VALID_ID.fullmatch(raw):
                return self._error(None, bad_id=raw)
        try:
            matches = compile_query(search) if search.strip() else None
        except QueryError as error:
            return self._error(str(error))
        found = self._select(ids, matches)
        if sort_by != "relevance" or not ids:
            key = (lambda pv: pv[0].published) if sort_by != "lastUpdatedDate" else (lambda pv: pv[0].updated)
            found.sort(key=key, reverse=sort_order == "descending")
        title = f"search_query={search}&id_list={id_list}&start={start}&max_results={max_results}"
        link = urlencode(
            {"search_query": search, "start": start, "max_results": max_results, "id_list": id_list},
            safe="/,:",
        )
        page = found[start : start + max_results]
        return self._feed_response(title, link, page, len(found), start, max_results)

    def _select(self, ids: list[str], matches: object) -> list[tuple[FakePaper, int]]:
        if ids:
            picked = []
            for raw in ids:
                base, _, version = re.sub(r"v(\d+)$", r" \1", raw).partition(" ")
                paper = self.papers.get(base)
                if paper is not None and (not version or int(version) <= paper.version):
                    picked.append((paper, int(version) if version else paper.version))
        else:
            picked = [(p, p.version) for p in self.papers.values()] if matches else []
        if matches is not None:
            picked = [(p, v) for p, v in picked if matches(p)]  # type: ignore[operator]
        return picked

    def _feed_response(
        self, title: str, link: str, page: list[tuple[FakePaper, int]], total: int, start: int, per_page: int
    ) -> web.Response:
        body = render_feed(self.dialect, title, link, page, total, start, per_page)
        return web.Response(status=200, body=body, headers={"Content-Type": ATOM_TYPE})

    def _error(self, message: str | None, bad_id: str = "") -> web.Response:
        body = render_error(self.dialect, bad_id, message)
        return web.Response(status=400, body=body, headers={"Content-Type": ATOM_TYPE})


def _moment(value: date | datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 12, 0, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
