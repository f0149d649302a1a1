"""`/add` and `/remove` end to end: signed webhooks in, repository state out (fake GitHub + fake arXiv)."""

from __future__ import annotations

import pytest

from bot.github.pull_state import decode_state
from bot.jobs.replies import ADDITIONS_BRANCH

REPO = "octo-org/awesome-safety"
LIST = """# Awesome Safety

A list of papers.

## Jailbreak Attacks

- **Jailbroken: How Does LLM Safety Training Fail?** [[paper]](https://arxiv.org/abs/2307.02483)
- **Universal and Transferable Adversarial Attacks on Aligned Language Models** [[paper]](https://arxiv.org/abs/2307.15043)

## Surveys

- **A Survey on Large Language Model Safety** [[paper]](https://arxiv.org/abs/2412.17686)
- **Safety of Reasoning Models: A Survey** [[paper]](https://arxiv.org/abs/2503.17419)
"""


def seed_papers(arxiv) -> None:
    arxiv.add_paper("2502.05206", "Jailbreaking Reasoning Models with Chain-of-Thought Hijacking",
                    "We show that chain-of-thought jailbreak attacks hijack reasoning models.",
                    ["Alice Smith", "Bob Jones", "Carol White"], "2025-02-07", ["cs.CR", "cs.CL"])
    arxiv.add_paper("2501.00001", "A Comprehensive Survey of Safety in Large Reasoning Models",
                    "This survey reviews safety risks of large reasoning models.",
                    ["Dan Brown"], "2025-01-02", ["cs.CL"])
    arxiv.add_paper("2503.00002", "Evil | Title](javascript:alert(1)) <script>x</script> <!-- LATEST_PAPERS_END -->\n## Fake heading",
                    "A jailbreak attack paper with a hostile title.",
                    ["Mallory `Tick`"], "2025-03-03", ["cs.CR"])


@pytest.fixture
def repo(fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST}, collaborators={"maint": "admin", "writer": "write"})
    seed_papers(fake_arxiv)
    return REPO


def pending_ids(fake_github, number: int) -> list[str]:
    pull = next(p for p in fake_github.pulls(REPO) if p.number == number)
    return [p["id"] for p in decode_state(pull.body)["papers"]]


async def test_add_opens_one_pull_request_and_replies_once(bot, repo, fake_github, fake_arxiv):
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "Hi!\n/add arXiv:2502.05206")

    pulls = fake_github.pulls(REPO)
    assert len(pulls) == 1
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert "2502.05206" in readme
    section = readme.split("## Jailbreak Attacks")[1].split("## Surveys")[0]
    assert "Jailbreaking Reasoning Models with Chain-of-Thought Hijacking" in section
    assert readme.replace(_line_with(readme, "2502.05206") + "\n", "") == LIST  # nothing else changed
    assert f"Closes #{issue}" in pulls[0].body
    [reply] = bot.replies(REPO, issue)
    assert "added to «Jailbreak Attacks»" in reply and f"/pull/{pulls[0].number}" in reply
    assert len(fake_arxiv.call_log) == 1


async def test_redelivery_and_restart_change_nothing(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "Please add")
    _, payload = await bot.comment(REPO, issue, "/add 2502.05206", delivery="same-delivery")
    head = fake_github.branches(REPO)[ADDITIONS_BRANCH]
    await bot.deliver("issue_comment", payload, delivery="same-delivery")
    await bot.deliver("issue_comment", payload, delivery="another-delivery")  # as after a restart
    assert fake_github.branches(REPO)[ADDITIONS_BRANCH] == head
    assert len(bot.replies(REPO, issue)) == 1
    assert len(fake_github.pulls(REPO)) == 1


async def test_one_rolling_pull_request_across_issues(bot, repo, fake_github):
    first = fake_github.add_issue(REPO, "one")
    second = fake_github.add_issue(REPO, "two")
    await bot.comment(REPO, first, "/add 2502.05206")
    await bot.comment(REPO, second, "/add https://arxiv.org/pdf/2501.00001v1.pdf")
    [pull] = fake_github.pulls(REPO)
    assert pending_ids(fake_github, pull.number) == ["2502.05206", "2501.00001"]
    assert f"Closes #{first}" in pull.body and f"Closes #{second}" in pull.body
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert "2502.05206" in readme and "2501.00001" in readme
    surveys = readme.split("## Surveys")[1]
    assert "A Comprehensive Survey of Safety in Large Reasoning Models" in surveys


async def test_already_listed_invalid_and_unknown(bot, repo, fake_github, fake_arxiv):
    issue = fake_github.add_issue(REPO, "refs")
    await bot.comment(REPO, issue, "/add 2307.02483v2, not-an-id 2512.99999 0000.00000")
    [reply] = bot.replies(REPO, issue)
    assert "already listed at [line 7]" in reply
    assert "invalid reference" in reply and "not found on arXiv" in reply
    assert fake_github.pulls(REPO) == []
    queried = " ".join(call.query.get("id_list", "") for call in fake_arxiv.call_log)
    assert "not-an-id" not in queried and "2307.02483" not in queried
    assert len(fake_arxiv.call_log) == 2  # the empty answer was asked once more


async def test_section_override_and_unknown_section(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "override")
    await bot.comment(REPO, issue, '/add 2502.05206 to "surveys"\n/add 2501.00001 to Robotics')
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert "2502.05206" in readme.split("## Surveys")[1]
    [reply] = bot.replies(REPO, issue)
    assert "no section matches «Robotics»" in reply and "«Jailbreak Attacks»" in reply


