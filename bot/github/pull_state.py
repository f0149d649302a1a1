"""The state paperbot keeps in its pull requests' bodies (pending papers, the head it wrote, the
commands it answered), hidden in an HTML comment: the repository is the only storage."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

_STATE = re.compile(r"<!-- paperbot:state ([A-Za-z0-9+/=]+) -->")


def encode_state(state: dict[str, Any]) -> str:
    payload = base64.b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()
    return f"<!-- paperbot:state {payload} -->"


def decode_state(body: str | None) -> dict[str, Any]:
    """The state recorded in a pull request body; {} when absent or unreadable."""
    found = _STATE.findall(body or "")
    if not found:
        return {}
    try:
        state = json.loads(base64.b64decode(found[-1], validate=True))
    except (binascii.Error, ValueError):
        return {}
    return state if isinstance(state, dict) else {}
