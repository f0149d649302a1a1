"""What the fake GitHub knows: installations, repositories with real git-like history, issues,
pull requests and comments. Plain data and the few git rules the REST API enforces (blob shas,
commit ancestry, fast-forward checks, a three-way merge); no HTTP here."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

DEFAULT_PERMISSIONS = {
    "contents": "write",
    "issues": "write",
    "pull_requests": "write",
    "metadata": "read",
}

_ids = itertools.count(1_000_001)


def next_id() -> int:
    """GitHub ids are global across repositories; so are ours."""
    return next(_ids)


def blob_sha(data: bytes) -> str:
    """The git blob id GitHub reports as a file's `sha`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def random_sha() -> str:
    return secrets.token_hex(20)


def iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Symlink(bytes):
    """A symbolic link in a tree: git stores its target path as the blob (mode 120000)."""


def file_mode(data: bytes) -> str:
    return "120000" if isinstance(data, Symlink) else "100644"


def tree_sha(tree: dict[str, bytes]) -> str:
    listing = "".join(f"{file_mode(data)} {path}\0{blob_sha(data)}\n" for path, data in sorted(tree.items()))
    return hashlib.sha1(listing.encode(), usedforsecurity=False).hexdigest()


@dataclass
class Commit:
    sha: str
    tree: dict[str, bytes]
    parents: tuple[str, ...]
    message: str
    author: dict[str, str]  # name, email, date


@dataclass
class Reaction:
    id: int
    user: str
    content: str
    created_at: str


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: str
    updated_at: str
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class PullInfo:
    head_ref: str
    head_owner: str
    base_ref: str
    head_sha: str  # last known head commit; kept when the branch is deleted
    base_sha: str
    draft: bool = False
    merged: bool = False
    merged_at: str | None = None
    merge_commit_sha: str | None = None
    maintainer_can_modify: bool = True


@dataclass
class Issue:
    """An issue, or a pull request when `pull` is set (they share GitHub's numbering)."""

    id: int
    number: int
    title: str
    body: str | None
    user: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=iso)
    updated_at: str = field(default_factory=iso)
    closed_at: str | None = None
    comments: list[Comment] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    pull: PullInfo | None = None


class MergeConflict(Exception):
    """Raised by test hooks when a merge would need a human."""


@dataclass
class Repo:
    id: int
    owner: str
    owner_type: str  # "User" or "Organization"
    name: str
    default_branch: str
    installation_id: int | None
    collaborators: dict[str, str]  # login -> admin|maintain|write|triage|read
    private: bool = False
    branches: dict[str, str] = field(default_factory=dict)  # name -> commit sha
    commits: dict[str, Commit] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    created_at: str = field(default_factory=iso)
    trees: dict[str, dict[str, bytes]] = field(default_factory=dict)  # tree sha -> the files under it

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def next_number(self) -> int:
        return max(self.issues, default=0) + 1

    def resolve(self, ref: str | None) -> Commit | None:
        """A branch name, `heads/x`/`refs/heads/x`, or a (full) commit sha -> commit."""
        ref = ref or self.default_branch
        for prefix in ("refs/heads/", "heads/"):
            ref = ref.removeprefix(prefix)
        if ref in self.branches:
            return self.commits[self.branches[ref]]
        return self.commits.get(ref)

    def commit(
        self, parent: str | None, tree: dict[str, bytes], message: str, author: dict[str, str]
    ) -> Commit:
        return self.add_commit(tree, (parent,) if parent else (), message, author)

    def add_commit(
        self, tree: dict[str, bytes], parents: tuple[str, ...], message: str, author: dict[str, str]
    ) -> Commit:
        """A commit object (no branch moves); its tree becomes known by its sha too."""
        made = Commit(random_sha(), dict(tree), parents, message, author)
        self.commits[made.sha] = made
        self.trees[tree_sha(made.tree)] = made.tree
        return made

    def write(
        self, branch: str, changes: dict[str, bytes | None], message: str, author: dict[str, str]
    ) -> Commit:
        """Commit `changes` (None deletes a path) on top of `branch` and move the branch."""
        head = self.resolve(branch)
        tree = dict(head.tree) if head else {}
        for path, data in changes.items():
            if data is None:
                tree.pop(path, None)
            else:
                tree[path] = data
        made = self.commit(head.sha if head else None, tree, message, author)
        self.branches[branch] = made.sha
        return made

    def ancestors(self, sha: str) -> set[str]:
        seen: set[str] = set()
        stack = [sha]
        while stack:
            current = stack.pop()
            if current not in seen and current in self.commits:
                seen.add(current)
                stack.extend(self.commits[current].parents)
        return seen

    def is_ancestor(self, older: str, newer: str) -> bool:
        return older in self.ancestors(newer)

    def merge_base(self, a: str, b: str) -> str | None:
        common = self.ancestors(a) & self.ancestors(b)
        # The nearest common ancestor is the one none of the others descends from.
        for sha in common:
            if not any(sha != other and sha in self.ancestors(other) for other in common):
                return sha
        return None

    def merge(self, head_sha: str, base_branch: str, message: str, author: dict[str, str]) -> Commit:
        """A merge commit of `head_sha` into `base_branch`, file by file like git's resolve."""
        base = self.resolve(base_branch)
        assert base is not None, f"no branch {base_branch}"
        ancestor_sha = self.merge_base(head_sha, base.sha)
        ancestor = self.commits[ancestor_sha].tree if ancestor_sha else {}
        ours, theirs = base.tree, self.commits[head_sha].tree
        merged: dict[str, bytes] = {}
        for path in set(ancestor) | set(ours) | set(theirs):
            old, mine, new = ancestor.get(path), ours.get(path), theirs.get(path)
            if mine == new or new == old:
                result = mine
            elif mine == old:
                result = new
            else:
                raise MergeConflict(f"{path} changed on both sides")
            if result is not None:
                merged[path] = result
        made = self.add_commit(merged, (base.sha, head_sha), message, author)
        self.branches[base_branch] = made.sha
        return made

    def open_pull_for(self, head_owner: str, head_ref: str, base_ref: str | None = None) -> Issue | None:
        for issue in self.issues.values():
            pull = issue.pull
            if (
                pull
                and issue.state == "open"
                and pull.head_ref == head_ref
                and pull.head_owner == head_owner
                and (base_ref is None or pull.base_ref == base_ref)
            ):
                return issue
        return None

    def find_comment(self, comment_id: int) -> Comment | None:
        for issue in self.issues.values():
            for comment in issue.comments:
                if comment.id == comment_id:
                    return comment
        return None


@dataclass
class Installation:
    id: int
    account: str
    account_type: str
    permissions: dict[str, str]
    repository_selection: str = "selected"
    created_at: str = field(default_factory=iso)


@dataclass
class Token:
    value: str
    installation_id: int
    permissions: dict[str, str]
    repositories: set[str] | None  # full names the token is limited to; None = all
    expires_at: datetime


def permission_allows(granted: str | None, needed: str) -> bool:
    return granted == "write" or (granted == "read" and needed == "read")


def new_token_value() -> str:
    """Installation tokens look like `ghs_` + 36 base62 characters."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "ghs_" + "".join(secrets.choice(alphabet) for _ in range(36))
