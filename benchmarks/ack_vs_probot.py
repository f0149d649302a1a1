"""Webhook ack throughput and latency: paperbot (`python -m bot`) against a minimal Probot app.

    .venv/bin/python benchmarks/ack_vs_probot.py [--connections 50] [--duration 10] [--warmup 2]
        [--repeat 3] [--variants production,old-all] [--bodies plain,quoted] [--profile VARIANT]

Both servers get the same signed 13.5 kB `issue_comment` delivery (the recorded payload with a
multi-line review comment), each with a unique X-GitHub-Delivery, from the same load generator
(autocannon with a per-request delivery id, benchmarks/probot_app/loadgen.js). Each server is one
process pinned to CPU 1, the load generator to CPU 0; both run in their own session at a raised
priority (see common.boost), because on a shared machine other sessions' work otherwise decides the
figures. Production settings: LOG_LEVEL INFO, logs to a file, GitHub and arXiv URLs pointing at a
local counter that must see no request. Bodies: `plain` (review prose, no command) and `quoted`
(a quoted `/add` and one in a code block, which both apps must recognise as not commands; a real
command makes either app call GitHub, which is no longer the ack path). Per run: req/s, latency
percentiles over every request, and the server's CPU time per delivery (the figure that other
load on the machine barely moves). The servers report what they handled (paperbot: jobs completed
plus comments its ack found no command in, from /health), so an ack that skipped the work shows.
`--variants baseline --baseline CHECKOUT` runs the production server of another checkout of the
code (with this checkout's venv) in the same session, for before/after figures from one machine
state. `--variants` adds what-if runs of our server with one change patched in (see ack_profile._PATCHES;
`uvloop` must be importable, e.g. PYTHONPATH=/tmp/perfpkgs). The production variant runs without
PYTHONPATH: it gets only what pyproject.toml installs.

Probot is installed from npm into benchmarks/probot_app (`npm ci`) on first use.
`--profile VARIANT` records that server under load with py-spy (installed with
`.venv/bin/pip install --target /tmp/pyspy py-spy`) and prints where its main thread spent time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ack_profile import VARIANTS, print_profile
from common import (
    BENCH_APP_ID,
    BENCH_SECRET,
    ROOT,
    boost,
    bot_environment,
    cpu_seconds,
    free_port,
    pinned,
    print_table,
    rsa_private_key_pem,
    start_process,
    stop_process,
    wait_for_http,
)

from tests.fakes.webhooks import load_webhook, signed_webhook

PROBOT_DIR = ROOT / "benchmarks" / "probot_app"
WORK_DIR = Path(tempfile.gettempdir()) / "paperbot-bench-ack"
PAYLOAD_BYTES = 13_824  # 13.5 KiB: the recorded delivery with a longish review comment
SERVER_CPU, LOADGEN_CPU = 1, 0
PYSPY = Path(tempfile.gettempdir()) / "pyspy" / "bin" / "py-spy"
QUOTED_LINES = (
    "> /add arXiv:2502.05206",
    "that one is in now. For the record, the command was:",
    "```",
    "/add arXiv:2502.05206 to Jailbreak Attacks",
    "```",
)
REVIEW_LINES = (
    "thanks, looks good",
    "",
    "I read the new section against the other two lists and the entries line up with ours.",
    "The links resolve, the venue tags match, and the ordering by date is kept within each block.",
    "One small thing for later: a couple of older entries still use the abs/ link without https.",
    "> quoting the earlier review: please keep the table narrow enough for phones",
    "That is fine now, the table stays within the page on my phone.",
)
def review_body(size: int, quoted: bool) -> str:
    lines = list(REVIEW_LINES)
    if quoted:
        lines[2:2] = QUOTED_LINES
    text = "\n".join(lines)
    filler = 0
    while len(text) < size:
        filler += 1
        text += f"\nNote {filler}: checked the rendered page again after the last push; nothing else moved."
    return text[:size]


def build_payload(quoted: bool) -> bytes:
    """The recorded delivery for a user-owned repository, its comment padded to PAYLOAD_BYTES in all."""
    event = load_webhook("issue_comment.created.with-installation")
    event.pop("organization")  # the repository belongs to a user, so GitHub sends no organization
    event["comment"]["body"] = ""
    base = len(json.dumps(event, separators=(",", ":")).encode())
    room = PAYLOAD_BYTES - base  # bytes the comment may take once JSON-escaped
    text = review_body(room, quoted)
    while len(json.dumps(text)) - 2 > room:
        text = text[:-1]
    text += "." * (room - (len(json.dumps(text)) - 2))
    event["comment"]["body"] = text
    body = json.dumps(event, separators=(",", ":")).encode()
    if len(body) != PAYLOAD_BYTES:
        raise AssertionError(f"payload is {len(body)} bytes, expected {PAYLOAD_BYTES}")
    return body


class _CountingHandler(BaseHTTPRequestHandler):
    hits = 0

    def _answer(self) -> None:
        type(self).hits += 1
        self.send_response(503)
        self.end_headers()

    do_GET = do_POST = do_PATCH = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


def start_dummy_api() -> tuple[ThreadingHTTPServer, str]:
    """Stands in for GitHub and arXiv: counts requests (there must be none) and answers 503."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def ensure_probot() -> None:
    if not (PROBOT_DIR / "node_modules" / "probot").is_dir():
        print("installing probot and autocannon from npm (npm ci) ...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PROBOT_DIR, check=True)  # noqa: S607


@dataclass
class Run:
    server: str
    body: str
    rps: float
    p50: float
    p90: float
    p99: float
    ok: int  # 2xx answers in the measured window
    non2xx: int
    errors: int
    cpu: float  # CPU seconds the server used for the measured window's deliveries (work settled)
    handled: int  # deliveries its handlers saw, warm-up included
    acked: int  # 2xx answers, warm-up included

    @property
    def cpu_us(self) -> float:
        """CPU time per delivery: unlike req/s, barely moved by other load on the machine."""
        return 1e6 * self.cpu / max(self.ok, 1)


def load(url: str, body_file: Path, headers: dict[str, str], connections: int, seconds: float,
         prefix: str) -> dict:
    options = {"url": url, "bodyFile": str(body_file), "headers": headers, "connections": connections,
               "duration": seconds, "prefix": prefix}
    command = pinned(["node", "loadgen.js", json.dumps(options)], LOADGEN_CPU)
    generator = subprocess.Popen(command, cwd=PROBOT_DIR, stdout=subprocess.PIPE, text=True,  # noqa: S603
                                 start_new_session=True)
    boost(generator.pid)
    output, _ = generator.communicate()
    if generator.returncode:
        raise RuntimeError(f"the load generator failed with status {generator.returncode}")
    return json.loads(output.strip().splitlines()[-1])


def measure(server: str, body_name: str, process: subprocess.Popen, base: str, counts: Callable[[], int],
            body_file: Path, headers: dict[str, str], args: argparse.Namespace, prefix: str) -> Run:
    """Warm up, then load for --duration; CPU from the measured window's start until the work settled."""
    hook = f"{base}/api/github/webhooks"
    warm = load(hook, body_file, headers, args.connections, args.warmup, f"{prefix}-warm") if args.warmup else {}
    counts()
    before = cpu_seconds(process.pid)
    result = load(hook, body_file, headers, args.connections, args.duration, prefix)
    handled = counts()
    cpu = cpu_seconds(process.pid) - before
    return Run(server, body_name, result["rps"], result["p50"], result["p90"], result["p99"], result["ok"],
               result["non2xx"], result["errors"], cpu, handled, result["ok"] + warm.get("ok", 0))


def run_paperbot(variant: str, body_name: str, body_file: Path, headers: dict[str, str], key: str,
                 api_url: str, args: argparse.Namespace, prefix: str, profile: bool = False) -> Run:
    port = free_port()
    env = bot_environment(port, api_url, f"{api_url}/api/query", key)
    if variant in ("production", "baseline"):
        env.pop("PYTHONPATH", None)  # only the installed dependencies
    log_path = WORK_DIR / f"paperbot-{prefix}.log"
    command, cwd = VARIANTS.get(variant, VARIANTS["production"]), ROOT
    if variant == "baseline":  # the production server of another checkout, e.g. before a change
        cwd = args.baseline
    process = start_process(command, env, log_path, cpu=SERVER_CPU, cwd=cwd)
    base = f"http://127.0.0.1:{port}"
    profiler = None
    try:
        wait_for_http(f"{base}/health", process=process)
        if profile:
            profiler = subprocess.Popen(  # noqa: S603
                [str(PYSPY), "record", "--pid", str(process.pid), "--rate", "250", "--format", "raw",
                 "--output", str(WORK_DIR / "paperbot.pyspy.txt"), "--duration",
                 str(int(args.warmup + args.duration))], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run = measure(f"paperbot/{variant}", body_name, process, base, lambda: _settled_jobs(base),
                      body_file, headers, args, prefix)
    finally:
        stop_process(process)
        if profiler is not None:
            profiler.wait(60)
    return run


def _settled_jobs(base: str) -> int:
    """Deliveries handled once no job is running: jobs completed, plus the comments the ack itself
    found no command in (it starts no job for those). A failed job fails the benchmark."""
    deadline = time.monotonic() + 60
    while True:
        with urllib.request.urlopen(f"{base}/health", timeout=5) as response:  # noqa: S310
            health = json.load(response)
        if health["jobs_failed"]:
            raise RuntimeError(f"paperbot jobs failed: {health}")
        if health["jobs_running"] + health["jobs_queued"] == 0 or time.monotonic() > deadline:
            return int(health["jobs_completed"]) + int(health["deliveries"]["no_command"])
        time.sleep(0.1)


def run_probot(body_name: str, body_file: Path, headers: dict[str, str], key: str, api_url: str,
               args: argparse.Namespace, prefix: str) -> Run:
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOME": str(WORK_DIR), "APP_ID": BENCH_APP_ID,
           "PRIVATE_KEY": key, "WEBHOOK_SECRET": BENCH_SECRET, "PORT": str(port), "HOST": "127.0.0.1",
           "LOG_LEVEL": "info", "NODE_ENV": "production", "GHE_PROTOCOL": "http",
           "GHE_HOST": api_url.removeprefix("http://")}
    process = start_process([str(PROBOT_DIR / "node_modules" / ".bin" / "probot"), "run",
                             str(PROBOT_DIR / "index.js")], env, WORK_DIR / f"{prefix}.log", cpu=SERVER_CPU)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/ping", process=process)
        return measure("probot", body_name, process, base, lambda: _probot_handled(base), body_file,
                       headers, args, prefix)
    finally:
        stop_process(process)


def _probot_handled(base: str) -> int:
    """Probot answers after its handler ran, so its count is settled once the load stops."""
    with urllib.request.urlopen(f"{base}/bench-counts", timeout=5) as response:  # noqa: S310
        counts = json.load(response)
    return int(counts["deliveries"] - counts["duplicates"])


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.rps)[len(runs) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", default="production", help=f"of {', '.join(VARIANTS)}")
    parser.add_argument("--bodies", default="plain,quoted")
    parser.add_argument("--profile", metavar="VARIANT", help="py-spy that variant in one extra run")
    parser.add_argument("--baseline", type=Path, metavar="CHECKOUT",
                        help="variant `baseline`: `python -m bot` of another checkout (same venv), e.g. "
                             "`git worktree add /tmp/before HEAD~1`")
    args = parser.parse_args()
    variants = args.variants.split(",")
    if "baseline" in variants and args.baseline is None:
        parser.error("--variants baseline needs --baseline CHECKOUT")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    ensure_probot()
    key = rsa_private_key_pem()
    api, api_url = start_dummy_api()
    bodies = {"plain": False, "quoted": True}
    files: dict[str, tuple[Path, dict[str, str]]] = {}
    for name in args.bodies.split(","):
        payload = build_payload(bodies[name])
        headers, _ = signed_webhook(BENCH_SECRET, "issue_comment", payload)
        headers.pop("X-GitHub-Delivery")
        path = WORK_DIR / f"payload-{name}.json"
        path.write_bytes(payload)
        files[name] = (path, {k.lower(): v for k, v in headers.items()})
    print(f"{args.connections} connections, {args.warmup:g}s warm-up + {args.duration:g}s, "
          f"{args.repeat} run(s) each; payload {PAYLOAD_BYTES} bytes; server on CPU {SERVER_CPU}, "
          f"load generator on CPU {LOADGEN_CPU}", flush=True)
    runs: dict[tuple[str, str], list[Run]] = {}
    for attempt in range(1, args.repeat + 1):
        for name, (path, headers) in files.items():
            for variant in variants:
                prefix = f"{variant}-{name}-{attempt}"
                run = run_paperbot(variant, name, path, headers, key, api_url, args, prefix)
                runs.setdefault((run.server, name), []).append(run)
                _progress(run)
            run = run_probot(name, path, headers, key, api_url, args, f"probot-{name}-{attempt}")
            runs.setdefault((run.server, name), []).append(run)
            _progress(run)
    api.shutdown()
    if _CountingHandler.hits:
        raise RuntimeError(f"the servers made {_CountingHandler.hits} GitHub/arXiv request(s); none expected")
    _report(runs, list(files), variants)
    if args.profile:
        path, headers = files["plain"]
        run_paperbot(args.profile, "plain", path, headers, key, api_url, args, "profile", profile=True)
        print_profile(WORK_DIR / "paperbot.pyspy.txt")
    return 0


def _progress(run: Run) -> None:
    print(f"  {run.server:20} {run.body:8} {run.rps:9.1f} req/s  p50 {run.p50:6.2f}  p99 {run.p99:6.2f} ms  "
          f"{run.cpu_us:6.0f} us CPU/delivery", flush=True)


def _cpu_us(group: list[Run]) -> float:
    return 1e6 * sum(r.cpu for r in group) / max(sum(r.ok for r in group), 1)


def _report(runs: dict[tuple[str, str], list[Run]], bodies: list[str], variants: list[str]) -> None:
    print("\nmedian run (by req/s) of each; latencies in ms; CPU per delivery over all runs")
    rows = []
    for (server, body), group in runs.items():
        middle = median_run(group)
        spread = f"{min(r.rps for r in group):,.0f}-{max(r.rps for r in group):,.0f}"
        rows.append((server, body, middle.rps, spread, middle.p50, middle.p90, middle.p99,
                     f"{_cpu_us(group):.0f} us", f"{1e6 / _cpu_us(group):,.0f}",
                     sum(r.non2xx + r.errors for r in group),
                     f"{sum(r.handled for r in group)}/{sum(r.acked for r in group)}"))
    print_table(("server", "body", "req/s", "req/s range", "p50", "p90", "p99", "CPU/delivery",
                 "req/s per CPU s", "non-2xx+errors", "handled/acked"), rows)
    print("(handled also counts deliveries in flight when a load stopped, so it may be a little higher)")
    print()
    for variant in variants:
        for body in bodies:
            ours, theirs = runs[(f"paperbot/{variant}", body)], runs[("probot", body)]
            mine, other = median_run(ours), median_run(theirs)
            verdict = "MET" if mine.rps >= 1.5 * other.rps and mine.p99 < other.p99 else "NOT MET"
            print(f"{variant} / {body}: {mine.rps / other.rps:.2f}x Probot's req/s, p99 {mine.p99:.2f} vs "
                  f"{other.p99:.2f} ms -> target (>= 1.5x and a lower p99) {verdict}; CPU per delivery "
                  f"{_cpu_us(ours):.0f} vs {_cpu_us(theirs):.0f} us")
    for (server, body), group in runs.items():
        if any(r.handled < r.acked for r in group):
            raise RuntimeError(f"{server} {body}: fewer deliveries handled than acknowledged")


if __name__ == "__main__":
    sys.exit(main())
