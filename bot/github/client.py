"""GitHub: app authentication (JWT, cached installation tokens) and the repository operations we use.

Everything goes through the REST API with gidgethub: no clone, no database. Reads that GitHub lets
us cache carry ETags (gidgethub's cache), so unchanged answers come back as free 304s.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import aiohttp
import gidgethub
from cachetools import LRUCache
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from gidgethub import aiohttp as gh_aiohttp
from gidgethub import apps

from bot.github.retry import github_retrying, is_graphql, is_mutation, path_of

log = logging.getLogger(__name__)

USER_AGENT = "paperbot (+https://github.com/paperbot)"
TOKEN_REFRESH_MARGIN = 300  # seconds before expiry when a cached installation token is replaced

Answer = tuple[int, Mapping[str, str], bytes]
TokenSource = Callable[[str | None], Awaitable[str]]
"""`await source(None)`: a token valid for at least TOKEN_REFRESH_MARGIN; `await source(stale)`:
one other than `stale`, which GitHub just refused."""


class GitHubAPI(gh_aiohttp.GitHubAPI):
    """gidgethub's client with bounded retries (`github_retry`) on 5xx, timeouts and rate limits.

    An installation's client holds no token: each request asks `tokens` for one right before it
    is sent, so a job that waited minutes for its turn never sends a stale one. Mutating requests
    of one installation go one at a time (`write_lock`), as GitHub asks of integrations to stay
    clear of its secondary rate limits.
    """

    retry_base_delay = 1.0

    def __init__(self, *args: Any, write_lock: asyncio.Lock | None = None,
                 tokens: TokenSource | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock = write_lock
        self._tokens = tokens

    async def _request(self, method: str, url: str, headers: Mapping[str, str],
                       body: bytes = b"") -> Answer:
        # gidgethub's REST calls and its GraphQL call both end here, so every request, GraphQL
        # included, gets the same token handling and retries. A write's retries wait inside the
        # lock: an installation that hit a rate limit pauses all its writes, as GitHub asks.
        mutation = is_mutation(url, body)
        writes = mutation or (method != "GET" and not is_graphql(url))
        if writes and self._write_lock is not None:
            async with self._write_lock:
                return await self._send(method, url, headers, body, mutation=mutation)
        return await self._send(method, url, headers, body, mutation=mutation)

    async def _send(self, method: str, url: str, headers: Mapping[str, str], body: bytes, *,
                    mutation: bool = False) -> Answer:
        retrying = github_retrying(method, url, base_delay=self.retry_base_delay, sleep=self.sleep,
                                   mutation=mutation)
        return await retrying(self._authorised, method, url, headers, body)

    async def _authorised(self, method: str, url: str, headers: Mapping[str, str],
                          body: bytes) -> Answer:
        """One attempt, with a token taken now; a 401 means GitHub refused the token (so did
        nothing, and even a write is safe to resend): resend once with a fresh one."""
        if self._tokens is None:
            return await super()._request(method, url, headers, body)
        token = await self._tokens(None)
        answer = await super()._request(method, url, {**headers, "authorization": f"token {token}"}, body)
        if answer[0] != 401:
            return answer
        log.warning("GitHub refused the installation token on %s %s; retrying with a new one",
                    method, path_of(url))
        token = await self._tokens(token)
        return await super()._request(method, url, {**headers, "authorization": f"token {token}"}, body)


def signing_key(pem: str) -> Any:
    """The app's private key, parsed once. Parsing a PEM checks the RSA key, about 30 ms with the
    event loop held, and every JWT needs the key; PyJWT signs with the parsed key as it is. A key
    that does not parse stays text, so the first JWT reports the problem as before."""
    try:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return pem


class GitHubApp:
    """The app's identity: makes API clients and keeps one token per installation until near expiry."""

    def __init__(self, session: aiohttp.ClientSession, *, app_id: str, private_key: str,
                 base_url: str) -> None:
        self.session = session
        self.app_id = app_id
        self._private_key = signing_key(private_key)
        self.base_url = base_url
        self._tokens: dict[int, tuple[str, float]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._write_locks: dict[int, asyncio.Lock] = {}
        self._etag_cache: LRUCache[str, Any] = LRUCache(maxsize=500)

    def api(self) -> GitHubAPI:
        """An anonymous client (requests that authenticate on their own, e.g. with a JWT)."""
        return GitHubAPI(self.session, USER_AGENT, cache=self._etag_cache, base_url=self.base_url)

    def app_api(self) -> GitHubAPI:
        """A client that authenticates as the app itself (JWT), for /app endpoints."""
        return GitHubAPI(self.session, USER_AGENT, app_id=self.app_id,
                         private_key=self._private_key, base_url=self.base_url)

    def installation_api(self, installation_id: int) -> GitHubAPI:
        """A client acting as one installation; it takes a token right before each request."""
        return GitHubAPI(self.session, USER_AGENT, cache=self._etag_cache, base_url=self.base_url,
                         write_lock=self._write_locks.setdefault(installation_id, asyncio.Lock()),
                         tokens=partial(self.installation_token, installation_id))

    async def installation_token(self, installation_id: int, stale: str | None = None) -> str:
        """A token with more than TOKEN_REFRESH_MARGIN left, other than `stale` (one GitHub refused)."""
        token = self._cached_token(installation_id, stale)
        if token is not None:
            return token
        lock = self._locks.setdefault(installation_id, asyncio.Lock())
        async with lock:  # one refresher per installation; the others reuse its token
            token = self._cached_token(installation_id, stale)
            if token is not None:
                return token
            answer = await apps.get_installation_access_token(
                self.api(), installation_id=str(installation_id), app_id=self.app_id,
                private_key=self._private_key,
            )
            expires = datetime.fromisoformat(answer["expires_at"].replace("Z", "+00:00"))
            self._tokens[installation_id] = (answer["token"], expires.timestamp())
            return answer["token"]

    def _cached_token(self, installation_id: int, stale: str | None) -> str | None:
        cached = self._tokens.get(installation_id)
        if cached and cached[0] != stale and cached[1] - TOKEN_REFRESH_MARGIN > time.time():
            return cached[0]
        return None


@dataclass(frozen=True)
class FileContent:
    text: str
    sha: str  # blob sha, needed to update the file


@dataclass(frozen=True)
class Repository:
    """One repository, seen through an installation's token."""

    gh: GitHubAPI
    owner: str
    name: str
    default_branch: str
    html_url: str

    @classmethod
    def from_payload(cls, gh: GitHubAPI, repository: dict[str, Any]) -> Repository:
        """From a webhook's (or `GET /installation/repositories`') repository object."""
        return cls(gh, repository["owner"]["login"], repository["name"],
                   repository.get("default_branch") or "main", repository["html_url"])

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def blob_url(self, ref: str, path: str) -> str:
        return f"{self.html_url}/blob/{ref}/{path}"

    async def read_file(self, path: str, ref: str) -> FileContent | None:
        try:
            data = await self.gh.getitem(
                "/repos/{owner}/{repo}/contents/{+path}{?ref}",
                {"owner": self.owner, "repo": self.name, "path": path, "ref": ref},
            )
        except gidgethub.BadRequest as exc:
            if int(exc.status_code) == 404:
                return None
            raise
        if not isinstance(data, dict) or data.get("type") != "file":
            return None
        if data.get("encoding") == "none" and data.get("size"):
            # Above 1 MB GitHub leaves `content` empty: ask for the raw bytes instead.
            text = await self.gh.getitem(
                "/repos/{owner}/{repo}/contents/{+path}{?ref}",
                {"owner": self.owner, "repo": self.name, "path": path, "ref": ref},
                accept="application/vnd.github.raw")
            return FileContent(text if isinstance(text, str) else str(text), data["sha"])
        raw = base64.b64decode(data.get("content") or "")
        return FileContent(raw.decode("utf-8", errors="replace"), data["sha"])

    async def create_pull(self, *, branch: str, title: str, body: str) -> dict[str, Any]:
        return await self.gh.post(
            "/repos/{owner}/{repo}/pulls", {"owner": self.owner, "repo": self.name},
            data={"title": title, "head": branch, "base": self.default_branch, "body": body,
                  "maintainer_can_modify": True},
        )

    async def update_pull(self, number: int, **fields: Any) -> dict[str, Any]:
        return await self.gh.patch("/repos/{owner}/{repo}/pulls/{number}",
                                   {"owner": self.owner, "repo": self.name, "number": number},
                                   data=fields)

    async def comment(self, number: int, body: str) -> dict[str, Any]:
        return await self.gh.post("/repos/{owner}/{repo}/issues/{number}/comments",
                                  {"owner": self.owner, "repo": self.name, "number": number},
                                  data={"body": body})

    async def comments_since(self, number: int, since: str) -> list[dict[str, Any]]:
        return [c async for c in self.gh.getiter(
            "/repos/{owner}/{repo}/issues/{number}/comments{?since,per_page}",
            {"owner": self.owner, "repo": self.name, "number": number, "since": since,
             "per_page": 100},
        )]

    async def permission(self, user: str) -> str:
        """`admin`, `maintain`, `write`, `triage`, `read` or `none`."""
        try:
            data = await self.gh.getitem(
                "/repos/{owner}/{repo}/collaborators/{username}/permission",
                {"owner": self.owner, "repo": self.name, "username": user},
            )
        except gidgethub.BadRequest as exc:
            if int(exc.status_code) in (403, 404):
                return "none"
            raise
        return data.get("role_name") or data.get("permission") or "none"


WRITE_ROLES = frozenset({"admin", "maintain", "write"})
