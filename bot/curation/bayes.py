"""Complement naive Bayes over sparse feature counts: the section model's second opinion."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul


def add_into(total: dict[str, float], vector: dict[str, float], weight: float = 1.0) -> None:
    """`total += weight * vector`, feature by feature."""
    values = vector.values() if weight == 1.0 else map(mul, vector.values(), repeat(weight))
    # (each feature's old total is read just before it is written: one C loop, no Python one)
    total.update(zip(vector, map(add, values, map(total.get, vector, repeat(0.0))), strict=True))


@dataclass(frozen=True)
class ComplementBayes:
    """Complement naive Bayes (Rennie et al., 2003): a feature speaks for a section when it is
    rare in all the other sections. Weights are computed when asked, from the totals, so a
    5,000-entry list does not keep a sections-by-vocabulary table in memory."""

    totals: list[dict[str, float]]
    everything: dict[str, float]
    denominators: list[float]
    scales: list[float]
    alpha: float

    @classmethod
    def fit(cls, totals: list[dict[str, float]], alpha: float) -> ComplementBayes:
        everything: dict[str, float] = {}
        for total in totals:
            add_into(everything, total)
        vocabulary = len(everything) or 1
        grand = sum(everything.values())
        denominators = [grand - sum(t.values()) + alpha * vocabulary for t in totals]
        logs = {f: math.log(alpha + n) for f, n in everything.items()}
        log_sum, top = sum(logs.values()), max(logs.values(), default=0.0)
        scales = []
        for total, denominator in zip(totals, denominators, strict=True):
            log_d = math.log(denominator)
            if top <= log_d:
                # The scale sums |log((alpha + n_f - t_f) / d)| over the vocabulary; for the
                # features this section lacks the term is log d - log(alpha + n_f) (no sign
                # change), so only the section's own features are summed one by one.
                scale = (len(everything) - len(total)) * log_d - (log_sum - sum(logs[f] for f in total))
                scale += sum(abs(math.log(alpha + everything[f] - t) - log_d)
                             for f, t in total.items())
            else:  # a feature outweighs everything outside this section: sum term by term
                scale = sum(abs(math.log((alpha + n - total.get(f, 0.0)) / denominator))
                            for f, n in everything.items())
            scales.append(scale or 1.0)
        return cls(totals, everything, denominators, scales, alpha)

    def scores(self, query: dict[str, float]) -> list[float]:
        return [
            -sum(v * math.log((self.alpha + self.everything.get(f, 0.0) - total.get(f, 0.0))
                              / denominator) for f, v in query.items()) / scale
            for total, denominator, scale in zip(self.totals, self.denominators, self.scales,
                                                 strict=True)
        ]
