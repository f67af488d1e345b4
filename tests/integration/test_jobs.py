"""Jobs through the API: execute synchronously and asynchronously, results with their
units, errors of the function, validation before queueing, output files, cancel of
pending and running jobs, the result cache (and functions that turn it off),
provenance — and bolted-joint end to end in mixed units. Every test runs twice: with
the embedded SQLite store and with a real PostgreSQL as the metadata store and queue."""
import hashlib
import io
import math
import time

import pytest

from packages_support import EXAMPLES, deploy, directory_files, manifest, sandbox_args, zip_of
from test_multi_instance import fresh_database

SLOTS = 2

# A function whose results must never be reused: each run draws a new token.
UNCACHED_FUNCTIONS = """
      token:
        handler: draws:token
        cache: false
        inputs: {}
        outputs:
          token: {type: String}
"""

UNCACHED_MODULE = """
    import uuid


    def token() -> dict:
        return {"token": uuid.uuid4().hex}
"""


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def jobs_server(request, module_servers):
    args = [*sandbox_args(), "--max-sync-wait", "20s", "--worker-slots", str(SLOTS)]
    if request.param == "postgres":
        args += ["--database-url", fresh_database(request.getfixturevalue("postgres"), "jobs_api")]
    server = module_servers.start(*args)
    for example in ("fixtures", "bolted-joint"):
        r = deploy(server, zip_of(directory_files(EXAMPLES / example)))
        assert r.status_code == 201, r.text
    r = deploy(server, zip_of({"mecapy.yml": manifest(name="uncached", functions=UNCACHED_FUNCTIONS),
                               "draws.py": UNCACHED_MODULE}))
    assert r.status_code == 201, r.text
    yield server
    server.stop()  # before the other database's server starts: one set of sandbox slots at a time


def execute(server, function, inputs=None, package="admin%2Ffixtures", **options):
    body = {"inputs": inputs or {}, **options}
    return server.request("POST", f"/api/v1/packages/{package}/functions/{function}/execute", json=body, timeout=60)


