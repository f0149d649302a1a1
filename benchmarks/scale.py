"""The scheduled update at scale: 1, 10, 100 and 1,000 installations on the fake GitHub and fake arXiv.

    .venv/bin/python benchmarks/scale.py [--installations 1,10,100,1000] [--queries 5]
        [--github-latency 0] [--arxiv-interval 0] [--redis]

The real app (`create_app`, the same `run_scheduled` the CLI and the server's loop call) runs in
this process against the fakes over HTTP. Each installation holds one list; the lists share a
handful of configurations (`--queries` distinct arXiv queries, each written several ways: terms
in another order or case), and their tables end on different days, so each list has its own
window. Per number of installations, four cycles:

- `first`: every list is new to the bot and arXiv has papers for each: each list gets a pull request.
- `nothing new`: the same process again, forced (`--force` skips only the due-time gate), with
  nothing new on arXiv: the server's periodic loop from its second cycle on.
- `new process`: the same, in a fresh context (no tokens, no kept repository lists): a
  `python -m bot update --force` run from cron, in-memory store.
- `new process, kept store`: a fresh context with the store of the earlier ones, as a shared
  store (Redis) would give a new process.

Columns: arXiv searches in the cycle; GitHub requests per installation (the app-level listing of
installations, one per 100, is shown apart); writes (every non-GET REST call and GraphQL mutation,
token requests excepted); wall time. The arXiv gate interval is lowered to `--arxiv-interval`
(production: 3 s, so add 3 s per search to the wall time) and writes wait at most 10 ms of jitter
(production: 2 s), so the wall time is the bot's and the fakes' own work.

`--redis`: the context is built as a worker process with REDIS_URL builds it (`open_redis`, then
`open_context(settings, redis)`: locks, arXiv gate and caches on Redis), on a throwaway
`redis-server` per number of installations (free port, nothing saved). Cycles: `first`, `nothing
new` (the same worker), `new process` (a new connection and context on the same Redis: the store is
shared, so there is no separate kept-store row). Extra columns: Redis `used_memory` (INFO memory)
before and after the cycle, and the keys after it (DBSIZE).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import BENCH_APP_ID, AppClients, print_table, rsa_private_key_pem, start_fakes, throwaway_redis
from redis.asyncio import Redis

from bot.jobs.scheduler import run_scheduled
from bot.redis_conn import open_redis
from bot.web.app import context_of, open_context
from handlers import router
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.github import FakeGitHub
from tests.fakes.github_graphql import full_schema
from tests.harness import bot_settings, make_harness

TOPICS = [  # (include terms written three ways, categories, a word for paper titles)
    (['jailbreak, "LLM safety"', '"llm safety", Jailbreak', 'JAILBREAK, "LLM  Safety"'], "cs.CL, cs.CR", "jailbreak"),
    (['"reasoning model", "chain of thought"', '"Chain of Thought", "reasoning model"'], "cs.CL, cs.AI", "chain of thought"),
    (["watermark, provenance", "Provenance, watermark"], "cs.CR", "watermark"),
    (['"red teaming"', '"Red Teaming"'], "cs.CL, cs.CR", "red teaming"),
    (["unlearning", "Unlearning"], "cs.LG", "unlearning"),
    (['"reward hacking"'], "cs.LG, cs.AI", "reward hacking"),
    (['"membership inference"'], "cs.CR, cs.LG", "membership inference"),
    (['"prompt injection"'], "cs.CR", "prompt injection"),
]
LIST = """# Awesome {word} papers

## Latest arXiv Papers
<!-- LATEST_PAPERS_START -->
<!-- paperbot:latest newest=2026-11-{day:02d} -->

