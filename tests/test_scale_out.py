"""Two web and two worker processes on one real Redis, against the fake GitHub and fake arXiv:
60 `/add`s over 10 repositories, 10 % of deliveries sent again to the other web process, one
worker killed with SIGKILL in the middle of a job. Nothing is lost, nothing is done twice, and
arXiv never sees two requests closer than the gate's interval."""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import signal
import time

import pytest

from bot.cli.worker import JOB_FINISHED
from bot.jobs.replies import ADDITIONS_BRANCH, reply_marker
from tests.fakes.webhooks import issue_comment_event
from tests.harness import WEBHOOK_SECRET
from tests.processes import Fleet, fleet_env
from tests.test_add_e2e import LIST

REPOSITORIES = 10
COMMENTS_PER_REPOSITORY = 6
GATE = 0.25  # seconds between arXiv requests, lowered from arXiv's 3 s to keep the test short


def paper_id(repository: int, comment: int) -> str:
    return f"2601.{10000 + repository * 100 + comment}"


def in_flight(log: str) -> set[str]:
    """Deliveries a worker started and has not finished, from its log."""
    started = set(re.findall(r"running issue_comment delivery (\S+) \(try", log))
    finished = set(re.findall(JOB_FINISHED.replace("%s", r"(\S+)"), log))
    return started - finished


@pytest.fixture
async def fleet(tmp_path, fake_github, fake_arxiv, github_app_key, github_app_id, redis_server):
    env = fleet_env(fake_github, fake_arxiv, github_app_key, github_app_id, redis_server.url,
                    ARXIV_MIN_INTERVAL=str(GATE), ARXIV_TIMEOUT="5", JOB_TIMEOUT="20",
                    MAX_CONCURRENT_JOBS="4")
    fleet = Fleet(tmp_path, env)
    yield fleet
    await fleet.stop()


async def test_two_webs_two_workers_one_killed_lose_and_repeat_nothing(fleet, fake_github, fake_arxiv):
    rng = random.Random(16)
    fake_github.hook_secret = WEBHOOK_SECRET
    fake_github.delay = 0.02  # jobs take a while, so the kill lands in one
    repos = [f"octo-org/list-{n}" for n in range(REPOSITORIES)]
    for n, repo in enumerate(repos):
        fake_github.add_repo(repo, {"README.md": LIST})
        for c in range(COMMENTS_PER_REPOSITORY):
            fake_arxiv.add_paper(paper_id(n, c), f"Jailbreak attacks on aligned models, part {n}-{c}",
                                 "A jailbreak attack on safety training.", ["Ada Lovelace"], "2026-01-05",
                                 ["cs.CR"])
    webs = [await fleet.web(), await fleet.web()]
    workers = [await fleet.worker(), await fleet.worker()]

    comments: list[tuple[str, int, int, str]] = []  # repository, issue, comment id, paper
    for c in range(COMMENTS_PER_REPOSITORY):
        for n, repo in enumerate(repos):
            issue = fake_github.add_issue(repo, f"papers {c}")
            body = f"/add {paper_id(n, c)} to Jailbreak Attacks"
            comments.append((repo, issue, fake_github.add_comment(repo, issue, body, user=f"user{c}"),
                             paper_id(n, c)))
    rng.shuffle(comments)
    resent = set(rng.sample(range(len(comments)), len(comments) // 10))
    killed = None
    for i, (repo, issue, comment, _) in enumerate(comments):
        payload = issue_comment_event(fake_github, repo, issue, comment)
        guid = f"guid-{comment}"
        status = await fake_github.deliver_webhook("issue_comment", payload, guid, url=f"{webs[i % 2].url}/api/github/webhooks")
        assert status == 202
        if i in resent:  # the same delivery again, to the other web process
            again = await fake_github.deliver_webhook("issue_comment", payload, guid,
                                                      url=f"{webs[(i + 1) % 2].url}/api/github/webhooks")
            assert again == 200  # answered "duplicate": not queued twice
        if i == len(comments) // 2:
            killed = await kill_mid_job(workers[0])
    assert killed, "the worker was killed while a job was running"

    await wait_until(lambda: all_answered(fake_github, comments), seconds=100)
    await asyncio.sleep(1.0)  # time for a duplicate reply to show, if there were one

    for repo, issue, comment, _ in comments:
        marker = reply_marker(f"c{comment}")
        replies = [c.body for c in fake_github.comments(repo, issue) if c.user == fake_github.bot_login]
        assert len(replies) == 1 and marker in replies[0], (repo, issue, replies)
        assert "added to «Jailbreak Attacks»" in replies[0] or "already" in replies[0], replies[0]
    for n, repo in enumerate(repos):
        assert len([p for p in fake_github.pulls(repo) if p.state == "open"]) == 1
        readme = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
        for c in range(COMMENTS_PER_REPOSITORY):
            assert readme.count(paper_id(n, c)) == 1, (repo, paper_id(n, c))
    times = sorted(call.at for call in fake_arxiv.call_log)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) >= REPOSITORIES and min(gaps) >= GATE, (len(times), min(gaps))
    assert "(try 2)" in workers[1].log_text()  # the killed worker's job ran again on the other


async def kill_mid_job(worker) -> set[str]:
    """SIGKILL the worker as soon as its log shows a job started and not finished."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        running = in_flight(worker.log_text())
        if running:
            worker.process.send_signal(signal.SIGKILL)
            worker.process.wait(5)
            return running
        await asyncio.sleep(0.01)
    return set()


def all_answered(fake_github, comments) -> bool:
    return all(any(c.user == fake_github.bot_login for c in fake_github.comments(repo, issue))
               for repo, issue, _, _ in comments)


async def wait_until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)
