"""Test-side API of the fake GitHub: seed state, act as a maintainer, inspect results."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from tests.fakes.github_state import (
    DEFAULT_PERMISSIONS,
    Comment,
    Installation,
    Issue,
    PullInfo,
    Repo,
    iso,
    next_id,
)

_installation_ids = itertools.count(40_000_001)


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


class SeedingMixin:
    """Mixed into FakeGitHub; relies on its `repos`, `installations`, `tokens`, `bot_login`."""

    repos: dict[str, Repo]
    installations: dict[int, Installation]
    tokens: dict[str, Any]
    manifest_codes: set[str]
    bot_login: str

    # -- seeding ---------------------------------------------------------------------------

    def add_installation(
        self,
        installation_id: int | None = None,
        account: str = "octo-org",
        account_type: str = "Organization",
        permissions: dict[str, str] | None = None,
    ) -> Installation:
        made = Installation(
            installation_id or next(_installation_ids),
            account,
            account_type,
            dict(permissions or DEFAULT_PERMISSIONS),
        )
        self.installations[made.id] = made
        return made

    def add_repo(
        self,
        full_name: str,
        files: dict[str, str | bytes],
        default_branch: str = "main",
        installation_id: int | None = None,
        collaborators: dict[str, str] | None = None,
        private: bool = False,
    ) -> Repo:
        """A repository with one commit holding `files`, installed for the app. Without an
        `installation_id` it joins the owner's installation, which is created when missing."""
        owner, _, name = full_name.partition("/")
        if installation_id is None:
            mine = [i for i in self.installations.values() if i.account == owner]
            installation_id = mine[0].id if mine else self.add_installation(account=owner).id
        installation = self.installations[installation_id]
        repo = Repo(
            next_id(),
            owner,
            installation.account_type,
            name,
            default_branch,
            installation_id,
            dict(collaborators or {}),
            private,
        )
        root = repo.commit(
            None,
            {p: _bytes(d) for p, d in files.items()},
            "Initial commit",
            {"name": owner, "email": f"{owner}@example.com", "date": iso()},
        )
        repo.branches[default_branch] = root.sha
        self.repos[full_name] = repo
        return repo

    def add_manifest_code(self, code: str) -> None:
        """A one-time code GitHub hands back at the end of the manifest flow."""
        self.manifest_codes.add(code)

    def add_issue(
        self,
        full_name: str,
        title: str,
        body: str | None = "",
        user: str = "maintainer",
        labels: list[str] | None = None,
    ) -> int:
        repo = self.repos[full_name]
        made = Issue(next_id(), repo.next_number(), title, body, user, labels=list(labels or []))
        repo.issues[made.number] = made
        return made.number

    def add_comment(
        self, full_name: str, number: int, body: str, user: str = "maintainer", at: str | None = None
    ) -> int:
        """A comment written by a person (as the webhook would later announce)."""
        issue = self.repos[full_name].issues[number]
        when = at or iso()
        made = Comment(next_id(), number, body, user, when, when)
        issue.comments.append(made)
        issue.updated_at = when
        return made.id

    # -- a maintainer acting on GitHub -------------------------------------------------------

    def push_commit(
        self,
        full_name: str,
        branch: str,
        files: dict[str, str | bytes | None],
        message: str = "Edit by a maintainer",
        author: str = "maintainer",
    ) -> str:
        """Commit on `branch` (created from the default branch when missing); None deletes."""
        repo = self.repos[full_name]
        if branch not in repo.branches:
            repo.branches[branch] = repo.branches[repo.default_branch]
        changes = {p: None if d is None else _bytes(d) for p, d in files.items()}
        person = {"name": author, "email": f"{author}@example.com", "date": iso()}
        return repo.write(branch, changes, message, person).sha

    def push_to_default(
        self,
        full_name: str,
        files: dict[str, str | bytes | None],
        message: str = "Edit on the default branch",
    ) -> str:
        repo = self.repos[full_name]
        return self.push_commit(full_name, repo.default_branch, files, message)

    def merge_pull(self, full_name: str, number: int, merged_by: str = "maintainer") -> str:
        repo = self.repos[full_name]
        issue = repo.issues[number]
        info = issue.pull
        assert info is not None and issue.state == "open", f"#{number} is not an open pull request"
        head = repo.branches[info.head_ref]
        person = {"name": merged_by, "email": f"{merged_by}@example.com", "date": iso()}
        made = repo.merge(
            head,
            info.base_ref,
            f"Merge pull request #{number} from {info.head_owner}/{info.head_ref}",
            person,
        )
        info.head_sha, info.merged, info.merged_at, info.merge_commit_sha = head, True, iso(), made.sha
        issue.state, issue.closed_at, issue.updated_at = "closed", info.merged_at, info.merged_at
        return made.sha

    def close_pull(self, full_name: str, number: int) -> None:
        issue = self.repos[full_name].issues[number]
        assert issue.pull is not None
        issue.pull.head_sha = self.repos[full_name].branches.get(issue.pull.head_ref, issue.pull.head_sha)
        issue.state, issue.closed_at, issue.updated_at = "closed", iso(), iso()

    def open_fork_pull(
        self,
        full_name: str,
        fork_owner: str,
        head_ref: str,
        body: str = "",
        title: str = "A pull request from a fork",
        files: dict[str, str | bytes] | None = None,
    ) -> int:
        """A pull request from `fork_owner`'s fork (its branch `head_ref`, which may share a name
        with a branch here), written by `fork_owner`. Like GitHub, the base repository keeps the
        fork's head commit (as `refs/pull/N/head`); no branch of the base repository moves."""
        repo = self.repos[full_name]
        base_sha = repo.branches[repo.default_branch]
        tree = dict(repo.commits[base_sha].tree)
        tree.update({p: _bytes(d) for p, d in (files or {"FORK.md": f"from {fork_owner}\n"}).items()})
        person = {"name": fork_owner, "email": f"{fork_owner}@example.com", "date": iso()}
        made = repo.add_commit(tree, (base_sha,), title, person)
        info = PullInfo(head_ref, fork_owner, repo.default_branch, made.sha, base_sha)
        issue = Issue(next_id(), repo.next_number(), title, body, fork_owner, pull=info)
        repo.issues[issue.number] = issue
        return issue.number

    def delete_branch(self, full_name: str, branch: str) -> None:
        """Delete a branch; GitHub closes the open pull requests whose head it was."""
        repo = self.repos[full_name]
        sha = repo.branches.pop(branch)
        for issue in repo.issues.values():
            if issue.pull and issue.state == "open" and issue.pull.head_ref == branch:
                issue.pull.head_sha = sha
                issue.state, issue.closed_at, issue.updated_at = "closed", iso(), iso()

    def expire_tokens(self) -> None:
        """Every installation token issued so far stops working (as after an hour): GitHub answers
        401 "Bad credentials" to them."""
        now = datetime.now(UTC)
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, now)

    # -- inspection --------------------------------------------------------------------------

    def repo(self, full_name: str) -> Repo:
        return self.repos[full_name]

    def file(self, full_name: str, path: str, ref: str | None = None) -> str | None:
        head = self.repos[full_name].resolve(ref)
        data = head.tree.get(path) if head else None
        return data.decode("utf-8") if data is not None else None

    def branches(self, full_name: str) -> dict[str, str]:
        return dict(self.repos[full_name].branches)

    def pulls(self, full_name: str, state: str = "all") -> list[Issue]:
        return [
            i
            for i in self.repos[full_name].issues.values()
            if i.pull and (state == "all" or i.state == state)
        ]

    def issues(self, full_name: str, state: str = "all") -> list[Issue]:
        return [
            i
            for i in self.repos[full_name].issues.values()
            if i.pull is None and (state == "all" or i.state == state)
        ]

    def comments(self, full_name: str, number: int) -> list[Comment]:
        return list(self.repos[full_name].issues[number].comments)
