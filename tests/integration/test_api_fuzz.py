"""API fuzzing: schemathesis (property-based tests generated from /openapi.json) against
a live mecapyd with the example packages deployed. Every operation of the document is
exercised with generated valid and invalid requests, and every answer must be: no 5xx,
a documented status code, a documented content type, a body that validates against the
documented schema. Then the findings it made once, pinned as ordinary tests.

Bounded in time: a fixed number of generated cases per operation and phase, one worker,
and an overall deadline past which the run is stopped and the test fails (about a minute
is expected on 2 cores). The seed is fixed so a CI run is reproducible: the generated
cases follow from it; the stateful phase also follows the server's answers (fresh ids
each run). A failure prints the request to replay it. FUZZ_SEED and FUZZ_MAX_EXAMPLES
explore further by hand; the full report is left in the test's tmp_path (report.txt).

No operation is excluded: the API has no shutdown-like route, and what is destructive
(deleting files, archiving a package, yanking a version) only touches this module's own
throwaway server, whose later answers must conform all the same.
"""
import json
import os
import re
import subprocess
import sys
import time

import pytest

from packages_support import deploy_examples, sandbox_args
from support import assert_problem

SEED = int(os.environ.get("FUZZ_SEED", "20251201"))
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "150"))
RUN_DEADLINE_SECONDS = 180
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")


@pytest.fixture(scope="module")
def fuzz_server(module_servers):
    # A short synchronous wait: a generated request that makes a function run long
    # gets its 202 quickly instead of holding the fuzzer.
    server = module_servers.start(*sandbox_args(), "--max-sync-wait", "3s")
    deploy_examples(server, "fixtures", "bolted-joint")
    return server


def known_identifiers(server):
    """Real identifiers, so generated requests reach past the 404s: the packages, their
    functions, versions and function versions, a job with an output file, an upload."""
    packages = server.get("/api/v1/packages").json()["items"]
    ids = {"package": [p["id"] for p in packages], "function": [], "version": [], "function_version": []}
    for p in packages:
        for f in server.get(f"/api/v1/packages/{p['id']}/functions").json()["items"]:
            ids["function"].append(f["name"])
            ids["function_version"].append(f["id"])
        ids["version"].append(p["latest_version"])
    fixtures = next(p["id"] for p in packages if p["name"] == "fixtures")
    job = server.request("POST", f"/api/v1/packages/{fixtures}/functions/write_report/execute",
                         json={"inputs": {"title": "fuzz"}}, timeout=60).json()
    assert job["status"] == "completed", job
    ids["job"] = [job["job_id"]]
    ids["job_file"] = [f["name"] for f in job["output_files"]]
    upload = server.request("POST", "/api/v1/files", files={"file": ("seed.csv", b"a,b\n1,2\n")})
    ids["file"] = [upload.json()["id"]]
    return {name: sorted(set(values)) for name, values in ids.items()}


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def write_config(path, ids):
    """schemathesis.toml: the checks, the bounds, and dictionaries of real identifiers
    that replace a generated path parameter half of the time (the other half stays
    generated, so the not-found paths are fuzzed too)."""
    bindings = {  # operations (by path) -> {path parameter: dictionary}
        r"^/api/v1/packages/\{id\}": {"id": "package", "name": "function", "version": "version"},
        r"^/api/v1/function-versions/": {"id": "function_version"},
        r"^/api/v1/jobs/\{id\}": {"id": "job", "name": "job_file"},
        r"^/api/v1/files/\{id\}": {"id": "file"},
    }
    lines = [
        f"seed = {SEED}",
        "workers = 1",
        "continue-on-failure = true",
        "request-timeout = 30",
        "[cache]", "enabled = false",
        "[generation]", f"max-examples = {MAX_EXAMPLES}", 'database = "none"',
        "[checks]", "enabled = false",
        *(f"{check}.enabled = true" for check in CHECKS),
    ]
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_list(values)}"]
    for regex, parameters in bindings.items():
        table = ", ".join(f'"path.{p}" = {{ dictionary = "{d}", probability = 0.5 }}' for p, d in parameters.items())
        lines += ["[[operations]]", f"include-path-regex = {json.dumps(regex)}", f"parameters = {{ {table} }}"]
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.deadline(RUN_DEADLINE_SECONDS + 60)
def test_every_answer_conforms_to_the_document(fuzz_server, tmp_path):
    write_config(tmp_path / "schemathesis.toml", known_identifiers(fuzz_server))
    # The document the server serves, read from a file: loaded from its URL, schemathesis
    # would leave GET /openapi.json itself out.
    document = fuzz_server.get("/openapi.json").json()
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    command = [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
               "run", "openapi.json", "--url", fuzz_server.url(""), "--no-color",
               "--header", f"Authorization: Bearer {fuzz_server.token}"]
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_DEADLINE_SECONDS)
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        pytest.fail(f"schemathesis did not finish within {RUN_DEADLINE_SECONDS}s:\n{output[-5000:]}")
    elapsed = time.monotonic() - started
    report = done.stdout + done.stderr
    (tmp_path / "report.txt").write_text(report)
    assert done.returncode == 0, f"schemathesis found problems (seed {SEED}, {elapsed:.0f}s):\n{report}"
    operations = sum(1 for item in document["paths"].values()
                     for method in item if method in ("get", "put", "post", "delete", "patch"))
    assert re.search(rf"Tested: {operations}\b", report), report
    assert fuzz_server.alive(), fuzz_server.stderr()
    print(f"schemathesis: seed {SEED}, {MAX_EXAMPLES} examples per operation, {elapsed:.0f}s\n"
          + "\n".join(report.splitlines()[-12:]))


