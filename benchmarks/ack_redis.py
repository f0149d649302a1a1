"""Ack latency with REDIS_URL: a web process that de-duplicates and enqueues on a real Redis.

Starts `redis-server` on a free port (Debian's package: `apt-get install redis-server`), one
`python -m bot` web process with REDIS_URL (no worker: jobs only queue, which is what the ack
path does), and sends signed `/add` comment deliveries, each with its own `X-GitHub-Delivery`,
open-loop at a fixed rate (a request every 1/rate s whether or not earlier ones were answered,
as GitHub sends them). Prints p50/p90/p99/max ack latency, statuses, and the jobs queued.

    .venv/bin/python benchmarks/ack_redis.py [--rate 500] [--seconds 10] [--server-cpu 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    BENCH_SECRET,
    bot_environment,
    free_port,
    rsa_private_key_pem,
    start_process,
    stop_process,
    wait_for_http,
)
from tests.fakes.webhooks import load_webhook, signed_webhook  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def flood(url: str, rate: float, seconds: float) -> tuple[list[float], Counter[int]]:
    payload = load_webhook("issue_comment.created.with-installation")
    payload["comment"]["body"] = "/add 2502.05206"
    bodies = []
    for n in range(int(rate * seconds)):
        headers, body = signed_webhook(BENCH_SECRET, "issue_comment", payload, str(uuid.uuid4()))
        bodies.append((headers, body))
        payload["comment"]["id"] += 1 + n % 2  # distinct comments, same size
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def send(headers: dict[str, str], body: bytes) -> None:
            started = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                statuses[response.status] += 1
            latencies.append(time.perf_counter() - started)

        start = time.perf_counter()
        tasks = []
        for i, (headers, body) in enumerate(bodies):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(headers, body)))
        await asyncio.gather(*tasks)
    return latencies, statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=500.0, help="deliveries per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--server-cpu", type=int, default=0, help="pin the web process to this core")
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server is not installed (apt-get install redis-server)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        redis_port, web_port = free_port(), free_port()
        redis = subprocess.Popen([binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603
                                  "--appendonly", "no", "--dir", folder], stdout=subprocess.DEVNULL)
        env = bot_environment(web_port, "http://127.0.0.1:9", "http://127.0.0.1:9/api/query",
                              rsa_private_key_pem(), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
                              PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
        web = start_process([sys.executable, "-m", "bot"], env, Path(folder) / "web.log", cpu=args.server_cpu)
        try:
            wait_for_http(f"http://127.0.0.1:{web_port}/health", process=web)
            latencies, statuses = asyncio.run(
                flood(f"http://127.0.0.1:{web_port}/api/github/webhooks", args.rate, args.seconds))
            with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/health", timeout=5) as answer:
                health = json.loads(answer.read())
        finally:
            stop_process(web)
            redis.terminate()
            redis.wait(10)
    ms = [1000 * latency for latency in latencies]
    print(f"ack with Redis: {len(ms)} deliveries at {args.rate:.0f}/s for {args.seconds:.0f}s")
    print(f"  p50 {percentile(ms, 0.5):.1f} ms  p90 {percentile(ms, 0.9):.1f} ms  "
          f"p99 {percentile(ms, 0.99):.1f} ms  max {max(ms):.1f} ms")
    print(f"  statuses {dict(statuses)}  jobs queued in Redis: {health.get('jobs_queued')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
