"""Entry shapes: what the format benchmark and the neighbour tests compare."""

from __future__ import annotations

from bot.lists.entries.shape import core_shape, strict_shape

SUMMARY = '<details><summary>T (2024) [<a href="https://arxiv.org/abs/2402.09063">Paper</a>]{}</summary>'


def test_emphasis_that_only_held_an_emoji_goes_with_it() -> None:
    plain, starred = SUMMARY.format(""), SUMMARY.format(" **❓**")
    assert core_shape(starred) == core_shape(plain)
    assert strict_shape(starred, drop_extras=True) == strict_shape(plain, drop_extras=True)
    assert strict_shape(starred) != strict_shape(plain)  # `exact` still sees it


def test_emphasis_around_text_is_structure() -> None:
    assert core_shape("- **[T](https://arxiv.org/abs/2402.09063)**") != core_shape("- [T](https://arxiv.org/abs/2402.09063)")


def test_a_cell_of_a_dropped_code_or_demo_link_or_badge_break_is_text() -> None:
    # BradyFU: `[Github](...)`, `[Demo](...)` cells are text like the `-` or placeholder in their place;
    # the `<br>` that set a stars badge apart goes with the badge
    starred = ("| ![Star](https://img.shields.io/github/stars/a/b.svg?style=social&label=Star) <br> "
               "[**T**](https://arxiv.org/pdf/2508.11630) <br> | arXiv | 2025-08-18 | [Github](https://github.com/a/b) "
               "| [Demo](https://a.github.io/) |")
    plain = "| [**T**](https://arxiv.org/pdf/2508.11630) | arXiv | 2025-08-18 | - | to fill in |"
    assert core_shape(starred) == core_shape(plain)
    assert core_shape("| [**T**](u) <br> | a |") != core_shape("| [**T**](u) | a |")  # no badge: the break counts


def test_a_dash_cell_has_no_digit_skeleton() -> None:
    from benchmarks.format_fields import compare
    assert compare("| [T](u) | - |", "| [T](u) | *(to fill in)* |", "T")["digits"]
    assert not compare("| [T](u) | 2024-01 |", "| [T](u) | *(to fill in)* |", "T")["digits"]


def test_the_ceiling_compares_entries_as_the_writer_is_given_them() -> None:
    """Title, arXiv id and number are the writer's given; the link form and the lines are the maintainer's."""
    from benchmarks.format_ceiling import shape_key
    from bot.lists.document import parse_list

    doc = parse_list("# L\n\n## A\n\n"
                     "1. **A Study of Things 2.** arXiv 2024. [paper](https://arxiv.org/abs/2401.01234)\n"
                     "12. **Graphs.** arXiv 2023. [paper](https://arxiv.org/abs/2312.12345)\n"
                     "13. **Trees.** arXiv 2023. [paper](https://arxiv.org/pdf/2312.12346.pdf)\n"
                     "14. **Bushes.** ICML 2023. [paper](https://arxiv.org/abs/2312.12347)\n")
    first, second, pdf, venue = (shape_key(e) for e in doc.sections[-1].entries)
    assert first == second == venue  # a venue in place of "arXiv" has the same digits
    assert pdf != first
