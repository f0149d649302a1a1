"""Exit statuses of `python -m bot add|update --readme` (a real process, the fake arXiv): a CI job
can tell "done" from "some reference not added" from "bad usage" from "arXiv down"."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest

from bot.cli.exits import Exit

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
LIST = "# List\n\n## Attacks\n\n- [Seed paper](https://arxiv.org/abs/2401.00001)\n"
NEW, OTHER = "2511.01234", "2511.04321"


async def run_cli(args: list[str], cwd: Path, arxiv_url: str, **env_extra: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET")}
    env.update({"ARXIV_API_URL": arxiv_url, "ARXIV_MIN_INTERVAL": "0.05", "ARXIV_TIMEOUT": "5",
                "PYTHONPATH": str(ROOT), **env_extra})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
def checkout(tmp_path, fake_arxiv):
    fake_arxiv.add_paper(NEW, "Jailbreak Attacks on Reasoning Models", "We attack reasoning models.",
                         ["Ada Lovelace"], "2025-11-03", ["cs.CL"])
    fake_arxiv.add_paper(OTHER, "Prompt Injection Attacks on Agents", "We inject prompts into agents.",
                         ["Alan Turing"], "2025-11-04", ["cs.CR"])
    (tmp_path / "README.md").write_text(LIST)
    return tmp_path


@pytest.mark.parametrize(("refs", "code", "says"), [
    ([NEW, "2401.00001"], Exit.OK, [f"{NEW}: added to «Attacks»", "2401.00001: already listed at line 5"]),
    ([NEW, "not-a-ref"], Exit.NOT_DONE, ["not-a-ref: invalid reference", "1 of 2 not done"]),
    ([NEW, "2511.99999"], Exit.NOT_DONE, ["2511.99999: not found on arXiv", "1 of 2 not done"]),
    ([NEW, OTHER, "--to", "Defences"], Exit.NOT_DONE, ["no section matches «Defences»", "2 of 2 not done"]),
])
async def test_add_exits_0_only_when_every_reference_is_in_the_list(checkout, fake_arxiv, refs, code, says):
    result, out, err = await run_cli(["add", *refs, "--readme", "README.md"], checkout, fake_arxiv.url)
    assert result == code, err
    for words in says:
        assert words in out + err
    text = (checkout / "README.md").read_text()
    # What could be added was added all the same, and only that.
    assert text.count(NEW) == (0 if "--to" in refs else 1) and text.count("2511.99999") == 0
    if code == Exit.NOT_DONE:
        assert "not done" in err and "not done" not in out  # the summary goes to stderr


async def test_add_to_a_list_without_sections_is_not_done(tmp_path, fake_arxiv, checkout):
    (tmp_path / "README.md").write_text("# List\n\nNothing here yet.\n")
    code, out, err = await run_cli(["add", NEW, "--readme", "README.md"], tmp_path, fake_arxiv.url)
    assert code == Exit.NOT_DONE and "no section with paper entries" in out + err
    assert (tmp_path / "README.md").read_text() == "# List\n\nNothing here yet.\n"


@pytest.mark.parametrize(("args", "env", "says"), [
    (["add", NEW, "--readme", "MISSING.md"], {}, "MISSING.md: no such file"),
    (["add", NEW, "--readme", "README.md", "--config", "nope.yml"], {}, "nope.yml: no such file"),
    (["add", NEW, "--readme", "README.md"], {"ARXIV_TIMEOUT": "nan"}, "ARXIV_TIMEOUT must be a finite number"),
    (["add", "--readme", "README.md"], {}, "the following arguments are required: refs"),
    (["update", "--readme", "README.md"], {"ARXIV_API_URL": "ftp://x"}, "ARXIV_API_URL must be an http"),
])
async def test_usage_settings_and_file_problems_exit_2(checkout, fake_arxiv, args, env, says):
    code, _, err = await run_cli(args, checkout, fake_arxiv.url, **env)
    assert code == Exit.USAGE and says in err
    assert (checkout / "README.md").read_text() == LIST


@pytest.mark.parametrize("command", [["add", NEW], ["update"]])
async def test_arxiv_down_exits_3_and_changes_nothing(tmp_path, fake_arxiv, command):
    shutil.copy(FIXTURES / "seed" / "README.md", tmp_path / "README.md")
    before = (tmp_path / "README.md").read_bytes()
    fake_arxiv.fail_next(503, times=10)
    code, _, err = await run_cli([*command, "--readme", "README.md"], tmp_path, fake_arxiv.url)
    assert code == Exit.ARXIV_UNAVAILABLE and "arXiv did not answer" in err
    assert (tmp_path / "README.md").read_bytes() == before


async def test_update_of_a_list_without_a_latest_block_is_not_done(checkout, fake_arxiv):
    code, out, err = await run_cli(["update", "--readme", "README.md"], checkout, fake_arxiv.url)
    assert code == Exit.NOT_DONE and "no LATEST_PAPERS markers" in err and "README.md: unchanged" in out


async def test_help_documents_the_exit_statuses(checkout, fake_arxiv):
    for command in ("add", "update"):
        code, out, _ = await run_cli([command, "--help"], checkout, fake_arxiv.url)
        assert code == 0 and "exit status:" in out
        for status in Exit:
            assert f"\n  {status.value}  " in out
    _, out, _ = await run_cli(["add", "--help"], checkout, fake_arxiv.url)
    assert "ARXIV_API_URL" in out
