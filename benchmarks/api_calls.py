"""GitHub API calls per command, the sequential chain, and time from webhook to pull request.

The real app (`create_app`) runs against the fake GitHub and fake arXiv in this process, each with
a fixed latency per call, so the chain of sequential calls shows in the timings:

    .venv/bin/python benchmarks/api_calls.py [--github-latency 0.15] [--arxiv-latency 1.0]

Scenarios: `/add` of one paper that opens the rolling PR, `/add` into the open PR, `/add` into the
open PR after the default branch moved (the branch is regenerated), a scheduled run that is not
due, and a scheduled run that is due but finds nothing new. Then the three `/add` scenarios again
on a list kept in 30 files (an index linking 4 group files, which link 25 topic files), and how
many more calls each costs than on the one-file list.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
from pathlib import Path

from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from common import AppClients

from bot.jobs.scheduler import run_scheduled
from bot.web.app import context_of
from handlers import router
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.github import FakeGitHub
from tests.fakes.github_graphql import full_schema
from tests.harness import BotHarness, make_harness

REPO = "octo-org/list"
LIST = """# A list

## Jailbreak attacks

- [Jailbroken](https://arxiv.org/abs/2307.02483)

## Latest
<!-- LATEST_PAPERS_START -->

| Date | Title | Authors | Abstract Summary |
|---|---|---|---|
| 2025-01-01 | [Old](http://arxiv.org/abs/2501.00009v1) | A | S. |

<!-- LATEST_PAPERS_END -->
"""
CONFIG = "latest:\n  include: [jailbreak]\n  every: 24h\n"
MULTI_REPO = "octo-org/multi"
GROUPS = ("Attacks", "Defenses", "Privacy", "Evaluation")


def multi_file_list() -> dict[str, str]:
    """30 files: README -> 4 group files -> 25 topic files, with counts beside the links."""
    files: dict[str, str] = {}
    index = ["# A list in many files", "", "## Papers"]
    for g, group in enumerate(GROUPS):
        group_path = f"papers/{group.lower()}.md"
        lines = [f"# {group}", ""]
        for t in range(7 if g else 4):
            topic = f"{group} topic {t}"
            path = f"{group.lower()}/topic{t}.md"
            entries = [f"- [2024/0{n + 1}] **[{topic} paper {n}](https://arxiv.org/abs/2401.{g}{t}{n:03d})**"
                       for n in range(3)]
            files[f"papers/{path}"] = "\n".join([f"# {topic}", *entries]) + "\n"
            lines.append(f"- [{topic}]({path}) (3)")
        files[group_path] = "\n".join(lines) + "\n"
        index.append(f"- [{group}]({group_path}) ({3 * (7 if g else 4)})")
    files["README.md"] = "\n".join(index) + "\n"
    assert len(files) == 30
    return files


def chain(calls, latency: float) -> int:
    """Sequential steps: calls answered within half a latency of each other ran side by side."""
    times = sorted(c.at for c in calls)
    steps = 1 if times else 0
    for before, after in itertools.pairwise(times):
        if after - before > latency / 2:
            steps += 1
    return steps


async def measure(harness: BotHarness, github: FakeGitHub, latency: float, label: str, action) -> list[str]:
    start = len(github.call_log)
    began = time.perf_counter()
    await action()
    elapsed = time.perf_counter() - began
    calls = github.call_log[start:]
    writes = [c for c in github.mutating_calls() if c in calls and "/access_tokens" not in c.path]
    tokens = [c for c in calls if "/access_tokens" in c.path]
    pr_at = next((c.at for c in calls if c.method == "POST" and c.path.endswith("/pulls")), None)
    return [label, str(len(calls) - len(tokens)), str(len(tokens)), str(chain(calls, latency)),
            str(len(writes)), str(chain(writes, latency)), f"{elapsed:.2f}",
            f"{pr_at - github_t0(began):.2f}" if pr_at else "-"]


def github_t0(perf_began: float) -> float:
    # The fake stamps calls with time.monotonic(); translate the start of the scenario.
    return time.monotonic() - (time.perf_counter() - perf_began)


async def main(github_latency: float, arxiv_latency: float) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    github, arxiv = FakeGitHub(app_id=4242, private_key_pem=key), FakeArxiv()
    gh_server, ax_server = TestServer(github.app), TestServer(arxiv.app)
    await gh_server.start_server()
    await ax_server.start_server()
    github.url = str(gh_server.make_url("")).rstrip("/")
    arxiv.url = str(ax_server.make_url("/api/query"))
    github.add_repo(REPO, {"README.md": LIST, ".github/paperbot.yml": CONFIG})
    for n, arxiv_id in enumerate(("2502.05206", "2502.05207", "2502.05208")):
        arxiv.add_paper(arxiv_id, f"Jailbreak attacks on reasoning models {n}", "A jailbreak study.",
                        ["A. Author"], "2025-02-07", ["cs.CL"])

    aiohttp_client = AppClients()

    harness = await make_harness(aiohttp_client, github, arxiv, key, 4242, arxiv_min_interval=0.0)
    issue = github.add_issue(REPO, "papers")
    await harness.comment(REPO, issue, "warm-up: no command, fetches the installation token")
    full_schema()  # the fake's one-off load of GitHub's GraphQL schema is not the bot's time
    github.delay, arxiv.delay = github_latency, arxiv_latency
    ctx = context_of(harness.client.app)

    rows = [
        await measure(harness, github, github_latency, "/add -> new rolling PR",
                      lambda: harness.comment(REPO, issue, "/add 2502.05206")),
        await measure(harness, github, github_latency, "/add -> existing PR",
                      lambda: harness.comment(REPO, issue, "/add 2502.05207")),
    ]
    github.push_to_default(REPO, {"CONTRIBUTING.md": "Be kind.\n"})
    rows.append(await measure(harness, github, github_latency, "/add -> existing PR, base moved",
                              lambda: harness.comment(REPO, issue, "/add 2502.05208")))
    await run_scheduled(ctx, router, only=REPO, force=True)  # the table is now fresh
    [pull] = [p for p in github.pulls(REPO, state="open") if "latest" in p.title]
    github.merge_pull(REPO, pull.number)
    rows.append(await measure(harness, github, github_latency, "scheduled run, not due",
                              lambda: run_scheduled(ctx, router, only=REPO)))
    rows.append(await measure(harness, github, github_latency, "scheduled run, nothing new",
                              lambda: run_scheduled(ctx, router, only=REPO, force=True)))
    github.add_repo(MULTI_REPO, multi_file_list())
    multi_issue = github.add_issue(MULTI_REPO, "papers")
    one_file = rows[:3]
    for label, arxiv_id, move in (("/add -> new rolling PR", "2502.05206", False),
                                  ("/add -> existing PR", "2502.05207", False),
                                  ("/add -> existing PR, base moved", "2502.05208", True)):
        if move:
            github.push_to_default(MULTI_REPO, {"CONTRIBUTING.md": "Be kind.\n"})
        rows.append(await measure(harness, github, github_latency, f"30 files: {label}",
                                  lambda arxiv_id=arxiv_id: harness.comment(
                                      MULTI_REPO, multi_issue, f"/add {arxiv_id} to Attacks topic 1")))
    more = [int(multi[1]) - int(one[1]) for one, multi in zip(one_file, rows[-3:], strict=True)]
    header = ["scenario", "API calls", "token calls", "sequential", "writes", "sequential writes",
              "wall s", "webhook->PR s"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"GitHub latency {github_latency * 1000:.0f} ms per call, arXiv latency {arxiv_latency:.1f} s")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print("(`sequential`: steps in the chain of GitHub calls; the token is cached between commands,"
          " the app-level listing of installations counts for scheduled runs)")
    print("30-file list vs one-file list, more API calls per /add: "
          + ", ".join(f"{label} {n:+d}" for label, n in zip(("new PR", "existing PR", "base moved"), more,
                                                              strict=True)))
    await aiohttp_client.close()
    await gh_server.close()
    await ax_server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--github-latency", type=float, default=0.15)
    parser.add_argument("--arxiv-latency", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(main(args.github_latency, args.arxiv_latency))
