"""Table rows written like their siblings (issue #14): the venue cell's name-and-year form, line
breaks left at a cell's edge by a dropped badge, the code column's "none" cell. Synthetic tables
modelled on the forms real lists use (`NAACL2024` / `arxiv`, `Arxiv 2023` / `AAAI 2024`, `NAACL'24`,
a star badge then `<br>` before the title)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import learn_format
from bot.lists.entries.shape import strict_shape
from bot.lists.render import render_entry
from bot.lists.scan import split_cells
from bot.papers.references import Paper


def paper(comment: str = "", journal_ref: str = "") -> Paper:
    return Paper("2502.05206", 1, "Safety at Scale: A Survey", ("Ann Lee", "Bo Chen"), "We survey.",
                 date(2025, 2, 7), date(2025, 3, 1), comment=comment, journal_ref=journal_ref)


def table(venues: list[str]) -> str:
    rows = [f"| 24.0{i + 1} | Paper {i} about safety evaluation | [Paper {i} about safety](https://arxiv.org/abs/2401.0000{i}) "
            f"| {venue} |" for i, venue in enumerate(venues)]
    return "## Papers\n\n| Date | Title | Link | Publication |\n|:-:|:-:|:-:|:-:|\n" + "\n".join(rows) + "\n"


def venue_cell(venues: list[str], metadata: Paper) -> str:
    fmt = learn_format(parse_list(table(venues)).sections[0])
    return split_cells(render_entry(fmt, metadata))[-1].strip()


@pytest.mark.parametrize(("venues", "metadata", "expected"), [
    # Named venues as `NAME2024`, arXiv-only papers as `arxiv` (no year).
    (["NAACL2024", "arxiv", "ACL2022", "arxiv"], paper("Accepted at NAACL 2024"), "NAACL2024"),
    (["NAACL2024", "arxiv", "ACL2022", "arxiv"], paper(), "arxiv"),
    # Every row shows a year, arXiv ones too.
    (["Arxiv 2023", "AAAI 2024", "Arxiv 2024"], paper(), "Arxiv 2025"),
    (["Arxiv 2023", "AAAI 2024", "Arxiv 2024"], paper(journal_ref="Proceedings of KDD 2025"), "KDD 2025"),
    # Two-digit years after an apostrophe.
    (["ICLR'24", "NAACL'24", "arXiv'23"], paper("To appear at ICML 2025 (spotlight)"), "ICML'25"),
    (["ICLR'24", "NAACL'24", "arXiv'23"], paper(), "arXiv'25"),
    # A comma between name and year.
    (["EMNLP, 2019", "Arxiv, 2023"], paper("accepted at EMNLP 2023"), "EMNLP, 2023"),
    # Rows that show no year: the venue alone, no year invented.
    (["ICLR", "arXiv", "CVPR"], paper("Accepted at NAACL 2024"), "NAACL"),
    (["ICLR", "arXiv", "CVPR"], paper(), "arXiv"),
])
def test_venue_cell_written_in_the_columns_form(venues: list[str], metadata: Paper, expected: str) -> None:
    assert venue_cell(venues, metadata) == expected


def test_venue_year_never_invented_for_a_named_venue() -> None:
    """The comment names the venue but not the year: the name alone, not the arXiv year beside it."""
    assert venue_cell(["NAACL2024", "ACL2022", "arxiv"], paper("Accepted at EMNLP")) == "EMNLP"


BADGED = """## Models

