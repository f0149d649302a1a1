"""Best-effort plain-text title of the paper an entry block describes, and the short name lists write
in front of a title (`PIQA: **"PIQA: Reasoning about..."**`). Pure."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.lists.entries.pieces import GENERIC_LINK_TEXT, PAPER_HOST, PIECE_PATTERN, plain_text

_QUOTES = "\"“”'‘’"
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_DATE_ONLY = re.compile(r"^\W*(?:\d{2,4}[./-]\d{1,2}(?:[./-]\d{1,2})?|(?:19|20)\d{2})\W*$")
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTED = re.compile(r"[\"“]([^\"“”]{8,})[\"”]")
# A quoted title in a list item runs to the closing quote that the entry's next piece follows (the end,
# a bracket, a link, emphasis or punctuation), past quotes inside it (`"NatGen: ... by "Naturalizing"
# source code" [2022-06]`).
_QUOTED_TITLE = re.compile(r"[\"“](?=[^\n]{8})([^\n]+?)[\"”]"
                           r"(?=[ \t]*$|[ \t]+[\[(<!*_|]|(?:[.,;][*_]*|[*_]+)(?:[ \t]|$))")
_VENUE_TAIL = re.compile(r",\s+in\s+[^,]{1,40}?\s+(?:19|20)\d{2}[a-z]?$")
_LEADING_TAG = re.compile(r"^\[[^\[\]]{1,30}\][ \t]+(?=[*_])")
# `[**Arxiv, 2023**] Title`, `[**Nature, 2024.5**] **Name**: rest`: a venue and date in brackets before
# the title (a year in it), which is no part of the title.
_DATED_TAG = re.compile(r"^\[(?P<em>\*{0,3})[^\[\]]{0,30}?(?<!\d)(?:19|20)\d{2}(?!\d)[^\[\]]{0,12}?(?P=em)\]"
                        r"[ \t]+(?=\S)")
# `Title. 2023.`, `Title 2023.`, `Title, VLDB'22.`: the year (and venue) a list writes after the title.
_YEAR_AFTER = re.compile(r"(?<=\S)(?:[.,]?[ \t]+(?:19|20)\d{2}"
                         r"|,[ \t]+[A-Z][A-Za-z&/\-]*[A-Z][A-Za-z&/\-]*['’]\d{2})$")
_STRONG_TITLE_COLUMN = re.compile(r"title|paper|article", re.IGNORECASE)
_TITLE_COLUMN = re.compile(r"title|paper|name|article", re.IGNORECASE)
# Acronyms that name a field or a kind of model, not one paper's dataset or method.
_GENERIC_ACRONYMS = frozenset({
    "ai", "agi", "api", "apis", "cot", "cv", "genai", "gpt", "gpts", "chatgpt", "gpu", "gpus", "lm", "lms",
    "llm", "llms", "lvlm", "lvlms", "mcp", "ml", "mllm", "mllms", "nlg", "nlp", "nlu", "qa", "rag", "rl",
    "rlhf", "sota", "vlm", "vlms",
})
_NAME_WORD = r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
# "... with the MATH Dataset", "The BEGIN Benchmark", "A CALAMITA Challenge"
_NAMING_NOUNS = ("dataset", "benchmark", "corpus", "challenge", "suite")
_NAME_BEFORE_NOUN = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME_WORD})\s+(?:{'|'.join(_NAMING_NOUNS)})\b", re.IGNORECASE)
# "Clinical language understanding evaluation (CLUE)"
_NAME_IN_PARENTHESES = re.compile(r"\((?P<name>[A-Z][A-Za-z0-9-]{1,15})\)")
# "... with FRANK: A Benchmark for ...", "Do We Need Tools? SIRA: Shared-Prefix ..."
_NAME_AFTER_CUE = re.compile(rf"(?:\b(?:with|using)\s+|[?!]\s+)(?P<name>{_NAME_WORD}):\s")
# "we introduce GSM8K, a dataset of ...", "we propose a benchmark named HalluQA, which ..."
_NAME_IN_ABSTRACT = re.compile(
    r"\b[Ww]e\s+(?:also\s+|further\s+|first\s+)?(?:introduce|present|propose|construct|build|create|release|"
    r"curate|develop|design|contribute)[sd]?\s+(?:(?:a|an|the)\s+)?"
    r"(?:(?:new|novel|large-scale|comprehensive|challenging|first)\s+)*"
    r"(?:(?:benchmark|dataset|corpus|suite|framework|method|approach|attack|defense)\s+(?:named|called|dubbed|termed)\s+)?"
    rf"(?P<name>{_NAME_WORD})(?=,|\s\(|:|\s—|\s-\s|\s(?:a|an|the|which|that|to|for)\b)"
)
# A name emphasised with its colon (inside the emphasis or just after it: `**OphGLM**: Training...`),
# then the rest of the title in plain words (not a link, quotes or bold, which `**Model**: "Title"`
# lists use for the whole title).
_NAME_THEN_TITLE = re.compile(
    r"^(?P<em>\*{1,3}|_{1,3})(?P<name>[^*_\s][^*_]{0,40}?)(?::(?P=em)|(?P=em):)\s+(?P<rest>[^\s\[*\"“<].*)")
# A title whose part after the colon only says what kind of paper it is (`Augmented Language Models: A
# Survey`, `Hallucination: A Comprehensive Review of ...`) opens with its topic, not a name: no list of the
# nineteen writes such a head as the paper's name (0 of 42 titles).
_GENRE_TAIL = re.compile(r"^(?:an?\s+)?(?:(?:comprehensive|systematic|brief|short|critical|unified|holistic|"
                         r"empirical|structured)\s+)?(?:survey|review|overview|tutorial|primer|position paper"
                         r"|taxonomy)\b", re.IGNORECASE)
_SMALL_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "via", "with"})


def clean_title(text: str) -> str:
    """Whitespace collapsed, trailing punctuation and wrapping quotes removed."""
    text = " ".join(text.split()).rstrip(" .,;:")
    while len(text) > 1 and text[0] in _QUOTES and text.rstrip(" .,;:")[-1] in _QUOTES:
        text = text[1:].rstrip(" .,;:")[:-1].strip().rstrip(" .,;:")
    return text


def _usable(text: str) -> bool:
    if len(text) > 24:  # longer than any date or generic link label
        return True
    return bool(text) and not _DATE_ONLY.match(text) and not GENERIC_LINK_TEXT.match(text)


def entry_title(text: str, kind: str, columns: tuple[str, ...] = ()) -> str:
    """Best-effort plain-text title of the paper an entry block describes ("" if none)."""
    first = text.split("\n", 1)[0]
    if kind == "table_row":
        return _row_title(first, columns)
    if kind == "details":
        end = re.search(r"</summary\s*>", text, re.IGNORECASE)
        summary = re.sub(r"</?(?:details|summary)\b[^>]*>", "", text[: end.start()] if end else first)
        summary = re.split(r"\[?\s*<a\s|\s\[\s*(?=\[|<|http)", summary, maxsplit=1)[0]
        summary = re.sub(r"\s*\((?:19|20)\d{2}[a-z]?\)?\s*$", "", summary)
        return clean_title(plain_text(summary))
    body = first.lstrip()
    if body[:2] in ("- ", "* ", "+ "):
        body = body[2:].lstrip()
    elif body[:1].isdigit():
        body = _MARKER.sub("", body, count=1)
    body = _DATED_TAG.sub("", body, count=1)
    named = _NAME_THEN_TITLE.match(_LEADING_TAG.sub("", body, count=1))  # also after a `[ICCV 2021] ` tag
    if named:  # `***MikuDance:*** Animating Character Art`: the name is the title's head
        rest = _without_year(plain_text(PIECE_PATTERN.sub(_without_generic_link, named["rest"])))
        return f"{clean_title(plain_text(named['name']))}: {rest}" if rest else clean_title(named["name"])
    fast = _fast_title(body)
    if fast:
        return _quoted_after_label(body, fast)
    for match in _BOLD.finditer(body):
        candidate = clean_title(plain_text(match[1] or match[2]))
        if _usable(candidate):
            return _quoted_after_label(body, candidate)
    for match in PIECE_PATTERN.finditer(body):
        if match["link"] or match["html_link"]:
            candidate = clean_title(plain_text(match[0]))
            if _usable(candidate):
                return candidate
    quoted = _QUOTED_TITLE.search(body)
    if quoted:
        return clean_title(quoted[1])
    # `Title [[Paper]](url) [[Code]](url)`: the words before the links, not "[Paper] [Code]"; without
    # the venue and year that follow it (`Title, in *ICLR* 2023. [\[paper\]](url)`)
    text = clean_title(plain_text(PIECE_PATTERN.sub(_without_generic_link, body)))
    return _without_year(_VENUE_TAIL.sub("", text))


def _without_year(text: str) -> str:
    """The title without the year written after it (`Title. 2023.`)."""
    return clean_title(_YEAR_AFTER.sub("", clean_title(text)))


def _quoted_after_label(body: str, bold: str) -> str:
    """`**BLOOM**: "BLOOM: A 176B-Parameter..."`, `[**Verilog**] "RTLFixer: ..."`: a bold name or tag of
    a few words before a longer quoted title is a label, and the quoted text the title."""
    words = len(bold.split())
    if words > 3 or ('"' not in body and "“" not in body):
        return bold
    quoted = _QUOTED_TITLE.search(body)
    return clean_title(quoted[1]) if quoted and len(quoted[1].split()) > words else bold


def _without_generic_link(match: re.Match[str]) -> str:
    if (match["link"] or match["html_link"]) and not _usable(clean_title(plain_text(match[0]))):
        return " "
    return match[0]


def _fast_title(body: str) -> str:
    """The common shapes `**[Title](url)**`, `**Title**` and `[Title](url)` without regular expressions."""
    inner = body
    if body.startswith("**"):
        run = 3 if body.startswith("***") else 2  # `***Title***`: bold and italic
        end = body.find("*" * run, run)
        inner = body[run:end] if end > run else ""
    elif body[:1] == "[" and body[1:5].isdigit():  # a leading `[2025/02]` date
        close = body.find("] ")
        rest = body[close + 2 :] if 5 < close < 12 else ""
        return _fast_title(rest) if rest.startswith(("**", "[")) else ""
    if inner.startswith("["):
        middle = inner.find("](")
        inner = inner[1:middle] if middle > 0 else ""
        if "[" in inner or "]" in inner:
            return ""
    elif inner is body:
        return ""
    candidate = clean_title(plain_text(inner))
    return candidate if _usable(candidate) else ""


def _row_title(row: str, columns: tuple[str, ...]) -> str:
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
    for cell in cells:
        for match in PIECE_PATTERN.finditer(cell):
            url = match["link_url"] or match["hl_url"] or ""
            if url and PAPER_HOST.search(url):
                candidate = clean_title(plain_text(match[0]))
                if _usable(candidate):
                    return candidate
    # A `Title`/`Paper` column before a `Name` one: `| TALLRec | TALLRec: An Effective... |`.
    named = sorted((not _STRONG_TITLE_COLUMN.search(n), k) for k, n in enumerate(columns)
                   if _TITLE_COLUMN.search(n))
    for _, k in named:
        if k < len(cells) and _usable(clean_title(plain_text(cells[k]))):
            return clean_title(plain_text(cells[k]))
    # A quoted title beside its links (`"Title" [[paper](url)] [[Data](url)]`): the quoted words.
    texts = [clean_title(quoted[1]) if (quoted := _QUOTED.search(c)) else clean_title(plain_text(c))
             for c in cells]
    return max(texts, key=len, default="")


@lru_cache(maxsize=8192)  # the learner asks again for the same titles each time a section is learned
def name_and_rest(title: str) -> tuple[str, str]:
    """The name a title opens with and the rest (`MikuDance: Animating...` -> ("MikuDance",
    "Animating...")); ("", "") when it opens with none (no colon, more than three words before it,
    or nothing after it)."""
    head, colon, tail = title.partition(":")
    if colon and tail.strip() and 0 < len(head.split()) <= 3 and not _topic_head(head, tail):
        return head.strip(), tail.strip()
    return "", ""


def _topic_head(head: str, tail: str) -> bool:
    """Whether the head before a title's colon is its topic (`Augmented Language Models: A Survey`)."""
    return bool(_GENRE_TAIL.match(tail.strip())) and not any(_name_like(word) for word in head.split())


