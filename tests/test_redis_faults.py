"""Bad input with REDIS_URL: Redis down at start, Redis lost mid-run, a job that keeps failing."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from arq.worker import Worker
from redis.asyncio import Redis

from bot.cli import worker as worker_module
from bot.github.redeliver import to_redeliver
from bot.redis_conn import open_redis
from bot.web.intake import FAILED_JOBS
from tests.fakes.webhooks import issue_comment_event, signed_webhook
from tests.harness import WEBHOOK_SECRET, bot_settings, free_port
from tests.processes import ROOT, Fleet, fleet_env
from tests.test_add_e2e import LIST, REPO, seed_papers
from tests.test_scale_out import wait_until


@pytest.mark.parametrize("role", ["serve", "worker"])
def test_redis_down_at_start_exits_2_naming_redis_url(tmp_path, github_app_key, role):
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"  # nothing listens there
    env = {"APP_ID": "1", "PRIVATE_KEY": github_app_key, "WEBHOOK_SECRET": WEBHOOK_SECRET, "REDIS_URL": url,
           "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "bot", role], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "REDIS_URL" in done.stderr and "does not answer" in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


@pytest.mark.parametrize(("deliveries", "expected"), [
    ([{"id": 2, "guid": "a", "status_code": 503}, {"id": 1, "guid": "a", "status_code": 503}], [2]),
    ([{"id": 2, "guid": "a", "status_code": 202}, {"id": 1, "guid": "a", "status_code": 503}], []),
    ([{"id": 3, "guid": "b", "status_code": 0}, {"id": 2, "guid": "a", "status_code": 200},
      {"id": 1, "guid": "c", "status_code": 500}], [1, 3]),
])
def test_only_events_without_any_successful_delivery_are_redelivered(deliveries, expected):
    assert [d["id"] for d in to_redeliver(deliveries)] == expected


async def test_redis_lost_mid_run_answers_503_then_redelivers(
        tmp_path, fake_github, fake_arxiv, github_app_key, github_app_id, redis_server):
    redis_server.stop()
    redis_server.persistent = True  # an acknowledged job must survive Redis's restart
    redis_server.start()
    fake_github.add_repo(REPO, {"README.md": LIST})
    seed_papers(fake_arxiv)
    fake_github.hook_secret = WEBHOOK_SECRET
    fleet = Fleet(tmp_path, fleet_env(fake_github, fake_arxiv, github_app_key, github_app_id, redis_server.url,
                                      ARXIV_MIN_INTERVAL="0"))
    try:
        web = await fleet.web()
        fake_github.hook_url = f"{web.url}/api/github/webhooks"

        async def comment(body: str) -> tuple[int, int, int]:
            issue = fake_github.add_issue(REPO, body)
            comment_id = fake_github.add_comment(REPO, issue, body)
            status = await fake_github.deliver_webhook(
                "issue_comment", issue_comment_event(fake_github, REPO, issue, comment_id))
            return issue, comment_id, status

        acknowledged, _, status = await comment("/add 2502.05206")  # queued; no worker yet
        assert status == 202
        redis_server.stop()  # Redis lost
        refused, _, status = await comment("/add 2501.00001")
        assert status == 503
        redis_server.start()  # back, with what was acknowledged
        await fleet.worker()
        replied = lambda issue: [c for c in fake_github.comments(REPO, issue)  # noqa: E731
                                 if c.user == fake_github.bot_login]
        await wait_until(lambda: replied(acknowledged) and replied(refused), seconds=60)
        assert len(replied(acknowledged)) == 1 and len(replied(refused)) == 1
        redelivered = [d for d in fake_github.hook_deliveries if d.redelivery]
        assert [d.status_code for d in redelivered] == [202]
        assert "2501.00001" in fake_github.file(REPO, "README.md", "paperbot/additions")
    finally:
        await fleet.stop()


async def test_a_job_failing_five_times_is_kept_logged_and_shown_in_health(
        aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id, redis_server, monkeypatch, caplog):
    from bot.web.app import create_app

    monkeypatch.setattr(worker_module, "retry_delay", lambda job_try: 0.01)
    fake_github.add_repo(REPO, {"README.md": LIST})
    issue = fake_github.add_issue(REPO, "add")
    comment = fake_github.add_comment(REPO, issue, "/add 2502.05206")
    payload = issue_comment_event(fake_github, REPO, issue, comment)
    fake_github.fail_next("*", "/", 500, times=10_000)  # GitHub is down: every try fails
    settings = bot_settings(fake_github, fake_arxiv, github_app_key, github_app_id,
                            redis_url=redis_server.url)
    web = await aiohttp_client(create_app(settings))
    headers, body = signed_webhook(WEBHOOK_SECRET, "issue_comment", payload, "doomed")
    assert (await web.post("/api/github/webhooks", data=body, headers=headers)).status == 202
    redis = await open_redis(redis_server.url)
    worker = Worker(**{**worker_module.worker_options(settings), "burst": True, "handle_signals": False},
                    redis_pool=redis)
    await asyncio.wait_for(worker.async_run(), 60)
    async with Redis.from_url(redis_server.url) as reader:
        kept = [json.loads(item) for item in await reader.lrange(FAILED_JOBS, 0, -1)]
    assert [(k["delivery"], k["tries"]) for k in kept] == [("doomed", worker_module.MAX_TRIES)]
    assert kept[0]["payload"]["comment"]["id"] == comment
    assert any("gave up on issue_comment delivery doomed after 5 tries" in r.getMessage() for r in caplog.records)
    health = await (await web.get("/health")).json()
    assert health["jobs_failed_kept"] == 1 and health["jobs_queued"] == 0
    await worker.close()
    fake_github.allow_unexpected()
