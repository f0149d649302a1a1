"""Load: a flood of signed deliveries against the real server, with a slow (fake) GitHub.

Runs the fake GitHub (with added latency per call) and fake arXiv in this process, starts
`python -m bot` as a separate process pointed at them, sends N signed deliveries over D seconds
(a third `/add` of distinct papers spread over R repositories, a third comments without a
command, a third pings), waits for the background work to finish, then checks every repository:
each requested paper must be in its rolling pull request exactly once.

    .venv/bin/python benchmarks/load.py [--deliveries 2000] [--seconds 10] [--latency 0.1]
                                        [--repositories 40] [--installations 8]

Prints ack latency p50/p99, peak RSS of the server, jobs completed, entries lost/duplicated.
All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.jobs.replies import ADDITIONS_BRANCH, decode_state  # noqa: E402
from tests.fakes.arxiv import FakeArxiv  # noqa: E402
from tests.fakes.github import FakeGitHub  # noqa: E402
from tests.fakes.webhooks import issue_comment_event, signed_webhook  # noqa: E402

SECRET = "load-test-secret"
LIST = "# Load list\n\n## Papers\n\n- [Seed paper](https://arxiv.org/abs/2401.00001)\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def generate_load(url: str, payloads: list[tuple[str, dict]], seconds: float
                  ) -> tuple[list[float], dict[int, int], float]:
    """In a child process: send every payload, evenly spread over `seconds`; ack latencies."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def run() -> float:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200)) as session:
            async def send(event: str, payload: dict) -> None:
                headers, body = signed_webhook(SECRET, event, payload, str(uuid.uuid4()))
                started = time.perf_counter()
                async with session.post(url + "/api/github/webhooks", data=body, headers=headers) as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                latencies.append(time.perf_counter() - started)

            began = time.perf_counter()
            tasks = []
            for n, (event, payload) in enumerate(payloads):
                delay = began + n * seconds / len(payloads) - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(send(event, payload)))
            await asyncio.gather(*tasks)
            return time.perf_counter() - began

    sent_in = asyncio.run(run())
    return latencies, statuses, sent_in


async def main(deliveries: int, seconds: float, latency: float, repositories: int, owners: int) -> int:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    github, arxiv = FakeGitHub(app_id=4242, private_key_pem=key), FakeArxiv()
    gh_runner, github.url = await serve(github.app)
    ax_runner, base = await serve(arxiv.app)
    arxiv.url = base + "/api/query"
    # One installation per owner: GitHub asks that an installation's writes go one at a time.
    repos = [f"load-org-{n % owners}/list-{n}" for n in range(repositories)]
    for repo in repos:
        github.add_repo(repo, {"README.md": LIST})

    payloads: list[tuple[str, dict]] = []
    expected: dict[str, set[str]] = {repo: set() for repo in repos}
    for n in range(deliveries):
        repo = repos[n % repositories]
        kind = n % 3
        if kind == 2:
            payloads.append(("ping", {"zen": "Design for failure.", "hook_id": n}))
            continue
        issue = github.add_issue(repo, f"issue {n}")
        if kind == 0:
            arxiv_id = f"2510.{10000 + n:05d}"
            arxiv.add_paper(arxiv_id, f"Load paper {n} on language model safety", "Abstract.",
                            ["A. Author"], "2025-10-01", ["cs.CL"])
            body = f"/add {arxiv_id}"
            expected[repo].add(arxiv_id)
        else:
            body = "Thanks, looks good to me."
        comment = github.add_comment(repo, issue, body, user=f"user{n % 50}")
        payloads.append(("issue_comment", issue_comment_event(github, repo, issue, comment)))
    github.delay = latency

    port = free_port()
    env = {**os.environ, "APP_ID": "4242", "PRIVATE_KEY": key, "WEBHOOK_SECRET": SECRET,
           "GITHUB_API_URL": github.url, "ARXIV_API_URL": arxiv.url, "ARXIV_MIN_INTERVAL": "0",
           "PORT": str(port), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", env=env, cwd="/tmp",
                                                  stderr=asyncio.subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(url + "/health") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
        began = time.perf_counter()
        # The generator runs in its own process, so that the fakes' work here cannot delay it.
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            latencies, statuses, sent_in = await loop.run_in_executor(
                pool, generate_load, url, payloads, seconds)
        health: dict = {}
        while True:
            async with session.get(url + "/health") as response:
                health = await response.json()
            if health["jobs_running"] + health["jobs_queued"] == 0:
                break
            await asyncio.sleep(0.5)
        drained_in = time.perf_counter() - began
    rss = peak_rss_mb(server.pid)
    server.terminate()
    await server.wait()

    lost = duplicated = 0
    for repo, ids in expected.items():
        pulls = github.pulls(repo, state="open")
        listed = [p["id"] for pull in pulls for p in decode_state(pull.body).get("papers", [])]
        readme = github.file(repo, "README.md", ADDITIONS_BRANCH) or ""
        lost += sum(1 for i in ids if i not in listed or i not in readme)
        duplicated += sum(max(0, readme.count(i) - 1) for i in ids) + max(0, len(pulls) - 1)
    await gh_runner.cleanup()
    await ax_runner.cleanup()

    print(f"deliveries sent              {deliveries} in {sent_in:.1f} s ({statuses})")
    print(f"GitHub latency per call      {latency * 1000:.0f} ms, {repositories} repositories, "
          f"{owners} installations")
    print(f"ack latency p50 / p99 / max  {percentile(latencies, .5) * 1000:.1f} / "
          f"{percentile(latencies, .99) * 1000:.1f} / {max(latencies) * 1000:.1f} ms "
          f"(mean {statistics.mean(latencies) * 1000:.1f})")
    print(f"jobs completed / failed      {health['jobs_completed']} / {health['jobs_failed']} "
          f"(all drained after {drained_in:.1f} s)")
    print(f"peak server RSS              {rss:.1f} MB")
    print(f"entries requested            {sum(len(v) for v in expected.values())}")
    print(f"entries lost / duplicated    {lost} / {duplicated}")
    return 0 if lost == duplicated == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--repositories", type=int, default=40)
    parser.add_argument("--installations", type=int, default=8)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.deliveries, args.seconds, args.latency, args.repositories,
                              args.installations)))
