"""Words, stems and character n-grams of short scientific texts (titles, headings, keywords).

Pure functions with no dependencies: the section classifier and the relevance filter both see a
text through `word_stems` (for matching headings and topic phrases) and `feature_blocks` (for
the per-list model). A light suffix stripper stands in for a full stemmer: titles are short, and what
matters is that "jailbreaking", "jailbreaks" and "Jailbreak" meet, as do "medical" and "medicine".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter

# Function words and the filler of paper titles; they say nothing about where a paper belongs.
STOPWORDS = frozenset(
    """a about above across after against all along also am among an and any are as at be been
    being between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just let me
    more most my no nor not now of off on once only or other our out over own same she should so
    some such than that the their them then there these they this those through to too toward
    towards under until up upon us very via was we were what when where which while who whom why
    will with within without would you your yet vs versus using use based new make makes made
    beyond do does don""".split()
)

_WORD = re.compile(r"[a-z0-9]+")
_MARKUP = re.compile(r"https?://\S+|\]\([^)]*\)|<[^>]*>|&[a-z]+;")

# (suffix, replacement), longest first; applied once, only when a stem of `_MIN_STEM` letters
# remains. "-ation" keeps its "at" so that "evaluation" meets "evaluating" and "evaluate".
_SUFFIXES = tuple(
    (suffix, "at" if suffix.startswith(("ation", "ational")) else
     "iz" if suffix.startswith(("ization", "ize")) else "ic" if suffix.startswith("ical") else "")
    for suffix in (
        "izations", "ization", "ational", "fulness", "iveness", "ousness", "ations", "ically",
        "nesses", "ements", "ments", "ation", "ities", "ively", "ement", "ables", "ibles",
        "ings", "ness", "ment", "ical", "ized", "izes", "ised", "ises", "ants",
        "ents", "able", "ible", "ious", "ives", "ists", "isms", "ity", "ive", "ial", "ing",
        "ist", "ism", "ize", "ise", "ous", "ant", "ent", "ers", "ies", "ied", "ine", "ics",
        "ly", "al", "ed", "er", "es", "ic", "s", "e", "y",
    )
)
_MIN_STEM = 3


def normalise_text(text: str) -> str:
    """Lowercase ASCII-folded text without URLs, link targets and HTML tags."""
    text = _MARKUP.sub(" ", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.lower().replace("'s ", " ").replace("'", "")


def stem(word: str) -> str:
    """Strip one common English suffix (and a doubled final consonant it leaves behind)."""
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for suffix, replacement in _SUFFIXES:
        if suffix == "s" and word.endswith(("ss", "us", "is", "ias")):
            continue  # "bias", "analysis", "bonus" are not plurals
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            base = word[: -len(suffix)]
            if replacement:
                return base + replacement
            if len(base) > _MIN_STEM and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "poisonning" is rare, but "embedding" -> "embedd" -> "embed"
            return base
    return word


def words(text: str) -> list[str]:
    """The content words of `text`, lowercased, in order (stopwords and single letters dropped)."""
    return [
        w for w in _WORD.findall(normalise_text(text))
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


def word_stems(text: str) -> list[str]:
    """`words(text)` stemmed, in order."""
    return [stem(w) for w in words(text)]


def feature_blocks(text: str, *, memo: dict[str, tuple[str, tuple[str, ...]]] | None = None
                   ) -> tuple[dict[str, int], dict[str, int]]:
    """A text's features as two bags (feature -> count): stems (`w:`) and adjacent stem pairs
    (`b:`), and in-word 3-5 letter n-grams (`c:`), which let unseen word forms and compounds
    ("LLM-based", "jailbreaking") meet.

    `memo` (word -> its stem and n-grams) lets a caller that reads thousands of titles work each
    distinct word out once; the strings are then shared between the bags, too. The bags are
    plain dicts of strings and ints, which the garbage collector never walks: a model build keeps
    ten thousand of them alive at once, and collections over Counters held the event loop."""
    found = words(text)
    if memo is None:
        memo = {}
    pieces = [memo.get(w) or memo.setdefault(w, _word_pieces(w)) for w in found]
    stems = ["w:" + stemmed for stemmed, _ in pieces]
    stems += [f"b:{a[2:]}_{b[2:]}" for a, b in itertools.pairwise(stems)]
    return _count(stems), _count(list(itertools.chain.from_iterable(grams for _, grams in pieces)))


def _count(items: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(items, 1)
    if len(counts) < len(items):  # a word (or n-gram) said twice: count them
        counts = {item: count for item, count in Counter(items).items()}
    return counts


def _word_pieces(word: str) -> tuple[str, tuple[str, ...]]:
    padded = f" {word} "
    grams = tuple("c:" + padded[i : i + size] for size in (3, 4, 5)
                  for i in range(len(padded) - size + 1))
    return stem(word), grams
