"""Mode `run`: how returned values become JSON — numpy, dataclasses, tuples, Enums,
paths, non-finite floats — and how values JSON cannot hold are refused by path."""


def test_numpy_scalars_become_python_numbers(ws):
    ws.source("calc.py", """
        import numpy
        def f():
            return {"f64": numpy.float64(0.1), "f32": numpy.float32(0.1), "i64": numpy.int64(-7),
                    "u8": numpy.uint8(255), "flag": numpy.bool_(True), "text": numpy.str_("mm")}
    """)
    _, outputs, _ = ws.call("calc:f")
    assert outputs == {"f64": 0.1, "f32": 0.10000000149011612, "i64": -7, "u8": 255, "flag": True, "text": "mm"}
    assert outputs["flag"] is True


def test_numpy_arrays_become_nested_lists(ws):
    ws.source("calc.py", """
        import numpy
        def f():
            return {"matrix": numpy.array([[0.1, 0.2], [0.7, 1e-310]]) * 3, "ints": numpy.array([1, 2]),
                    "empty": numpy.zeros((0,)), "holes": numpy.array([1.0, numpy.nan, numpy.inf])}
    """)
    _, outputs, _ = ws.call("calc:f")
    # IEEE products, the same in numpy and in Python: 0.1 * 3 is 0.30000000000000004
    assert outputs["matrix"] == [[0.1 * 3, 0.2 * 3], [0.7 * 3, 1e-310 * 3]]
    assert outputs["ints"] == [1, 2] and all(type(value) is int for value in outputs["ints"])
    assert outputs["empty"] == []
    assert outputs["holes"] == [1.0, "NaN", "Infinity"]


def test_a_numpy_array_alone_is_the_result(ws):
    ws.source("calc.py", "import numpy\ndef f():\n    return numpy.eye(2)\n")
    assert ws.call("calc:f")[1] == {"result": [[1.0, 0.0], [0.0, 1.0]]}


def test_numpy_is_not_imported_for_plain_values(ws):
    ws.source("calc.py", """
        import sys
        def f():
            return {"numpy_loaded": "numpy" in sys.modules}
    """)
    assert ws.call("calc:f")[1] == {"numpy_loaded": False}


def test_dataclasses_become_dicts_and_a_returned_dataclass_is_the_outputs(ws):
    ws.source("calc.py", """
        from dataclasses import dataclass, field
        @dataclass
        class Point:
            x: float
            y: float
        @dataclass
        class Result:
            margin: float
            corners: list = field(default_factory=list)
        def f():
            return Result(margin=1.5, corners=[Point(0.0, 1.0), Point(2.0, 3.5)])
        def nested():
            return {"origin": Point(0.25, -1.0)}
    """)
    assert ws.call("calc:f")[1] == {"margin": 1.5, "corners": [{"x": 0.0, "y": 1.0}, {"x": 2.0, "y": 3.5}]}
    assert ws.call("calc:nested")[1] == {"origin": {"x": 0.25, "y": -1.0}}


def test_tuples_become_lists_and_enums_their_values(ws):
    ws.source("calc.py", """
        import enum
        from typing import NamedTuple
        class Grade(enum.Enum):
            G88 = 8.8
            G109 = 10.9
        class Mode(str, enum.Enum):
            AXIAL = "axial"
        class Pair(NamedTuple):
            a: int
            b: int
        def f():
            return {"pair": (1, (2, 3)), "named": Pair(4, 5), "grade": Grade.G109, "mode": Mode.AXIAL,
                    "by_mode": {Mode.AXIAL: 1}}
        def bare():
            return (1.5, "two")
    """)
    outputs = ws.call("calc:f")[1]
    assert outputs == {"pair": [1, [2, 3]], "named": [4, 5], "grade": 10.9, "mode": "axial", "by_mode": {"axial": 1}}
    assert ws.call("calc:bare")[1] == {"result": [1.5, "two"]}


