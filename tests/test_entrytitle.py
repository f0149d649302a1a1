"""Titles and short names: what a list writes in front of a title comes from the title or abstract."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.lists.entries.format import EntryFormat
from bot.lists.entries.template import induce
from bot.lists.entries.title import entry_title, paper_name, short_name
from bot.lists.render import render_entry
from bot.papers.references import Paper


@pytest.mark.parametrize(("title", "expected"), [
    ("PIQA: Reasoning about Physical Commonsense in Natural Language", "PIQA"),
    ("Code as Policies: Language Model Programs for Embodied Control", "Code as Policies"),
    ("Measuring Mathematical Problem Solving with the MATH Dataset", "MATH"),
    ("A negation detection assessment of GPTs: analysis with the xNot360 dataset", "xNot360"),
    ("Evaluating Attribution in Dialogue Systems: The BEGIN Benchmark", "BEGIN"),
    ("Understanding Factuality in Abstractive Summarization with FRANK: A Benchmark for Factuality Metrics", "FRANK"),
    ("Clinical language understanding evaluation (CLUE)", "CLUE"),
    ("Stream of Search (SoS): Learning to Search in Language", "SoS"),
    # Not names: ordinary words, generic acronyms, parentheses that spell nothing, titles in capitals.
    ("Gender Bias in Coreference Resolution", ""),
    ("Language Models (Mostly) Know What They Know", ""),
    ("Securing Large Language Models (LLMs) from Prompt Injection Attacks", ""),
    ("Performance of ChatGPT on USMLE for medical education", ""),
    ("Subtle Misogyny Detection and Mitigation: An Expert-Annotated Dataset", ""),
    ("EMERGENT MISALIGNMENT IS EASY, NARROW MISALIGNMENT IS HARD", ""),
    ("Judging LLM-as-a-judge with MT-Bench and Chatbot Arena", ""),
])
def test_short_name_only_where_the_title_names_something(title: str, expected: str) -> None:
    assert short_name(title) == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    ("To diagnose these failures, we introduce GSM8K, a dataset of 8.5K problems.", "GSM8K"),
    ("We construct a benchmark named HalluQA, which contains 450 adversarial questions.", "HalluQA"),
    ("We propose a method and evaluate it on three benchmarks.", ""),
    ("We present GPT-4, a large model.", ""),  # a generic model family is not the paper's own name
    ("Models fail. We introduce new metrics that explain why.", ""),
])
def test_paper_name_falls_back_to_the_name_the_abstract_introduces(abstract: str, expected: str) -> None:
    assert paper_name("Training Verifiers to Solve Math Word Problems", abstract) == expected
    assert paper_name("PIQA: Reasoning about Physical Commonsense", abstract) == "PIQA"


# MedLLMs (../shared/data/lists/raw/AI-in-Health__MedLLMsPracticalGuide.md): a venue and date in
# brackets before the title, a name set apart by `**Name**:`, a year after the title.
@pytest.mark.parametrize(("line", "title"), [
    ("* [**Arxiv, 2023**] **OphGLM**: Training an Ophthalmology Large Language-and-Vision Assistant based on "
     "Instructions and Dialogue. [paper](https://arxiv.org/abs/2306.12174)",
     "OphGLM: Training an Ophthalmology Large Language-and-Vision Assistant based on Instructions and Dialogue"),
    ("* [**ENNLP, 2019**] **SciBERT**: A Pretrained Language Model for Scientific Text. "
     "[paper](https://arxiv.org/abs/1903.10676)", "SciBERT: A Pretrained Language Model for Scientific Text"),
    ("* [**NeurIPS, 2023.7**] Jailbroken: How does llm safety training fail?. [paper](https://arxiv.org/abs/2307.02483)",
     "Jailbroken: How does llm safety training fail?"),
    ("* [**Arxiv, 2023**] A survey of hallucination in large foundation models. 2023. "
     "[paper](https://arxiv.org/abs/2309.05922)", "A survey of hallucination in large foundation models"),
    ("* **emrQA**: emrqa: A large corpus for question answering on electronic medical records 2018. "
     "[paper](https://arxiv.org/abs/1809.00732)",
     "emrQA: emrqa: A large corpus for question answering on electronic medical records"),
    # unchanged: a date tag before a bold title (WooooDyy), a title in quotes after a bold name (codefuse)
    ("- [2023/10] **Towards Uncertainty-Aware Language Agent.**", "Towards Uncertainty-Aware Language Agent"),
    ('1. **AFM**: "Apple Intelligence Foundation Language Models" [2024-07] [[paper](https://arxiv.org/abs/2407.21075)]',
     "Apple Intelligence Foundation Language Models"),
])
def test_title_without_the_venue_and_year_around_it(line: str, title: str) -> None:
    assert entry_title(line, "list_item") == title


def test_venue_and_date_bracket_is_learned_as_venue_and_date() -> None:
    line = ("* [**Arxiv, 2023.10**] **AlpaCare**: Instruction-tuned Large Language Models for Medical "
            "Application. [paper](https://arxiv.org/abs/2310.14558)")
    induced = induce(line, "list_item", entry_title(line, "list_item"))
    assert induced is not None
    assert induced.lines == ["* [**⟦venue:text⟧, ⟦date:YYYY.MM⟧**] **⟦head:text⟧**: ⟦tail:text⟧. [paper](⟦url⟧)"]


def test_venue_with_a_two_digit_year_after_the_title() -> None:
    # qingsongedu (../shared/data/lists/raw/qingsongedu__awesome-AI-for-time-series-papers.md)
    line = ("* Efficient temporal pattern mining in big time series using mutual information, VLDB'22. "
            "[\\[paper\\]](https://arxiv.org/abs/2010.03653)")
    title = entry_title(line, "list_item")
    assert title == "Efficient temporal pattern mining in big time series using mutual information"
    induced = induce(line, "list_item", title)
    assert induced is not None and induced.venues == ["VLDB'22"]
    assert induced.lines == ["* ⟦title:text⟧, ⟦venue:text⟧'⟦date:YY⟧. [\\[paper\\]](⟦url⟧)"]
    fmt = EntryFormat(lines=tuple(induced.lines))
    day = date(2021, 10, 7)
    published = Paper("2110.01234", 1, "A New Study", ("Ann Lee",), "x", day, day, comment="Accepted at KDD 2022")
    assert render_entry(fmt, published).startswith("* A New Study, KDD'22. [")
    assert render_entry(fmt, replace(published, comment="")).startswith("* A New Study, arXiv'21. [")


@pytest.mark.parametrize(("line", "venue", "template"), [
    # MedLLMs: venues no list of names knows, in the bracket that holds the date
    ("* [**I3CE, 2023**] Trust in Construction AI-Powered Collaborative Robots: A Qualitative Empirical Analysis. "
     "[paper](https://arxiv.org/abs/2308.14846)", "I3CE", "* [**⟦venue:text⟧, ⟦date:YYYY⟧**] ⟦title:text⟧. [paper](⟦url⟧)"),
    ("* [**Nature Medicine, 2024.5**] **BiomedGPT**: A generalist vision-language foundation model. "
     "[paper](https://arxiv.org/abs/2305.17100)", "Nature Medicine",
     "* [**⟦venue:text⟧, ⟦date:YYYY.M⟧**] **⟦head:text⟧**: ⟦tail:text⟧. [paper](⟦url⟧)"),
    # codefuse: `[ESEC/FSE 2022]` after the date
    ('8. "NatGen: Generative pre-training by Naturalizing source code" [2022-06] [ESEC/FSE 2022] '
     "[[paper](https://arxiv.org/abs/2206.07585)]", "ESEC/FSE",
     '⟦number⟧. "⟦title:text⟧" [⟦date:YYYY-MM⟧] [⟦venue:text⟧ ⟦date:YYYY⟧] [[paper](⟦url⟧)]'),
])
def test_any_name_in_the_bracket_of_a_date_is_its_venue(line: str, venue: str, template: str) -> None:
    induced = induce(line, "list_item", entry_title(line, "list_item"))
    assert induced is not None
    assert (induced.venues, induced.lines) == ([venue], [template])


def test_a_survey_title_opens_with_its_topic_not_a_name() -> None:
    from bot.lists.entries.title import name_and_rest, short_name
    assert short_name("Augmented Language Models: a Survey") == ""
    assert name_and_rest("Hallucination in LLMs: A Comprehensive Review") == ("", "")
    assert short_name("MM-LLMs: A Survey of Recent Advances") == "MM-LLMs"  # a name, whatever follows
    assert short_name("Code as Policies: Language Model Programs for Embodied Control") == "Code as Policies"
