"""Mode `run`: the job contract (inputs, file inputs, outputs, progress, errors,
exit status) seen from outside, as the server sees it."""
import json
import os

from conftest import strict_json


def test_a_returned_dict_is_the_outputs_object(ws):
    ws.source("calc.py", """
        def area(width, height):
            return {"area": width * height, "unit": "mm2"}
    """)
    _, outputs, _ = ws.call("calc:area", {"width": 3, "height": 4.5})
    assert outputs == {"area": 13.5, "unit": "mm2"}


def test_any_other_return_value_becomes_result(ws):
    ws.source("calc.py", """
        def number():
            return 42
        def nothing():
            return None
    """)
    assert ws.call("calc:number")[1] == {"result": 42}
    assert ws.call("calc:nothing")[1] == {"result": None}


def test_doubles_go_in_and_come_out_bit_identical(ws):
    doubles = [0.1, 0.1 + 0.2, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -0.0, 1 / 3, 123456789.12345679]
    ws.source("calc.py", """
        def echo(values, big):
            return {"values": values, "hex": [v.hex() for v in values], "big": big + 1}
    """)
    _, outputs, _ = ws.call("calc:echo", {"values": doubles, "big": 2**70})
    assert outputs["hex"] == [value.hex() for value in doubles]  # what the function received
    assert [value.hex() for value in outputs["values"]] == [value.hex() for value in doubles]
    assert outputs["big"] == 2**70 + 1


def test_file_inputs_arrive_as_paths_named_by_the_file_stem(ws):
    ws.input_file("mesh.step", b"ISO-10303-21;\n")
    ws.input_file("table.csv", b"a,b\n1,2\n")
    ws.source("calc.py", """
        import pathlib
        def read(mesh, table, scale):
            return {"types": [type(mesh).__name__, isinstance(table, pathlib.Path)],
                    "mesh": mesh.read_text(), "table_name": table.name, "scale": scale}
    """)
    _, outputs, _ = ws.call("calc:read", {"scale": 2})
    assert outputs["types"][1] is True
    assert outputs["types"][0].endswith("Path")
    assert outputs["mesh"] == "ISO-10303-21;\n"
    assert outputs["table_name"] == "table.csv"
    assert outputs["scale"] == 2


def test_two_files_for_one_input_is_a_contract_error(ws):
    ws.input_file("mesh.step", b"a")
    ws.input_file("mesh.stp", b"b")
    ws.source("calc.py", "def f(mesh):\n    return 1\n")
    ws.inputs({})
    process = ws.run("run", "--handler", "calc:f")
    assert process.returncode == 2
    assert "mesh" in process.stderr


def test_the_output_directory_exists_before_the_call_and_is_announced_twice(ws):
    ws.source("calc.py", """
        import os
        import mecapy_runner
        def write():
            directory = mecapy_runner.output_dir()
            existed = directory.is_dir()
            (directory / "a.txt").write_text("from the helper")
            with open(os.path.join(os.environ["MECAPY_OUTPUT_DIR"], "b.txt"), "w") as f:
                f.write("from the environment")
            return {"existed": existed, "same": str(directory) == os.environ["MECAPY_OUTPUT_DIR"]}
    """)
    _, outputs, _ = ws.call("calc:write")
    assert outputs == {"existed": True, "same": True}
    assert ws.out("files/a.txt").read_text() == "from the helper"
    assert ws.out("files/b.txt").read_text() == "from the environment"


def test_scratch_dir_follows_mecapy_scratch(ws):
    ws.source("calc.py", """
        import mecapy_runner
        def where():
            return str(mecapy_runner.scratch_dir())
    """)
    assert ws.call("calc:where")[1] == {"result": "/tmp"}  # -I: no variable reaches it from outside


def test_progress_lines_are_clamped_and_flushed_while_the_function_runs(ws):
    ws.source("calc.py", """
        import os
        import mecapy_runner
        def work():
            mecapy_runner.progress(-5, "start")
            mecapy_runner.progress(40, "meshing")
            mecapy_runner.progress(62.5)
            mecapy_runner.progress(150, "done")
            with open(os.path.join(os.path.dirname(os.environ["MECAPY_OUTPUT_DIR"]), "progress.jsonl")) as f:
                return {"seen_during_call": len(f.read().splitlines())}
    """)
    _, outputs, _ = ws.call("calc:work")
    assert outputs == {"seen_during_call": 4}
    lines = [strict_json(line) for line in ws.out("progress.jsonl").read_text().splitlines()]
    assert lines == [{"pct": 0, "msg": "start"}, {"pct": 40, "msg": "meshing"}, {"pct": 62.5, "msg": ""},
                     {"pct": 100, "msg": "done"}]


def test_progress_refuses_what_is_not_a_percentage(ws):
    ws.source("calc.py", """
        import mecapy_runner
        def work():
            mecapy_runner.progress(float("nan"))
    """)
    _, _, error = ws.call("calc:work")
    assert error["type"] == "ValueError"
    assert "NaN" in error["message"]


