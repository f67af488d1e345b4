"""Python values to the inputs of an execute request.

- `(value, "unit")` — a pair of a number and a unit string — becomes `{"value", "unit"}`,
  anywhere in the inputs (a struct field, a list element); the server converts it.
- a `pathlib.Path` given for an input is a file to upload with the call; a
  `RemoteFile` (or, for a File input, its id as a string) is a file already uploaded.
  Files are inputs of their own: a path inside a list or a struct is refused.
- `None` leaves an input out (the function's default applies).
- everything else must be what JSON holds (numbers, strings, booleans, lists, tuples,
  string-keyed mappings); floats are written so that they round-trip exactly, and NaN
  or infinity is refused.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Collection, Dict, Mapping

from .files import RemoteFile


@dataclass
class EncodedInputs:
    """An execute request's `inputs`, `files` (ids) and the paths still to upload."""

    inputs: Dict[str, Any] = field(default_factory=dict)
    files: Dict[str, str] = field(default_factory=dict)
    uploads: Dict[str, PurePath] = field(default_factory=dict)


def is_quantity(value: Any) -> bool:
    """True for a `(number, "unit")` pair."""
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str)
            and isinstance(value[0], (int, float)) and not isinstance(value[0], bool))


def to_json(value: Any, where: str) -> Any:
    """`value` as JSON-ready data; `where` names it in errors ("d", "loads[2]")."""
    if is_quantity(value):
        return {"value": to_json(value[0], where), "unit": value[1]}
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value} is not a finite number")
        return value
    if isinstance(value, (PurePath, RemoteFile)):
        raise TypeError(f"{where}: a file can only be a function's input of its own, not inside another value")
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: mapping keys must be strings, not {type(key).__name__}")
            out[key] = to_json(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise TypeError(f"{where}: {type(value).__name__} is not a value MecaPy can send "
                    "(give numbers, strings, booleans, lists, mappings or (value, 'unit'))")


def encode_inputs(values: Mapping[str, Any], file_inputs: Collection[str]) -> EncodedInputs:
    """Splits keyword arguments into inputs, file ids and uploads. `file_inputs` are
    the names of the function's File inputs (a string given to one is a file id)."""
    encoded = EncodedInputs()
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, PurePath):
            encoded.uploads[name] = value
        elif isinstance(value, RemoteFile):
            encoded.files[name] = value.id
        elif name in file_inputs and isinstance(value, str):
            encoded.files[name] = value
        else:
            encoded.inputs[name] = to_json(value, name)
    return encoded
