"""Upstream faults: retry where it helps (bounded), reply clearly where it does not, and converge."""

from __future__ import annotations

import pytest

from bot.github.pull_state import decode_state
from bot.jobs.replies import ADDITIONS_BRANCH
from bot.papers.arxiv_client import ARXIV_DOWN
from tests.test_add_e2e import LIST, REPO, seed_papers


@pytest.fixture
def repo(fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST}, collaborators={"maint": "admin"})
    seed_papers(fake_arxiv)
    return REPO


def assert_added_once(fake_github, bot, issue: int, arxiv_id: str = "2502.05206") -> None:
    [pull] = fake_github.pulls(REPO)
    assert [p["id"] for p in decode_state(pull.body)["papers"]] == [arxiv_id]
    assert fake_github.file(REPO, "README.md", ADDITIONS_BRANCH).count(arxiv_id) == 1
    answered = [r for r in bot.replies(REPO, issue) if "paperbot:reply" in r]
    assert len(answered) == 1 and "added to" in answered[0]


STALE = {"data": {"createCommitOnBranch": None}, "errors": [{
    "type": "STALE_DATA", "path": ["createCommitOnBranch"], "locations": [{"line": 3, "column": 3}],
    "message": 'Expected branch to point to "0123" but it did not. Pull and try again.'}]}
GITHUB_FAULTS = [
    ("POST", r"^/graphql$", 502, None, None, "mutation"),  # the write itself
    ("POST", r"/pulls$", 503, None, None, None),
    ("POST", r"^/graphql$", 502, None, None, None),  # the snapshot query
    ("POST", r"/pulls$", 403, {"retry-after": "0"}, None, None),
    ("POST", r"/pulls$", 429, {"retry-after": "0"}, None, None),
    ("POST", r"^/graphql$", 200, None, STALE, "mutation"),  # the branch moved under us: re-read, retry
    ("POST", r"/pulls$", 422, None, None, None),  # "a pull request already exists": find it, retry
]


@pytest.mark.parametrize(("method", "path", "status", "headers", "body", "contains"), GITHUB_FAULTS)
async def test_transient_github_faults_are_retried(bot, repo, fake_github, method, path, status, headers,
                                                   body, contains):
    fake_github.fail_next(method, path, status, times=1, headers=headers, body=body, body_contains=contains)
    issue = fake_github.add_issue(REPO, "add")
    await bot.comment(REPO, issue, "/add 2502.05206")
    assert_added_once(fake_github, bot, issue)
    assert fake_github.faults == []  # the fault did strike


async def test_persistent_github_failure_replies_then_a_redelivery_converges(bot, repo, fake_github):
    fake_github.fail_next("POST", r"^/graphql$", 500, times=3, body_contains="mutation")
    issue = fake_github.add_issue(REPO, "add")
    _, payload = await bot.comment(REPO, issue, "/add 2502.05206")
    # A failed compare-and-swap write may have landed: it is never resent as it is; the bot looks
    # at the branch, finds it did not land, and redoes the command (three attempts in all).
    assert [c.status for c in fake_github.calls("POST", "/graphql") if "mutation" in str(c.body)] == [500] * 3
    [failure] = bot.replies(REPO, issue)
    assert "changed nothing" in failure and "paperbot:reply" not in failure
    await bot.deliver("issue_comment", payload)  # GitHub's "Redeliver" button
    assert_added_once(fake_github, bot, issue)
    await bot.deliver("issue_comment", payload)
    assert len(fake_github.pulls(REPO)) == 1 and len(bot.replies(REPO, issue)) == 2


@pytest.mark.parametrize("fault", [503, 429, "rate-exceeded-200", "timeout", "empty"])
async def test_transient_arxiv_faults_are_retried(bot, repo, fake_github, fake_arxiv, fault):
    fake_arxiv.hang_seconds = 3  # longer than the client's 2 s timeout in tests
    fake_arxiv.fail_next(fault, times=1)
    issue = fake_github.add_issue(REPO, "add")
    await bot.comment(REPO, issue, "/add 2502.05206")
    assert_added_once(fake_github, bot, issue)


async def test_arxiv_outage_changes_nothing_and_says_so(bot, repo, fake_github, fake_arxiv):
    fake_arxiv.fail_next(503, times=10)
    issue = fake_github.add_issue(REPO, "add")
    _, payload = await bot.comment(REPO, issue, "/add 2502.05206")
    assert bot.replies(REPO, issue) == [ARXIV_DOWN]
    assert fake_github.pulls(REPO) == [] and ADDITIONS_BRANCH not in fake_github.branches(REPO)
    fake_arxiv.faults.clear()
    await bot.deliver("issue_comment", payload)
    assert_added_once(fake_github, bot, issue)


async def test_expired_token_is_refreshed(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "add")
    await bot.comment(REPO, issue, "/add 2502.05206")
    tokens = len(fake_github.calls("POST", "/access_tokens"))
    await bot.comment(REPO, issue, "/add 2501.00001")
    assert len(fake_github.calls("POST", "/access_tokens")) == tokens  # cached
