"""References beyond arXiv: DOIs, ACL Anthology, OpenReview, Semantic Scholar and OpenAlex.

`parse_any_ref` turns what people type into an `ArxivRef` (every arXiv form, the arXiv DOI
`10.48550/arXiv.NNNN` included) or a `ScholarRef`; each reference has a `key` (`2502.05206`,
`doi:10.1038/…`, `acl:2021.naacl-main.208`, `openreview:…`) that names it in the rolling pull
request's state. `identity_keys_in` finds the same keys in a list entry's links, so that a paper is
recognised whichever link the list used. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from bot.papers.references import ArxivRef, InvalidRef, parse_ref

NOT_A_REFERENCE = ("not a paper reference (arXiv id, DOI, ACL Anthology, OpenReview, Semantic Scholar "
                   "or OpenAlex link): {raw}")
ACL_DOI_PREFIX = "10.18653/v1/"  # the ACL Anthology's DOIs: 10.18653/v1/<anthology id>

# DOI names: "10.<registrant>/<suffix>"; the suffix may hold almost anything but spaces.
_DOI_BODY = r"10\.\d{4,9}/[^\s\"'<>]+"
_DOI_FORMS = re.compile(
    rf"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)?(?P<doi>{_DOI_BODY})$", re.IGNORECASE)
# Anthology ids: new style `2021.naacl-main.208`, old style `N04-1001`.
_ACL_ID = r"(?P<acl>\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[A-Z]\d{2}-\d{4})"
_ACL_FORMS = re.compile(
    rf"^(?:(?:https?://)?(?:www\.)?(?:aclanthology\.org|aclweb\.org/anthology)/)?{_ACL_ID}"
    r"(?:\.pdf|\.bib|/)?(?:[?#].*)?$", re.IGNORECASE)
_OPENREVIEW_FORMS = re.compile(
    r"^(?:https?://)?(?:www\.)?openreview\.net/(?:forum|pdf|attachment)\?(?:[^#]*&)?id=(?P<id>[\w\-]{5,40})"
    r"(?:[&#].*)?$", re.IGNORECASE)
_S2_FORMS = re.compile(
    r"^(?:https?://)?(?:www\.)?semanticscholar\.org/paper/(?:[^/?#]+/)?(?P<id>[0-9a-f]{40})/?(?:[?#].*)?$",
    re.IGNORECASE)
_OPENALEX_FORMS = re.compile(
    r"^(?:https?://)?(?:api\.)?openalex\.org/(?:works/)?(?P<id>W\d{4,12})/?(?:[?#].*)?$", re.IGNORECASE)

# The same references inside a list's text (links, bare DOIs), for recognising listed papers.
_DOI_IN_TEXT = re.compile(rf"(?:doi\.org/|doi:\s?|\bDOI\s)(?P<doi>{_DOI_BODY})", re.IGNORECASE)
_ACL_IN_TEXT = re.compile(rf"(?:aclanthology\.org|aclweb\.org/anthology)/{_ACL_ID}", re.IGNORECASE)
_OPENREVIEW_IN_TEXT = re.compile(
    r"openreview\.net/(?:forum|pdf|attachment)\?(?:[^\s)\"'#]*?&(?:amp;)?)?id=(?P<id>[\w\-]{5,40})",
    re.IGNORECASE)
_DOI_TRAILING = re.compile(r"[.,;:)\]}>*_`]+$|\.pdf$|/$|\)\S*$")

SOURCES = ("doi", "acl", "openreview", "s2", "openalex")


@dataclass(frozen=True, order=True)
class ScholarRef:
    """A validated reference to a paper outside arXiv. `kind` is one of SOURCES; `value` is normalised
    (DOIs in lower case, Anthology ids in their canonical case)."""

    kind: str
    value: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def url(self) -> str:
        return reference_url(self.kind, self.value)

    def __str__(self) -> str:
        return self.key


PaperRef = ArxivRef | ScholarRef


def parse_any_ref(text: str) -> PaperRef:
    """One user-supplied reference; raises `InvalidRef` (its message safe to post) when it is none."""
    candidate = text.strip().strip("<>").rstrip(".,;")
    try:
        return parse_ref(candidate)
    except InvalidRef as arxiv_error:
        if _looks_like_arxiv(candidate):
            raise  # "no such month in arXiv id" says more than "not a reference"
        error = arxiv_error
    if match := _DOI_FORMS.match(unquote(candidate) if "doi.org/" in candidate.lower() else candidate):
        return ScholarRef("doi", normalise_doi(match["doi"]))
    if match := _ACL_FORMS.match(candidate):
        return ScholarRef("acl", normalise_acl_id(match["acl"]))
    if match := _OPENREVIEW_FORMS.match(candidate):
        return ScholarRef("openreview", match["id"])
    if match := _S2_FORMS.match(candidate):
        return ScholarRef("s2", match["id"].lower())
    if match := _OPENALEX_FORMS.match(candidate):
        return ScholarRef("openalex", match["id"].upper())
    raise InvalidRef(NOT_A_REFERENCE.format(raw=text.strip()[:80])) from error


def _looks_like_arxiv(candidate: str) -> bool:
    return bool(re.match(r"^(?:arxiv:|(?:https?://)?(?:www\.)?arxiv\.org/)", candidate, re.IGNORECASE))


def ref_from_key(key: str) -> PaperRef:
    """The reference a pending paper's key names (`2502.05206`, `doi:10.1/x`)."""
    kind, sep, value = key.partition(":")
    if sep and kind in SOURCES:
        return ScholarRef(kind, value)
    return ArxivRef(key)