def test_non_finite_floats_become_the_documented_strings(ws):
    ws.source("calc.py", """
        import math
        def f():
            return {"nan": math.nan, "inf": math.inf, "minus_inf": -math.inf,
                    "nested": [1.0, {"deep": float("-inf")}], "max": 1.7976931348623157e308}
    """)
    _, outputs, _ = ws.call("calc:f")  # read with a strict parser: no NaN token may appear
    assert outputs == {"nan": "NaN", "inf": "Infinity", "minus_inf": "-Infinity",
                       "nested": [1.0, {"deep": "-Infinity"}], "max": 1.7976931348623157e308}


def test_a_path_to_an_output_file_becomes_its_relative_name(ws):
    ws.source("calc.py", """
        import mecapy_runner
        def f():
            out = mecapy_runner.output_dir()
            (out / "plots").mkdir()
            (out / "plots" / "a.png").write_bytes(b"png")
            (out / "report.txt").write_text("r")
            return {"plot": out / "plots" / "a.png", "report": out / "report.txt"}
    """)
    assert ws.call("calc:f")[1] == {"plot": "plots/a.png", "report": "report.txt"}


def _path_error(ws, body):
    ws.source("calc.py", "import os, pathlib, mecapy_runner\ndef f():\n" + body)
    _, _, error = ws.call("calc:f")
    assert error["type"] == "OutputError"
    return error["message"]


def test_a_path_outside_the_output_directory_is_refused(ws):
    message = _path_error(ws, "    return {'secret': pathlib.Path('/etc/passwd')}\n")
    assert message.startswith("outputs.secret: ") and "output directory" in message


def test_a_path_escaping_with_dot_dot_is_refused(ws):
    message = _path_error(ws, "    return {'data': mecapy_runner.output_dir() / '..' / '..' / 'in' / 'data.json'}\n")
    assert message.startswith("outputs.data: ")


def test_a_symlink_in_the_output_directory_pointing_outside_is_refused(ws):
    message = _path_error(ws, """    link = mecapy_runner.output_dir() / "innocent.txt"
    os.symlink("/etc/passwd", link)
    return {"file": link}
""")
    assert message.startswith("outputs.file: ") and "output directory" in message


def test_a_path_to_a_missing_file_or_the_directory_itself_is_refused(ws):
    message = _path_error(ws, "    return [mecapy_runner.output_dir() / 'never-written.txt']\n")
    assert message.startswith("outputs.result[0]: ") and "does not exist" in message
    message = _path_error(ws, "    return {'dir': mecapy_runner.output_dir()}\n")
    assert message.startswith("outputs.dir: ")


def test_values_json_cannot_hold_are_refused_with_their_path(ws):
    ws.source("calc.py", """
        import numpy
        class Opaque:
            pass
        def a_set():
            return [1, 2, {3}]
        def a_complex():
            return {"stiffness": {"k": 1 + 2j}}
        def an_object():
            return {"odd key!": [Opaque()]}
        def an_int_key():
            return {"table": {1: "one"}}
        def itself():
            loop = [1]
            loop.append(loop)
            return {"loop": loop}
        def numpy_complex():
            return {"z": numpy.complex128(1j)}
        def lone_surrogate():
            return {"text": "\\udc80"}
    """)
    expected = {
        "a_set": "outputs.result[2]: a value of type set is not JSON",
        "a_complex": "outputs.stiffness.k: a value of type complex is not JSON",
        "an_object": "outputs['odd key!'][0]: a value of type Opaque is not JSON",
        "an_int_key": "outputs.table: key 1 is a int",
        "itself": "outputs.loop[1]: the value contains itself",
        "numpy_complex": "outputs.z: a value of type complex is not JSON",
        "lone_surrogate": "outputs.text: the string is not valid Unicode",
    }
    for function, start in expected.items():
        _, outputs, error = ws.call(f"calc:{function}")
        assert outputs is None, function
        assert error["type"] == "OutputError", function
        assert error["message"].startswith(start), (function, error["message"])


def test_a_deeply_nested_value_is_an_output_error_not_a_crash(ws):
    ws.source("calc.py", """
        def f():
            value = []
            for _ in range(100000):
                value = [value]
            return value
    """)
    _, _, error = ws.call("calc:f")
    assert error["type"] == "OutputError"
    assert "nested too deeply" in error["message"]
