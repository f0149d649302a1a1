"""The write guard (bot.lists.write_guard) and the entry writer on lists written in unfamiliar shapes:
each reason an edit is refused, the real cases that invented entries (hymie122/RAG-Survey,
WooooDyy/LLM-Agent-Paper-List), date-sorted insertion, and the refusal as the user sees it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import Config
from bot.curation.sections import candidate_sections
from bot.jobs.additions import AddRequest, Pending, plan_additions, render_additions, render_checked
from bot.jobs.replies import NOT_UNDERSTOOD, OUTCOME_TEXT, render_reply
from bot.lists.document import parse_list
from bot.lists.render import PLACEHOLDER
from bot.lists.write_guard import (
    CHANGED_LINES,
    EMPTY_ITEM,
    ENTRIES_CHANGED,
    NO_LINK,
    NOT_ONE_ENTRY,
    OPEN_EMPHASIS,
    OTHER_PAPER,
    SECTIONS_CHANGED,
    UNLIKE_SIBLINGS,
    check_addition,
    insert_checked,
)
from bot.papers.references import Paper, parse_ref

FIXTURES = Path(__file__).parent / "fixtures" / "write_guard"


def paper(arxiv_id: str = "2502.09999", title: str = "A New Attack on Aligned Models",
          published: date = date(2025, 2, 14), authors: tuple[str, ...] = ("Ann Lee", "Bo Chen")) -> Paper:
    return Paper(arxiv_id, 1, title, authors, "We attack aligned models.", published, published)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def diff_added(before: str, after: str) -> list[str]:
    """The lines `after` adds, asserting that it only adds (a plain prefix/suffix walk)."""
    old, new = before.split("\n"), after.split("\n")
    start = 0
    while start < len(old) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    assert start + end == len(old), "the edit must only insert lines"
    return new[start : len(new) - end]


# ---------------------------------------------------------------- each reason, on a small list

BASE = """# Awesome LLM Safety

Total: 3 papers