| Title | Venue | Date | Code | Demo |
|:--------|:--------:|:--------:|:--------:|:--------:|
| ![Star](https://img.shields.io/github/stars/a/one.svg?style=social&label=Star) <br> [**One: a model**](https://arxiv.org/pdf/2501.00001) <br> | arXiv | 2025-01-02 | [Github](https://github.com/a/one) | - |
| ![Star](https://img.shields.io/github/stars/b/two.svg?style=social&label=Star) <br> [**Two: a model**](https://arxiv.org/pdf/2501.00002) <br> | arXiv | 2025-01-03 | [Github](https://github.com/b/two) | [Demo](https://two.example.org) |
| [**Three: a model**](https://arxiv.org/pdf/2501.00003) | arXiv | 2025-01-04 | - | - |
| ![Star](https://img.shields.io/github/stars/d/four.svg?style=social&label=Star) <br> [**Four: a model**](https://arxiv.org/pdf/2501.00004) <br> | CVPR | 2025-01-05 | [Github](https://github.com/d/four) | Local Demo |
"""


def test_breaks_left_at_a_cell_edge_by_a_dropped_badge_go_with_it() -> None:
    row = render_entry(learn_format(parse_list(BADGED).sections[0]), paper())
    assert split_cells(row)[0].strip() == "[**Safety at Scale: A Survey**](https://arxiv.org/pdf/2502.05206)"


def test_code_cell_without_code_written_like_the_rows_that_link_none() -> None:
    """Most rows link their code; those that do not write `-`, and so does a paper without code."""
    fmt = learn_format(parse_list(BADGED).sections[0])
    assert split_cells(render_entry(fmt, paper()))[3].strip() == "-"
    with_code = render_entry(fmt, paper("Code: https://github.com/x/safety"))
    assert split_cells(with_code)[3].strip() == "[Github](https://github.com/x/safety)"


def test_dropping_a_code_link_keeps_its_table_cell() -> None:
    """The format benchmark's `no-extra`/`columns` view: a code link alone in its cell leaves the cell."""
    row = "| [**T**](https://arxiv.org/abs/2501.00001) | arXiv | [Github](https://github.com/a/b) | - |"
    assert strict_shape(row, drop_extras=True).count("|") == row.count("|")


def test_format_benchmark_digits_skip_hyphens_inside_words() -> None:
    """`benchmarks/format_fields.py`: a keyword cell `**Vision-Language**` has no digit skeleton, so a
    placeholder compares equal to it; a date's or a number's separators still count."""
    from benchmarks.format_fields import compare

    written = "| 24.02 | *(to fill in)* | arxiv | [A](https://arxiv.org/abs/2402.00001) |"
    for cell, same in (("**Vision-Language**&**and/or**", True), ("GPT-4", False), ("2024-05", False)):
        original = f"| 24.02 | {cell} | arxiv | [A](https://arxiv.org/abs/2402.00001) |"
        assert compare(original, written, "A")["digits"] is same


@pytest.mark.parametrize(("original", "written", "same"), [
    # codefuse: the colon of a name prefix is markup (compared there), not a separator of digits
    ('48. **AFM**: "Apple Intelligence Foundation Language Models" [2024-07] [[paper](https://arxiv.org/abs/2407.21075)]',
     '48. "Apple Intelligence Foundation Language Models" [2024-07] [[paper](https://arxiv.org/abs/2407.21075)]', True),
    # ydyjya: an affiliation cell with a slash between names is a short phrase a placeholder stands for
    ("| 25.11 | Wuhan University / MiLM Plus, Xiaomi Inc. | arxiv | [A](https://arxiv.org/abs/2511.12982) |",
     "| 25.11 | *(to fill in)* | arxiv | [A](https://arxiv.org/abs/2511.12982) |", True),
    # separators beside digits still count: a date's comma, a venue's year
    ("| 08/27, 2025 | A |", "| 08/27 2025 | A |", False),
    ('1. "A" [2022-12] [ACL 2023] [[paper](https://arxiv.org/abs/2212.09420)]',
     '1. "A" [2022-12] [[paper](https://arxiv.org/abs/2212.09420)]', False),
])
def test_format_benchmark_digits_keep_only_separators_beside_digits(original: str, written: str, same: bool) -> None:
    """`benchmarks/format_fields.py`: `-./,:` count where a digit stands beside them (a space apart)."""
    from benchmarks.format_fields import compare

    assert compare(original, written, "A")["digits"] is same
