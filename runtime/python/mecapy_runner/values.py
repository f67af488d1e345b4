"""Turning what a user function returns into the JSON of its outputs.

Promises:
- dict, list and tuple (as a list) are kept, recursively; dict keys must be strings.
- numpy scalars become Python numbers and numpy arrays nested lists (tolist()).
  numpy is imported only when a value's type comes from it, so functions that never
  touch numpy do not pay for its import.
- dataclass instances become dicts of their fields (what dataclasses.asdict gives;
  walked field by field here so that an error can name the field), Enum members
  their value, pathlib paths inside the output directory their relative name.
- NaN, +inf and -inf become the strings "NaN", "Infinity" and "-Infinity", which
  strict JSON can carry. Every other float is kept as it is: json writes the
  shortest text that reads back to the same double.
- Anything else raises OutputError with the path of the value, as in
  "outputs.result[2]: a value of type complex is not JSON".
"""
import enum
import math
import os
import pathlib
import re

NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class OutputError(Exception):
    """A returned value cannot be written as JSON; the message names where it is."""


def _member(path, key):
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


def _float(value):
    if math.isfinite(value):
        return float(value)
    return NON_FINITE[repr(float(value))]


def _check_text(text, path):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise OutputError(f"{path}: the string is not valid Unicode (it holds a lone surrogate)") from None
    return str(text)


def _is_numpy(value):
    return type(value).__module__.split(".", 1)[0] == "numpy"


class _Converter:
    def __init__(self, output_dir):
        self.output_dir = os.path.realpath(output_dir) if output_dir else None
        self.open_containers = set()  # ids on the current path: a value holding itself

    def convert(self, value, path):
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, enum.Enum):
            return self.convert(value.value, path)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, str):
            return _check_text(value, path)
        if isinstance(value, pathlib.PurePath):
            return self._path(value, path)
        if _is_numpy(value):
            return self._numpy(value, path)
        if isinstance(value, (dict, list, tuple)) or _is_dataclass_instance(value):
            return self._container(value, path)
        raise OutputError(f"{path}: a value of type {type(value).__qualname__} is not JSON; return numbers, strings, "
                          "booleans, lists or dicts")

    def _container(self, value, path):
        if id(value) in self.open_containers:
            raise OutputError(f"{path}: the value contains itself")
        self.open_containers.add(id(value))
        try:
            if isinstance(value, dict):
                return self._dict(value.items(), path)
            if isinstance(value, (list, tuple)):
                return [self.convert(item, f"{path}[{index}]") for index, item in enumerate(value)]
            import dataclasses  # only for a dataclass output (an import of several ms)

            fields = ((field.name, getattr(value, field.name)) for field in dataclasses.fields(value))
            return self._dict(fields, path)
        finally:
            self.open_containers.discard(id(value))

    def _dict(self, items, path):
        result = {}
        for key, item in items:
            if isinstance(key, enum.Enum) and isinstance(key.value, str):
                key = key.value
            if not isinstance(key, str):
                raise OutputError(f"{path}: key {key!r} is a {type(key).__qualname__}; JSON object keys are strings")
            key = _check_text(key, path)
            result[key] = self.convert(item, _member(path, key))
        return result

    def _numpy(self, value, path):
        import numpy

        if isinstance(value, numpy.ndarray):
            return self.convert(value.tolist(), path)
        if isinstance(value, numpy.generic):
            item = value.item()
            if _is_numpy(item):  # long double and the like have no Python equivalent
                raise OutputError(f"{path}: a numpy {value.dtype} value is not JSON")
            return self.convert(item, path)
        raise OutputError(f"{path}: a value of type {type(value).__qualname__} is not JSON")

    def _path(self, value, path):
        if self.output_dir is None:
            raise OutputError(f"{path}: a path cannot be returned here")
        resolved = os.path.realpath(value)
        relative = os.path.relpath(resolved, self.output_dir)
        if relative == os.curdir or relative.split(os.sep, 1)[0] == os.pardir:
            raise OutputError(f"{path}: {str(value)!r} is not a file inside the output directory; write output "
                              "files in mecapy_runner.output_dir() and return their paths")
        if not os.path.isfile(resolved):
            raise OutputError(f"{path}: the file {str(value)!r} does not exist")
        return pathlib.PurePath(relative).as_posix()


def _is_dataclass_instance(value):
    # What dataclasses.is_dataclass() looks at, without importing dataclasses (and
    # inspect) for every job.
    return hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type)


def to_json(value, path, output_dir=None):
    """The JSON form of `value` (see the header); `path` names it in error messages."""
    try:
        return _Converter(output_dir).convert(value, path)
    except RecursionError:
        raise OutputError(f"{path}: the value is nested too deeply to be written as JSON") from None


def outputs_object(returned, output_dir):
    """The outputs object of a return value: a dict (or dataclass) as it is, else {"result": value}."""
    if isinstance(returned, dict) or _is_dataclass_instance(returned):
        return to_json(returned, "outputs", output_dir)
    return {"result": to_json(returned, "outputs.result", output_dir)}