def wait_final(server, job_id, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        job = server.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] not in ("pending", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


@pytest.mark.deadline(120)
def test_a_synchronous_call_returns_the_outputs_with_their_units(jobs_server):
    r = execute(jobs_server, "scale", {"force": {"value": 2, "unit": "kN"}, "factor": 1.5}, no_cache=True)
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "completed"
    assert job["outputs"] == {"result": 3000.0}
    assert job["units"] == {"result": "N"}
    assert job["inputs"] == {"force": 2000.0, "factor": 1.5}
    assert job["cached"] is False and job["duration_ms"] > 0
    provenance = job["provenance"]
    assert provenance["package"] == "admin/fixtures" and provenance["version"] == "1.0.0"
    assert len(provenance["function_checksum"]) == 64 and provenance["interpreter"].startswith("3.")
    assert provenance["platform"] == jobs_server.get("/api/v1/instance").json()["version"]
    function = jobs_server.get("/api/v1/packages/admin%2Ffixtures/functions/scale").json()
    assert provenance["function_checksum"] == function["checksum"]
    assert job["worker_id"] and job["attempts"] == 1
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    listed = jobs_server.get("/api/v1/jobs", params={"function": "scale"}).json()
    assert job["job_id"] in [j["job_id"] for j in listed["items"]]


@pytest.mark.deadline(120)
def test_an_async_call_answers_202_then_the_job_completes(jobs_server):
    r = execute(jobs_server, "sleep", {"seconds": 0.3}, **{"async": True, "no_cache": True})
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/api/v1/jobs/{r.json()['job_id']}"
    job = wait_final(jobs_server, r.json()["job_id"])
    assert job["status"] == "completed" and job["outputs"] == {"slept": 0.3}
    result = jobs_server.get(f"/api/v1/jobs/{job['job_id']}/result").json()
    assert result["outputs"] == {"slept": 0.3} and result["units"] == {}


@pytest.mark.deadline(120)
def test_a_function_that_raises_gives_a_failed_job_with_the_python_error(jobs_server):
    r = execute(jobs_server, "fail", {"message": "bad load case"}, no_cache=True)
    assert r.status_code == 200, r.text
    job = r.json()
    # The sandbox ended normally (exit reason ok): the failure is the function's own.
    assert job["status"] == "failed" and job["exit_reason"] == "ok"
    assert job["error"]["type"] == "ValueError" and job["error"]["message"] == "bad load case"
    assert "fixtures/basic.py" in job["error"]["traceback"]


@pytest.mark.deadline(120)
def test_invalid_inputs_are_refused_before_anything_is_queued(jobs_server):
    before = jobs_server.get("/api/v1/jobs").json()["total"]
    r = execute(jobs_server, "bolt_area", {"d": {"value": 1, "unit": "kg"}})
    assert r.status_code == 422
    errors = {e["pointer"]: e["message"] for e in r.json()["errors"]}
    assert "'kg'" in errors["/d"] and "/p" in errors
    assert jobs_server.get("/api/v1/jobs").json()["total"] == before


@pytest.mark.deadline(120)
def test_a_timeout_is_reported_as_such(jobs_server):
    r = execute(jobs_server, "sleep", {"seconds": 30}, timeout_s=1, no_cache=True)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "timeout" and r.json()["exit_reason"] == "timeout"
    assert r.json()["error"]["type"] == "Timeout" and "1 s time limit" in r.json()["error"]["message"]


@pytest.mark.deadline(120)
def test_output_files_are_downloadable_with_their_sha256(jobs_server):
    job = execute(jobs_server, "write_report", {"title": "Bolted joint"}, no_cache=True).json()
    assert job["status"] == "completed", job
    (report,) = job["output_files"]
    r = jobs_server.get(report["url"])
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == report["sha256"] == r.headers["ETag"].strip('"')
    assert job["outputs"]["lines"] == r.content.decode().count("\n")


@pytest.mark.deadline(120)
def test_file_inputs_are_the_callers_files(jobs_server):
    content = b"line 1\nline 2\nline 3\n"
    uploaded = jobs_server.request("POST", "/api/v1/files", files={"file": ("part.csv", io.BytesIO(content))}).json()
    job = execute(jobs_server, "file_info", files={"file": uploaded["id"]}, no_cache=True).json()
    assert job["status"] == "completed", job
    assert job["outputs"] == {"size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "lines": 3}
    assert job["input_files"] == [{"var": "file", "file_id": uploaded["id"], "sha256": uploaded["sha256"]}]
    r = execute(jobs_server, "file_info", files={"file": "no-such-file"})
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/file"
    # Another upload of the same content is the same input: its result is reused.
    copy = jobs_server.request("POST", "/api/v1/files", files={"file": ("copy.csv", io.BytesIO(content))}).json()
    first = execute(jobs_server, "file_info", files={"file": uploaded["id"]}).json()
    again = execute(jobs_server, "file_info", files={"file": copy["id"]}).json()
    assert again["cached"] is True and again["outputs"] == first["outputs"], again
    assert again["input_files"][0]["file_id"] == copy["id"]


@pytest.mark.deadline(120)
def test_cancel_a_running_job(jobs_server):
    job = execute(jobs_server, "sleep", {"seconds": 20}, **{"async": True, "no_cache": True}).json()
    deadline = time.monotonic() + 20
    while jobs_server.get(f"/api/v1/jobs/{job['job_id']}").json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    r = jobs_server.request("POST", f"/api/v1/jobs/{job['job_id']}/cancel")
    assert r.status_code == 202
    final = wait_final(jobs_server, job["job_id"], timeout=20)
    assert final["status"] == "cancelled"
    assert final["duration_ms"] < 15000


@pytest.mark.deadline(120)
def test_cancel_a_pending_job_it_never_starts(jobs_server):
    sleepers = [execute(jobs_server, "sleep", {"seconds": 20}, **{"async": True, "no_cache": True}).json()
                for _ in range(SLOTS)]
    deadline = time.monotonic() + 20
    while any(jobs_server.get(f"/api/v1/jobs/{j['job_id']}").json()["status"] != "running" for j in sleepers):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    waiting = execute(jobs_server, "noop", **{"async": True, "no_cache": True}).json()
    assert waiting["status"] == "pending"  # every slot is busy
    r = jobs_server.request("POST", f"/api/v1/jobs/{waiting['job_id']}/cancel")
    assert r.status_code == 202 and r.json()["status"] == "cancelled"
    for j in sleepers:
        jobs_server.request("POST", f"/api/v1/jobs/{j['job_id']}/cancel")
    assert [wait_final(jobs_server, j["job_id"])["status"] for j in sleepers] == ["cancelled"] * SLOTS
    # Slots are free again, and the cancelled job still never ran.
    assert execute(jobs_server, "noop", no_cache=True).json()["status"] == "completed"
    final = jobs_server.get(f"/api/v1/jobs/{waiting['job_id']}").json()
    assert final["status"] == "cancelled" and final["exit_reason"] == "cancelled"
    assert final["attempts"] == 0 and final["started_at"] == "" and final["worker_id"] == ""
    assert final["outputs"] == {}


@pytest.mark.deadline(120)
def test_a_function_with_cache_false_runs_every_time(jobs_server):
    path = "admin%2Funcached"
    first = execute(jobs_server, "token", package=path).json()
    again = execute(jobs_server, "token", package=path).json()
    assert first["status"] == again["status"] == "completed", (first, again)
    assert first["cached"] is again["cached"] is False and again["cached_from"] is None
    assert first["outputs"]["token"] != again["outputs"]["token"]


@pytest.mark.deadline(120)
def test_identical_requests_reuse_the_result(jobs_server):
    inputs = {"d": 10, "p": 1.5}
    first = execute(jobs_server, "bolt_area", inputs).json()
    again = execute(jobs_server, "bolt_area", {"d": {"value": 1, "unit": "cm"}, "p": {"value": 1.5, "unit": "mm"}}).json()
    assert first["status"] == again["status"] == "completed"
    assert again["cached"] is True and again["cached_from"] in (first["job_id"], first["cached_from"])
    assert again["outputs"] == first["outputs"]
    assert again["job_id"] != first["job_id"]
    fresh = execute(jobs_server, "bolt_area", inputs, no_cache=True).json()
    assert fresh["cached"] is False
    expected = math.pi / 4 * (10 - 0.9382 * 1.5) ** 2
    assert fresh["outputs"]["area"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.deadline(180)
def test_bolted_joint_end_to_end_in_mixed_units(jobs_server):
    package = "admin%2Fbolted-joint"
    r = execute(jobs_server, "max_preload", {"d": {"value": 0.01, "unit": "m"}, "p": 1.5, "mu_th": 0.15},
                package=package, no_cache=True)
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "completed", job
    # M10x1.5, class 8.8 (Re = 640 MPa), 90 % of Re in von Mises with the thread torque.
    d, p, mu = 10.0, 1.5, 0.15
    d2, d3 = d - 0.6495 * p, d - 1.2269 * p
    ds = (d2 + d3) / 2
    area = math.pi / 4 * ds ** 2
    k = 0.16 * p + 0.583 * d2 * mu
    f0_max = 0.9 * 640 * area / math.sqrt(1 + 3 * (4 * k / ds) ** 2)
    assert job["outputs"]["F0_max"] == pytest.approx(f0_max, rel=1e-9)
    assert job["units"]["F0_max"] == "N" and job["units"]["sigma_eq"] == "MPa"
    # The job keeps the inputs as sent beside the converted ones (for the calculation
    # report), and who ran it; both come back the same when the job is read again.
    assert job["submitted_inputs"] == {"d": {"value": 0.01, "unit": "m"}, "p": 1.5, "mu_th": 0.15}
    assert job["inputs"]["d"] == 10.0 and job["owner"] == "admin"
    stored = jobs_server.get(f"/api/v1/jobs/{job['job_id']}").json()
    assert stored["submitted_inputs"] == job["submitted_inputs"] and stored["owner"] == "admin"
    torque = execute(jobs_server, "tightening_torque", {
        "d": 10, "p": {"value": 1.5, "unit": "mm"}, "dw": {"value": 1.6, "unit": "cm"}, "dh": 11,
        "F0_max": {"value": f0_max / 1000, "unit": "kN"}, "alpha_A": 1.6}, package=package, no_cache=True).json()
    assert torque["status"] == "completed", torque
    assert torque["units"]["C_max"] == "N.m"
    assert torque["outputs"]["C_min"] < torque["outputs"]["C_nominal"] < torque["outputs"]["C_max"]
