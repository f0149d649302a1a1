"""Venues in list items (issue #14): the venue an entry shows, read by the template reader, and the
writer's venue piece in the list's own form when the paper's arXiv metadata names a venue."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import EntryFormat, learn_format
from bot.lists.entries.spans import shown_venue
from bot.lists.render import render_entry
from bot.papers.references import Paper
from bot.papers.venues import venue_named

SHOWN = [
    ('1. "Large Language Models Meet NL2Code: A Survey" [2022-12] [ACL 2023] '
     "[[paper](https://arxiv.org/abs/2212.09420)]", "Large Language Models Meet NL2Code: A Survey", "ACL 2023"),
    ("* [**npj Digital Medicine, 2024**] **Meerkat**: Small Language Models Learn Enhanced Reasoning "
     "[Paper](https://arxiv.org/abs/2404.00376)", "Meerkat: Small Language Models Learn Enhanced Reasoning",
     "npj Digital Medicine 2024"),
    ("1. **Neural Message Passing for Quantum Chemistry.** ICML 2017. [paper](https://arxiv.org/pdf/1704.01212.pdf)",
     "Neural Message Passing for Quantum Chemistry", "ICML 2017"),
    ('8. "NatGen: Generative pre-training" [2022-06] [ESEC/FSE 2022] [[paper](https://arxiv.org/abs/2206.07585)]',
     "NatGen: Generative pre-training", "ESEC/FSE 2022"),
    ("- [Fast Joins](https://arxiv.org/abs/2201.00001) VLDB'22", "Fast Joins", "VLDB 2022"),
    ("  *Liang Wen*. [[pdf](https://arxiv.org/pdf/2503.10460)], 2025.03. "
     "![](https://img.shields.io/badge/ACL2025--industry-orange) ![](https://img.shields.io/badge/Light--R1-blue)",
     "Light-R1", "ACL 2025"),
    # arXiv is no venue; a venue word inside the title is the title's
    ("1. **Adversarial Attack on Graphs.** arxiv 2018. [paper](https://arxiv.org/pdf/1812.10528.pdf)",
     "Adversarial Attack on Graphs", ""),
    ('1. "What ACL 2023 Papers Say" [2023-05] [[paper](https://arxiv.org/abs/2305.00001)]',
     "What ACL 2023 Papers Say", ""),
]


@pytest.mark.parametrize(("text", "title", "venue"), SHOWN)
def test_shown_venue_reads_the_venue_and_its_year(text: str, title: str, venue: str) -> None:
    assert shown_venue(text, title) == venue


# ---------------------------------------------------------------- the writer, for a paper with a venue

def _paper(title: str, comment: str = "", journal_ref: str = "", day: date = date(2024, 4, 2)) -> Paper:
    return Paper("2404.00001", 1, title, ("Ann Lee", "Bo Wu"), "We study how models fail.", day, day,
                 comment=comment, journal_ref=journal_ref)


def _section_format(body: str) -> EntryFormat:
    return learn_format(parse_list("## Papers\n\n" + body).sections[0])


@pytest.mark.parametrize(("comment", "venue"), [
    ("Accepted by ICSE 2024", "ICSE 2024"),
    ("Accepted at CHI 2023 (full paper)", "CHI 2023"),
    ("Accepted to ISSTA 2025. 12 pages", "ISSTA 2025"),
    ("Camera-ready version for LREC-COLING 2024", "LREC-COLING 2024"),
    ("Accepted to the 30th ACM Joint European Software Engineering Conference (ESEC/FSE '22)", "ESEC/FSE 2022"),
    ("Accepted for publication in IEEE Transactions on Software Engineering, 2025",
     "IEEE Transactions on Software Engineering 2025"),
    ("Accepted at ICLR 2025 (oral)", "ICLR 2025"),  # a known name, as before
    ("Submitted to ICSE 2024", ""),  # not accepted
    ("12 pages, 3 figures (2024)", ""),
    ("Under review at ASE 2025", ""),
    ("Accepted as a poster. This version extends our earlier work (Smith 2023)", ""),  # a citation, elsewhere
    ("Published in the proceedings of the 46th International Conference on Software Engineering (ICSE 2024)",
     "ICSE 2024"),
])
def test_a_venue_the_known_names_lack_is_read_where_the_comment_names_its_acceptance(comment: str,
                                                                                    venue: str) -> None:
    assert venue_named("", comment, with_year=True) == venue


def test_a_journal_reference_without_a_known_name_is_still_no_venue() -> None:
    assert venue_named("Phys. Rev. D 100, 2019", "", with_year=True) == ""


# codefuse-ai's form: `[date] [Venue Year]`; the nearest entries (the last ones: the section is appended
# to) show no venue, the ones further up do.
AGENTS = "".join(
    f'{n}. **Agent{n}**: "Agent{n}: Solving Issue Number {n} With Agents" [2024-{m:02d}] '
    + ("[ICLR 2025] " if n <= 3 else "") + f"[[paper](https://arxiv.org/abs/24{m:02d}.{n:05d})]\n"
    for n, m in ((n, min(12, 1 + n // 4)) for n in range(1, 41)))


def test_the_venue_piece_is_learned_from_further_along_the_section() -> None:
    fmt = _section_format(AGENTS)
    written = render_entry(fmt, _paper("Coder: Agents That Fix Bugs", "Accepted by ICSE 2025"))
    assert written.endswith('"Coder: Agents That Fix Bugs" [2024-04] [ICSE 2025] [[paper](https://arxiv.org/abs/2404.00001)]')
    assert "[2024-04] [[paper]" in render_entry(fmt, _paper("Coder: Agents That Fix Bugs"))


def test_no_venue_piece_where_the_further_entries_write_arxiv_there() -> None:
    fmt = _section_format(AGENTS.replace("[ICLR 2025]", "[arXiv 2024]"))
    assert "[ICSE" not in render_entry(fmt, _paper("Coder: Agents That Fix Bugs", "Accepted by ICSE 2025"))


# MedLLMs' form: `[**Arxiv, 2023.12**]` for arXiv-only papers, `[**Nature Medicine, 2024**]` for published ones
MEDICAL = (
    "* [**Arxiv, 2024.4**] **Med-Gemini**: Capabilities of Gemini Models in Medicine. [paper](https://arxiv.org/pdf/2404.18416)\n"
    "* [**Nature Medicine, 2024**] **Meerkat**: Small Language Models Learn Reasoning Skills. [paper](https://arxiv.org/abs/2404.00376)\n"
    "* [**Arxiv, 2023.12**] **Beginner**: Modeling Medical Knowledge into General LLMs. [paper](https://arxiv.org/abs/2312.01040)\n"
    "* [**Arxiv, 2023.11**] **Taiyi**: A Bilingual Fine-Tuned Large Language Model. [paper](https://arxiv.org/abs/2311.11608)\n")


@pytest.mark.parametrize(("comment", "piece"), [
    ("", "[**Arxiv, 2024.4**]"),
    ("Accepted at ICLR 2025", "[**ICLR, 2025**]"),
    ("Accepted by Nature Medicine 2024", "[**Nature Medicine, 2024**]"),
])
def test_the_venues_year_follows_the_venue_in_the_siblings_form(comment: str, piece: str) -> None:
    assert render_entry(_section_format(MEDICAL), _paper("Small Models Learn Reasoning", comment)).startswith(
        f"* {piece} ")


def test_a_venue_without_its_year_writes_no_first_version_year() -> None:
    body = ("1. **Message Passing for Chemistry.** ICML 2017. [paper](https://arxiv.org/pdf/1704.01212.pdf)\n"
            "1. **Graph Networks for Physics.** arxiv 2018. [paper](https://arxiv.org/pdf/1806.01261.pdf)\n")
    fmt = _section_format(body)
    assert "** ICLR 2025. [paper]" in render_entry(fmt, _paper("Graph Agents", "Accepted at ICLR 2025"))
    assert "** arxiv 2024. [paper]" in render_entry(fmt, _paper("Graph Agents"))
    assert "** ICLR. [paper]" in render_entry(fmt, _paper("Graph Agents", "Accepted at ICLR, 8 pages"))


def test_where_the_named_siblings_write_the_month_after_the_venue_so_does_the_writer() -> None:
    body = MEDICAL.replace("Nature Medicine, 2024**", "Nature Medicine, 2024.3**") + (
        "* [**ICML, 2023.10**] **Tiny**: Tiny Models for Clinics. [paper](https://arxiv.org/abs/2310.00001)\n")
    written = render_entry(_section_format(body), _paper("Small Models Learn Reasoning", "Accepted at ICLR 2025"))
    assert written.startswith("* [**ICLR, 2024.4**] ")
