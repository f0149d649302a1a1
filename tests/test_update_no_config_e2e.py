"""The scheduled update of a list with no `.github/paperbot.yml`: the list itself decides what is
on topic (bot.curation.topic), and the pull request says why each paper fits."""

from __future__ import annotations

import json
from pathlib import Path

from bot.github.pull_state import decode_state
from bot.jobs.scheduler import run_scheduled
from bot.jobs.update_text import DROPPED_LINE, LATEST_BRANCH
from bot.lists.latest.block import END_MARKER, START_MARKER
from bot.web.app import context_of
from handlers import router

FIXTURES = Path(__file__).parent / "fixtures"
REPO = "octo-org/awesome-mllm-safety"
# A real safety list (isXinLiu/Awesome-MLLM-Safety) with an empty latest-papers table added.
README = (FIXTURES / "lists" / "isXinLiu__Awesome-MLLM-Safety.md").read_text(encoding="utf-8") + (
    f"\n## Latest arXiv papers\n{START_MARKER}\n{END_MARKER}\n")
# Real arXiv records with their labels: four on LLM / VLM safety, four on robot and vehicle
# safety, which the list's own arXiv query ("Safety") brings in too.
FEED = [json.loads(line) for line in
        (FIXTURES / "relevance" / "no_config_sample.jsonl").read_text(encoding="utf-8").splitlines()]


async def test_no_config_update_proposes_only_papers_like_the_list(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": README}, collaborators={"maint": "admin"})
    for paper in FEED:
        # The records carry no categories; these are the papers' primary ones on arXiv.
        categories = ["cs.CL"] if paper["label"] == "relevant" else ["cs.RO"]
        fake_arxiv.add_paper(paper["arxiv_id"], paper["title"], paper["summary"],
                             paper["authors"], paper["published"][:10], categories)

    [result] = await run_scheduled(context_of(bot.client.app), router, only=REPO, force=True)

    assert result.ok, result.detail
    [pull] = fake_github.pulls(REPO)
    on_topic = {p["arxiv_id"] for p in FEED if p["label"] == "relevant"}
    proposed = decode_state(pull.body)["papers"]
    assert {p["id"] for p in proposed} == on_topic
    readme = fake_github.file(REPO, "README.md", LATEST_BRANCH)
    assert all(p["arxiv_id"] not in readme for p in FEED if p["label"] != "relevant")
    for paper in proposed:  # each paper's reason, in plain words, in its row of the body
        row = next(line for line in pull.body.splitlines() if line.startswith(f"| [{paper['id']}]"))
        assert "close to «" in row and "» entries: “" in row
    # the robot papers arXiv returned for the list's query ("MLLM" OR "Safety") were scored, and left out
    assert DROPPED_LINE.split("{count}")[1] in pull.body
