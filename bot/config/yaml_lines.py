"""YAML for `.github/paperbot.yml`: safe, without aliases, and with the line of every key.

The node tree PyYAML composes keeps where each key and item starts, so a problem found later at a
key path (`latest.max_papers`) can name the line a maintainer has to fix.
"""

from __future__ import annotations

from typing import Any

import yaml

Loc = tuple[int | str, ...]
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses YAML aliases, so an alias bomb cannot expand in memory."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not supported", problem_mark=mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree it came from (for line numbers). Mapping keys are always text:
    `on:` is the key "on", not True. Raises yaml.YAMLError."""
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _keys_as_text(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def yaml_error_text(exc: yaml.YAMLError) -> str:
    """`at line 2, column 3: expected ',' or ']'` (one line, lines counted from 1)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"at line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    return " ".join(str(exc).split())[:300]


def _keys_as_text(root: yaml.Node) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
                    key.tag = _STR_TAG
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


def line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The line (from 1) of the key or item at `loc`, or of the nearest one above it."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pairs = [pair for pair in node.value if getattr(pair[0], "value", None) == part]
            if not pairs:
                break
            key, node = pairs[-1]  # a repeated key: the last one wins, as in the data
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
