"""Tests of the bolted-joint example package (examples/bolted-joint).

What they hold the package to:
- the worked example of the README (an M10 x 1.5 class 8.8 bolt), whose numbers
  were computed by hand from the formulas, not by running the package;
- every test case the manifest declares, run the way the platform runs them
  (inputs as keyword arguments, floats compared with their rel_tol), plus the
  expected errors of the hosted-format file;
- the manifest and the code agree: handlers resolve, inputs and their defaults
  are the functions' parameters, outputs are the keys the functions return;
- the functions agree with one another (a bolt at its maximum preload is at the
  allowed fraction of Re; the torque band is the preload band) and refuse
  impossible inputs with a ValueError that names the input.

Run: python -m pytest tests/examples -q
"""

import builtins
import importlib
import inspect
import math
import sys
from pathlib import Path

import pytest
import yaml

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "examples" / "bolted-joint"
sys.path.insert(0, str(PACKAGE_DIR))

import bolted_joint  # noqa: E402
from bolted_joint import (  # noqa: E402
    bearing_pressure,
    equivalent_stress,
    max_preload,
    min_preload,
    thread_geometry,
    tightening_torque,
)

REL = 1.0e-6
MANIFEST = yaml.safe_load((PACKAGE_DIR / "mecapy.yml").read_text())
FUNCTIONS = MANIFEST["functions"]


def handler_of(function_name):
    module_name, attribute = FUNCTIONS[function_name]["handler"].split(":")
    return getattr(importlib.import_module(module_name), attribute)


def matches(actual, expected):
    """The comparison of the test-case format: {approx, rel_tol, abs_tol} for floats, else exact."""
    if isinstance(expected, dict) and "approx" in expected:
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return False
        return math.isclose(actual, expected["approx"], rel_tol=expected.get("rel_tol", 0.0),
                            abs_tol=expected.get("abs_tol", 0.0))
    return type(actual) is type(expected) and actual == expected


def declared_cases():
    for function_name, function in FUNCTIONS.items():
        for case in yaml.safe_load((PACKAGE_DIR / function["testcases"]).read_text()):
            yield pytest.param(function_name, case, id=f"{function_name}: {case['name']}")


