"""paperbot never loses or corrupts a maintainer's work on its rolling pull requests (issue #18):
strangers' pull requests named like its branches are not its own, a stranger's closed pull request
is no maintainer's rejection, commits pushed to its branches are kept, and a push that lands between
paperbot's read and its write is never overwritten."""

from __future__ import annotations

import pytest

from bot.github.pull_state import decode_state, encode_state
from bot.github.snapshot import is_ours
from bot.jobs.replies import ADDITIONS_BRANCH
from bot.jobs.update_text import LATEST_BRANCH
from tests import test_add_e2e as add_e2e
from tests import test_update_e2e as update_e2e
from tests.test_update_e2e import relevant, run, table_ids

FORKS = 6  # more than any window a stranger could fill before


def crafted_state(*ids: str) -> str:
    """A body carrying paperbot's hidden state, as anyone can write it."""
    return "Totally paperbot.\n\n" + encode_state(
        {"v": 1, "kind": "latest", "head": "0" * 40, "papers": [{"id": i, "section": ["Surveys"], "by": "x",
                                                                  "issue": 1, "title": "t"} for i in ids]})


@pytest.mark.parametrize(("node", "ours"), [
    ({"isCrossRepository": False, "author": {"__typename": "Bot", "login": "paperbot"}}, True),
    ({"isCrossRepository": True, "author": {"__typename": "Bot", "login": "paperbot"}}, False),
    ({"isCrossRepository": False, "author": {"__typename": "User", "login": "paperbot"}}, False),
    ({"isCrossRepository": False, "author": {"__typename": "Bot", "login": "otherbot"}}, False),
    ({"isCrossRepository": False, "author": None}, False),  # a deleted account ("ghost")
    ({"author": {"__typename": "Bot", "login": "paperbot"}}, False),
    (None, False),
])
def test_only_the_apps_own_pull_requests_count(node, ours):
    assert is_ours(node, "paperbot[bot]") is ours


# -- the additions pull request ------------------------------------------------------------------

@pytest.fixture
def additions_repo(fake_github, fake_arxiv):
    fake_github.add_repo(add_e2e.REPO, {"README.md": add_e2e.LIST}, collaborators={"maint": "admin"})
    add_e2e.seed_papers(fake_arxiv)
    return add_e2e.REPO


def pending(fake_github, repo: str) -> list[str]:
    [pull] = [p for p in fake_github.pulls(repo, state="open") if p.user == fake_github.bot_login]
    return [p["id"] for p in decode_state(pull.body)["papers"]]


async def test_fork_pull_requests_named_like_the_branch_do_not_hide_ours(bot, additions_repo, fake_github):
    repo = additions_repo
    forks = [fake_github.open_fork_pull(repo, f"stranger{n}", ADDITIONS_BRANCH, body=crafted_state("2503.17419"))
             for n in range(FORKS)]
    issue = fake_github.add_issue(repo, "papers")
    await bot.comment(repo, issue, "/add 2502.05206")
    await bot.comment(repo, issue, "/add 2501.00001")

    ours = [p for p in fake_github.pulls(repo) if p.number not in forks]
    assert len(ours) == 1 and ours[0].state == "open"
    assert pending(fake_github, repo) == ["2502.05206", "2501.00001"]  # nothing confirmed was dropped
    readme = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
    assert "2502.05206" in readme and "2501.00001" in readme
    assert all("added to" in reply for reply in bot.replies(repo, issue))
    assert all(fake_github.repos[repo].issues[n].state == "open" for n in forks)  # strangers' PRs untouched


async def test_a_push_between_read_and_write_is_kept(bot, additions_repo, fake_github):
    """The default branch moved, so paperbot regenerates; a maintainer pushes to its branch just
    before paperbot writes. The write is refused (compare-and-swap), paperbot reads again and
    adds on top of the maintainer's commit."""
    repo = additions_repo
    issue = fake_github.add_issue(repo, "papers")
    await bot.comment(repo, issue, "/add 2502.05206")
    fake_github.push_to_default(repo, {"CONTRIBUTING.md": "Be kind.\n"})
    readme = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
    edited = readme.replace("A list of papers.", "A list of papers, edited by a maintainer.")
    fake_github.on_next_write(lambda: fake_github.push_commit(repo, ADDITIONS_BRANCH, {"README.md": edited}))
    await bot.comment(repo, issue, "/add 2501.00001")

    assert fake_github.write_hooks == []  # the concurrent push did happen
    readme = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
    assert "edited by a maintainer" in readme and "2502.05206" in readme and "2501.00001" in readme
    assert pending(fake_github, repo) == ["2502.05206", "2501.00001"]
    assert "added to" in bot.replies(repo, issue)[-1]


# -- the latest-papers pull request --------------------------------------------------------------

@pytest.fixture
def latest_repo(fake_github, fake_arxiv):
    """As in test_update_e2e: two relevant new papers (2611.00021, .00022), one off topic."""
    fake_github.add_repo(update_e2e.REPO, {"README.md": update_e2e.README, ".github/paperbot.yml": update_e2e.CONFIG},
                         collaborators={"maint": "admin"})
    relevant(fake_arxiv, "2611.00021", 21)
    relevant(fake_arxiv, "2611.00022", 22)
    update_e2e.off_topic(fake_arxiv, "2611.00023", 23)
    return update_e2e.REPO


