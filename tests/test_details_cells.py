"""Issue #14: `<details>` entries and table name cells written like their siblings. Synthetic
sections modelled on the real forms: a `<details><summary>Title (2023) [<a href=...>Paper</a>]</summary>`
block whose body quotes the abstract (also after a `- ` marker) or holds the maintainer's own notes;
a dataset table whose name column is written in bold (`| **AS-1B** | [Title](url) | ... |`)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import learn_format
from bot.lists.render import PLACEHOLDER, render_entry
from bot.lists.scan import split_cells
from bot.papers.references import Paper

ABSTRACT = "We show that models leak data. We propose a defence and evaluate it."


def paper(title: str = "LeakScope: Measuring Leakage in Language Models") -> Paper:
    return Paper("2401.00009", 1, title, ("Ann Lee",), ABSTRACT, date(2024, 1, 5), date(2024, 2, 1))


def details_section(bodies: list[str]) -> str:
    blocks = [f'<details><summary>Paper {i} on attacks against models (2023) [<a href="https://arxiv.org/abs/'
              f'2301.0000{i}">Paper</a>] ⭐</summary>\n{body}\n</details>' for i, body in enumerate(bodies)]
    return "## Attacks\n\n" + "\n\n".join(blocks) + "\n"


def written_details(bodies: list[str]) -> str:
    return render_entry(learn_format(parse_list(details_section(bodies)).sections[0]), paper())


def test_details_bulleted_quote_keeps_its_quotes() -> None:
    written = written_details(["- “We attack models with a new method…”", "- “We find that all models fail…”"])
    assert written.split("\n")[1:] == [f"- “{ABSTRACT}”", "</details>"]


def test_details_notes_are_a_placeholder_in_their_place() -> None:
    written = written_details(["\n\nJailbreak taxonomy and evaluation.\n", "\n\nFound 16 bugs in 51 apps.\n"])
    lines = written.split("\n")
    assert lines[0].startswith("<details><summary>LeakScope: Measuring Leakage in Language Models (2024)")
    assert lines[1:] == ["", "", PLACEHOLDER, "", "</details>"]
    assert ABSTRACT not in written  # the abstract is not passed off as the maintainer's notes


def test_details_quoted_abstract_written_from_abstract() -> None:
    written = written_details(["\n\n“We attack models with a new method…”\n", "\n\n“We find that models fail…”\n"])
    assert written.split("\n")[1:] == ["", "", f"“{ABSTRACT}”", "", "</details>"]


def dataset_table(names: list[str]) -> str:
    rows = [f"| {name} | [Paper {i} about a benchmark for models](https://arxiv.org/pdf/2301.0000{i}.pdf) "
            f"| [Link](https://github.com/o/r{i}) | A benchmark of things |" for i, name in enumerate(names)]
    return "## Datasets\n\n| Name | Paper | Link | Notes |\n|:-:|:-:|:-:|:-:|\n" + "\n".join(rows) + "\n"


def name_cell(names: list[str], metadata: Paper) -> str:
    fmt = learn_format(parse_list(dataset_table(names)).sections[0])
    return split_cells(render_entry(fmt, metadata))[0].strip()


@pytest.mark.parametrize(("names", "title", "expected"), [
    (["**AS-1B**", "**MathVista**", "**GAVIE**"], "LeakScope: Measuring Leakage in Language Models",
     "**LeakScope**"),
    (["**AS-1B**", "**MathVista**", "**GAVIE**"], "Measuring Leakage in Language Models", PLACEHOLDER),
    (["`AS-1B`", "`MathVista`", "GAVIE"], "LeakScope: Measuring Leakage in Language Models", "`LeakScope`"),
    (["AS-1B", "**MathVista**", "GAVIE"], "LeakScope: Measuring Leakage in Language Models", "LeakScope"),
], ids=["bold-column", "bold-column-no-name", "code-majority", "plain-majority"])
def test_name_cell_in_its_columns_emphasis(names: list[str], title: str, expected: str) -> None:
    assert name_cell(names, paper(title)) == expected


def starred_table() -> str:
    """Rows modelled on a model table: a stars badge and `<br>` around the bold linked title when the
    paper has code, a `[Github](...)` code cell (`-` when none), a demo column."""
    rows = []
    for i in range(4):
        has_code = i != 3
        badge = (f"![Star](https://img.shields.io/github/stars/org{i}/Model-{i}.5.svg?style=social&label=Star) <br> "
                 if has_code else "")
        code = f"[Github](https://github.com/org{i}/Model-{i}.5)" if has_code else "-"
        rows.append(f"| {badge}[**Paper {i} on multimodal models**](https://arxiv.org/pdf/2501.0000{i}) "
                    f"{'<br> ' if has_code else ''}| arXiv | 2025-01-0{i + 1} | {code} | - |")
    return ("## Models\n\n| Title | Venue | Date | Code | Demo |\n|:-:|:-:|:-:|:-:|:-:|\n"
            + "\n".join(rows) + "\n")


@pytest.mark.parametrize(("abstract", "expected"), [
    ("We study. Code is at https://github.com/acme/Vision-LM.",
     "| ![Star](https://img.shields.io/github/stars/acme/Vision-LM.svg?style=social&label=Star) <br> "
     "[**Vision LM: a Model**](https://arxiv.org/pdf/2502.00009) <br> | arXiv | 2025-02-03 "
     "| [Github](https://github.com/acme/Vision-LM) | *(to fill in)* |"),
    ("We study.", "| [**Vision LM: a Model**](https://arxiv.org/pdf/2502.00009) | arXiv | 2025-02-03 | - | *(to fill in)* |"),
    ("Code: https://gitlab.com/acme/vlm",  # a stars badge shows GitHub repositories only
     "| [**Vision LM: a Model**](https://arxiv.org/pdf/2502.00009) | arXiv | 2025-02-03 "
     "| [Github](https://gitlab.com/acme/vlm) | *(to fill in)* |"),
], ids=["github-code", "no-code", "gitlab-code"])
def test_stars_badge_from_the_papers_repository(abstract: str, expected: str) -> None:
    fmt = learn_format(parse_list(starred_table()).sections[0])
    metadata = Paper("2502.00009", 1, "Vision LM: a Model", ("Ann Lee",), abstract, date(2025, 2, 3),
                     date(2025, 2, 3))
    assert render_entry(fmt, metadata) == expected


def test_benchmark_body_form_and_code_comment() -> None:
    """`benchmarks/format_shape.py`'s `+body` and `+code` figures: a `<details>` body compared by its
    lines' markers and quotes only; the code link an entry shows passed as an arXiv comment would."""
    from benchmarks.format_shape import body_form, code_comment
    from bot.lists.model import Entry

    summary = '<details><summary>T (2023) [<a href="https://arxiv.org/abs/2301.00001">Paper</a>]</summary>'
    quoted = f"{summary}\n\n- “We find 16 of 51 apps leak…”\n- Notes on 3 apps.\n</details>"
    assert body_form(quoted) == f'{summary}\n\n- "t"\n- t\n</details>'
    assert body_form("- [T](https://arxiv.org/abs/2301.00001) 2023") == "- [T](https://arxiv.org/abs/2301.00001) 2023"
    row = "| [**T**](https://arxiv.org/pdf/2301.00001) | arXiv | [Github](https://github.com/o/Model-1.5) |"
    entry = Entry(0, 1, row, ("2301.00001",), "T", "table_row")
    assert code_comment(entry) == "Code: https://github.com/o/Model-1.5"
