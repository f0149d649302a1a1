"""A table's demo or project-page column, and a column whose rows link code whatever its header says
(issue #14: fill what metadata supports, else the visible placeholder). Synthetic tables in the forms
of real lists (BradyFU/Awesome-Multimodal-Large-Language-Models: `| Title | Venue | Date | Code | Demo |`
with `[Demo](...)` or `-` cells; a `| Page |` column of `[Github](...)` links)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings

from bot.lists.document import parse_list
from bot.lists.entries.format import learn_format
from bot.lists.render import PLACEHOLDER, page_link, render_entry
from bot.lists.scan import split_cells
from bot.papers.references import Paper
from tests.test_hostile import hostile_text, table_widths


def paper(abstract: str = "We see.", comment: str = "") -> Paper:
    return Paper("2502.05206", 1, "Safety at Scale: A Survey", ("Ann Lee",), abstract,
                 date(2025, 2, 7), date(2025, 3, 1), comment=comment)


@pytest.mark.parametrize(("abstract", "comment", "expected"), [
    ("Our project page is https://ucsc-vlaa.github.io/STAR-1.", "", "https://ucsc-vlaa.github.io/STAR-1"),
    ("We release it at https://lab.github.io/tool/", "", "https://lab.github.io/tool/"),  # GitHub Pages
    ("", "Demo: https://huggingface.co/spaces/a/b; code: https://github.com/a/b", "https://huggingface.co/spaces/a/b"),
    ("Code: https://github.com/a/b.", "", ""),  # the code, never the page
    ("Data at https://zenodo.org/records/1.", "", ""),  # a link nobody calls the page
    ("See our website. Data: https://zenodo.org/records/1", "", ""),  # the cue is another sentence's
    ("Project page: https://x.org/p)](https://evil.example", "", "https://x.org/p"),  # no way out of the link
    ("Project page: https://x.org/p|x|", "", "https://x.org/p"),  # nor out of a table cell
])
def test_page_link_only_where_the_paper_names_its_page(abstract: str, comment: str, expected: str) -> None:
    assert page_link(paper(abstract, comment)) == expected


DEMO_TABLE = """## Models

|  Title  |   Venue  |   Date   |   Code   |   Demo   |
|:--------|:--------:|:--------:|:--------:|:--------:|
| [**Model A**](https://arxiv.org/abs/2501.00001) | arXiv | 2025-01-02 | [Github](https://github.com/a/a) | - |
| [**Model B**](https://arxiv.org/abs/2501.00002) | arXiv | 2025-01-03 | [Github](https://github.com/a/b) | [Demo](https://b.github.io/) |
| [**Model C**](https://arxiv.org/abs/2501.00003) | arXiv | 2025-01-04 | - | [Demo](https://c.example/) |
"""


def demo_cell(metadata: Paper) -> str:
    return split_cells(render_entry(learn_format(parse_list(DEMO_TABLE).sections[0]), metadata))[4].strip()


def test_a_demo_cell_links_the_page_the_paper_names_labelled_as_the_rows_label_theirs() -> None:
    assert demo_cell(paper("Our project page is https://s.github.io/scale.")) == "[Demo](https://s.github.io/scale)"


def test_a_demo_cell_without_a_page_is_left_to_the_maintainer() -> None:
    """`-` would say there is no demo: the placeholder asks, and the pull request lists it."""
    assert demo_cell(paper()) == PLACEHOLDER


PAGE_OF_CODE = """## Benchmarks

|  Title  |   Venue  |   Date   |   Page   |
|:--------|:--------:|:--------:|:--------:|
| [**Bench A**](https://arxiv.org/abs/2501.00001) | arXiv | 2025-01-02 | [Github](https://github.com/a/a) |
| [**Bench B**](https://arxiv.org/abs/2501.00002) | arXiv | 2025-01-03 | [Github](https://github.com/a/b) |
| [**Bench C**](https://arxiv.org/abs/2501.00003) | arXiv | 2025-01-04 | - |
"""


def test_a_column_whose_rows_link_code_holds_the_code_whatever_its_header() -> None:
    fmt = learn_format(parse_list(PAGE_OF_CODE).sections[0])
    with_code = render_entry(fmt, paper("Code: https://github.com/x/scale"))
    assert split_cells(with_code)[3].strip() == "[Github](https://github.com/x/scale)"
    assert split_cells(render_entry(fmt, paper()))[3].strip() == "-"  # as the rows without code write it


@settings(max_examples=60, deadline=None)
@given(tail=hostile_text)
def test_a_hostile_page_never_breaks_the_row(tail: str) -> None:
    """Whatever follows "Project page: https://" in an abstract, the row keeps its cells and the table its shape."""
    from bot.lists.document import insert_entries

    doc = parse_list(DEMO_TABLE)
    after = insert_entries(doc, [(doc.sections[0], paper(f"Project page: https://s.github.io/{tail}"))])
    assert table_widths(after) == table_widths(DEMO_TABLE)
    assert parse_list(after).find_paper("2502.05206")


HARD_BREAK = "  "  # the two spaces that end hemingkx's title lines
ITEMS = f"""## Efficient Training

- **Model A**{HARD_BREAK}
  *Ann Lee, Bo Chen*. [[pdf](https://arxiv.org/pdf/2501.00001)], [[code](https://github.com/a/a)], 2025.01.
- **Model B**{HARD_BREAK}
  *Ann Lee, Bo Chen*. [[pdf](https://arxiv.org/pdf/2501.00002)], [[code](https://github.com/a/b)], [[homepage](https://b.github.io/)], 2025.01.
- **Model C**{HARD_BREAK}
  *Ann Lee, Bo Chen*. [[pdf](https://arxiv.org/pdf/2501.00003)], 2025.01.
"""


@pytest.mark.parametrize(("abstract", "links"), [
    ("Code: https://github.com/x/s. Project page: https://s.github.io/.",
     "[[pdf](https://arxiv.org/pdf/2502.05206)], [[code](https://github.com/x/s)], [[homepage](https://s.github.io/)], 2025.02."),
    ("Project page: https://s.github.io/.", "[[pdf](https://arxiv.org/pdf/2502.05206)], [[homepage](https://s.github.io/)], 2025.02."),
    ("We see.", "[[pdf](https://arxiv.org/pdf/2502.05206)], 2025.02."),  # neither: both links and their commas go
])
def test_a_list_item_links_the_page_where_its_siblings_do(abstract: str, links: str) -> None:
    written = render_entry(learn_format(parse_list(ITEMS).sections[0]), paper(abstract))
    assert written.split("\n")[1] == f"  *Ann Lee*. {links}"
