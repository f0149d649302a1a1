"""Metadata beyond arXiv: Crossref and OpenAlex for DOIs, the ACL Anthology, OpenReview, and Semantic
Scholar to map a paper between its arXiv id, DOI and Anthology id.

Each source has its own polite rate gate (one request at a time, at most one per interval), its own
TTL cache and a timeout; a source that fails or times out raises `SourceUnavailable`, whose message
is the reply line. Base URLs come from settings, so local fakes stand in for every source.

Clients: Semantic Scholar goes through `semanticscholar` (async, its `api_url` settable, retries
off: the gate and the caller decide). The others are one documented GET each, sent on the app's
aiohttp session: habanero (Crossref) is synchronous and pulls in an httpx fork (`httpx2`) and tqdm
for that one GET; pyalex sets its base URL and e-mail in process-wide globals; openreview-py brings
a dozen dependencies and a login flow for reading one public note.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
from aiolimiter import AsyncLimiter
from cachetools import TTLCache
from semanticscholar.AsyncSemanticScholar import AsyncSemanticScholar
from semanticscholar.SemanticScholarException import ObjectNotFoundException

from bot.errors import PaperbotError
from bot.papers.references import Paper
from bot.papers.refs import ScholarRef
from bot.papers.scholarly_parse import acl_paper, crossref_paper, openalex_paper, openreview_paper, s2_paper
from bot.settings import Settings

log = logging.getLogger(__name__)

SOURCE_DOWN = "{source} did not answer; try again later"
UNMATCHED = ("{source} did not answer, so {ref} was matched with the list by its title only "
             "(not by its arXiv id or DOI).")
USER_AGENT = "paperbot (https://github.com/apps/paperbot{mailto})"
# Seconds between two requests to one source: Crossref's and OpenAlex's polite pools allow about 10
# a second, Semantic Scholar shares 1 a second among clients without a key, the others ask nothing.
POLITE_INTERVALS = {"Crossref": 0.1, "OpenAlex": 0.1, "Semantic Scholar": 1.0, "OpenReview": 0.5,
                    "ACL Anthology": 0.5}
S2_FIELDS = ["title", "authors", "year", "publicationDate", "venue", "journal", "externalIds", "abstract"]
MISSING: Any = object()  # a cached "not found"
T = TypeVar("T")


class SourceUnavailable(PaperbotError):
    def __init__(self, source: str) -> None:
        super().__init__(SOURCE_DOWN.format(source=source))
        self.source = source


class NotFound(Exception):
    """The source answered that it has no such record."""


class Source:
    """One API behind its own gate and cache."""

    def __init__(self, name: str, *, interval: float, timeout: float, cache_ttl: float = 6 * 3600) -> None:
        self.name = name
        self.timeout = timeout
        self._one_at_a_time = asyncio.Lock()
        self._limiter = AsyncLimiter(1, interval) if interval > 0 else None
        self._cache: TTLCache[str, Any] = TTLCache(maxsize=2048, ttl=cache_ttl)

    async def get(self, key: str, fetch: Callable[[], Awaitable[T]]) -> T | None:
        """`fetch()`'s answer (None when the source has no such record), cached; `SourceUnavailable`
        when it fails or takes longer than the timeout."""
        cached = self._cache.get(key)
        if cached is not None:
            return None if cached is MISSING else cached
        try:
            async with self._one_at_a_time:
                if self._limiter is not None:
                    await self._limiter.acquire()
                result: Any = await asyncio.wait_for(fetch(), self.timeout)
        except NotFound:
            result = None
        except Exception as exc:  # network, timeout, HTTP status, bad JSON, the S2 client's own errors
            log.warning("%s failed for %s: %r", self.name, key, exc)
            raise SourceUnavailable(self.name) from exc
        self._cache[key] = MISSING if result is None else result
        return result


class ScholarlyClient:
    """Resolves `ScholarRef`s to `Paper`s, with the arXiv id, DOI and Anthology id each source knows."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        email = settings.contact_email
        self._mailto = {"mailto": email} if email else {}
        self._headers = {"User-Agent": USER_AGENT.format(mailto=f"; mailto:{email}" if email else "")}
        self.sources = {
            name: Source(name, interval=interval if settings.scholarly_min_interval is None
                         else settings.scholarly_min_interval, timeout=settings.scholarly_timeout)
            for name, interval in POLITE_INTERVALS.items()
        }
        self._s2 = AsyncSemanticScholar(timeout=int(max(1, settings.scholarly_timeout)),
                                        api_url=settings.semantic_scholar_api_url, retry=False)

    async def resolve_all(self, refs: Sequence[ScholarRef]
                          ) -> tuple[dict[ScholarRef, Paper | None], dict[ScholarRef, str], list[str]]:
        """Papers by ref (None: not found), the refs whose source did not answer (with the reply
        line), and notes about lookups that only partly worked."""
        unique = list(dict.fromkeys(refs))
        results = await asyncio.gather(*(self.resolve(ref) for ref in unique), return_exceptions=True)
        papers: dict[ScholarRef, Paper | None] = {}
        failed: dict[ScholarRef, str] = {}
        notes: list[str] = []
        for ref, result in zip(unique, results, strict=True):
            if isinstance(result, SourceUnavailable):
                failed[ref] = str(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                papers[ref], note = result
                notes += [note] if note else []
        return papers, failed, notes

    async def resolve(self, ref: ScholarRef) -> tuple[Paper | None, str]:
        """The paper and, when the id mapping failed, a note saying so."""
        if ref.kind == "doi":
            paper = await self.crossref(ref.value) or await self.openalex(f"https://doi.org/{ref.value}")
        elif ref.kind == "acl":
            paper = await self.anthology(ref.value)
        elif ref.kind == "openreview":
            return await self.openreview(ref.value), ""  # Semantic Scholar has no OpenReview ids
        elif ref.kind == "openalex":
            paper = await self.openalex(ref.value)
        else:
            body = await self.semantic_scholar(ref.value)
            return (s2_paper(body) if body else None), ""
        if paper is None:
            return None, ""
        try:
            return await self.with_other_ids(paper), ""
        except SourceUnavailable as exc:
            return paper, UNMATCHED.format(source=exc.source, ref=ref.key)

    async def with_other_ids(self, paper: Paper) -> Paper:
        """`paper` with the arXiv id (and DOI, Anthology id) Semantic Scholar maps it to."""
        lookup = f"DOI:{paper.doi}" if paper.doi else f"ACL:{paper.acl_id}" if paper.acl_id else ""
        body = await self.semantic_scholar(lookup) if lookup else None
        if not body:
            return paper
        other = s2_paper(body)
        if other is None:
            return paper
        return replace(paper, arxiv_id=paper.arxiv_id or other.arxiv_id, doi=paper.doi or other.doi,
                       acl_id=paper.acl_id or other.acl_id, abstract=paper.abstract or other.abstract)

    async def crossref(self, doi: str) -> Paper | None:
        url = f"{self.settings.crossref_api_url}/works/{quote(doi, safe='/:;()')}"
        return await self.sources["Crossref"].get(doi, lambda: self._json(url, self._mailto, crossref_paper))

    async def openalex(self, work: str) -> Paper | None:
        url = f"{self.settings.openalex_api_url}/works/{quote(work, safe='/:;()')}"
        return await self.sources["OpenAlex"].get(work, lambda: self._json(url, self._mailto, openalex_paper))

    async def openreview(self, note_id: str) -> Paper | None:
        url = f"{self.settings.openreview_api_url}/notes"
        return await self.sources["OpenReview"].get(
            note_id, lambda: self._json(url, {"id": note_id}, lambda body: openreview_paper(body, note_id)))

    async def anthology(self, anthology_id: str) -> Paper | None:
        url = f"{self.settings.acl_anthology_url}/{anthology_id}/"

        async def fetch() -> Paper | None:
            async with self.session.get(url, headers=self._headers) as response:
                if response.status == 404:
                    raise NotFound(url)
                response.raise_for_status()
                return acl_paper(await response.text(), anthology_id)

        return await self.sources["ACL Anthology"].get(anthology_id, fetch)

    async def semantic_scholar(self, paper_id: str) -> dict[str, Any] | None:
        async def fetch() -> dict[str, Any]:
            try:
                paper = await self._s2.get_paper(paper_id, fields=S2_FIELDS)
            except ObjectNotFoundException as exc:
                raise NotFound(paper_id) from exc
            return dict(paper.raw_data)

        return await self.sources["Semantic Scholar"].get(paper_id, fetch)

    async def _json(self, url: str, params: dict[str, str], parse: Callable[[Any], T]) -> T:
        async with self.session.get(url, params=params, headers=self._headers) as response:
            if response.status == 404:
                raise NotFound(url)  # Crossref says so in text/plain, OpenAlex in an HTML page
            response.raise_for_status()
            return parse(await response.json(content_type=None))
