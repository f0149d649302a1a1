"""The block layer under the list reader (markdown-it-py): constructs a line scanner gets wrong and
CommonMark gets right, each checked against GitHub's own rendering (cmark-gfm), and the trimmed
table rule against markdown-it's own. Excerpts marked with a list's name are cut down from
../shared/data/lists/raw (see tests/fixtures/SOURCES.md); ids ending in 9 must never be entries."""

from __future__ import annotations

import re

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from bot.lists.document import parse_list
from bot.lists.markdown import PARSER
from tests.lists_data import LIST_NAMES, list_text, records_by_file

A = "https://arxiv.org/abs/2401.0000"  # + one digit

# (markdown, {heading: entry texts}) per construct
CASES = [
    pytest.param(f"## P\n> ```\n> [x]({A}9)\n> ```\n\n[A]({A}1)\n\n[B]({A}2)\n",
                 {"P": [f"[A]({A}1)", f"[B]({A}2)"]}, id="fence-inside-a-quote"),
    pytest.param(f"## P\n````md\n```\n- [x]({A}9)\n````\n- [A]({A}1)\n",
                 {"P": [f"- [A]({A}1)"]}, id="fence-holding-a-shorter-fence"),
    pytest.param(f"## P\n- [A]({A}1)\n  ```bibtex\n  - [x]({A}9)\n  ## not a heading\n  ```\n- [B]({A}2)\n",
                 {"P": [f"- [A]({A}1)\n  ```bibtex\n  - [x]({A}9)\n  ## not a heading\n  ```", f"- [B]({A}2)"]},
                 id="fence-inside-an-entry"),
    pytest.param(f"## P\nSee:\n\n    - [x]({A}9)\n\n- [A]({A}1)\n",
                 {"P": [f"- [A]({A}1)"]}, id="indented-code-is-no-entry"),
    pytest.param(f"Papers on\nReasoning\n=========\n- [A]({A}1)\n",
                 {"Papers on Reasoning": [f"- [A]({A}1)"]}, id="setext-heading-over-two-lines"),
    pytest.param(f"Intro\n\nPapers\n------\n- [A]({A}1)\n\n---\n\n- [B]({A}2)\n",
                 {"Papers": [f"- [A]({A}1)", f"- [B]({A}2)"]}, id="setext-heading-and-a-rule"),
    pytest.param(  # HillZhang1999/llm-hallucination-survey: a numbered title, the authors lazily below
        f"## P\n1. **A Study of Things**\n*Ann Lee, Bo Li* [[paper]]({A}1) 2023.1\n"
        f"2. **Another Study**\n*Cy Ng* [[paper]]({A}2) 2023.2\n",
        {"P": [f"1. **A Study of Things**\n*Ann Lee, Bo Li* [[paper]]({A}1) 2023.1",
               f"2. **Another Study**\n*Cy Ng* [[paper]]({A}2) 2023.2"]}, id="lazy-continuation-lines"),
    pytest.param(  # tjunlp-lab/Awesome-LLMs-Evaluation-Papers: a two-digit item, authors indented 3
        f"## P\n31. \"**A Title**\".\n\n   *Ann Lee et al.* AAAI 2020. [[Paper]]({A}1)\n",
        {"P": [f"31. \"**A Title**\".\n\n   *Ann Lee et al.* AAAI 2020. [[Paper]]({A}1)"]},
        id="authors-indented-short-of-the-item"),
    pytest.param(f"## P\nTitle | Link\n--- | ---\nA | [A]({A}1)\nB \\| C | [B]({A}2)\n\nAfter.\n",
                 {"P": [f"A | [A]({A}1)", f"B \\| C | [B]({A}2)"]}, id="table-without-leading-pipe"),
    pytest.param(f"## P\n| Title | Link |\n|---|---|\n| A | [A]({A}1) |\nB [B]({A}2)\n",
                 {"P": [f"| A | [A]({A}1) |", f"B [B]({A}2)"]}, id="table-row-without-pipes"),
    pytest.param(f"## P\n<div align=\"center\">\n- [x]({A}9)\n</div>\n\n- [A]({A}1)\n",
                 {"P": [f"- [A]({A}1)"]}, id="html-block-shows-markdown-as-text"),
    pytest.param(  # yucheol-choi/awesome-quantum-compiler: HTML headings with ids
        f"<h3 id=\"mapping\">Qubit Mapping</h3>\n\n+ [A]({A}1)\n\n<h4 id=\"sabre\">SABRE</h4>\n\n+ [B]({A}2)\n",
        {"Qubit Mapping": [f"+ [A]({A}1)"], "SABRE": [f"+ [B]({A}2)"]}, id="html-headings"),
    pytest.param(  # chawins/llm-sp: one fold per paper, notes and code inside
        f"## P\n<details><summary>A Title (2023) [<a href=\"{A}1\">Paper</a>]</summary>\n\nNotes.\n\n"
        "```\n# code\n```\n</details>\n<details><summary>B Title (2023) "
        f"[<a href=\"{A}2\">Paper</a>]</summary>\n\nMore.\n\n</details>\n",
        {"P": [f"<details><summary>A Title (2023) [<a href=\"{A}1\">Paper</a>]</summary>\n\nNotes.\n\n"
               "```\n# code\n```\n</details>",
               f"<details><summary>B Title (2023) [<a href=\"{A}2\">Paper</a>]</summary>\n\nMore.\n\n</details>"]},
        id="details-fold-per-paper"),
    pytest.param(  # thunlp/GNNPapers: a fold of entries whose `</details>` is indented into the last item
        f"## P\n<details><summary> more </summary>\n\n1. **A.** [paper]({A}1)\n\n\t*Ann Lee.*\n\n"
        f"1. **B.** [paper]({A}2)\n\n\t*Bo Li.*\n\n     </details>\n\n## Q\n- [C]({A}3)\n",
        {"P": [f"1. **A.** [paper]({A}1)\n\n\t*Ann Lee.*", f"1. **B.** [paper]({A}2)\n\n\t*Bo Li.*"],
         "Q": [f"- [C]({A}3)"]}, id="details-fold-closed-inside-its-last-item"),
    pytest.param(f"## P\n<!--\n- [x]({A}9)\n## Hidden\n-->\n- [A]({A}1)\n",
                 {"P": [f"- [A]({A}1)"]}, id="comment"),
]