def short_name(title: str) -> str:
    """The name of a paper's dataset or method as its title gives it ("" when it gives none): the head of
    `PIQA: Reasoning about...`, or a name the title introduces as such (`... with the MATH Dataset`,
    `... evaluation (CLUE)`, `... with FRANK: A Benchmark`). Never guessed from ordinary words."""
    head, colon, tail = title.partition(":")
    if colon and 0 < len(head.split()) <= 3 and not _topic_head(head, tail):
        return head.strip()
    name = _name_the_title_introduces(title)
    if name and sum(map(str.isupper, title)) * 2 > sum(map(str.isalpha, title)):
        return ""  # a title in capitals: every word looks like an acronym
    return name


def _name_the_title_introduces(title: str) -> str:
    lowered = title.lower()
    if any(noun in lowered for noun in _NAMING_NOUNS):
        for match in _NAME_BEFORE_NOUN.finditer(title):
            if _name_like(match["name"]):
                return match["name"]
    if "(" in title:
        for match in _NAME_IN_PARENTHESES.finditer(title):
            if _name_like(match["name"]) and _spells_initials(match["name"], title[: match.start()]):
                return match["name"]
    if ":" in title:
        for match in _NAME_AFTER_CUE.finditer(title):
            if _name_like(match["name"]):
                return match["name"]
    return ""


