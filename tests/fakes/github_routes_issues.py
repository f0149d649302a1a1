"""Pull request, issue, comment, reaction and collaborator endpoints of the fake GitHub."""

from __future__ import annotations

from typing import Any

from tests.fakes import github_payloads as payloads
from tests.fakes import github_payloads_issues as issue_payloads
from tests.fakes.github_http import Ctx, GitHubError, Handler, Reply, not_found, paginate, validation_failed
from tests.fakes.github_state import Comment, Issue, PullInfo, Reaction, iso, next_id


def _issue(ctx: Ctx, pull_only: bool = False) -> Issue:
    number = ctx.int_param("pull_number" if "pull_number" in ctx.params else "issue_number")
    found = ctx.the_repo.issues.get(number)
    if found is None or (pull_only and found.pull is None):
        raise not_found()
    return found


def _ordered(ctx: Ctx, items: list[Issue], sort_keys: dict[str, Any]) -> list[Issue]:
    sort = ctx.query.get("sort", "created")
    key = sort_keys.get(sort, sort_keys["created"])
    return sorted(items, key=key, reverse=ctx.query.get("direction", "desc") == "desc")


def list_pulls(fake: Any, ctx: Ctx) -> Reply:
    repo = ctx.the_repo
    state = ctx.query.get("state", "open")
    found = [i for i in repo.issues.values() if i.pull and (state == "all" or i.state == state)]
    head = ctx.query.get("head")
    if head is not None:
        if ":" in head:
            owner, _, ref = head.partition(":")
            found = [i for i in found if i.pull and i.pull.head_owner == owner and i.pull.head_ref == ref]
        else:  # GitHub silently ignores a head filter without "owner:"; that is a client bug
            fake.record_violation(ctx.method, ctx.path, [f"head={head!r} lacks 'owner:' and is ignored"])
    if "base" in ctx.query:
        found = [i for i in found if i.pull and i.pull.base_ref == ctx.query["base"]]
    keys = {"created": lambda i: i.number, "updated": lambda i: (i.updated_at, i.number)}
    found = _ordered(ctx, found, keys)
    return paginate(ctx, found, lambda i: issue_payloads.pull(ctx.api, repo, i, full=False))


def create_pull(fake: Any, ctx: Ctx) -> Reply:
    repo, body = ctx.the_repo, ctx.body
    head_owner, _, head_ref = body["head"].rpartition(":")
    head_owner = head_owner or repo.owner
    base_ref = body["base"]
    if base_ref not in repo.branches:
        raise validation_failed("PullRequest", field="base", code="invalid")
    if head_owner != repo.owner or head_ref not in repo.branches:
        raise validation_failed("PullRequest", field="head", code="invalid")
    if repo.open_pull_for(head_owner, head_ref, base_ref):
        raise validation_failed("PullRequest", f"A pull request already exists for {head_owner}:{head_ref}.")
    head_sha, base_sha = repo.branches[head_ref], repo.branches[base_ref]
    if repo.is_ancestor(head_sha, base_sha):
        raise validation_failed("PullRequest", f"No commits between {base_ref} and {head_ref}")
    info = PullInfo(
        head_ref,
        head_owner,
        base_ref,
        head_sha,
        base_sha,
        draft=bool(body.get("draft")),
        maintainer_can_modify=body.get("maintainer_can_modify", True),
    )
    made = Issue(next_id(), repo.next_number(), body["title"], body.get("body"), fake.bot_login, pull=info)
    repo.issues[made.number] = made
    payload = issue_payloads.pull(ctx.api, repo, made)
    return Reply(201, payload, {"Location": payload["url"]})


def get_pull(fake: Any, ctx: Ctx) -> Reply:
    return Reply(200, issue_payloads.pull(ctx.api, ctx.the_repo, _issue(ctx, pull_only=True)))


