"""The MecaPy type spelling of a Python annotation, as `introspect` reports it.

    float -> Float        int -> Integer       bool -> Boolean     str -> String
    pathlib.Path -> File  list[float] -> list[Float]   dict[str, float] -> dict[str, Float]
    Literal[8.8, 10.9] -> literal[8.8, 10.9]   dataclass / TypedDict -> {a: Float, b: Integer}
    Optional[T] and T | None -> T, with optional=True

spell() returns a Spelling: the text (None when there is no MecaPy equivalent, with
a `note` saying why), whether the annotation was Optional, and the metadata of a
top-level typing.Annotated (read by port_hints.py). Literal values are written as
JSON, like the server writes them, so the text parses back to the same values.
"""
import dataclasses
import json
import pathlib
import types
import typing

_PRIMITIVES = {float: "Float", int: "Integer", bool: "Boolean", str: "String"}


class Unsupported(Exception):
    """An annotation (or a part of it) that has no MecaPy type."""


class Spelling:
    def __init__(self, text=None, optional=False, metadata=(), note=None):
        self.text = text
        self.optional = optional
        self.metadata = metadata
        self.note = note


def _describe(annotation):
    return getattr(annotation, "__qualname__", None) or repr(annotation)


def _without_none(annotation):
    """(T, True) for Optional[T] / T | None, else (annotation, False)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        if len(members) == 1 and len(members) < len(typing.get_args(annotation)):
            return members[0], True
    return annotation, False


def _literal(values):
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise Unsupported(f"literal values must be numbers or strings, not {value!r}")
    return "literal[" + ", ".join(json.dumps(value, allow_nan=False) for value in values) + "]"


def _structure(cls):
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception as error:
        raise Unsupported(f"the fields of {cls.__qualname__} cannot be resolved: {error}") from None
    names = [field.name for field in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else list(hints)
    return "{" + ", ".join(f"{name}: {_spell(hints[name])}" for name in names) + "}"


def _spell(annotation):
    """The spelling of an annotation nested in another (no Optional, no metadata)."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and annotation in _PRIMITIVES:
        return _PRIMITIVES[annotation]
    if isinstance(annotation, type) and issubclass(annotation, pathlib.PurePath):
        return "File"
    if isinstance(annotation, type) and (dataclasses.is_dataclass(annotation) or typing.is_typeddict(annotation)):
        return _structure(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and len(args) == 1:
        return f"list[{_spell(args[0])}]"
    if origin is dict and len(args) == 2:
        if args[0] is not str:
            raise Unsupported("dict keys must be str: dict[str, T]")
        return f"dict[str, {_spell(args[1])}]"
    if origin is typing.Literal:
        return _literal(args)
    if origin in (list, dict) or annotation in (list, dict, typing.List, typing.Dict):
        raise Unsupported(f"{_describe(annotation)} needs its element types, as in list[float] or dict[str, float]")
    raise Unsupported(f"{_describe(annotation)} has no MecaPy type")


def spell(annotation):
    """The Spelling of a parameter's or a return value's annotation."""
    metadata = ()
    if typing.get_origin(annotation) is typing.Annotated:
        metadata = annotation.__metadata__
        annotation = typing.get_args(annotation)[0]
    annotation, optional = _without_none(annotation)
    if typing.get_origin(annotation) is typing.Annotated:  # Optional[Annotated[T, ...]]
        metadata = metadata + annotation.__metadata__
        annotation = typing.get_args(annotation)[0]
    try:
        return Spelling(_spell(annotation), optional, metadata)
    except Unsupported as problem:
        return Spelling(None, optional, metadata, note=f"{problem}; declare the port's type in mecapy.yml")
