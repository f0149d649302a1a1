"""The scheduled latest-papers update end to end, against the fake GitHub and fake arXiv."""

from __future__ import annotations

import pytest

from bot.github.pull_state import decode_state
from bot.jobs.scheduler import run_scheduled
from bot.jobs.update_text import LATEST_BRANCH
from bot.lists.latest.block import find_block, parse_rows
from bot.web.app import context_of
from handlers import router

REPO = "octo-org/awesome-lrm-safety"
CONFIG = """\
latest:
  include: [jailbreak, "LLM safety", "reasoning model safety", alignment]
  exclude: [robot, "control barrier", "autonomous driving"]
  categories: [cs.CL, cs.CR, cs.AI, cs.LG]
  max_papers: 3
  every: 24h
"""
# The seed list's title: with no config (someone-else/two), the title and entries say what is on topic.
README = """\
# Awesome Large Reasoning Model (LRM) Safety

## Latest arXiv Papers
<!-- LATEST_PAPERS_START -->

| Date       | Title                                      | Authors           | Abstract Summary          |
|------------|--------------------------------------------|-------------------|---------------------------|
| 2026-11-20 | [Old Jailbreak Study](http://arxiv.org/abs/2611.00010v2) | A. One, B. Two et al. | A long abstract. It goes on. And on. And on again. |
| 2026-11-19 | [Old Jailbreak Study](http://arxiv.org/abs/2611.00010v1) | A. One, B. Two et al. | A long abstract. It goes on. And on. And on again. |
| 2026-11-18 | [Alignment Audit of LLMs](http://arxiv.org/abs/2611.00009v1) | C. Three | Alignment audit. |

<!-- LATEST_PAPERS_END -->

## Surveys

- [A Survey of LLM Safety](https://arxiv.org/abs/2412.17686)
"""


def relevant(arxiv, arxiv_id: str, day: int, title: str | None = None) -> None:
    arxiv.add_paper(arxiv_id, title or f"Jailbreak attacks on reasoning models, part {arxiv_id}",
                    "We study jailbreak attacks and LLM safety of large reasoning models. More follows.",
                    ["Ada Lovelace", "Alan Turing", "Grace Hopper"], f"2026-11-{day:02d}", ["cs.CL", "cs.CR"])


def off_topic(arxiv, arxiv_id: str, day: int) -> None:
    arxiv.add_paper(arxiv_id, "Safe navigation for robots with control barrier functions",
                    "A robot navigation method with safety guarantees using control barrier functions.",
                    ["R. Obot"], f"2026-11-{day:02d}", ["cs.RO", "eess.SY"])


@pytest.fixture
def repo(fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": README, ".github/paperbot.yml": CONFIG},
                         collaborators={"maint": "admin"})
    relevant(fake_arxiv, "2611.00021", 21)
    relevant(fake_arxiv, "2611.00022", 22)
    off_topic(fake_arxiv, "2611.00023", 23)
    relevant(fake_arxiv, "2611.00010", 20)  # already listed (as v1 and v2)
    return REPO


async def run(bot, only=REPO, force=True):
    ctx = context_of(bot.client.app)
    return await run_scheduled(ctx, router, only=only, force=force)


def table_ids(text: str) -> list[str]:
    block = find_block(text)
    return [row.arxiv_id for row in parse_rows(text[block.start:block.end])]


async def test_first_run_then_noop_then_newer_papers(bot, repo, fake_github, fake_arxiv):
    [result] = await run(bot)
    assert result.ok, result.detail
    [pull] = fake_github.pulls(REPO)
    readme = fake_github.file(REPO, "README.md", LATEST_BRANCH)
    assert table_ids(readme) == ["2611.00022", "2611.00021", "2611.00010"]
    assert readme.split("<!-- LATEST_PAPERS_END -->")[1] == README.split("<!-- LATEST_PAPERS_END -->")[1]
    assert readme.split("<!-- LATEST_PAPERS_START -->")[0] == README.split("<!-- LATEST_PAPERS_START -->")[0]
    archive = fake_github.file(REPO, "articles/README.md", LATEST_BRANCH)
    assert "2611.00009" in archive and "2611.00009" not in readme.split("<!-- LATEST_PAPERS_END -->")[0].split("START -->")[1]
    assert "2611.00023" not in readme  # off topic
    assert "jailbreak" in pull.body.lower()  # why each paper was kept
    proposed = [p["id"] for p in decode_state(pull.body)["papers"]]
    assert proposed == ["2611.00022", "2611.00021"]

    writes = len(fake_github.mutating_calls())
    [again] = await run(bot)
    assert again.ok and len(fake_github.mutating_calls()) == writes  # no-op rerun: no commit

    relevant(fake_arxiv, "2611.00025", 25)
    [newer] = await run(bot)
    assert newer.ok
    assert [p.number for p in fake_github.pulls(REPO)] == [pull.number]  # updated in place
    readme = fake_github.file(REPO, "README.md", LATEST_BRANCH)
    assert table_ids(readme) == ["2611.00025", "2611.00022", "2611.00021"]
    archive = fake_github.file(REPO, "articles/README.md", LATEST_BRANCH)
    assert archive.count("2611.00010") == 1 and archive.count("2611.00009") == 1  # archive grows, no repeats


