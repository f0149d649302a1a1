"""Section choice with a discriminative term (issue #13 item 2): measured, not kept in the bot.

    .venv/bin/python benchmarks/section_discrim.py [--only NAME] [--variants w3,a10c,...]

The folds of `section_choice.py`. For each fold the bot's section model is built as usual and,
next to it, a linear classifier trained on the kept entries' TF-IDF vectors (the model's own
`vector`): a multinomial logistic regression (SGD, L2 shrinkage) or an averaged perceptron, in
pure Python. Each hidden paper's fused scores (`SectionModel.scores`, as `choose_section` ranks
them) and the classifier's per-section values are kept, and the term is added with each weight of
a grid: log-probabilities for the regression (`lp`), z-scored scores for the perceptron (`z`).
Prints topic top-1 / top-3 per list and the macro average for each weight, and the classifier
alone, with the largest fit time per list. Tuning lists only by default (`--group held-out` to
report the held-out ones for a kept candidate); results in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul

from section_choice import DEFAULT_DATA, TUNING, load_case

from bot.curation.authors import author_keys
from bot.curation.groups import topic_key
from bot.curation.sections import arxiv_id_date, forget_models, section_model


@dataclass
class SoftmaxTerm:
    """Per-section logits of a multinomial logistic regression over sparse features."""

    weights: dict[str, list[float]]  # feature -> one weight per section (times `scale`)
    scale: float
    count: int

    def logits(self, query: dict[str, float]) -> list[float]:
        total = [0.0] * self.count
        for feature, value in query.items():
            row = self.weights.get(feature)
            if row is not None:
                total = list(map(add, total, map(mul, row, repeat(value * self.scale))))
        return total

    def log_probabilities(self, query: dict[str, float]) -> list[float]:
        logits = self.logits(query)
        top = max(logits, default=0.0)
        log_sum = top + math.log(sum(math.exp(v - top) for v in logits) or 1.0)
        return [v - log_sum for v in logits]


def fit_softmax(examples: Sequence[tuple[dict[str, float], int]], count: int, *,
                epochs: int = 3, rate: float = 0.5, l2: float = 1e-4, decay: float = 1.0, seed: int = 0) -> SoftmaxTerm:
    """Fit on (sparse vector, section index) pairs; `count` sections. Deterministic (`seed`)."""
    weights: dict[str, list[float]] = {}
    scale = 1.0
    order = list(range(len(examples)))
    shuffle = random.Random(seed).shuffle
    zeros = [0.0] * count
    for epoch in range(epochs):
        shuffle(order)
        step = rate / (1.0 + decay * epoch)
        for index in order:
            vector, label = examples[index]
            logits = zeros
            for feature, value in vector.items():
                row = weights.get(feature)
                if row is not None:
                    logits = list(map(add, logits, map(mul, row, repeat(value * scale))))
            top = max(logits)
            exps = [math.exp(v - top) for v in logits]
            norm = sum(exps)
            gradient = [e / norm for e in exps]
            gradient[label] -= 1.0
            scale *= 1.0 - step * l2
            factor = -step / scale
            for feature, value in vector.items():
                row = weights.get(feature)
                if row is None:
                    row = weights[feature] = [0.0] * count
                weights[feature] = list(map(add, row, map(mul, gradient, repeat(factor * value))))
            if scale < 1e-6:  # fold the shrinkage into the weights before it underflows
                for feature, row in weights.items():
                    weights[feature] = [w * scale for w in row]
                scale = 1.0
    return SoftmaxTerm(weights, scale, count)


def fit_perceptron(examples: Sequence[tuple[dict[str, float], int]], count: int, *,
                   epochs: int = 5, seed: int = 0) -> SoftmaxTerm:
    """Averaged multiclass perceptron (Collins, 2002) with the usual lazy averaging: on a
    mistake the true section's row gains the vector and the predicted one loses it."""
    weights: dict[str, list[float]] = {}
    stamped: dict[str, list[float]] = {}  # sum over steps of update * step, for the average
    order = list(range(len(examples)))
    shuffle = random.Random(seed).shuffle
    zeros = [0.0] * count
    step = 1
    for _ in range(epochs):
        shuffle(order)
        for index in order:
            vector, label = examples[index]
            scores = zeros
            for feature, value in vector.items():
                row = weights.get(feature)
                if row is not None:
                    scores = list(map(add, scores, map(mul, row, repeat(value))))
            guess = max(range(count), key=scores.__getitem__)
            if guess != label:
                for feature, value in vector.items():
                    row = weights.setdefault(feature, [0.0] * count)
                    acc = stamped.setdefault(feature, [0.0] * count)
                    row[label] += value
                    row[guess] -= value
                    acc[label] += step * value
                    acc[guess] -= step * value
            step += 1
    averaged = {f: [w - a / step for w, a in zip(row, stamped[f], strict=True)]
                for f, row in weights.items()}
    return SoftmaxTerm(averaged, 1.0, count)


