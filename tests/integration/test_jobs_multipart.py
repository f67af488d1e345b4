"""POST .../execute as multipart/form-data: the JSON of the call in the part `request`,
each file input uploaded in a part named after the input. The uploads become files of
the caller, stored as POST /api/v1/files stores them, and the job reads them; a call
refused before its job is queued leaves no file and no blob behind, whether it is
refused while the form arrives, once it is in, or by the submission itself."""
import json

import pytest

from packages_support import EXAMPLES, deploy, directory_files, manifest, sandbox_args, zip_of
from support import StoreView, assert_problem, multipart_body, poll, sha256_hex

KiB = 1024
MAX_FILE = 64 * KiB

# Two file inputs, one restricted to .csv, and a number beside them.
PAIR_FUNCTIONS = """
      pair:
        handler: pair:pair
        inputs:
          drawing: {type: "File[csv]"}
          notes: {type: File}
          scale: {type: Float}
        outputs:
          drawing_sha256: {type: String}
          notes_size: {type: Integer}
          scaled: {type: Float}
"""

PAIR_MODULE = """
    import hashlib
    from pathlib import Path


    def pair(drawing: Path, notes: Path, scale: float) -> dict:
        return {"drawing_sha256": hashlib.sha256(Path(drawing).read_bytes()).hexdigest(),
                "notes_size": len(Path(notes).read_bytes()), "scaled": 2.0 * scale}
"""


@pytest.fixture(scope="module")
def server(module_servers):
    server = module_servers.start(*sandbox_args(), "--max-sync-wait", "20s", "--max-file-size", f"{MAX_FILE}B")
    r = deploy(server, zip_of(directory_files(EXAMPLES / "fixtures")))
    assert r.status_code == 201, r.text
    r = deploy(server, zip_of({"mecapy.yml": manifest(name="pair-demo", functions=PAIR_FUNCTIONS),
                               "pair.py": PAIR_MODULE}))
    assert r.status_code == 201, r.text
    return server


def path_of(function, package="fixtures"):
    return f"/api/v1/packages/admin%2F{package}/functions/{function}/execute"


def request_part(body):
    return ("request", None, "application/json", json.dumps(body).encode())


def send(server, function, parts, package="fixtures"):
    content_type, body = multipart_body(parts)
    return server.request("POST", path_of(function, package), data=body, headers={"Content-Type": content_type},
                          timeout=60)


class Stored:
    """What the caller and the store hold: files, blobs, jobs; compared before and after."""

    def __init__(self, server):
        view = StoreView(server.data_dir)
        self.files = server.get("/api/v1/files", params={"per_page": 100}).json()["total"]
        self.jobs = server.get("/api/v1/jobs", params={"per_page": 1}).json()["total"]
        self.file_rows = len(view.file_rows())
        self.blob_rows = view.blob_rows()
        self.blob_files = view.blob_files()
        self.tmp_files = view.tmp_files()

    def __eq__(self, other):
        return vars(self) == vars(other)

    def __repr__(self):
        return repr(vars(self))


@pytest.mark.deadline(120)
def test_a_file_uploaded_with_the_call_is_the_jobs_input_and_a_file_of_the_caller(server):
    content = b"line 1\nline 2\nline 3\n"
    r = send(server, "file_info", [request_part({"no_cache": True}), ("file", "../in/part.csv", "text/csv", content)])
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "completed", job
    assert job["outputs"] == {"size": len(content), "sha256": sha256_hex(content), "lines": 3}
    (given,) = job["input_files"]
    assert given["var"] == "file" and given["sha256"] == sha256_hex(content)
    # Stored as POST /api/v1/files stores it: the file-name rules, the content type.
    stored = server.get(f"/api/v1/files/{given['file_id']}").json()
    assert stored["filename"] == "part.csv" and stored["original_filename"] == "../in/part.csv"
    assert stored["size"] == len(content) and stored["content_type"] == "text/csv"
    assert server.get(f"/api/v1/files/{given['file_id']}/content").content == content


@pytest.mark.deadline(120)
def test_parts_come_in_any_order_beside_files_given_by_id_and_async_answers_202(server):
    drawing = b"x,y\n1,2\n"
    notes = b"n" * 1000
    notes_id = server.request("POST", "/api/v1/files", files={"file": ("notes.txt", notes)}).json()["id"]
    r = send(server, "pair", [("drawing", "drawing.CSV", None, drawing),
                              request_part({"inputs": {"scale": 1.5}, "files": {"notes": notes_id}, "async": True,
                                            "no_cache": True})], package="pair-demo")
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/api/v1/jobs/{r.json()['job_id']}"
    job_url = f"/api/v1/jobs/{r.json()['job_id']}"
    job = poll(lambda: (j := server.get(job_url).json())["status"] not in ("pending", "running") and j, 30,
               interval=0.05, what="the job to end")
    assert job["status"] == "completed", job
    assert job["outputs"] == {"drawing_sha256": sha256_hex(drawing), "notes_size": 1000, "scaled": 3.0}
    assert {f["var"]: f["file_id"] == notes_id for f in job["input_files"]} == {"drawing": False, "notes": True}


@pytest.mark.deadline(120)
def test_the_same_upload_again_reuses_the_result(server):
    content = b"cache me\n" * 10
    parts = [request_part({}), ("file", "again.txt", None, content)]
    first = send(server, "file_info", parts).json()
    again = send(server, "file_info", parts).json()
    assert first["status"] == again["status"] == "completed"
    assert again["cached"] is True and again["outputs"] == first["outputs"]
    assert again["input_files"][0]["file_id"] != first["input_files"][0]["file_id"]


def refused(server, function, parts, status, problem, package="fixtures"):
    before = Stored(server)
    r = send(server, function, parts, package)
    doc = assert_problem(r, status, problem)
    assert Stored(server) == before
    return doc


