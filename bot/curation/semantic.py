"""Word meaning for section choice: static word embeddings (WordLlama, "l2_supercat", 256
dimensions), so "Clinical language understanding" can meet "Biology and Medicine" with no word
in common.

The model ships inside the `wordllama` wheel (16 MB of weights and the tokenizer) and is read
from there: nothing is downloaded, ever. (`WordLlama.load()` looks for the tokenizer in a folder
the wheel does not have and would then try the network, so the two files are opened directly.)
Without the package, or with its files missing, `embedder()` is None and section choice works
on words alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from bot.curation.headings import heading_words

log = logging.getLogger(__name__)

MODEL_NAME = "l2_supercat"
DIMENSIONS = 256


class Embedder(Protocol):
    def embed(self, texts: list[str], norm: bool = ...) -> Any: ...


_lock = threading.Lock()


@lru_cache(maxsize=1)
def embedder() -> Embedder | None:
    """The embedding model, loaded once; None when `wordllama` or its files are not installed."""
    with _lock:
        try:
            import wordllama
            from safetensors import safe_open
            from tokenizers import Tokenizer
            from wordllama.inference import WordLlamaInference
        except ImportError:
            return None
        base = Path(wordllama.__file__).parent
        weights = base / "weights" / f"{MODEL_NAME}_{DIMENSIONS}.safetensors"
        tokenizer = base / "tokenizers" / f"{MODEL_NAME}_tokenizer_config.json"
        if not (weights.is_file() and tokenizer.is_file()):
            log.warning("wordllama is installed without its model files: section choice uses words only")
            return None
        with safe_open(str(weights), framework="np", device="cpu") as tensors:
            embedding = tensors.get_tensor("embedding.weight")
        return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


def embed(texts: Sequence[str]) -> Any:
    """Unit vectors, one row per text (a numpy array); None without the model."""
    model = embedder()
    if model is None or not texts:
        return None
    import numpy as np

    # an empty text (a heading of emoji only) has no tokens: a zero vector, not NaN
    return np.nan_to_num(model.embed(list(texts), norm=True))


def semantic_scores(meanings: Any, entry_meanings: Any, entry_section: Any, count: int,
                    text: str) -> tuple[list[float], list[float]]:
    """Per section: the cosine of the text's embedding to the section's mean embedding, and to its
    nearest entry's (0 for a section with no entries)."""
    import numpy as np

    query = embed([text])
    if query is None:
        zeros = [0.0] * count
        return zeros, zeros
    query = query[0]
    centroid = (meanings @ query).tolist()
    nearest = np.zeros(count)
    if entry_meanings is not None and len(entry_meanings):
        np.maximum.at(nearest, entry_section, entry_meanings @ query)
    return centroid, nearest.tolist()


def section_meanings(sections: Sequence[Any], p: dict[str, float]) -> dict[str, Any]:
    """Embeddings of the entries and of each section (its entries, its headings and hints
    weighted as in the centroid), when the semantic terms are on and the model is installed."""
    if not (p["semantic"] or p["semantic_nearest"]):
        return {}
    import numpy as np

    own = [" ".join(heading_words(h) for h in s.headings) for s in sections]
    titles = [t for s in sections for t in s.titles]
    vectors = embed(titles + own + [h for s in sections for h in s.hint_texts])
    if vectors is None:
        return {}
    entries, rest = vectors[: len(titles)], vectors[len(titles):]
    owner = np.repeat(np.arange(len(sections)), [len(s.titles) for s in sections])
    meanings = np.zeros((len(sections), vectors.shape[1]), dtype=np.float64)
    np.add.at(meanings, owner, entries)
    meanings += p["heading_weight"] * rest[: len(sections)]
    hint_owner = np.repeat(np.arange(len(sections)), [len(s.hint_texts) for s in sections])
    np.add.at(meanings, hint_owner, p["hint_weight"] * rest[len(sections):])
    norms = np.linalg.norm(meanings, axis=1, keepdims=True)
    meanings /= np.where(norms > 0, norms, 1.0)
    return {"meanings": meanings, "entry_meanings": entries, "entry_section": owner}
