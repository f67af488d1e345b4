"""Mode `testcases`: a package's validation test cases, run one after the other in
this process.

Reads in/testcases.json, a list of
  {"name", "function", "handler": "module:function", "inputs": {...},
   "expected": {port: value | {"approx", "rel_tol", "abs_tol"}} (optional),
   "expected_exception": "ValueError" (optional)}
and writes out/testcases.json, one result per case, in order:
  {"name", "function", "passed", "duration_ms", "outputs", "failures": [{"port",
   "expected", "actual", "message"}], "error": {type, message, traceback} | null}.

A case passes when the function returns and every expected port matches
(compare.py; a port it did not return is a failure; ports not listed are not
checked), or, with expected_exception, when it raises an exception of that class or
of a subclass (named plainly, "ValueError", or qualified, "numpy.linalg.LinAlgError").
`error` is whatever the function raised, expected or not. Case i writes its files in
out/cases/<i>/files and its progress in out/cases/<i>/progress.jsonl, so cases
never see each other's files. A malformed testcases.json is a ContractError.
"""
import shutil

from mecapy_runner import compare, failures, handlers, invoke
from mecapy_runner.contract import ContractError, read_json, write_json_atomic


def _check_case(index, case):
    where = f"in/testcases.json[{index}]"
    if not isinstance(case, dict):
        raise ContractError(f"{where} must be an object")
    for key in ("name", "function", "handler"):
        if not isinstance(case.get(key), str):
            raise ContractError(f"{where}.{key} must be a string")
    if handlers.parse(case["handler"]) is None:
        raise ContractError(f"{where}.handler must be 'package.module:function'")
    if not isinstance(case.get("inputs", {}), dict):
        raise ContractError(f"{where}.inputs must be an object")
    if "expected" in case and not isinstance(case["expected"], dict):
        raise ContractError(f"{where}.expected must be an object of outputs")
    if "expected_exception" in case and not isinstance(case["expected_exception"], str):
        raise ContractError(f"{where}.expected_exception must be an exception class name")
    if "expected" in case and "expected_exception" in case:
        raise ContractError(f"{where} has both expected and expected_exception; a case checks one of them")


def read_cases(workspace):
    cases = read_json(workspace.in_dir / "testcases.json", "the test cases file in/testcases.json")
    if not isinstance(cases, list):
        raise ContractError("in/testcases.json must hold a JSON list of test cases")
    for index, case in enumerate(cases):
        _check_case(index, case)
    return cases


def raised_as(exception, name):
    """Whether `exception` is of the class called `name` or of one of its subclasses."""
    return any(name in (cls.__name__, failures.type_name(cls)) for cls in type(exception).__mro__)


def _failure(port, expected, actual, message):
    return {"port": port, "expected": expected, "actual": actual, "message": message}


def _output_failures(expected, outputs):
    found = []
    for port, wanted in expected.items():
        if port not in outputs:
            found.append(_failure(port, wanted, None, f"{port}: the function did not return it"))
            continue
        problem = compare.mismatch(wanted, outputs[port], port)
        if problem:
            found.append(_failure(port, wanted, outputs[port], problem))
    return found


def _exception_failures(name, result):
    if result.exception is not None and raised_as(result.exception, name):
        return []
    if result.error is not None:
        message = f"expected {name} to be raised, got {result.error['type']}: {result.error['message']}"
    else:
        message = f"expected {name} to be raised; the function returned normally"
    return [_failure(None, name, result.error["type"] if result.error else None, message)]


def run_case(workspace, index, case):
    case_dir = workspace.out_dir / "cases" / str(index)
    shutil.rmtree(case_dir, ignore_errors=True)
    result = invoke.call(case["handler"], case.get("inputs", {}), case_dir / "files", case_dir / "progress.jsonl")
    if "expected_exception" in case:
        found = _exception_failures(case["expected_exception"], result)
    elif result.error is not None:
        found = []  # the error says it all
    else:
        found = _output_failures(case.get("expected", {}), result.outputs)
    return {
        "name": case["name"],
        "function": case["function"],
        "passed": not found and (result.error is None or "expected_exception" in case),
        "duration_ms": round(result.seconds * 1000.0, 3),
        "outputs": result.outputs,
        "failures": found,
        "error": result.error,
    }


def run(workspace):
    cases = read_cases(workspace)
    handlers.use_sources(workspace.src)
    results = [run_case(workspace, index, case) for index, case in enumerate(cases)]
    write_json_atomic(workspace.out_dir / "testcases.json", results)
    return 0
