"""GitHub's GraphQL endpoint (`POST /graphql`), for the part of its schema paperbot uses.

Every document is first validated against GitHub's full public schema
(tests/fixtures/github/graphql-schema.graphql.gz), so a query or mutation GitHub would reject is
rejected here too and recorded as a violation. It is then validated and executed against the SDL
below, a subset written with GitHub's own type, field and argument names: a document GitHub
accepts but that uses something this subset leaves out is recorded as unexpected. Answers and
errors have GitHub's shape: HTTP 200 with `{"data": ..., "errors": [{"message", "locations",
"path", "type"}]}`; a mutation GitHub refuses (a stale head, say) answers its field as null with
a typed error, as GitHub does.
"""

from __future__ import annotations

import gzip
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    validate,
)

from tests.fakes import github_graphql_git as git
from tests.fakes.github_http import Ctx, GitHubError, Reply
from tests.fakes.github_state import Repo, blob_sha

FULL_SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "github" / "graphql-schema.graphql.gz"
SDL = """
scalar GitObjectID
scalar GitRefname
scalar Base64String
scalar URI

enum PullRequestState { OPEN CLOSED MERGED }
enum IssueState { OPEN CLOSED }
enum IssueOrderField { CREATED_AT UPDATED_AT COMMENTS }
enum OrderDirection { ASC DESC }
input IssueOrder { field: IssueOrderField! direction: OrderDirection! }

interface Actor { login: String! }
type User implements Actor { login: String! }
type Bot implements Actor { login: String! }

interface GitObject { oid: GitObjectID! }
type Commit implements GitObject { oid: GitObjectID! message: String! tree: Tree! parents(first: Int): CommitConnection! }
type CommitConnection { nodes: [Commit] totalCount: Int! }
type Tree implements GitObject { oid: GitObjectID! }
type Blob implements GitObject { oid: GitObjectID! text: String isTruncated: Boolean! byteSize: Int! isBinary: Boolean }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! endCursor: String startCursor: String }

type Ref {
  name: String!
  prefix: String!
  target: GitObject
  associatedPullRequests(states: [PullRequestState!], labels: [String!], headRefName: String,
                         baseRefName: String, orderBy: IssueOrder, after: String, before: String,
                         first: Int, last: Int): PullRequestConnection!
}

type PullRequest {
  number: Int!
  url: URI!
  body: String!
  state: PullRequestState!
  merged: Boolean!
  headRefName: String!
  headRefOid: GitObjectID!
  baseRefName: String!
  isCrossRepository: Boolean!
  author: Actor
}
type PullRequestConnection { nodes: [PullRequest] pageInfo: PageInfo! totalCount: Int! }
type Issue { number: Int! title: String! body: String! state: IssueState! url: URI! }
type IssueConnection { nodes: [Issue] pageInfo: PageInfo! totalCount: Int! }

type Repository {
  id: ID!
  name: String!
  nameWithOwner: String!
  defaultBranchRef: Ref
  ref(qualifiedName: String!): Ref
  object(expression: String, oid: GitObjectID): GitObject
  pullRequests(states: [PullRequestState!], labels: [String!], headRefName: String,
               baseRefName: String, orderBy: IssueOrder, after: String, before: String,
               first: Int, last: Int): PullRequestConnection!
  issues(labels: [String!], states: [IssueState!], orderBy: IssueOrder, after: String,
         before: String, first: Int, last: Int): IssueConnection!
}

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  viewer: User!
}
""" + git.SDL
TRUNCATE_AT = 512 * 1024  # bytes of Blob.text GitHub serves before it truncates
SCHEMA = build_schema(SDL)
for _interface in ("GitObject", "Actor"):
    SCHEMA.get_type(_interface).resolve_type = lambda value, *_: value["__typename"]  # type: ignore[union-attr]


@cache
def full_schema() -> GraphQLSchema:
    """GitHub's whole schema. `assume_valid`: its SDL has two quirks graphql-core's schema check
    refuses and GitHub's server accepts (see tests/fixtures/SOURCES.md); documents are still
    validated against it in full."""
    return build_schema(gzip.decompress(FULL_SCHEMA.read_bytes()).decode("utf-8"), assume_valid=True)


