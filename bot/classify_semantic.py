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
