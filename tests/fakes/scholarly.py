"""A fake of the scholarly metadata sources, served over real HTTP for tests, one path prefix each:
`/crossref` (api.crossref.org), `/openalex` (api.openalex.org), `/s2` (api.semanticscholar.org),
`/openreview` (api2.openreview.net) and `/acl` (aclanthology.org).

Answers are the recorded bodies in tests/fixtures/scholarly (see tests/fixtures/SOURCES.md), served
with the status and content type they were recorded with; a record the fake does not hold gets that
source's real "not found" answer (Crossref's text/plain `Resource not found.`, OpenAlex's HTML 404
page, Semantic Scholar's JSON 404, OpenReview's empty note list). OpenReview has no public recording:
its notes are documented-shape bodies (`openreview/*.documented-shape.json`). Every call is logged;
a request outside these routes is recorded in `unexpected` and fails the test at teardown.
`fail_next(source, 503 | "timeout")` makes a source misbehave.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from aiohttp import web

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scholarly"
CROSSREF_WORKS = {
    "10.1038/s42256-024-00832-8": "crossref/paperqa.works.10.1038_s42256-024-00832-8.json",
    "10.1109/icdcsw.2003.1203662": "crossref/habanero.works.10.1109_icdcsw.2003.1203662.json",
}
CROSSREF_404 = "crossref/habanero.works.10.1371_notarealdoi.http404.txt"
OPENALEX_WORKS = {"https://doi.org/10.1073/pnas.1414271111":
                  "openalex/paperqa.works.https_doi.org_10.1073_pnas.1414271111.json"}
OPENALEX_404 = "openalex/paperqa.works.https_doi.org_10.1046_j.1365-2699.2003.00795.http404.html"
S2_PAPERS = {"DOI:10.1038/s42256-024-00832-8": "semanticscholar/paperqa.paper.DOI_10.1038_s42256-024-00832-8.json"}
S2_404 = "semanticscholar/s2py.paper.0.http404.json"  # recorded for id "0": the message names that id
# The recorded ACL Anthology page comes from a GPL-3.0 repository's test resources, so it stays out
# of this MIT tree: it is served from ../shared when that is beside the project, and the tests that
# need it skip without it (../shared/fixtures/scholarly/aclanthology/SOURCE.md).
SHARED_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "scholarly"
ACL_PAGES = {"2021.naacl-main.208": "aclanthology/papis.page.2021.naacl-main.208.html"}
ACL_PAGES_PRESENT = all((SHARED_FIXTURES / name).is_file() for name in ACL_PAGES.values())
OPENREVIEW_NOTES = {"nZeVKeeFYf9": "openreview/notes.nZeVKeeFYf9.documented-shape.json"}


@dataclass
class ScholarlyCall:
    source: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeScholarly:
    url: str = ""  # set by the fixture
    hang_seconds: float = 30.0
    calls: list[ScholarlyCall] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    faults: dict[str, list[int | str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._release = asyncio.Event()
        self.app = web.Application()
        self.app.router.add_get("/crossref/works/{doi:.+}", self._crossref)
        self.app.router.add_get("/openalex/works/{work:.+}", self._openalex)
        self.app.router.add_get("/s2/graph/v1/paper/{paper:.+}", self._s2)
        self.app.router.add_get("/openreview/notes", self._openreview)
        self.app.router.add_get("/acl/{anthology_id}/", self._acl)
        self.app.router.add_route("*", "/{tail:.*}", self._unexpected)

    def settings(self) -> dict[str, str]:
        """Settings overrides that point the bot here."""
        return dict(crossref_api_url=f"{self.url}/crossref", openalex_api_url=f"{self.url}/openalex",
                    semantic_scholar_api_url=f"{self.url}/s2", openreview_api_url=f"{self.url}/openreview",
                    acl_anthology_url=f"{self.url}/acl")

    def fail_next(self, source: str, kind: int | str, times: int = 1) -> None:
        self.faults.setdefault(source, []).extend([kind] * times)

    def calls_to(self, source: str) -> list[ScholarlyCall]:
        return [c for c in self.calls if c.source == source]

    def release_hanging(self) -> None:
        self._release.set()

    async def _misbehave(self, source: str) -> web.Response | None:
        pending = self.faults.get(source)
        if not pending:
            return None
        kind = pending.pop(0)
        if kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._release.wait(), self.hang_seconds)
            return web.Response(status=504)
        return web.Response(status=int(kind), text="Service Unavailable")

    def _log(self, source: str, request: web.Request) -> None:
        self.calls.append(ScholarlyCall(source, request.path, dict(request.query), dict(request.headers)))

    async def _crossref(self, request: web.Request) -> web.Response:
        self._log("crossref", request)
        if fault := await self._misbehave("crossref"):
            return fault
        name = CROSSREF_WORKS.get(unquote(request.match_info["doi"]).lower())
        if name is None:  # Crossref: 404, text/plain
            return web.Response(status=404, body=_body(CROSSREF_404), content_type="text/plain")
        return web.Response(body=_body(name), content_type="application/json")

    async def _openalex(self, request: web.Request) -> web.Response:
        self._log("openalex", request)
        if fault := await self._misbehave("openalex"):
            return fault
        work = unquote(request.match_info["work"])
        name = OPENALEX_WORKS.get(work.lower() if work.lower().startswith("https://doi.org/") else work)
        if name is None:  # OpenAlex: an HTML 404 page for an unknown id
            return web.Response(status=404, body=_body(OPENALEX_404), content_type="text/html")
        return web.Response(body=_body(name), content_type="application/json")

    async def _s2(self, request: web.Request) -> web.Response:
        self._log("s2", request)
        if fault := await self._misbehave("s2"):
            return fault
        if "fields" not in request.query:
            self.unexpected.append(f"GET {request.path_qs}: Semantic Scholar lookups name their fields")
        name = S2_PAPERS.get(unquote(request.match_info["paper"]))
        if name is None:
            return web.Response(status=404, body=_body(S2_404), content_type="application/json")
        return web.Response(body=_body(name), content_type="application/json")

    async def _openreview(self, request: web.Request) -> web.Response:
        self._log("openreview", request)
        if fault := await self._misbehave("openreview"):
            return fault
        note_id = request.query.get("id", "")
        if not note_id:
            self.unexpected.append(f"GET {request.path_qs}: the bot reads notes by id")
            return web.json_response({"name": "ValidationError"}, status=400)
        name = OPENREVIEW_NOTES.get(note_id)
        # The API answers an unknown id with an empty list (documented shape).
        return web.Response(body=_body(name), content_type="application/json") if name else \
            web.json_response({"notes": [], "count": 0})

    async def _acl(self, request: web.Request) -> web.Response:
        self._log("acl", request)
        if fault := await self._misbehave("acl"):
            return fault
        name = ACL_PAGES.get(request.match_info["anthology_id"])
        if name is None:
            return web.Response(status=404, text="Not Found", content_type="text/html")
        page = (SHARED_FIXTURES / name).read_bytes()
        return web.Response(body=page, content_type="text/html", charset="utf-8")

    async def _unexpected(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path_qs}")
        return web.Response(status=599, text="unexpected call to the fake scholarly sources")


def _body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()

