"""How far the section model's evidence could go if its weights were chosen knowing the answers (issue #13).

    .venv/bin/pip install -e '.[semantic]'      # numpy and the WordLlama terms
    .venv/bin/python benchmarks/section_ceiling.py --cache /tmp/terms.pickle [--group held-out]

The hidden papers and their score terms are `section_weights.py`'s (the folds and truth of
`section_choice.py`, title, arXiv month and authors; the cache is shared with that script). Every
term is one kind of evidence a paper's metadata gives about a section: the centroid's words and
letter n-grams, complement Bayes, the heading, coherence, the size prior, the date fit at four
bandwidths, recency shares, the year rule, authors, the nearest listed title, k-nearest-neighbour
votes, the mean of a section's best matches, and the WordLlama cosines to a section's mean and to
its nearest entry. Printed per list (topic top-1 / top-3, as section_choice.py scores them):

  bot:         the bot's weights (section_weights.py's `BOT_WEIGHTS`);
  tuning's best (held-out lists): the tuning group's `group best`, an honest choice;
  group best:  one weighting for the whole group, found by coordinate search on the group's own
               answers (macro top-3, then top-1);
  list best:   the same search on each list's own answers, so each list gets its own weights;
  other half:  each list's own weights chosen on half of its papers and scored on the other half
               (both ways, seeded split; searched from the bot's weights and the tuning group's
               best): what tuning on a list's own entries would carry to a new paper;
  any term:    the share of papers that at least one term alone ranks in its top 3 (level scores
               counted against the paper, so that a term that says nothing places nothing).

Each search is a coordinate search from the bot's weights (per list, also from the group's best)
and from `--restarts` seeded random weightings, the best kept. Level scores rank in section order,
as the bot ranks them. `group best` and `list best` are scored on the answers they were fitted to,
so they overstate what a weighting chosen without them reaches; `other half` is the honest
counterpart of `list best`. `any term` is looser still (a different term may serve each paper).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from section_choice import TUNING
from section_weights import BOT_WEIGHTS, load_terms

Weights = dict[str, float]
_FLOOR = -1e9  # the score of a padded (absent) section
_STEPS = (0.0, 0.25, 0.5, 2.0, 4.0)  # multiples of a term's current weight tried
_VALUES = (-0.5, -0.1, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)  # and absolute weights


class Case:
    """One list's hidden papers as arrays: a term's values are papers x sections, padded."""

    def __init__(self, papers: list[tuple[dict[str, list[float]], set[int]]]) -> None:
        width = max(len(values["prior"]) for values, _ in papers)
        self.names = sorted(papers[0][0])
        self.terms = {name: np.zeros((len(papers), width)) for name in self.names}
        self.absent = np.zeros((len(papers), width))
        self.right = np.zeros((len(papers), width), dtype=bool)
        for row, (values, right) in enumerate(papers):
            count = len(values["prior"])
            for name in self.names:
                self.terms[name][row, :count] = values[name]
            self.absent[row, count:] = _FLOOR
            self.right[row, list(right)] = True

    def scores(self, weights: Weights) -> np.ndarray:
        total = self.absent.copy()
        for name, weight in weights.items():
            if weight and name in self.terms:
                total += weight * self.terms[name]
        return total

    def above(self, scores: np.ndarray, ties_lose: bool = False) -> np.ndarray:
        """For each paper, how many sections rank above its best true one.

        Level scores rank in section order, as the bot's stable sort ranks them, so that a weighting
        that levels sections gains no more than it would in the bot (`ties_lose`: every level section
        ranks above).
        """
        best_right = np.where(self.right, scores, -np.inf).max(axis=1)[:, None]
        level = scores == best_right
        if ties_lose:
            return ((scores >= best_right) & ~self.right).sum(axis=1)
        first_right = np.argmax(self.right & level, axis=1)[:, None]
        earlier = np.arange(scores.shape[1])[None, :] < first_right
        return ((scores > best_right) | (level & earlier)).sum(axis=1)

    def subset(self, rows: np.ndarray) -> Case:
        """The same list with only these papers."""
        part = object.__new__(Case)
        part.names, part.terms = self.names, {name: values[rows] for name, values in self.terms.items()}
        part.absent, part.right = self.absent[rows], self.right[rows]
        return part

    def accuracy(self, scores: np.ndarray) -> tuple[float, float]:
        return _rates(self.above(scores))

    def any_term_top3(self) -> float:
        hit = np.zeros(len(self.right), dtype=bool)
        for name in self.names:  # each term the way it points in the bot (coherence counts against)
            sign = -1.0 if BOT_WEIGHTS.get(name, 0.0) < 0 else 1.0
            hit |= self.above(sign * self.terms[name] + self.absent, ties_lose=True) < 3
        return float(hit.mean())


def _rates(above: np.ndarray) -> tuple[float, float]:
    """Top-1 and top-3 from how many sections rank above each paper's true one."""
    return float((above == 0).mean()), float((above < 3).mean())