def _object(repo: Repo, expression: str | None) -> dict[str, Any] | None:
    if not expression:
        return None
    ref, _, path = expression.partition(":")
    commit = repo.resolve(ref or None)
    if commit is None:
        return None
    if not path:
        return git.commit_node(commit)
    data = commit.tree.get(path)
    if data is None:
        is_dir = any(p.startswith(path.rstrip("/") + "/") for p in commit.tree)
        return {"__typename": "Tree", "oid": "0" * 40} if is_dir else None
    try:
        text: str | None = data[:TRUNCATE_AT].decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {"__typename": "Blob", "oid": blob_sha(data), "text": text,
            "isTruncated": len(data) > TRUNCATE_AT, "byteSize": len(data), "isBinary": text is None}


def _ref(fake: Any, repo: Repo, qualified: str) -> dict[str, Any] | None:
    """A branch, by `refs/heads/x` or by its short name (GitHub tries the full form first)."""
    name = qualified.removeprefix("refs/heads/") if qualified.startswith("refs/heads/") else qualified
    if name not in repo.branches:
        return None
    return {"name": name, "prefix": "refs/heads/",
            "target": git.commit_node(repo.commits[repo.branches[name]]),
            "associatedPullRequests": lambda info=None, **args: _connection(
                info, [i for i in _pulls(repo) if i.pull.head_owner == repo.owner and i.pull.head_ref == name],
                args, lambda issue: _pull_node(repo, issue))}


def _pulls(repo: Repo) -> list[Any]:
    return [i for i in sorted(repo.issues.values(), key=lambda i: i.number) if i.pull is not None]


def _pull_state(issue: Any) -> str:
    return "MERGED" if issue.pull.merged else ("OPEN" if issue.state == "open" else "CLOSED")


def _pull_node(repo: Repo, issue: Any) -> dict[str, Any]:
    pull = issue.pull
    cross = pull.head_owner != repo.owner
    # A fork's branch lives in the fork: its head is the commit the pull request recorded.
    head = pull.head_sha if cross else repo.branches.get(pull.head_ref) or pull.head_sha
    return {"number": issue.number, "url": f"https://github.com/{repo.full_name}/pull/{issue.number}",
            "body": issue.body or "", "state": _pull_state(issue), "merged": pull.merged,
            "headRefName": pull.head_ref, "headRefOid": head, "baseRefName": pull.base_ref,
            "isCrossRepository": cross, "author": git.actor(issue.user)}


def _connection(info: Any, items: list[Any], args: dict[str, Any], render: Any) -> dict[str, Any]:
    """GitHub's connection rules: filters, `orderBy`, cursors, and `first`/`last` required (≤ 100)."""
    field = info.field_name if info else "nodes"
    states = set(args.get("states") or [])
    items = [i for i in items if (not states or _state_of(i) in states)
             and args.get("headRefName") in (None, getattr(i.pull, "head_ref", None))
             and args.get("baseRefName") in (None, getattr(i.pull, "base_ref", None))
             and set(args.get("labels") or []) <= set(i.labels)]
    order = args.get("orderBy") or {}
    key = {"UPDATED_AT": lambda i: (i.updated_at, i.number),
           "COMMENTS": lambda i: (len(i.comments), i.number)}.get(order.get("field"), lambda i: i.number)
    items.sort(key=key, reverse=order.get("direction") == "DESC")
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise git.TypedError(f"You must provide a `first` or `last` value to properly paginate the "
                             f"`{field}` connection.", "MISSING_PAGINATION_BOUNDARIES")
    for name, value in (("first", first), ("last", last)):
        if value is not None and value > 100:
            raise git.TypedError(f"Requesting {value} records on the `{field}` connection exceeds the "
                                 f"`{name}` limit of 100 records.", "EXCESSIVE_PAGINATION")
    start = git.cursor_index(args.get("after")) + 1 if args.get("after") else 0
    end = git.cursor_index(args.get("before")) if args.get("before") else len(items)
    window = list(enumerate(items))[start:end]
    page = window[:first] if first is not None else window
    page = page[-last:] if last is not None else page
    more_after = bool(page) and page[-1][0] < end - 1
    return {"nodes": [render(i) for _, i in page], "totalCount": len(items),
            "pageInfo": {"hasNextPage": more_after, "hasPreviousPage": bool(page) and page[0][0] > 0,
                         "startCursor": git.cursor(page[0][0]) if page else None,
                         "endCursor": git.cursor(page[-1][0]) if page else None}}