def hosted_cases():
    for path in sorted((PACKAGE_DIR / "tests").glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        if isinstance(document, dict) and "test_cases" in document:
            for case in document["test_cases"]:
                yield pytest.param(document["function"], case, id=f"{path.name}: {case['name']}")


# --- The worked example: M10 x 1.5, class 8.8, computed by hand -----------------------

# Each row: a function, its inputs, and results computed by hand, the arithmetic beside.
HAND_COMPUTED = [
    pytest.param(thread_geometry, {"d": 10, "p": 1.5}, {
        "d2": 9.02575,          # 10 - 0.6495 * 1.5
        "d3": 8.15965,          # 10 - 1.2269 * 1.5
        "ds": 8.5927,           # (9.02575 + 8.15965) / 2
        "As": 57.9894754253,    # pi/4 * 8.5927^2 = 0.785398163397 * 73.83449329
    }, id="thread_geometry M10"),
    pytest.param(max_preload, {"d": 10, "p": 1.5, "mu_th": 0.15, "grade": 8.8}, {
        # k = 0.16 * 1.5 + 0.583 * 9.02575 * 0.15 = 1.0293018375;  r = 4 k / ds = 0.479151762543
        "F0_max": 25703.2354843,  # 0.9 * 640 * 57.9894754253 / sqrt(1 + 3 r^2) = 33401.9378450 / 1.29952269493
        "tau": 212.379065253,     # r * 25703.2354843 / 57.9894754253
        "M_thread": 26.4563875137,  # 25703.2354843 * 1.0293018375 / 1000
        "sigma_eq": 576.0,        # 0.9 * 640
    }, id="max_preload M10"),
    pytest.param(tightening_torque, {"d": 10, "p": 1.5, "dw": 15, "dh": 11, "F0_max": 25000, "alpha_A": 1.6}, {
        # r_m = (15 + 11)/4 = 6.5;  lever = 1.0293018375 + 6.5 * 0.15 = 2.0043018375 mm;  x = 0.6/2.6
        "F0_nominal": 20312.5,      # 25000 / (1 + x) = 25000 * 2.6 / 3.2
        "C_nominal": 40.7123810742,  # 20312.5 * 2.0043018375 / 1000
        "C_max": 50.1075459375,     # 25000 * 2.0043018375 / 1000
        "C_min": 31.3172162109,     # 15625 * 2.0043018375 / 1000
    }, id="tightening_torque M10"),
    pytest.param(bearing_pressure, {"F0_max": 25000, "dw": 15, "dh": 11, "p_lim": 490}, {
        "A_bearing": 81.6814089933,  # pi/4 (15^2 - 11^2) = 26 pi
        "pressure": 306.067198254,   # 25000 / 81.6814089933
        "margin": 0.600955616269,    # 490 / 306.067198254 - 1
        "acceptable": True,
    }, id="bearing_pressure M10"),
    pytest.param(equivalent_stress, {"d": 10, "p": 1.5, "F0": 20000, "mu_th": 0.15, "grade": 8.8}, {
        "sigma": 344.890169351,      # 20000 / 57.9894754253
        "tau": 165.254732528,        # 16 * 20000 * 1.0293018375 / (pi * 8.5927^3)
        "sigma_eq": 448.192602330,   # sqrt(344.890169351^2 + 3 * 165.254732528^2)
        "utilization": 0.700300941141,  # 448.192602330 / 640
    }, id="equivalent_stress M10"),
    pytest.param(min_preload, {"FA": 8000, "FT": 6000, "mu_joint": 0.15, "q": 2, "phi": 0.2, "FZ": 1500}, {
        "F0_min": 27900,  # 6000 / (0.15 * 2) + (1 - 0.2) * 8000 + 1500 = 20000 + 6400 + 1500
    }, id="min_preload double lap"),
]


@pytest.mark.parametrize("function, inputs, by_hand", HAND_COMPUTED)
def test_worked_example_by_hand(function, inputs, by_hand):
    outputs = function(**inputs)
    for name, value in by_hand.items():
        if isinstance(value, bool):
            assert outputs[name] is value, name
        else:
            assert outputs[name] == pytest.approx(value, rel=REL), name


# --- The declared test cases, as the platform runs them ------------------------------

@pytest.mark.parametrize("function_name, case", list(declared_cases()))
def test_declared_case(function_name, case):
    outputs = handler_of(function_name)(**case["inputs"])
    assert set(case["expected"]) == set(outputs), "a case lists every output"
    for name, expected in case["expected"].items():
        assert matches(outputs[name], expected), f"{name}: got {outputs[name]!r}, expected {expected!r}"


@pytest.mark.parametrize("function_name, case", list(hosted_cases()))
def test_hosted_case(function_name, case):
    function = handler_of(function_name)
    if "expected_exception" in case:
        with pytest.raises(getattr(builtins, case["expected_exception"])):
            function(**case["inputs"])
        return
    outputs = function(**case["inputs"])
    for name, expected in case["expected_outputs"].items():
        assert matches(outputs[name], expected), f"{name}: got {outputs[name]!r}, expected {expected!r}"


def test_every_function_has_cases_and_one_file_has_an_expected_exception():
    for function_name, function in FUNCTIONS.items():
        assert len(yaml.safe_load((PACKAGE_DIR / function["testcases"]).read_text())) >= 3, function_name
    assert any("expected_exception" in case.values[1] for case in hosted_cases())


def test_comparison_rejects_what_it_should():
    assert not matches(1.001, {"approx": 1.0, "rel_tol": 1.0e-6})
    assert not matches(1, True)
    assert not matches("1", 1)
    assert matches(True, True)


# --- The manifest and the code agree --------------------------------------------------

@pytest.mark.parametrize("function_name", list(FUNCTIONS))
def test_manifest_inputs_are_the_parameters(function_name):
    parameters = inspect.signature(handler_of(function_name)).parameters
    inputs = FUNCTIONS[function_name]["inputs"]
    assert list(inputs) == list(parameters), "same names, same order"
    for name, port in inputs.items():
        default = parameters[name].default
        if "default" in port:
            assert default == port["default"], name
        elif port.get("required", True):
            assert default is inspect.Parameter.empty, f"{name} is required in the manifest"
        else:
            assert default is None, f"{name} is optional without a default: None in Python"


@pytest.mark.parametrize("function_name", list(FUNCTIONS))
def test_manifest_outputs_are_the_returned_keys(function_name):
    case = yaml.safe_load((PACKAGE_DIR / FUNCTIONS[function_name]["testcases"]).read_text())[0]
    assert list(handler_of(function_name)(**case["inputs"])) == list(FUNCTIONS[function_name]["outputs"])


def test_manifest_package():
    package = MANIFEST["package"]
    assert MANIFEST["version"] == "1"
    assert (package["name"], package["version"], package["visibility"], package["license"]) == (
        "bolted-joint", "1.0.0", "public", "MIT")
    assert package["resources"] == {"tier": "nano"}
    assert MANIFEST["runtime"]["version"] == "3.11"
    assert MANIFEST["quality"]["validation_testcases"] == {"on_deployment": True, "fail_on_error": True}
    assert sorted(bolted_joint.__all__) == sorted(FUNCTIONS)


# --- The functions agree with one another ---------------------------------------------

@pytest.mark.parametrize("d, p, grade, mu_th, nu", [(6, 1, 8.8, 0.1, 0.9), (10, 1.5, 10.9, 0.15, 0.9),
                                                    (20, 2.5, 8.8, 0.3, 0.7), (36, 4, 12.9, 0.08, 1.0)])
def test_bolt_at_its_maximum_preload_is_at_the_allowed_fraction_of_yield(d, p, grade, mu_th, nu):
    top = max_preload(d=d, p=p, mu_th=mu_th, grade=grade, yield_fraction=nu)
    check = equivalent_stress(d=d, p=p, F0=top["F0_max"], mu_th=mu_th, grade=grade)
    assert check["utilization"] == pytest.approx(nu, rel=1.0e-12)
    assert check["sigma_eq"] == pytest.approx(top["sigma_eq"], rel=1.0e-12)


def test_more_thread_friction_allows_less_preload():
    assert max_preload(d=10, p=1.5, mu_th=0.2)["F0_max"] < max_preload(d=10, p=1.5, mu_th=0.1)["F0_max"]


@pytest.mark.parametrize("alpha", [1.0, 1.25, 1.6, 2.5, 4.0])
def test_torque_band_is_the_preload_band(alpha):
    result = tightening_torque(d=12, p=1.75, dw=18, dh=13.5, F0_max=40000, alpha_A=alpha, mu_th=0.12, mu_head=0.1)
    x = result["dispersion"]
    assert result["C_max"] / result["C_min"] == pytest.approx(alpha, rel=1.0e-12)
    assert result["C_min"] == pytest.approx(result["C_nominal"] * (1 - x), rel=1.0e-12)
    assert result["C_max"] == pytest.approx(result["C_nominal"] * (1 + x), rel=1.0e-12)
    assert result["C_thread"] + result["C_head"] == pytest.approx(result["C_nominal"], rel=1.0e-12)
    assert result["F0_lowest"] * alpha == pytest.approx(40000, rel=1.0e-12)


def test_yield_strength_of_property_classes():
    assert max_preload(d=16, p=2, grade=8.8)["Re"] == 640.0
    assert max_preload(d=18, p=2.5, grade=8.8)["Re"] == 660.0
    assert max_preload(d=18, p=2.5, grade=10.9)["Re"] == 940.0
    assert max_preload(d=18, p=2.5, grade=12.9)["Re"] == 1100.0


def test_explicit_yield_strength_replaces_the_class():
    assert equivalent_stress(d=10, p=1.5, F0=10000, grade=12.9, Re=300)["Re"] == 300.0
    # ISO 898-1 stops at 39 mm; with Re given, a larger bolt is computed.
    assert max_preload(d=48, p=5, Re=900)["F0_max"] > 0


def test_explicit_yield_strength_comes_back_bit_identical():
    for strength in (812.25, 0.1 + 0.2 + 700, 1234.5678901234567):
        assert max_preload(d=10, p=1.5, Re=strength)["Re"] == strength


# --- Impossible inputs are refused ------------------------------------------------------

@pytest.mark.parametrize("call, words", [
    (lambda: thread_geometry(d=10, p=8), "too coarse"),
    (lambda: thread_geometry(d=0, p=1), "d must be greater than 0"),
    (lambda: thread_geometry(d=10, p=-1.5), "p must be greater than 0"),
    (lambda: thread_geometry(d=float("nan"), p=1.5), "finite"),
    (lambda: thread_geometry(d=float("inf"), p=1.5), "finite"),
    (lambda: thread_geometry(d="10", p=1.5), "must be a number"),
    (lambda: thread_geometry(d=True, p=1.5), "must be a number"),
    (lambda: min_preload(FA=-1), "FA must be 0 N or more"),
    (lambda: min_preload(FA=1000, FT=100, q=1.5), "whole number"),
    (lambda: min_preload(FA=1000, FT=100, q=0), "whole number"),
    (lambda: min_preload(FA=1000, phi=1.2), "phi must be between 0 and 1"),
    (lambda: min_preload(FA=1000, FT=100, mu_joint=0.01), "mu_joint must be between 0.05 and 0.6"),
    (lambda: max_preload(d=10, p=1.5, mu_th=0.9), "mu_th"),
    (lambda: max_preload(d=10, p=1.5, grade=9.8), "unknown property class"),
    (lambda: max_preload(d=48, p=5, grade=8.8), "give the bolt's Re"),
    (lambda: max_preload(d=10, p=1.5, Re=-640), "Re must be greater than 0"),
    (lambda: max_preload(d=10, p=1.5, yield_fraction=1.1), "yield_fraction"),
    (lambda: tightening_torque(d=10, p=1.5, dw=15, dh=9, F0_max=20000, alpha_A=1.6), "must clear the bolt"),
    (lambda: tightening_torque(d=10, p=1.5, dw=15, dh=11, F0_max=20000, alpha_A=0.8), "alpha_A"),
    (lambda: tightening_torque(d=10, p=1.5, dw=15, dh=11, F0_max=0, alpha_A=1.6), "F0_max"),
    (lambda: tightening_torque(d=10, p=1.5, dw=15, dh=11, F0_max=2e4, alpha_A=1.6, mu_head=0.7), "mu_head"),
    (lambda: bearing_pressure(F0_max=20000, dw=11, dh=11, p_lim=490), "must be larger than the hole"),
    (lambda: bearing_pressure(F0_max=20000, dw=10, dh=11, p_lim=490), "must be larger than the hole"),
    (lambda: bearing_pressure(F0_max=20000, dw=15, dh=11, p_lim=0), "p_lim"),
    (lambda: equivalent_stress(d=10, p=1.5, F0=-5), "F0 must be greater than 0"),
])
def test_impossible_inputs_raise_value_error_naming_the_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
