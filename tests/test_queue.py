"""The job queue: one busy repository never holds up another; a full queue says 503 and loses nothing."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

from bot.github.pull_state import decode_state
from bot.jobs.replies import ADDITIONS_BRANCH
from bot.web.app import QUEUE_FULL, WEBHOOK_PATH, context_of, jobs_of
from tests.fakes.webhooks import issue_comment_event, signed_webhook
from tests.harness import WEBHOOK_SECRET, make_harness
from tests.test_concurrency import LIST, add_papers

BUSY, QUIET = "busy-org/list", "quiet-org/list"


def add_requests(fake_github, repo: str, ids: list[str]) -> list[dict]:
    """One issue per paper in `repo`, each with an `/add` comment by its own user, as deliveries."""
    deliveries = []
    for arxiv_id in ids:
        issue = fake_github.add_issue(repo, f"add {arxiv_id}")
        comment = fake_github.add_comment(repo, issue, f"/add {arxiv_id}", user=f"user-{arxiv_id}")
        deliveries.append(issue_comment_event(fake_github, repo, issue, comment))
    return deliveries


def answered(bot, repo: str, deliveries: list[dict]) -> int:
    return sum(1 for d in deliveries if bot.replies(repo, d["issue"]["number"]))


async def until(condition, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


async def test_a_burst_on_one_repository_does_not_hold_up_another(
        aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id):
    bot = await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id,
                             max_concurrent_jobs=4)
    ids = add_papers(fake_arxiv, 31)
    for repo in (BUSY, QUIET):
        fake_github.add_repo(repo, {"README.md": LIST})
    burst = add_requests(fake_github, BUSY, ids[:30])
    [single] = add_requests(fake_github, QUIET, ids[30:])
    fake_github.delay = 0.005
    for payload in burst:
        assert await bot.deliver("issue_comment", payload, settle=False) == 202
    assert await bot.deliver("issue_comment", single, settle=False) == 202

    await until(lambda: answered(bot, QUIET, [single]) == 1)
    # The quiet repository's job had a free slot at once: only the busy repository's job already at
    # work (and perhaps the next) finished meanwhile. Before the fix it waited behind ~26 of them,
    # each holding a slot while it waited for the busy repository's lock.
    assert answered(bot, BUSY, burst) <= 4
    health = await (await bot.client.get("/health")).json()
    assert health["jobs_queued"] >= 20 and health["jobs_running"] <= 1  # the busy repository, one at a time

    await bot.settle()
    [pull] = fake_github.pulls(BUSY)
    # One repository's jobs ran in the order they arrived.
    assert [p["id"] for p in decode_state(pull.body)["papers"]] == ids[:30]
    assert all(len(bot.replies(BUSY, d["issue"]["number"])) == 1 for d in burst)
    assert fake_github.file(QUIET, "README.md", ADDITIONS_BRANCH).count(ids[30]) == 1


async def test_waiting_for_a_repository_held_elsewhere_holds_no_slot(
        aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id):
    """A scheduled update holds a repository (through the same `serialised`) while a comment on it
    arrives: with a single worker slot, another repository's job still runs."""
    bot = await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id,
                             max_concurrent_jobs=1)
    ids = add_papers(fake_arxiv, 2)
    for repo in (BUSY, QUIET):
        fake_github.add_repo(repo, {"README.md": LIST})
    [held], [free] = add_requests(fake_github, BUSY, ids[:1]), add_requests(fake_github, QUIET, ids[1:])
    async with context_of(bot.client.app).serialised(BUSY):
        assert await bot.deliver("issue_comment", held, settle=False) == 202
        assert await bot.deliver("issue_comment", free, settle=False) == 202
        await until(lambda: answered(bot, QUIET, [free]) == 1, within=10)
        assert answered(bot, BUSY, [held]) == 0
    await bot.settle()
    assert answered(bot, BUSY, [held]) == 1


async def test_a_full_queue_answers_503_and_loses_nothing_it_accepted(
        aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id):
    bot = await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id,
                             max_concurrent_jobs=1, max_queued_jobs=4, max_queued_per_repository=3)
    ids = add_papers(fake_arxiv, 9)
    for repo in (BUSY, QUIET):
        fake_github.add_repo(repo, {"README.md": LIST})
    burst = add_requests(fake_github, BUSY, ids[:6])
    other = add_requests(fake_github, QUIET, ids[6:])
    fake_github.delay = 0.01
    statuses, refused = {}, []
    for payload in [*burst, *other]:
        delivery = str(uuid.uuid4())
        response = await bot.client.post(WEBHOOK_PATH, **_signed(payload, delivery))
        statuses[payload["issue"]["number"], payload["repository"]["full_name"]] = response.status
        if response.status == 503:
            assert await response.read() == QUEUE_FULL
            assert (await response.json())["error"].startswith("paperbot is busy")
            refused.append((payload, delivery))
    # The busy repository may hold 3 waiting jobs; the queue 4 in all, so the other repository
    # still had room for one of its own.
    busy = [statuses[d["issue"]["number"], BUSY] for d in burst]
    quiet = [statuses[d["issue"]["number"], QUIET] for d in other]
    assert busy.count(202) in (3, 4) and 503 in busy and 202 in quiet and 503 in quiet
    health = await (await bot.client.get("/health")).json()
    assert health["jobs_refused"] == len(refused) == health["deliveries"]["refused"]
    assert health["queue_limits"] == {"running": 1, "queued": 4, "queued_per_repository": 3}

    await bot.settle()
    for repo, deliveries in ((BUSY, burst), (QUIET, other)):
        readme = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
        for d in deliveries:
            accepted = statuses[d["issue"]["number"], repo] == 202
            arxiv_id = d["comment"]["body"].removeprefix("/add ")
            assert readme.count(arxiv_id) == (1 if accepted else 0)
            assert len(bot.replies(repo, d["issue"]["number"])) == (1 if accepted else 0)

    # GitHub's redelivery of a refused event (same delivery id) is taken once there is room.
    payload, delivery = refused[0]
    response = await bot.client.post(WEBHOOK_PATH, **_signed(payload, delivery))
    assert response.status == 202
    await bot.settle()
    assert len(bot.replies(payload["repository"]["full_name"], payload["issue"]["number"])) == 1
    assert jobs_of(bot.client.app).failed == 0


def _signed(payload: dict, delivery: str) -> dict:
    headers, body = signed_webhook(WEBHOOK_SECRET, "issue_comment", payload, delivery)
    return {"data": body, "headers": headers}


async def test_health_shows_the_queue(bot):
    health = await (await bot.client.get("/health")).json()
    assert {key: health[key] for key in ("jobs_running", "jobs_queued", "jobs_refused")} == {
        "jobs_running": 0, "jobs_queued": 0, "jobs_refused": 0}
    assert health["queue_limits"] == {"running": 32, "queued": 1000, "queued_per_repository": 100}
    assert json.dumps(health)  # plain JSON