async def test_closed_pull_request_is_remembered(bot, repo, fake_github, fake_arxiv):
    await run(bot)
    [pull] = fake_github.pulls(REPO)
    fake_github.close_pull(REPO, pull.number)
    relevant(fake_arxiv, "2611.00026", 26)
    [result] = await run(bot)
    assert result.ok
    [fresh] = fake_github.pulls(REPO, state="open")
    readme = fake_github.file(REPO, "README.md", LATEST_BRANCH)
    assert "2611.00026" in readme and "2611.00021" not in readme and "2611.00022" not in readme
    assert fresh.number != pull.number


async def test_not_due_is_skipped_without_arxiv(bot, repo, fake_github, fake_arxiv):
    await run(bot)
    [pull] = fake_github.pulls(REPO)
    fake_github.merge_pull(REPO, pull.number)
    calls = len(fake_arxiv.call_log)
    [result] = await run(bot, force=False)
    assert result.ok and "not_due" in result.detail
    assert len(fake_arxiv.call_log) == calls


async def test_update_command_permissions(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "refresh please")
    await bot.comment(REPO, issue, "/update", user="stranger")
    assert fake_github.pulls(REPO) == []
    assert "write access" in bot.replies(REPO, issue)[-1]
    await bot.comment(REPO, issue, "/update", user="maint")
    assert len(fake_github.pulls(REPO)) == 1
    assert "2 new relevant paper(s)" in bot.replies(REPO, issue)[-1]


async def test_several_installations_and_a_list_without_markers(bot, fake_github, fake_arxiv):
    relevant(fake_arxiv, "2611.00021", 21)
    fake_github.add_repo("octo-org/one", {"README.md": README, ".github/paperbot.yml": CONFIG})
    fake_github.add_repo("octo-org/plain", {"README.md": "# Plain\n\n## Papers\n\n- [x](https://arxiv.org/abs/2401.00001)\n"})
    other = fake_github.add_installation(account="someone-else", account_type="User")
    fake_github.add_repo("someone-else/two", {"README.md": README}, installation_id=other.id)
    results = await run(bot, only=None)
    assert sorted(r.repository for r in results) == ["octo-org/one", "octo-org/plain", "someone-else/two"]
    assert all(r.ok for r in results)
    assert len(fake_github.pulls("octo-org/one")) == 1 and len(fake_github.pulls("someone-else/two")) == 1
    assert fake_github.pulls("octo-org/plain") == []
    assert not [c for c in fake_github.mutating_calls() if "/plain/" in c.path]


async def test_hostile_title_stays_in_its_cell(bot, repo, fake_github, fake_arxiv):
    relevant(fake_arxiv, "2611.00027", 27,
             title="Jailbreak | <img src=x onerror=alert(1)> <!-- LATEST_PAPERS_END --> `code` [x](y)\n## Heading")
    await run(bot)
    readme = fake_github.file(REPO, "README.md", LATEST_BRANCH)
    assert readme.count("<!-- LATEST_PAPERS_END -->") == 1 and readme.count("<!-- LATEST_PAPERS_START -->") == 1
    assert "<img" not in readme and "\n## Heading" not in readme
    block = readme.split("<!-- LATEST_PAPERS_START -->")[1].split("<!-- LATEST_PAPERS_END -->")[0]
    for line in block.splitlines():
        if line.startswith("| 20"):
            assert len(line.replace("\\|", "").split("|")) == 6, line