def ref_key(ref: PaperRef) -> str:
    return ref.key if isinstance(ref, ScholarRef) else ref.arxiv_id


def key_url(key: str) -> str:
    """Where a pending paper's key points: its arXiv page or its venue page."""
    ref = ref_from_key(key)
    return ref.url if isinstance(ref, ScholarRef) else f"https://arxiv.org/abs/{ref.arxiv_id}"


def reference_url(kind: str, value: str) -> str:
    return {
        "doi": f"https://doi.org/{value}",
        "acl": f"https://aclanthology.org/{value}/",
        "openreview": f"https://openreview.net/forum?id={value}",
        "s2": f"https://www.semanticscholar.org/paper/{value}",
        "openalex": f"https://openalex.org/{value}",
        "arxiv": f"https://arxiv.org/abs/{value}",
    }[kind]


def normalise_doi(doi: str) -> str:
    """DOIs are case-insensitive: compared in lower case, with URL escapes undone."""
    return unquote(doi).strip().lower()


def normalise_acl_id(anthology_id: str) -> str:
    old_style = re.fullmatch(r"[A-Za-z]\d{2}-\d{4}", anthology_id)
    return anthology_id.upper() if old_style else anthology_id.lower()


def acl_id_of_doi(doi: str) -> str:
    """`10.18653/v1/2021.naacl-main.208` -> `2021.naacl-main.208` ("" for other DOIs)."""
    doi = normalise_doi(doi)
    return normalise_acl_id(doi[len(ACL_DOI_PREFIX):]) if doi.startswith(ACL_DOI_PREFIX) else ""


def identity_keys(*, arxiv_id: str = "", doi: str = "", acl_id: str = "",
                  openreview_id: str = "") -> set[str]:
    """Every key under which a list may name the paper (an ACL DOI and its Anthology id are one)."""
    keys = {arxiv_id} if arxiv_id else set()
    if doi:
        doi = normalise_doi(doi)
        keys.add(f"doi:{doi}")
        acl_id = acl_id or acl_id_of_doi(doi)
    if acl_id:
        keys |= {f"acl:{normalise_acl_id(acl_id)}", f"doi:{ACL_DOI_PREFIX}{acl_id.lower()}"}
    if openreview_id:
        keys.add(f"openreview:{openreview_id}")
    return keys


def identity_keys_in(text: str) -> set[str]:
    """The DOI, Anthology and OpenReview keys that `text` links (arXiv ids are found elsewhere)."""
    keys: set[str] = set()
    lowered = text.lower()
    if "10." in lowered:
        for match in _DOI_IN_TEXT.finditer(text):
            keys |= identity_keys(doi=_DOI_TRAILING.sub("", match["doi"]))
    if "acl" in lowered:
        for match in _ACL_IN_TEXT.finditer(text):
            keys |= identity_keys(acl_id=match["acl"])
    if "openreview" in lowered:
        keys |= {f"openreview:{m['id']}" for m in _OPENREVIEW_IN_TEXT.finditer(text)}
    return keys


def title_key(title: str) -> str:
    """A title compared loosely (case, accents, punctuation, spacing); "" when too short to trust."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(words) if len(words) >= 4 else ""
