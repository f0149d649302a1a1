"""The bot under test: built by `create_app`, pointed at the fake GitHub and fake arXiv over HTTP."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from typing import Any

from bot.settings import Settings
from bot.web.app import create_app, jobs_of
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.github import FakeGitHub
from tests.fakes.webhooks import issue_comment_event, signed_webhook

WEBHOOK_SECRET = "test-webhook-secret"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_settings(fake_github: FakeGitHub, fake_arxiv: FakeArxiv, key: str, app_id: int,
                  **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        app_id=str(app_id), private_key=key, webhook_secret=WEBHOOK_SECRET,
        github_api_url=fake_github.url, arxiv_api_url=fake_arxiv.url,
        arxiv_min_interval=0.05, arxiv_timeout=2.0,
    )
    values.update(overrides)
    return Settings(**values)


@dataclass
class BotHarness:
    client: Any  # aiohttp TestClient around create_app(settings)
    github: FakeGitHub
    arxiv: FakeArxiv

    async def deliver(self, event: str, payload: dict[str, Any] | bytes,
                      delivery: str | None = None, settle: bool = True) -> int:
        headers, body = signed_webhook(WEBHOOK_SECRET, event, payload, delivery or str(uuid.uuid4()))
        response = await self.client.post("/api/github/webhooks", data=body, headers=headers)
        if settle:
            await self.settle()
        return response.status

    async def settle(self) -> None:
        await jobs_of(self.client.app).drain(60)

    async def comment(self, repo: str, number: int, body: str, user: str = "octocat",
                      delivery: str | None = None) -> tuple[int, dict[str, Any]]:
        """Post a comment on the fake GitHub, deliver its webhook, wait for the work to finish."""
        comment_id = self.github.add_comment(repo, number, body, user=user)
        payload = issue_comment_event(self.github, repo, number, comment_id)
        await self.deliver("issue_comment", payload, delivery)
        return comment_id, payload

    def replies(self, repo: str, number: int) -> list[str]:
        return [c.body for c in self.github.comments(repo, number) if c.user == self.github.bot_login]


async def make_harness(aiohttp_client: Any, fake_github: FakeGitHub, fake_arxiv: FakeArxiv, key: str,
                       app_id: int, **overrides: Any) -> BotHarness:
    settings = bot_settings(fake_github, fake_arxiv, key, app_id, **overrides)
    client = await aiohttp_client(create_app(settings))
    return BotHarness(client, fake_github, fake_arxiv)
