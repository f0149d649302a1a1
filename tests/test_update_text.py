"""The scheduled update's pull request body: every proposed paper's row says why it was kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.config import LatestConfig
from bot.github.pull_state import decode_state
from bot.jobs.update_text import TABLE_HEADER, render_update_body
from bot.jobs.updates import plan_update
from bot.lists.document import parse_list
from bot.lists.latest.block import END_MARKER, START_MARKER
from bot.lists.render import escape_table_cell
from bot.papers.references import Paper

README = f"""\
# Awesome LLM Safety

## Jailbreak
- [Jailbreaking Black Box Large Language Models in Twenty Queries](https://arxiv.org/abs/2310.08419)

## Latest
{START_MARKER}
{END_MARKER}
"""
CONFIG = LatestConfig(include=("jailbreak*", "prompt injection"), exclude=("robot*",))
NOW = datetime(2026, 12, 4, tzinfo=UTC)


def paper(arxiv_id: str, title: str, abstract: str) -> Paper:
    day = date(2026, 12, 1)
    return Paper(arxiv_id, 1, title, ("A. Author",), abstract, day, day, ("cs.CL",))


def body_for(latest: LatestConfig, previous=()) -> tuple[str, list]:
    candidates = [
        paper("2612.00001", "Many-shot jailbreaking of chat models", "Long prompts jailbreak LLMs past their safety training."),
        paper("2612.00002", "Indirect prompt injection in LLM agents", "LLM agents read prompt injections that bypass their safety."),
        paper("2612.00003", "Safe robot navigation", "A robot avoids obstacles."),
    ]
    plan = plan_update(README, None, candidates, latest=latest, doc=parse_list(README),
                       known_ids=set(), now=NOW)
    return render_update_body(plan, previous, head="abc", now=NOW), list(plan.kept)


def row_of(body: str, arxiv_id: str) -> list[str]:
    line = next(line for line in body.splitlines() if line.startswith(f"| [{arxiv_id}]"))
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_each_proposed_paper_row_shows_its_own_reasons_with_a_config():
    body, kept = body_for(CONFIG)
    assert {k.paper.arxiv_id for k in kept} == {"2612.00001", "2612.00002"}
    assert TABLE_HEADER[0] in body.splitlines()
    jailbreak, injection = row_of(body, "2612.00001"), row_of(body, "2612.00002")
    assert escape_table_cell("matches `jailbreak` in the title") in jailbreak[2]
    assert escape_table_cell("matches `prompt injection` in the title") in injection[2]
    assert "prompt injection" not in jailbreak[2]  # a row carries its own paper's reasons
    assert "2612.00003" not in body.split("<!--")[0]  # the off-topic paper is only counted


def test_each_proposed_paper_row_shows_its_reason_with_no_config():
    body, kept = body_for(LatestConfig())
    assert kept
    for k in kept:
        assert row_of(body, k.paper.arxiv_id)[2] == escape_table_cell("; ".join(k.relevance.reasons[:4]))
        assert k.relevance.reasons[0].startswith(("close to «", "shares "))


def test_papers_of_earlier_runs_keep_their_reasons_in_the_body_and_its_state():
    earlier = [{"id": "2611.00009", "title": "Old jailbreak paper", "score": 0.9,
                "why": ["matches `jailbreak` in the title"]}]
    body, _ = body_for(CONFIG, earlier)
    assert row_of(body, "2611.00009")[2] == escape_table_cell("matches `jailbreak` in the title")
    state = decode_state(body)
    assert all(p["why"] for p in state["papers"]) and len(state["papers"]) == 3
