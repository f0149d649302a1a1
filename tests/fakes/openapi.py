"""Request (and response) validation against GitHub's own OpenAPI description.

The fake GitHub asks `Spec.match` which documented operation a request is, then
`Spec.check_request` whether GitHub would accept it. Problems come in two strengths:
`rejections` are what GitHub answers 422 (or 400) for; `oddities` are things GitHub silently
ignores (an undocumented query parameter or body field) but that almost always mean a bug in
the client, so the fake records them without changing its answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker

SPEC_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "github" / "openapi-subset.json"
NO_BODY = object()  # distinguishes "no body sent" from a JSON `null`


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    template: str  # e.g. /repos/{owner}/{repo}/pulls/{pull_number}
    operation_id: str
    docs_url: str
    pattern: re.Pattern[str] = field(compare=False, repr=False)


@dataclass
class RequestCheck:
    rejections: list[str] = field(default_factory=list)
    oddities: list[str] = field(default_factory=list)
    body: Any = NO_BODY  # the decoded JSON body when there was one
    bad_json: bool = False


class Spec:
    """A loaded OpenAPI document with compiled route patterns and cached validators."""

    def __init__(self, document: dict[str, Any]) -> None:
        _normalise(document)
        self.document = document
        self.components = document.get("components", {})
        self.operations: list[Operation] = []
        for template, methods in document["paths"].items():
            for method, spec in methods.items():
                params = self._parameters(spec)
                self.operations.append(
                    Operation(
                        method=method.upper(),
                        template=template,
                        operation_id=spec["operationId"],
                        docs_url=spec.get("externalDocs", {}).get("url", ""),
                        pattern=_route_pattern(template, params),
                    )
                )
        # Literal-heavy templates first, so /issues/comments/{id} wins over /issues/{number}.
        self.operations.sort(key=lambda op: -len(re.sub(r"\{[^}]+\}", "", op.template)))
        self._validators: dict[int, OAS30Validator] = {}

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            if op.method == method.upper():
                found = op.pattern.fullmatch(path)
                if found:
                    return op, {k: v or "" for k, v in found.groupdict().items()}
        return None

    def operation_spec(self, op: Operation) -> dict[str, Any]:
        return self.document["paths"][op.template][op.method.lower()]

    def check_request(self, op: Operation, query: dict[str, list[str]], raw_body: bytes) -> RequestCheck:
        spec = self.operation_spec(op)
        check = RequestCheck()
        self._check_query(spec, query, check)
        self._check_body(spec, raw_body, check)
        return check

    def check_response(self, op: Operation, status: int, body: Any) -> list[str]:
        """Schema problems of a response the fake produced (used by the fakes' own tests)."""
        if status >= 400:
            # GitHub's error schemas overlap (oneOf basic-error / rule-violation both match any
            # error), so only the part every error shares is checked.
            ok = isinstance(body, dict) and isinstance(body.get("message"), str)
            return [] if ok else [f"error body without a message: {body!r}"]
        responses = self.operation_spec(op)["responses"]
        response = responses.get(str(status))
        if response is None:
            return [f"status {status} is not documented for {op.operation_id}"]
        response = self._resolve(response)
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return []
        return [_describe(e) for e in self._validator(schema).iter_errors(body)]

    # -- internals -------------------------------------------------------------------------

    def _parameters(self, spec: dict[str, Any]) -> list[dict[str, Any]]:
        return [self._resolve(p) for p in spec.get("parameters", [])]

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, _, kind, name = node["$ref"].split("/", 3)
            node = self.components[kind][name]
        return node

    def _validator(self, schema: dict[str, Any]) -> OAS30Validator:
        key = id(schema)
        if key not in self._validators:
            # Local "#/components/..." refs resolve against the root, so carry components along.
            rooted = {**schema, "components": self.components}
            self._validators[key] = OAS30Validator(rooted, format_checker=oas30_format_checker)
        return self._validators[key]

    def _check_query(self, spec: dict[str, Any], query: dict[str, list[str]], check: RequestCheck) -> None:
        documented = {p["name"]: p for p in self._parameters(spec) if p["in"] == "query"}
        for name in query:
            if name not in documented:
                check.oddities.append(f"query parameter {name!r} is not documented")
        for name, param in documented.items():
            if name not in query:
                if param.get("required"):
                    check.rejections.append(f'"{name}" wasn\'t supplied.')
                continue
            raw = query[name][-1]
            value = _coerce(raw, param.get("schema", {}))
            errors = list(self._validator(param.get("schema", {})).iter_errors(value))
            if errors:
                check.rejections.append(f"{raw!r} is not a valid value for {name!r}.")

    def _check_body(self, spec: dict[str, Any], raw_body: bytes, check: RequestCheck) -> None:
        request_body = spec.get("requestBody")
        if not raw_body.strip():
            if request_body and request_body.get("required"):
                schema = request_body["content"]["application/json"]["schema"]
                missing = schema.get("required", [])
                check.rejections.append(_missing_message(missing) if missing else "Body required.")
            return
        try:
            check.body = json.loads(raw_body)
        except ValueError:
            check.bad_json = True
            check.rejections.append("Problems parsing JSON")
            return
        if request_body is None:
            check.oddities.append("a body was sent to an operation that takes none")
            return
        schema = request_body["content"]["application/json"]["schema"]
        errors = sorted(self._validator(schema).iter_errors(check.body), key=lambda e: list(e.path))
        missing = [m for e in errors if e.validator == "required" for m in _missing_fields(e)]
        if missing:
            check.rejections.append(_missing_message(missing))
        check.rejections.extend(_describe(e) for e in errors if e.validator != "required")
        if isinstance(check.body, dict) and "properties" in schema:
            for name in check.body:
                if name not in schema["properties"] and not schema.get("additionalProperties"):
                    check.oddities.append(f"body field {name!r} is not documented")


@cache
def load_spec(path: Path = SPEC_PATH) -> Spec:
    """The spec is ~400 kB of JSON: parse it once per test session."""
    return Spec(json.loads(path.read_text(encoding="utf-8")))


def _normalise(node: Any) -> None:
    """Two OpenAPI 3.0 idioms GitHub uses that the validator reads differently from GitHub:
    a nullable enum must also admit null, and `discriminator` (GitHub maps the directory
    listing, an array, by a made-up "array" type) is only a hint next to `oneOf`."""
    if isinstance(node, dict):
        node.pop("discriminator", None)
        if node.get("nullable") and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)
        for value in node.values():
            _normalise(value)
    elif isinstance(node, list):
        for value in node:
            _normalise(value)


def _route_pattern(template: str, params: list[dict[str, Any]]) -> re.Pattern[str]:
    kinds = {p["name"]: p for p in params if p["in"] == "path"}
    pattern = ""
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        pattern += re.escape(literal)
        if not name:
            continue
        param = kinds.get(name, {})
        if param.get("x-multi-segment"):
            # `contents/{path}` also serves the root listing as `contents` or `contents/`.
            if pattern.endswith("/"):
                pattern = pattern[:-1] + rf"(?:/(?P<{name}>.*))?"
            else:
                pattern += rf"(?P<{name}>.+)"
        elif param.get("schema", {}).get("type") == "integer":
            pattern += rf"(?P<{name}>\d+)"
        else:
            pattern += rf"(?P<{name}>[^/]+)"
    return re.compile(pattern)


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        return int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


def _missing_fields(error: ValidationError) -> list[str]:
    present = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in present]


def _missing_message(names: list[str]) -> str:
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"{quoted} wasn't supplied." if len(names) == 1 else f"{quoted} weren't supplied."


def _describe(error: ValidationError) -> str:
    where = "/".join(f"properties/{p}" if isinstance(p, str) else f"items/{p}" for p in error.path)
    return f"For '{where or 'body'}', {error.message}."
