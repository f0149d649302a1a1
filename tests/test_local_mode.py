"""Local mode (`python -m bot add|update --readme`) as a CI job runs it: a real process, fake arXiv."""

from __future__ import annotations

import asyncio
import difflib
import os
import shutil
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


async def run_bot(args: list[str], arxiv_url: str, cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET")}
    env.update(ARXIV_API_URL=arxiv_url, ARXIV_MIN_INTERVAL="0.05", ARXIV_TIMEOUT="5",
               PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    removed = [line for line in diff if line.startswith("- ")]
    assert removed == [], "local add must only insert lines"
    return [line[2:] for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
            if line.startswith("+ ")]


@pytest.mark.parametrize("name", [
    "hijkzzz__Awesome-LLM-Strawberry.md", "isXinLiu__Awesome-MLLM-Safety.md", "chawins__llm-sp.md",
    "tjunlp-lab__Awesome-LLMs-Evaluation-Papers.md", "hemingkx__Awesome-Efficient-Reasoning.md",
])
async def test_local_add_on_real_lists(tmp_path, fake_arxiv, name):
    fake_arxiv.add_paper("2511.01234", "Scaling Test-Time Reasoning with Self-Verification",
                         "We study reasoning models that verify their own chain of thought.",
                         ["Ada Lovelace", "Alan Turing"], "2025-11-03", ["cs.CL"])
    readme = tmp_path / "README.md"
    shutil.copy(FIXTURES / "lists" / name, readme)
    before = readme.read_bytes().decode()
    code, out, err = await run_bot(["add", "arXiv:2511.01234", "--readme", str(readme)], fake_arxiv.url, tmp_path)
    assert code == 0, err
    assert "added to «" in out and "changed" in out
    after = readme.read_bytes().decode()
    new = added_lines(before, after)
    assert new and any("2511.01234" in line for line in new)

    code, out, _ = await run_bot(["add", "2511.01234", "--readme", str(readme)], fake_arxiv.url, tmp_path)
    assert code == 0 and "already listed" in out and readme.read_bytes().decode() == after


async def test_local_update_on_the_seed_list(tmp_path, fake_arxiv):
    shutil.copy(FIXTURES / "seed" / "README.md", tmp_path / "README.md")
    (tmp_path / ".github").mkdir()
    shutil.copy(ROOT / "examples" / "awesome-lrm-safety" / "paperbot.yml", tmp_path / ".github" / "paperbot.yml")
    fake_arxiv.add_paper("2611.00100", "Jailbreaking Large Reasoning Models via Chain-of-Thought Hijacking",
                         "We show jailbreak attacks against reasoning models such as DeepSeek-R1 and o1.",
                         ["A. B", "C. D", "E. F"], "2026-11-20", ["cs.CR", "cs.CL"])
    fake_arxiv.add_paper("2611.00101", "Safe Navigation for Legged Robots with Control Barrier Functions",
                         "Robot safety with control barrier functions for an LLM-free controller.",
                         ["R. Obot"], "2026-11-21", ["cs.RO"])
    code, out, err = await run_bot(["update", "--readme", str(tmp_path / "README.md")], fake_arxiv.url, tmp_path)
    assert code == 0, err
    text = (tmp_path / "README.md").read_text()
    assert "2611.00100" in text and "2611.00101" not in text
    assert (tmp_path / "articles" / "README.md").exists()  # older rows moved out
    assert "1 new" in out
    block = text.split("<!-- LATEST_PAPERS_START -->")[1].split("<!-- LATEST_PAPERS_END -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("| 20")]
    assert len(rows) == 20 and max(len(row) for row in rows) < 900  # whole abstracts became summaries


async def test_local_mode_reports_arxiv_outage(tmp_path, fake_arxiv):
    shutil.copy(FIXTURES / "lists" / "isXinLiu__Awesome-MLLM-Safety.md", tmp_path / "README.md")
    fake_arxiv.fail_next(503, times=10)
    code, _, err = await run_bot(["add", "2511.01234", "--readme", str(tmp_path / "README.md")], fake_arxiv.url, tmp_path)
    assert code == 3 and "arXiv did not answer" in err