@pytest.mark.deadline(120)
def test_a_form_without_the_request_part_is_refused(server):
    doc = refused(server, "file_info", [("file", "a.txt", None, b"a")], 400, "missing-request")
    assert "'request'" in doc["detail"]


@pytest.mark.deadline(120)
def test_a_part_for_an_input_the_function_does_not_have_is_refused(server):
    doc = refused(server, "file_info", [request_part({}), ("file", "a.txt", None, b"a"),
                                        ("drawing", "b.csv", None, b"b")], 422, "invalid-inputs")
    assert doc["errors"] == [{"pointer": "/drawing", "message": "the function has no input drawing"}]


@pytest.mark.deadline(120)
def test_a_file_for_an_input_that_is_not_a_file_is_refused(server):
    doc = refused(server, "pair", [request_part({"inputs": {"scale": 1}}), ("drawing", "a.csv", None, b"a"),
                                   ("notes", "n.txt", None, b"n"), ("scale", "s.txt", None, b"2")], 422,
                  "invalid-inputs", package="pair-demo")
    assert [e["pointer"] for e in doc["errors"]] == ["/scale"] and "not a file input" in doc["errors"][0]["message"]


@pytest.mark.deadline(120)
def test_a_file_given_both_by_id_and_as_a_part_is_refused(server):
    file_id = server.request("POST", "/api/v1/files", files={"file": ("a.txt", b"a")}).json()["id"]
    doc = refused(server, "file_info", [request_part({"files": {"file": file_id}}), ("file", "b.txt", None, b"b")],
                  400, "conflicting-file")
    assert "file" in doc["detail"]


@pytest.mark.deadline(120)
@pytest.mark.parametrize("parts, problem", [
    ([request_part({}), ("file", None, None, b"not a file")], "unexpected-part"),
    ([request_part({}), ("", "a.txt", None, b"a")], "unexpected-part"),
    ([request_part({}), ("file", "a.txt", None, b"a"), ("file", "b.txt", None, b"b")], "duplicate-part"),
    ([request_part({}), request_part({}), ("file", "a.txt", None, b"a")], "duplicate-part"),
    ([("request", None, "application/json", b"{not json"), ("file", "a.txt", None, b"a")], "malformed-json"),
    ([("request", None, "application/json", b"[1]"), ("file", "a.txt", None, b"a")], "invalid-body"),
    ([request_part({"async": "yes"}), ("file", "a.txt", None, b"a")], "invalid-body"),
], ids=["field-without-filename", "unnamed-file", "two-files-one-input", "two-requests", "request-not-json",
        "request-not-an-object", "request-invalid-member"])
def test_a_malformed_form_is_refused_with_what_to_fix(server, parts, problem):
    refused(server, "file_info", parts, 400, problem)


@pytest.mark.deadline(120)
def test_a_body_that_is_not_multipart_as_announced_is_refused(server):
    before = Stored(server)
    _, body = multipart_body([request_part({}), ("file", "a.txt", None, b"a" * 5000)])
    truncated = body[: len(body) - 30]  # no closing boundary: the end of the body comes first
    r = server.request("POST", path_of("file_info"), data=truncated,
                       headers={"Content-Type": "multipart/form-data; boundary=----mecapy-test-boundary-7d1f"})
    assert_problem(r, 400, "malformed-multipart")
    r = server.request("POST", path_of("file_info"), data=body, headers={"Content-Type": "multipart/form-data"})
    assert "boundary" in assert_problem(r, 400, "malformed-multipart")["detail"]
    assert Stored(server) == before


@pytest.mark.deadline(120)
def test_a_file_over_the_limit_is_refused_while_it_arrives(server):
    doc = refused(server, "file_info", [request_part({}), ("file", "big.bin", None, b"\0" * (MAX_FILE + 1))], 413,
                  "file-too-large")
    assert "big.bin" in doc["detail"]


@pytest.mark.deadline(120)
def test_an_unknown_function_or_version_stores_nothing(server):
    refused(server, "no_such_function", [request_part({}), ("file", "a.txt", None, b"a")], 404, "function-not-found")
    refused(server, "file_info", [request_part({"version": "9.9.9"}), ("file", "a.txt", None, b"a")], 404,
            "version-not-found")


@pytest.mark.deadline(120)
def test_uploads_of_a_call_refused_at_submission_are_deleted_again(server):
    # The files are recorded before the submission checks them: a wrong extension and
    # an invalid number are found then, and the recorded files are removed.
    doc = refused(server, "pair", [request_part({"inputs": {"scale": "large"}}), ("drawing", "drawing.step", None, b"d"),
                                   ("notes", "notes.txt", None, b"n")], 422, "invalid-inputs", package="pair-demo")
    assert [e["pointer"] for e in doc["errors"]] == ["/drawing"] and "csv" in doc["errors"][0]["message"]
    doc = refused(server, "pair", [request_part({"inputs": {"scale": "large"}}), ("drawing", "drawing.csv", None, b"d"),
                                   ("notes", "notes.txt", None, b"n")], 422, "invalid-inputs", package="pair-demo")
    assert [e["pointer"] for e in doc["errors"]] == ["/scale"]


@pytest.mark.deadline(120)
def test_the_json_form_names_a_non_file_input_given_in_files(server):
    file_id = server.request("POST", "/api/v1/files", files={"file": ("a.txt", b"a")}).json()["id"]
    r = server.request("POST", path_of("scale"), json={"inputs": {"factor": 2}, "files": {"force": file_id}})
    doc = assert_problem(r, 422, "invalid-inputs")
    assert doc["errors"] == [{"pointer": "/force", "message": "force is not a file input: give its value in inputs"}]
