"""What a handler gets: the shared clients and per-repository serialisation, owned by the app."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.arxiv_client import ArxivClient
from bot.github import GitHubApp, Repository
from bot.settings import Settings


@dataclass
class Context:
    settings: Settings
    github: GitHubApp
    arxiv: ArxivClient
    # One lock per repository: commands for one repository run one after another, so twenty
    # `/add`s arriving together all land in the same rolling pull request.
    # Weak values: a lock lives exactly as long as someone holds or awaits it.
    _locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary)

    async def repository(self, payload: dict[str, Any]) -> Repository:
        gh = await self.github.installation_api(int(payload["installation"]["id"]))
        return Repository.from_payload(gh, payload["repository"])

    @asynccontextmanager
    async def serialised(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            yield
