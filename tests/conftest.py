"""Test-wide fixtures: the fake GitHub and fake arXiv servers live in tests/fakes/plugin.py."""

import pytest

from tests.harness import BotHarness, make_harness

pytest_plugins = ["tests.fakes.plugin"]


@pytest.fixture
async def bot(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id) -> BotHarness:
    """The real app (same factory as production) talking to the fakes over HTTP."""
    return await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id)