# name: (features: "w" words and word pairs, "a" also letter n-grams; epochs; learner and its settings)
VARIANTS: dict[str, tuple[str, int, str, dict[str, float]]] = {
    "w3": ("w", 3, "softmax", {}),
    "w5": ("w", 5, "softmax", {}),
    "w3r": ("w", 3, "softmax", {"rate": 1.0, "l2": 1e-3}),
    "w5c": ("w", 5, "softmax", {"decay": 0.0}),
    "w10c": ("w", 10, "softmax", {"decay": 0.0}),
    "a3": ("a", 3, "softmax", {}),
    "a10": ("a", 10, "softmax", {}),
    "a10c": ("a", 10, "softmax", {"decay": 0.0}),
    "a10l": ("a", 10, "softmax", {"l2": 1e-3}),
    "a10n": ("a", 10, "softmax", {"l2": 1e-5}),
    "a20": ("a", 20, "softmax", {}),
    "pw5": ("w", 5, "perceptron", {}),
    "pa5": ("a", 5, "perceptron", {}),
}
WEIGHTS = (0.01, 0.02, 0.04, 0.08, 0.15, 0.3)
Paper = tuple[list[float], dict[str, list[float]], set[int]]  # fused scores, term values, right


def _features(vector: dict[str, float], kind: str) -> dict[str, float]:
    return vector if kind == "a" else {f: v for f, v in vector.items() if f[0] != "c"}


def collect(name: str, variants: Sequence[str]) -> tuple[list[Paper], dict[str, float]]:
    case = load_case(DEFAULT_DATA, name)
    forget_models()
    papers: list[Paper] = []
    fit_seconds = dict.fromkeys(variants, 0.0)
    for hidden, rest in case.folds(5):
        built = section_model(rest)
        assert built is not None
        topics, model = built
        section = [i for i, t in enumerate(topics) for e in t.entries if e.is_paper]
        vectors = [model.vector(t) for t in model.entry_titles]
        terms = {}
        for variant in variants:
            kind, epochs, learner, settings = VARIANTS[variant]
            examples = [(_features(v, kind), s) for v, s in zip(vectors, section, strict=True)]
            started = time.perf_counter()
            if learner == "perceptron":
                term = fit_perceptron(examples, len(topics), epochs=epochs)
            else:
                term = fit_softmax(examples, len(topics), epochs=epochs, **settings)
            fit_seconds[variant] = max(fit_seconds[variant], time.perf_counter() - started)
            terms[variant] = term
        for arxiv_id in hidden:
            wanted = case.topics(arxiv_id)
            right = {i for i, t in enumerate(topics) if topic_key(t.key, case.groups) in wanted}
            title = case.titles[arxiv_id]
            fused = model.scores(title, arxiv_id_date(arxiv_id), author_keys(case.authors.get(arxiv_id, ())))
            query = model.vector(title)
            values = {}
            for variant, term in terms.items():
                features = _features(query, VARIANTS[variant][0])
                if VARIANTS[variant][2] == "perceptron":
                    raw = term.logits(features)
                    mean = sum(raw) / len(raw)
                    spread = math.sqrt(sum((r - mean) ** 2 for r in raw) / len(raw)) or 1.0
                    values[variant] = [(r - mean) / spread for r in raw]
                else:
                    values[variant] = term.log_probabilities(features)
            papers.append((fused, values, right))
    return papers, fit_seconds


def accuracy(papers: list[Paper], variant: str | None, weight: float) -> tuple[float, float]:
    top1 = top3 = 0
    for fused, values, right in papers:
        scores = fused if variant is None else [f + weight * v for f, v in zip(fused, values[variant], strict=True)]
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        top1 += order[0] in right
        top3 += any(i in right for i in order[:3])
    return top1 / len(papers), top3 / len(papers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run the lists whose name contains this")
    parser.add_argument("--group", choices=("tuning", "held-out"), default="tuning")
    parser.add_argument("--variants", default="w3,a3", help=f"comma-separated, of {','.join(VARIANTS)}")
    args = parser.parse_args()
    variants = args.variants.split(",")
    names = sorted(p.stem for p in DEFAULT_DATA.glob("*.jsonl")
                   if (p.stem in TUNING) == (args.group == "tuning") and (not args.only or args.only in p.stem))
    data = {}
    for name in names:
        data[name], seconds = collect(name, variants)
        alone = {v: accuracy([(vals[v], vals, right) for _, vals, right in data[name]], None, 0.0)
                 for v in variants}
        print(f"{name}: fused {accuracy(data[name], None, 0.0)}; alone "
              + ", ".join(f"{v} {a[0]:.3f} / {a[1]:.3f} (fit {seconds[v]:.2f} s)" for v, a in alone.items()),
              flush=True)

    def show(label: str, variant: str | None, weight: float) -> None:
        results = [accuracy(papers, variant, weight) for papers in data.values()]
        macro = (sum(r[0] for r in results) / len(results), sum(r[1] for r in results) / len(results))
        print(f"{label:16s} macro {macro[0]:.4f} / {macro[1]:.4f}   "
              + " ".join(f"{n[:8]} {a:.3f}/{b:.3f}" for n, (a, b) in zip(data, results, strict=True)))

    show("fused (the bot)", None, 0.0)
    for variant in variants:
        for weight in WEIGHTS:
            show(f"{variant} + {weight}", variant, weight)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
