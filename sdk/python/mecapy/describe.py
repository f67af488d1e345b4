"""What `help(pkg.fn)` shows: a function's description, inputs and outputs with their
types, units, bounds and defaults, read from the function's io spec (`GET
/api/v1/packages/{id}/functions/{name}`), as a docstring and an `inspect.Signature`
whose parameters are keyword-only (the API takes inputs by name)."""
from __future__ import annotations

import inspect
from typing import Any, Dict, List, Mapping


class TypeText(str):
    """A type written for people ("Length [mm]"); shown without quotes in signatures."""

    def __repr__(self) -> str:
        return str(self)


def type_text(spec: Mapping[str, Any]) -> str:
    """A port type as text: `Length [mm]`, `list[Force [kN]]`, `File[step, stp]`,
    `{d: Length [mm], p: Length [mm]}`."""
    kind = spec.get("kind")
    if kind == "quantity":
        return f"{spec.get('quantity') or spec.get('name')} [{spec.get('unit')}]"
    if kind in ("list", "dict") and isinstance(spec.get("element"), dict):
        element = type_text(spec["element"])
        return f"list[{element}]" if kind == "list" else f"dict[str, {element}]"
    if kind == "struct" and isinstance(spec.get("fields"), list):
        fields = ", ".join(f"{f.get('name')}: {type_text(f.get('type') or {})}" for f in spec["fields"])
        return "{" + fields + "}"
    if kind == "file":
        extensions = spec.get("extensions") or []
        return "File[" + ", ".join(extensions) + "]" if extensions else "File"
    return str(spec.get("spelling") or spec.get("name") or kind or "?")


def _port_line(port: Mapping[str, Any], is_input: bool) -> str:
    text = f"  {port.get('name')}: {type_text(port.get('type') or {})}"
    facts: List[str] = []
    if "minimum" in port:
        facts.append(f">= {port['minimum']:g}" if isinstance(port["minimum"], float) else f">= {port['minimum']}")
    if "maximum" in port:
        facts.append(f"<= {port['maximum']:g}" if isinstance(port["maximum"], float) else f"<= {port['maximum']}")
    if "default" in port:
        facts.append(f"default {port['default']!r}")
    elif is_input and not port.get("required", True):
        facts.append("optional")
    if facts:
        text += " (" + ", ".join(facts) + ")"
    if port.get("description"):
        text += " — " + str(port["description"])
    return text


def docstring(spec: Mapping[str, Any], package: str, version: str = "") -> str:
    """The docstring of a remote function of `package` (at `version`, when known)."""
    lines = [f"{spec.get('name')} — {package} {version or spec.get('version', '')}".rstrip(), ""]
    if spec.get("description"):
        lines += [str(spec["description"]), ""]
    inputs = spec.get("inputs") or []
    lines.append("Inputs:" if inputs else "Inputs: none")
    lines += [_port_line(port, True) for port in inputs]
    outputs = spec.get("outputs") or []
    lines.append("Outputs:" if outputs else "Outputs: none")
    lines += [_port_line(port, False) for port in outputs]
    lines += ["",
              "A quantity is a number in the unit shown, or (value, \"unit\") in any unit of the same",
              "dimension; a File is a pathlib.Path (uploaded with the call), a RemoteFile or a file id.",
              "Calling returns the outputs (in the units shown); .submit(...) returns a Job."]
    return "\n".join(lines)


def signature(spec: Mapping[str, Any]) -> inspect.Signature:
    """Keyword-only parameters, one per input: required ones first, then the others
    with their default (None for an optional input without one: it is left out)."""
    required: List[inspect.Parameter] = []
    optional: List[inspect.Parameter] = []
    for port in spec.get("inputs") or []:
        name = str(port.get("name"))
        if not name.isidentifier():
            continue
        annotation = TypeText(type_text(port.get("type") or {}))
        if "default" in port:
            optional.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=port["default"],
                                              annotation=annotation))
        elif not port.get("required", True):
            optional.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                              annotation=annotation))
        else:
            required.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation))
    outputs: Dict[str, str] = {str(p.get("name")): type_text(p.get("type") or {}) for p in spec.get("outputs") or []}
    returns = TypeText("{" + ", ".join(f"{k}: {v}" for k, v in outputs.items()) + "}")
    return inspect.Signature(required + optional, return_annotation=returns)
