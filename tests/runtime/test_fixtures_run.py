"""Every function of the fixtures package (examples/fixtures) through mode `run`,
with expected values computed here independently of the package's code."""
import hashlib
import math
import statistics
import time

import pytest

from conftest import FIXTURES_PACKAGE, strict_json


def call(ws, handler, inputs=None):
    return ws.call(handler, inputs, src=FIXTURES_PACKAGE)


def test_noop_returns_zero(ws):
    assert call(ws, "fixtures.basic:noop")[1] == {"result": 0}


def test_fail_raises_value_error_with_the_message(ws):
    _, _, error = call(ws, "fixtures.basic:fail", {"message": "bolt too short"})
    assert error["type"] == "ValueError"
    assert error["message"] == "bolt too short"
    assert "fixtures/basic.py" in error["traceback"]


def test_sleep_sleeps_and_returns_the_seconds(ws):
    started = time.monotonic()
    assert call(ws, "fixtures.basic:sleep", {"seconds": 0.3})[1] == {"slept": 0.3}
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize("force, factor", [(1000, 2.5), (3, 0.1), (12.5, -4), (1e-300, 1e-300)])
def test_scale_multiplies(ws, force, factor):
    assert call(ws, "fixtures.mechanics:scale", {"force": force, "factor": factor})[1] == {"result": force * factor}


def test_bolt_area_matches_the_standard_stress_areas(ws):
    # ISO 898-1 tabulates As = 58.0 mm² for M10×1.5; bc gives 57.98947542534722081902 for
    # π/4·(10 − 0.9382·1.5)².
    area = call(ws, "fixtures.mechanics:bolt_area", {"d": 10, "p": 1.5})[1]["area"]
    assert area == pytest.approx(57.98947542534722081902, rel=1e-15)
    assert round(area, 1) == 58.0


# Short ids: a 1.28 MB parameter as the test's id would go into PYTEST_CURRENT_TEST
# and make the child's environment too large to start it (E2BIG).
@pytest.mark.parametrize("content, lines", [(b"", 0), (b"one\ntwo\n", 2), (b"one\ntwo", 2), (b"\n\n\n", 3),
                                            (bytes(range(256)) * 5000, 5001)],  # 5000 "\n", then b"\x0b...\xff"
                         ids=["empty", "two-lines", "no-final-newline", "blank-lines", "all-bytes"])
def test_file_info_size_hash_and_lines(ws, content, lines):
    ws.input_file("file.bin", content)
    outputs = call(ws, "fixtures.files:file_info")[1]
    assert outputs == {"size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "lines": lines}


def test_make_plot_data_samples_the_sine(ws):
    outputs = call(ws, "fixtures.numeric:make_plot_data", {"n": 50})[1]
    assert outputs["x"] == list(range(50))
    assert outputs["y"] == [math.sin(x / 5) for x in range(50)]  # the same libm: bit-identical


def test_numpy_stats_agrees_with_the_statistics_module(ws):
    values = [2.5, -1.0, 7.25, 3.0, 3.0, 1e3]
    outputs = call(ws, "fixtures.numeric:numpy_stats", {"values": values})[1]
    assert outputs["mean"] == pytest.approx(statistics.fmean(values), rel=1e-15)
    assert outputs["std"] == pytest.approx(statistics.pstdev(values), rel=1e-13)
    assert (outputs["min"], outputs["max"]) == (-1.0, 1e3)
    assert all(type(value) is float for value in outputs.values())


def test_numpy_stats_refuses_an_empty_list(ws):
    _, _, error = call(ws, "fixtures.numeric:numpy_stats", {"values": []})
    assert error["type"] == "ValueError"


def test_write_report_writes_the_file_it_counts(ws):
    outputs = call(ws, "fixtures.files:write_report", {"title": "Joint check"})[1]
    report = ws.out("files/report.txt").read_text(encoding="utf-8").splitlines()
    assert outputs == {"lines": len(report)}
    assert report[:2] == ["Joint check", "=" * len("Joint check")]


def test_chatter_prints_line_by_line_and_reports_progress(ws):
    process, outputs, _ = call(ws, "fixtures.basic:chatter", {"steps": 3, "pause": 0})
    assert outputs == {"steps": 3}
    assert process.stdout == "step 1/3\nstep 2/3\nstep 3/3\n"
    assert process.stderr == "note 1\nnote 2\nnote 3\n"
    lines = [strict_json(line) for line in ws.out("progress.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == [{"pct": 100.0 * i / 3, "msg": f"step {i}"} for i in (1, 2, 3)]
