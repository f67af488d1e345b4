"""What typing.Annotated metadata says about a port: bounds, unit, description.

Three forms are read, in the order they appear (a later one wins):
- a plain dict: Annotated[float, {"unit": "mm", "minimum": 0, "description": "..."}]
  with the keys minimum, maximum, exclusive_minimum, exclusive_maximum, unit,
  quantity (a catalogue name such as "Stress") and description (other keys are ignored);
- an object with attributes ge / gt / le / lt, the annotated-types and pydantic
  style (Ge(0), Interval(gt=0, le=1), Field(ge=0)), read by duck typing so neither
  library is needed; such an object's `description` (a str) is read too, and a
  pydantic v2 FieldInfo's `metadata` list is read the same way;
- a str: the description.
Bounds are kept only when they are finite numbers (not booleans), so that the
result is always valid JSON.
"""
import math

_DICT_KEYS = ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "unit", "quantity", "description")
_BOUND_ATTRIBUTES = {"ge": "minimum", "gt": "exclusive_minimum", "le": "maximum", "lt": "exclusive_maximum"}
_NUMERIC_KEYS = {"minimum", "maximum", "exclusive_minimum", "exclusive_maximum"}


def _valid(key, value):
    if key in _NUMERIC_KEYS:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, str)


def _read_object(item, hints, depth):
    for attribute, key in _BOUND_ATTRIBUTES.items():
        value = getattr(item, attribute, None)
        if value is not None:
            hints[key] = value
    for key in ("description", "unit"):
        value = getattr(item, key, None)
        if isinstance(value, str):
            hints[key] = value
    nested = getattr(item, "metadata", None)
    if isinstance(nested, (list, tuple)) and depth < 2:
        _read(nested, hints, depth + 1)


def _read(metadata, hints, depth):
    for item in metadata:
        if isinstance(item, str):
            hints["description"] = item
        elif isinstance(item, dict):
            hints.update({key: item[key] for key in _DICT_KEYS if key in item})
        else:
            _read_object(item, hints, depth)


def port_hints(metadata):
    """{minimum, maximum, exclusive_minimum, exclusive_maximum, unit, description} found in `metadata`."""
    hints = {}
    _read(metadata, hints, 0)
    return {key: value for key, value in hints.items() if _valid(key, value)}
