"""arXiv references and paper metadata.

`parse_ref` turns what people type (`arXiv:2502.05206`, an abs/pdf/html URL, a DOI, an old-style
id) into a normalised `ArxivRef`; `Paper` is the metadata the rest of the bot works with. The
metadata client lives in `bot.papers.arxiv_client` so that this module stays pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# New-style ids: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015 on). Old-style: archive[.SUB]/YYMMNNN.
_NEW_ID = r"(?P<new>(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5}))"
_OLD_ID = r"(?P<old>(?P<archive>[a-z][a-z\-]*[a-z](?:\.[A-Z]{2})?)/(?P<oyy>\d{2})(?P<omm>\d{2})\d{3})"
_VERSION = r"(?:v(?P<version>\d{1,3}))?"
_ID = rf"(?:{_NEW_ID}|{_OLD_ID}){_VERSION}"

_REF_FORMS = [
    re.compile(rf"^(?:arxiv:)?{_ID}$", re.IGNORECASE),
    re.compile(
        rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/{_ID}"
        r"(?:\.pdf)?/?(?:[?#].*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:)?10\.48550/arxiv\.{_ID}$", re.IGNORECASE
    ),
]

# Finds arXiv ids inside free text such as a Markdown list (links, badges, bare ids).
ARXIV_LINK_PATTERN = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html|format)/|arxiv[:.]\s?|10\.48550/arxiv\.)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)


class InvalidRef(ValueError):
    """A reference that is not an arXiv identifier; its message is safe to show the user."""


@dataclass(frozen=True, order=True)
class ArxivRef:
    """A validated arXiv identifier: `arxiv_id` has no version; `version` is kept when given."""

    arxiv_id: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    def __str__(self) -> str:
        return self.versioned


def parse_ref(text: str) -> ArxivRef:
    """Parse one user-supplied reference, raising `InvalidRef` when it is not an arXiv id."""
    candidate = text.strip().strip("<>").rstrip(".,;")
    for form in _REF_FORMS:
        match = form.match(candidate)
        if match:
            return _ref_from_match(match, text)
    raise InvalidRef(f"not an arXiv identifier: {text.strip()[:80]}")


def _ref_from_match(match: re.Match[str], original: str) -> ArxivRef:
    version = int(match["version"]) if match["version"] else None
    if version == 0:
        raise InvalidRef(f"arXiv versions start at v1: {original.strip()[:80]}")
    if match["new"]:
        month = int(match["mm"])
        if not 1 <= month <= 12:
            raise InvalidRef(f"no such month in arXiv id: {original.strip()[:80]}")
        if (int(match["yy"]) >= 15) != (len(match["num"]) == 5):
            raise InvalidRef(f"arXiv numbers have 4 digits before 2015 and 5 since: {original.strip()[:80]}")
        return ArxivRef(match["new"], version)
    month = int(match["omm"])
    if not 1 <= month <= 12:
        raise InvalidRef(f"no such month in arXiv id: {original.strip()[:80]}")
    archive, _, number = match["old"].partition("/")
    return ArxivRef(f"{archive.lower()}/{number}" if "." not in archive else match["old"], version)


def normalise_id(raw: str) -> str:
    """Strip the version from an id found in text (`2502.05206v2` -> `2502.05206`)."""
    return re.sub(r"v\d+$", "", raw.strip())


def find_arxiv_ids(text: str) -> list[str]:
    """Every arXiv id (without version) that `text` links or names, in order, with repeats."""
    return [normalise_id(m["id"]) for m in ARXIV_LINK_PATTERN.finditer(text)]


@dataclass(frozen=True)
class Paper:
    """Metadata of one paper, as arXiv (or a scholarly index) reports it (plain text, not yet escaped)."""

    arxiv_id: str  # without version, e.g. "2502.05206" or "hep-th/9901001"
    version: int
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: date  # first version
    updated: date  # this version
    categories: tuple[str, ...] = ()
    primary_category: str = ""
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    links: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # Papers known beyond arXiv (bot.papers.scholarly): `arxiv_id` is "" when there is no arXiv version.
    venue: str = ""  # where it was published, e.g. "NAACL 2021", "Nature Machine Intelligence"
    acl_id: str = ""
    openreview_id: str = ""
    link: str = ""  # the page an entry links instead of arXiv's (set per section by bot.lists.identity)

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"
