"""Memory: the server's RSS at idle and after 250, 500, 750 and 1,000 `/add` jobs.

    .venv/bin/python benchmarks/memory.py [--jobs 1000] [--repos 20] [--merge-every 10] [--in-flight 4]

`python -m bot` runs as its own process (production settings, LOG_LEVEL INFO, ARXIV_MIN_INTERVAL=0)
against the test suite's fake GitHub and fake arXiv, which run in this process. The repositories
hold real lists (tests/fixtures/lists, four small ones, reused); each job is a real comment
`/add arXiv:<id>` of a distinct paper the fake arXiv knows, delivered signed. Every
`--merge-every` jobs of a repository a maintainer merges its rolling pull request, so base lists
change, models are rebuilt and new pull requests opened, as in real use. At each checkpoint the
script waits until the server has finished every job, then reads VmRSS from /proc; it also samples
RSS every 0.5 s for the peak. At the end every requested paper must be in its repository (merged
or pending in the open pull request), and no job may have failed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from common import (
    BENCH_SECRET,
    PYTHON,
    bot_environment,
    free_port,
    print_table,
    rsa_private_key_pem,
    rss_mb,
    start_fakes,
)

from bot.jobs.replies import ADDITIONS_BRANCH
from tests.fakes.webhooks import issue_comment_event, signed_webhook
from tests.lists_data import LISTS_DIR, records

LIST_FILES = ("ThuCCSLab__Awesome-LM-SSP.md", "isXinLiu__Awesome-MLLM-Safety.md",
              "hijkzzz__Awesome-LLM-Strawberry.md", "wonderNefelibata__Awesome-LRM-Safety.md")
TARGET_MB = 120
READERS = 10  # distinct commenters per repository
# What-if variants: (extra environment, code run before the server starts) to measure a fix first.
_PARSE_CACHE = ("import functools, bot.lists.document as l, bot.jobs.additions, bot.cli.local, handlers.add, handlers.update\n"
                "parse = {}(l.parse_list.__wrapped__)\n"
                "for m in (l, bot.jobs.additions, bot.cli.local, handlers.add, handlers.update):\n    m.parse_list = parse")
# Where the memory goes: snapshots every 15 s in the server (compare two with `tracemalloc`'s compare_to).
_SNAPSHOTS = ("import tempfile, threading, time, tracemalloc\ntracemalloc.start()\n"
              "def snapshots():\n    for i in range(1, 1000):\n        time.sleep(15)\n"
              "        tracemalloc.take_snapshot().dump(f'{tempfile.gettempdir()}/paperbot-memory-{i:03d}.snap')\n"
              "threading.Thread(target=snapshots, daemon=True).start()")
VARIANTS = {
    "production": ({}, ""),
    "tracemalloc": ({}, _SNAPSHOTS),
    "arena2": ({"MALLOC_ARENA_MAX": "2"}, ""),
    "no-parse-cache": ({}, _PARSE_CACHE.format("")),  # every job parses its texts again
    "parse-cache-2": ({}, _PARSE_CACHE.format("functools.lru_cache(maxsize=2)")),
}
LOG = Path(tempfile.gettempdir()) / "paperbot-bench-memory.log"


def seed(fakes, jobs: int, repos: int) -> tuple[list[tuple[str, int]], list[str]]:
    """Repositories with one issue each, and `jobs` distinct papers in the fake arXiv."""
    github, arxiv = fakes.github, fakes.arxiv
    targets = []
    for index in range(repos):
        name = f"bench-org/list-{index:02d}"
        text = (LISTS_DIR / LIST_FILES[index % len(LIST_FILES)]).read_text(encoding="utf-8")
        github.add_repo(name, {"README.md": text}, collaborators={"octocat": "write", "maintainer": "admin"})
        targets.append((name, github.add_issue(name, "Papers to add")))
    rng = random.Random(11)
    titles = [r["title"] for r in records("ydyjya__Awesome-LLM-Safety")]
    ids = []
    for number in range(jobs):
        arxiv_id = f"25{1 + number % 12:02d}.{30000 + number:05d}"
        title = f"{rng.choice(titles)} ({number})"
        arxiv.add_paper(arxiv_id, title, f"We study {title.lower()}.", ["Ada Lovelace", "Alan Turing"],
                        f"2025-{1 + number % 12:02d}-15", ["cs.CL"])
        ids.append(arxiv_id)
    return targets, ids


async def health(session, url: str) -> dict:
    async with session.get(f"{url}/health") as response:
        return await response.json()


async def settle(session, url: str, expected: int) -> dict:
    while True:
        state = await health(session, url)
        if state["jobs_completed"] + state["jobs_failed"] >= expected and state["jobs_running"] + state["jobs_queued"] == 0:
            return state
        await asyncio.sleep(0.1)


async def run(args: argparse.Namespace, log) -> int:
    import aiohttp

    key = rsa_private_key_pem()
    fakes = await start_fakes(key)
    targets, ids = seed(fakes, args.jobs, args.repos)
    port = free_port()
    extra_env, patch = VARIANTS[args.variant]
    env = bot_environment(port, fakes.github.url, fakes.arxiv.url, key, ARXIV_MIN_INTERVAL="0", **extra_env)
    command = ["-m", "bot"] if not patch else ["-c", f"{patch}\nimport sys\nfrom bot.cli.main import main\n"
                                                     "sys.exit(main())"]
    server = await asyncio.create_subprocess_exec(str(PYTHON), *command, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    peak = [0.0]

    async def sample() -> None:
        while True:
            peak[0] = max(peak[0], rss_mb(server.pid))
            await asyncio.sleep(0.5)

    rows = []
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                await health(session, url)
                break
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
        await asyncio.sleep(1)
        rows.append((0, f"{rss_mb(server.pid):.1f}", "-", "0.0 s"))
        sampler = asyncio.create_task(sample())
        slots = asyncio.Semaphore(args.in_flight)
        done_per_repo = [0] * len(targets)

        async def deliver(job: int) -> None:
            repo_index = job % len(targets)
            repo, issue = targets[repo_index]
            # Many people comment, as on a real list (one person is held to 30 commands an hour).
            author = f"reader{job // len(targets) % READERS}"
            comment = fakes.github.add_comment(repo, issue, f"/add arXiv:{ids[job]}", user=author)
            headers, body = signed_webhook(BENCH_SECRET, "issue_comment",
                                           issue_comment_event(fakes.github, repo, issue, comment))
            hook = f"{url}/api/github/webhooks"
            async with slots, session.post(hook, data=body, headers=headers) as answer:
                if answer.status != 202:
                    raise RuntimeError(f"delivery {job}: HTTP {answer.status}")

        sent = 0
        for checkpoint in range(args.step, args.jobs + 1, args.step):
            while sent < checkpoint:
                batch = range(sent, min(checkpoint, sent + len(targets)))  # one job per repository
                await asyncio.gather(*(deliver(job) for job in batch))
                sent = batch[-1] + 1
                await settle(session, url, sent)
                for job in batch:
                    repo_index = job % len(targets)
                    done_per_repo[repo_index] += 1
                    if done_per_repo[repo_index] % args.merge_every == 0:
                        merge_rolling_pull(fakes.github, targets[repo_index][0])
            state = await settle(session, url, sent)
            rows.append((sent, f"{rss_mb(server.pid):.1f}", state["jobs_failed"],
                         f"{time.perf_counter() - started:.1f} s"))
            print(f"  {sent} jobs: {rows[-1][1]} MB", file=sys.stderr, flush=True)
        sampler.cancel()
    server.terminate()
    await server.wait()
    missing = missing_papers(fakes.github, targets, ids[: args.jobs])
    await fakes.close()
    print(f"{args.variant}: server RSS (MiB) after N /add jobs; {args.repos} repositories, rolling pull requests merged "
          f"every {args.merge_every} jobs of a repository")
    print_table(("jobs", "RSS (MiB)", "failed", "elapsed"), rows)
    growth = float(rows[-1][1]) - float(rows[1][1])
    print(f"\npeak RSS {peak[0]:.1f} MiB (target <= {TARGET_MB}); growth from {rows[1][0]} to "
          f"{rows[-1][0]} jobs: {growth:+.1f} MiB; papers missing from their repository: {len(missing)}")
    if missing:
        print("missing: " + ", ".join(missing[:10]))
    return 1 if missing or any(row[2] not in ("-", 0) for row in rows) else 0


def merge_rolling_pull(github, repo: str) -> None:
    for pull in github.pulls(repo, state="open"):
        if pull.pull.head_ref == ADDITIONS_BRANCH:
            github.merge_pull(repo, pull.number)


def missing_papers(github, targets: list[tuple[str, int]], ids: list[str]) -> list[str]:
    texts = []
    for repo, _ in targets:
        texts.append(github.file(repo, "README.md") or "")
        texts.append(github.file(repo, "README.md", ADDITIONS_BRANCH) or "")
    everything = "\n".join(texts)
    return [arxiv_id for arxiv_id in ids if arxiv_id not in everything]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--step", type=int, default=250)
    parser.add_argument("--repos", type=int, default=20)
    parser.add_argument("--merge-every", type=int, default=10)
    parser.add_argument("--in-flight", type=int, default=4)
    parser.add_argument("--variant", default="production", choices=VARIANTS)
    args = parser.parse_args()
    with LOG.open("wb") as log:
        return asyncio.run(run(args, log))


if __name__ == "__main__":
    sys.exit(main())
