"""Installation tokens: taken right before each request, never within 5 minutes of expiry, and
replaced once when GitHub answers 401 "Bad credentials"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.github.client import TOKEN_REFRESH_MARGIN
from bot.github.pull_state import decode_state
from bot.jobs.replies import ADDITIONS_BRANCH
from handlers.add import UNEXPECTED
from tests.fakes.webhooks import issue_comment_event
from tests.test_add_e2e import LIST, REPO, seed_papers
from tests.test_faults import assert_added_once

BOTH = ["2502.05206", "2501.00001"]


@pytest.fixture
def repo(fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST}, collaborators={"maint": "admin"})
    seed_papers(fake_arxiv)
    return REPO


def new_tokens(fake_github) -> int:
    return len(fake_github.calls("POST", "/access_tokens"))


async def wait_for(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


def add_comment(bot, issue: int, body: str) -> dict:
    comment = bot.github.add_comment(REPO, issue, body, user="maint")
    return issue_comment_event(bot.github, REPO, issue, comment)


@pytest.mark.parametrize("minutes", [57, 61], ids=["near-expiry", "expired"])
async def test_a_token_that_expires_while_a_job_waits_on_the_repository_lock_is_not_used(
        bot, repo, fake_github, fake_arxiv, time_machine, minutes):
    time_machine.move_to(datetime.now(UTC), tick=True)
    fake_arxiv.fail_next("timeout")  # the first job holds the repository's lock until released
    first, second = fake_github.add_issue(REPO, "one"), fake_github.add_issue(REPO, "two")
    await bot.deliver("issue_comment", add_comment(bot, first, f"/add {BOTH[0]}"), settle=False)
    await wait_for(lambda: len(fake_arxiv.call_log) == 1)
    await bot.deliver("issue_comment", add_comment(bot, second, f"/add {BOTH[1]}"), settle=False)
    await asyncio.sleep(0.2)  # the second job is waiting on the lock
    issued, seen = new_tokens(fake_github), len(fake_github.call_log)

    time_machine.shift(timedelta(minutes=minutes))  # the token both jobs began with: 3 min left, or gone
    fake_arxiv.release_hanging()
    await bot.settle()

    [pull] = fake_github.pulls(REPO)
    assert sorted(p["id"] for p in decode_state(pull.body)["papers"]) == sorted(BOTH)
    for issue in (first, second):
        [reply] = bot.replies(REPO, issue)
        assert "added to" in reply
    after = fake_github.call_log[seen:]
    assert [c.status for c in fake_github.call_log if c.status == 401] == []
    assert all(c.token_left is None or c.token_left > TOKEN_REFRESH_MARGIN for c in after)
    assert new_tokens(fake_github) == issued + 1  # one refresher for both jobs


WRITES = [  # (method, path, what the body holds): the branch write, the pull request, the reply, a read
    ("POST", r"^/graphql$", "mutation"),  # a compare-and-swap write: never resent after a 5xx
    ("POST", r"/pulls$", None),
    ("POST", r"/issues/\d+/comments$", None),  # never resent after a 5xx; after a 401 nothing was done
    ("POST", r"^/graphql$", "query"),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_a_401_is_answered_with_one_new_token_and_the_request_succeeds(bot, repo, fake_github,
                                                                            method, path, body):
    issue = fake_github.add_issue(REPO, "add")
    fake_github.fail_next(method, path, 401, body_contains=body)  # GitHub's body: {"message": "Bad credentials", ...}
    await bot.comment(REPO, issue, f"/add {BOTH[0]}")
    assert_added_once(fake_github, bot, issue)
    refused = [i for i, c in enumerate(fake_github.call_log) if c.status == 401]
    assert len(refused) == 1
    assert fake_github.call_log[refused[0]].response["message"] == "Bad credentials"
    resent = next(c for c in fake_github.call_log[refused[0] + 1:] if "/access_tokens" not in c.path)
    assert (resent.method, resent.path) == (method, fake_github.call_log[refused[0]].path)
    assert new_tokens(fake_github) == 2


async def test_a_second_401_is_not_retried(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "add")
    fake_github.fail_next("POST", r"^/graphql$", 401, times=100, body_contains="mutation")
    await bot.comment(REPO, issue, f"/add {BOTH[0]}")
    assert [c.status for c in fake_github.calls("POST", "/graphql") if "mutation" in str(c.body)] == [401, 401]
    assert new_tokens(fake_github) == 2
    assert (fake_github.file(REPO, "README.md", ADDITIONS_BRANCH) or "").count(BOTH[0]) == 0
    [reply] = bot.replies(REPO, issue)
    assert reply.startswith(UNEXPECTED.split("{")[0])
