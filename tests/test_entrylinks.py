"""The arXiv link form of a new entry: read from the siblings nearest it in time (tests/test_entrylinks2.py)."""

from __future__ import annotations

from datetime import date

from bot.lists.document import insert_entries, parse_list
from bot.lists.entries.order import link_form_near, link_form_of_era
from bot.papers.references import Paper

# The row form of ydyjya/Awesome-LLM-Safety, subtopic/Privacy.md (oldest first, sorted by month): its
# 2025 rows link `https://arxiv.org/abs/2506.00359v1`, its 2026 rows `https://arxiv.org/abs/2605.11195`.
HEADER = "| Date | Institute | Publication | Paper | Keywords |\n|:-----:|:-----:|:-----:|:-----:|:-----:|"


def _row(month: str, number: int, version: str) -> str:
    yy, mm = month.split(".")
    return (f"| {month} | Michigan State University | arxiv | [Keeping an Eye on LLM Unlearning {number}]"
            f"(https://arxiv.org/abs/{yy}{mm}.{number:05d}{version}) | **LLM Unlearning**&**Stealthy Attack** |")


LIST = "\n".join(["# Privacy", "", "## Papers", "", HEADER,
                  *[_row("25.06", 100 + k, "v1") for k in range(14)],
                  *[_row(f"26.0{1 + k // 5}", 200 + k, "") for k in range(20)], ""])


def _paper(arxiv_id: str, day: date, version: int = 1) -> Paper:
    return Paper(arxiv_id, version, "Privacy and Security Threat for OpenAI GPTs", ("Wenying Wang",),
                 "We study GPTs.", day, day)


def _written(paper: Paper) -> str:
    doc = parse_list(LIST)
    after = insert_entries(doc, [(doc.paper_sections()[0], paper)])
    return next(line for line in after.split("\n") if "OpenAI GPTs" in line)


def test_a_paper_placed_among_versioned_rows_links_its_version() -> None:
    # Where its date puts it (among the June 2025 rows), the rows link a version: so does the new one.
    line = _written(_paper("2506.04036", date(2025, 6, 4)))
    assert "(https://arxiv.org/abs/2506.04036v1)" in line
    assert "(https://arxiv.org/abs/2506.04036v3)" in _written(_paper("2506.04036", date(2025, 6, 4), 3))


def test_a_paper_placed_at_the_end_links_like_the_last_rows() -> None:
    line = _written(_paper("2605.11000", date(2026, 5, 10)))
    assert "(https://arxiv.org/abs/2605.11000)" in line


def test_link_form_of_era_reads_the_rows_nearest_in_time() -> None:
    entries = parse_list(LIST).paper_sections()[0].entries
    assert link_form_of_era(entries, _paper("2506.04036", date(2025, 6, 4)), "x") == "https://arxiv.org/abs/{id}{v}"
    assert link_form_of_era(entries, _paper("2605.11000", date(2026, 5, 1)), "x") == "https://arxiv.org/abs/{id}"
    assert link_form_of_era(entries[:0], _paper("2605.11000", date(2026, 5, 1)), "default") == "default"


def test_link_form_near_prefers_the_nearest_rows() -> None:
    entries = parse_list(LIST).paper_sections()[0].entries
    assert link_form_near(entries, 14, "x") == "https://arxiv.org/abs/{id}{v}"
    assert link_form_near(entries, len(entries), "x") == "https://arxiv.org/abs/{id}"
    assert link_form_near(entries[:0], 0, "default") == "default"
