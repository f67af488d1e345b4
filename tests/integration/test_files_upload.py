"""Files API, uploads: multipart and raw bodies round-trip byte-exactly, several files
in one request, the refusals (malformed form, missing name, no file), and the two
limits (per file and per user quota) refusing with nothing left behind — no row in
the metadata store, no blob file, no half-written upload."""
import json

import pytest

from support import StoreView, assert_problem, multipart_body, run_mecapyd, sha256_hex, stream_request

FILE_FIELDS = {"id", "filename", "original_filename", "size", "sha256", "content_type", "created_at"}

# Every byte value, CRLFs, and lines that look like (but are not) the boundary.
TRICKY = bytes(range(256)) * 3 + b"\r\n------mecapy-test-boundary-7d1\r\n--\r\n\r\n" + b"\x00" * 100 + b"\r"


def pattern(n, seed=1):
    """n deterministic, non-repeating-looking bytes."""
    block = bytes((i * 31 + seed * 7) & 0xFF for i in range(4096))
    return (block * (n // len(block) + 1))[:n]


def upload_raw(server, name, data, content_type="application/octet-stream", **kw):
    return server.request("POST", "/api/v1/files", params={"filename": name}, data=data,
                          headers={"Content-Type": content_type}, **kw)


def upload_form(server, parts, **kw):
    ctype, body = multipart_body(parts)
    return server.request("POST", "/api/v1/files", data=body, headers={"Content-Type": ctype}, **kw)


def download(server, file_id, **kw):
    return server.get(f"/api/v1/files/{file_id}/content", **kw)


def check_file_object(doc, data, filename, content_type):
    assert FILE_FIELDS <= doc.keys(), doc
    assert doc["size"] == len(data)
    assert doc["sha256"] == sha256_hex(data)
    assert doc["filename"] == filename
    assert doc["content_type"] == content_type
    assert doc["created_at"].endswith("Z") and "T" in doc["created_at"], doc["created_at"]


def test_multipart_upload_round_trips_byte_exactly(servers):
    s = servers.start()
    r = upload_form(s, [("file", "mesh.stl", "model/stl", TRICKY)])
    assert r.status_code == 201, r.text
    doc = r.json()
    check_file_object(doc, TRICKY, "mesh.stl", "model/stl")
    assert r.headers["Location"] == f"/api/v1/files/{doc['id']}"
    assert s.get(r.headers["Location"]).json() == doc

    got = download(s, doc["id"])
    assert got.status_code == 200
    assert got.content == TRICKY
    assert got.headers["Content-Type"] == "model/stl"
    assert int(got.headers["Content-Length"]) == len(TRICKY)

    view = StoreView(s.data_dir)
    assert view.file_rows() == [(doc["id"], "mesh.stl", len(TRICKY), sha256_hex(TRICKY), sha256_hex(TRICKY))]
    assert view.blob_path(doc["sha256"]).read_bytes() == TRICKY
    assert view.tmp_files() == []


def test_raw_upload_round_trips_byte_exactly(servers):
    s = servers.start()
    data = pattern(3 * 1024 * 1024 + 17)
    r = upload_raw(s, "loads.csv", data, "text/csv; charset=utf-8")
    assert r.status_code == 201, r.text
    doc = r.json()
    check_file_object(doc, data, "loads.csv", "text/csv")
    got = download(s, doc["id"])
    assert got.status_code == 200 and got.content == data
    assert StoreView(s.data_dir).blob_path(doc["sha256"]).stat().st_size == len(data)


def test_raw_upload_with_chunked_body(servers):
    s = servers.start()
    data = pattern(300_000, seed=5)
    chunks = [data[i:i + 7000] for i in range(0, len(data), 7000)]
    r, _ = stream_request(s, "POST", "/api/v1/files?filename=chunked.bin",
                          {"Content-Type": "application/octet-stream"}, chunks)
    assert r.status == 201, r
    doc = r.json()
    assert doc["size"] == len(data) and doc["sha256"] == sha256_hex(data)
    assert download(s, doc["id"]).content == data


def test_empty_file_is_a_file(servers):
    s = servers.start()
    r = upload_raw(s, "empty.txt", b"", "text/plain")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["size"] == 0 and doc["sha256"] == sha256_hex(b"")
    got = download(s, doc["id"])
    assert got.status_code == 200 and got.content == b""


def test_several_files_in_one_request(servers):
    s = servers.start()
    a, b, c = pattern(10_000, 1), pattern(70_000, 2), b"third"
    r = upload_form(s, [("file", "a.bin", "application/octet-stream", a),
                        ("note", None, None, b"a plain field is not a file"),
                        ("file", "b.dat", None, b),
                        ("other", "c.txt", "text/plain", c)])
    assert r.status_code == 201, r.text
    assert "Location" not in r.headers
    files = r.json()["files"]
    assert [f["filename"] for f in files] == ["a.bin", "b.dat", "c.txt"]
    for f, data in zip(files, (a, b, c)):
        assert f["size"] == len(data) and f["sha256"] == sha256_hex(data)
        assert download(s, f["id"]).content == data
    assert files[1]["content_type"] == "application/octet-stream"
    assert len({f["id"] for f in files}) == 3
    listed = s.get("/api/v1/files").json()
    assert listed["total"] == 3
    assert len(StoreView(s.data_dir).blob_files()) == 3


def test_get_and_delete_unknown_file_is_404(servers):
    s = servers.start()
    for method, path in (("GET", "/api/v1/files/nope"), ("GET", "/api/v1/files/nope/content"),
                         ("DELETE", "/api/v1/files/nope")):
        assert_problem(s.request(method, path), 404, "file-not-found")


def test_delete_removes_file_and_content(servers):
    s = servers.start()
    doc = upload_raw(s, "gone.bin", b"short-lived").json()
    view = StoreView(s.data_dir)
    assert view.blob_path(doc["sha256"]).exists()
    r = s.request("DELETE", f"/api/v1/files/{doc['id']}")
    assert r.status_code == 204 and r.content == b""
    assert_problem(s.get(f"/api/v1/files/{doc['id']}"), 404, "file-not-found")
    assert_problem(s.request("DELETE", f"/api/v1/files/{doc['id']}"), 404, "file-not-found")
    view.assert_empty()


# --- refusals --------------------------------------------------------------------


def test_multipart_without_boundary_is_400(servers):
    s = servers.start()
    r = s.request("POST", "/api/v1/files", data=b"--x\r\n", headers={"Content-Type": "multipart/form-data"})
    assert_problem(r, 400, "malformed-multipart")
    StoreView(s.data_dir).assert_empty()


def test_truncated_multipart_stores_nothing(servers):
    s = servers.start()
    ctype, body = multipart_body([("file", "a.bin", None, b"A" * 5000), ("file", "b.bin", None, b"B" * 5000)])
    cut = body[: body.index(b"B" * 100)]  # the first part is complete, the closing boundary never comes
    r = s.request("POST", "/api/v1/files", data=cut, headers={"Content-Type": ctype})
    assert_problem(r, 400, "malformed-multipart")
    StoreView(s.data_dir).assert_empty()


def test_raw_upload_without_filename_is_400(servers):
    s = servers.start()
    for params in ({}, {"filename": ""}):
        r = s.request("POST", "/api/v1/files", params=params, data=b"data",
                      headers={"Content-Type": "application/octet-stream"})
        doc = assert_problem(r, 400, "missing-filename")
        assert "filename" in doc["detail"]
    StoreView(s.data_dir).assert_empty()


def test_form_without_file_is_400(servers):
    s = servers.start()
    r = upload_form(s, [("title", None, None, b"no file here")])
    assert_problem(r, 400, "no-file")
    StoreView(s.data_dir).assert_empty()


def test_oversized_raw_file_is_413_and_leaves_nothing(servers):
    s = servers.start("--max-file-size", "64KiB")
    ok = upload_raw(s, "fits.bin", pattern(64 * 1024))
    assert ok.status_code == 201, ok.text  # exactly at the limit
    view = StoreView(s.data_dir)
    before = (view.file_rows(), view.blob_rows(), view.blob_files())

    data = pattern(1024 * 1024, seed=3)
    r, _ = stream_request(s, "POST", "/api/v1/files?filename=big.bin",
                          {"Content-Type": "application/octet-stream"},
                          [data[i:i + 16384] for i in range(0, len(data), 16384)], content_length=len(data))
    doc = assert_problem(r, 413, "file-too-large")
    assert "65536" in doc["detail"] and "max_file_size" in doc["detail"]
    assert (view.file_rows(), view.blob_rows(), view.blob_files()) == before
    assert view.tmp_files() == []
    assert s.get("/api/v1/files").json()["total"] == 1


def test_oversized_multipart_file_is_413_and_leaves_nothing(servers):
    s = servers.start("--max-file-size", "64KiB")
    ctype, body = multipart_body([("file", "big.bin", None, pattern(200_000))])
    r = s.request("POST", "/api/v1/files", data=body, headers={"Content-Type": ctype})
    assert_problem(r, 413, "file-too-large")
    StoreView(s.data_dir).assert_empty()


def test_multipart_whose_second_file_is_too_large_stores_nothing(servers):
    s = servers.start("--max-file-size", "64KiB")
    first = pattern(50_000, seed=9)
    ctype, body = multipart_body([("file", "first.bin", None, first),
                                  ("file", "second.bin", None, pattern(300_000, seed=4)),
                                  ("file", "third.bin", None, b"never reached")])
    r, _ = stream_request(s, "POST", "/api/v1/files", {"Content-Type": ctype},
                          [body[i:i + 8192] for i in range(0, len(body), 8192)], content_length=len(body))
    assert_problem(r, 413, "file-too-large")
    view = StoreView(s.data_dir)
    view.assert_empty()
    assert not view.blob_path(sha256_hex(first)).exists()
    assert s.get("/api/v1/files").json()["total"] == 0
    # The server is fine afterwards and the first file alone is accepted.
    again = upload_form(s, [("file", "first.bin", None, first)])
    assert again.status_code == 201 and again.json()["sha256"] == sha256_hex(first)


def test_quota_refuses_with_nothing_left_behind(servers):
    s = servers.start("--user-quota", "100KiB", "--max-file-size", "1MiB")
    view = StoreView(s.data_dir)
    first = upload_raw(s, "first.bin", pattern(60 * 1024, seed=1))
    assert first.status_code == 201, first.text
    snapshot = (view.file_rows(), view.blob_rows(), view.blob_files())

    # Refused mid-body: the second file would cross the quota while streaming.
    data = pattern(60 * 1024, seed=2)
    r, _ = stream_request(s, "POST", "/api/v1/files?filename=second.bin",
                          {"Content-Type": "application/octet-stream"},
                          [data[i:i + 4096] for i in range(0, len(data), 4096)], content_length=len(data))
    doc = assert_problem(r, 413, "quota-exceeded")
    assert "102400" in doc["detail"]
    assert (view.file_rows(), view.blob_rows(), view.blob_files()) == snapshot
    assert view.tmp_files() == []

    # The same through a form.
    r = upload_form(s, [("file", "second.bin", None, data)])
    assert_problem(r, 413, "quota-exceeded")
    assert (view.file_rows(), view.blob_rows(), view.blob_files()) == snapshot

    # Exactly filling the quota is allowed; after that even one byte is refused.
    fill = upload_raw(s, "fill.bin", pattern(40 * 1024, seed=3))
    assert fill.status_code == 201, fill.text
    full = (view.file_rows(), view.blob_rows(), view.blob_files())
    assert_problem(upload_raw(s, "one.bin", b"x"), 413, "quota-exceeded")
    assert (view.file_rows(), view.blob_rows(), view.blob_files()) == full

    # Deleting gives the space back.
    assert s.request("DELETE", f"/api/v1/files/{first.json()['id']}").status_code == 204
    assert upload_raw(s, "second.bin", data).status_code == 201


@pytest.mark.parametrize("option", ["--max-file-size", "--user-quota"])
def test_invalid_limit_stops_start_up_naming_it(servers, option):
    done = run_mecapyd("serve", "--listen", "127.0.0.1:0", "--data-dir", servers.new_dir(), option, "12 parsecs")
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert option in done.stderr and "12 parsecs" in done.stderr


def test_file_object_is_json_with_stable_fields(servers):
    s = servers.start()
    r = upload_raw(s, "report.pdf", b"%PDF-1.7 fake", "application/pdf")
    doc = json.loads(r.content)
    assert set(doc) == FILE_FIELDS
    assert doc["original_filename"] == "report.pdf"
