"""The repository's tree and the texts of many files, in as few calls as GitHub allows.

A list kept in thirty files must not cost thirty calls per command. The tree (every path, its
blob sha, size and whether it is a symbolic link) is one REST call (`git/trees/{sha}?recursive=1`),
kept per tree sha: while the default branch does not change, it is not asked for again. The texts
are one GraphQL query with an alias per file, and each text is kept by its blob sha, so a file that
did not change since the last command is not read again; a blob GraphQL truncates (over 512 KB) is
read whole over REST.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import gidgethub
from cachetools import LRUCache

from bot.github.client import FileContent, Repository
from bot.github.snapshot import graphql_endpoint

log = logging.getLogger(__name__)

SYMLINK_MODE = "120000"
MAX_QUERY_FILES = 100  # aliases per query: GitHub's node limit is far above, its timeout is not
_trees: LRUCache[tuple[str, str], RepoTree] = LRUCache(maxsize=64)
# Blob sha -> text. Content-addressed, so safe to share between repositories; bounded by size.
_texts: LRUCache[str, str] = LRUCache(maxsize=64 * 1024 * 1024, getsizeof=lambda text: len(text) + 100)


@dataclass(frozen=True)
class TreeItem:
    path: str
    size: int
    symlink: bool
    sha: str  # the blob's


@dataclass(frozen=True)
class RepoTree:
    """A tree listing, as `bot.lists.layout.Tree`: blobs and symbolic links by path."""

    entries: Mapping[str, TreeItem]
    truncated: bool = False  # GitHub lists at most 100,000 entries

    def get(self, path: str) -> TreeItem | None:
        return self.entries.get(path)

    def paths(self) -> Iterable[str]:
        return self.entries.keys()

    def sha(self, path: str) -> str | None:
        found = self.entries.get(path)
        return found.sha if found else None


async def read_tree(repo: Repository, tree_sha: str) -> RepoTree:
    """The whole tree under `tree_sha` (one call, or none when this tree was read before)."""
    key = (repo.full_name, tree_sha)
    if (cached := _trees.get(key)) is not None:
        return cached
    data = await repo.gh.getitem("/repos/{owner}/{repo}/git/trees/{tree_sha}?recursive=1",
                                 {"owner": repo.owner, "repo": repo.name, "tree_sha": tree_sha})
    entries = {}
    for item in data.get("tree") or []:
        if item.get("type") != "blob" or not item.get("path"):
            continue
        entries[item["path"]] = TreeItem(item["path"], int(item.get("size") or 0),
                                         item.get("mode") == SYMLINK_MODE, item.get("sha") or "")
    if data.get("truncated"):
        log.warning("%s: tree %s is truncated; files past GitHub's limit are not seen",
                    repo.full_name, tree_sha)
    tree = _trees[key] = RepoTree(entries, bool(data.get("truncated")))
    return tree


def _blobs_query(count: int) -> str:
    params = ", ".join(f"$f{n}: String!" for n in range(count))
    fields = "\n".join(f"    f{n}: object(expression: $f{n}) {{ ... on Blob {{ oid text isTruncated }} }}"
                       for n in range(count))
    return (f"query paperbotFiles($owner: String!, $name: String!, {params}) {{\n"
            f"  repository(owner: $owner, name: $name) {{\n{fields}\n  }}\n}}")


async def read_texts(repo: Repository, commit: str, paths: Sequence[str], tree: RepoTree
                     ) -> dict[str, FileContent]:
    """The texts of `paths` at `commit` (whose tree is `tree`): those seen before from memory, the
    others in one GraphQL query per hundred files. A path that is not a readable text is absent."""
    found: dict[str, FileContent] = {}
    missing = []
    for path in paths:
        sha = tree.sha(path)
        if sha and (text := _texts.get(sha)) is not None:
            found[path] = FileContent(text, sha)
        elif sha:
            missing.append(path)
    for start in range(0, len(missing), MAX_QUERY_FILES):
        chunk = missing[start:start + MAX_QUERY_FILES]
        variables = {f"f{n}": f"{commit}:{path}" for n, path in enumerate(chunk)}
        data = await repo.gh.graphql(_blobs_query(len(chunk)), endpoint=graphql_endpoint(repo.gh.base_url),
                                     owner=repo.owner, name=repo.name, **variables)
        nodes = data.get("repository") or {}
        whole = await asyncio.gather(*(_whole(repo, nodes.get(f"f{n}"), path, commit)
                                       for n, path in enumerate(chunk)))
        for path, content in zip(chunk, whole, strict=True):
            if content is not None:
                found[path] = content
                _texts[content.sha] = content.text
    return found


async def _whole(repo: Repository, node: dict | None, path: str, commit: str) -> FileContent | None:
    if not node or "oid" not in node:
        return None
    if node.get("isTruncated") or node.get("text") is None:
        try:
            return await repo.read_file(path, commit)  # large or not UTF-8: REST has it whole
        except gidgethub.BadRequest:
            return None
    return FileContent(node["text"], node["oid"])
