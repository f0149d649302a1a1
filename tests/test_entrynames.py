"""Names, notes, venues and quoted titles in list items written like their siblings (issue #14): no
sibling's punctuation left without its words, no invented `[arXiv 2025]`, the `**Name**:` prefix the
section's entries show, titles with quotes inside them. Synthetic entries modelled on codefuse-ai's
Awesome-Code-LLM and other lists (named in each case); no shared data is read."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import EntryFormat, learn_format
from bot.lists.entries.template import induce
from bot.lists.entries.title import entry_title
from bot.lists.render import render_entry
from bot.papers.references import Paper


def _paper(title: str, journal_ref: str = "") -> Paper:
    day = date(2025, 1, 5)
    return Paper("2501.00001", 1, title, ("Ann Lee", "Bo Wu"), "We study how models fail.", day, day,
                 journal_ref=journal_ref)


def _section_format(body: str) -> EntryFormat:
    return learn_format(parse_list("## Papers\n\n" + body).sections[0])


# ---------------------------------------------------------------- 1. no punctuation without its words

ENCODERS = (  # codefuse-ai, "Encoder": a bold name, then the training objectives in parentheses
    '1. **CuBERT** (MLM + NSP): "Learning and Evaluating Contextual Embedding of Source Code" [2019-12] '
    "[ICML 2020] [[paper](https://arxiv.org/abs/2001.00059)]\n"
    '2. **CodeBERT** (MLM + RTD): "CodeBERT: A Pre-Trained Model for Programming and Natural Languages" '
    "[2020-02] [EMNLP 2020 findings] [[paper](https://arxiv.org/abs/2002.08155)]\n"
    '3. **GraphCodeBERT** (MLM + DFG Edge Prediction + DFG Node Alignment): "GraphCodeBERT: Pre-training Code '
    'Representations with Data Flow" [2020-09] [ICLR 2021] [[paper](https://arxiv.org/abs/2009.08366)]\n'
    '4. **SynCoBERT** (MLM + Identifier Prediction + AST Edge Prediction + Contrastive Learning): "SynCoBERT: '
    'Syntax-Guided Multi-Modal Contrastive Pre-Training for Code Representation" [2021-08] '
    "[[paper](https://arxiv.org/abs/2108.04556)]\n"
    '5. **DISCO** (MLM + Node Type MLM + Contrastive Learning): "Towards Learning (Dis)-Similarity of Source '
    'Code from Program Contrasts" [2021-10] [ACL 2022] [[paper](https://arxiv.org/abs/2110.03868)]\n')


def test_a_note_after_the_name_is_a_placeholder_not_its_punctuation() -> None:
    line = ENCODERS.split("\n")[2]
    induced = induce(line, "list_item", entry_title(line, "list_item"))
    assert induced is not None
    assert induced.lines[0].startswith('⟦number⟧. **⟦short:text⟧** (⟦unknown⟧): "⟦title:text⟧"')
    written = render_entry(_section_format(ENCODERS), _paper("CodeSSM: Towards State Space Models for Code"))
    assert written.startswith('6. **CodeSSM** (*(to fill in)*): "CodeSSM: Towards State Space Models for Code"')
    assert "+" not in written


DECODERS = (  # codefuse-ai, "Decoder": titles without a name are written without name or note
    '1. **Codex** (CLM): "Codex: Evaluating Large Language Models Trained on Code" [2021-07] '
    "[[paper](https://arxiv.org/abs/2107.03374)]\n"
    '2. "A Study of Code Models at Scale" [2021-08] [[paper](https://arxiv.org/abs/2108.00001)]\n'
    '3. **PolyCoder** (CLM): "PolyCoder: A Systematic Evaluation of Code Models" [2022-02] '
    "[[paper](https://arxiv.org/abs/2202.13169)]\n"
    '4. "Another Study of Code Models" [2022-03] [[paper](https://arxiv.org/abs/2203.00001)]\n'
    '5. **CodeGen** (CLM + FIM): "CodeGen: An Open Large Language Model for Code" [2022-03] '
    "[[paper](https://arxiv.org/abs/2203.13474)]\n")


def test_the_note_goes_with_the_name_when_the_paper_has_none() -> None:
    fmt = _section_format(DECODERS)
    assert render_entry(fmt, _paper("StarCoder: May the Source Be with You")).startswith(
        '6. **StarCoder** (*(to fill in)*): "StarCoder: May the Source Be with You" [2025-01]')
    assert render_entry(fmt, _paper("CodeShell Technical Report")) == (
        '6. "CodeShell Technical Report" [2025-01] [[paper](https://arxiv.org/abs/2501.00001)]')


@pytest.mark.parametrize(("line", "title", "template"), [
    pytest.param(  # codefuse-ai: a venue bracket whose words are dropped keeps no `&`
        '3. "GPT-NeoX-20B: An Open-Source Autoregressive Language Model" [2022-04] [ACL 2022 Workshop on '
        "Challenges & Perspectives in Creating Large Language Models] [[paper](https://arxiv.org/abs/2204.06745)]",
        "GPT-NeoX-20B: An Open-Source Autoregressive Language Model",
        '⟦number⟧. "⟦title:text⟧" [⟦date:YYYY-MM⟧] [⟦venue:text⟧ ⟦date:YYYY⟧] [[paper](⟦url⟧)]', id="ampersand"),
    pytest.param(  # WooooDyy: affiliations in parentheses after the authors, joined by `&`
        "- [2023/11] **MAgIC: Investigation of Multi-Agent Cognition** *Lin Xu, Zhiyuan Hu* "
        "(NUS & ByteDance) [[paper](https://arxiv.org/abs/2311.08562)]",
        "MAgIC: Investigation of Multi-Agent Cognition",
        "- [⟦date:YYYY/MM⟧] **⟦title:text⟧** *⟦authors:text⟧* [[paper](⟦url⟧)]", id="parenthesised"),
])
def test_punctuation_between_dropped_words_goes_with_them(line: str, title: str, template: str) -> None:
    induced = induce(line, "list_item", title)
    assert induced is not None and induced.lines == [template]


# ---------------------------------------------------------------- 2. no invented venue


def test_no_arxiv_venue_where_siblings_write_real_venues_or_none() -> None:
    fmt = _section_format(ENCODERS)
    assert "[arXiv" not in render_entry(fmt, _paper("CodeSSM: Towards State Space Models for Code"))
    assert "[EMNLP 2025]" in render_entry(fmt, _paper("CodeSSM: Towards State Space Models", "EMNLP 2025"))


def test_no_arxiv_venue_even_where_every_sibling_shows_a_venue() -> None:
    every = "".join(line + "\n" for line in ENCODERS.split("\n") if "[2021-08]" not in line and line)
    fmt = _section_format(every)
    assert render_entry(fmt, _paper("Scaling Laws for Code Models")).endswith(
        '"Scaling Laws for Code Models" [2025-01] [[paper](https://arxiv.org/abs/2501.00001)]')
    assert "[ICLR 2025]" in render_entry(fmt, _paper("Scaling Laws for Code Models", "ICLR 2025"))


def test_a_list_that_writes_arxiv_as_its_venue_keeps_it() -> None:
    body = ('- "Code Agents at Work" [2023-05] [arXiv 2023] [[paper](https://arxiv.org/abs/2305.00001)]\n'
            '- "Code Agents at Play" [2023-06] [ACL 2023] [[paper](https://arxiv.org/abs/2306.00001)]\n')
    assert "[arXiv 2025]" in render_entry(_section_format(body), _paper("Code Agents Again"))


# ---------------------------------------------------------------- 3. the name prefix

FINE_TUNING = (  # codefuse-ai, "(Instruction) Fine-Tuning": most named titles shown with their name
    '1. **WizardCoder**: "WizardCoder: Empowering Code Large Language Models with Evol-Instruct" [2023-06] '
    "[ICLR 2024] [[paper](https://arxiv.org/abs/2306.08568)]\n"
    '2. "Multi-task Code LLMs: Data Mix or Model Merge?" [2023-06] [[paper](https://arxiv.org/abs/2306.08569)]\n'
    '3. **PanGu-Coder2**: "PanGu-Coder2: Boosting Large Language Models for Code with Ranking Feedback" '
    "[2023-07] [[paper](https://arxiv.org/abs/2307.14936)]\n"
    '4. **OctoPack**: "OctoPack: Instruction Tuning Code Large Language Models" [2023-08] '
    "[[paper](https://arxiv.org/abs/2308.07124)]\n"
    '5. "Verification Limits Code LLM Training" [2023-09] [EMNLP 2025] [[paper](https://arxiv.org/abs/2309.00001)]\n'
    '6. **WaveCoder**: "WaveCoder: Widespread And Versatile Enhanced Instruction Tuning" [2023-12] '
    "[[paper](https://arxiv.org/abs/2312.14187)]\n")


def test_the_name_prefix_survives_the_choice_of_an_entry_with_a_venue() -> None:
    # the nearest entry with a venue shows no name: the name is still written as most siblings do
    fmt = _section_format(FINE_TUNING)
    assert render_entry(fmt, _paper("Magicoder: Empowering Code Generation with OSS-Instruct")) == (
        '7. **Magicoder**: "Magicoder: Empowering Code Generation with OSS-Instruct" [2025-01] '
        "[[paper](https://arxiv.org/abs/2501.00001)]")
    assert render_entry(fmt, _paper("Scaling Laws for Code Models")) == (
        '7. "Scaling Laws for Code Models" [2025-01] [[paper](https://arxiv.org/abs/2501.00001)]')


# ---------------------------------------------------------------- 4. titles with quotes inside


@pytest.mark.parametrize(("line", "title"), [
    ('8. **NatGen** (Code Naturalization): "NatGen: Generative pre-training by "Naturalizing" source code" '
     "[2022-06] [ESEC/FSE 2022] [[paper](https://arxiv.org/abs/2206.07585)]",
     'NatGen: Generative pre-training by "Naturalizing" source code'),
    ('- ""You still have to study" -- On the Security of LLM generated code" [2024-08] '
     "[[paper](https://arxiv.org/abs/2408.07106)]", '"You still have to study" -- On the Security of LLM generated code'),
    ('- ""It\'s Weird That it Knows What I Want": Usability and Interactions with Copilot" [2023-04] [ACM TCHI] '
     "[[paper](https://arxiv.org/abs/2304.02491)]", '"It\'s Weird That it Knows What I Want": Usability and '
     "Interactions with Copilot"),
    ('1. NewsQA: "**NewsQA: A Machine Comprehension Dataset**".', "NewsQA: A Machine Comprehension Dataset"),
])
def test_a_quoted_title_runs_to_the_quote_before_the_next_piece(line: str, title: str) -> None:
    assert entry_title(line, "list_item") == title


def test_a_title_with_inner_quotes_is_written_between_the_lists_quotes() -> None:
    body = ('1. "When "Correct" Is Not Safe: Can We Trust Patches?" [2025-10] [[paper](https://arxiv.org/abs/2510.17862)]\n'
            '2. "Are "Solved Issues" in SWE-bench Really Solved?" [2025-03] [[paper](https://arxiv.org/abs/2503.15223)]\n')
    assert render_entry(_section_format(body), _paper('Can Be "Lost in the End" Again')) == (
        '3. "Can Be "Lost in the End" Again" [2025-01] [[paper](https://arxiv.org/abs/2501.00001)]')


# ---------------------------------------------------------------- 4. a venue alone after the authors

AGENTS = (  # WooooDyy/LLM-Agent-Paper-List: the venue written alone after the emphasised authors
    '- [2023/10] **"Benchmarking Large Language Models As AI Research Agents."** *Qian Huang (Stanford) et al.* '
    "arXiv. [[paper](https://arxiv.org/abs/2310.03302)] [[code](https://github.com/snap-stanford/MLAgentBench)]\n"
    '- [2023/08] **"AgentBench: Evaluating LLMs as Agents."** *Xiao Liu (THU) et al.* arXiv. '
    "[[paper](https://arxiv.org/abs/2308.03688)]\n"
    '- [2023/09] **"Agents Playing Games."** *Ann Bo (MIT) et al.* ICLR. [[paper](https://arxiv.org/abs/2309.00001)]\n')


def test_a_venue_written_alone_after_the_authors_is_the_venue_slot() -> None:
    induced = induce(AGENTS.split("\n")[1], "list_item", "AgentBench: Evaluating LLMs as Agents.")
    assert induced is not None and "*⟦authors:text⟧* ⟦venue:text⟧. [[paper]" in induced.lines[0]
    written = render_entry(_section_format(AGENTS), _paper("Agents Reading Papers"))
    assert written.endswith("*Ann Lee et al.* arXiv. [[paper](https://arxiv.org/abs/2501.00001)]")
    assert "*Ann Lee et al.* ICML 2025. [[paper]" in render_entry(_section_format(AGENTS),
                                                            _paper("Agents Reading Papers", "ICML 2025"))


def test_a_word_after_the_authors_that_only_starts_like_a_venue_stays_text() -> None:
    line = '- [2023/08] **"A Study."** *Ann Lee, Bo Wu* ACLU report. [[paper](https://arxiv.org/abs/2308.03688)]'
    induced = induce(line, "list_item", "A Study.")
    assert induced is not None and "⟦venue:" not in induced.lines[0]