def macro(cases: Iterable[Case], weights: Weights) -> tuple[float, float]:
    results = [case.accuracy(case.scores(weights)) for case in cases]
    return sum(r[0] for r in results) / len(results), sum(r[1] for r in results) / len(results)


def better(result: tuple[float, float], best: tuple[float, float]) -> bool:
    """Top-3 first, then top-1."""
    return (result[1] > best[1] + 1e-9) or (result[1] > best[1] - 1e-9 and result[0] > best[0] + 1e-9)


def climb(cases: list[Case], start: Weights, passes: int = 6) -> tuple[Weights, tuple[float, float]]:
    """Coordinate search from `start` for the best macro on these cases' own answers."""
    weights = dict(start)
    best = macro(cases, weights)
    for _ in range(passes):
        moved = False
        for name in cases[0].names:
            current = weights.get(name, 0.0)
            for value in sorted({current * step for step in _STEPS} | set(_VALUES)):
                trial = dict(weights, **{name: value})
                result = macro(cases, trial)
                if better(result, best):
                    weights, best, moved = trial, result, True
        if not moved:
            break
    return weights, best


def search(cases: list[Case], starts: list[Weights], restarts: int) -> tuple[Weights, tuple[float, float]]:
    """The best of climbs from the given weights and from `restarts` random ones (seeded)."""
    rng = random.Random(13)
    names = cases[0].names
    starts = starts + [{name: rng.choice((0.0, *_VALUES)) for name in names} for _ in range(restarts)]
    found = [climb(cases, start) for start in starts]
    return max(found, key=lambda pair: (pair[1][1], pair[1][0]))


def other_half(case: Case, starts: list[Weights], restarts: int) -> tuple[float, float]:
    """Top-1 / top-3 of weights searched on one half of the list's papers, scored on the other."""
    order = np.random.default_rng(13).permutation(len(case.right))
    halves = order[: len(order) // 2], order[len(order) // 2:]
    above = []
    for fit, scored in (halves, halves[::-1]):
        weights, _ = search([case.subset(fit)], starts, restarts)
        part = case.subset(scored)
        above.append(part.above(part.scores(weights)))
    return _rates(np.concatenate(above))


def report(label: str, cases: dict[str, Case], chosen: Weights | None, restarts: int) -> Weights:
    """Print the group's table; return its best weighting. `chosen`: weights found on the other group."""
    group_weights, _ = search(list(cases.values()), [BOT_WEIGHTS], restarts)
    other = "tuning's best" if chosen else ""
    print(f"\n{label + ' lists':44s} bot            {other:15s}group best     list best      "
          "other half     any term")
    rows = []
    for name, case in cases.items():
        bot = case.accuracy(case.scores(BOT_WEIGHTS))
        theirs = case.accuracy(case.scores(chosen)) if chosen else ()
        shared = case.accuracy(case.scores(group_weights))
        _, own = search([case], [BOT_WEIGHTS, group_weights], restarts)
        honest_starts = [BOT_WEIGHTS, chosen] if chosen else [BOT_WEIGHTS]  # not fitted on these answers
        half = other_half(case, honest_starts, restarts)
        rows.append((*bot, *theirs, *shared, *own, *half, case.any_term_top3()))
        print(f"{name[:44]:44s} {_cells(rows[-1])}", flush=True)
    mean = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
    print(f"{'macro average (' + str(len(rows)) + ' lists)':44s} {_cells(mean)}")
    moved = {k: round(v, 3) for k, v in group_weights.items() if abs(v - BOT_WEIGHTS.get(k, 0.0)) > 1e-9}
    print(f"group best moves: {moved}")
    return group_weights


def _cells(values: Sequence[float]) -> str:
    pairs = [f"{values[i]:.3f} / {values[i + 1]:.3f}" for i in range(0, len(values) - 1, 2)]
    return "  ".join(pairs) + f"  {values[-1]:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="section_weights.py's pickle of collected terms")
    parser.add_argument("--group", choices=("tuning", "held-out"), help="one group only")
    parser.add_argument("--restarts", type=int, default=8, help="random starting points per search")
    args = parser.parse_args()
    data = load_terms(args.cache, args.group)
    chosen = None
    for label, tuning in (("tuning", True), ("held-out", False)):
        if args.group and args.group != label:
            continue  # a cache of every list serves one group too
        cases = {name: Case(papers) for name, papers in data.items() if (name in TUNING) == tuning}
        if cases:
            chosen = report(label, cases, chosen, args.restarts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
