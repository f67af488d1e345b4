"""Inputs at the boundary: POST .../validate converts {value, unit} to the declared
units (UDUNITS-2, offsets included), element-wise through lists and composites, and
refuses unknown units and wrong dimensions with a 422 naming the input."""
import struct

import pytest

from packages_support import deploy, sandbox_args, zip_of
from support import assert_problem

MANIFEST = '''
version: "1"
package: {name: units-demo, version: 1.0.0}
functions:
  check:
    handler: demo:check
    inputs:
      d: {type: Length, unit: mm, minimum: 0}
      t: {type: Temperature, unit: degC, required: false}
      loads: {type: "list[Force]", unit: kN, required: false}
      f3: {type: Force3, unit: N, required: false}
      torsor: {type: Torsor, required: false}
      grade: {type: "literal[8.8, 10.9]", default: 8.8}
      p: {type: Pressure, unit: MPa, required: false}
'''
MODULE = "def check(**inputs):\n    return inputs\n"


@pytest.fixture(scope="module")
def function_url(module_servers):
    server = module_servers.start(*sandbox_args())
    r = deploy(server, zip_of({"mecapy.yml": MANIFEST, "demo.py": MODULE}))
    assert r.status_code == 201, r.text
    return server, f"/api/v1/packages/{r.json()['package']['id']}/functions/check/validate"


def validate(function_url, inputs):
    server, path = function_url
    return server.request("POST", path, json={"inputs": inputs})


def canonical(function_url, inputs):
    r = validate(function_url, inputs)
    assert r.status_code == 200, r.text
    return r.json()["inputs"]


def test_plain_numbers_are_in_the_declared_unit_and_stay_bit_identical(function_url):
    value = 0.1 + 0.2  # 0.30000000000000004
    out = canonical(function_url, {"d": value})
    assert struct.pack("<d", out["d"]) == struct.pack("<d", value)
    assert out["grade"] == 8.8  # the default, filled in


@pytest.mark.parametrize("given, expected", [
    ({"value": 1, "unit": "cm"}, 10.0),
    ({"value": 0.0254, "unit": "m"}, 25.4),
    ({"value": 1, "unit": "in"}, 25.4),
    ({"value": 3, "unit": "µm"}, 0.003),
    ({"value": 12, "unit": "mm"}, 12),
])
def test_lengths_convert_to_mm(function_url, given, expected):
    assert canonical(function_url, {"d": given})["d"] == pytest.approx(expected, rel=1e-12)


def test_temperatures_convert_with_their_offsets(function_url):
    assert canonical(function_url, {"d": 1, "t": {"value": 300, "unit": "K"}})["t"] == pytest.approx(26.85, rel=1e-12)
    assert canonical(function_url, {"d": 1, "t": {"value": 212, "unit": "degF"}})["t"] == pytest.approx(100, rel=1e-12)
    assert canonical(function_url, {"d": 1, "t": {"value": 20, "unit": "°C"}})["t"] == 20


def test_stresses_and_pressures(function_url):
    assert canonical(function_url, {"d": 1, "p": {"value": 1, "unit": "ksi"}})["p"] == \
        pytest.approx(6.894757293168361, rel=1e-12)
    assert canonical(function_url, {"d": 1, "p": {"value": 2, "unit": "N/mm^2"}})["p"] == pytest.approx(2, rel=1e-12)


def test_lists_and_composites_convert_element_wise(function_url):
    out = canonical(function_url, {
        "d": 1,
        "loads": [1, {"value": 500, "unit": "N"}, {"value": 1, "unit": "lbf"}],
        "f3": [{"value": 1, "unit": "kN"}, 2, {"value": 3, "unit": "daN"}],
        "torsor": {"F": [1, 2, 3], "M": [{"value": 1, "unit": "kN.m"}, 0, {"value": 1000, "unit": "N.mm"}]},
    })
    assert out["loads"] == pytest.approx([1, 0.5, 0.0044482216152605], rel=1e-12)
    assert out["f3"] == pytest.approx([1000, 2, 30], rel=1e-12)
    assert out["torsor"]["M"] == pytest.approx([1000, 0, 1], rel=1e-12)


def test_wrong_dimension_names_the_input_the_unit_and_the_dimension(function_url):
    r = validate(function_url, {"d": {"value": 1, "unit": "kg"}, "loads": [{"value": 1, "unit": "m"}]})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"].endswith("#invalid-inputs")
    errors = {e["pointer"]: e["message"] for e in body["errors"]}
    assert set(errors) == {"/d", "/loads/0"}, errors
    assert "'kg'" in errors["/d"] and "Length" in errors["/d"] and "mm" in errors["/d"]
    assert "'m'" in errors["/loads/0"] and "Force" in errors["/loads/0"]


def test_unknown_units_are_refused(function_url):
    r = validate(function_url, {"d": {"value": 1, "unit": "mmm"}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "/d" and "'mmm'" in r.json()["errors"][0]["message"]


def test_bounds_required_and_unknown_inputs_are_all_reported(function_url):
    r = validate(function_url, {"d": {"value": -1, "unit": "cm"}, "grade": 9.9, "extra": 1})
    assert r.status_code == 422, r.text
    pointers = sorted(e["pointer"] for e in r.json()["errors"])
    assert pointers == ["/d", "/extra", "/grade"], r.json()["errors"]
    r = validate(function_url, {})
    assert [e["pointer"] for e in r.json()["errors"]] == ["/d"]


def test_unit_conversions_are_the_servers_own(server):
    """GET /types/conversion: UDUNITS-2's affine map between two units, which the web
    form uses to check bounds in the unit a user picked."""
    stress = server.get("/api/v1/types/conversion", params={"from": "N/mm^2", "to": "Pa"}, auth=False)
    assert stress.status_code == 200, stress.text
    assert stress.json() == {"from": "N/mm^2", "to": "Pa", "dimension": "M L-1 T-2", "factor": 1e6, "offset": 0.0}
    temperature = server.get("/api/v1/types/conversion", params={"from": "degC", "to": "K"}, auth=False).json()
    assert temperature["factor"] == 1.0 and temperature["offset"] == 273.15
    assert_problem(server.get("/api/v1/types/conversion", params={"from": "mm", "to": "kg"}, auth=False), 422,
                   "incompatible-units")
    assert_problem(server.get("/api/v1/types/conversion", params={"from": "furlongz", "to": "m"}, auth=False), 422,
                   "unknown-unit")
    assert_problem(server.get("/api/v1/types/conversion", params={"from": "mm"}, auth=False), 400, "invalid-query")
    catalog = server.get("/api/v1/types/catalog", auth=False).json()
    length = next(q for q in catalog["quantities"] if q["name"] == "Length")
    assert length["conversions"]["mm"] == {"factor": 0.001, "offset": 0.0}
