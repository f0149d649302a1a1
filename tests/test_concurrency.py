"""Many commands at once: nothing lost, nothing duplicated, writes per installation one at a time."""

from __future__ import annotations

import asyncio
import itertools

from bot.github.pull_state import decode_state
from bot.jobs.replies import ADDITIONS_BRANCH
from tests.fakes.webhooks import issue_comment_event

LIST = "# List\n\n## Papers\n\n- [Seed paper](https://arxiv.org/abs/2401.00001)\n"


def add_papers(fake_arxiv, count: int) -> list[str]:
    ids = [f"2510.{10000 + i}" for i in range(count)]
    for i, arxiv_id in enumerate(ids):
        fake_arxiv.add_paper(arxiv_id, f"Paper number {i} on language model safety", "An abstract.",
                             ["A. Author"], "2025-10-01", ["cs.CL"])
    return ids


def one_add_per_repository(fake_github, repos: list[str], arxiv_id: str) -> list[dict]:
    """A repository per name, each with an issue whose comment asks for `arxiv_id`."""
    deliveries = []
    for repo in repos:
        fake_github.add_repo(repo, {"README.md": LIST})
        issue = fake_github.add_issue(repo, "add")
        comment = fake_github.add_comment(repo, issue, f"/add {arxiv_id}")
        deliveries.append(issue_comment_event(fake_github, repo, issue, comment))
    return deliveries


async def deliver_together(bot, deliveries) -> None:
    statuses = await asyncio.gather(*(bot.deliver("issue_comment", payload, settle=False)
                                      for payload in deliveries))
    assert set(statuses) == {202}
    await bot.settle()


async def test_twenty_adds_for_one_repository_land_in_one_pull_request(bot, fake_github, fake_arxiv):
    repo = "octo-org/list"
    fake_github.add_repo(repo, {"README.md": LIST})
    fake_github.delay = 0.01
    ids = add_papers(fake_arxiv, 20)
    deliveries = []
    for arxiv_id in ids:
        issue = fake_github.add_issue(repo, f"add {arxiv_id}")
        comment = fake_github.add_comment(repo, issue, f"/add {arxiv_id}", user=f"user-{arxiv_id}")
        deliveries.append(issue_comment_event(fake_github, repo, issue, comment))
    await deliver_together(bot, deliveries)

    [pull] = fake_github.pulls(repo)
    assert sorted(p["id"] for p in decode_state(pull.body)["papers"]) == sorted(ids)
    readme = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
    assert all(readme.count(arxiv_id) == 1 for arxiv_id in ids)
    for delivery in deliveries:
        assert len(bot.replies(repo, delivery["issue"]["number"])) == 1


async def test_fifty_repositories_in_parallel(bot, fake_github, fake_arxiv):
    ids = add_papers(fake_arxiv, 1)
    deliveries = one_add_per_repository(fake_github, [f"org-{n % 5}/list-{n}" for n in range(50)], ids[0])
    fake_github.delay = 0.005
    await deliver_together(bot, deliveries)
    for delivery in deliveries:
        repo = delivery["repository"]["full_name"]
        assert len(fake_github.pulls(repo)) == 1
        assert fake_github.file(repo, "README.md", ADDITIONS_BRANCH).count(ids[0]) == 1
    # Five installations: one access token each, not one per delivery.
    assert len(fake_github.calls("POST", "/access_tokens")) == 5


async def test_writes_of_one_installation_do_not_overlap(bot, fake_github, fake_arxiv):
    ids = add_papers(fake_arxiv, 1)
    deliveries = one_add_per_repository(fake_github, [f"solo-org/list-{n}" for n in range(6)], ids[0])
    fake_github.delay = 0.02
    await deliver_together(bot, deliveries)
    writes = sorted((c for c in fake_github.mutating_calls() if "/access_tokens" not in c.path),
                    key=lambda call: call.at)
    # The fake logs a call when it answers; with 20 ms per call, overlapping writes would land
    # closer together than that.
    gaps = [b.at - a.at for a, b in itertools.pairwise(writes)]
    assert len(writes) == 6 * 3 and min(gaps) >= 0.018  # commit (one GraphQL mutation), pull request, reply
