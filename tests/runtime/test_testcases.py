"""Mode `testcases`: pass and fail, approx, exact values, expected exceptions,
per-case output directories — and the fixtures package's own test-case files."""
import json
import textwrap

import yaml

from conftest import FIXTURES_PACKAGE


def run_cases(ws, cases, src=None):
    ws.input_text("testcases.json", json.dumps(cases))
    process = ws.run("testcases", src=src)
    assert process.returncode == 0, process.stderr
    results = ws.output("testcases.json")
    assert [result["name"] for result in results] == [case["name"] for case in cases]
    return results


def case(name, handler, inputs=None, **checks):
    return {"name": name, "function": handler.rpartition(":")[2], "handler": handler, "inputs": inputs or {}, **checks}


CALC = """
    import math
    import mecapy_runner

    class DesignError(ValueError):
        pass

    def area(d):
        return {"area": math.pi / 4 * d * d, "label": f"d={d}"}

    def check(x):
        if x < 0:
            raise DesignError("x must not be negative")
        return {"ok": True, "count": 3, "series": [0.1 + 0.2, 1.0], "nested": {"a": 1, "b": [True, "s"]}}

    def write(tag):
        existing = sorted(p.name for p in mecapy_runner.output_dir().iterdir())
        (mecapy_runner.output_dir() / f"{tag}.txt").write_text(tag)
        mecapy_runner.progress(50, tag)
        return {"seen": existing}

    def nan():
        return {"value": math.nan}
"""


def test_passing_and_failing_comparisons(ws):
    ws.source("calc.py", CALC)
    results = run_cases(ws, [
        case("approx passes", "calc:area", {"d": 10}, expected={"area": {"approx": 78.54, "abs_tol": 0.001}}),
        case("approx fails", "calc:area", {"d": 10}, expected={"area": {"approx": 78.54, "rel_tol": 1e-9}}),
        case("float rule", "calc:check", {"x": 1}, expected={"series": [0.3, 1.0]}),
        case("exact values", "calc:check", {"x": 1},
             expected={"ok": True, "count": 3, "nested": {"a": 1, "b": [True, "s"]}}),
        case("int is not bool", "calc:check", {"x": 1}, expected={"count": 3, "ok": 1}),
        case("string differs", "calc:area", {"d": 2}, expected={"label": "d=3"}),
        case("missing output", "calc:area", {"d": 2}, expected={"volume": 1.0}),
        case("list length", "calc:check", {"x": 1}, expected={"series": [0.3]}),
        case("integer equals float", "calc:area", {"d": 0}, expected={"area": 0}),
        case("no expectations", "calc:area", {"d": 1}),
        case("nan string", "calc:nan", expected={"value": "NaN"}),
    ])
    by_name = {result["name"]: result for result in results}
    passed = {name for name, result in by_name.items() if result["passed"]}
    assert passed == {"approx passes", "float rule", "exact values", "integer equals float", "no expectations",
                      "nan string"}
    failure = by_name["approx fails"]["failures"][0]
    assert failure["port"] == "area" and failure["expected"] == {"approx": 78.54, "rel_tol": 1e-9}
    assert failure["actual"] == 78.53981633974483 and "area" in failure["message"]
    assert by_name["int is not bool"]["failures"][0]["port"] == "ok"
    assert by_name["missing output"]["failures"] == [{"port": "volume", "expected": 1.0, "actual": None,
                                                      "message": "volume: the function did not return it"}]
    assert "expected 1 items, got 2" in by_name["list length"]["failures"][0]["message"]
    assert by_name["approx passes"]["outputs"] == {"area": 78.53981633974483, "label": "d=10"}
    for result in results:
        assert result["error"] is None and result["duration_ms"] >= 0 and result["function"]


