"""Learning how a section writes its entries: single-entry templates, and whole real sections."""

from __future__ import annotations

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import DEFAULT_FORMAT, AuthorStyle, learn_format
from bot.lists.entries.template import induce
from tests.lists_data import list_text

TEMPLATE_CASES = [
    pytest.param(
        "- [2025/10] **[Imperceptible Jailbreaking](https://arxiv.org/abs/2510.05025)** "
        "![LLM](https://img.shields.io/badge/LLM-589cf4)",
        "list_item", "Imperceptible Jailbreaking", (),
        ["- [⟦date:YYYY/MM⟧] **[⟦title:link⟧](⟦url⟧)**"], id="badge-dropped",
    ),
    pytest.param(
        "- **s1: Simple test-time scaling**  \n  *Niklas Muennighoff, Zitong Yang*. [[pdf](https://arxiv.org/pdf/"
        "2501.19393)], [[code](https://github.com/simplescaling/s1)], 2025.01. ![](https://img.shields.io/badge/"
        "Arxiv-orange) ![](https://img.shields.io/badge/s1-blue)",
        "list_item", "s1: Simple test-time scaling", (),
        ["- **⟦title:text⟧**  ", "  *⟦authors:text⟧*. [[pdf](⟦url⟧)], [⟦codelink:code⟧], ⟦date:YYYY.MM⟧. "
         "![](https://img.shields.io/badge/⟦venue:badge⟧-orange) ![](https://img.shields.io/badge/⟦short:badge⟧-blue)"],
        id="code-link-as-slot-name-badge-kept",
    ),
    pytest.param(
        "* **Cross-Modality Safety Alignment** | [Github](https://github.com/sinwang20/SIUO) "
        "![Star](https://img.shields.io/github/stars/sinwang20/SIUO.svg?style=social&label=Star)\n"
        "  * Siyin Wang, Xingsong Ye, Qinyuan Cheng\n  * Fudan University | National University of Singapore\n"
        "  * [2024.06.21] https://arxiv.org/abs/2406.15279\n  * Benchmark",
        "list_item", "Cross-Modality Safety Alignment", (),
        ["* **⟦title:text⟧** | ⟦codelink:Github⟧", "  * ⟦authors:text⟧", "  * ⟦unknown⟧", "  * [⟦date:YYYY.MM.DD⟧] ⟦url⟧",
         "  * ⟦unknown⟧"], id="unknown-lines-kept-as-slots",
    ),
    pytest.param(
        "3. PIQA: **\"PIQA: Reasoning about Physical Commonsense\"**. ![](https://img.shields.io/badge/Dataset-blue)"
        "\n   \n    *Yonatan Bisk et al.* AAAI 2020. [[Paper](https://arxiv.org/abs/1911.11641)] "
        "[[Source](http://yonatanbisk.com/piqa)] ",
        "list_item", "PIQA: Reasoning about Physical Commonsense", (),
        ["⟦number⟧. ⟦short:text⟧: **\"⟦title:text⟧\"**.", "   ",
         "    *⟦authors:text⟧* ⟦venue:text⟧ ⟦date:YYYY⟧. [[Paper](⟦url⟧)]"], id="short-name-venue-year",
    ),
    pytest.param(
        "<details><summary>Jailbroken: How Does LLM Safety Training Fail? (2023) [<a href=\"https://arxiv.org/abs/"
        "2307.02483\">Paper</a>] ⭐ 💸</summary>\n\n\n“We investigate why such attacks succeed…”\n\n</details>",
        "details", "Jailbroken: How Does LLM Safety Training Fail?", (),
        ["<details><summary>⟦title:html⟧ (⟦date:YYYY⟧) [<a href=\"⟦url⟧\">Paper</a>]</summary>", "", "",
         "“⟦abstract:text⟧”", "", "</details>"], id="details-emoji-dropped",
    ),
    pytest.param(
        "| 23.07 |  UC Berkeley  |  NIPS2023   | [Jailbroken: How Does LLM Safety Training Fail?](https://arxiv.org/abs"
        "/2307.02483) | **Jailbreak**&**Safety Training** |",
        "table_row", "Jailbroken: How Does LLM Safety Training Fail?",
        ("Date", "Institute", "Publication", "Paper", "Keywords"),
        ["| ⟦date:YY.MM⟧ | ⟦unknown:cell⟧ | ⟦venue:cell⟧ | [⟦title:cell-link⟧](⟦url⟧) | ⟦unknown:cell⟧ |"],
        id="table-row-by-columns",
    ),
    pytest.param(
        "- **Reasoning at Scale**  \n  *A. Lee*. [[pdf](https://arxiv.org/pdf/2501.19393)], 2025.01. "
        "![](https://img.shields.io/badge/Arxiv-orange) ![](https://img.shields.io/badge/Survey-green)",
        "list_item", "Reasoning at Scale", (),
        ["- **⟦title:text⟧**  ", "  *⟦authors:text⟧*. [[pdf](⟦url⟧)], ⟦date:YYYY.MM⟧. "
         "![](https://img.shields.io/badge/⟦venue:badge⟧-orange)"], id="label-badge-that-is-no-name-dropped",
    ),
    pytest.param(
        "- [Title Only](https://github.com/x/y)", "list_item", "Somewhere Else", (), None, id="title-not-found",
    ),
]


