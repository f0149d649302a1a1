"""Big lists: what `/add` costs on the largest real list and on synthetic lists up to 50,000 entries,
and whether that work blocks the event loop.

    .venv/bin/python benchmarks/big_lists.py [--sizes 5000,10000,20000,50000] [--repeat 3] [--skip-e2e]

1. CPU path, per list (median of --repeat, milliseconds): `parse_list`, `choose_section` the first
   time for a text (it builds the section model) and again (cached model), `insert_entries` (which
   renders the entry), and the whole handler path (`plan_additions` + `render_additions`, as
   handlers/add.py runs them) with a cold and a warm model. Lists: the largest Markdown file of
   ydyjya__Awesome-LLM-Safety (tests/fixtures/lists/.../subtopic), all its subtopic files
   concatenated (about 5,000 entries), and synthetic lists built from its real titles.
2. Loop lag in the handler: the bot (create_app, in this process) handles one real `/add` delivery
   against the fake GitHub and fake arXiv (in a child process, so their work does not count), while
   a task sleeping 5 ms in a loop records how late it wakes. Every synchronous call that could block
   is timed, marked [loop] when it ran on the event loop's thread and [thread] when in a worker
   thread (which holds the loop up only through the GIL), and each wake-up later than 20 ms is
   matched to the longest call running then.
3. The same handler CPU path run on the CPU worker thread (`bot.jobs.cpu.run_cpu`): the loop lag it leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from common import PYTHON, ROOT, loop_lag_probe, print_table, rsa_private_key_pem

from bot.config import Config
from bot.curation.sections import choose_section, forget_models
from bot.jobs.additions import AddRequest, plan_additions, render_additions
from bot.jobs.cpu import run_cpu
from bot.lists import write_guard
from bot.lists.document import insert_entries, parse_list
from bot.papers.references import ArxivRef, Paper
from tests.lists_data import records

LISTS = ROOT / "tests" / "fixtures" / "lists"
THIS_FILE = Path(__file__).resolve()
SUBTOPICS = LISTS / "ydyjya__Awesome-LLM-Safety" / "subtopic"
LAG_LIMIT = 0.020  # seconds the loop may be held up
NEW_PAPER = Paper("2511.04321", 1, "Jailbreaking Aligned Language Models through Reasoning Chain Hijacking",
                  ("Ada Lovelace", "Alan Turing"),
                  "We show that jailbreak prompts hijack the reasoning chain of aligned language models.",
                  date(2025, 11, 6), date(2025, 11, 6))


def real_lists() -> dict[str, str]:
    files = sorted(SUBTOPICS.glob("*.md"))
    largest = max(files, key=lambda p: p.stat().st_size)
    return {f"real: {largest.name}": largest.read_text(encoding="utf-8"),
            f"real: {len(files)} subtopic files joined": "\n".join(p.read_text(encoding="utf-8")
                                                                    for p in files)}


def synthetic_list(entries: int, seed: int = 7) -> str:
    """`entries` bullet entries in 25 topic sections, titles recombined from the real list's titles."""
    rng = random.Random(seed)
    words = sorted({w for r in records("ydyjya__Awesome-LLM-Safety") for w in r["title"].split()
                    if w.isalpha() and len(w) > 3})
    topics = [" ".join(rng.sample(words, 2)).title() for _ in range(25)]
    lines = ["# Awesome Synthetic Papers", "", f"A generated list of {entries:,} papers.", ""]
    per_section = -(-entries // len(topics))
    number = 0
    for topic in topics:
        lines += [f"## {topic}", ""]
        for _ in range(min(per_section, entries - number)):
            number += 1
            year, month = 2018 + number % 8, 1 + number % 12
            title = " ".join([*topic.split(), *rng.sample(words, 6)])
            lines.append(f"- **{title}** [[paper]](https://arxiv.org/abs/{year % 100:02d}{month:02d}."
                         f"{number:05d}) - *arXiv {year}*")
        lines.append("")
    return "\n".join(lines)


def timed(function: Callable[[], object], repeat: int, before: Callable[[], None] = lambda: None) -> float:
    """Median milliseconds over `repeat` calls."""
    samples = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        function()
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples)