def test_expected_exceptions(ws):
    ws.source("calc.py", CALC)
    results = run_cases(ws, [
        case("exact class", "calc:check", {"x": -1}, expected_exception="DesignError"),
        case("base class", "calc:check", {"x": -1}, expected_exception="ValueError"),
        case("qualified", "calc:check", {"x": -1}, expected_exception="calc.DesignError"),
        case("other class", "calc:check", {"x": -1}, expected_exception="KeyError"),
        case("nothing raised", "calc:check", {"x": 1}, expected_exception="ValueError"),
        case("unexpected raise", "calc:check", {"x": -1}, expected={"ok": True}),
    ])
    by_name = {result["name"]: result for result in results}
    assert [result["passed"] for result in results] == [True, True, True, False, False, False]
    assert by_name["exact class"]["error"]["type"] == "calc.DesignError"
    assert by_name["exact class"]["outputs"] is None
    assert "got calc.DesignError" in by_name["other class"]["failures"][0]["message"]
    assert "returned normally" in by_name["nothing raised"]["failures"][0]["message"]
    unexpected = by_name["unexpected raise"]
    assert unexpected["error"]["message"] == "x must not be negative"
    trace = unexpected["error"]["traceback"]
    assert 'calc.py", line' in trace and "mecapy_runner" not in trace


def test_each_case_gets_its_own_output_directory(ws):
    ws.source("calc.py", CALC)
    results = run_cases(ws, [case("first", "calc:write", {"tag": "one"}), case("second", "calc:write", {"tag": "two"})])
    assert [result["outputs"] for result in results] == [{"seen": []}, {"seen": []}]
    assert ws.out("cases/0/files/one.txt").read_text() == "one"
    assert ws.out("cases/1/files/two.txt").read_text() == "two"
    assert not ws.out("cases/1/files/one.txt").exists()
    assert json.loads(ws.out("cases/1/progress.jsonl").read_text()) == {"pct": 50, "msg": "two"}


def test_import_errors_and_output_errors_fail_their_case_only(ws):
    ws.source("calc.py", textwrap.dedent(CALC) + "\ndef opaque():\n    return {'x': object()}\n")
    results = run_cases(ws, [case("no module", "nowhere:f"), case("no function", "calc:nope"),
                             case("output error", "calc:opaque"), case("still runs", "calc:area", {"d": 1})])
    assert [result["passed"] for result in results] == [False, False, False, True]
    assert [result["error"]["type"] for result in results[:3]] == ["ModuleNotFoundError", "HandlerError", "OutputError"]


def test_malformed_testcases_exit_2(ws):
    ws.source("calc.py", CALC)
    bad_files = [
        "{}",
        json.dumps([{"name": "x", "function": "f"}]),
        json.dumps([case("bad handler", "calc")]),
        json.dumps([case("both", "calc:area", {"d": 1}, expected={}, expected_exception="ValueError")]),
        json.dumps([case("inputs", "calc:area", None) | {"inputs": [1]}]),
    ]
    for text in bad_files:
        ws.input_text("testcases.json", text)
        process = ws.run("testcases")
        assert process.returncode == 2, text
        assert "testcases.json" in process.stderr
    (ws.root / "in" / "testcases.json").unlink()
    assert ws.run("testcases").returncode == 2


def _manifest_cases():
    """The fixtures' test-case files as the server gives them to the runner (both formats)."""
    manifest = yaml.safe_load((FIXTURES_PACKAGE / "mecapy.yml").read_text(encoding="utf-8"))
    cases = []
    for function, spec in manifest["functions"].items():
        if "testcases" not in spec:
            continue
        loaded = yaml.safe_load((FIXTURES_PACKAGE / spec["testcases"]).read_text(encoding="utf-8"))
        if isinstance(loaded, dict):  # the hosted service's format
            assert loaded["function"] == function
            loaded = [{key.replace("expected_outputs", "expected"): value for key, value in item.items()}
                      for item in loaded["test_cases"]]
        cases += [dict(item, function=function, handler=spec["handler"]) for item in loaded]
    return cases


def test_the_fixtures_test_cases_all_pass(ws):
    cases = _manifest_cases()
    assert len(cases) >= 15
    results = run_cases(ws, cases, src=FIXTURES_PACKAGE)
    failed = [(result["name"], result["failures"], result["error"]) for result in results if not result["passed"]]
    assert failed == []
