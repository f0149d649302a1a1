"""How far re-weighting the section model's score terms could take section choice (issues #4, #13).

    .venv/bin/python benchmarks/section_weights.py [--search] [--per-list] [--weights k=v,...]
        [--group tuning|held-out] [--cache FILE] [--sweep TERM]

The folds of `section_choice.py` (title and arXiv month only): each term of `SectionModel.scores`
is computed once per hidden paper and candidate section, so any weighting is scored in a fraction
of a second without rebuilding models. Terms: the centroid cosine split into its word and letter
n-gram halves, complement Bayes, heading match, coherence, size prior, date fit, year rule, and
authors (as `section_choice.py` passes them), `nearest` (the best cosine to one listed title of
the section, which the bot does not use), and, with `wordllama` installed, `semantic` and
`semantic_nearest` (embedding cosine to the section's mean and to its nearest entry). Scores are
topic top-1 / top-3, as in section_choice.py.

Prints the bot's own weighting (it must match section_choice.py) for the tuning and the held-out
lists apart, then with `--search` a coordinate search over a grid maximising macro top-3 on the
TUNING lists only (top-1 may not drop), with the held-out lists' figures for each step, and with
`--per-list` each list's best grid point when the answers are known (an upper bound for any
per-list weighting).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import math
import pickle
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from section_choice import DEFAULT_DATA, TUNING, load_case

from bot.curation.authors import author_keys
from bot.curation.groups import topic_key
from bot.curation.model import PARAMS, SectionModel
from bot.curation.sections import arxiv_id_date, forget_models, section_model

Terms = dict[str, list[float]]  # term name -> one value per candidate section
BOT_WEIGHTS = {"centroid_words": PARAMS["centroid"], "centroid_letters": PARAMS["centroid"],
               "bayes": PARAMS["bayes"] * PARAMS["nb_scale"], "heading": PARAMS["heading_match"],
               "coherence": -PARAMS["coherence"], "prior": PARAMS["prior"], "date": PARAMS["date"],
               "year": PARAMS["year_bonus"], "authors": PARAMS["authors"], "nearest": 0.0,
               "semantic": PARAMS["semantic"], "semantic_nearest": PARAMS["semantic_nearest"]}
GRID = {"date_bw3": [0.05, 0.1, 0.2], "date_bw12": [0.05, 0.1, 0.2], "date_bw24": [0.05, 0.1, 0.2],
        "recent6": [0.02, 0.045, 0.09], "recent12": [0.02, 0.045, 0.09], "recent24": [0.02, 0.045, 0.09],
        "best2": [0.05, 0.1, 0.2], "best3": [0.05, 0.1, 0.2], "best5": [0.05, 0.1, 0.2],
        "knn3": [0.05, 0.1, 0.2, 0.4], "knn10": [0.1, 0.2, 0.4, 0.8],
        "semantic": [0.1, 0.2, 0.3, 0.5, 0.8], "semantic_nearest": [0.05, 0.1, 0.2, 0.4],
        "centroid_letters": [0.6, 0.8, 1.2, 1.5], "bayes": [0.0, 0.03, 0.08], "heading": [0.0, 0.2, 0.3],
        "coherence": [-0.5, -0.15, 0.0], "prior": [0.02, 0.07], "date": [0.0, 0.2], "nearest": [0.05, 0.1, 0.3]}


def terms(model: SectionModel, title: str, published: date | None, section_of_entry: Sequence[int]) -> Terms:
    query = model.vector(title)
    count = len(model.spans)
    words, letters = [0.0] * count, [0.0] * count
    for i, (centroid, norm) in enumerate(zip(model.centroids, model.centroid_norms, strict=True)):
        for feature, value in query.items() if norm else ():
            share = value * centroid.get(feature, 0.0) / norm
            if feature[0] == "c":
                letters[i] += share
            else:
                words[i] += share
    raw = model.bayes.scores(query)
    mean = sum(raw) / count
    spread = math.sqrt(sum((r - mean) ** 2 for r in raw) / count) or 1.0
    total = sum(model.sizes) + count
    nearest = [0.0] * count
    for entry, similarity in model._similarities(query).items():
        section = section_of_entry[entry]
        nearest[section] = max(nearest[section], similarity)
    if model.meanings is not None:
        semantic, semantic_nearest = model.semantic_scores(title)
    else:
        semantic = semantic_nearest = [0.0] * count
    return {
        "semantic": semantic, "semantic_nearest": semantic_nearest,
        "centroid_words": words, "centroid_letters": letters,
        "bayes": [(r - mean) / spread for r in raw],
        "heading": [sum(v * own.get(f, 0.0) for f, v in query.items()) for own in model.own_vectors],
        "coherence": list(model.coherence),
        "prior": [math.log((size + 1) / total) for size in model.sizes],
        "date": model._date_fit(published) if published else [0.0] * count,
        "year": [0.0 if span is None or not published else (1.0 if span.accepts(published.year) else -1.0)
                 for span in model.spans],
        "nearest": nearest,
        **extra_terms(model, query, published, section_of_entry),
    }


def extra_terms(model: SectionModel, query: dict[str, float], published: date | None,
                section_of_entry: Sequence[int]) -> Terms:
    """Candidate terms the bot does not use (2026-12-05, evening): the date fit at other
    bandwidths, a recency prior (each section's smoothed share of the list's entries of the
    months before the paper's), and k-nearest-neighbour votes."""
    count = len(model.spans)
    out: Terms = {}
    if published is not None:
        keep = model.params["date_bandwidth"]
        for bandwidth in (3.0, 12.0, 24.0):
            model.params["date_bandwidth"] = bandwidth
            out[f"date_bw{bandwidth:g}"] = model._date_fit(published)
        model.params["date_bandwidth"] = keep
        month = published.year * 12 + published.month
        total = sum(model.sizes) + count
        for window in (6, 12, 24):
            recent = [sum(1 for m in months if month - window < m <= month) for months in model.months]
            pooled = sum(recent)
            out[f"recent{window}"] = [math.log((r + 5 * (size + 1) / total) / (pooled + 5))
                                      for r, size in zip(recent, model.sizes, strict=True)]
    else:
        for name in ("date_bw3", "date_bw12", "date_bw24", "recent6", "recent12", "recent24"):
            out[name] = [0.0] * count
    ranked = sorted(model._similarities(query).items(), key=lambda item: -item[1])
    for k in (3, 10):
        votes = [0.0] * count
        for entry, similarity in ranked[:k]:
            votes[section_of_entry[entry]] += similarity / k
        out[f"knn{k}"] = votes
    by_section: list[list[float]] = [[] for _ in range(count)]
    for entry, similarity in ranked:
        by_section[section_of_entry[entry]].append(similarity)
    for k in (2, 3, 5):
        out[f"best{k}"] = [sum(values[:k]) / k for values in by_section]
    return out


def collect(name: str, folds: int = 5) -> list[tuple[Terms, set[int]]]:
    case = load_case(DEFAULT_DATA, name)
    papers = []
    if importlib.util.find_spec("wordllama") is not None:
        PARAMS.update(semantic=PARAMS["semantic"] or 1e-9)  # the models embed their entries
    forget_models()
    for hidden, rest in case.folds(folds):
        topics, model = section_model(rest)
        section_of_entry = [i for i, t in enumerate(topics) for e in t.entries if e.is_paper]
        for arxiv_id in hidden:
            wanted = case.topics(arxiv_id)
            right = {i for i, t in enumerate(topics) if topic_key(t.key, case.groups) in wanted}
            values = terms(model, case.titles[arxiv_id], arxiv_id_date(arxiv_id), section_of_entry)
            values["authors"] = model.authors.scores(author_keys(case.authors.get(arxiv_id, ())))
            papers.append((values, right))
    return papers


def accuracy(papers: list[tuple[Terms, set[int]]], weights: dict[str, float]) -> tuple[float, float]:
    top1 = top3 = 0
    for values, right in papers:
        count = len(values["prior"])
        scores = [sum(w * values[k][i] for k, w in weights.items() if w) for i in range(count)]
        order = sorted(range(count), key=lambda i: -scores[i])
        top1 += order[0] in right
        top3 += any(i in right for i in order[:3])
    return top1 / len(papers), top3 / len(papers)


def macro(data: dict[str, list], weights: dict[str, float]) -> tuple[float, float]:
    results = [accuracy(papers, weights) for papers in data.values()]
    return sum(r[0] for r in results) / len(results), sum(r[1] for r in results) / len(results)


def load_terms(cache: Path | None, group: str | None) -> dict[str, list]:
    """Every list's hidden papers with their terms (`group`: "tuning" or "held-out" only), kept in `cache`."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())  # noqa: S301 (our own file)
    names = [p.stem for p in sorted(DEFAULT_DATA.glob("*.jsonl"))
             if not group or (p.stem in TUNING) == (group == "tuning")]
    data = {name: collect(name) for name in names}
    if cache:
        cache.write_bytes(pickle.dumps(data))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--search", action="store_true", help="coordinate search for macro top-3")
    parser.add_argument("--per-list", action="store_true", help="each list's best grid point (oracle)")
    parser.add_argument("--weights", default="", help="start from these weights: term=value,...")
    parser.add_argument("--sweep", action="append", default=[], metavar="TERM",
                        help="print tuning and held-out figures for each grid value of TERM")
    parser.add_argument("--group", choices=("tuning", "held-out"), help="collect one group only")
    parser.add_argument("--cache", type=Path, help="keep the collected terms in this pickle file")
    args = parser.parse_args()
    start = dict(BOT_WEIGHTS, **{k: float(v) for k, v in
                                 (pair.split("=") for pair in args.weights.split(",") if pair)})
    data = load_terms(args.cache, args.group)
    tuning = {n: papers for n, papers in data.items() if n in TUNING}
    held_out = {n: papers for n, papers in data.items() if n not in TUNING}
    for name, papers in data.items():
        top1, top3 = accuracy(papers, start)
        print(f"{name:44s} top-1 / top-3 {top1:.3f} / {top3:.3f}")

    def show(label: str, weights: dict[str, float]) -> tuple[float, float]:
        tuned = macro(tuning, weights) if tuning else (0.0, 0.0)
        parts = [f"{group} {m[0]:.4f} / {m[1]:.4f}" for group, lists in (("tuning", tuning), ("held-out", held_out))
                 if lists for m in [tuned if lists is tuning else macro(lists, weights)]]
        print(f"{label:44s} " + "   ".join(parts), flush=True)
        return tuned

    best = show("the starting weights, macro", start)
    for term in args.sweep:
        for value in GRID[term]:
            show(f"  {term} = {value}", dict(start, **{term: value}))
    if args.search:
        weights = dict(start)
        for _ in range(2):
            for term, values in GRID.items():
                for value in values:
                    trial = dict(weights, **{term: value})
                    result = macro(tuning, trial)
                    if result[1] > best[1] + 1e-9 and result[0] >= best[0] - 0.005:
                        best, weights = result, trial
                        show(f"  {term} = {value}", trial)
        show("search result", weights)
        print(f"weights: {weights}")
    if args.per_list:
        for name, papers in data.items():
            base = accuracy(papers, start)[1]
            oracle = max(accuracy(papers, dict(start, **dict(zip(GRID, point, strict=True))))[1]
                         for point in itertools.product(*GRID.values()))
            print(f"{name:44s} top-3 {base:.3f}, best grid point {oracle:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