def open_latest(fake_github, repo: str):
    [pull] = [p for p in fake_github.pulls(repo, state="open") if p.user == fake_github.bot_login]
    return pull


async def test_fork_pull_requests_do_not_hide_the_latest_pull_request(bot, latest_repo, fake_github, fake_arxiv):
    repo = latest_repo
    for n in range(FORKS):
        fake_github.open_fork_pull(repo, f"stranger{n}", LATEST_BRANCH, body=crafted_state("2611.00021"))
    [first] = await run(bot)
    assert first.ok, first.detail
    pull = open_latest(fake_github, repo)
    relevant(fake_arxiv, "2611.00025", 25)
    [second] = await run(bot)
    assert second.ok, second.detail
    assert open_latest(fake_github, repo).number == pull.number  # extended in place
    assert table_ids(fake_github.file(repo, "README.md", LATEST_BRANCH)) == ["2611.00025", "2611.00022", "2611.00021"]


async def test_a_strangers_closed_pull_request_is_no_rejection(bot, latest_repo, fake_github):
    repo = latest_repo
    crafted = fake_github.open_fork_pull(repo, "stranger", LATEST_BRANCH, body=crafted_state("2611.00021"))
    fake_github.close_pull(repo, crafted)
    [result] = await run(bot)
    assert result.ok, result.detail
    assert table_ids(fake_github.file(repo, "README.md", LATEST_BRANCH))[:2] == ["2611.00022", "2611.00021"]


async def test_a_flood_of_closed_fork_pull_requests_does_not_undo_a_rejection(bot, latest_repo, fake_github,
                                                                                fake_arxiv):
    repo = latest_repo
    await run(bot)
    rejected = open_latest(fake_github, repo)
    fake_github.close_pull(repo, rejected.number)  # the maintainer turns 2611.00021 and .00022 down
    for n in range(25):
        fake_github.close_pull(repo, fake_github.open_fork_pull(repo, f"flood{n}", LATEST_BRANCH))
    relevant(fake_arxiv, "2611.00026", 26)
    [result] = await run(bot)
    assert result.ok, result.detail
    fresh = open_latest(fake_github, repo)
    readme = fake_github.file(repo, "README.md", LATEST_BRANCH)
    assert fresh.number != rejected.number and "2611.00026" in readme
    assert "2611.00021" not in readme and "2611.00022" not in readme


async def test_a_maintainer_commit_on_the_update_branch_survives_the_next_update(bot, latest_repo, fake_github,
                                                                                  fake_arxiv):
    repo = latest_repo
    await run(bot)
    pull = open_latest(fake_github, repo)
    readme = fake_github.file(repo, "README.md", LATEST_BRANCH)
    edited = readme.replace("- [A Survey of LLM Safety]", "- [A Survey of LLM Safety (maintainer's note)]")
    fake_github.push_commit(repo, LATEST_BRANCH, {"README.md": edited})
    relevant(fake_arxiv, "2611.00025", 25)
    [result] = await run(bot)
    assert result.ok, result.detail

    readme = fake_github.file(repo, "README.md", LATEST_BRANCH)
    assert "(maintainer's note)" in readme
    assert table_ids(readme) == ["2611.00025", "2611.00022", "2611.00021"]
    assert open_latest(fake_github, repo).number == pull.number
    head = fake_github.repos[repo].commits[fake_github.branches(repo)[LATEST_BRANCH]]
    assert head.parents[0] != fake_github.branches(repo)["main"]  # on top of the maintainer's commit
    proposed = [p["id"] for p in decode_state(open_latest(fake_github, repo).body)["papers"]]
    assert proposed == ["2611.00022", "2611.00021", "2611.00025"]


async def test_a_push_between_read_and_write_on_the_update_branch_is_kept(bot, latest_repo, fake_github,
                                                                          fake_arxiv):
    repo = latest_repo
    await run(bot)
    fake_github.push_to_default(repo, {"CONTRIBUTING.md": "Be kind.\n"})  # paperbot will regenerate
    readme = fake_github.file(repo, "README.md", LATEST_BRANCH)
    edited = readme.replace("## Surveys", "## Surveys and reviews")
    fake_github.on_next_write(lambda: fake_github.push_commit(repo, LATEST_BRANCH, {"README.md": edited}))
    relevant(fake_arxiv, "2611.00025", 25)
    [result] = await run(bot)
    assert result.ok, result.detail
    assert fake_github.write_hooks == []
    readme = fake_github.file(repo, "README.md", LATEST_BRANCH)
    assert "## Surveys and reviews" in readme
    assert table_ids(readme) == ["2611.00025", "2611.00022", "2611.00021"]


async def test_a_scheduled_update_with_nothing_new_writes_nothing(bot, latest_repo, fake_github):
    repo = latest_repo
    await run(bot)
    before = (fake_github.branches(repo), open_latest(fake_github, repo).body, len(fake_github.mutating_calls()))
    [again] = await run(bot)
    assert again.ok and again.detail
    assert (fake_github.branches(repo), open_latest(fake_github, repo).body,
            len(fake_github.mutating_calls())) == before
