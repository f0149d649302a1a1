"""A list kept in several files, modelled on ThuCCSLab/Awesome-LM-SSP (tests/fixtures/lists, see
SOURCES.md): its README verbatim (an index with a count beside each link), the start of its topic
files two folders down, one topic file written as a table (rows from ydyjya/Awesome-LLM-Safety's
Privacy file), and an archive the config names."""

from __future__ import annotations

from pathlib import Path

LISTS = Path(__file__).parent / "fixtures" / "lists"
SSP = LISTS / "ThuCCSLab__Awesome-LM-SSP"
TABLE_SOURCE = LISTS / "ydyjya__Awesome-LLM-Safety" / "subtopic" / "Privacy.md"
CONFIG = "latest:\n  archive: collection/archive.md\n"
ARCHIVE = """# Archive

- [2023/07] **[Jailbroken: How Does LLM Safety Training Fail?](https://arxiv.org/abs/2307.02483)** ![LLM](https://img.shields.io/badge/LLM-589cf4)
- [2023/07] **[Universal and Transferable Adversarial Attacks on Aligned Language Models](https://arxiv.org/abs/2307.15043)** ![LLM](https://img.shields.io/badge/LLM-589cf4)
"""
TOPIC_LINES = 10  # entries kept from each topic file: enough to learn it, few enough to be quick
UNLEARNING = "collection/paper/privacy/unlearning.md"
JAILBREAK = "collection/paper/safety/jailbreak.md"
SURVEY = "collection/survey.md"


def table_topic() -> str:
    """`# C9. Unlearning` over a table of papers, as ydyjya's subtopic files write them."""
    lines = TABLE_SOURCE.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| Date"))
    rows = [line for line in lines[start + 2:] if line.startswith("|")][:TOPIC_LINES]
    return "\n".join(["# C9. Unlearning", "", lines[start], lines[start + 1], *rows]) + "\n"


def repo_files() -> dict[str, str]:
    files = {"README.md": (LISTS / "ThuCCSLab__Awesome-LM-SSP.md").read_text(encoding="utf-8"),
             ".github/paperbot.yml": CONFIG, "collection/archive.md": ARCHIVE}
    for path in sorted(SSP.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        files[str(path.relative_to(SSP))] = "\n".join(text.split("\n")[: TOPIC_LINES + 1]) + "\n"
    files[UNLEARNING] = table_topic()
    return files