# --- What the fuzzing found in the server, pinned (the document's findings are the run above) ---


@pytest.fixture(scope="module")
def pinned_server(module_servers):
    server = module_servers.start(*sandbox_args())
    deploy_examples(server, "fixtures")
    return server


def run_sleep(server, seconds, timeout_s):
    return server.request("POST", "/api/v1/packages/admin%2Ffixtures/functions/sleep/execute",
                          json={"inputs": {"seconds": seconds}, "timeout_s": timeout_s, "no_cache": True}, timeout=60)


@pytest.mark.deadline(120)
def test_timeout_s_is_any_json_integer(pinned_server):
    # JSON Schema's integer includes 1.0; it used to be refused (400) as not whole.
    r = run_sleep(pinned_server, 30, 1.0)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "timeout"
    r = run_sleep(pinned_server, 0, 1e300)
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text
    for refused in (1.5, 0, -3, "10", True):
        r = run_sleep(pinned_server, 0, refused)
        assert r.status_code == 400 and "timeout_s" in r.json()["detail"], (refused, r.text)


@pytest.mark.deadline(120)
def test_a_timeout_s_beyond_32_bits_does_not_wrap_around(pinned_server):
    # 2**32 + 1 was cut to 32 bits on its way to the sandbox: a 1 s limit.
    r = run_sleep(pinned_server, 1.5, 2 ** 32 + 1)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed", r.json()


def test_flags_in_the_query_are_true_false_1_or_0(pinned_server):
    # Anything else used to be read as "no" (archived, include_yanked) or as "yes"
    # (verify): now it is refused, so a misspelt flag is seen.
    package = pinned_server.get("/api/v1/packages").json()["items"][0]["id"]
    upload = pinned_server.request("POST", "/api/v1/files", files={"file": ("a.txt", b"abc")}).json()
    targets = ("/api/v1/packages?archived={}", f"/api/v1/packages/{package}/versions?include_yanked={{}}",
               f"/api/v1/files/{upload['id']}/content?verify={{}}")
    for target in targets:
        for accepted in ("true", "false", "1", "0"):
            assert pinned_server.get(target.format(accepted)).status_code == 200, (target, accepted)
        for refused in ("null", "yes", "", "TRUE"):
            doc = assert_problem(pinned_server.get(target.format(refused)), 400, "invalid-query")
            assert "must be true or false" in doc["detail"], doc
