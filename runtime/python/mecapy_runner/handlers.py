"""Finding a user function from its handler text "package.module:function".

The part after the colon may be dotted ("module:Class.method"). parse() checks the
text only; load() imports the module from the package sources (put first on
sys.path by use_sources) and returns the callable. Import errors propagate as they
are, so their traceback reaches the user; a missing or non-callable attribute is a
HandlerError whose message says what was found instead.
"""
import importlib
import os
import re
import sys

_DOTTED = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_HANDLER = re.compile(rf"({_DOTTED}):({_DOTTED})")


class HandlerError(Exception):
    """The handler's module was imported but does not provide the named function."""


def parse(handler):
    """(module, attribute path) of a handler text, or None when it is malformed."""
    match = _HANDLER.fullmatch(handler) if isinstance(handler, str) else None
    return (match.group(1), match.group(2)) if match else None


def use_sources(src):
    """Puts the package sources first on sys.path, once."""
    src = os.path.abspath(src)
    if sys.path[:1] != [src]:
        sys.path.insert(0, src)


def load(handler):
    """The callable named by a well-formed handler text (see parse)."""
    module_name, attribute_path = parse(handler)
    target = importlib.import_module(module_name)
    for part in attribute_path.split("."):
        if not hasattr(target, part):
            raise HandlerError(f"handler '{handler}': '{module_name}' has no attribute '{attribute_path}'")
        target = getattr(target, part)
    if not callable(target):
        kind = type(target).__name__
        raise HandlerError(f"handler '{handler}': '{attribute_path}' is a {kind}, not a function")
    return target
