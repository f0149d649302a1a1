"""Recognisers for the pieces an entry of a paper list is made of: links, badges, dates, author
lists, venues, titles. Shared by the parser (titles, paper-likeness) and the format learner. Pure.
"""

from __future__ import annotations

import re
import unicodedata

from bot.lists.entries.dates import DateSpan, find_dates, short_date  # noqa: F401 (read from here too)
from bot.papers.venues import VENUE_NAMES, VENUE_WORD  # noqa: F401 (read from here by the entry code)

# One alternation, tried left to right at each position: HTML link, linked image, image, Markdown
# link (one level of nested brackets in its text, one level of parentheses in its URL), HTML tag,
# bare URL.
PIECE_PATTERN = re.compile(
    r"(?P<html_link><a\s[^>]*?href\s*=\s*[\"']?(?P<hl_url>[^\"'\s>]+)[\"']?[^>]*>(?P<hl_text>.*?)</a\s*>)"
    r"|(?P<img_link>\[\s*(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)\s*\]\((?P<il_url>[^)\s]*)\))"
    r"|(?P<image>!\[(?P<img_alt>[^\]]*)\]\((?P<img_url>[^)\s]*)(?:\s+\"[^\"]*\")?\))"
    r"|(?P<link>\[(?P<link_text>(?:[^\[\]]|\\[\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<link_url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\s*(?:\s\"[^\"]*\"\s*)?\))"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)"
    r"|(?P<url>https?://[^\s<>()\[\]|\"']*[^\s<>()\[\]|\"'.,;:!?])",
    re.IGNORECASE,
)

ARXIV_URL = re.compile(
    r"^(?P<prefix>https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?(?P<suffix>(?:\.pdf)?/?)$",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(r"^(?P<prefix>https?://(?:dx\.)?doi\.org/10\.48550/arxiv\.)\d{4}\.\d{4,5}$",
                        re.IGNORECASE)
# Links that name an arXiv id without the usual abs/pdf path (old ftp mirrors, paper hubs).
_EXTRA_ARXIV = re.compile(
    r"(?:arxiv\.org/ftp/arxiv/papers/\d{4}/|arxiv\.org/(?:abs|pdf|html)//+|huggingface\.co/papers/|"
    r"alphaxiv\.org/(?:abs|overview)/)"
    r"(?P<id>\d{4}\.\d{4,5})",
    re.IGNORECASE,
)
PAPER_HOST = re.compile(
    r"arxiv\.org|openreview\.net|aclanthology\.org|aclweb\.org/anthology|doi\.org|dl\.acm\.org|"
    r"ieeexplore|proceedings\.|papers\.nips\.cc|neurips\.cc|semanticscholar\.org|huggingface\.co/papers|"
    r"alphaxiv\.org|ssrn\.com|biorxiv|medrxiv|springer\.com|sciencedirect|nature\.com|science\.org|"
    r"usenix\.org/(?:conference|system)|ojs\.aaai\.org|ijcai\.org|thecvf\.com|mlr\.press|jmlr\.org|"
    r"\.pdf(?:$|[?#])",
    re.IGNORECASE,
)
# A link to a code repository (`https://github.com/OWNER/REPO`), the paper's code where it is its own.
CODE_HOST = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com)/[^/\s]+/[^/\s]+", re.IGNORECASE)
# What a link to the paper's own page is called: a project page, homepage, website or demo (a table's
# column header, a list item's `[[homepage](...)]`).
PAGE_WORDS = r"(?:project(?:\s*(?:page|site))?|home\s*page|web\s*(?:page|site)|website|demo|page|site)s?"
GENERIC_LINK_TEXT = re.compile(
    r"^\W*(?:pdf|paper|arxiv|link|(?:official )?code|github|project(?: page)?|page|website|blog|slides?|"
    r"video|dataset|data|demo|homepage|source|abs|abstract|html|url|here|(?:github )?repo(?:sitory)?|model|"
    r"openreview|doi|paper list|huggingface|hf|star|stars|leaderboard)\W*$",
    re.IGNORECASE,
)

