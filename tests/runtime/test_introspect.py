"""Mode `introspect`: functions described from their code — types, defaults,
Annotated hints, Literal, docstrings, string annotations — and import failures."""
import json
import subprocess

import yaml

from conftest import FIXTURES_PACKAGE, PYTHON

FIXTURE_HANDLERS = {
    "noop": "fixtures.basic:noop",
    "fail": "fixtures.basic:fail",
    "sleep": "fixtures.basic:sleep",
    "chatter": "fixtures.basic:chatter",
    "scale": "fixtures.mechanics:scale",
    "bolt_area": "fixtures.mechanics:bolt_area",
    "file_info": "fixtures.files:file_info",
    "make_plot_data": "fixtures.numeric:make_plot_data",
    "numpy_stats": "fixtures.numeric:numpy_stats",
    "write_report": "fixtures.files:write_report",
}


def introspect(ws, handlers, src=None):
    process = ws.run("introspect", "--handlers", json.dumps(handlers), src=src)
    assert process.returncode == 0, process.stderr
    return ws.output("introspection.json")


def params(described):
    return {param["name"]: param for param in described["params"]}


def test_the_python_block_describes_the_interpreter(ws):
    result = introspect(ws, {})
    version = subprocess.run([PYTHON, "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert result["python"] == {"version": version, "implementation": "cpython", "executable": PYTHON}
    assert result["functions"] == {}


def test_every_fixture_is_described(ws):
    functions = introspect(ws, FIXTURE_HANDLERS, src=FIXTURES_PACKAGE)["functions"]
    assert set(functions) == set(FIXTURE_HANDLERS)
    assert all(described["ok"] for described in functions.values())
    assert functions["noop"]["params"] == [] and functions["noop"]["returns"] == "dict[str, Integer]"
    assert params(functions["scale"])["force"] == {"name": "force", "kind": "positional_or_keyword",
                                                   "type": "Float", "unit": "N",
                                                   "description": "The force to scale"}
    assert params(functions["scale"])["factor"]["description"] == "The dimensionless factor"
    d = params(functions["bolt_area"])["d"]
    assert (d["type"], d["unit"], d["exclusive_minimum"]) == ("Float", "mm", 0)
    assert functions["bolt_area"]["doc"] == ("Tensile stress area of a metric thread, in mm².\n\n"
                                             "area = π/4 · (d − 0.9382 p)², ISO 898-1.")
    assert params(functions["sleep"])["seconds"]["minimum"] == 0
    assert params(functions["file_info"])["file"]["type"] == "File"
    assert params(functions["numpy_stats"])["values"]["type"] == "list[Float]"
    assert params(functions["make_plot_data"])["n"]["type"] == "Integer"
    assert functions["make_plot_data"]["returns"] == "{x: list[Integer], y: list[Float]}"
    assert functions["fail"]["returns"] is None and "returns_note" in functions["fail"]


def test_the_fixtures_manifest_matches_the_code(ws):
    manifest = yaml.safe_load((FIXTURES_PACKAGE / "mecapy.yml").read_text(encoding="utf-8"))["functions"]
    assert {name: spec["handler"] for name, spec in manifest.items()} == FIXTURE_HANDLERS
    functions = introspect(ws, FIXTURE_HANDLERS, src=FIXTURES_PACKAGE)["functions"]
    for name, spec in manifest.items():
        assert [param["name"] for param in functions[name]["params"]] == list(spec["inputs"]), name
        for param in functions[name]["params"]:
            if "unit" in param:
                assert param["unit"] == spec["inputs"][param["name"]]["unit"], (name, param["name"])


def test_types_defaults_and_kinds(ws):
    ws.source("calc.py", '''
        import enum
        import pathlib
        from dataclasses import dataclass
        from typing import Annotated, Any, List, Literal, Optional, TypedDict

        class Grade(enum.Enum):
            G88 = 8.8

        @dataclass
        class Section:
            d: float
            n: int

        class Loads(TypedDict):
            F: list[float]
            label: str

        def f(a: float, b: int = 3, c: bool = True, s: str = "x", p: pathlib.Path = None,
              xs: list[float] = (), ys: List[float] = None, table: dict[str, float] = None,
              grade: Literal[8.8, 10.9, 12.9] = 8.8, mode: Literal["axial", "shear"] = "axial",
              maybe: Optional[float] = None, union: float | None = 1.5, section: Section = None,
              loads: Loads = None, anything: Any = None, untyped=0.1, g: Grade = Grade.G88,
              *rest: float, key_only: float = -0.0, **extra) -> dict[str, float]:
            """Summary line.

            Detail.
                Indented more.
            """
    ''')
    described = introspect(ws, {"f": "calc:f"})["functions"]["f"]
    assert described["ok"] and described["doc"] == "Summary line.\n\nDetail.\n    Indented more."
    assert described["returns"] == "dict[str, Float]"
    p = params(described)
    expected_types = {
        "a": "Float", "b": "Integer", "c": "Boolean", "s": "String", "p": "File", "xs": "list[Float]",
        "ys": "list[Float]", "table": "dict[str, Float]", "grade": "literal[8.8, 10.9, 12.9]",
        "mode": 'literal["axial", "shear"]', "maybe": "Float", "union": "Float", "section": "{d: Float, n: Integer}",
        "loads": "{F: list[Float], label: String}", "anything": None, "untyped": None, "g": None,
        "rest": "Float", "key_only": "Float", "extra": None,
    }
    assert {name: param["type"] for name, param in p.items()} == expected_types
    assert list(p) == list(expected_types)  # declaration order
    assert "default" not in p["a"]
    assert (p["b"]["default"], p["c"]["default"], p["s"]["default"], p["xs"]["default"]) == (3, True, "x", [])
    assert p["grade"]["default"] == 8.8 and p["g"]["default"] == 8.8 and p["untyped"]["default"] == 0.1
    assert str(p["key_only"]["default"]) == "-0.0"
    assert p["maybe"]["optional"] is True and p["union"]["optional"] is True and "optional" not in p["a"]
    assert "note" in p["anything"] and "note" in p["untyped"] and "note" not in p["a"]
    kinds = {name: param["kind"] for name, param in p.items()}
    assert (kinds["a"], kinds["rest"], kinds["key_only"], kinds["extra"]) == (
        "positional_or_keyword", "var_positional", "keyword_only", "var_keyword")


def test_annotated_metadata_dicts_bound_objects_and_strings(ws):
    ws.source("calc.py", '''
        from typing import Annotated, Optional

        class Ge:  # the shape of annotated_types.Ge
            def __init__(self, ge):
                self.ge = ge

        class Interval:  # the shape of annotated_types.Interval
            def __init__(self, gt=None, ge=None, lt=None, le=None):
                self.gt, self.ge, self.lt, self.le = gt, ge, lt, le

        class FieldInfo:  # the shape of a pydantic v2 FieldInfo
            def __init__(self, description, metadata):
                self.description, self.metadata = description, metadata

        def f(length: Annotated[float, {"unit": "mm", "minimum": 0, "maximum": 1e3, "colour": "red"}],
              ratio: Annotated[float, Interval(gt=0, lt=1)],
              count: Annotated[int, Ge(1), "How many"],
              mu: Annotated[float, FieldInfo("Friction", [Interval(ge=0.05, le=0.6)])],
              maybe: Annotated[Optional[float], {"unit": "kN"}] = None,  # Optional[Annotated[.., {}]] cannot hash
              broken: Annotated[float, {"minimum": "zero", "maximum": float("inf")}] = 0.0):
            pass
    ''')
    p = params(introspect(ws, {"f": "calc:f"})["functions"]["f"])
    assert p["length"] == {"name": "length", "kind": "positional_or_keyword", "type": "Float", "unit": "mm",
                           "minimum": 0, "maximum": 1000.0}
    assert (p["ratio"]["exclusive_minimum"], p["ratio"]["exclusive_maximum"]) == (0, 1)
    assert "minimum" not in p["ratio"] and "maximum" not in p["ratio"]
    assert (p["count"]["minimum"], p["count"]["description"]) == (1, "How many")
    assert (p["mu"]["minimum"], p["mu"]["maximum"], p["mu"]["description"]) == (0.05, 0.6, "Friction")
    assert (p["maybe"]["type"], p["maybe"]["unit"], p["maybe"]["optional"]) == ("Float", "kN", True)
    assert "minimum" not in p["broken"] and "maximum" not in p["broken"]  # not finite numbers: left out


def test_string_annotations_are_resolved(ws):
    ws.source("calc.py", '''
        from __future__ import annotations
        from typing import Annotated, Literal

        def f(d: Annotated[float, {"unit": "mm"}], grade: Literal[8.8, 10.9], xs: list[int]) -> dict[str, float]:
            pass

        def partly(d: float, ghost: NotDefinedAnywhere) -> float:
            pass
    ''')
    functions = introspect(ws, {"f": "calc:f", "partly": "calc:partly"})["functions"]
    p = params(functions["f"])
    assert (p["d"]["type"], p["d"]["unit"]) == ("Float", "mm")
    assert (p["grade"]["type"], p["xs"]["type"], functions["f"]["returns"]) == (
        "literal[8.8, 10.9]", "list[Integer]", "dict[str, Float]")
    p = params(functions["partly"])
    assert p["d"]["type"] == "Float" and functions["partly"]["returns"] == "Float"
    assert p["ghost"]["type"] is None and "NotDefinedAnywhere" in p["ghost"]["note"]


def test_an_import_error_is_reported_with_its_traceback_and_others_still_work(ws):
    ws.source("broken.py", "import math\n\nVALUE = 1 / 0\n")
    ws.source("good.py", "def f(x: float) -> float:\n    return x\n")
    functions = introspect(ws, {"bad": "broken:f", "good": "good:f", "absent": "nowhere:f"})["functions"]
    assert functions["bad"]["ok"] is False
    error = functions["bad"]["error"]
    assert error["type"] == "ZeroDivisionError"
    assert 'broken.py", line 3, in <module>' in error["traceback"]
    assert "mecapy_runner" not in error["traceback"] and "importlib" not in error["traceback"]
    assert functions["absent"]["error"]["type"] == "ModuleNotFoundError"
    assert functions["good"]["ok"] is True and functions["good"]["returns"] == "Float"


def test_a_missing_or_non_callable_function_is_not_ok(ws):
    ws.source("calc.py", "CONSTANT = 3\n")
    functions = introspect(ws, {"missing": "calc:nope", "constant": "calc:CONSTANT", "bad": "calc"})["functions"]
    for name in ("missing", "constant", "bad"):
        assert functions[name]["ok"] is False and functions[name]["error"]["type"] == "HandlerError", name
    assert "nope" in functions["missing"]["error"]["message"]
    assert "not a function" in functions["constant"]["error"]["message"]


def test_malformed_handlers_json_exits_2(ws):
    for text in ("{not json", '["calc:f"]', '{"f": 3}'):
        process = ws.run("introspect", "--handlers", text)
        assert process.returncode == 2, text
        assert "--handlers" in process.stderr
