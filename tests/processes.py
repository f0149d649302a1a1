"""Real `python -m bot` processes (web and worker) against the fakes and a real Redis, for tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from tests.harness import WEBHOOK_SECRET, free_port

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BotProcess:
    role: str  # "serve" or "worker"
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def stop(self, signum: int = signal.SIGTERM) -> None:
        """Signal it and wait without blocking the loop (the fakes it talks to run in this loop)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        for _ in range(600):  # 30 s
            if self.process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        else:
            self.process.kill()
            self.process.wait(10)


@dataclass
class Fleet:
    """Web and worker processes sharing one Redis; stopped together at the end of a test."""

    folder: Path
    env: dict[str, str]
    processes: list[BotProcess] = field(default_factory=list)

    def spawn(self, role: str, **extra: str) -> BotProcess:
        port = free_port() if role == "serve" else None
        log = self.folder / f"{role}-{len(self.processes)}.log"
        env = {**self.env, **extra, **({"PORT": str(port)} if port else {})}
        with log.open("wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "bot", role], cwd=self.folder, env=env,
                                       stdout=out, stderr=subprocess.STDOUT)
        started = BotProcess(role, process, log, port)
        self.processes.append(started)
        return started

    async def web(self, **extra: str) -> BotProcess:
        web = self.spawn("serve", **extra)
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                assert web.process.poll() is None, web.log_text()
                try:
                    async with session.get(f"{web.url}/health") as response:
                        if response.status == 200:
                            return web
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"the web process did not start:\n{web.log_text()}")

    async def worker(self, **extra: str) -> BotProcess:
        worker = self.spawn("worker", **extra)
        deadline = time.monotonic() + 30
        while "Starting worker" not in worker.log_text():
            assert worker.process.poll() is None, worker.log_text()
            assert time.monotonic() < deadline, worker.log_text()
            await asyncio.sleep(0.1)
        return worker

    async def stop(self) -> None:
        await asyncio.gather(*(process.stop() for process in self.processes))


def fleet_env(fake_github, fake_arxiv, key: str, app_id: int, redis_url: str, **extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("APP_ID", "REDIS", "PRIVATE_KEY"))},
            "APP_ID": str(app_id), "PRIVATE_KEY": key, "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "GITHUB_API_URL": fake_github.url, "ARXIV_API_URL": fake_arxiv.url, "REDIS_URL": redis_url,
            "PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO", **extra}