def forget_everything() -> None:
    """Cold: the bot has not seen this text (no parsed document, no section model)."""
    parse_list.cache_clear()
    forget_models()


def handler_path(text: str) -> str:
    """What handlers/add.py runs for one `/add` between its GitHub reads and writes. The write
    guard's memory of the last edit is cleared first: each run is a new `/add`, not a repeat."""
    write_guard._LAST_EDIT.clear()
    doc = parse_list(text)
    ref = ArxivRef(NEW_PAPER.arxiv_id)
    doc.find_paper(ref.arxiv_id)
    added, _ = plan_additions(doc, [AddRequest(ref.arxiv_id, ref)], {ref: NEW_PAPER}, [], config=Config(),
                              requested_by="octocat", issue=1)
    return render_additions(text, added, {NEW_PAPER.arxiv_id: NEW_PAPER}, Config())


def cpu_table(lists: dict[str, str], repeat: int) -> None:
    rows = []
    per_thousand = []
    for name, text in lists.items():
        doc = parse_list(text)
        entries = sum(1 for s in doc.sections for e in s.entries if e.is_paper)
        parse = timed(lambda t=text: parse_list.__wrapped__(t), repeat)  # not the cached documents
        cold = timed(lambda d=doc: choose_section(d, NEW_PAPER.title, NEW_PAPER.abstract), 1, forget_models)
        warm = timed(lambda d=doc: choose_section(d, NEW_PAPER.title, NEW_PAPER.abstract), repeat)
        section = choose_section(doc, NEW_PAPER.title, NEW_PAPER.abstract).section
        insert = timed(lambda d=doc, s=section: insert_entries(d, [(s, NEW_PAPER)]), repeat)
        path_cold = timed(lambda t=text: handler_path(t), 1, forget_everything)
        path_warm = timed(lambda t=text: handler_path(t), repeat)
        if NEW_PAPER.arxiv_id not in handler_path(text):
            raise AssertionError(f"{name}: the paper was not inserted")
        rows.append((name, f"{len(text) / 1e6:.2f} MB", f"{entries:,}", parse, cold, warm, insert,
                     path_cold, path_warm))
        if name.startswith("synthetic"):
            per_thousand.append((entries, path_warm / entries * 1000, cold / entries * 1000))
        print(f"  measured {name}", file=sys.stderr, flush=True)
    print_table(("list", "size", "papers", "parse", "choose (cold)", "choose (warm)", "insert",
                 "/add path (cold)", "/add path (warm)"), rows)
    print("(milliseconds; cold: the bot has not seen this text, so it parses it and builds its section model;"
          " warm: the same base text again, as for every /add until the default branch changes)")
    if per_thousand:
        print("\ngrowth: milliseconds per 1,000 entries (constant = linear)")
        print_table(("papers", "/add path (warm)", "choose (cold)"),
                    [(f"{n:,}", warm, cold) for n, warm, cold in per_thousand])


# -- loop lag while the real handler runs --------------------------------------------------------

BLOCKING_CALLS = {  # module: names of synchronous functions the /add job calls (those present are timed)
    "handlers.add": ("parse_list", "section_model", "plan_additions", "parse_config", "render_reply",
                     "build_requests"),
    "bot.jobs.additions_pr": ("render_additions", "remove_entry"),
    "bot.jobs.additions": ("choose_section", "insert_entries", "parse_list"),
    "gidgethub.sansio": ("decipher_response",),
    "bot.github.client": ("base64",),
}


