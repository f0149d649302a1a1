"""What-if variants of our server and a py-spy breakdown: the tools behind ack_vs_probot.py's
"where does the time go" (run through it: `--variants old-all,uvloop --profile production`).

A variant is the production server (`python -m bot`) with one change patched in at start-up, so a
change is measured before anyone writes it in bot/ or handlers/. `old-*` variants put back what the
production ack path used before issue #7 (the standard `json` parser, cachetools' TTLCache for the
delivery dedupe, `web.json_response` for every answer), which shows what each fix bought. `uvloop`
must be importable by the server (`.venv/bin/pip install --target /tmp/perfpkgs uvloop` and
PYTHONPATH=/tmp/perfpkgs); the production variant never sees PYTHONPATH.
"""

from __future__ import annotations

from pathlib import Path

from common import PYTHON, print_table

_PATCHES = {
    "uvloop": "import asyncio, uvloop\nasyncio.set_event_loop_policy(uvloop.EventLoopPolicy())",
    "gcfreeze": ("import gc, aiohttp.web as w\n_run = w.run_app\n"
                 "def run_frozen(*args, **kwargs):\n    gc.collect()\n    gc.freeze()\n"
                 "    return _run(*args, **kwargs)\nw.run_app = run_frozen"),
    # one-shot HMAC in C, compared as bytes
    "hmacdigest": ("import hmac, bot.web.app\n"
                   "def signature_valid(secret, body, header):\n"
                   "    if not secret or not header.startswith('sha256='):\n        return False\n"
                   "    try:\n        given = bytes.fromhex(header[7:])\n    except ValueError:\n        return False\n"
                   "    return hmac.compare_digest(hmac.digest(secret.encode(), body, 'sha256'), given)\n"
                   "bot.web.app.signature_valid = signature_valid"),
    # before issue #7: the body parsed by the standard library
    "old-json": "import json, bot.web.app\ndef parse_body(body):\n    return json.loads(body)\nbot.app.parse_body = parse_body",
    # before issue #7: delivery ids in a cachetools TTLCache
    "old-dedupe": ("import time, cachetools, bot.web.app\nclass TTLDeliveries:\n"
                   "    def __init__(self, limit, ttl):\n        self.seen = cachetools.TTLCache(maxsize=limit, ttl=ttl)\n"
                   "    def first_time(self, delivery):\n        if delivery in self.seen:\n            return False\n"
                   "        self.seen[delivery] = time.time()\n        return True\n"
                   "bot.web.app.RecentDeliveries = TTLDeliveries"),
    # before issue #7: every answer built by web.json_response from a dict
    "old-answers": ("import json, bot.web.app\nfrom aiohttp import web\n"
                    "_DICTS = {body: json.loads(body) for body in (bot.web.app.ACCEPTED, bot.web.app.NO_COMMAND, "
                    "bot.web.app.DUPLICATE, bot.web.app.PONG, bot.web.app.BAD_SIGNATURE, bot.web.app.NOT_JSON, bot.web.app.NOT_AN_EVENT)}\n"
                    "def json_answer(body, status=200):\n    return web.json_response(_DICTS[body], status=status)\n"
                    "bot.web.app.json_answer = json_answer"),
    # before issue #7: each handler parses the comment again (off the ack path: only a command starts a job)
    "old-parse": "import handlers.commands as c\nc._parse_once = c._parse",
}
_COMBINED = {"old-all": ("old-json", "old-dedupe", "old-answers", "old-parse")}  # the ack path before the fixes


def _launch(*patches: str) -> list[str]:
    code = "\n".join([_PATCHES[p] for p in patches] + ["import sys\nfrom bot.cli.main import main",
                                                       "sys.exit(main())"])
    return [str(PYTHON), "-c", code]


VARIANTS = {"production": [str(PYTHON), "-m", "bot"],
            **{name: _launch(name) for name in _PATCHES},
            **{name: _launch(*parts) for name, parts in _COMBINED.items()}}



PROFILE_STAGES = (  # label, a frame name that marks the stage in py-spy's stacks
    ("webhook handler (bot/web/app.py)", "webhook ("),
    ("  parse the body (parse_body)", "parse_body ("),
    ("  signature check", "signature_valid ("),
    ("  delivery dedupe (first_time)", "first_time ("),
    ("  any command? (might_hold_command)", "might_hold_command ("),
    ("  the answer (json_answer)", "json_answer ("),
    ("  JobQueue.start", "JobQueue.start ("),
    ("aiohttp access log line", "log_access ("),
    ("background job (JobQueue._run)", "JobQueue._run ("),
    ("  router.dispatch", "Router.dispatch ("),
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
