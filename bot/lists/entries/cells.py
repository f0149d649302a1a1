"""Table cells the bot fills itself (a name) or leaves to the maintainer, written in the emphasis
their column's rows use (`| **AS-1B** | ...`), learned from the section's rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

# A GitHub stars badge (`![Star](https://img.shields.io/github/stars/OWNER/REPO.svg?style=social)`):
# group 1 is the repository, which the bot fills from the paper's code link.
STARS_BADGE = re.compile(r"img\.shields\.io/github/stars/([\w.-]+/[\w-]+(?:\.(?!svg\b)[\w-]+)*)")
# The badge as a template (`⟦repo⟧` in its URL, maybe itself linked), with a `<br>` that follows it.
_REPO_BADGE = re.compile(r"\[?!\[[^\]]*\]\([^)\s]*⟦repo⟧[^)\s]*\)(?:\]\([^)\s]*\))?\s*(?:<br\s*/?>\s*)?")
_TRAILING_BREAK = re.compile(r"\s*<br\s*/?>\s*$", re.IGNORECASE)
# A cell written whole in one emphasis (`**AS-1B**`, `*Name*`, `` `Name` ``): the wrapper, then the text.
_WRAPPED_CELL = re.compile(r"^(\*\*|__|\*|_|`)(?![\s*_`])(.+?)(?<![\s*_`])\1$")
_FILLED_SLOT = re.compile(r"^⟦(?:name|unknown):cell⟧$")


def cell_emphasis(values: Sequence[str]) -> str:
    """The emphasis a column writes its whole cells in (`**`), when more than half of the given cells
    (the rows that write something there) are wrapped in it; "" otherwise. Links are not emphasis."""
    wrappers = Counter(m[1] if (m := _WRAPPED_CELL.match(v)) and "](" not in v else "" for v in values)
    wrapper, count = wrappers.most_common(1)[0] if wrappers else ("", 0)
    return wrapper if count * 2 > len(values) else ""


def emphasised_slot(template: str, values: Sequence[str]) -> str:
    """A name or maintainer's cell slot wrapped in its column's emphasis; any other template as it is."""
    if not _FILLED_SLOT.match(template):
        return template
    wrapper = cell_emphasis(values)
    return f"{wrapper}{template}{wrapper}"


def github_repo(code_url: str) -> str:
    """`OWNER/REPO` of a GitHub code link (what a stars badge shows), "" for any other host."""
    match = re.match(r"https?://(?:www\.)?github\.com/([\w.-]+/[\w.-]+)", code_url, re.IGNORECASE)
    return match[1].removesuffix(".git") if match else ""


def without_stars_badge(template: str) -> str:
    """The template with its stars badge dropped (no GitHub repository known), and the `<br>` that
    set the badge apart from the title, so the entry reads like its siblings that show none."""
    if "⟦repo⟧" not in template:
        return template
    dropped = _REPO_BADGE.sub("", template)
    return _TRAILING_BREAK.sub("", dropped) if dropped != template else dropped
