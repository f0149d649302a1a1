"""Rendering entries from arXiv metadata, and escaping what arXiv sends for where it lands."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import AuthorStyle, CellFormat, EntryFormat
from bot.lists.render import (
    abstract_excerpt,
    escape_html,
    escape_inline,
    escape_link_text,
    escape_table_cell,
    format_authors,
    render_entry,
    venue_of,
)
from bot.lists.scan import split_cells
from bot.papers.references import Paper
from tests.lists_data import SEED_LIST, all_list_files, list_text


def paper(title: str = "Safety at Scale: A Survey", **changes: object) -> Paper:
    fields: dict = {"arxiv_id": "2502.05206", "version": 3, "title": title,
                    "authors": ("Xingjun Ma", "Yifeng Gao", "Yixu Wang"), "abstract": "We survey. It matters.",
                    "published": date(2025, 2, 7), "updated": date(2025, 3, 1)}
    fields.update(changes)
    return Paper(**fields)


@pytest.mark.parametrize(("text", "inline", "link", "cell"), [
    ("Plain title", "Plain title", "Plain title", "Plain title"),
    ("Line\nbreak\r\n\u2028here", "Line break here", "Line break here", "Line break here"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;", "&lt;script&gt;x&lt;/script&gt;",
     "&lt;script&gt;x&lt;/script&gt;"),
    ("<!-- LATEST_PAPERS_END -->", "&lt;!-- LATEST_PAPERS_END --&gt;", "&lt;!-- LATEST_PAPERS_END --&gt;",
     "&lt;!-- LATEST_PAPERS_END --&gt;"),
    ("[x](javascript:y)", "\\[x\\](javascript:y)", "\\[x\\](javascript:y)", "\\[x\\](javascript:y)"),
    ("A | B", "A | B", "A | B", "A \\| B"),
    ("`code` **bold** _it_ snake_case", "\\`code\\` \\*\\*bold\\*\\* \\_it\\_ snake_case",
     "\\`code\\` \\*\\*bold\\*\\* \\_it\\_ snake_case", "\\`code\\` \\*\\*bold\\*\\* \\_it\\_ snake_case"),
    ("# Heading", "\\# Heading", "\\# Heading", "\\# Heading"),
    ("1. Not a list", "1\\. Not a list", "1\\. Not a list", "1\\. Not a list"),
    ("back\\slash", "back\\\\slash", "back\\\\slash", "back\\\\slash"),
    ("AT&T &amp; co", "AT&T &amp;amp; co", "AT&T &amp;amp; co", "AT&T &amp;amp; co"),
    ("~~strike~~", "\\~\\~strike\\~\\~", "\\~\\~strike\\~\\~", "\\~\\~strike\\~\\~"),
    ("see https://x.io and www.y.org", "see https\\://x.io and www\\.y.org", "see https\\://x.io and www\\.y.org",
     "see https\\://x.io and www\\.y.org"),
])
def test_escaping(text: str, inline: str, link: str, cell: str) -> None:
    assert (escape_inline(text), escape_link_text(text), escape_table_cell(text)) == (inline, link, cell)


def test_escape_html() -> None:
    assert escape_html('a <b> & "c"\n</summary>') == "a &lt;b&gt; &amp; &quot;c&quot; &lt;/summary&gt;"


def test_escape_html_keeps_apostrophes_as_lists_write_them() -> None:
    assert escape_html("Don't Say No: <b>") == "Don't Say No: &lt;b&gt;"


@pytest.mark.parametrize(("lines", "expected"), [
    (("- [⟦date:YYYY/MM⟧] **[⟦title:link⟧](⟦url⟧)**",),
     "- [2025/02] **[Safety at Scale: A Survey](https://arxiv.org/abs/2502.05206)**"),
    (("- **⟦title:text⟧**  ", "  *⟦authors:text⟧*. [[pdf](⟦url⟧)], ⟦date:YYYY.MM⟧. "
      "![](https://img.shields.io/badge/⟦venue:badge⟧-orange)"),
     "- **Safety at Scale: A Survey**  \n  *Xingjun Ma, Yifeng Gao, Yixu Wang*. [[pdf](https://arxiv.org/abs/"
     "2502.05206)], 2025.02. ![](https://img.shields.io/badge/arXiv-orange)"),
    # A line only the maintainer can fill is left out, never written as an empty bullet.
    (("* [⟦date:YYYY.MM.DD⟧] ⟦url⟧", "  * ⟦unknown⟧"),
     "* [2025.02.07] https://arxiv.org/abs/2502.05206\n  * *(to fill in)*"),
    (("- **⟦title:text⟧**", "  - ⟦unknown⟧", "  - ⟦authors:text⟧"),
     "- **Safety at Scale: A Survey**\n  - *(to fill in)*\n  - Xingjun Ma, Yifeng Gao, Yixu Wang"),
    # A survey's head is its topic, not a name: no `NAME: ` prefix (`LIMO: ...` below has one).
    (("⟦number⟧. ⟦short:text⟧: **\"⟦title:text⟧\"**.",), "1. **\"Safety at Scale: A Survey\"**."),
    (("<details><summary>⟦title:html⟧ (⟦date:YYYY⟧)</summary>", "", "“⟦abstract:text⟧”", "</details>"),
     "<details><summary>Safety at Scale: A Survey (2025)</summary>\n\n“We survey. It matters.”\n</details>"),
    (("- ⟦date:YY.MM⟧ / ⟦date:YYYY/M/D⟧ ⟦venue:text⟧",), "- 25.02 / 2025/2/7 arXiv"),
])
def test_render_fills_template(lines: tuple[str, ...], expected: str) -> None:
    assert render_entry(EntryFormat(lines=lines), paper()) == expected


def test_render_without_short_name_drops_its_prefix() -> None:
    fmt = EntryFormat(lines=("⟦number⟧. ⟦short:text⟧: **\"⟦title:text⟧\"**.",), numbering=(1, 36, 1))
    assert render_entry(fmt, paper("A Long Title Without A Colon")) == '37. **"A Long Title Without A Colon"**.'


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    ("Measuring Mathematical Problem Solving with the MATH Dataset", "We study.",
     '37. MATH: **"Measuring Mathematical Problem Solving with the MATH Dataset"**.'),
    ("Training Verifiers to Solve Math Word Problems",
     "To diagnose these failures, we introduce GSM8K, a dataset of 8.5K grade school math word problems.",
     '37. GSM8K: **"Training Verifiers to Solve Math Word Problems"**.'),
    ("Training Verifiers to Solve Math Word Problems", "We propose a method and evaluate it on three benchmarks.",
     '37. **"Training Verifiers to Solve Math Word Problems"**.'),
])
def test_render_short_name_from_title_or_abstract(title: str, abstract: str, expected: str) -> None:
    fmt = EntryFormat(lines=("⟦number⟧. ⟦short:text⟧: **\"⟦title:text⟧\"**.",), numbering=(1, 36, 1))
    assert render_entry(fmt, paper(title, abstract=abstract)) == expected


NAME_BADGE = ("- **⟦title:text⟧**", "  ⟦date:YYYY.MM⟧. ![](https://img.shields.io/badge/⟦venue:badge⟧-orange) "
              "![](https://img.shields.io/badge/⟦short:badge⟧-blue)")


@pytest.mark.parametrize(("title", "expected"), [
    ("LIMO: Less is More for Reasoning", "  2025.02. ![](https://img.shields.io/badge/arXiv-orange) "
     "![](https://img.shields.io/badge/LIMO-blue)"),
    ("A*-PO: Fast) ![x](https://evil.example/", "  2025.02. ![](https://img.shields.io/badge/arXiv-orange) "
     "![](https://img.shields.io/badge/A--PO-blue)"),
    ("Safety at Scale: A Survey", "  2025.02. ![](https://img.shields.io/badge/arXiv-orange)"),  # a phrase
    ("A Long Title Without A Name", "  2025.02. ![](https://img.shields.io/badge/arXiv-orange)"),
])
def test_render_name_badge_only_for_a_one_word_name(title: str, expected: str) -> None:
    assert render_entry(EntryFormat(lines=NAME_BADGE), paper(title)).split("\n")[1] == expected


@pytest.mark.parametrize(("number", "expected_indent"), [(9, 3), (10, 4), (100, 5)])
def test_render_hanging_indent_follows_the_number(number: int, expected_indent: int) -> None:
    fmt = EntryFormat(lines=("⟦number⟧. **\"⟦title:text⟧\"**.", "", "⟦indent⟧*⟦authors:text⟧*", "⟦indent⟧  - nested"))
    lines = render_entry(fmt, paper(), number=number).split("\n")
    assert [len(ln) - len(ln.lstrip()) for ln in lines[2:]] == [expected_indent, expected_indent + 2]
    assert lines[2].strip() == "*Xingjun Ma, Yifeng Gao, Yixu Wang*"


def test_indent_slot_in_a_title_stays_text() -> None:
    fmt = EntryFormat(lines=("⟦number⟧. ⟦title:text⟧", "⟦indent⟧⟦authors:text⟧"))
    assert render_entry(fmt, paper("⟦indent⟧ x", authors=("⟦indent⟧",)), number=1) == "1. ⟦indent⟧ x\n   ⟦indent⟧"


@pytest.mark.parametrize(("lines", "expected"), [
    (("*⟦authors:text⟧* ⟦venue:text⟧ ⟦date:YYYY⟧.",), "*Xingjun Ma, Yifeng Gao, Yixu Wang* ICLR 2026."),
    (("![](https://img.shields.io/badge/⟦venue:badge⟧-orange) ⟦date:YYYY.MM⟧",),
     "![](https://img.shields.io/badge/ICLR2026-orange) 2025.02"),
])
def test_render_venue_from_arxiv_comment(lines: tuple[str, ...], expected: str) -> None:
    accepted = paper(comment="Accepted at ICLR 2026. 20 pages")
    assert render_entry(EntryFormat(lines=lines, venue="arXiv"), accepted) == expected


def test_render_url_form_and_version() -> None:
    fmt = EntryFormat(lines=("- ⟦url⟧",), url_form="https://arxiv.org/pdf/{id}{v}.pdf")
    assert render_entry(fmt, paper()) == "- https://arxiv.org/pdf/2502.05206v3.pdf"


def test_render_table_row_pads_like_the_table() -> None:
    cells = (CellFormat("⟦date:YY.MM⟧", 7, "center", False), CellFormat("⟦unknown⟧", 10, "center", False),
             CellFormat("⟦venue:cell⟧", 11, "center", True), CellFormat("[⟦title:cell-link⟧](⟦url⟧)", 9, "left", False))
    fmt = EntryFormat(kind="table_row", cells=cells, venue="arxiv")
    row = render_entry(fmt, paper("Pipes | in [brackets]"))
    assert row == ("| 25.02 | *(to fill in)* |   arxiv   | [Pipes \\| in \\[brackets\\]](https://arxiv.org/abs/2502.05206) |")
    assert len(split_cells(row)) == 4


@pytest.mark.parametrize(("authors", "style", "expected"), [
    (("A B", "C D", "E F"), AuthorStyle(), "A B, C D, E F"),
    (("A B", "C D", "E F"), AuthorStyle(1, " et al."), "A B et al."),
    (("A B", "C D", "E F"), AuthorStyle(2, ", et al"), "A B, C D, et al"),
    (("A B",), AuthorStyle(1, " et al."), "A B"),
    ((), AuthorStyle(), "-"),
])
def test_format_authors(authors: tuple[str, ...], style: AuthorStyle, expected: str) -> None:
    assert format_authors(authors, style) == expected


@pytest.mark.parametrize(("journal_ref", "comment", "with_year", "expected"), [
    ("", "Accepted at ICLR 2025 (oral)", True, "ICLR 2025"),
    ("", "Accepted to the main conference of ACL 2025", False, "ACL"),
    ("", "Under review at NeurIPS 2025", True, ""),
    ("", "Submitted to ICML 2025. 12 pages", True, ""),
    ("TMLR 2025", "", True, "TMLR 2025"),
    ("Phys. Rev. D 100, 2019", "", True, ""),
    ("", "", True, ""),
])
def test_venue_only_when_arxiv_names_an_acceptance(journal_ref: str, comment: str, with_year: bool,
                                                   expected: str) -> None:
    assert venue_of(paper(journal_ref=journal_ref, comment=comment), with_year=with_year) == expected


def test_abstract_excerpt_cuts_at_a_sentence() -> None:
    text = "First sentence is here and it is long enough to count as one. " * 8
    excerpt = abstract_excerpt(text)
    assert excerpt.endswith("one.…") and len(excerpt) <= 282


HOSTILE_TITLES = [
    "Break\n## Out of the section",
    "| col | col | col |",
    "<!-- LATEST_PAPERS_START --> inject <!-- LATEST_PAPERS_END -->",
    "</summary></details><details><summary>x",
    "`unclosed code **bold [link](https://evil.example) ![img](x) \\",
    "-->\n\n---\n\n# Heading",
]


def _structure(text: str) -> tuple:
    doc = parse_list(text)
    rows = [len(split_cells(line)) for line in text.split("\n") if line.strip().startswith("|")]
    markers = len(re.findall(r"<!--\s*LATEST_PAPERS_(?:START|END)\s*-->", text))
    return [(s.heading, s.level, s.path) for s in doc.sections], sorted(set(rows)), markers


@pytest.mark.parametrize(("name", "source"), [*all_list_files()[::3], ("seed", "")])
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_cannot_break_the_list(name: str, source: str, title: str) -> None:
    from bot.lists.document import insert_entries

    text = SEED_LIST.read_text(encoding="utf-8") if name == "seed" else list_text(name, source)
    doc = parse_list(text)
    target = doc.paper_sections()[0]
    hostile = paper(title, arxiv_id="2511.99999", authors=("Eve <b>Mallory</b> | x", "`Bob"),
                    abstract="Abstract\n\n</details>\n# H")
    new = insert_entries(doc, [(target, hostile)])
    before, after = _structure(text), _structure(new)
    assert after[0] == before[0]  # the same headings
    assert after[1] == before[1] or set(after[1]) <= set(before[1])  # no table gains a column
    assert after[2] == before[2]  # markers untouched
    new_doc = parse_list(new)
    added = [e for s in new_doc.sections for e in s.entries if e.paper_id == "2511.99999"]
    assert len(added) == 1
    assert sum(len(s.entries) for s in new_doc.sections) == sum(len(s.entries) for s in doc.sections) + 1
    assert new_doc.find_paper("2511.99999") == [added[0].first_line + 1 + i
                                                for i, line in enumerate(added[0].text.split("\n"))
                                                if "2511.99999" in line]


RENDER_CASES = [
    "Plain title",
    "<!-- LATEST_PAPERS_START --> & <b>bold</b> </details>",
    "`unclosed code **bold [link](https://evil.example) ![img](x) \\",
    "| col | col |",
    "# Heading-like",
    "1. Numbered-like",
    "_under_ *star* ~~strike~~ snake_case x*y",
    "see https://x.io/a_b and www.y.org",
    "AT&T &amp; &#x27; done",
    "Don't say \"no\": it's <i>fine</i>",
]


def _visible(fragment_html: str) -> tuple[str, list[str]]:
    """Text and link targets of rendered HTML."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.text, self.hrefs = "", []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "a":
                self.hrefs.append(dict(attrs).get("href"))

        def handle_data(self, data: str) -> None:
            self.text += data

    collect = Collect()
    collect.feed(fragment_html)
    return " ".join(collect.text.split()), collect.hrefs


@pytest.mark.parametrize("text", RENDER_CASES)
def test_github_shows_escaped_text_verbatim(text: str) -> None:
    """Rendered by GitHub's own Markdown library, each escape shows the text and nothing else."""
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    def render(markdown: str) -> str:
        return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)

    expected = " ".join(text.split())
    assert _visible(render("Intro " + escape_inline(text))) == ("Intro " + expected, [])
    table = render(f"| a | b |\n|---|---|\n| {escape_table_cell(text)} | end |")
    assert _visible(table) == (f"a b {expected} end", [])
    assert table.count("<td>") == 2
    link = render(f"[{escape_link_text(text)}](https://arxiv.org/abs/2502.05206)")
    assert _visible(link) == (expected, ["https://arxiv.org/abs/2502.05206"])
    assert _visible(render(f"<details><summary>{escape_html(text)}</summary>\n\n</details>")) == (expected, [])