async def test_fault_in_the_middle_then_clean_rerun(bot, repo, fake_github):
    fake_github.fail_next("POST", r"/pulls$", 502, times=5)
    [failed] = await run(bot)
    assert not failed.ok
    assert fake_github.file(REPO, "README.md") == README  # nothing reached the default branch
    [result] = await run(bot)
    assert result.ok
    assert len(fake_github.pulls(REPO)) == 1
    assert table_ids(fake_github.file(REPO, "README.md", LATEST_BRANCH))[:2] == ["2611.00022", "2611.00021"]


async def test_cli_style_failure_when_arxiv_is_down(bot, repo, fake_github, fake_arxiv):
    fake_arxiv.fail_next(503, times=10)
    [result] = await run(bot)
    assert not result.ok and "arXiv" in result.detail
    assert fake_github.pulls(REPO) == []


async def test_config_problems_keep_one_issue_up_to_date(bot, repo, fake_github):
    broken = CONFIG.replace("max_papers: 3", "max_papers: lots")
    fake_github.push_to_default(REPO, {".github/paperbot.yml": broken})
    await run(bot)
    await run(bot)
    [issue] = [i for i in fake_github.issues(REPO, state="all") if i.pull is None and "configuration" in i.title]
    assert issue.state == "open" and "latest.max_papers" in issue.body
    fake_github.push_to_default(REPO, {".github/paperbot.yml": CONFIG.replace("every: 24h", "every: soon")})
    await run(bot)
    assert "latest.every" in fake_github.repos[REPO].issues[issue.number].body
    fake_github.push_to_default(REPO, {".github/paperbot.yml": CONFIG})
    await run(bot)
    configuration = [i for i in fake_github.issues(REPO, state="all") if i.pull is None and "configuration" in i.title]
    assert len(configuration) == 1 and configuration[0].state == "closed"


async def test_server_loop_runs_updates_through_the_same_handler(bot, repo, fake_github):
    import asyncio

    from bot.jobs.scheduler import periodic_updates

    loop = asyncio.create_task(periodic_updates(context_of(bot.client.app), router, interval=0.05))
    try:
        for _ in range(200):
            if fake_github.pulls(REPO):
                break
            await asyncio.sleep(0.05)
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
    assert len(fake_github.pulls(REPO)) == 1


@pytest.mark.parametrize(("arxiv_down", "code"), [(False, 0), (True, 1)])
async def test_update_command_line(repo, fake_github, fake_arxiv, github_app_key, github_app_id, tmp_path,
                                   arxiv_down, code):
    import asyncio
    import os
    import sys
    from pathlib import Path

    if arxiv_down:
        fake_arxiv.fail_next(503, times=10)
    env = {**os.environ, "APP_ID": str(github_app_id), "PRIVATE_KEY": github_app_key, "WEBHOOK_SECRET": "s",
           "GITHUB_API_URL": fake_github.url, "ARXIV_API_URL": fake_arxiv.url, "ARXIV_MIN_INTERVAL": "0",
           "PYTHONPATH": str(Path(__file__).parent.parent)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "update", "--repo", REPO, "--force", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == code, out
    assert (f"{REPO}: ok: updated" if code == 0 else f"{REPO}: FAILED") in out.decode()
    assert len(fake_github.pulls(REPO)) == (1 if code == 0 else 0)


async def test_papers_in_a_linked_topic_file_are_not_proposed_again(bot, fake_github, fake_arxiv):
    """A list kept in several files (issue #15): the README links a topic file; a paper that file
    already lists is known, though the README never names it."""
    readme = README.replace("## Surveys\n", "## Topics\n\n- [Jailbreak](collection/jailbreak.md)\n\n## Surveys\n")
    topic = ("# Jailbreak\n\n- [Jailbreak attacks on reasoning models, part 2611.00022]"
             "(https://arxiv.org/abs/2611.00022)\n")
    fake_github.add_repo(REPO, {"README.md": readme, ".github/paperbot.yml": CONFIG,
                                "collection/jailbreak.md": topic}, collaborators={"maint": "admin"})
    relevant(fake_arxiv, "2611.00021", 21)
    relevant(fake_arxiv, "2611.00022", 22)
    [result] = await run(bot)
    assert result.ok, result.detail
    written = fake_github.file(REPO, "README.md", LATEST_BRANCH)
    assert "2611.00021" in table_ids(written)
    assert "2611.00022" not in written  # listed in collection/jailbreak.md
    assert fake_github.file(REPO, "collection/jailbreak.md", LATEST_BRANCH) == topic  # untouched
