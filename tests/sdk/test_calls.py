"""Calling remote functions as Python functions: blocking calls and submitted jobs,
outputs exactly as the function computed them, quantities in other units, versions,
and what help() shows."""
import inspect
import math
import pydoc

import pytest

import mecapy
from mecapy.describe import TypeText

# fixtures.mechanics:bolt_area's formula, computed here with the same IEEE doubles.
STRESS_DIAMETER = 0.9382


def stress_area(d, p):
    return math.pi / 4.0 * (d - STRESS_DIAMETER * p) ** 2


def test_a_blocking_call_returns_the_outputs_exactly(fixtures):
    outputs = fixtures.bolt_area(d=10, p=1.5)
    assert isinstance(outputs, mecapy.Outputs)
    assert outputs == {"area": stress_area(10.0, 1.5)}  # equal doubles, no tolerance
    assert outputs.units == {"area": "mm2"}
    assert outputs.job.last_status == "completed"


def test_doubles_with_many_digits_round_trip_both_ways(fixtures):
    factor = 0.1 + 0.2  # 0.30000000000000004: needs 17 significant digits
    outputs = fixtures.scale.with_options(no_cache=True)(force=1 / 3, factor=factor)
    assert outputs["result"] == (1 / 3) * factor
    assert outputs.job.data["inputs"] == {"force": 1 / 3, "factor": factor}


def test_quantities_accept_value_and_unit(fixtures):
    in_cm = fixtures.bolt_area.with_options(no_cache=True)(d=(1, "cm"), p=(1500, "um"))
    assert in_cm["area"] == pytest.approx(stress_area(10.0, 1.5), rel=1e-12)
    job = in_cm.job
    assert job.data["submitted_inputs"] == {"d": {"value": 1, "unit": "cm"}, "p": {"value": 1500, "unit": "um"}}
    assert job.data["inputs"]["d"] == pytest.approx(10.0, rel=1e-15)


def test_submit_returns_a_job_whose_result_is_waited_for(fixtures):
    job = fixtures.sleep.with_options(no_cache=True).submit(seconds=0.3)
    assert isinstance(job, mecapy.Job)
    assert job.last_status in ("pending", "running", "completed")
    outputs = job.result(timeout=60)
    assert outputs == {"slept": 0.3}
    assert job.status == "completed" and job.done


def test_a_job_is_found_again_by_its_id(client, fixtures):
    job = fixtures.noop.submit()
    again = client.job(job.id)
    assert again.result(timeout=60) == {"result": 0}
    assert again.id == job.id


def test_another_package_in_mixed_units(client):
    bolts = client.load("admin/bolted-joint")
    assert "max_preload" in dir(bolts)
    outputs = bolts.max_preload(d=(1, "cm"), p=1.5, mu_th=0.15)
    same = bolts.max_preload(d=10, p=1.5, mu_th=0.15)
    assert outputs["F0_max"] == pytest.approx(same["F0_max"], rel=1e-12)
    assert outputs.units["F0_max"] == "N"


def test_a_version_is_pinned_by_the_reference(client):
    pinned = client.load("admin/fixtures:1.0.0")
    assert pinned.version == "1.0.0"
    outputs = pinned.noop()
    assert outputs.job.data["version"] == "1.0.0"


def test_unknown_functions_and_packages(client, fixtures):
    with pytest.raises(AttributeError, match="no function 'nope'"):
        _ = fixtures.nope
    with pytest.raises(mecapy.NotFoundError) as caught:
        client.load("admin/no-such-package")
    assert caught.value.status == 404 and caught.value.problem_type.endswith("#package-not-found")
    with pytest.raises(mecapy.NotFoundError):
        client.load("admin/fixtures:9.9.9")
    with pytest.raises(ValueError):
        client.load("no-owner")


def test_help_shows_the_description_inputs_and_units(fixtures):
    text = pydoc.render_doc(fixtures.bolt_area, renderer=pydoc.plaintext)
    assert "bolt_area(*, d: Length [mm], p: Length [mm]) -> {area: Area [mm2]}" in text
    assert "bolt_area — admin/fixtures 1.0.0\n" in text
    assert "Tensile stress area of a metric thread (ISO 898-1)" in text
    assert "d: Length [mm] (>= 0) — Nominal diameter" in text
    assert "area: Area [mm2] — π/4·(d − 0.9382 p)²" in text
    signature = inspect.signature(fixtures.bolt_area)
    assert list(signature.parameters) == ["d", "p"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in signature.parameters.values())
    assert isinstance(signature.parameters["d"].annotation, TypeText)


def test_help_shows_defaults_and_files(client, fixtures):
    bolts = client.load("admin/bolted-joint")
    parameters = inspect.signature(bolts.max_preload).parameters
    defaults = {name: p.default for name, p in parameters.items() if p.default is not inspect.Parameter.empty}
    spec = {p["name"]: p for p in bolts.max_preload.inputs}
    spec_defaults = {name: p["default"] for name, p in spec.items() if "default" in p}
    optional = {name: None for name, p in spec.items() if "default" not in p and not p["required"]}
    assert spec_defaults and optional  # the example has both kinds
    assert defaults == {**spec_defaults, **optional}
    # required inputs come first, as Python wants them
    kinds = [p.default is inspect.Parameter.empty for p in parameters.values()]
    assert kinds == sorted(kinds, reverse=True)
    assert "file: File — Any file" in fixtures.file_info.__doc__