@pytest.mark.parametrize(("text", "kind", "title", "columns", "expected"), TEMPLATE_CASES)
def test_induced_template(text: str, kind: str, title: str, columns: tuple[str, ...],
                          expected: list[str] | None) -> None:
    induced = induce(text, kind, title, columns)
    assert (induced.lines if induced else None) == expected


SECTION_CASES = [
    # list, file, section: kind, title style, link form, date format, newest first, numbering, gap, venue, authors
    ("ThuCCSLab__Awesome-LM-SSP", "collection/paper/safety/jailbreak.md", "A1. Jailbreak",
     ("list_item", "bold-link", "abs", "YYYY/MM", True, None, 0, "arXiv", AuthorStyle())),
    ("ydyjya__Awesome-LLM-Safety", "subtopic/Jailbreaks&Attack.md", "Papers",
     ("table_row", "link", "abs", "YY.MM", False, None, 0, "arxiv", AuthorStyle())),
    ("hemingkx__Awesome-Efficient-Reasoning", "README.md", "Survey",
     ("list_item", "bold", "pdf", "YYYY.MM", False, None, 0, "Arxiv", AuthorStyle())),
    ("chawins__llm-sp", "README.md", "Jailbreak",
     ("details", "html", "abs", "YYYY", False, None, 1, "arXiv", AuthorStyle())),
    ("hijkzzz__Awesome-LLM-Strawberry", "README.md", "2024",
     ("list_item", "link", "abs", "", True, None, 0, "arXiv", AuthorStyle())),
    ("isXinLiu__Awesome-MLLM-Safety", "README.md", "Evaluation",
     ("list_item", "bold", "abs", "YYYY.MM.DD", True, None, 0, "arXiv", AuthorStyle())),
    ("tjunlp-lab__Awesome-LLMs-Evaluation-Papers", "README.md", "Bias",
     ("list_item", "bold", "abs", "YYYY", False, (1, 36, 1), 1, "arXiv", AuthorStyle(1, " et al."))),
]


@pytest.mark.parametrize(("name", "source", "heading", "expected"), SECTION_CASES)
def test_learned_section_format(name: str, source: str, heading: str, expected: tuple) -> None:
    doc = parse_list(list_text(name, source))
    fmt = learn_format(next(s for s in doc.sections if s.heading == heading))
    assert (fmt.kind, fmt.title_style, fmt.link_form, fmt.date_format, fmt.newest_first, fmt.numbering,
            fmt.gap, fmt.venue, fmt.authors) == expected
    assert fmt.example in {e.text for s in doc.sections for e in s.entries}


def test_table_cells_padded_where_the_section_pads_them() -> None:
    doc = parse_list(list_text("ydyjya__Awesome-LLM-Safety", "subtopic/Jailbreaks&Attack.md"))
    fmt = learn_format(next(s for s in doc.sections if s.heading == "Papers"))
    assert [(c.align, c.padded) for c in fmt.cells] == [("center", False), ("center", False),
                                                        ("center", True), ("center", False),
                                                        ("center", False)]


