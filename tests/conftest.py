"""Test-wide fixtures: the fake GitHub and fake arXiv servers live in tests/fakes/plugin.py."""

import pytest

from tests.harness import BotHarness, make_harness

pytest_plugins = ["tests.fakes.plugin"]


@pytest.fixture
async def bot(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id) -> BotHarness:
    """The real app (same factory as production) talking to the fakes over HTTP."""
    return await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id)


@pytest.fixture(autouse=True)
def fast_github_retries(monkeypatch):
    """Keep the real retry logic, with backoff in milliseconds instead of seconds."""
    from bot.github import GitHubAPI

    monkeypatch.setattr(GitHubAPI, "retry_base_delay", 0.01)
