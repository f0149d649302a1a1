"""Request context, replies and errors shared by the fake GitHub's route modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yarl import URL

from tests.fakes.github_state import Repo, Token

DOCS = "https://docs.github.com/rest"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30


class GitHubError(Exception):
    """An error answer exactly as GitHub words it."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def body(self, docs_url: str) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        body["documentation_url"] = docs_url or DOCS
        body["status"] = str(self.status)
        return body


def not_found() -> GitHubError:
    return GitHubError(404, "Not Found")


def validation_failed(resource: str, message: str | None = None, **error: str) -> GitHubError:
    """GitHub's 422 with an `errors` list, e.g. for pull requests that cannot be opened."""
    detail: dict[str, str] = {"resource": resource, **error}
    if message is not None:
        detail.setdefault("code", "custom")
        detail["message"] = message
    return GitHubError(422, "Validation Failed", [detail])


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON value; None with 204
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a non-JSON body (raw file media type)


@dataclass
class Ctx:
    """Everything a route handler needs to know about one request."""

    method: str
    path: str
    url: URL
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    api: str  # the fake's base URL, for links in payloads
    token: Token | None = None
    repo: Repo | None = None

    @property
    def the_repo(self) -> Repo:
        assert self.repo is not None, "route needs a repository"
        return self.repo

    def int_param(self, name: str) -> int:
        return int(self.params[name])


Handler = Callable[[Any, Ctx], Reply]


def paginate(
    ctx: Ctx,
    items: list[Any],
    render: Callable[[Any], Any],
    wrap: Callable[[list[Any]], Any] = lambda page: page,
) -> Reply:
    """One page of `items` plus GitHub's Link header (prev/first/next/last); `wrap` builds the
    body for endpoints that return an object around the list."""
    per_page = min(int(ctx.query.get("per_page", DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE), MAX_PER_PAGE)
    per_page = max(per_page, 1)
    page = max(int(ctx.query.get("page", 1) or 1), 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    links = []

    def link(number: int, rel: str) -> str:
        url = ctx.url.with_query({**ctx.query, "per_page": str(per_page), "page": str(number)})
        return f'<{url}>; rel="{rel}"'

    if page > 1:
        links += [link(page - 1, "prev"), link(1, "first")]
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    headers = {"Link": ", ".join(links)} if links else {}
    return Reply(200, wrap([render(i) for i in chunk]), headers)