def update_pull(fake: Any, ctx: Ctx) -> Reply:
    repo, found, body = ctx.the_repo, _issue(ctx, pull_only=True), ctx.body or {}
    info = found.pull
    assert info is not None
    if body.get("state") == "open" and found.state == "closed":
        if info.merged:
            raise validation_failed(
                "PullRequest", "state cannot be changed. The pull request cannot be reopened."
            )
        if info.head_ref not in repo.branches:
            raise validation_failed(
                "PullRequest", f"state cannot be changed. The {info.head_ref} branch has been deleted."
            )
        if repo.open_pull_for(info.head_owner, info.head_ref, info.base_ref):
            raise validation_failed(
                "PullRequest", f"A pull request already exists for {info.head_owner}:{info.head_ref}."
            )
    if "base" in body and body["base"] not in repo.branches:
        raise validation_failed("PullRequest", field="base", code="invalid")
    _update_issue_fields(found, body)
    if "base" in body:
        info.base_ref = body["base"]
    if "maintainer_can_modify" in body:
        info.maintainer_can_modify = body["maintainer_can_modify"]
    return Reply(200, issue_payloads.pull(ctx.api, repo, found))


def _update_issue_fields(found: Issue, body: dict[str, Any]) -> None:
    for name in ("title", "body"):
        if name in body:
            setattr(found, name, body[name])
    if "labels" in body:
        found.labels = [x if isinstance(x, str) else x["name"] for x in body["labels"]]
    state = body.get("state")
    if state and state != found.state:
        found.state = state
        found.closed_at = iso() if state == "closed" else None
    found.updated_at = iso()


def list_issues(fake: Any, ctx: Ctx) -> Reply:
    repo = ctx.the_repo
    state = ctx.query.get("state", "open")
    found = [i for i in repo.issues.values() if state == "all" or i.state == state]
    if "creator" in ctx.query:
        found = [i for i in found if i.user == ctx.query["creator"]]
    if ctx.query.get("labels"):
        wanted = {name.strip() for name in ctx.query["labels"].split(",")}
        found = [i for i in found if wanted <= set(i.labels)]
    if "since" in ctx.query:
        found = [i for i in found if i.updated_at >= ctx.query["since"]]
    keys = {
        "created": lambda i: i.number,
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comments), i.number),
    }
    found = _ordered(ctx, found, keys)
    return paginate(ctx, found, lambda i: issue_payloads.issue(ctx.api, repo, i))


def create_issue(fake: Any, ctx: Ctx) -> Reply:
    repo, body = ctx.the_repo, ctx.body
    made = Issue(next_id(), repo.next_number(), str(body["title"]), body.get("body"), fake.bot_login)
    made.labels = [x if isinstance(x, str) else x["name"] for x in body.get("labels", [])]
    repo.issues[made.number] = made
    payload = issue_payloads.issue(ctx.api, repo, made)
    return Reply(201, payload, {"Location": payload["url"]})


def get_issue(fake: Any, ctx: Ctx) -> Reply:
    return Reply(200, issue_payloads.issue(ctx.api, ctx.the_repo, _issue(ctx)))


def update_issue(fake: Any, ctx: Ctx) -> Reply:
    found = _issue(ctx)
    _update_issue_fields(found, ctx.body or {})
    return Reply(200, issue_payloads.issue(ctx.api, ctx.the_repo, found))


def add_labels(fake: Any, ctx: Ctx) -> Reply:
    """Labels that do not exist yet are created, as GitHub does; answers the issue's labels."""
    found = _issue(ctx)
    body = ctx.body
    names = body.get("labels", []) if isinstance(body, dict) else body
    for name in names or []:
        name = name if isinstance(name, str) else name["name"]
        if name not in found.labels:
            found.labels.append(name)
    return Reply(200, issue_payloads.labels(ctx.api, ctx.the_repo, found.labels))


def list_comments(fake: Any, ctx: Ctx) -> Reply:
    repo, found = ctx.the_repo, _issue(ctx)
    comments = sorted(found.comments, key=lambda c: c.id)
    if "since" in ctx.query:
        comments = [c for c in comments if c.updated_at >= ctx.query["since"]]
    return paginate(ctx, comments, lambda c: payloads.issue_comment(ctx.api, repo, found, c))