def _github_headings(markdown: str) -> list[str]:
    html = cmarkgfm.markdown_to_html_with_extensions(markdown, Options.CMARK_OPT_UNSAFE, ["table"])
    return [re.sub(r"<[^>]+>", "", inner).strip()
            for inner in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.DOTALL)]


@pytest.mark.parametrize(("markdown", "expected"), CASES)
def test_entries_and_headings_as_github_reads_them(markdown: str, expected: dict[str, list[str]]) -> None:
    doc = parse_list(markdown)
    assert {s.heading: [e.text for e in s.entries] for s in doc.sections} == expected
    assert [" ".join(h.split()) for h in _github_headings(markdown)] == [s.heading for s in doc.sections]
    for section in doc.sections:  # nothing in code, comments or raw HTML text
        assert not any(e.arxiv_ids and e.arxiv_ids[0].endswith("9") for e in section.entries)


def test_heading_lines_and_levels() -> None:
    doc = parse_list("Top\n===\n\ntext\n\n### Three ###\n<h5 id='x'>Five</h5>\n")
    assert [(s.heading, s.level, s.line, s.end_line) for s in doc.sections] == [
        ("Top", 1, 0, 5), ("Three", 3, 5, 6), ("Five", 5, 6, 7)]


# ---------------------------------------------------------------- the trimmed table rule

SEPARATOR_ROW = re.compile(r"^ {0,3}\|? *:?-+:? *\|", re.MULTILINE)
TABLES = [
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 |\n| 4 | 5 | 6 |\n",
    "a | b\n-|-\n1 | 2\nno pipe here\n\nafter\n",
    "| a \\| b | c |\n| --- | --- |\n| x \\| y | z |\n",
    "| a | b |\n| - - | --- |\n| 1 | 2 |\n",  # not a separator row
    "| a | b | c |\n|---|---|\n| 1 | 2 |\n",  # header and separator disagree: no table
    "| a |\n|---|\n| 1 |\n- list item ends it\n",
    "| a |\n|---|\n| 1 |\n> quote ends it\n",
    "text before\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # a table interrupts a paragraph
    "    | a | b |\n    |---|---|\n",  # indented code, not a table
    "- | a | b |\n  |---|---|\n  | 1 | 2 |\n  not indented enough? yes it is\nback out\n",
    "|a|\n|:--|\n|1|\n|2|\n## heading ends it\n",
    "| a | b |\n|---||---|\n| 1 | 2 |\n",  # empty middle column: no table
    "a|b\n:-:|-:\n",
]


def _blocks(md: MarkdownIt, text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(t.type, tuple(t.map)) for t in md.block.parse(text, md, {}, []) if t.map and "_close" not in t.type
            and t.type not in ("inline", "th_open", "td_open")]


@pytest.mark.parametrize("text", TABLES)
def test_trimmed_table_rule_finds_the_tables_and_rows_markdown_it_finds(text: str) -> None:
    reference = MarkdownIt("commonmark").enable("table")
    assert _blocks(PARSER, text) == _blocks(reference, text)


@pytest.mark.parametrize("name", LIST_NAMES)
def test_trimmed_table_rule_on_real_lists(name: str) -> None:
    reference = MarkdownIt("commonmark").enable("table")
    for source in records_by_file(name):
        text = list_text(name, source)
        if not SEPARATOR_ROW.search(text):
            continue  # no table to compare (and markdown-it's own rule is slow where there are)
        assert _blocks(PARSER, text) == _blocks(reference, text)