@pytest.mark.parametrize(("text", "newest_first", "numbering"), [
    ("## P\n- [A](https://arxiv.org/abs/2503.00001)\n- [B](https://arxiv.org/abs/2502.00001)\n"
     "- [C](https://arxiv.org/abs/2501.00001)\n", True, None),
    ("## P\n- [A](https://arxiv.org/abs/2501.00001)\n- [B](https://arxiv.org/abs/2503.00001)\n", False, None),
    ("## P\n3. [A](https://arxiv.org/abs/2501.00001)\n2. [B](https://arxiv.org/abs/2503.00001)\n", True, (3, 2, -1)),
    ("## P\n1. [A](https://arxiv.org/abs/2503.00001)\n1. [B](https://arxiv.org/abs/2501.00001)\n", False, (1, 1, 0)),
])
def test_where_new_entries_go(text: str, newest_first: bool, numbering: tuple | None) -> None:
    fmt = learn_format(parse_list(text).sections[0])
    assert (fmt.newest_first, fmt.numbering) == (newest_first, numbering)


def test_authors_cut_like_the_section() -> None:
    text = ("## P\n- [A](https://arxiv.org/abs/2501.00001), *Ann Lee, Bo Chen et al.*\n"
            "- [B](https://arxiv.org/abs/2501.00002), *Cy Dee, Ed Fox et al.*\n")
    assert learn_format(parse_list(text).sections[0]).authors == AuthorStyle(2, " et al.")


def test_title_without_link_gets_one() -> None:
    fmt = learn_format(parse_list("## Survey\n- A Survey on Post-training of Large Language Models\n").sections[0])
    assert fmt.lines == ("- [⟦title:link⟧](⟦url⟧)",)


def test_section_without_papers_gets_the_default() -> None:
    assert learn_format(parse_list("## Tools\n- [Guard](https://github.com/x/guard)\n").sections[0]) == DEFAULT_FORMAT


HANGING = ("## P\n\n"
           "8. **\"Paper Eight\"**. [[Paper](https://arxiv.org/abs/2501.00008)]\n\n   *Ann Lee et al.* arXiv 2025.\n\n"
           "9. **\"Paper Nine\"**. [[Paper](https://arxiv.org/abs/2501.00009)]\n\n   *Bo Chen et al.* arXiv 2025.\n\n"
           "10. **\"Paper Ten\"**. [[Paper](https://arxiv.org/abs/2501.00010)]\n\n    *Cy Dee et al.* arXiv 2025.\n")
FIXED = HANGING.replace("\n   *", "\n    *")  # every continuation line 4 spaces in, whatever the number


@pytest.mark.parametrize(("text", "expected"), [
    (HANGING, ("", "⟦indent⟧*⟦authors:text⟧* ⟦venue:text⟧ ⟦date:YYYY⟧.")),
    (FIXED, ("", "    *⟦authors:text⟧* ⟦venue:text⟧ ⟦date:YYYY⟧.")),
])
def test_continuation_lines_under_the_text_follow_the_number(text: str, expected: tuple[str, ...]) -> None:
    fmt = learn_format(parse_list(text).sections[0])
    assert fmt.numbering == (8, 10, 1)
    assert fmt.lines[1:] == expected


def test_real_numbered_section_aligns_under_a_two_digit_number() -> None:
    doc = parse_list(list_text("tjunlp-lab__Awesome-LLMs-Evaluation-Papers", "README.md"))
    section = next(s for s in doc.sections if s.heading == "General Alignment Evaluation")
    fmt = learn_format(section)  # entries 1-9 continue 3 spaces in, 10-13 four spaces in
    assert fmt.lines[-1].startswith("⟦indent⟧*⟦authors:text⟧*")


def test_name_the_title_introduces_is_learned_as_the_short_name() -> None:
    text = ('## Math\n\n1. MATH: **"Measuring Mathematical Problem Solving with the MATH Dataset"**.\n\n'
            '    *Dan Hendrycks et al.* arXiv 2021. [[Paper](https://arxiv.org/pdf/2103.03874.pdf)]\n')
    doc = parse_list(text)
    entry = doc.sections[0].entries[0]
    induced = induce(entry.text, entry.kind, entry.title)
    assert induced is not None and induced.lines[0] == '⟦number⟧. ⟦short:text⟧: **"⟦title:text⟧"**.'
