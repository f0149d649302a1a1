"""Sections a list writes without Markdown headings: labels (fold summaries, label bullets, bold or
`<b>` lines, one-line quotes), HTML headings closed badly, year headings at their topic's level; and
lists that are hardly lists at all. Small synthetic cases modelled on real lists (named where one
was the model); ids ending in 9 must never be entries."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.lists.document import insert_entries, parse_list
from bot.lists.labels import bullet_label, emphasised_label, fold_label, is_year_heading, quote_label
from bot.lists.write_guard import check_addition
from bot.papers.references import Paper

A = "https://arxiv.org/abs/2401.0000"  # + one digit


def outline(text: str) -> dict[tuple[str, ...], list[str]]:
    """Every section's path and its entries' texts."""
    return {s.path: [e.text for e in s.entries] for s in parse_list(text).sections}


def paper(arxiv_id: str = "2402.00005", title: str = "Guarding Models Against Everything") -> Paper:
    day = date(2025, 3, 4)
    return Paper(arxiv_id, 1, title, ("Ann Lee", "Bo Li"), "We guard. It works.", day, day)


CASES = [
    pytest.param(  # the list: HTML topic headings, then year headings at the same level
        f"## Attacks\n<h3 align=\"center\">Jailbreak</h3>\n\n### 2025\n- [A]({A}1)\n### 2024\n- [B]({A}2)\n\n"
        f"<h3 align=\"center\">Backdoor</h3>\n\n### 2025\n- [C]({A}3)\n",
        {("Attacks",): [], ("Attacks", "Jailbreak"): [], ("Attacks", "Jailbreak", "2025"): [f"- [A]({A}1)"],
         ("Attacks", "Jailbreak", "2024"): [f"- [B]({A}2)"], ("Attacks", "Backdoor"): [],
         ("Attacks", "Backdoor", "2025"): [f"- [C]({A}3)"]},
        id="year-headings-at-their-topics-level"),
    pytest.param(
        f"<h3>Jailbreak<h3/>\n\n- [A]({A}1)\n\n<h3>Backdoor\n\n- [B]({A}2)\n\n<h2>Defenses</h3>\n\n- [C]({A}3)\n",
        {("Jailbreak",): [f"- [A]({A}1)"], ("Backdoor",): [f"- [B]({A}2)"], ("Defenses",): [f"- [C]({A}3)"]},
        id="html-headings-closed-badly"),
    pytest.param(
        f"## Intro\nWhat this list is.\n\n## 2025\n- [A]({A}1)\n## 2024\n- [B]({A}2)\n",
        {("Intro",): [], ("2025",): [f"- [A]({A}1)"], ("2024",): [f"- [B]({A}2)"]},
        id="year-headings-after-prose-stay-top-level"),
    pytest.param(
        f"## Backdoors\n1. **Model backdoor**\n   - [A Study of Model Backdoors]({A}1)\n"
        f"   - [Another Backdoor Study]({A}2)\n2. **Data poisoning**\n   - [Poisoning at Scale]({A}3)\n",
        {("Backdoors",): [], ("Backdoors", "Model backdoor"): [f"   - [A Study of Model Backdoors]({A}1)",
                                                                f"   - [Another Backdoor Study]({A}2)"],
         ("Backdoors", "Data poisoning"): [f"   - [Poisoning at Scale]({A}3)"]},
        id="numbered-bold-labels"),
    pytest.param(  # AlonzoLeeeooo/awesome-video-generation
        f"## Video\n- <span id=\"v-2025\">**Year 2025**</span>\n  - **CVPR**\n    - Making Videos Move [[Paper]]({A}1)\n"
        f"  - **arXiv**\n    - Longer Videos Now [[Paper]]({A}2) [[Code]](https://github.com/a/b)\n"
        f"- **Year 2024**\n  - **arXiv**\n    - Old Video Tricks [[Paper]]({A}3)\n",
        {("Video",): [], ("Video", "Year 2025"): [], ("Video", "Year 2025", "CVPR"): [
            f"    - Making Videos Move [[Paper]]({A}1)"],
         ("Video", "Year 2025", "arXiv"): [f"    - Longer Videos Now [[Paper]]({A}2) [[Code]](https://github.com/a/b)"],
         ("Video", "Year 2024"): [], ("Video", "Year 2024", "arXiv"): [f"    - Old Video Tricks [[Paper]]({A}3)"]},
        id="nested-bullet-labels"),
    pytest.param(  # hymie122/RAG-Survey: bare links under plain label bullets, some not on arXiv
        f"### Enhancements\n  - Retriever Enhancement\n\n    - Re-ranking\n\n      [Ranking Passages Well]({A}1)\n\n"
        "      [Reranking Without Labels](https://doi.org/10.18653/v1/2023.acl-long.1)\n\n"
        f"    - Chunking\n\n      [Chunks That Matter]({A}2)\n\n  - Generator Enhancement\n\n"
        f"    [Better Prompts for Generators]({A}3)\n",
        {("Enhancements",): [], ("Enhancements", "Retriever Enhancement"): [],
         ("Enhancements", "Retriever Enhancement", "Re-ranking"): [
             f"      [Ranking Passages Well]({A}1)",
             "      [Reranking Without Labels](https://doi.org/10.18653/v1/2023.acl-long.1)"],
         ("Enhancements", "Retriever Enhancement", "Chunking"): [f"      [Chunks That Matter]({A}2)"],
         ("Enhancements", "Generator Enhancement"): [f"    [Better Prompts for Generators]({A}3)"]},
        id="bare-links-under-label-bullets"),
    pytest.param(  # CHIANGEL/Awesome-LLM-for-RecSys: folds of <b> sub-labels over tables
        "## 1. Papers\n\n<details><summary><b>1.1 Feature Engineering</b></summary>\n<p>\n\n"
        f"<b>1.1.1 Augmentation</b>\n\n| Name | Paper | Link |\n|---|---|---|\n| A | Augmenting | [[Link]]({A}1) |\n\n"
        f"<b>1.1.2 Generation</b>\n\n| Name | Paper | Link |\n|---|---|---|\n| B | Generating | [[Link]]({A}2) |\n\n"
        "</p>\n</details>\n\n<details><summary><b>1.2 Newest</b></summary>\n<p>\n\n| Name | Paper | Link |\n"
        f"|---|---|---|\n| C | Newer | [[Link]]({A}3) |\n\n</p>\n</details>\n",
        {("1. Papers",): [], ("1. Papers", "1.1 Feature Engineering"): [],
         ("1. Papers", "1.1 Feature Engineering", "1.1.1 Augmentation"): [f"| A | Augmenting | [[Link]]({A}1) |"],
         ("1. Papers", "1.1 Feature Engineering", "1.1.2 Generation"): [f"| B | Generating | [[Link]]({A}2) |"],
         ("1. Papers", "1.2 Newest"): [f"| C | Newer | [[Link]]({A}3) |"]},
        id="fold-summaries-and-b-lines"),
    pytest.param(  # yucheol-choi/awesome-quantum-compiler
        "## Hardware\n> Superconducting + [[IBM Quantum]](https://research.ibm.com/publications)\n\n"
        f"+ [Gates for Transmons]({A}1)\n+ [Routing on Heavy Hex]({A}2)\n\n> Trapped-Ion\n\n+ [Shuttling Ions]({A}3)\n\n"
        "> My experiences during the year made me choose this field,\nand I keep reading.\n\n"
        f"+ [Post-Quantum Things]({A}4)\n",
        {("Hardware",): [], ("Hardware", "Superconducting"): [f"+ [Gates for Transmons]({A}1)",
                                                              f"+ [Routing on Heavy Hex]({A}2)"],
         ("Hardware", "Trapped-Ion"): [f"+ [Shuttling Ions]({A}3)", f"+ [Post-Quantum Things]({A}4)"]},
        id="one-line-quote-labels"),
    pytest.param(  # chawins/llm-sp: bold lines inside a heading's papers
        f"### Defenses\n- [General Defense]({A}1)\n\n**Rejection**\n\n- [Refusing Well]({A}2)\n\n"
        f"**Instruction hierarchy**:\n\n- [Ranked Instructions]({A}3)\n\n### Robustness\n- [Robust Things]({A}4)\n",
        {("Defenses",): [f"- [General Defense]({A}1)"], ("Defenses", "Rejection"): [f"- [Refusing Well]({A}2)"],
         ("Defenses", "Instruction hierarchy"): [f"- [Ranked Instructions]({A}3)"],
         ("Robustness",): [f"- [Robust Things]({A}4)"]},
        id="bold-line-labels"),
    pytest.param(
        f"## P\n<details><summary>Group</summary>\n\n- [A]({A}1)\n- [B]({A}2)\n\n</details>\n\n- [C]({A}3)\n",
        {("P",): [f"- [C]({A}3)"], ("P", "Group"): [f"- [A]({A}1)", f"- [B]({A}2)"]},
        id="entries-after-a-fold-are-its-parents"),
    pytest.param(  # thunlp/GNNPapers: a fold that only hides more of the section
        f"## P\n- [A]({A}1)\n<details><summary> more </summary>\n\n- [B]({A}2)\n\n</details>\n",
        {("P",): [f"- [A]({A}1)", f"- [B]({A}2)"]}, id="more-fold-is-no-label"),
    pytest.param(
        f"## P\n- [A]({A}1)\n\n**Contents**\n\n- [Attacks](#attacks)\n- [Defenses](#defenses)\n\n"
        "**Tools**\n\n- [Guard](https://github.com/x/guard)\n",
        {("P",): [f"- [A]({A}1)", "- [Attacks](#attacks)", "- [Defenses](#defenses)",
                  "- [Guard](https://github.com/x/guard)"]}, id="labels-over-no-papers-are-no-sections"),
    pytest.param(
        f"## P\n- **A Study of Many Interesting Things**\n  - [arXiv]({A}1)\n  - [Code](https://github.com/a/b)\n"
        f"- Short Title\n  - [Paper]({A}2)\n",
        {("P",): [f"- **A Study of Many Interesting Things**\n  - [arXiv]({A}1)\n  - [Code](https://github.com/a/b)",
                  f"- Short Title\n  - [Paper]({A}2)"]},
        id="a-paper-with-its-links-nested-is-one-entry"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sections_as_the_maintainer_wrote_them(text: str, expected: dict) -> None:
    assert outline(text) == expected


def test_labels_are_marked_and_nest_below_their_heading() -> None:
    doc = parse_list(f"## P\n- **Year 2025**\n  - **CVPR**\n    - Making Videos Move [[Paper]]({A}1)\n")
    assert [(s.heading, s.level, s.label) for s in doc.sections] == [
        ("P", 2, False), ("Year 2025", 3, True), ("CVPR", 4, True)]


@pytest.mark.parametrize(("line", "label"), [
    ("- **Year 2025**", "Year 2025"), ("+ `Dialogue`:", "Dialogue"), ("1. **Model backdoor**", "Model backdoor"),
    ("- Query-based RAG", "Query-based RAG"), ("- <span id='x'>**Year 2024**</span>", "Year 2024"),
    ("- [A Paper](https://arxiv.org/abs/2401.00001)", ""), ("- A Long Title About Many Interesting Things", ""),
    ("- We study this here.", ""),
])
def test_bullet_label(line: str, label: str) -> None:
    assert bullet_label(line) == label


def test_other_label_forms() -> None:
    assert emphasised_label("<b>1.1.1 Item Scoring</b>") == "1.1.1 Item Scoring"
    assert emphasised_label("**Note:** read this") == ""
    assert emphasised_label("*Ann Lee, Bo Li*") == ""  # italics: an entry's authors
    assert quote_label(["> Neutral atom + [[PasQal]](https://www.pasqal.com/)"]) == "Neutral atom"
    assert quote_label(["> We collect papers on quantum compilers and their hardware."]) == ""
    assert fold_label("<details><summary><b>1.2 Encoders</b></summary>") == "1.2 Encoders"
    assert fold_label("<details><summary>Click to expand</summary>") == ""
    assert [is_year_heading(h) for h in ("2025", "Year 2024", "2020 and before", "ICLR 2024", "Attacks 2024 Survey",
                                         "Jailbreak")] == [True, True, True, True, False, False]


# ---------------------------------------------------------------- writing under labels

WRITE_CASES = [
    pytest.param(
        f"## Video\n- **Year 2025**\n  - **arXiv**\n    - Making Videos Move [[Paper]]({A}1)\n"
        f"    - Longer Videos Now [[Paper]]({A}2)\n- **Year 2024**\n  - **arXiv**\n    - Old Tricks [[Paper]]({A}3)\n",
        ("Video", "Year 2025", "arXiv"), "    - Guarding Models Against Everything [[Paper]](https://arxiv.org/abs/2402.00005)",
        id="nested-bullet-label"),
    pytest.param(
        f"### Enhancements\n  - Re-ranking\n\n    [Ranking Passages Well]({A}1)\n\n    [Chunks That Matter]({A}2)\n\n"
        f"  - Chunking\n\n    [Chunks Again]({A}3)\n",
        ("Enhancements", "Re-ranking"), "    [Guarding Models Against Everything](https://arxiv.org/abs/2402.00005)",
        id="bare-links-under-a-label-bullet"),
    pytest.param(
        f"## Defenses\n**Rejection**\n\n- [Refusing Well]({A}1)\n- [Refusing Better]({A}2)\n\n"
        f"**Detection**\n\n- [Detecting Harm]({A}3)\n",
        ("Defenses", "Rejection"), "- [Guarding Models Against Everything](https://arxiv.org/abs/2402.00005)",
        id="bold-line-label"),
]


@pytest.mark.parametrize(("text", "path", "written"), WRITE_CASES)
def test_a_paper_is_written_inside_its_label(text: str, path: tuple[str, ...], written: str) -> None:
    doc = parse_list(text)
    section = next(s for s in doc.sections if s.path == path)
    after = insert_entries(doc, [(section, paper())])
    assert check_addition(text, after, paper(), path).ok
    new = next(s for s in parse_list(after).sections if s.path == path)
    assert [e.text for e in new.entries][-1] == written
    assert len(new.entries) == len(section.entries) + 1


# ---------------------------------------------------------------- lists that are hardly lists


def test_a_list_without_headings_reads_its_labels_or_nothing() -> None:
    assert parse_list(f"- [A]({A}1)\n- [B]({A}2)\n").sections == ()
    assert outline(f"**Attacks**\n\n- [A]({A}1)\n\n**Defenses**\n\n- [B]({A}2)\n") == {
        ("Attacks",): [f"- [A]({A}1)"], ("Defenses",): [f"- [B]({A}2)"]}


def test_a_list_of_one_section_takes_a_new_paper() -> None:
    text = f"# Papers\n- [A Study of Things]({A}1)\n"
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.sections[0], paper())])
    assert check_addition(text, after, paper(), ("Papers",)).ok


def test_fifty_thousand_lines_with_labels(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="markdown_it")  # its debug lines, kept, would take half a minute
    groups = "".join(f"**Group {g}**\n\n" + "".join(f"- [Paper {g} {k}](https://arxiv.org/abs/2401.{g:02d}{k:03d})\n"
                                                  for k in range(498)) + "\n" for g in range(100))
    doc = parse_list("# Big\n" + groups)
    assert len(doc.sections) == 101 and sum(len(s.entries) for s in doc.sections) == 49_800


@pytest.mark.parametrize("text", [
    f"## P\n<details><summary><b>Open</b></summary>\n\n- [A]({A}1)\n",  # a fold never closed
    f"## P\n</details>\n- [A]({A}1)\n</details></details>\n",  # closings with no opening
    f"<h3 align=center>Jailbreak\n- [A]({A}1)\n<h3>\n<h4></h4>\n- [B]({A}2)\n",  # headings left open or empty
    f"## P\n<table><tr><td>\n\n- [A]({A}1)\n\n</td></tr>\n",  # a table never closed
    f"<b>Label</b>\n<details><summary>\n- **Year 2025**\n  - [A]({A}1)\n> \n>",  # everything cut short
])
def test_broken_html_is_read_without_a_crash(text: str) -> None:
    doc = parse_list(text)
    assert all(e.first_line < e.end_line for s in doc.sections for e in s.entries)
    assert doc.find_paper("2401.00001")
