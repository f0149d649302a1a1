"""SIGTERM (Heroku) and SIGINT (Fly) during work: jobs in flight finish, the process exits in time."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from bot.jobs.replies import ADDITIONS_BRANCH
from tests.fakes.webhooks import issue_comment_event, signed_webhook
from tests.harness import WEBHOOK_SECRET, free_port
from tests.test_add_e2e import LIST, REPO, seed_papers

ROOT = Path(__file__).parent.parent


async def start_server(fake_github, fake_arxiv, key, app_id, port, tmp_path):
    env = {**os.environ, "APP_ID": str(app_id), "PRIVATE_KEY": key, "WEBHOOK_SECRET": WEBHOOK_SECRET,
           "GITHUB_API_URL": fake_github.url, "ARXIV_API_URL": fake_arxiv.url, "ARXIV_MIN_INTERVAL": "0",
           "PORT": str(port), "PYTHONPATH": str(ROOT), "LOG_FORMAT": "json"}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=env,
                                                   stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(f"http://127.0.0.1:{port}/health") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    process.kill()
    raise AssertionError("server did not start")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_signal_during_work_lets_the_job_finish(fake_github, fake_arxiv, github_app_key, github_app_id,
                                                     tmp_path, signum):
    fake_github.add_repo(REPO, {"README.md": LIST})
    seed_papers(fake_arxiv)
    port = free_port()
    process = await start_server(fake_github, fake_arxiv, github_app_key, github_app_id, port, tmp_path)
    fake_github.delay = 0.4  # every GitHub call is slow: the job takes about 4 s
    issue = fake_github.add_issue(REPO, "add")
    comment = fake_github.add_comment(REPO, issue, "/add 2502.05206")
    headers, body = signed_webhook(WEBHOOK_SECRET, "issue_comment",
                                   issue_comment_event(fake_github, REPO, issue, comment))
    url = f"http://127.0.0.1:{port}/api/github/webhooks"
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as response:
        assert response.status == 202
    await asyncio.sleep(1.0)  # the job is in the middle of its GitHub calls
    started = time.monotonic()
    process.send_signal(signum)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert time.monotonic() - started < 25
    assert process.returncode in (0, -signum)
    assert fake_github.file(REPO, "README.md", ADDITIONS_BRANCH).count("2502.05206") == 1
    assert len([c for c in fake_github.comments(REPO, issue) if c.user == fake_github.bot_login]) == 1
    assert WEBHOOK_SECRET not in err.decode() and "PRIVATE KEY" not in err.decode()