| Date | Title | Authors | Abstract Summary |
|---|---|---|---|
| 2026-11-{day:02d} | [Old study](http://arxiv.org/abs/2611.00001v1) | A. One | Old. |

<!-- LATEST_PAPERS_END -->
"""
CONFIG = "latest:\n  include: [{terms}]\n  categories: [{categories}]\n  max_papers: 10\n"  # above the 6 papers each query finds: a second cycle really has nothing new


def seed(github: FakeGitHub, arxiv: FakeArxiv, installations: int, queries: int) -> None:
    topics = TOPICS[:queries]
    for n, (_spellings, categories, word) in enumerate(topics):
        for day in range(10, 28, 3):
            arxiv.add_paper(f"2611.{n:02d}{day:03d}", f"A study of {word} in large language models, {day}",
                            f"We study {word} in large language models. It matters.", ["Ada Lovelace"],
                            f"2026-11-{day:02d}", [c.strip() for c in categories.split(",")])
    for n in range(installations):
        spellings, categories, word = topics[n % len(topics)]
        installation = github.add_installation(account=f"org{n:04d}")
        files = {"README.md": LIST.format(word=word, day=12 + n % 7 * 2),
                 ".github/paperbot.yml": CONFIG.format(terms=spellings[n // len(topics) % len(spellings)],
                                                       categories=categories)}
        github.add_repo(f"org{n:04d}/awesome-list", files, installation_id=installation.id)


async def one_cycle(ctx, github: FakeGitHub, arxiv: FakeArxiv, installations: int, label: str) -> list[object]:
    calls, searches = len(github.call_log), len(arxiv.call_log)
    writes = len(github.mutating_calls())
    keywords = {"force": True}
    if "jitter" in inspect.signature(run_scheduled).parameters:
        keywords["jitter"] = 0.01
    began = time.perf_counter()
    runs = await run_scheduled(ctx, router, **keywords)
    wall = time.perf_counter() - began
    failed = [run for run in runs if not run.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} repositories failed, e.g. {failed[0]}")
    made = github.call_log[calls:]
    app_level = [c for c in made if c.path == "/app/installations"]
    tokens = [c for c in made if c.path.endswith("/access_tokens")]
    new_writes = len([c for c in github.mutating_calls()[writes:] if not c.path.endswith("/access_tokens")])
    per = (len(made) - len(app_level)) / installations
    return [installations, label, len(arxiv.call_log) - searches, f"{per:.2f}",
            f"{len(tokens) / installations:.2f}", len(app_level), new_writes, f"{wall:.1f}"]


async def measure(installations: int, queries: int, github_latency: float, arxiv_interval: float,
                  key: str) -> list[list[object]]:
    fakes = await start_fakes(key)
    github, arxiv = fakes.github, fakes.arxiv
    seed(github, arxiv, installations, queries)
    aiohttp_client = AppClients()

    harness = await make_harness(aiohttp_client, github, arxiv, key, int(BENCH_APP_ID),
                                 arxiv_min_interval=arxiv_interval)
    github.delay = github_latency
    ctx = context_of(harness.client.app)
    rows = [await one_cycle(ctx, github, arxiv, installations, "first"),
            await one_cycle(ctx, github, arxiv, installations, "nothing new")]
    settings = ctx.settings
    async with open_context(settings) as fresh:
        rows.append(await one_cycle(fresh, github, arxiv, installations, "new process"))
    if hasattr(ctx, "cache"):
        async with open_context(settings) as fresh:
            rows.append(await one_cycle(replace(fresh, cache=ctx.cache), github, arxiv, installations,
                                        "new process, kept store"))
    await aiohttp_client.close()
    await fakes.close()
    return rows


async def redis_figures(redis: Redis) -> tuple[int, int]:
    """Redis's `used_memory` (bytes) and its number of keys."""
    info = await redis.info("memory")
    return int(info["used_memory"]), int(await redis.dbsize())


async def measure_redis(installations: int, queries: int, github_latency: float, arxiv_interval: float,
                        key: str, redis_url: str) -> list[list[object]]:
    """The cycles as a worker with REDIS_URL runs them (bot.cli.worker: `open_redis`, then
    `open_context(settings, redis)`), with Redis's memory before and after each."""
    fakes = await start_fakes(key)
    github, arxiv = fakes.github, fakes.arxiv
    seed(github, arxiv, installations, queries)
    github.delay = github_latency
    settings = bot_settings(github, arxiv, key, int(BENCH_APP_ID), arxiv_min_interval=arxiv_interval,
                            redis_url=redis_url)
    probe = Redis.from_url(redis_url)  # a connection of its own, so the bot's pool is left as it is

    async def cycle(ctx, label: str) -> list[object]:
        memory_before, _ = await redis_figures(probe)
        row = await one_cycle(ctx, github, arxiv, installations, label)
        memory_after, keys = await redis_figures(probe)
        return [*row, f"{memory_before / 1024:.0f}", f"{memory_after / 1024:.0f}", keys]

    rows: list[list[object]] = []
    for labels in (("first", "nothing new"), ("new process",)):
        redis = await open_redis(redis_url)  # one process's pool, as the worker opens it
        try:
            async with open_context(settings, redis) as ctx:
                for label in labels:
                    rows.append(await cycle(ctx, label))
        finally:
            await redis.aclose()
    await probe.aclose()
    await fakes.close()
    return rows


async def main(args: argparse.Namespace) -> None:
    key = rsa_private_key_pem()
    full_schema()  # the fake's one-off load of GitHub's GraphQL schema is not the bot's time
    queries = min(args.queries, len(TOPICS))
    rows: list[list[object]] = []
    for count in args.installations:
        if args.redis:
            with throwaway_redis() as url:
                rows += await measure_redis(count, queries, args.github_latency, args.arxiv_interval, key, url)
        else:
            rows += await measure(count, queries, args.github_latency, args.arxiv_interval, key)
        print(f"  {count} installation(s) done", file=sys.stderr, flush=True)
    print(f"{queries} distinct queries among the installations; arXiv gate {args.arxiv_interval:g} s "
          f"(production 3 s); GitHub latency {args.github_latency * 1000:.0f} ms"
          + ("; context on Redis (a fresh redis-server per number of installations)" if args.redis else ""))
    headers = ["installations", "cycle", "arXiv searches", "GitHub req/installation", "of which tokens",
               "/app/installations", "writes", "wall s"]
    if args.redis:
        headers += ["Redis KiB before", "Redis KiB after", "keys after"]
    print_table(headers, rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--installations", type=lambda text: [int(n) for n in text.split(",")],
                        default=[1, 10, 100, 1000])
    parser.add_argument("--queries", type=int, default=5)
    parser.add_argument("--github-latency", type=float, default=0.0)
    parser.add_argument("--arxiv-interval", type=float, default=0.0)
    parser.add_argument("--redis", action="store_true",
                        help="build the context on a throwaway redis-server, as a worker with REDIS_URL does")
    asyncio.run(main(parser.parse_args()))
