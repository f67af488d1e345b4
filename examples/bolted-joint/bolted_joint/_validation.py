"""Checks of input values, shared by every calculation of the package.

Each check returns the value as a float (or an int for counts) and raises
ValueError with a message that names the input, repeats its value and says what
would be accepted, so that a caller can fix the request without reading the code.

The platform already enforces the bounds declared in mecapy.yml before a function
runs; these checks keep the same promises for callers who import the package
directly, and the modules add the rules that tie several inputs together (a pitch
too coarse for its diameter, a washer smaller than its hole), which a bound on one
input cannot express.
"""

import math


def require_number(name: str, value: object) -> float:
    """Returns `value` as a float; refuses booleans, non-numbers, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def require_positive(name: str, value: object, unit: str) -> float:
    """Returns `value` if it is a finite number greater than zero."""
    number = require_number(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be greater than 0 {unit}, got {number:g} {unit}")
    return number


def require_non_negative(name: str, value: object, unit: str) -> float:
    """Returns `value` if it is a finite number, zero or more."""
    number = require_number(name, value)
    if number < 0.0:
        raise ValueError(f"{name} must be 0 {unit} or more, got {number:g} {unit}")
    return number


def require_between(name: str, value: object, low: float, high: float) -> float:
    """Returns `value` if low <= value <= high (a dimensionless coefficient)."""
    number = require_number(name, value)
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {number:g}")
    return number


def require_count(name: str, value: object, minimum: int) -> int:
    """Returns `value` if it is a whole number (int, or a float such as 2.0) >= minimum."""
    number = require_number(name, value)
    if not number.is_integer() or number < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(number)
