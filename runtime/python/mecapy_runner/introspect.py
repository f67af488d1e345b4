"""Mode `introspect`: what the Python code says about each function of a package.

`--handlers` is a JSON object {function name: "module:function"}. Each handler is
imported and described in out/introspection.json:

  {"python": {"version", "implementation", "executable"},
   "functions": {name: {"ok": true, "doc", "params": [...], "returns"}
                     | {"ok": false, "error": {type, message, traceback}}}}

A parameter is {"name", "kind", "type"} plus, when known, "default" (its JSON
value), "optional" (the annotation was Optional[T]), the Annotated hints of
port_hints.py, and a "note" saying why "type" is null. String annotations (PEP 563)
are resolved with typing.get_type_hints; when that fails, each annotation is still
tried on its own. One function that cannot be imported does not stop the others.
"""
import inspect
import json
import platform
import sys
import typing

from mecapy_runner import failures, handlers, values
from mecapy_runner.contract import ContractError, write_json_atomic
from mecapy_runner.port_hints import port_hints
from mecapy_runner.typespell import spell

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}


def parse_handlers(text):
    try:
        mapping = json.loads(text)
    except ValueError as error:
        raise ContractError(f"--handlers is not valid JSON: {error}") from None
    if not isinstance(mapping, dict) or not all(isinstance(value, str) for value in mapping.values()):
        raise ContractError('--handlers must be a JSON object {"function": "module:function", ...}')
    return mapping


def _resolved_hints(function):
    """{name: annotation} with string annotations resolved where they can be."""
    try:
        return typing.get_type_hints(function, include_extras=True), None
    except Exception as error:  # a name the module does not define, a typo in a string annotation
        problem = f"the annotation cannot be resolved ({failures.type_name(type(error))}: {error})"
        raw = dict(getattr(function, "__annotations__", {}) or {})
        scope = getattr(function, "__globals__", {})
        return {name: _resolved_one(annotation, scope) for name, annotation in raw.items()}, problem


def _resolved_one(annotation, scope):
    """A string annotation evaluated in the function's module, as get_type_hints does; unchanged if it fails."""
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, dict(scope))  # the user's own annotation text, in the user's own sandbox
    except Exception:
        return annotation


def _type_fields(annotation, problem, missing_note):
    if annotation is inspect.Parameter.empty:
        return {"type": None, "note": missing_note}
    if isinstance(annotation, str):
        return {"type": None, "note": problem or f"the annotation {annotation!r} cannot be resolved"}
    spelling = spell(annotation)
    fields = {"type": spelling.text}
    if spelling.optional:
        fields["optional"] = True
    fields.update(port_hints(spelling.metadata))
    if spelling.note:
        fields["note"] = spelling.note
    return fields


def _parameter(parameter, hints, problem):
    described = {"name": parameter.name, "kind": _KINDS[parameter.kind]}
    annotation = hints.get(parameter.name, inspect.Parameter.empty)
    described.update(_type_fields(annotation, problem, "no type annotation; declare the input's type in mecapy.yml"))
    if parameter.default is not inspect.Parameter.empty:
        try:
            described["default"] = values.to_json(parameter.default, f"default of {parameter.name}")
        except values.OutputError as error:
            described["note"] = f"the default cannot be written as JSON ({error})"
    return described


def describe_function(function):
    hints, problem = _resolved_hints(function)
    signature = inspect.signature(function)
    doc = function.__doc__ if isinstance(getattr(function, "__doc__", None), str) else None
    returns = _type_fields(hints.get("return", inspect.Parameter.empty), problem, None)
    described = {
        "ok": True,
        "doc": inspect.cleandoc(doc) if doc else None,
        "params": [_parameter(parameter, hints, problem) for parameter in signature.parameters.values()],
        "returns": returns["type"],
    }
    if returns.get("note"):
        described["returns_note"] = returns["note"]
    return described


def _introspect_one(handler):
    if handlers.parse(handler) is None:
        return {"ok": False, "error": failures.runner_error("HandlerError", f"malformed handler {handler!r}; write "
                                                            "'package.module:function'")}
    try:
        function = handlers.load(handler)
    except handlers.HandlerError as error:
        return {"ok": False, "error": failures.runner_error("HandlerError", str(error))}
    except BaseException as error:  # noqa: B902  importing user code may raise anything
        return {"ok": False, "error": failures.describe(error)}
    try:
        return describe_function(function)
    except (TypeError, ValueError) as error:  # a callable inspect cannot describe (some builtins)
        return {"ok": False, "error": failures.runner_error("IntrospectionError", f"{handler}: {error}")}


def run(workspace, handlers_text):
    mapping = parse_handlers(handlers_text)
    handlers.use_sources(workspace.src)
    result = {
        "python": {
            "version": platform.python_version(),
            "implementation": sys.implementation.name,
            "executable": sys.executable,
        },
        "functions": {name: _introspect_one(handler) for name, handler in mapping.items()},
    }
    write_json_atomic(workspace.out_dir / "introspection.json", result)
    return 0
