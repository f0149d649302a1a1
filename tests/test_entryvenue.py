"""Venues in list items (issue #14): the venue an entry shows, read by the template reader, and the
writer's venue piece in the list's own form when the paper's arXiv metadata names a venue."""

from __future__ import annotations

import pytest

from bot.lists.entries.spans import shown_venue

SHOWN = [
    ('1. "Large Language Models Meet NL2Code: A Survey" [2022-12] [ACL 2023] '
     "[[paper](https://arxiv.org/abs/2212.09420)]", "Large Language Models Meet NL2Code: A Survey", "ACL 2023"),
    ("* [**npj Digital Medicine, 2024**] **Meerkat**: Small Language Models Learn Enhanced Reasoning "
     "[Paper](https://arxiv.org/abs/2404.00376)", "Meerkat: Small Language Models Learn Enhanced Reasoning",
     "npj Digital Medicine 2024"),
    ("1. **Neural Message Passing for Quantum Chemistry.** ICML 2017. [paper](https://arxiv.org/pdf/1704.01212.pdf)",
     "Neural Message Passing for Quantum Chemistry", "ICML 2017"),
    ('8. "NatGen: Generative pre-training" [2022-06] [ESEC/FSE 2022] [[paper](https://arxiv.org/abs/2206.07585)]',
     "NatGen: Generative pre-training", "ESEC/FSE 2022"),
    ("- [Fast Joins](https://arxiv.org/abs/2201.00001) VLDB'22", "Fast Joins", "VLDB 2022"),
    ("  *Liang Wen*. [[pdf](https://arxiv.org/pdf/2503.10460)], 2025.03. "
     "![](https://img.shields.io/badge/ACL2025--industry-orange) ![](https://img.shields.io/badge/Light--R1-blue)",
     "Light-R1", "ACL 2025"),
    # arXiv is no venue; a venue word inside the title is the title's
    ("1. **Adversarial Attack on Graphs.** arxiv 2018. [paper](https://arxiv.org/pdf/1812.10528.pdf)",
     "Adversarial Attack on Graphs", ""),
    ('1. "What ACL 2023 Papers Say" [2023-05] [[paper](https://arxiv.org/abs/2305.00001)]',
     "What ACL 2023 Papers Say", ""),
]


@pytest.mark.parametrize(("text", "title", "venue"), SHOWN)
def test_shown_venue_reads_the_venue_and_its_year(text: str, title: str, venue: str) -> None:
    assert shown_venue(text, title) == venue
