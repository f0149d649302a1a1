"""Table cells the bot fills itself (a name) or leaves to the maintainer, written in the emphasis
their column's rows use (`| **AS-1B** | ...`), learned from the section's rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

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
