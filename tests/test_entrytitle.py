"""Titles and short names: what a list writes in front of a title comes from the title or abstract."""

from __future__ import annotations

import pytest

from bot.lists.entries.title import paper_name, short_name


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
