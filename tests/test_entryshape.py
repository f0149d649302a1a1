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
