"""Real lists as the repository's list: an entry added through a webhook looks like its neighbours."""

from __future__ import annotations

import difflib

import pytest

from bot.jobs.replies import ADDITIONS_BRANCH
from bot.lists.document import parse_list
from bot.lists.entries.shape import core_shape
from bot.lists.render import PLACEHOLDER
from tests.lists_data import LIST_NAMES, list_text, records_by_file

NEW_ID = "2511.04321"
CASES = [name for name in LIST_NAMES if records_by_file(name).get("README.md")]


@pytest.mark.parametrize("name", CASES)
async def test_added_entry_looks_like_its_neighbours(bot, fake_github, fake_arxiv, name):
    text = list_text(name, "README.md")
    doc = parse_list(text)
    # The section holding the most papers: a real target with many neighbours.
    section = max(doc.paper_sections(), key=lambda s: len(s.entries))
    repo = f"lists/{name.lower()}"
    fake_github.add_repo(repo, {"README.md": text})
    fake_arxiv.add_paper(NEW_ID, "Steering Reasoning Models Away from Unsafe Chains of Thought",
                         "We steer reasoning models. It works.", ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
                         "2025-11-06", ["cs.CL"], comment="Accepted at ICLR 2026")
    issue = fake_github.add_issue(repo, "add")
    # by its path: a heading alone may be ambiguous ("Privacy" under Vulnerabilities and Defenses)
    await bot.comment(repo, issue, f'/add arXiv:{NEW_ID} to "{" › ".join(section.path)}"')

    after = fake_github.file(repo, "README.md", ADDITIONS_BRANCH)
    assert after is not None, bot.replies(repo, issue)
    new_doc = parse_list(after)
    [target] = [s for s in new_doc.paper_sections() if s.path == section.path]
    [added] = [e for e in target.entries if NEW_ID in e.arxiv_ids]
    neighbours = {core_shape(e.text) for e in target.entries if NEW_ID not in e.arxiv_ids}
    # A field only the maintainer can fill (isXinLiu's affiliations) is the visible placeholder, where a
    # neighbour has a short phrase: compared as that phrase.
    shape = core_shape(added.text.replace(PLACEHOLDER, "to fill in"))
    assert any(_less_lines(shape, other) for other in neighbours), added.text
    # Only the new entry (and blank separator lines) were inserted: nothing changed or went away.
    matcher = difflib.SequenceMatcher(a=text.split("\n"), b=after.split("\n"), autojunk=False)
    inserted = []
    for tag, _, _, b1, b2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), tag
        if tag == "insert":
            inserted += after.split("\n")[b1:b2]
    # (As a multiset: with repeated lines such as `</details>` the alignment may pick another copy.)
    assert sorted(line for line in inserted if line.strip()) == sorted(
        line for line in added.text.split("\n") if line.strip())


def _less_lines(shape: str, neighbour: str) -> bool:
    """`shape` is `neighbour`, or it with some of its lines after the first left out."""
    own, other = shape.split("\n"), neighbour.split("\n")
    if own == other:
        return True
    rest = iter(other[1:])
    return own[0] == other[0] and len(own) < len(other) and all(line in rest for line in own[1:])