_NAME_PART = re.compile(r"^[^\W\d_][\w'’.\-]*(?:\s+[\w'’.\-()]+){0,5}$")
_INSTITUTION = re.compile(
    r"\b(?:university|universit[éà]|institute|institut|lab|laboratory|college|school|inc\.?|corp|"
    r"research|academy|center|centre|department|hospital|ltd)\b",
    re.IGNORECASE,
)
_EMOJI_CATEGORIES = {"So", "Sk", "Cs", "Co"}
_ZERO_WIDTH = {"\ufe0f", "\ufe0e", "\u200d", "\u200b", "\u20e3"}
_EMPHASIS = re.compile(r"(\*\*|__|~~|(?<![\w*])\*(?=\S)|(?<!\w)_(?=\S))(.+?)(?<=\S)\1")
_PROTECT = {"*": "\ue000", "_": "\ue001", "`": "\ue002", "~": "\ue003"}
_UNPROTECT = str.maketrans({v: k for k, v in _PROTECT.items()})
_HTML_TAG = re.compile(r"<[^>]*>")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|&<>~])")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]+:")


_ID_AFTER_ARXIV = re.compile(
    r"arxiv(?:\.org/(?:abs|pdf|html|format)/|[:.]\s?)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)


def arxiv_ids_in(text: str) -> list[str]:
    """Every arXiv id (no version) the text names, in order, without repeats. Same forms as
    `bot.papers.references.find_arxiv_ids` (each contains "arxiv"), plus mirror and paper-hub links."""
    lowered = text.lower()
    found = []
    at = lowered.find("arxiv")
    while at >= 0:
        match = _ID_AFTER_ARXIV.match(text, at)
        if match:
            found.append(match["id"])
        at = lowered.find("arxiv", at + 5)
    if ("//" in lowered and ("abs//" in lowered or "pdf//" in lowered)) or _has_extra_hint(lowered):
        found.extend(m["id"] for m in _EXTRA_ARXIV.finditer(text))
    return list(dict.fromkeys(found)) if len(found) > 1 else found


def _has_extra_hint(lowered: str) -> bool:
    return "ftp/arxiv" in lowered or "huggingface.co/papers" in lowered or "alphaxiv" in lowered


def arxiv_url_form(url: str) -> str | None:
    """`https://arxiv.org/pdf/2308.07902.pdf` -> `https://arxiv.org/pdf/{id}.pdf`; `{v}` marks a version."""
    match = ARXIV_URL.match(url)
    if not match:
        doi = _ARXIV_DOI.match(url)  # `https://doi.org/10.48550/arXiv.2311.08894`: arXiv's own DOI
        return f"{doi['prefix']}{{id}}" if doi else None
    return match["prefix"] + "{id}" + ("{v}" if match["version"] else "") + match["suffix"]


SHIELDS_BADGE = re.compile(r"img\.shields\.io/badge/([^-/]+(?:--[^-/]+)*)-(\w+)")


def venue_badge(image_url: str) -> str:
    """The label of a shields.io badge that names a venue (`ACL2025`, `ACL2025--industry`), else ""."""
    badge = SHIELDS_BADGE.search(image_url)
    return badge[1] if badge and VENUE_WORD.fullmatch(badge[1].replace("_", " ")) else ""


def badge_label(text: str) -> str:
    """A shields.io badge label compared loosely: `AReaL`, `areal` and `A--Real` are one name."""
    return re.sub(r"[\W_]+", "", text.replace("%20", " ")).lower()


def strip_emoji(text: str, *, symbols: bool = True) -> str:
    """Without emoji; `symbols=False` keeps the old typographic symbols such as `°` and `©`."""
    if text.isascii():
        return text
    return "".join(
        ch for ch in text
        if ch not in _ZERO_WIDTH and not (
            unicodedata.category(ch) in _EMOJI_CATEGORIES and (symbols or ord(ch) >= 0x2190))
    )


def plain_text(markdown: str) -> str:
    """Markdown/HTML inline text to plain text: images dropped, links to their text, no emoji."""
    text = markdown
    if "[" in text or "<" in text or "://" in text:
        text = PIECE_PATTERN.sub(_piece_text, text)
    if text.count(":") >= 2:
        text = _SHORTCODE.sub("", text)
    escaped = "\\" in text
    if escaped:
        text = _ESCAPED.sub(lambda m: _PROTECT.get(m[1], m[1]), text)
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub(r"\2", text)
    if "`" in text:
        text = text.replace("`", "")
    if escaped:
        text = text.translate(_UNPROTECT)
    return " ".join(strip_emoji(text, symbols=False).split())


def _piece_text(match: re.Match[str]) -> str:
    if match["link"]:
        return match["link_text"]
    if match["html_link"]:
        return _HTML_TAG.sub("", match["hl_text"])
    return ""


def looks_like_title(text: str) -> bool:
    """A plain line that reads like a paper title rather than a label ("Jailbreak Attacks")."""
    words = text.split()
    titled = len(words) >= 6 or (len(words) >= 3 and bool(re.search(r":\s+\S", text)))
    return titled and not looks_like_authors(text)


def looks_like_authors(text: str) -> bool:
    """A list of person names: `A. Smith, B. Jones and C. Wu`, `Ziyu Zhuang et al.`, and names written
    surname first as a bibliography writes them (`Bruna, Joan and LeCun, Yann`)."""
    text = text.strip().rstrip(".").strip()
    if not text or any(ch.isdigit() for ch in text) or "|" in text or _INSTITUTION.search(text):
        return False
    if ":" in text or "[" in text or "http" in text:
        return False
    if surname_first(text) is not None:
        return True
    text = re.sub(r"\bet\.? al\b\.?", "", text).strip(" ,")
    parts = [p.strip() for p in re.split(r",|;|\band\b|&", text) if p.strip()]
    if not parts or any(not _NAME_PART.match(p) for p in parts):
        return False
    if sum(1 for p in parts if len(p.split()) >= 2) * 2 < len(parts):
        return False  # "Benchmark", "Defense, Attack": labels, not names
    words = [w for p in parts for w in p.split()]
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised >= 0.6 * len(words) and max(len(p.split()) for p in parts) <= 6


def split_authors(text: str) -> tuple[list[str], bool]:
    """Names in an author list (`Joan Bruna` also where the list writes `Bruna, Joan`), and whether it
    ended with "et al."."""
    et_al = bool(re.search(r"\bet\.? al\b", text))
    text = re.sub(r"\bet\.? al\b\.?", "", text).strip(" ,.")
    names = surname_first(text)
    if names is not None:
        return [f"{given} {surname}" for surname, given in names], et_al
    return [p.strip() for p in re.split(r",|;|\band\b", text) if p.strip()], et_al


_SURNAME_FIRST_SPLIT = re.compile(r"\s+and\s+")


def surname_first(text: str) -> list[tuple[str, str]] | None:
    """(surname, given names) of a list written surname first and joined by "and", as a bibliography
    writes it (`Battaglia, Peter W and Hamrick, Jessica B`); None for any other text. Each name has
    exactly one comma (`Smith, Jones and Wu` is three people, not this form), and there are three
    names or a given name with an initial: two pairs of words (`Defense, Attack and Robustness,
    Safety`) are as likely a list of topics."""
    text = re.sub(r"\bet\.? al\b\.?", "", text.strip()).strip(" ,.")
    parts = _SURNAME_FIRST_SPLIT.split(text)
    if len(parts) < 2 or any(p.count(",") != 1 for p in parts):
        return None
    names = [tuple(x.strip() for x in p.split(",")) for p in parts]
    if any(not surname or not given or not _NAME_PART.match(surname) or not _NAME_PART.match(given)
           or len(surname.split()) > 3 or len(given.split()) > 3 or not surname[:1].isupper()
           for surname, given in names):
        return None
    if len(names) < 3 and not any(_INITIAL.search(given) for _, given in names):
        return None
    return [(surname, given) for surname, given in names]


_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.?(?:\s|$)")


_NEW_ID_DATE = re.compile(r"(\d{2})(\d{2})\.")
_OLD_ID_DATE = re.compile(r"/(\d{2})(\d{2})\d{3}$")


def id_date_key(arxiv_id: str) -> int:
    """yyyymm from a new-style id, 0 when the id has no date in it we trust."""
    m = _NEW_ID_DATE.match(arxiv_id) or _OLD_ID_DATE.search(arxiv_id)
    if not m:
        return 0
    yy, mm = int(m[1]), int(m[2])
    return ((2000 if yy < 90 else 1900) + yy) * 100 + mm
