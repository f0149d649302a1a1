"""Helpers the performance benchmarks share: the server under test as a process, its RSS, a loop-lag
probe, the fakes on 127.0.0.1, and plain-text tables. Loads go to 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = ROOT / ".venv" / "bin" / "python"
BENCH_APP_ID = "424242"
BOOST = -15  # niceness of the processes under measurement, when we may raise their priority
BENCH_SECRET = "benchmark-webhook-secret"


def rsa_private_key_pem() -> str:
    """A fresh 2048-bit app key (PEM), as GitHub hands out."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float = 20.0, process: subprocess.Popen | None = None) -> None:
    """Until `url` answers at all (any status), or fail naming the process's exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode} before listening")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (127.0.0.1 only)
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


def bot_environment(port: int, github_url: str, arxiv_url: str, private_key: str,
                    **extra: str) -> dict[str, str]:
    """The production server's settings (`python -m bot`), pointed at local ports."""
    passed = ("PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH")
    env = {key: value for key, value in os.environ.items() if key in passed}
    env.update(APP_ID=BENCH_APP_ID, PRIVATE_KEY=private_key, WEBHOOK_SECRET=BENCH_SECRET,
               GITHUB_API_URL=github_url, ARXIV_API_URL=arxiv_url, PORT=str(port), LOG_LEVEL="INFO",
               PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def pinned(command: Sequence[str], cpu: int | None) -> list[str]:
    """`command` on one core (taskset) and, as root, at a higher priority (nice)."""
    command = list(command)
    if cpu is not None and (os.cpu_count() or 1) > 1:
        command = ["taskset", "-c", str(cpu), *command]
    if os.geteuid() == 0:
        command = ["nice", "-n", str(BOOST), *command]
    return command


def boost(pid: int) -> None:
    """Where the kernel groups CPU time by session (autogroup), a process started in its own session
    gets the BOOST niceness for its group: other sessions' work on a shared machine otherwise
    decides how much CPU the process under measurement gets, and so the figures."""
    with contextlib.suppress(OSError):  # no autogroups, or not allowed: the plain nice is all there is
        Path(f"/proc/{pid}/autogroup").write_text(str(BOOST))


def start_process(command: Sequence[str], env: dict[str, str], log_path: Path,
                  cpu: int | None = None, cwd: Path = ROOT) -> subprocess.Popen:
    """Start a server with its output in `log_path`, in its own session; `cpu`: see `pinned`;
    `cwd`: the checkout whose `bot` package `python -m bot` runs."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(pinned(command, cpu), env=env, cwd=cwd, stdout=log,  # noqa: S603
                                   stderr=subprocess.STDOUT, start_new_session=True)
    boost(process.pid)
    return process


def stop_process(process: subprocess.Popen, timeout: float = 30.0) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


REDIS_SERVER = "redis-server"  # Debian's package: apt-get install redis-server


@contextlib.contextmanager
def throwaway_redis(timeout: float = 10.0) -> Iterator[str]:
    """A `redis-server` of our own on a free 127.0.0.1 port, nothing saved to disk; yields its URL
    and stops it on leaving."""
    import shutil
    import tempfile

    binary = shutil.which(REDIS_SERVER)
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603
                                   "--appendonly", "no", "--dir", folder], stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            while True:  # until it answers PING
                if server.poll() is not None:
                    raise RuntimeError(f"redis-server exited with status {server.returncode}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                        sock.sendall(b"PING\r\n")
                        if sock.recv(16).startswith(b"+PONG"):
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not answer within {timeout:.0f}s")
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop_process(server, timeout=10)


def rss_mb(pid: int) -> float:
    """Resident set size from /proc, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("  ".join(value.ljust(width) if i == 0 else value.rjust(width)
                        for i, (value, width) in enumerate(zip(row, widths, strict=True))))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    return str(value)


@dataclass
class LoopLag:
    """What a task sleeping `interval` seconds in a loop saw: how late each wake-up came."""

    interval: float
    lags: list[tuple[float, float]] = field(default_factory=list)  # (monotonic wake-up, seconds late)
    collections: list[tuple[float, float]] = field(default_factory=list)  # garbage collections: (end, seconds)

    @property
    def worst_collection(self) -> float:
        return max((took for _, took in self.collections), default=0.0)

    def collection_during(self, woke: float, late: float) -> float:
        """The longest garbage collection that ran while this wake-up was held up (seconds)."""
        return max((took for end, took in self.collections
                    if end >= woke - late - self.interval and end - took <= woke), default=0.0)

    @property
    def worst(self) -> float:
        return max((lag for _, lag in self.lags), default=0.0)

    def over(self, limit: float) -> list[tuple[float, float]]:
        return [(at, lag) for at, lag in self.lags if lag > limit]


@contextlib.asynccontextmanager
async def loop_lag_probe(interval: float = 0.005) -> AsyncIterator[LoopLag]:
    """Measure event-loop blocking while the body runs: any wake-up later than `interval` was held up
    (garbage collections, which hold every thread, are recorded too)."""
    result = LoopLag(interval)

    async def probe() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(interval)
            woke = time.perf_counter()
            result.lags.append((woke, max(0.0, woke - before - interval)))

    started: list[float] = []

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            result.collections.append((time.perf_counter(), time.perf_counter() - started[0]))

    gc.callbacks.append(on_collection)
    task = asyncio.create_task(probe())
    await asyncio.sleep(0)
    try:
        yield result
    finally:
        gc.callbacks.remove(on_collection)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class AppClients:
    """The harness's `aiohttp_client`: a test client started for each app it is given, all closed together."""

    def __init__(self) -> None:
        self.clients: list = []  # aiohttp.test_utils.TestClient

    async def __call__(self, app):
        from aiohttp.test_utils import TestClient, TestServer

        client = TestClient(TestServer(app))
        await client.start_server()
        self.clients.append(client)
        return client

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


@dataclass
class Fakes:
    github: object  # tests.fakes.github.FakeGitHub
    arxiv: object  # tests.fakes.arxiv.FakeArxiv
    runners: list = field(default_factory=list)

    async def close(self) -> None:
        for runner in self.runners:
            await runner.cleanup()


async def start_fakes(private_key: str, app_id: str = BENCH_APP_ID) -> Fakes:
    """The test suite's fake GitHub and fake arXiv, listening on free 127.0.0.1 ports."""
    from aiohttp import web

    from tests.fakes.arxiv import FakeArxiv
    from tests.fakes.github import FakeGitHub

    github = FakeGitHub(app_id=int(app_id), private_key_pem=private_key)
    arxiv = FakeArxiv()
    fakes = Fakes(github, arxiv)
    for fake, suffix in ((github, ""), (arxiv, "/api/query")):
        runner = web.AppRunner(fake.app, access_log=None)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        fakes.runners.append(runner)
        fake.url = f"http://127.0.0.1:{port}{suffix}"
    return fakes
