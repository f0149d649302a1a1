"""Lists kept in several files, off GitHub: discovery and its refusals, counts in the index, the
combined document, and `python -m bot add|classify|check-config` on a checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Config
from bot.lists.index import bump_counts, index_links, link_targets_written, resolve_target
from bot.lists.layout import (
    MAX_FILE_BYTES,
    NOTE_LOOP,
    ListFile,
    TreeEntry,
    _may_be_list_file,
    discover,
    needs_tree,
)
from bot.lists.listset import assemble
from tests.multifile_repo import JAILBREAK, SURVEY, UNLEARNING, repo_files
from tests.test_local_mode import run_bot

ROOT = Path(__file__).parent.parent


class DictTree:
    def __init__(self, files: dict[str, str], symlinks: tuple[str, ...] = (), sizes: dict[str, int] | None = None):
        self.files, self.symlinks, self.sizes = files, symlinks, sizes or {}

    def get(self, path):
        if path not in self.files and path not in self.symlinks:
            return None
        return TreeEntry(path, self.sizes.get(path, len(self.files.get(path, ""))), path in self.symlinks)

    def paths(self):
        return [*self.files, *self.symlinks]


def layout_of(repo, **options):
    tree = DictTree(repo, **{k: options.pop(k) for k in ("symlinks", "sizes") if k in options})
    texts = {"README.md": repo["README.md"]}
    for _ in range(4):
        layout = discover("README.md", texts, tree, **options)
        texts.update({p: repo[p] for p in layout.wanted})
    return layout


@pytest.mark.parametrize(("target", "expected"), [
    ("collection/a.md", "collection/a.md"), ("./collection/a.md#top", "collection/a.md"),
    (".//sub/A%20B.md", "sub/A B.md"), ("/docs/x.md", "docs/x.md"), ("../x.md", "outside"),
    ("sub/../../x.md", "outside"), ("https://github.com/o/r/blob/main/x.md", None), ("#anchor", None),
    ("mailto:a@b.c", None), ("//evil.example/x.md", None),
])
def test_link_targets_resolve_inside_the_repository_or_not_at_all(target, expected):
    assert resolve_target(target, "README.md") == expected


def test_place_is_the_bullets_around_a_link_then_its_text():
    text = "- Paper (12)\n    - A. Safety (7)\n        - [A1. Jailbreak](j.md) (5)\n- [Survey](s.md) (3)\n"
    assert [(link.target, link.place, link.line) for link in index_links(text)] == [
        ("j.md", ("Paper", "A. Safety", "A1. Jailbreak"), 2), ("s.md", ("Survey",), 3)]
    assert "```" not in text and index_links("```\n[x](y.md)\n```\n") == []  # code is not a link


LINKS = [
    "- [A1. Jailbreak](collection/j.md) (5)\n", "[x]( <sub/A B.md> )\n", "[ref]: docs/x.md\n   [two]: <y.md>\n",
    "| [T](t.md) | x |\n", "- [Paper](https://arxiv.org/abs/2301.00001) [code](https://github.com/o/r)\n",
    "[x](#top) [y](mailto:a@b.c)\n", "> - [ref]:\n>   nested/x.md\n>\n> see [ref]\n", "[x](\nz.md)\n", "> [x](\n> z.md)\n", "```\n[x](y.md)\n```\n", "[a](b(c).md) [d](e.md \"title\")\n",
]


@pytest.mark.parametrize("text", LINKS)
def test_the_quick_look_at_link_targets_never_hides_a_link_to_a_list_file(text):
    exact = any(_may_be_list_file(link.target, "README.md") for link in index_links(text))
    assert needs_tree("README.md", text) is exact
    assert link_targets_written(text) or not exact


def test_an_index_whose_links_all_point_elsewhere_needs_no_tree_and_no_parse(monkeypatch):
    big = "# Big\n\n## Attacks\n\n" + "".join(f"- [P {n}](https://arxiv.org/abs/2301.{n:05d})\n" for n in range(9))
    monkeypatch.setattr("bot.lists.layout.index_links", lambda text: pytest.fail("parsed a list with no local links"))
    assert needs_tree("README.md", big) is False
    monkeypatch.undo()
    assert needs_tree("README.md", big + "- [More](more.md)\n") is True
    assert needs_tree("README.md", big + "```\n[More](more.md)\n```\n") is False  # code: parsed, not a link


def test_only_the_count_beside_the_link_changes():
    text = "- A (1,120)\n  - [J](j.md) (1,099)\n  - [K](k.md) (3)\n  - [J again](j.md)\n"
    assert bump_counts(text, "README.md", {"j.md": 2}) == text.replace("(1,099)", "(1,101)")


def test_bad_links_are_skipped_with_a_note_and_never_followed():
    files = {"README.md": "[a](a.md) [gone](gone.md) [out](../../x.md) [link](link.md) [big](big.md)\n",
             "a.md": "# A\n[b](sub/b.md) [home](README.md)\n", "sub/b.md": "# B\n[a](../a.md) [c](c.md)\n",
             "sub/c.md": "# too deep\n", "big.md": "x"}
    layout = layout_of(files, symlinks=("link.md",), sizes={"big.md": MAX_FILE_BYTES + 1})
    # two levels deep: sub/b.md's own links (back to a.md, on to c.md) are not followed
    assert [f.path for f in layout.files] == ["README.md", "a.md", "sub/b.md"]
    notes = "\n".join(layout.notes)
    for words in ("`gone.md` (linked from `README.md` line 1) does not exist", "`../../x.md`",
                  "`link.md` (linked from `README.md`) is a symbolic link", "`big.md` is 2,097,153 bytes",
                  NOTE_LOOP.format(path="a.md", target="README.md")):
        assert words in notes


def test_files_globs_extend_and_exclude_and_follow_links_off_overrides():
    files = {"README.md": "[a](a.md) [b](b.md)\n", "a.md": "# A\n", "b.md": "# B\n", "topics/c.md": "# C\n",
             ".github/x.md": "# no\n", "archive.md": "# Old\n"}
    layout = layout_of(files, files=("topics/*.md", "*.md", "!b.md"), archive="archive.md")
    assert [(f.path, f.role) for f in layout.files] == [
        ("README.md", "index"), ("a.md", "linked"), ("topics/c.md", "matched"), ("archive.md", "archive")]
    only = layout_of(files, files=("topics/*.md",), follow_links=False)
    assert [f.path for f in only.files] == ["README.md", "topics/c.md"]


def test_combined_document_paths_and_lines():
    files = repo_files()
    parts = [(f, files[f.path]) for f in layout_of(files, archive="collection/archive.md").files]
    listed = assemble(parts)
    paths = {s.path for s in listed.doc.paper_sections()}
    assert ("Paper", "A. Safety", "A1. Jailbreak") in paths and ("Survey",) in paths
    assert not any(p and p[0] == "Archive" for p in paths)  # the archive is for "already listed" only
    section = next(s for s in listed.doc.sections if s.path == ("Paper", "A. Safety", "A1. Jailbreak"))
    assert listed.file_of(section) == JAILBREAK
    assert listed.locate(section.entries[0].first_line + 1) == (JAILBREAK, 2)


def test_a_one_file_list_is_its_own_document():
    from bot.lists.document import parse_list

    text = "# L\n\n## A\n\n- [x](https://arxiv.org/abs/2501.00001)\n"
    assert assemble([(ListFile("README.md", (), "index"), text)]).doc is parse_list(text)


@pytest.fixture
def checkout(tmp_path):
    for path, text in repo_files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / "collection" / "toolkit.md").symlink_to("/etc/hostname")
    return tmp_path


async def test_local_add_writes_each_file_and_the_counts(checkout, fake_arxiv):
    fake_arxiv.add_paper("2510.99001", "Chain-of-Thought Hijacking: Jailbreak Attacks on Reasoning Models",
                         "We jailbreak aligned language models by hijacking their chain of thought.",
                         ["Ada Lovelace"], "2025-10-20", ["cs.CL"])
    before = repo_files()
    code, out, err = await run_bot(["add", "2510.99001", "2510.05379", "--readme", "README.md"],
                                   fake_arxiv.url, checkout)
    assert code == 0, err
    assert f"2510.05379: already listed in {JAILBREAK}:2" in out and f"{JAILBREAK}: changed" in out
    changed = {p for p, t in before.items() if (checkout / p).read_text(encoding="utf-8") != t}
    assert changed == {"README.md", JAILBREAK}
    assert "[A1. Jailbreak](collection/paper/safety/jailbreak.md) (498)" in (checkout / "README.md").read_text()


def test_check_config_shows_the_layout_and_what_it_skipped(checkout):
    result = subprocess.run([sys.executable, "-m", "bot", "check-config", ".github/paperbot.yml"], cwd=checkout,
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"  {UNLEARNING}  [linked] «Paper › C. Privacy › C9. Unlearning» 10 papers" in result.stdout
    assert "  collection/archive.md  [archive] 2 papers" in result.stdout
    assert "note: `collection/toolkit.md` (linked from `README.md`) is a symbolic link: not followed" in result.stdout


def test_classify_reads_the_linked_files(checkout):
    paper = {"title": "A Comprehensive Survey of Trustworthy Large Language Models",
             "abstract": "This survey reviews safety, security and privacy: a comprehensive survey."}
    result = subprocess.run([sys.executable, "-m", "bot", "classify", "--readme", "README.md"], cwd=checkout,
                            input=json.dumps(paper) + "\n", capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"] == ["Survey"]
    assert SURVEY and Config().follow_links


def test_a_readme_without_any_heading_is_one_section_named_after_it():
    readme = ("Papers.\n\n- [Paper One](https://arxiv.org/abs/2301.00001)\n"
              "- [Paper Two](https://arxiv.org/abs/2301.00002)\n")
    files = assemble([(ListFile("README.md", (), "index"), readme)])
    assert [(s.path, len(s.entries)) for s in files.doc.paper_sections()] == [(("README.md",), 2)]
    headed = readme.replace("Papers.\n", "# Papers\n")
    assert [s.path for s in assemble([(ListFile("README.md", (), "index"), headed)]).doc.paper_sections()] == [
        ("Papers",)]
