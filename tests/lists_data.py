"""The seven real paper lists and their hand-checked entry records (tests/fixtures/lists, see
SOURCES.md), and a `Paper` built from a record the way arXiv would describe it."""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

from bot.papers.references import Paper

LISTS_DIR = Path(__file__).parent / "fixtures" / "lists"
LIST_NAMES = (
    "ThuCCSLab__Awesome-LM-SSP",
    "ydyjya__Awesome-LLM-Safety",
    "hemingkx__Awesome-Efficient-Reasoning",
    "chawins__llm-sp",
    "hijkzzz__Awesome-LLM-Strawberry",
    "isXinLiu__Awesome-MLLM-Safety",
    "tjunlp-lab__Awesome-LLMs-Evaluation-Papers",
)
SEED_LIST = LISTS_DIR / "wonderNefelibata__Awesome-LRM-Safety.md"


@cache
def records(name: str) -> tuple[dict, ...]:
    with gzip.open(LISTS_DIR / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle)


def list_path(name: str, source_file: str) -> Path:
    return LISTS_DIR / f"{name}.md" if source_file == "README.md" else LISTS_DIR / name / source_file


@cache
def list_text(name: str, source_file: str) -> str:
    return list_path(name, source_file).read_text(encoding="utf-8")


def records_by_file(name: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records(name):
        grouped[record["source_file"]].append(record)
    return grouped


def all_list_files() -> list[tuple[str, str]]:
    return [(name, source) for name in LIST_NAMES for source in records_by_file(name)]


def paper_from_record(record: dict, authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing")) -> Paper:
    """A plausible arXiv description of the paper a record lists."""
    arxiv_id = record["arxiv_id"]
    match = re.match(r"(\d{2})(\d{2})\.", arxiv_id)
    published = date(2000 + int(match[1]), int(match[2]), 12) if match else date(2007, 1, 12)
    return Paper(arxiv_id, 2, record["title"], authors, "We study a problem. We solve it.",
                 published, published)


def normalised_title(title: str) -> str:
    """Titles compared without quotes, escapes, emphasis and spacing, which records and lists vary."""
    return re.sub(r"[\s\"“”'‘’\\*]+", " ", title).strip().lower()
