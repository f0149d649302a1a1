"""`/add` on a list kept in several files, end to end through the fake GitHub and fake arXiv:
each paper lands in the file that holds its section, in that file's format; the count beside the
file's link in the index goes up by one; the pull request changes nothing else."""

from __future__ import annotations

import difflib
import re

import pytest

from bot.jobs.replies import ADDITIONS_BRANCH
from tests.fakes.github_state import Symlink
from tests.multifile_repo import JAILBREAK, SURVEY, UNLEARNING, repo_files

REPO = "octo-org/lm-ssp"
PAPERS = {  # arXiv id -> (title, abstract, the file it belongs in)
    "2510.99001": ("Chain-of-Thought Hijacking: Jailbreak Attacks on Reasoning Models",
                   "We jailbreak aligned language models by hijacking their chain of thought; the "
                   "jailbreak prompt bypasses safety alignment.", JAILBREAK),
    "2510.99002": ("Machine Unlearning of Private Training Data in Large Language Models",
                   "We make a language model forget memorized private data: unlearning removes the "
                   "privacy leakage of training data.", UNLEARNING),
    "2510.99003": ("A Comprehensive Survey of Trustworthy Large Language Models",
                   "This survey reviews safety, security and privacy of large models: a comprehensive "
                   "survey and taxonomy.", SURVEY),
}


@pytest.fixture
def repo(fake_github, fake_arxiv):
    fake_github.add_repo(REPO, repo_files(), collaborators={"maint": "admin"})
    for arxiv_id, (title, abstract, _) in PAPERS.items():
        fake_arxiv.add_paper(arxiv_id, title, abstract, ["Ada Lovelace"], "2025-10-20", ["cs.CL"])
    return REPO


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.split("\n"), after.split("\n")))
    return ([d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")])


async def test_three_papers_land_in_three_files_and_counts_go_up(bot, repo, fake_github):
    base = repo_files()
    issue = fake_github.add_issue(REPO, "papers")
    await bot.comment(REPO, issue, "/add " + " ".join(PAPERS))

    [reply] = bot.replies(REPO, issue)
    assert reply.count("added to «") == 3, reply
    branch = fake_github.repo(REPO).branches[ADDITIONS_BRANCH]
    tree = fake_github.repo(REPO).commits[branch].tree
    changed = {path for path, data in tree.items() if base.get(path, "").encode() != data}
    assert changed == {"README.md", JAILBREAK, UNLEARNING, SURVEY}  # the PR diff touches nothing else
    for arxiv_id, (title, _, path) in PAPERS.items():
        removed, added = changed_lines(base[path], tree[path].decode())
        assert removed == [] and len(added) == 1 and arxiv_id in added[0] and title in added[0]
    jailbreak_line = changed_lines(base[JAILBREAK], tree[JAILBREAK].decode())[1][0]
    assert re.match(r"- \[2025/10\] \*\*\[Chain-of-Thought .*\]\(https://arxiv\.org/abs/2510\.99001\)\*\*",
                    jailbreak_line)  # the file's own bullet format
    table_row = changed_lines(base[UNLEARNING], tree[UNLEARNING].decode())[1][0]
    assert table_row.startswith("|") and table_row.count("|") == base[UNLEARNING].split("\n")[2].count("|")
    removed, added = changed_lines(base["README.md"], tree["README.md"].decode())
    assert sorted(added) == sorted([
        "        - [A1. Jailbreak](collection/paper/safety/jailbreak.md) (498)",
        "        - [C9. Unlearning](collection/paper/privacy/unlearning.md) (68)",
        "- [Survey](collection/survey.md) (41)"])
    assert sorted(removed) == sorted(line.replace("(498)", "(497)").replace("(68)", "(67)")
                                     .replace("(41)", "(40)") for line in added)
    [pull] = fake_github.pulls(REPO)
    assert pull.pull.head_ref == ADDITIONS_BRANCH
    assert not fake_github.calls("GET", "/contents/")  # texts come from one GraphQL query, not per file


async def test_a_paper_in_a_topic_file_or_the_archive_is_already_listed_there(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "papers")
    await bot.comment(REPO, issue, "/add 2510.05379 2307.15043")
    [reply] = bot.replies(REPO, issue)
    assert f"already listed in [{JAILBREAK}:2](https://github.com/{REPO}/blob/" in reply
    assert "already listed in [collection/archive.md:4](" in reply
    assert not fake_github.pulls(REPO)


async def test_second_add_reads_no_file_again(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "papers")
    await bot.comment(REPO, issue, "/add 2510.99001")
    trees = len(fake_github.calls("GET", "/git/trees/"))
    queries = len(fake_github.calls("POST", "/graphql"))
    await bot.comment(REPO, issue, "/add 2510.99002")
    assert len(fake_github.calls("GET", "/git/trees/")) == trees  # the base did not move: tree kept
    # the snapshot, the commit (on top of the branch) and nothing for the 30 files: all kept by sha
    assert len(fake_github.calls("POST", "/graphql")) - queries == 2
    tree = fake_github.repo(REPO).commits[fake_github.repo(REPO).branches[ADDITIONS_BRANCH]].tree
    assert "2510.99001" in tree[JAILBREAK].decode() and "2510.99002" in tree[UNLEARNING].decode()
    assert "(498)" in tree["README.md"].decode() and "(68)" in tree["README.md"].decode()


async def test_removing_the_only_paper_of_a_file_restores_it(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "papers")
    await bot.comment(REPO, issue, "/add 2510.99001 2510.99003")
    await bot.comment(REPO, issue, "/remove 2510.99003", user="maint")
    assert "Removed 2510.99003" in bot.replies(REPO, issue)[-1]
    tree = fake_github.repo(REPO).commits[fake_github.repo(REPO).branches[ADDITIONS_BRANCH]].tree
    assert tree[SURVEY].decode() == repo_files()[SURVEY]
    assert "(41)" not in tree["README.md"].decode() and "(498)" in tree["README.md"].decode()


async def test_bad_links_are_never_followed(bot, fake_github, fake_arxiv):
    files = repo_files()
    files["README.md"] += ("\n- [Escape](../../etc/passwd.md)\n- [Outside](collection/outside.md)\n"
                           "- [Huge](collection/huge.md)\n- [Gone](collection/gone.md)\n")
    files["collection/outside.md"] = Symlink(b"../../../etc/hosts")
    files["collection/huge.md"] = "# Huge\n" + "- [x](https://arxiv.org/abs/2501.00001)\n" * 140_000
    fake_github.add_repo(REPO, files)
    title, abstract, _ = PAPERS["2510.99001"]
    fake_arxiv.add_paper("2510.99001", title, abstract, ["Ada Lovelace"], "2025-10-20", ["cs.CL"])
    issue = fake_github.add_issue(REPO, "papers")
    await bot.comment(REPO, issue, "/add 2510.99001")
    assert "added to «" in bot.replies(REPO, issue)[0]
    asked = " ".join(str(c.body) for c in fake_github.calls("POST", "/graphql"))
    assert "collection/outside.md" not in asked and "collection/huge.md" not in asked
    assert "passwd" not in asked and not fake_github.calls("GET", "/contents/")
