"""GitHub's GraphQL endpoint (`POST /graphql`), for the part of its schema paperbot reads.

The schema below uses GitHub's own type and field names (a subset of the public schema at
docs.github.com/graphql); queries are parsed, validated and executed by graphql-core, so a query
GitHub would reject (an unknown field, a wrong argument type) is rejected here too, with errors in
GitHub's shape (`{"errors": [{"message": ..., "locations": ...}]}` and HTTP 200).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    build_schema,
    execute,
    parse,
    validate,
)

from tests.fakes.github_http import Ctx, GitHubError, Reply
from tests.fakes.github_state import Repo, blob_sha

SDL = """
scalar GitObjectID
scalar URI

enum PullRequestState { OPEN CLOSED MERGED }
enum IssueState { OPEN CLOSED }

interface GitObject { oid: GitObjectID! }
type Commit implements GitObject { oid: GitObjectID! message: String! }
type Tree implements GitObject { oid: GitObjectID! }
type Blob implements GitObject { oid: GitObjectID! text: String isTruncated: Boolean! byteSize: Int! isBinary: Boolean }

type Ref { name: String! prefix: String! target: GitObject }

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
}
type PullRequestConnection { nodes: [PullRequest] totalCount: Int! }
type Issue { number: Int! title: String! body: String! state: IssueState! url: URI! }
type IssueConnection { nodes: [Issue] totalCount: Int! }

type Repository {
  name: String!
  nameWithOwner: String!
  defaultBranchRef: Ref
  object(expression: String, oid: GitObjectID): GitObject
  pullRequests(headRefName: String, baseRefName: String, states: [PullRequestState!],
               first: Int, last: Int): PullRequestConnection!
  issues(labels: [String!], states: [IssueState!], first: Int, last: Int): IssueConnection!
}

type Query { repository(owner: String!, name: String!, followRenames: Boolean = true): Repository }
"""
SCHEMA = build_schema(SDL)
TRUNCATE_AT = 512 * 1024  # bytes of Blob.text GitHub serves before it truncates


def _type_resolver(value: dict[str, Any], *_: Any) -> str:
    return value["__typename"]


SCHEMA.get_type("GitObject").resolve_type = _type_resolver  # type: ignore[union-attr]


def _object(repo: Repo, expression: str | None) -> dict[str, Any] | None:
    if not expression:
        return None
    ref, _, path = expression.partition(":")
    commit = repo.resolve(ref or None)
    if commit is None:
        return None
    if not path:
        return {"__typename": "Commit", "oid": commit.sha, "message": commit.message}
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


def _pull_requests(fake: Any, repo: Repo, args: dict[str, Any]) -> dict[str, Any]:
    states = set(args.get("states") or ["OPEN", "CLOSED", "MERGED"])
    nodes = []
    for issue in sorted(repo.issues.values(), key=lambda i: i.number):
        pull = issue.pull
        if pull is None:
            continue
        state = "MERGED" if pull.merged else ("OPEN" if issue.state == "open" else "CLOSED")
        if state not in states or args.get("headRefName") not in (None, pull.head_ref):
            continue
        if args.get("baseRefName") not in (None, pull.base_ref):
            continue
        head = repo.branches.get(pull.head_ref) or pull.head_sha
        nodes.append({"number": issue.number, "url": f"https://github.com/{repo.full_name}/pull/{issue.number}",
                      "body": issue.body or "", "state": state, "merged": pull.merged,
                      "headRefName": pull.head_ref, "headRefOid": head, "baseRefName": pull.base_ref,
                      "isCrossRepository": pull.head_owner != repo.owner})
    if args.get("first") is not None:
        nodes = nodes[: args["first"]]
    if args.get("last") is not None:
        nodes = nodes[-args["last"]:]
    return {"nodes": nodes, "totalCount": len(nodes)}


def _issues(repo: Repo, args: dict[str, Any]) -> dict[str, Any]:
    """Issues only (GraphQL's `issues` leaves pull requests out), oldest first."""
    states = set(args.get("states") or ["OPEN", "CLOSED"])
    wanted = set(args.get("labels") or [])
    nodes = [{"number": i.number, "title": i.title, "body": i.body or "", "state": i.state.upper(),
              "url": f"https://github.com/{repo.full_name}/issues/{i.number}"}
             for i in sorted(repo.issues.values(), key=lambda i: i.number)
             if i.pull is None and i.state.upper() in states and wanted <= set(i.labels)]
    if args.get("first") is not None:
        nodes = nodes[: args["first"]]
    if args.get("last") is not None:
        nodes = nodes[-args["last"]:]
    return {"nodes": nodes, "totalCount": len(nodes)}


def _repository(fake: Any, token: Any, owner: str, name: str) -> dict[str, Any] | None:
    from tests.fakes import github_auth

    full_name = f"{owner}/{name}"
    try:
        github_auth.check_repo_access(fake, token, full_name, None, False)
    except GitHubError:
        return None  # GraphQL answers null (with an error) for repositories it cannot see
    repo = fake.repos[full_name]
    head = repo.branches[repo.default_branch]
    return {
        "name": repo.name,
        "nameWithOwner": repo.full_name,
        "defaultBranchRef": {"name": repo.default_branch, "prefix": "refs/heads/",
                             "target": {"__typename": "Commit", "oid": head,
                                        "message": repo.commits[head].message}},
        "object": lambda info=None, expression=None, oid=None, **_: _object(repo, expression or oid),
        "pullRequests": lambda info=None, **args: _pull_requests(fake, repo, args),
        "issues": lambda info=None, **args: _issues(repo, args),
    }


def _field_resolver(source: Any, info: Any, **args: Any) -> Any:
    value = source.get(info.field_name) if isinstance(source, dict) else getattr(source, info.field_name, None)
    return value(info, **args) if callable(value) else value


@lru_cache(maxsize=64)
def _checked(query: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    """Parse and validate once per query text (the bot sends the same few queries again and again)."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    return document, tuple(validate(SCHEMA, document))


def handle_graphql(fake: Any, ctx: Ctx) -> Reply:
    """Execute the query in `ctx.body` against the fake's state, as the installation's token sees it."""
    body = ctx.body if isinstance(ctx.body, dict) else {}
    query = body.get("query")
    if not isinstance(query, str):
        raise GitHubError(400, "Problems parsing JSON")
    root = {"repository": lambda info, owner, name, **_: _repository(fake, ctx.token, owner, name)}
    document, errors = _checked(query)
    if errors:
        result = ExecutionResult(None, list(errors))
    else:
        result = execute(SCHEMA, document, root_value=root, variable_values=body.get("variables") or {},
                         field_resolver=_field_resolver)
    answer: dict[str, Any] = {}
    if result.errors:
        answer["errors"] = [{"message": e.message, "locations": [loc._asdict() for loc in e.locations or []],
                             "type": "INVALID" if result.data is None else "NOT_FOUND"}
                            for e in result.errors]
        fake.record_violation("POST", "/graphql", [e["message"] for e in answer["errors"]])
    if result.data is not None:
        answer["data"] = result.data
    return Reply(200, answer)
