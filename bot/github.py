"""GitHub: app authentication (JWT, cached installation tokens) and the repository operations we use.

Everything goes through the REST API with gidgethub: no clone, no database. Reads that GitHub lets
us cache carry ETags (gidgethub's cache), so unchanged answers come back as free 304s.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
import gidgethub
from cachetools import LRUCache
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from gidgethub import aiohttp as gh_aiohttp
from gidgethub import apps

log = logging.getLogger(__name__)

USER_AGENT = "paperbot (+https://github.com/paperbot)"
TOKEN_REFRESH_MARGIN = 300  # seconds before expiry when a cached installation token is replaced
MAX_RETRIES = 3
MAX_RETRY_WAIT = 60.0
_RETRY_STATUSES = {500, 502, 503, 504}


class GitHubAPI(gh_aiohttp.GitHubAPI):
    """gidgethub's client with bounded retries on 5xx, timeouts and secondary rate limits.

    Mutating requests of one installation go one at a time (`write_lock`), as GitHub asks of
    integrations to stay clear of its secondary rate limits.
    """

    retry_base_delay = 1.0

    def __init__(self, *args: Any, write_lock: asyncio.Lock | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock = write_lock

    async def _request(self, method: str, url: str, headers: Mapping[str, str],
                       body: bytes = b"") -> tuple[int, Mapping[str, str], bytes]:
        if method != "GET" and self._write_lock is not None and not url.endswith("/graphql"):
            async with self._write_lock:
                return await self._send(method, url, headers, body)
        return await self._send(method, url, headers, body)

    async def graphql(self, query: str, *, endpoint: str = "https://api.github.com/graphql",
                      **variables: Any) -> Any:
        """gidgethub's GraphQL call skips the retry hook: queries are reads, so retry 5xx here too."""
        for attempt in range(1, MAX_RETRIES + 1):
            try:
                return await super().graphql(query, endpoint=endpoint, **variables)
            except gidgethub.GitHubBroken:
                if attempt == MAX_RETRIES:
                    raise
                log.warning("GitHub GraphQL answered 5xx; retrying")
                await self.sleep(self.retry_base_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    async def _send(self, method: str, url: str, headers: Mapping[str, str],
                    body: bytes) -> tuple[int, Mapping[str, str], bytes]:
        for attempt in range(1, MAX_RETRIES + 1):
            try:
                return await super()._request(method, url, headers, body)
            except (TimeoutError, aiohttp.ClientConnectionError):
                # Only reads (GETs and GraphQL queries) are safe to resend; a write may have happened.
                if (method != "GET" and not url.endswith("/graphql")) or attempt == MAX_RETRIES:
                    raise
                log.warning("GitHub %s %s timed out; retrying", method, _path(url))
                await self.sleep(self.retry_base_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    async def handle_rate_limit_error(self, *, method: str, url: str,
                                      exception: gidgethub.HTTPException, attempt: int) -> bool:
        if attempt >= MAX_RETRIES:
            return False
        status = int(exception.status_code)
        headers = exception.headers or {}
        limited = status == 429 or (
            status == 403 and ("retry-after" in headers or headers.get("x-ratelimit-remaining") == "0")
        )
        # A POST that failed with 5xx may still have been applied: resend only idempotent writes.
        creates_duplicates = method == "POST" and ("/comments" in url or url.endswith("/issues"))
        if not limited and (status not in _RETRY_STATUSES or creates_duplicates):
            return False
        wait = _retry_wait(headers, self.retry_base_delay * 2 ** (attempt - 1))
        log.warning("GitHub %s %s answered %d; retrying in %.1fs", method, _path(url), status, wait)
        await self.sleep(wait)
        return True


def _retry_wait(headers: Mapping[str, str], fallback: float) -> float:
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
    return min(fallback, MAX_RETRY_WAIT)


def _path(url: str) -> str:
    return url.split("?", 1)[0]


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

    def api(self, token: str | None = None, installation_id: int | None = None) -> GitHubAPI:
        lock = None
        if installation_id is not None:
            lock = self._write_locks.setdefault(installation_id, asyncio.Lock())
        return GitHubAPI(self.session, USER_AGENT, oauth_token=token, cache=self._etag_cache,
                         base_url=self.base_url, write_lock=lock)

    def app_api(self) -> GitHubAPI:
        """A client that authenticates as the app itself (JWT), for /app endpoints."""
        return GitHubAPI(self.session, USER_AGENT, app_id=self.app_id,
                         private_key=self._private_key, base_url=self.base_url)

    async def installation_token(self, installation_id: int) -> str:
        cached = self._tokens.get(installation_id)
        if cached and cached[1] - TOKEN_REFRESH_MARGIN > time.time():
            return cached[0]
        lock = self._locks.setdefault(installation_id, asyncio.Lock())
        async with lock:  # one refresher per installation; the others reuse its token
            cached = self._tokens.get(installation_id)
            if cached and cached[1] - TOKEN_REFRESH_MARGIN > time.time():
                return cached[0]
            answer = await apps.get_installation_access_token(
                self.api(), installation_id=str(installation_id), app_id=self.app_id,
                private_key=self._private_key,
            )
            expires = datetime.fromisoformat(answer["expires_at"].replace("Z", "+00:00"))
            self._tokens[installation_id] = (answer["token"], expires.timestamp())
            return answer["token"]

    async def installation_api(self, installation_id: int) -> GitHubAPI:
        return self.api(await self.installation_token(installation_id), installation_id)

    def forget_token(self, installation_id: int) -> None:
        self._tokens.pop(installation_id, None)


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