def test_an_exception_is_reported_with_user_frames_only(ws):
    ws.source("calc.py", """
        def helper(x):
            raise ValueError(f"x must be positive, got {x}")

        def compute(x):
            return helper(x)
    """)
    _, _, error = ws.call("calc:compute", {"x": -1})
    assert error["type"] == "ValueError"
    assert error["message"] == "x must be positive, got -1"
    trace = error["traceback"]
    assert trace.startswith("Traceback (most recent call last):")
    assert 'calc.py", line 6, in compute' in trace
    assert 'calc.py", line 3, in helper' in trace
    assert "mecapy_runner" not in trace
    assert trace.rstrip().endswith("ValueError: x must be positive, got -1")
    assert not ws.out("data.json").exists()


def test_chained_exceptions_keep_both_parts_without_runner_frames(ws):
    ws.source("calc.py", """
        def compute():
            try:
                {}["missing"]
            except KeyError as error:
                raise RuntimeError("lookup failed") from error
    """)
    _, _, error = ws.call("calc:compute")
    assert error["type"] == "RuntimeError"
    assert "KeyError: 'missing'" in error["traceback"]
    assert "direct cause" in error["traceback"]
    assert "mecapy_runner" not in error["traceback"]


def test_exception_types_are_qualified_unless_builtin(ws):
    ws.source("calc.py", """
        import numpy
        class DesignError(Exception):
            pass
        def singular():
            return numpy.linalg.inv(numpy.zeros((2, 2)))
        def custom():
            raise DesignError("too thin")
    """)
    _, _, error = ws.call("calc:singular")
    assert error["type"] == "numpy.linalg.LinAlgError"
    assert "Singular matrix" in error["message"]
    _, _, error = ws.call("calc:custom")
    assert error["type"] == "calc.DesignError"


def test_sys_exit_in_user_code_is_an_error_of_the_job(ws):
    ws.source("calc.py", """
        import sys
        def leave():
            sys.exit(3)
    """)
    _, _, error = ws.call("calc:leave")
    assert error["type"] == "SystemExit"
    assert error["message"] == "3"


def test_an_import_error_of_the_user_module_is_an_error_of_the_job(ws):
    ws.source("calc.py", """
        import numpyy
        def f():
            return 1
    """)
    _, _, error = ws.call("calc:f")
    assert error["type"] == "ModuleNotFoundError"
    assert "numpyy" in error["message"]
    assert 'calc.py", line 2, in <module>' in error["traceback"]
    assert "importlib" not in error["traceback"] and "mecapy_runner" not in error["traceback"]


def test_a_syntax_error_in_the_user_module_shows_where(ws):
    ws.source("calc.py", "def f(:\n    return 1\n")
    _, _, error = ws.call("calc:f")
    assert error["type"] == "SyntaxError"
    assert 'calc.py", line 1' in error["traceback"]


def test_a_missing_function_is_a_handler_error(ws):
    ws.source("calc.py", "VALUE = 3\n")
    _, _, error = ws.call("calc:f")
    assert error["type"] == "HandlerError"
    assert "'calc' has no attribute 'f'" in error["message"]
    _, _, error = ws.call("calc:VALUE")
    assert error["type"] == "HandlerError"
    assert "not a function" in error["message"]


def test_the_runner_writes_nothing_to_stdout(ws):
    ws.source("calc.py", """
        import sys
        def talk():
            print("hello from the user")
            print("to stderr", file=sys.stderr)
            return 1
    """)
    process, outputs, _ = ws.call("calc:talk")
    assert outputs == {"result": 1}
    assert process.stdout == "hello from the user\n"
    assert process.stderr == "to stderr\n"


def test_package_sources_come_first_on_sys_path(ws):
    ws.source("colorsys.py", "def f():\n    return 'the package module'\n")  # shadows a stdlib module
    assert ws.call("colorsys:f")[1] == {"result": "the package module"}


def test_src_option_points_elsewhere(ws, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "pkg_mod.py").write_text("def f():\n    return 'elsewhere'\n")
    assert ws.call("pkg_mod:f", src=other)[1] == {"result": "elsewhere"}


def test_a_missing_data_json_exits_2_and_writes_nothing(ws):
    ws.source("calc.py", "def f():\n    return 1\n")
    process = ws.run("run", "--handler", "calc:f")
    assert process.returncode == 2
    assert "in/data.json" in process.stderr
    assert process.stdout == ""
    assert not ws.out("data.json").exists() and not ws.out("error.json").exists()


def test_malformed_inputs_exit_2(ws):
    ws.source("calc.py", "def f(**kwargs):\n    return 1\n")
    for text in ("[1, 2]", "{not json", '{"x": NaN}'):
        ws.input_text("data.json", text)
        process = ws.run("run", "--handler", "calc:f")
        assert process.returncode == 2, text
        assert "data.json" in process.stderr


def test_a_malformed_handler_or_a_missing_option_exits_2(ws):
    ws.inputs({})
    for arguments in (["--handler", "calc"], ["--handler", "calc:f;import os"], []):
        process = ws.run("run", *arguments)
        assert process.returncode == 2, arguments
        assert process.stderr
    assert ws.run("no-such-mode").returncode == 2


def test_result_files_are_complete_and_no_temporary_file_is_left(ws):
    ws.source("calc.py", "def f():\n    return {'values': list(range(100000))}\n")
    _, outputs, _ = ws.call("calc:f")
    assert outputs["values"][-1] == 99999
    assert sorted(os.listdir(ws.out(""))) == ["data.json", "files"]
    json.loads(ws.out("data.json").read_bytes().decode("utf-8"))
