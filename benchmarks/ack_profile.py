"""What-if variants of our server and a py-spy breakdown: the tools behind ack_vs_probot.py's
"where does the time go" (run through it: `--variants lean --profile production`).

A variant is the production server (`python -m bot`) with candidate fixes patched in at start-up,
so a fix is measured before anyone writes it in bot/ or handlers/. `uvloop` and `orjson` must be
importable by the server (e.g. `.venv/bin/pip install --target /tmp/perfpkgs uvloop orjson` and
PYTHONPATH=/tmp/perfpkgs).
"""

from __future__ import annotations

from pathlib import Path

from common import PYTHON, print_table

_PATCHES = {
    "uvloop": "import asyncio, uvloop\nasyncio.set_event_loop_policy(uvloop.EventLoopPolicy())",
    "orjson": "import types, orjson, bot.app\nbot.app.json = types.SimpleNamespace(loads=orjson.loads)",
    "noaccesslog": "import functools, aiohttp.web as w\nw.run_app = functools.partial(w.run_app, access_log=None)",
    "gcfreeze": ("import gc, aiohttp.web as w\n_run = w.run_app\n"
                 "def run_frozen(*args, **kwargs):\n    gc.collect()\n    gc.freeze()\n"
                 "    return _run(*args, **kwargs)\nw.run_app = run_frozen"),
    # one-shot HMAC in C, compared as bytes
    "hmacdigest": ("import hmac, bot.app\n"
                   "def signature_valid(secret, body, header):\n"
                   "    if not secret or not header.startswith('sha256='):\n        return False\n"
                   "    try:\n        given = bytes.fromhex(header[7:])\n    except ValueError:\n        return False\n"
                   "    return hmac.compare_digest(hmac.digest(secret.encode(), body, 'sha256'), given)\n"
                   "bot.app.signature_valid = signature_valid"),
    # the 202 body encoded by orjson instead of json.dumps
    "fastresponse": ("import functools, orjson, aiohttp.web as w\n"
                     "w.json_response = functools.partial(w.json_response, "
                     "dumps=lambda o: orjson.dumps(o).decode())"),
    # no INFO line for a delivery no handler acts on (the "handling ..." line at DEBUG)
    "quietdelivery": "import logging\nlogging.getLogger('bot.app').setLevel(logging.WARNING)",
    # each comment parsed once per delivery, not once per handler (three handlers read issue_comment);
    # keyed on the body object, so two deliveries with equal bodies are still parsed twice
    "parseonce": ("import handlers.commands as c, handlers.add as a\n_plain, _last = c.parse_commands, [None, ()]\n"
                  "def parse_once(body):\n    if not body:\n        return []\n"
                  "    if _last[0] is not body:\n        _last[:] = [body, tuple(_plain(body))]\n"
                  "    return list(_last[1])\nc.parse_commands = a.parse_commands = parse_once"),
    # delivery ids remembered in a plain insertion-ordered dict (oldest dropped past maxsize)
    "dedupedict": ("import time, bot.app\nclass RecentDeliveries(dict):\n"
                   "    def __init__(self, maxsize, ttl):\n        super().__init__()\n"
                   "        self.maxsize, self.ttl = maxsize, ttl\n"
                   "    def __contains__(self, key):\n        seen = self.get(key)\n"
                   "        return seen is not None and time.time() - seen < self.ttl\n"
                   "    def __setitem__(self, key, value):\n        dict.__setitem__(self, key, value)\n"
                   "        if len(self) > self.maxsize:\n            del self[next(iter(self))]\n"
                   "bot.app.TTLCache = RecentDeliveries"),
    # triage in the ack: an issue_comment whose body holds no command starts no background job
    # (what handlers would decide anyway); the job counter still counts it, for the benchmark's check
    "triage": ("import bot.app as b\nfrom handlers.commands import parse_commands\n_start = b.Jobs.start\n"
               "def start(self, name, work):\n"
               "    event = work.__closure__[work.__code__.co_freevars.index('event')].cell_contents\n"
               "    if event.event == 'issue_comment' and not parse_commands("
               "(event.data.get('comment') or {}).get('body')):\n"
               "        self.completed += 1\n        return None\n"
               "    return _start(self, name, work)\nb.Jobs.start = start"),
}
_LEAN = ("orjson", "noaccesslog", "quietdelivery", "parseonce", "dedupedict", "fastresponse")
_COMBINED = {"lean": _LEAN,  # the fixes that earned their place, together
             "lean-loud": tuple(p for p in _LEAN if p != "quietdelivery"),  # keeping an INFO line each
             "lean+triage": (*_LEAN, "triage")}


def _launch(*patches: str) -> list[str]:
    code = "\n".join([_PATCHES[p] for p in patches] + ["import sys\nfrom bot.__main__ import main",
                                                       "sys.exit(main())"])
    return [str(PYTHON), "-c", code]


VARIANTS = {"production": [str(PYTHON), "-m", "bot"],
            **{name: _launch(name) for name in _PATCHES},
            **{name: _launch(*parts) for name, parts in _COMBINED.items()}}



PROFILE_STAGES = (  # label, a frame name that marks the stage in py-spy's stacks
    ("webhook handler (bot/app.py)", "webhook ("),
    ("  json.loads of the body", "loads ("),
    ("  signature check", "signature_valid ("),
    ("  delivery dedupe (TTLCache)", "TTLCache."),
    ("  json_response", "json_response ("),
    ("  Jobs.start", "Jobs.start ("),
    ("aiohttp access log line", "log_access ("),
    ("background job (Jobs._run)", "Jobs._run ("),
    ("  router.dispatch", "Router.dispatch ("),
    ("  parse_commands (both handlers)", "parse_commands ("),
    ("every log line (Logger._log)", "Logger._log ("),
    ("reading sockets (_read_ready)", "_read_ready ("),
    ("writing responses (transport.write)", "Transport.write ("),
    ("idle in epoll", "select ("),
)


def print_profile(path: Path, top: int = 15) -> None:
    """Where the server's main thread spent its samples, by stage and by function."""
    own: dict[str, int] = {}
    stages = dict.fromkeys((label for label, _ in PROFILE_STAGES), 0)
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "concurrent/futures/thread.py" in stack:  # an idle executor thread waiting for work
            continue
        samples = int(count)
        total += samples
        for label, marker in PROFILE_STAGES:
            if marker in stack:
                stages[label] += samples
        leaf = stack.rsplit(";", 1)[-1]
        name = leaf.split(" (")[0] + " (" + leaf.rsplit("/", 1)[-1].split(":")[0] + ")"
        own[name] = own.get(name, 0) + samples
    print(f"\npy-spy: {total} samples of the server's main thread under load")
    print_table(("stage (inclusive)", "share"),
                [(label, f"{100 * count / max(total, 1):.1f}%") for label, count in stages.items()])
    print()
    print_table(("function (file), by own time", "share"),
                [(name, f"{100 * count / max(total, 1):.1f}%")
                 for name, count in sorted(own.items(), key=lambda kv: -kv[1])[:top]])