async def test_hostile_title_is_escaped(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "hostile")
    await bot.comment(REPO, issue, "/add 2503.00002")
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    line = _line_with(readme, "2503.00002")
    assert "<script>" not in readme and "<!-- LATEST_PAPERS_END -->" not in readme
    assert "\n## Fake heading" not in readme
    assert readme.count("\n## ") == LIST.count("\n## ")
    assert line.startswith("- ")


async def test_remove_needs_write_access(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "add two")
    await bot.comment(REPO, issue, "/add 2502.05206 2501.00001")
    [pull] = fake_github.pulls(REPO)
    await bot.comment(REPO, pull.number, "/remove 2501.00001", user="stranger")
    assert pending_ids(fake_github, pull.number) == ["2502.05206", "2501.00001"]
    assert "write access" in bot.replies(REPO, pull.number)[-1]
    await bot.comment(REPO, pull.number, "/remove arXiv:2501.00001", user="writer")
    assert pending_ids(fake_github, pull.number) == ["2502.05206"]
    assert "2501.00001" not in fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)


async def test_bots_and_edits_are_ignored(bot, repo, fake_github, fake_arxiv):
    issue = fake_github.add_issue(REPO, "bots")
    await bot.comment(REPO, issue, "/add 2502.05206", user="dependabot[bot]")
    comment_id = fake_github.add_comment(REPO, issue, "/add 2502.05206", user="octocat")
    from tests.fakes.webhooks import issue_comment_event
    await bot.deliver("issue_comment", issue_comment_event(fake_github, REPO, issue, comment_id, "edited"))
    assert fake_github.pulls(REPO) == [] and bot.replies(REPO, issue) == []
    assert fake_arxiv.call_log == []


async def test_maintainer_commits_are_kept(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "one")
    await bot.comment(REPO, issue, "/add 2502.05206")
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    edited = readme.replace("A list of papers.", "A list of papers, edited by a maintainer.")
    fake_github.push_commit(REPO, ADDITIONS_BRANCH, {"README.md": edited})
    await bot.comment(REPO, issue, "/add 2501.00001")
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert "edited by a maintainer" in readme and "2501.00001" in readme and "2502.05206" in readme


async def test_after_merge_the_next_add_starts_a_new_pull_request(bot, repo, fake_github):
    issue = fake_github.add_issue(REPO, "one")
    await bot.comment(REPO, issue, "/add 2502.05206")
    [pull] = fake_github.pulls(REPO)
    fake_github.merge_pull(REPO, pull.number)
    await bot.comment(REPO, issue, "/add 2501.00001 2502.05206")
    open_pulls = fake_github.pulls(REPO, state="open")
    assert len(open_pulls) == 1 and open_pulls[0].number != pull.number
    assert pending_ids(fake_github, open_pulls[0].number) == ["2501.00001"]
    assert "already listed" in bot.replies(REPO, issue)[-1]


async def test_issue_body_commands(bot, repo, fake_github, load_webhook):
    number = fake_github.add_issue(REPO, "Suggest a paper", body="/add 2502.05206")
    payload = issue_opened_payload(fake_github, number, load_webhook)
    await bot.deliver("issues", payload)
    assert len(fake_github.pulls(REPO)) == 1
    assert len(bot.replies(REPO, number)) == 1


def issue_opened_payload(fake_github, number, load_webhook):
    from tests.fakes import github_payloads, github_payloads_issues

    repo = fake_github.repos[REPO]
    payload = load_webhook("issues.opened")
    payload["issue"] = github_payloads_issues.issue(fake_github.url, repo, repo.issues[number])
    payload["repository"] = github_payloads.repository(fake_github.url, repo)
    payload["sender"] = github_payloads.user(fake_github.url, "octocat")
    payload["installation"] = {"id": repo.installation_id}
    return payload


def _line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


async def test_configured_labels_go_on_the_new_pull_request(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST, ".github/paperbot.yml": "labels: [papers, bot]\n"})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "labels")
    await bot.comment(REPO, issue, "/add 2502.05206")
    [pull] = fake_github.pulls(REPO)
    assert pull.labels == ["papers", "bot"]


async def test_config_command_shows_the_effective_config(bot, fake_github):
    fake_github.add_repo(REPO, {"README.md": LIST, ".github/paperbot.yml": "labels: [papers]\nlatest: {max_papers: x}\n"})
    issue = fake_github.add_issue(REPO, "config")
    await bot.comment(REPO, issue, "/config")
    [reply] = bot.replies(REPO, issue)
    assert "```yaml" in reply and "- papers" in reply and "max_papers: 20" in reply
    assert "latest.max_papers" in reply and "every: 24h" in reply


async def test_classic_arxiv_dialect(bot, repo, fake_github, fake_arxiv):
    fake_arxiv.dialect = "classic"
    issue = fake_github.add_issue(REPO, "classic")
    await bot.comment(REPO, issue, "/add 2502.05206")
    assert "added to «Jailbreak Attacks»" in bot.replies(REPO, issue)[0]
    assert "Chain-of-Thought Hijacking" in fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)


async def test_a_list_larger_than_one_megabyte(bot, fake_github, fake_arxiv):
    filler = "".join(f"- **Paper number {n} about jailbreak attacks on aligned language models** "
                     f"[[paper]](https://arxiv.org/abs/2301.{n:05d})\n" for n in range(12_000))
    big = LIST.replace("## Surveys", filler + "\n## Surveys")
    assert len(big.encode()) > 1_100_000
    fake_github.add_repo(REPO, {"README.md": big})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "big")
    await bot.comment(REPO, issue, "/add 2502.05206 2301.00042")
    [reply] = bot.replies(REPO, issue)
    assert "added to «" in reply and "already listed" in reply
    after = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert len(after) > len(big) and after.count("2502.05206") == 1
