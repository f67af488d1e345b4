"""How a test case's expected outputs are compared with what the function returned.

- {"approx": x, "rel_tol": r, "abs_tol": a}: math.isclose(actual, x, rel_tol=r,
  abs_tol=a), defaults r = 1e-9 and a = 0. A dict is read this way when its keys are
  "approx" and, optionally, "rel_tol" and "abs_tol".
- a float: math.isclose with rel_tol=1e-9 (results computed in another order differ
  in their last bits).
- an integer: equal in value (10000 matches 10000 and 10000.0), never a boolean.
- strings, booleans and null: equal; lists: same length, element by element;
  dicts: same keys, value by value (each with these rules).
mismatch() returns None when the value matches, else a message naming where it
differs ("y[3]: expected 0.5 (rel_tol 1e-09), got 0.52").
"""
import json
import math

DEFAULT_REL_TOL = 1e-9
_APPROX_KEYS = {"approx", "rel_tol", "abs_tol"}


def _show(value):
    """A value as the test-case file writes it (JSON), cut short when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_approx(expected):
    return isinstance(expected, dict) and "approx" in expected and set(expected) <= _APPROX_KEYS


def _close(expected, actual, where, rel_tol, abs_tol):
    if not _is_number(actual):
        return f"{where}: expected a number close to {_show(expected)}, got {_show(actual)}"
    if math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return None
    return f"{where}: expected {_show(expected)} (rel_tol {rel_tol!r}, abs_tol {abs_tol!r}), got {_show(actual)}"


def _approx(expected, actual, where):
    target = expected["approx"]
    rel_tol = expected.get("rel_tol", DEFAULT_REL_TOL)
    abs_tol = expected.get("abs_tol", 0.0)
    if not all(_is_number(value) for value in (target, rel_tol, abs_tol)) or rel_tol < 0 or abs_tol < 0:
        return f"{where}: approx, rel_tol and abs_tol must be numbers, the tolerances not negative"
    return _close(target, actual, where, rel_tol, abs_tol)


def _sequence(expected, actual, where):
    if not isinstance(actual, list):
        return f"{where}: expected a list, got {_show(actual)}"
    if len(actual) != len(expected):
        return f"{where}: expected {len(expected)} items, got {len(actual)}"
    for index, (item, got) in enumerate(zip(expected, actual)):
        problem = mismatch(item, got, f"{where}[{index}]")
        if problem:
            return problem
    return None


def _mapping(expected, actual, where):
    if not isinstance(actual, dict):
        return f"{where}: expected an object, got {_show(actual)}"
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    if missing or extra:
        return f"{where}: keys differ (missing {missing}, unexpected {extra})"
    for key, item in expected.items():
        problem = mismatch(item, actual[key], f"{where}.{key}")
        if problem:
            return problem
    return None


def mismatch(expected, actual, where):
    """None when `actual` matches `expected` (rules above), else what differs."""
    if is_approx(expected):
        return _approx(expected, actual, where)
    if isinstance(expected, float):
        return _close(expected, actual, where, DEFAULT_REL_TOL, 0.0)
    if isinstance(expected, list):
        return _sequence(expected, actual, where)
    if isinstance(expected, dict):
        return _mapping(expected, actual, where)
    if _is_number(expected):
        same = _is_number(actual) and actual == expected
    else:
        same = type(actual) is type(expected) and actual == expected
    return None if same else f"{where}: expected {_show(expected)}, got {_show(actual)}"
