"""`honcho start web` runs the Procfile as Heroku's default formation would (one web, no worker:
workers need REDIS_URL), and `/health` answers."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.harness import WEBHOOK_SECRET, free_port

ROOT = Path(__file__).parent.parent
HONCHO = Path(sys.executable).parent / "honcho"


@pytest.mark.skipif(not HONCHO.exists() and not shutil.which("honcho"), reason="honcho not installed")
async def test_honcho_runs_the_procfile(tmp_path, github_app_key, fake_github):
    port = free_port()
    env = {**os.environ, "APP_ID": "1", "PRIVATE_KEY": github_app_key, "WEBHOOK_SECRET": WEBHOOK_SECRET,
           "GITHUB_API_URL": fake_github.url, "PYTHONPATH": str(ROOT),
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    process = await asyncio.create_subprocess_exec(
        str(HONCHO if HONCHO.exists() else shutil.which("honcho")), "start", "-f", str(ROOT / "Procfile"),
        "-d", str(tmp_path), "-p", str(port), "web", env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, start_new_session=True)
    try:
        health = None
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/health") as response:
                        health = (response.status, await response.json())
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
        assert health is not None and health[0] == 200 and health[1]["status"] == "ok"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