def _state_of(issue: Any) -> str:
    return _pull_state(issue) if issue.pull else issue.state.upper()


def _issue_node(repo: Repo, issue: Any) -> dict[str, Any]:
    return {"number": issue.number, "title": issue.title, "body": issue.body or "",
            "state": issue.state.upper(), "url": f"https://github.com/{repo.full_name}/issues/{issue.number}"}


def _repository(fake: Any, token: Any, owner: str, name: str) -> dict[str, Any] | None:
    from tests.fakes import github_auth

    full_name = f"{owner}/{name}"
    try:
        github_auth.check_repo_access(fake, token, full_name, None, False)
    except GitHubError:
        return None  # GraphQL answers null (with an error) for repositories it cannot see
    repo = fake.repos[full_name]
    head = repo.branches[repo.default_branch]
    issues = [i for i in sorted(repo.issues.values(), key=lambda i: i.number) if i.pull is None]
    return {
        "id": git.repository_id(repo),
        "name": repo.name,
        "nameWithOwner": repo.full_name,
        "defaultBranchRef": {"name": repo.default_branch, "prefix": "refs/heads/",
                             "target": git.commit_node(repo.commits[head])},
        "ref": lambda info=None, qualifiedName="", **_: _ref(fake, repo, qualifiedName),
        "object": lambda info=None, expression=None, oid=None, **_: _object(repo, expression or oid),
        "pullRequests": lambda info=None, **args: _connection(
            info, _pulls(repo), args, lambda issue: _pull_node(repo, issue)),
        "issues": lambda info=None, **args: _connection(
            info, issues, args, lambda issue: _issue_node(repo, issue)),
    }


def _field_resolver(source: Any, info: Any, **args: Any) -> Any:
    value = source.get(info.field_name) if isinstance(source, dict) else getattr(source, info.field_name, None)
    return value(info, **args) if callable(value) else value


@lru_cache(maxsize=64)
def _checked(query: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...], tuple[GraphQLError, ...]]:
    """Parse once per query text; errors against GitHub's schema, then against the fake's subset."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,), ()
    github_errors = tuple(validate(full_schema(), document))
    return document, github_errors, () if github_errors else tuple(validate(SCHEMA, document))


def handle_graphql(fake: Any, ctx: Ctx) -> Reply:
    """Execute the document in `ctx.body` against the fake's state, as the installation's token sees it."""
    body = ctx.body if isinstance(ctx.body, dict) else {}
    query = body.get("query")
    if not isinstance(query, str):
        raise GitHubError(400, "Problems parsing JSON")
    document, rejected, unmodelled = _checked(query)
    if rejected:
        fake.record_violation("POST", "/graphql", [e.message for e in rejected])
    elif unmodelled:
        fake.record_unexpected("POST", "/graphql", "; ".join(e.message for e in unmodelled))
    if rejected or unmodelled:
        return Reply(200, {"errors": [_error(e, "INVALID") for e in rejected or unmodelled]})
    root = {"repository": lambda info, owner, name, **_: _repository(fake, ctx.token, owner, name),
            "viewer": lambda info: {"login": fake.bot_login},
            **git.mutations(fake, ctx.token)}
    result = execute(SCHEMA, document, root_value=root, variable_values=body.get("variables") or {},
                     field_resolver=_field_resolver)
    answer: dict[str, Any] = {}
    if result.errors:
        answer["errors"] = [_error(e, "INVALID" if result.data is None else "NOT_FOUND") for e in result.errors]
        # A stale head or a missing ref is GitHub refusing on purpose; the rest are the client's bugs.
        bugs = [e.message for e in result.errors if git.error_type(e) not in git.REFUSALS]
        if bugs:
            fake.record_violation("POST", "/graphql", bugs)
    if result.data is not None:
        answer["data"] = result.data
    return Reply(200, answer)


def _error(error: GraphQLError, default_type: str) -> dict[str, Any]:
    shaped: dict[str, Any] = {"type": git.error_type(error) or default_type}
    if error.path:
        shaped["path"] = list(error.path)
    shaped["locations"] = [loc._asdict() for loc in error.locations or []]
    shaped["message"] = error.message
    return shaped