def time_calls(spans: list[tuple[str, float, float]]) -> list[str]:
    """Wrap the synchronous calls the job makes so that each call's span is recorded."""
    import importlib
    import types

    wrapped = []
    for module_name, names in BLOCKING_CALLS.items():
        module = importlib.import_module(module_name)
        for name in names:
            original = getattr(module, name, None)
            if isinstance(original, types.ModuleType):  # base64 in bot.github.client: time its codecs
                setattr(module, name, types.SimpleNamespace(
                    b64decode=_timer(original.b64decode, f"{module_name}: base64.b64decode", spans),
                    b64encode=_timer(original.b64encode, f"{module_name}: base64.b64encode", spans)))
            elif callable(original):
                setattr(module, name, _timer(original, f"{module_name}.{name}", spans))
            else:
                continue
            wrapped.append(f"{module_name}.{name}")
    return wrapped


def _timer(original: Callable, name: str, spans: list[tuple[str, float, float]]) -> Callable:
    def timed_call(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            where = "loop" if threading.current_thread() is threading.main_thread() else "thread"
            spans.append((f"{name} [{where}]", start, time.perf_counter()))

    return timed_call


async def e2e_lag(lists: dict[str, str]) -> None:
    from aiohttp import ClientSession, web

    from bot.settings import Settings
    from bot.web.app import create_app, jobs_of, settle_for_serving

    spans: list[tuple[str, float, float]] = []
    wrapped = time_calls(spans)
    key = rsa_private_key_pem()
    child = await asyncio.create_subprocess_exec(
        str(PYTHON), str(THIS_FILE), "--serve-fakes",
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    child.stdin.write(json.dumps({"key": key}).encode() + b"\n")
    urls = json.loads(await child.stdout.readline())
    settings = Settings(app_id="424242", private_key=key, webhook_secret=urls["secret"],
                        github_api_url=urls["github"], arxiv_api_url=urls["arxiv"], arxiv_min_interval=0)
    app = create_app(settings)
    settle_for_serving()  # as `python -m bot` does before serving
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    bot_url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/api/github/webhooks"
    rows, spikes = [], []
    async with ClientSession() as session:
        for index, (name, text) in enumerate(lists.items()):
            forget_everything()
            spans.clear()
            child.stdin.write(json.dumps({"repo": f"bench/list-{index}", "text": text}).encode() + b"\n")
            delivery = json.loads(await child.stdout.readline())
            async with loop_lag_probe(0.005) as lag:
                started = time.perf_counter()
                async with session.post(bot_url, data=delivery["body"].encode(),
                                        headers=delivery["headers"]) as response:
                    status = response.status
                await jobs_of(app).drain(600)
                elapsed = time.perf_counter() - started
            child.stdin.write(json.dumps({"check": f"bench/list-{index}"}).encode() + b"\n")
            check = json.loads(await child.stdout.readline())
            longest = max(spans, key=lambda s: s[2] - s[1], default=("-", 0.0, 0.0))
            rows.append((name, status, f"{elapsed:.2f} s", 1000 * lag.worst, len(lag.over(LAG_LIMIT)),
                         1000 * lag.worst_collection,
                         f"{longest[0]} {1000 * (longest[2] - longest[1]):.0f} ms", check["result"]))
            for woke, late in lag.over(LAG_LIMIT):
                held = [s for s in spans if s[1] <= woke and s[2] >= woke - late - 0.005]
                culprit = max(held, key=lambda s: s[2] - s[1], default=("(not a timed call)", 0, 0))
                spikes.append((name, 1000 * late, culprit[0], 1000 * lag.collection_during(woke, late)))
    await runner.cleanup()
    child.stdin.close()
    await child.wait()
    print(f"timed calls: {', '.join(wrapped)}")
    print_table(("list", "ack", "job took", "worst lag (ms)", f"lags > {LAG_LIMIT * 1000:.0f} ms",
                 "longest GC (ms)", "longest synchronous call", "result on the branch"), rows)
    if spikes:
        print(f"\nwake-ups later than {LAG_LIMIT * 1000:.0f} ms, the call running then, and any garbage"
              " collection in that time")
        print_table(("list", "late (ms)", "call", "GC (ms)"), sorted(spikes, key=lambda s: -s[1])[:15])


async def threaded_lag(lists: dict[str, str]) -> None:
    from bot.web.app import settle_for_serving

    settle_for_serving()  # as `python -m bot` does before serving
    async with loop_lag_probe(0.005) as idle:
        await asyncio.sleep(3)
    rows: list[tuple[object, ...]] = [("(nothing running: the machine's own noise)", "3.00 s",
                                       1000 * idle.worst, len(idle.over(LAG_LIMIT)), 1000 * idle.worst_collection)]
    for name, text in lists.items():
        forget_everything()
        async with loop_lag_probe(0.005) as lag:
            started = time.perf_counter()
            await run_cpu(handler_path, text)
            elapsed = time.perf_counter() - started
        rows.append((name, f"{elapsed:.2f} s", 1000 * lag.worst, len(lag.over(LAG_LIMIT)),
                     1000 * lag.worst_collection))
    print_table(("list", "cold /add path in a thread", "worst lag (ms)", f"lags > {LAG_LIMIT * 1000:.0f} ms",
                 "longest GC (ms)"), rows)


async def serve_fakes() -> None:
    """The child side of part 2: the fakes, driven by JSON lines on stdin, answering on stdout."""
    from common import BENCH_SECRET, start_fakes

    from bot.jobs.replies import ADDITIONS_BRANCH
    from tests.fakes.webhooks import issue_comment_event, signed_webhook

    async def read() -> dict | None:
        line = await asyncio.to_thread(sys.stdin.readline)
        return json.loads(line) if line.strip() else None

    def answer(value: dict) -> None:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    fakes = await start_fakes((await read())["key"])
    github, arxiv = fakes.github, fakes.arxiv
    paper = NEW_PAPER
    arxiv.add_paper(paper.arxiv_id, paper.title, paper.abstract, list(paper.authors), paper.published,
                    ["cs.CL"])
    answer({"github": github.url, "arxiv": arxiv.url, "secret": BENCH_SECRET})
    while (command := await read()) is not None:
        if "text" in command:
            repo = command["repo"]
            github.add_repo(repo, {"README.md": command["text"]}, collaborators={"octocat": "write"})
            issue = github.add_issue(repo, "Please add")
            comment = github.add_comment(repo, issue, f"/add arXiv:{paper.arxiv_id}", user="octocat")
            payload = issue_comment_event(github, repo, issue, comment)
            headers, body = signed_webhook(BENCH_SECRET, "issue_comment", payload)
            answer({"headers": headers, "body": body.decode()})
        else:
            base = github.file(command["check"], "README.md") or ""
            branch = github.file(command["check"], "README.md", ADDITIONS_BRANCH)
            replies = [c.body for c in github.comments(command["check"], 1) if c.user == github.bot_login]
            if branch is None:
                outcome = replies[0].split(paper.arxiv_id, 1)[-1].split("|")[1:2] if replies else []
                result = "no branch; reply: " + (" ".join(outcome[0].split())[:90] if outcome else "none")
            elif paper.arxiv_id in branch and len(branch) > len(base):
                result = f"added ({len(base):,} -> {len(branch):,} chars)"
            else:
                result = f"WRONG: the branch's list has {len(branch):,} chars (base {len(base):,})"
            answer({"result": result})
    await fakes.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5000,10000,20000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parts", default="1,2,3", help="which parts to run")
    parser.add_argument("--serve-fakes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fakes:
        asyncio.run(serve_fakes())
        return 0
    lists = real_lists()
    synthetic = {f"synthetic: {int(n):,} entries": synthetic_list(int(n)) for n in args.sizes.split(",")}
    parts = set(args.parts.split(","))
    if "1" in parts:
        print("1. CPU path (ms)")
        cpu_table({**lists, **synthetic}, args.repeat)
    lag_lists = {**lists, **dict(list(synthetic.items())[:1])}
    if "2" in parts:
        print("\n2. loop lag while the bot handles one /add (fakes in a child process)")
        asyncio.run(e2e_lag(lag_lists))
    if "3" in parts:
        print("\n3. loop lag with the /add path on the CPU worker thread (cold model)")
        asyncio.run(threaded_lag(lag_lists))
    return 0


if __name__ == "__main__":
    sys.exit(main())
