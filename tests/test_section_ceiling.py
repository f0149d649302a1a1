"""benchmarks/section_ceiling.py: the arrays and the search behind the re-weighting ceiling (issue #13)."""

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture
def ceiling(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent.parent / "benchmarks"))
    import section_ceiling
    return section_ceiling


def _paper(prior: list[float], title: list[float], right: int) -> tuple[dict[str, list[float]], set[int]]:
    return {"prior": prior, "title": title}, {right}


def test_scores_pad_absent_sections_and_count_what_beats_the_true_one(ceiling) -> None:
    # The first paper has three sections, the second two: the missing third must never rank.
    case = ceiling.Case([_paper([0.9, 0.1, 0.5], [0.0, 1.0, 0.0], right=1),
                         _paper([0.2, 0.8], [1.0, 0.0], right=0)])
    prior_only = case.scores({"prior": 1.0})
    assert case.above(prior_only).tolist() == [2, 1]
    assert case.accuracy(prior_only) == (0.0, 1.0)
    assert case.accuracy(case.scores({"prior": 1.0, "title": 2.0})) == (1.0, 1.0)


def test_level_sections_rank_in_section_order_as_the_bot_ranks_them(ceiling) -> None:
    case = ceiling.Case([_paper([0.0] * 5, [0.0] * 5, right=4), _paper([0.0] * 5, [0.0] * 5, right=0)])
    assert case.above(case.scores({"prior": 1.0})).tolist() == [4, 0]
    assert case.above(case.scores({"prior": 1.0}), ties_lose=True).tolist() == [4, 4]
    assert case.any_term_top3() == 0.0


def test_the_search_finds_the_weighting_the_answers_ask_for(ceiling) -> None:
    papers = [_paper([0.9, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.3], right=3) for _ in range(3)]
    case = ceiling.Case(papers)
    assert case.accuracy(case.scores({"prior": 1.0, "title": 0.0}))[0] == 0.0
    weights, (top1, top3) = ceiling.climb([case], {"prior": 1.0, "title": 0.0})
    assert (top1, top3) == (1.0, 1.0)
    assert weights["title"] * 0.3 > weights["prior"] * 0.9



def test_weights_from_one_half_are_scored_on_the_other(ceiling) -> None:
    # The title points to the true section in the split's first half and away from it in the second:
    # what one half teaches fails the other, although weights fitted on every answer place half.
    points_right = _paper([0.0] * 4, [0.1, 0.2, 0.3, 0.9], right=3)
    points_away = _paper([0.0] * 4, [0.4, 0.5, 0.6, 0.0], right=3)
    order = np.random.default_rng(13).permutation(8).tolist()  # other_half's split
    case = ceiling.Case([points_right if order.index(row) < 4 else points_away for row in range(8)])
    start = [{"prior": 1.0, "title": 0.0}]
    assert ceiling.search([case], start, restarts=2)[1] == (0.5, 0.5)
    assert ceiling.other_half(case, start, restarts=2) == (0.0, 0.0)
    first_half = case.subset(np.array(order[:4]))
    assert first_half.accuracy(first_half.scores({"title": 1.0})) == (1.0, 1.0)