def paper_name(title: str, abstract: str) -> str:
    """The paper's short name from its title, else the one its abstract introduces ("we introduce
    GSM8K, a dataset of..."); "" when neither names one."""
    name = short_name(title)
    if name or not abstract:
        return name
    match = _NAME_IN_ABSTRACT.search(abstract)
    return match["name"] if match and _name_like(match["name"]) else ""


def _name_like(token: str) -> bool:
    """`MATH`, `xNot360`, `MT-Bench`, `SoS`: capitals inside a word or letters with digits, not `LLM`."""
    for part in token.split("-"):
        if part.lower() in _GENERIC_ACRONYMS:
            continue
        digits = any(ch.isdigit() for ch in part)
        if sum(ch.isupper() for ch in part) >= 2 or (digits and any(ch.isalpha() for ch in part)):
            return True
    return False


def _spells_initials(acronym: str, before: str) -> bool:
    """Whether the acronym's capitals are the initials of the words just before it (small words may
    be skipped)."""
    letters = [ch.lower() for ch in acronym if ch.isupper()]
    words = re.findall(r"[A-Za-z][\w'’]*", before)
    while letters and words:
        word = words.pop()
        if word[0].lower() == letters[-1]:
            letters.pop()
        elif word.lower() not in _SMALL_WORDS:
            return False
    return not letters