## Jailbreak
- [2025/02] **[Safety at Scale: A Survey](https://arxiv.org/abs/2502.05206)**
- [2025/01] **[Jailbreaking Aligned Models with Many Shots](https://arxiv.org/abs/2501.00002)**

## Defense
- [2024/12] **[Guarding the Gate with Refusal Training](https://arxiv.org/abs/2412.00003)**
"""
GOOD = "- [2025/02] **[A New Attack on Aligned Models](https://arxiv.org/abs/2502.09999)**"
FIRST = "- [2025/02] **[Safety at Scale: A Survey](https://arxiv.org/abs/2502.05206)**"
JAILBREAK = ("Awesome LLM Safety", "Jailbreak")


def _after(insert: str, *, at: str = FIRST, replace: tuple[str, str] | None = None) -> str:
    text = BASE.replace(at, insert + "\n" + at, 1)
    if replace:
        text = text.replace(*replace, 1)
    return text


@pytest.mark.parametrize(("after", "reason"), [
    (_after(GOOD), ""),
    (_after(GOOD, replace=("Total: 3 papers", "Total: 4 papers")), ""),  # a count the list keeps
    (_after(GOOD + " ![LLM](https://img.shields.io/badge/LLM-589cf4)"), ""),  # a badge is no paper
    (_after(GOOD, replace=("Safety at Scale", "Safety At Scale")), CHANGED_LINES),
    (_after(GOOD, replace=("## Defense\n", "")), CHANGED_LINES),
    (_after(GOOD + " [[code](https://arxiv.org/abs/2501.00002)]"), OTHER_PAPER),
    (_after(GOOD + " [[code](https://github.com/someone/attack)]"), OTHER_PAPER),
    # a neighbour's title relinked to the new paper
    (_after("- [2025/02] **[Jailbreaking Aligned Models with Many Shots](https://arxiv.org/abs/2502.09999)**"),
     OTHER_PAPER),
    (_after("- [2025/02] **A New Attack on Aligned Models**"), NO_LINK),
    (_after(GOOD + "\n  - -"), EMPTY_ITEM),
    (_after(GOOD + "\n-"), EMPTY_ITEM),
    (_after(GOOD + "*"), OPEN_EMPHASIS),
    (_after(GOOD + "\n  - Ann Lee, Bo Chen"), UNLIKE_SIBLINGS),  # two lines among one-line entries
    (_after("### [A New Attack on Aligned Models](https://arxiv.org/abs/2502.09999)"), SECTIONS_CHANGED),
    (_after(GOOD, at="- [2024/12]"), ENTRIES_CHANGED),  # written into another section than chosen
    # a lazy continuation line: it grows an existing entry instead of being one of its own
    (_after("  [A New Attack on Aligned Models](https://arxiv.org/abs/2502.09999)",
            at="- [2025/01]"), NOT_ONE_ENTRY),
])
def test_guard_reasons(after: str, reason: str) -> None:
    verdict = check_addition(BASE, after, paper(), JAILBREAK)
    assert verdict.ok == (reason == "")
    assert verdict.reason.startswith(reason.split("{")[0])


def test_guard_refuses_nothing_written() -> None:
    assert not check_addition(BASE, BASE, paper(), JAILBREAK).ok


# ---------------------------------------------------------------- the reported cases, on real excerpts

# The papers sit under label bullets (`  - Latent Representation-based RAG`), sections of their own.
HYMIE_PATH = ("Catalogue", "Methods Taxonomy", "RAG Foundations", "Latent Representation-based RAG")


def test_hymie_old_edit_is_refused() -> None:
    """What the writer used to do there: the new title as a fake label, empty bullets, neighbours'
    titles relinked to the new paper."""
    text = fixture("hymie122__RAG-Survey.head.md")
    last = "    [Concept-aware video captioning: Describing videos with effective prior information]"
    at = text.index(last)
    end = text.index("\n", at)
    invented = ("\n\n  - A Brand New Paper About Retrieval\n\n    -\n    \n    -\n\n"
                "    [Retrieval-augmented text-to-audio generation](https://arxiv.org/abs/2501.01234)")
    verdict = check_addition(text, text[:end] + invented + text[end:], paper("2501.01234"), HYMIE_PATH)
    assert not verdict.ok and verdict.reason.startswith(OTHER_PAPER.split("{")[0])


def test_hymie_paper_is_written_as_a_bare_link_line_in_the_group() -> None:
    text = fixture("hymie122__RAG-Survey.head.md")
    doc = parse_list(text)
    section = next(s for s in doc.sections if s.path == HYMIE_PATH)
    new = paper("2501.01234", "A Brand New Paper About Retrieval", date(2025, 1, 5))
    after, verdict = insert_checked(doc, section, new)
    assert verdict.ok, verdict.reason
    added = diff_added(text, after)
    assert sorted(added) == ["", "    [A Brand New Paper About Retrieval](https://arxiv.org/abs/2501.01234)"]


WOODY_TOOLS = ("The Rise and Potential of Large Language Model Based Agents: A Survey",
               "1. The Birth of An Agent: Construction of LLM-based Agents",
               "1.3 Action: Expand Action Space of LLM-based Agents", "1.3.1 Tool Using")


def test_woody_old_edit_is_refused() -> None:
    """A paper in «News», a neighbour's title as its link text, three `  - -` lines."""
    text = fixture("WooooDyy__LLM-Agent-Paper-List.excerpt.md")
    anchor = "- 🎉 [2024/05/02]"
    invented = ("- [2023/06] **[Training Large Language Models for Reasoning through Reverse Curriculum "
                "Reinforcement Learning](https://arxiv.org/abs/2306.00001)**\n  - -\n  - -\n  - -\n")
    after = text.replace(anchor, invented + anchor, 1)
    verdict = check_addition(text, after, paper("2306.00001"),
                             ("The Rise and Potential of Large Language Model Based Agents: A Survey", "News"))
    assert not verdict.ok


def test_woody_news_is_not_a_paper_section() -> None:
    doc = parse_list(fixture("WooooDyy__LLM-Agent-Paper-List.excerpt.md"))
    assert [s.heading for s in candidate_sections(doc)] == ["1.3.1 Tool Using"]


def test_woody_paper_follows_the_newest_first_dates_with_its_summary_to_fill_in() -> None:
    text = fixture("WooooDyy__LLM-Agent-Paper-List.excerpt.md")
    doc = parse_list(text)
    section = next(s for s in doc.sections if s.path == WOODY_TOOLS)
    new = paper("2306.05555", "Agents That Call Tools Reliably", date(2023, 6, 9))
    after, verdict = insert_checked(doc, section, new)
    assert verdict.ok, verdict.reason
    added = diff_added(text, after)
    # authors inside the emphasis with the venue, as the section writes them (`*Ann Lee et al. arXiv.*`)
    assert added == ["- [2023/06] **Agents That Call Tools Reliably.** *Ann Lee et al. arXiv.* "
                     "[[paper](https://arxiv.org/abs/2306.05555)]",
                     f"  - {PLACEHOLDER}"]
    lines = after.split("\n")
    at = lines.index(added[0])
    assert lines[at - 2].startswith("- [2023/07] **ToolLLM") and lines[at + 2].startswith("- [2023/05]")


# ---------------------------------------------------------------- order within date-sorted sections

BRADY = ("Awesome Papers", "Multimodal Instruction Tuning (& Latest Works)")


@pytest.mark.parametrize(("published", "after_date", "before_date"), [
    (date(2026, 5, 10), "2026-06-05", "2026-04-24"),  # between the months around it
    (date(2026, 7, 1), None, "2026-06-30"),  # the newest: on top
    (date(2025, 11, 2), "2025-12-18", None),  # older than every row: at the bottom
])
def test_newest_first_table_keeps_its_order(published: date, after_date: str | None,
                                            before_date: str | None) -> None:
    text = fixture("BradyFU__Awesome-Multimodal-Large-Language-Models.table.md")
    doc = parse_list(text)
    section = next(s for s in doc.sections if s.path == BRADY)
    new = paper(f"{published:%y%m}.01234", "Seeing Is Reasoning: A Multimodal Benchmark", published)
    after, verdict = insert_checked(doc, section, new)
    assert verdict.ok, verdict.reason
    (row,) = diff_added(text, after)
    assert f"| {published:%Y-%m-%d} |" in row
    rows = [line for line in after.split("\n") if line.startswith("|") and "](" in line]
    at = rows.index(row)
    assert (at == 0) if after_date is None else (f"| {after_date} |" in rows[at - 1])
    assert (at == len(rows) - 1) if before_date is None else (f"| {before_date} |" in rows[at + 1])


def test_oldest_first_list_keeps_its_order() -> None:
    text = ("# Papers\n\n## Attacks\n"
            + "".join(f"- [2024/{m:02d}] **[Attack number {m} on aligned models](https://arxiv.org/abs/24{m:02d}.0000{m})**\n"
                      for m in (1, 3, 5, 7)))
    doc = parse_list(text)
    after, verdict = insert_checked(doc, doc.sections[1], paper("2404.01111", "An April Attack on Models",
                                                                 date(2024, 4, 2)))
    assert verdict.ok, verdict.reason
    dates = [line[3:10] for line in after.split("\n") if line.startswith("- [")]
    assert dates == ["2024/01", "2024/03", "2024/04", "2024/05", "2024/07"]


# ---------------------------------------------------------------- the refusal, as the user sees it

# The writer cannot yet tell these entries' titles from their `[\[paper\]]` links, so what it would
# write is not shaped like them; the section with plain links next to it is understood.
QINGSONG = fixture("qingsongedu__awesome-AI-for-time-series-papers.excerpt.md") + (
    "\n#### Surveys\n"
    "- [Foundation Models for Time Series Analysis: A Tutorial and Survey](https://arxiv.org/abs/2403.14735)\n"
    "- [Large Models for Time Series and Spatio-Temporal Data: A Survey](https://arxiv.org/abs/2310.10196)\n")
# Its anomaly section rewritten as a table that names no titles (a year and a link per row): no
# template can be read from it, and a written list item would not be laid out like its rows.
QINGSONG_TABLE = QINGSONG.replace(
    "\n".join(line for line in QINGSONG.split("\n") if line.startswith("* ") and "Anomaly Detection" in line),
    "| Year | Link |\n|---|---|\n| 2023 | [\\[paper\\]](https://arxiv.org/abs/2310.05668) |\n"
    "| 2024 | [\\[paper\\]](https://arxiv.org/abs/2402.02820) |")
ANOMALY = paper("2402.03333", "Frequency-Aware Anomaly Detection for Multivariate Time Series", date(2024, 2, 5))
SURVEY = paper("2402.04444", "A Survey of Deep Learning for Time Series Forecasting", date(2024, 2, 6))


def test_refused_paper_is_answered_with_its_section_and_reason() -> None:
    assert QINGSONG_TABLE != QINGSONG
    doc = parse_list(QINGSONG_TABLE)
    requests = [AddRequest(p.arxiv_id, parse_ref(p.arxiv_id), section)
                for p, section in ((ANOMALY, "Time Series Anomaly Detection"), (SURVEY, "Surveys"))]
    papers = {parse_ref(p.arxiv_id): p for p in (ANOMALY, SURVEY)}
    added, outcomes = plan_additions(doc, requests, papers, [], config=Config(), requested_by="ann", issue=3)
    assert [o.kind for o in outcomes] == ["not_understood", "added"]
    assert [p.arxiv_id for p in added] == [SURVEY.arxiv_id]
    refused = outcomes[0]
    assert refused.section is not None and refused.section.heading == "Time Series Anomaly Detection"
    assert refused.reason.startswith(UNLIKE_SIBLINGS.split("{")[0])
    assert OUTCOME_TEXT["not_understood"] is NOT_UNDERSTOOD
    sections = [s.path for s in doc.paper_sections()]
    reply = render_reply(outcomes, pull_url="https://github.com/o/r/pull/1", blob_url="https://github.com/o/r/blob/x",
                         sections=sections)
    before, after = NOT_UNDERSTOOD.split("{section}")
    row = next(line for line in reply.split("\n") if ANOMALY.arxiv_id in line)
    assert before in row and "Time Series Anomaly Detection" + after.format(reason=refused.reason) in row


def test_regeneration_writes_the_others_when_one_is_refused() -> None:
    pending = [Pending(ANOMALY.arxiv_id, ("AI for Time Series (AI4TS) Papers, Tutorials, and Surveys",
                                          "AI4TS Papers 2024", "WWW 2024", "Time Series Anomaly Detection"),
                       "ann", 3),
               Pending(SURVEY.arxiv_id, ("AI for Time Series (AI4TS) Papers, Tutorials, and Surveys",
                                         "AI4TS Papers 2024", "WWW 2024", "Surveys"), "bo", 4)]
    papers = {p.arxiv_id: p for p in (ANOMALY, SURVEY)}
    rendered = render_checked(QINGSONG_TABLE, pending, papers, Config())
    assert list(rendered.refused) == [ANOMALY.arxiv_id]
    assert diff_added(QINGSONG_TABLE, rendered.text) == [
        "- [A Survey of Deep Learning for Time Series Forecasting](https://arxiv.org/abs/2402.04444)"]
    assert render_additions(QINGSONG_TABLE, pending, papers, Config()) == rendered.text


def test_a_plain_title_before_an_escaped_paper_link_is_understood() -> None:
    """`* Title [\\[paper\\]](url)`: the title is the words before the link, so a new paper is written
    the way its siblings are (this edit was refused while the title read "Title [paper]")."""
    doc = parse_list(QINGSONG)
    section = next(s for s in doc.sections if s.heading == "Time Series Anomaly Detection")
    after, verdict = insert_checked(doc, section, ANOMALY)
    assert verdict.ok, verdict.reason
    assert diff_added(QINGSONG, after) == [
        "* Frequency-Aware Anomaly Detection for Multivariate Time Series [\\[paper\\]](https://arxiv.org/abs/2402.03333)"]
