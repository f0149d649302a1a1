"""A stateful, strict fake of the GitHub REST API for tests, served over real HTTP.

Every request is matched against GitHub's OpenAPI description (tests/fixtures/github), checked
the way GitHub checks it, answered from the fake's state with recorded GitHub payload shapes,
and logged. Requests the spec rejects answer 422 and are recorded as violations; routes the
fake does not serve answer 404 and are recorded as unexpected. See `plugin.py` for fixtures.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives import serialization
from multidict import CIMultiDict

from tests.fakes import github_auth, github_graphql, github_hooks, github_routes_git, github_routes_issues
from tests.fakes.github_http import Ctx, GitHubError, Reply
from tests.fakes.github_seed import SeedingMixin
from tests.fakes.github_state import DEFAULT_PERMISSIONS, Installation, Repo, Token
from tests.fakes.openapi import NO_BODY, Operation, Spec, load_spec

HANDLERS = {**github_auth.HANDLERS, **github_routes_git.HANDLERS, **github_routes_issues.HANDLERS,
            **github_hooks.HANDLERS}
PERMISSIONS = {**github_routes_git.PERMISSIONS, **github_routes_issues.PERMISSIONS}
MUTATING = ("POST", "PUT", "PATCH", "DELETE")
RATE_LIMIT = 5000
WEBHOOK_SECRET = "fake-webhook-secret"  # what the manifest conversion hands out
FAULT_MESSAGES = {
    401: "Bad credentials",
    403: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    404: "Not Found",
    409: "Conflict",
    422: "Validation Failed",
    429: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    status: int
    body: Any  # the decoded JSON request body, or None
    response: Any = None  # the JSON the fake answered with
    at: float = field(default_factory=time.monotonic)
    token_left: float | None = None  # seconds the installation token presented had left, if any


@dataclass
class Fault:
    method: str
    path_regex: re.Pattern[str]
    status: int
    times: int
    headers: dict[str, str]
    body: Any
    body_contains: str | None = None  # only requests whose body has this text (a GraphQL mutation's name)


class FakeGitHub(SeedingMixin, github_hooks.HookMixin):
    """The fake's state, its aiohttp app (`.app`), and the helpers tests use."""

    def __init__(
        self,
        app_id: int,
        private_key_pem: str,
        slug: str = "paperbot",
        owner: str = "paperbot-dev",
        webhook_secret: str = WEBHOOK_SECRET,
        spec: Spec | None = None,
    ) -> None:
        self.app_id = app_id
        self.private_key_pem = private_key_pem
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.public_key_pem = (
            key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
        self.slug, self.owner, self.webhook_secret = slug, owner, webhook_secret
        self.client_id = f"Iv23li{hashlib.sha1(str(app_id).encode(), usedforsecurity=False).hexdigest()[:14]}"
        self.client_secret = hashlib.sha1(private_key_pem.encode(), usedforsecurity=False).hexdigest()
        self.app_permissions = dict(DEFAULT_PERMISSIONS)
        self.spec = spec or load_spec()
        self.installations: dict[int, Installation] = {}
        self.repos: dict[str, Repo] = {}
        self.tokens: dict[str, Token] = {}
        self.manifest_codes: set[str] = set()
        self.call_log: list[Call] = []
        self.violations: list[str] = []
        self.unexpected: list[str] = []
        self.faults: list[Fault] = []
        self.write_hooks: list[Any] = []  # run, one per write, just before the next writes land
        self.delay = 0.0
        self.hook_deliveries: list[github_hooks.HookDelivery] = []  # the app's webhook (github_hooks)
        self.redelivery_tasks: set[asyncio.Task[Any]] = set()
        self.rate_used = 0
        self.unexpected_allowed = False
        self.url = ""  # set by the fixture once the server listens
        self.app = web.Application(client_max_size=50 * 1024**2)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"

    def bot_author(self) -> dict[str, str]:
        return {"name": self.bot_login, "email": f"{self.app_id}+{self.bot_login}@users.noreply.github.com"}

    # -- test-side API: call log, problems, faults --------------------------------------------

    def calls(self, method: str | None = None, path_contains: str | None = None) -> list[Call]:
        return [
            c
            for c in self.call_log
            if (method is None or c.method == method.upper())
            and (path_contains is None or path_contains in c.path)
        ]

    def mutating_calls(self) -> list[Call]:
        """Writes: REST calls other than GET, and GraphQL documents that are mutations."""
        return [c for c in self.call_log if c.method in MUTATING and not _is_graphql_query(c)]

    def rate_limited_calls(self) -> int:
        """Calls GitHub would count against the rate limit (a 304 is free)."""
        return sum(1 for c in self.call_log if c.status != 304)

    def record_violation(self, method: str, path: str, problems: list[str]) -> None:
        self.violations.append(f"{method} {path}: " + "; ".join(problems))

    def record_unexpected(self, method: str, path: str, reason: str) -> None:
        self.unexpected.append(f"{method} {path}: {reason}")

    def problems(self) -> list[str]:
        return [f"spec violation: {v}" for v in self.violations] + [
            f"unexpected: {u}" for u in self.unexpected
        ]

    def allow_unexpected(self) -> None:
        """For tests that send bad requests on purpose: skip the teardown check."""
        self.unexpected_allowed = True

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: Any = None,
        body_contains: str | None = None,
    ) -> None:
        """The next `times` matching requests answer `status` (nothing else happens).
        `body_contains` narrows the match, e.g. to one GraphQL mutation among queries."""
        self.faults.append(Fault(method.upper(), re.compile(path_regex), status, times, headers or {}, body,
                                 body_contains))

    def on_next_write(self, action: Any) -> None:
        """Run `action()` (say, a maintainer's push) just before the bot's next write is handled:
        another writer that moves a branch between the bot's read and its write."""
        self.write_hooks.append(action)

    # -- the HTTP side -------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw_body = await request.read()
        token_left = self._token_left(request.headers.get("Authorization"))
        query = {k: request.query.getall(k) for k in request.query}
        method, path = request.method, request.path
        if self.delay:
            try:
                await asyncio.sleep(self.delay)
            except asyncio.CancelledError:  # the client hung up first: logged as nginx's 499
                last = {k: v[-1] for k, v in query.items()}
                self.call_log.append(Call(method, path, last, 499, _decode(raw_body), token_left=token_left))
                raise
        if self.write_hooks and _is_write(method, path, raw_body):
            self.write_hooks.pop(0)()
        reply, body = self._answer(request, method, path, query, raw_body)
        if method == "GET" and reply.status == 200 and reply.raw is None:
            etag = 'W/"' + hashlib.sha256(_encode(reply.body)).hexdigest() + '"'
            reply.headers["ETag"] = etag
            if etag in request.headers.get("If-None-Match", ""):
                reply = Reply(304, headers={"ETag": etag})
        if reply.status != 304:
            self.rate_used += 1
        last_query = {k: v[-1] for k, v in query.items()}
        self.call_log.append(Call(method, path, last_query, reply.status, body, reply.body,
                                  token_left=token_left))
        return self._response(reply)

    def _token_left(self, header: str | None) -> float | None:
        token = self.tokens.get(github_auth.bearer_value(header) or "")
        return (token.expires_at - datetime.now(UTC)).total_seconds() if token else None

    def _answer(
        self, request: web.Request, method: str, path: str, query: dict[str, list[str]], raw_body: bytes
    ) -> tuple[Reply, Any]:
        if method == "POST" and path == "/graphql":
            return self._answer_graphql(request, path, query, raw_body)
        matched = self.spec.match(method, path)
        if matched is None or matched[0].operation_id not in HANDLERS:
            self.record_unexpected(method, path, "no such route in the fake")
            return _error(GitHubError(404, "Not Found"), ""), _decode(raw_body)
        op, params = matched
        check = self.spec.check_request(op, query, raw_body)
        body = None if check.body is NO_BODY else check.body
        if check.oddities:
            self.record_violation(method, path, check.oddities)
        if check.rejections:
            self.record_violation(method, path, check.rejections)
            status = 400 if check.bad_json else 422
            message = (
                check.rejections[0]
                if check.bad_json
                else "Invalid request.\n\n" + "\n".join(check.rejections)
            )
            return _error(GitHubError(status, message), op.docs_url), body
        fault = self._take_fault(method, path, raw_body)
        if fault is not None:
            message = FAULT_MESSAGES.get(fault.status, "Error")
            error_body = (
                fault.body
                if fault.body is not None
                else {"message": message, "documentation_url": op.docs_url, "status": str(fault.status)}
            )
            return Reply(fault.status, error_body, dict(fault.headers)), body
        ctx = Ctx(
            method,
            path,
            request.url,
            params,
            {k: v[-1] for k, v in query.items()},
            body,
            {k.lower(): v for k, v in request.headers.items()},
            str(request.url.origin()),
        )
        try:
            self._authenticate(op, ctx, request.headers.get("Authorization"))
            return HANDLERS[op.operation_id](self, ctx), body
        except GitHubError as error:
            return _error(error, op.docs_url), body

    def _answer_graphql(
        self, request: web.Request, path: str, query: dict[str, list[str]], raw_body: bytes
    ) -> tuple[Reply, Any]:
        """GraphQL is outside the REST description: graphql-core validates it against the schema."""
        body = _decode(raw_body)
        fault = self._take_fault("POST", path, raw_body)
        if fault is not None:
            message = FAULT_MESSAGES.get(fault.status, "Error")
            error_body = fault.body or {"message": message, "documentation_url": "https://docs.github.com/graphql",
                                        "status": str(fault.status)}
            return Reply(fault.status, error_body, dict(fault.headers)), body
        ctx = Ctx("POST", path, request.url, {}, {k: v[-1] for k, v in query.items()}, body,
                  {k.lower(): v for k, v in request.headers.items()}, str(request.url.origin()))
        try:
            ctx.token = github_auth.resolve_token(self, request.headers.get("Authorization"))
            return github_graphql.handle_graphql(self, ctx), body
        except GitHubError as error:
            return _error(error, "https://docs.github.com/graphql"), body

    def _authenticate(self, op: Operation, ctx: Ctx, header: str | None) -> None:
        kind = {**github_auth.AUTH, **github_hooks.AUTH}.get(op.operation_id, "token")
        if kind == "jwt":
            github_auth.verify_app_jwt(self, header)
            return
        if kind == "none":
            return
        ctx.token = github_auth.resolve_token(self, header)
        if "owner" in ctx.params:
            full_name = f"{ctx.params['owner']}/{ctx.params['repo']}"
            number = ctx.params.get("issue_number")
            repo = self.repos.get(full_name)
            is_pull = bool(repo and number and repo.issues.get(int(number)) and repo.issues[int(number)].pull)
            github_auth.check_repo_access(
                self, ctx.token, full_name, PERMISSIONS.get(op.operation_id), is_pull
            )
            ctx.repo = self.repos[full_name]

    def _take_fault(self, method: str, path: str, raw_body: bytes = b"") -> Fault | None:
        for fault in self.faults:
            wanted = fault.body_contains is None or fault.body_contains.encode() in raw_body
            if fault.method in (method, "*") and fault.path_regex.search(path) and wanted:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _response(self, reply: Reply) -> web.Response:
        headers = CIMultiDict(
            {
                "X-RateLimit-Limit": str(RATE_LIMIT),
                "X-RateLimit-Remaining": str(max(RATE_LIMIT - self.rate_used, 0)),
                "X-RateLimit-Used": str(self.rate_used),
                "X-RateLimit-Reset": str(int(time.time()) + 3600),
                "X-RateLimit-Resource": "core",
                "X-GitHub-Media-Type": "github.v3; format=json",
            }
        )
        for name, value in reply.headers.items():
            headers[name] = value  # a fault's own headers win, whatever their case
        if reply.raw is not None:
            return web.Response(status=reply.status, body=reply.raw, headers=headers)
        if reply.status in (204, 304) or reply.body is None:
            return web.Response(status=reply.status, headers=headers)
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return web.Response(status=reply.status, body=_encode(reply.body), headers=headers)


def _is_write(method: str, path: str, raw_body: bytes) -> bool:
    if method not in MUTATING or path.endswith("/access_tokens"):
        return False
    return path != "/graphql" or not _is_graphql_query(Call(method, path, {}, 0, _decode(raw_body)))


def _is_graphql_query(call: Call) -> bool:
    if call.path != "/graphql" or not isinstance(call.body, dict):
        return False
    return not str(call.body.get("query", "")).lstrip().startswith("mutation")


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return raw.decode("utf-8", "replace")


def _error(error: GitHubError, docs_url: str) -> Reply:
    return Reply(error.status, error.body(docs_url), dict(error.headers))