def create_comment(fake: Any, ctx: Ctx) -> Reply:
    repo, found = ctx.the_repo, _issue(ctx)
    now = iso()
    made = Comment(next_id(), found.number, ctx.body["body"], fake.bot_login, now, now)
    found.comments.append(made)
    found.updated_at = now
    payload = payloads.issue_comment(ctx.api, repo, found, made)
    return Reply(201, payload, {"Location": payload["url"]})


def _comment(ctx: Ctx) -> tuple[Issue, Comment]:
    comment_id = ctx.int_param("comment_id")
    for issue in ctx.the_repo.issues.values():
        for comment in issue.comments:
            if comment.id == comment_id:
                return issue, comment
    raise not_found()


def get_comment(fake: Any, ctx: Ctx) -> Reply:
    issue, comment = _comment(ctx)
    return Reply(200, payloads.issue_comment(ctx.api, ctx.the_repo, issue, comment))


def update_comment(fake: Any, ctx: Ctx) -> Reply:
    issue, comment = _comment(ctx)
    if comment.user != fake.bot_login:
        raise GitHubError(403, "Resource not accessible by integration")
    comment.body = ctx.body["body"]
    comment.updated_at = iso()
    return Reply(200, payloads.issue_comment(ctx.api, ctx.the_repo, issue, comment))


def _react(fake: Any, ctx: Ctx, reactions: list[Reaction]) -> Reply:
    content = ctx.body["content"]
    for existing in reactions:
        if existing.user == fake.bot_login and existing.content == content:
            return Reply(200, payloads.reaction(ctx.api, existing))
    made = Reaction(next_id(), fake.bot_login, content, iso())
    reactions.append(made)
    return Reply(201, payloads.reaction(ctx.api, made))


def react_to_comment(fake: Any, ctx: Ctx) -> Reply:
    return _react(fake, ctx, _comment(ctx)[1].reactions)


def react_to_issue(fake: Any, ctx: Ctx) -> Reply:
    return _react(fake, ctx, _issue(ctx).reactions)


def collaborator_permission(fake: Any, ctx: Ctx) -> Reply:
    repo, login = ctx.the_repo, ctx.params["username"]
    role = repo.collaborators.get(login)
    if role is None and repo.owner_type == "User" and login == repo.owner:
        role = "admin"
    if role is None:
        raise not_found()
    return Reply(200, payloads.collaborator_permission(ctx.api, login, role))


HANDLERS: dict[str, Handler] = {
    "pulls/list": list_pulls,
    "pulls/create": create_pull,
    "pulls/get": get_pull,
    "pulls/update": update_pull,
    "issues/list-for-repo": list_issues,
    "issues/create": create_issue,
    "issues/get": get_issue,
    "issues/update": update_issue,
    "issues/add-labels": add_labels,
    "issues/list-comments": list_comments,
    "issues/create-comment": create_comment,
    "issues/get-comment": get_comment,
    "issues/update-comment": update_comment,
    "reactions/create-for-issue-comment": react_to_comment,
    "reactions/create-for-issue": react_to_issue,
    "repos/get-collaborator-permission-level": collaborator_permission,
}

PERMISSIONS: dict[str, tuple[str, str]] = {
    "pulls/list": ("pull_requests", "read"),
    "pulls/create": ("pull_requests", "write"),
    "pulls/get": ("pull_requests", "read"),
    "pulls/update": ("pull_requests", "write"),
    "issues/list-for-repo": ("issues", "read"),
    "issues/create": ("issues", "write"),
    "issues/get": ("issues", "read"),
    "issues/update": ("issues", "write"),
    "issues/add-labels": ("issues", "write"),
    "issues/list-comments": ("issues", "read"),
    "issues/create-comment": ("issues", "write"),
    "issues/get-comment": ("issues", "read"),
    "issues/update-comment": ("issues", "write"),
    "reactions/create-for-issue-comment": ("issues", "write"),
    "reactions/create-for-issue": ("issues", "write"),
    "repos/get-collaborator-permission-level": ("metadata", "read"),
}
