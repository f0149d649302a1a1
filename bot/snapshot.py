"""One GraphQL query reads all a command needs: the default branch's tip, the config, the list (and
archive) files, and paperbot's pull requests from one branch.

Four REST reads become one call, which keeps `/add` within a handful of API calls and its chain of
sequential calls short. A blob GraphQL reports as truncated is read again over REST.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import gidgethub

from bot.github import FileContent, Repository

SNAPSHOT_QUERY = """
query paperbotSnapshot($owner: String!, $name: String!, $config: String!, $list: String!,
                       $archive: String!, $tip: String!, $branch: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name target { oid } }
    config: object(expression: $config) { ... on Blob { oid text isTruncated } }
    list: object(expression: $list) { ... on Blob { oid text isTruncated } }
    archive: object(expression: $archive) { ... on Blob { oid text isTruncated } }
    tip: object(expression: $tip) { ... on Blob { oid text isTruncated } }
    open: pullRequests(headRefName: $branch, states: [OPEN], first: 5) {
      nodes { number url body headRefOid isCrossRepository }
    }
    closed: pullRequests(headRefName: $branch, states: [CLOSED], last: 20) {
      nodes { number merged body }
    }
    configIssue: issues(labels: ["paperbot-config"], states: [OPEN], first: 1) {
      nodes { number body }
    }
  }
}
"""
NO_FILE = ":.paperbot-no-such-file"  # an expression that names nothing, for files not wanted


@dataclass(frozen=True)
class Snapshot:
    base_sha: str | None
    config: FileContent | None
    list_file: FileContent | None
    archive: FileContent | None
    tip: FileContent | None  # the list file on paperbot's branch
    pull: dict[str, Any] | None  # the open pull request, REST-shaped: number, html_url, body, head.sha
    closed_bodies: list[str] = field(default_factory=list)  # bodies of closed, unmerged ones
    config_issue: dict[str, Any] | None = None  # the open "paperbot configuration" issue: number, body


def graphql_endpoint(base_url: str) -> str:
    """api.github.com/graphql; on GitHub Enterprise, /api/v3 becomes /api/graphql."""
    base = base_url.rstrip("/")
    return base[: -len("/v3")] + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


async def read_snapshot(repo: Repository, *, config_path: str, list_path: str, branch: str,
                        archive_path: str | None = None, tip_path: str | None = None) -> Snapshot:
    ref = repo.default_branch
    variables = dict(owner=repo.owner, name=repo.name, config=f"{ref}:{config_path}",
                     list=f"{ref}:{list_path}", archive=f"{ref}:{archive_path}" if archive_path else NO_FILE,
                     tip=f"{branch}:{tip_path}" if tip_path else NO_FILE, branch=branch)
    data = await repo.gh.graphql(SNAPSHOT_QUERY, endpoint=graphql_endpoint(repo.gh.base_url), **variables)
    found = data["repository"] or {}
    base = found.get("defaultBranchRef") or {}
    base_sha = (base.get("target") or {}).get("oid")
    blobs = await asyncio.gather(*(
        _blob(repo, found.get(alias), path, at)
        for alias, path, at in (("config", config_path, base_sha), ("list", list_path, base_sha),
                                ("archive", archive_path, base_sha), ("tip", tip_path, branch))
    ))
    # Only our own branch counts: a fork may name a branch the same way.
    open_nodes = [n for n in (found.get("open") or {}).get("nodes") or []
                  if n and not n.get("isCrossRepository")]
    pull = None
    if open_nodes:
        node = open_nodes[0]
        pull = {"number": node["number"], "html_url": node["url"], "body": node.get("body") or "",
                "head": {"sha": node["headRefOid"]}}
    closed = [n.get("body") or "" for n in (found.get("closed") or {}).get("nodes") or []
              if not n.get("merged")]
    issues = (found.get("configIssue") or {}).get("nodes") or []
    return Snapshot(base_sha, *blobs, pull, closed, issues[0] if issues else None)


async def _blob(repo: Repository, node: dict[str, Any] | None, path: str | None,
                ref: str | None) -> FileContent | None:
    if not node or path is None or "oid" not in node:
        return None
    if node.get("isTruncated") or node.get("text") is None:
        if ref is None:
            return None
        try:
            return await repo.read_file(path, ref)  # large or non-UTF-8: REST has it whole
        except gidgethub.BadRequest:
            return None
    return FileContent(node["text"], node["oid"])
