"""Deploying packages through the API: the examples, versions that only go up, the
deploy report, introspection, test cases, and the reads of packages and functions."""
import hashlib
import textwrap

import pytest

from packages_support import (DEMO_FUNCTIONS, DEMO_MODULE, EXAMPLES, deploy, directory_files, manifest, sandbox_args,
                              tar_gz_of, zip_of)


@pytest.fixture(scope="module")
def pkg_server(module_servers):
    return module_servers.start(*sandbox_args())


@pytest.fixture(scope="module")
def fixtures_report(pkg_server):
    r = deploy(pkg_server, zip_of(directory_files(EXAMPLES / "fixtures")))
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def bolted_report(pkg_server):
    r = deploy(pkg_server, tar_gz_of(directory_files(EXAMPLES / "bolted-joint")), filename="bj.tar.gz")
    assert r.status_code == 201, r.text
    return r.json()


def function(server, package, name, **params):
    r = server.get(f"/api/v1/packages/{package}/functions/{name}", params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.deadline(180)
def test_fixtures_deploy_with_every_function_and_passing_tests(pkg_server, fixtures_report):
    report = fixtures_report
    assert report["status"] == "created"
    names = {f["name"]: f["status"] for f in report["functions"]}
    assert set(names) == {"noop", "fail", "sleep", "chatter", "scale", "bolt_area", "file_info", "make_plot_data",
                          "numpy_stats", "write_report"}
    assert set(names.values()) == {"deployed"}
    assert report["tests"]["ran"] is True
    assert report["tests"]["failed"] == 0 and report["tests"]["passed"] >= 8
    assert report["interpreter"]["version"].startswith("3.")
    package = pkg_server.get(f"/api/v1/packages/{report['package']['id']}").json()
    assert package["latest_version"] == "1.0.0" and package["name"] == "fixtures"


@pytest.mark.deadline(180)
def test_function_pages_carry_units_and_schemas(pkg_server, fixtures_report):
    owner = fixtures_report["package"]["owner"]
    scale = function(pkg_server, f"{owner}%2Ffixtures", "scale")
    force = next(p for p in scale["inputs"] if p["name"] == "force")
    assert force["type"]["quantity"] == "Force" and force["type"]["unit"] == "N"
    assert scale["input_schema"]["required"] == ["force", "factor"]
    assert scale["input_schema"]["additionalProperties"] is False
    assert scale["input_schema"]["properties"]["force"]["x-unit"] == "N"
    area = function(pkg_server, fixtures_report["package"]["id"], "bolt_area")
    assert area["outputs"][0]["type"]["unit"] in ("mm2", "mm^2")
    assert len(area["checksum"]) == 64
    by_id = pkg_server.get(f"/api/v1/function-versions/{area['id']}").json()
    assert by_id["checksum"] == area["checksum"] and by_id["input_schema"] == area["input_schema"]
    assert all(t["passed"] for t in area["test_results"]) and area["test_results"]


@pytest.mark.deadline(240)
def test_bolted_joint_deploys_with_all_its_test_cases_passing(pkg_server, bolted_report):
    assert bolted_report["tests"]["failed"] == 0
    assert bolted_report["tests"]["passed"] >= 15
    listed = pkg_server.get(f"/api/v1/packages/{bolted_report['package']['id']}/functions").json()
    names = {f["name"] for f in listed["items"]}
    assert {"min_preload", "max_preload", "tightening_torque", "bearing_pressure", "equivalent_stress"} <= names
    mp = function(pkg_server, bolted_report["package"]["id"], "max_preload")
    units = {p["name"]: p["type"].get("unit") for p in mp["inputs"]}
    assert units["d"] == "mm" and units["p"] == "mm"
    grade = mp["input_schema"]["properties"]["grade"]
    assert grade["enum"] == [8.8, 10.9, 12.9]
    outputs = {p["name"]: p["type"].get("unit") for p in mp["outputs"]}
    assert outputs["F0_max"] == "N" and outputs["sigma_eq"] == "MPa"


@pytest.mark.deadline(180)
def test_versions_only_go_up_and_the_report_says_what_changed(pkg_server):
    files = {"mecapy.yml": manifest(name="versions-demo"), "demo.py": DEMO_MODULE}
    first_archive = zip_of(files)
    first = deploy(pkg_server, first_archive)
    assert first.status_code == 201, first.text
    package_id = first.json()["package"]["id"]
    assert first.headers["Location"] == f"/api/v1/packages/{package_id}"

    again = deploy(pkg_server, zip_of(files))
    assert again.status_code == 409 and again.json()["type"].endswith("#version-exists")

    same_code = dict(files, **{"mecapy.yml": manifest(name="versions-demo", version="1.0.1")})
    r = deploy(pkg_server, zip_of(same_code), package_id=package_id)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "new-version"
    assert [f["status"] for f in r.json()["functions"]] == ["unchanged"]

    lower = dict(files, **{"mecapy.yml": manifest(name="versions-demo", version="1.0.0-rc.1")})
    r = deploy(pkg_server, zip_of(lower))
    assert r.status_code == 409 and r.json()["type"].endswith("#version-not-increasing"), r.text

    wrong = deploy(pkg_server, zip_of({"mecapy.yml": manifest(name="other-name", version="2.0.0"),
                                       "demo.py": DEMO_MODULE}), package_id=package_id)
    assert wrong.status_code == 422 and wrong.json()["type"].endswith("#package-name-mismatch")

    versions = pkg_server.get(f"/api/v1/packages/{package_id}/versions").json()["items"]
    assert [v["version"] for v in versions] == ["1.0.1", "1.0.0"]
    assert versions[1]["archive_sha256"] == hashlib.sha256(first_archive).hexdigest()


@pytest.mark.deadline(180)
def test_unchanged_functions_are_reported_unchanged(pkg_server):
    def archive(version, module):
        return zip_of({"mecapy.yml": manifest(name="unchanged-demo", version=version, functions="""
          area:
            handler: demo:area
            inputs: {d: {type: Length, unit: mm}}
          other:
            handler: demo:other
            inputs: {x: Float}
        """), "demo.py": module})
    module = textwrap.dedent(DEMO_MODULE) + "\ndef other(x):\n    return {'y': x}\n"
    assert deploy(pkg_server, archive("1.0.0", module)).status_code == 201
    # Only the manifest's version changed: the functions are the same.
    r = deploy(pkg_server, archive("1.1.0", module))
    assert r.status_code == 201, r.text
    assert {f["status"] for f in r.json()["functions"]} == {"unchanged"}
    # Any change of the code changes every function of the tree.
    r = deploy(pkg_server, archive("1.2.0", module + "\n# a comment\n"))
    assert {f["status"] for f in r.json()["functions"]} == {"updated"}


@pytest.mark.deadline(180)
def test_inputs_come_from_the_signature_when_not_declared(pkg_server):
    module = '''
        from typing import Annotated, Literal

        def area(d: Annotated[float, {"unit": "mm", "minimum": 1}], grade: Literal[8.8, 10.9] = 8.8,
                 count: int = 2) -> dict:
            """Area of a bolt.

            Longer text."""
            return {"a": d * d * count}
    '''
    r = deploy(pkg_server, zip_of({"mecapy.yml": manifest(name="signature-demo", functions="""
      area:
        handler: demo:area
    """), "demo.py": module}))
    assert r.status_code == 201, r.text
    f = function(pkg_server, r.json()["package"]["id"], "area")
    assert f["description"] == "Area of a bolt."
    inputs = {p["name"]: p for p in f["inputs"]}
    assert inputs["d"]["type"]["quantity"] == "Length" and inputs["d"]["type"]["unit"] == "mm"
    assert inputs["d"]["minimum"] == 1 and inputs["d"]["required"] is True
    assert inputs["grade"]["default"] == 8.8 and inputs["grade"]["required"] is False
    assert inputs["count"]["default"] == 2
    assert f["input_schema"]["required"] == ["d"]


@pytest.mark.deadline(180)
def test_declared_inputs_are_checked_against_the_signature(pkg_server):
    r = deploy(pkg_server, zip_of({"mecapy.yml": manifest(name="mismatch-demo", functions="""
      area:
        handler: demo:area
        inputs:
          diameter: {type: Length, unit: mm}
    """), "demo.py": DEMO_MODULE}))
    assert r.status_code == 422, r.text
    messages = [e["message"] for e in r.json()["errors"]]
    assert any("input 'diameter' is not a parameter" in m for m in messages), messages
    assert any("parameter 'd' has no default and is not declared" in m for m in messages), messages


@pytest.mark.deadline(180)
def test_an_import_error_fails_the_deploy_with_the_traceback(pkg_server):
    module = "import math\n\ndef helper():\n    pass\n\nraise RuntimeError('broken at import')\n"
    r = deploy(pkg_server, zip_of({"mecapy.yml": manifest(name="broken-demo"), "demo.py": module}))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"].endswith("#import-error")
    assert "RuntimeError" in body["detail"] and "broken at import" in body["detail"]
    assert "demo.py" in body["detail"]
    assert pkg_server.get("/api/v1/packages", params={"search": "broken-demo"}).json()["total"] == 0


@pytest.mark.deadline(180)
def test_a_failing_test_case_rejects_the_version_when_fail_on_error(pkg_server):
    cases = "- name: wrong\n  inputs: {d: 2}\n  expected: {a: {approx: 4.0, rel_tol: 1.0e-9}}\n" \
            "- name: right\n  inputs: {d: {value: 0.2, unit: cm}}\n  expected: {a: {approx: 3.141592653589793}}\n"
    extra = "\nquality:\n  validation_testcases: {on_deployment: true, fail_on_error: true}\n"
    functions = DEMO_FUNCTIONS + "        testcases: tests/area.yaml\n"
    files = {"mecapy.yml": manifest(name="tested-demo", functions=functions, extra=extra),
             "demo.py": DEMO_MODULE, "tests/area.yaml": cases}
    r = deploy(pkg_server, zip_of(files))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"].endswith("#testcases-failed") and body["failed"] == 1 and body["passed"] == 1
    results = body["test_results"]["area"]
    assert [c["passed"] for c in results] == [False, True]
    assert pkg_server.get("/api/v1/packages", params={"search": "tested-demo"}).json()["total"] == 0

    # Without fail_on_error the version is published, with the results recorded.
    files["mecapy.yml"] = manifest(name="tested-demo", functions=functions,
                                   extra=extra.replace("fail_on_error: true", "fail_on_error: false"))
    r = deploy(pkg_server, zip_of(files))
    assert r.status_code == 201, r.text
    assert r.json()["tests"] == {"ran": True, "passed": 1, "failed": 1}
    f = function(pkg_server, r.json()["package"]["id"], "area")
    assert [c["passed"] for c in f["test_results"]] == [False, True]


@pytest.mark.deadline(180)
def test_hosted_format_manifest_deploys_with_warnings(pkg_server):
    hosted = '''
        version: "1"
        package:
          name: hosted-demo
          version: 0.3.0-beta.2
          description: Written for the hosted service
          license: Apache-2.0
          tags: [demo]
        runtime: {kind: python, version: "3.12", requirements: true}
        norme: NF E25-030-1
        tests: {coverage: 90}
        functions:
          check:
            handler: pkg.calc:check
            inputs:
              load: {type: "{F: Force3, M: Moment3}"}
              grade: {type: "literal[8.8, 10.9]", default: 10.9}
              lengths: {type: "list[Length]", unit: mm, required: false}
            outputs:
              ok: {type: Boolean}
            testcases: tests/check.json
        quality:
          validation_testcases: {on_deployment: true, fail_on_error: true}
    '''
    module = '''
        def check(load, grade=10.9, lengths=None):
            return {"ok": load["F"][0] < 1000 and grade > 9}
    '''
    cases = '{"function": "check", "test_cases": [' \
            '{"name": "ok", "inputs": {"load": {"F": [1, 2, 3], "M": [0, 0, 0]}}, "expected_outputs": {"ok": true}},' \
            '{"name": "bad load", "inputs": {"load": {"F": [1, 2]}}, "expected_exception": "TypeError"}]}'
    r = deploy(pkg_server, zip_of({"mecapy.yml": hosted, "pkg/__init__.py": "", "pkg/calc.py": module,
                                   "tests/check.json": cases}))
    # The second case has invalid inputs (F needs 3 items, M missing): it fails
    # without running, and fail_on_error refuses the version.
    assert r.status_code == 422, r.text
    results = r.json()["test_results"]["check"]
    assert results[0]["passed"] is True and results[1]["passed"] is False
    assert results[1]["error"]["type"] == "InvalidTestCase"

    fixed = cases.replace('{"F": [1, 2]}', '{"F": [1, 2, "x"], "M": [0, 0, 0]}')
    r = deploy(pkg_server, zip_of({"mecapy.yml": hosted.replace("fail_on_error: true", "fail_on_error: false"),
                                   "pkg/__init__.py": "", "pkg/calc.py": module, "tests/check.json": fixed}))
    assert r.status_code == 201, r.text
    report = r.json()
    messages = " | ".join(w["message"] for w in report["warnings"])
    assert "unknown top-level key 'norme'" in messages and "unknown top-level key 'tests'" in messages
    assert "Python 3.12" in messages
    assert any("requirements" in n for n in report["notes"])
    f = function(pkg_server, report["package"]["id"], "check")
    load = f["input_schema"]["properties"]["load"]
    assert load["properties"]["F"]["minItems"] == 3 and load["properties"]["M"]["items"]["x-unit"] == "N.m"
    assert f["interpreter"]["version"].startswith("3.11")


@pytest.mark.deadline(120)
def test_packages_list_filter_and_owner_changes(pkg_server, fixtures_report):
    listed = pkg_server.get("/api/v1/packages", params={"tag": "fixtures"}).json()
    assert [p["name"] for p in listed["items"]] == ["fixtures"]
    assert pkg_server.get("/api/v1/packages", params={"search": "FIXT"}).json()["total"] == 1
    package_id = fixtures_report["package"]["id"]

    r = pkg_server.request("PATCH", f"/api/v1/packages/{package_id}", json={"visibility": "internal"})
    assert r.status_code == 200 and r.json()["visibility"] == "internal"
    r = pkg_server.request("PATCH", f"/api/v1/packages/{package_id}", json={"visibility": "everyone"})
    assert r.status_code == 422
    r = pkg_server.request("PATCH", f"/api/v1/packages/{package_id}", json={"archived": True})
    assert r.json()["archived"] is True
    assert pkg_server.get("/api/v1/packages", params={"tag": "fixtures"}).json()["total"] == 0
    assert pkg_server.get("/api/v1/packages", params={"tag": "fixtures", "archived": "true"}).json()["total"] == 1
    pkg_server.request("PATCH", f"/api/v1/packages/{package_id}", json={"archived": False, "visibility": "public"})

    r = pkg_server.request("PATCH", f"/api/v1/packages/{package_id}/versions/1.0.0", json={"yanked": True})
    assert r.status_code == 200 and r.json()["yanked"] is True
    assert pkg_server.get(f"/api/v1/packages/{package_id}").json()["latest_version"] == ""
    assert pkg_server.get(f"/api/v1/packages/{package_id}/versions").json()["items"] == []
    # Pinned, a yanked version is still there.
    assert function(pkg_server, package_id, "noop", version="1.0.0")["name"] == "noop"
    r = pkg_server.request("PATCH", f"/api/v1/packages/{package_id}/versions/1.0.0", json={"yanked": False})
    assert pkg_server.get(f"/api/v1/packages/{package_id}").json()["latest_version"] == "1.0.0"


def test_type_catalog_is_public_and_lists_the_quantities(pkg_server):
    r = pkg_server.get("/api/v1/types/catalog")
    assert r.status_code == 200
    text = r.text
    for name in ["Length", "Force", "Moment", "Stress", "Temperature", "Stiffness", "Torsor", "Vector3"]:
        assert f'"{name}"' in text, name
