"""Files API on the S3 blob store, against a real S3-compatible server: the same
upload / download / Range / delete round-trip as the local store, a file large
enough for a multipart upload, and the S3 server stopped mid-test (503 problem+json,
no row left) then started again (uploads work again)."""
import hashlib

import pytest

from support import StoreView, assert_problem, multipart_body, poll, run_mecapyd, sha256_hex

MiB = 1024 * 1024
S3_ENV = {"AWS_ACCESS_KEY_ID": "mecapy-test", "AWS_SECRET_ACCESS_KEY": "mecapy-test-secret"}


def s3_location(peer, bucket):
    return f"s3://{bucket}?endpoint={peer.endpoint}&region=us-east-1&path_style=true&create_bucket=true"


def start_on_s3(servers, peer, bucket, *args):
    return servers.start("--blob-store", s3_location(peer, bucket), *args, env=S3_ENV)


def upload(server, name, data, **kw):
    kw.setdefault("timeout", 60)
    return server.request("POST", "/api/v1/files", params={"filename": name}, data=data,
                          headers={"Content-Type": "application/octet-stream"}, **kw)


def pattern(n):
    block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB
    return (block * (n // len(block) + 1))[:n]


def test_s3_round_trip_with_multipart_object_and_delete(servers, s3_peer):
    s = start_on_s3(servers, s3_peer, "files-round-trip")
    ready = s.get("/ready", timeout=30)
    assert ready.status_code == 200, ready.text
    assert ready.json()["components"]["blob_store"]["status"] == "ok"

    small = bytes(range(256)) * 40
    big = pattern(20 * MiB + 123)  # above the 8 MiB part size: a multipart upload
    a = upload(s, "small.bin", small)
    assert a.status_code == 201, a.text
    b = upload(s, "big.bin", big)
    assert b.status_code == 201, b.text
    a, b = a.json(), b.json()
    assert (a["size"], a["sha256"]) == (len(small), sha256_hex(small))
    assert (b["size"], b["sha256"]) == (len(big), sha256_hex(big))

    ctype, body = multipart_body([("file", "one.txt", "text/plain", b"one"), ("file", "two.txt", None, b"two")])
    form = s.request("POST", "/api/v1/files", data=body, headers={"Content-Type": ctype}, timeout=30)
    assert form.status_code == 201 and len(form.json()["files"]) == 2

    got = s.get(f"/api/v1/files/{b['id']}/content", timeout=60)
    assert got.status_code == 200 and len(got.content) == len(big) and sha256_hex(got.content) == b["sha256"]
    got = s.get(f"/api/v1/files/{b['id']}/content", params={"verify": "true"}, timeout=60)
    assert got.status_code == 200 and sha256_hex(got.content) == b["sha256"]
    assert s.get(f"/api/v1/files/{a['id']}/content").content == small

    # Ranges across the part boundary and at the end.
    for first, last in ((8 * MiB - 10, 8 * MiB + 10), (len(big) - 5, len(big) - 1)):
        r = s.get(f"/api/v1/files/{b['id']}/content", headers={"Range": f"bytes={first}-{last}"}, timeout=30)
        assert r.status_code == 206 and r.content == big[first:last + 1]
        assert r.headers["Content-Range"] == f"bytes {first}-{last}/{len(big)}"
    r = s.get(f"/api/v1/files/{a['id']}/content", headers={"If-None-Match": f'"{a["sha256"]}"'})
    assert r.status_code == 304

    # Nothing of the S3 blobs ever lands in the local data directory.
    assert StoreView(s.data_dir).blob_files() == []
    assert StoreView(s.data_dir).tmp_files() == []

    for f in (a, b):
        assert s.request("DELETE", f"/api/v1/files/{f['id']}", timeout=30).status_code == 204
        assert_problem(s.get(f"/api/v1/files/{f['id']}/content"), 404, "file-not-found")
    view = StoreView(s.data_dir)
    assert len(view.file_rows()) == 2 and len(view.blob_rows()) == 2  # the form's two files


def test_s3_limits_refuse_with_nothing_left(servers, s3_peer):
    s = start_on_s3(servers, s3_peer, "files-limits", "--max-file-size", "9MiB")
    r = upload(s, "too-big.bin", pattern(12 * MiB))  # refused after a first 8 MiB part went out
    assert_problem(r, 413, "file-too-large")
    view = StoreView(s.data_dir)
    assert view.file_rows() == [] and view.blob_rows() == []
    ok = upload(s, "fits.bin", pattern(9 * MiB))
    assert ok.status_code == 201, ok.text


def test_s3_stopped_mid_test_answers_503_then_recovers(servers, s3_peer):
    s = start_on_s3(servers, s3_peer, "files-outage")
    before = upload(s, "before.bin", b"before the outage")
    assert before.status_code == 201, before.text
    view = StoreView(s.data_dir)
    rows_before = view.file_rows()
    try:
        s3_peer.stop()
        for data in (b"small upload during the outage", pattern(10 * MiB)):
            r = upload(s, "during.bin", data)
            doc = assert_problem(r, 503)
            assert doc["type"] == "/docs/problems#blob-store-unavailable", doc
            # Nothing about where the store lives reaches the client; the log has it.
            endpoint_host = s3_peer.endpoint.split("//", 1)[1]
            assert endpoint_host not in r.text and "curl" not in r.text.lower(), doc
            assert view.file_rows() == rows_before
            assert view.blob_rows() == [(row[4], row[3], row[2], 1) for row in rows_before]
        ctype, body = multipart_body([("file", "x.bin", None, b"x"), ("file", "y.bin", None, b"y")])
        r = s.request("POST", "/api/v1/files", data=body, headers={"Content-Type": ctype}, timeout=60)
        assert_problem(r, 503, "blob-store-unavailable")
        assert view.file_rows() == rows_before
        assert s.alive() and s.get("/health").status_code == 200
    finally:
        s3_peer.restart()
    # The peer keeps its state in memory: it comes back empty, and the server
    # recreates its bucket through the readiness check (create_bucket=true).
    poll(lambda: s.get("/ready", timeout=30).status_code == 200, 30, interval=0.2, what="/ready after the restart")
    after = upload(s, "after.bin", b"after the outage")
    assert after.status_code == 201, after.text
    assert s.get(f"/api/v1/files/{after.json()['id']}/content").content == b"after the outage"
    assert len(view.file_rows()) == len(rows_before) + 1


@pytest.mark.parametrize("location", [
    "s3://",
    "s3://bucket?endpoint=http://127.0.0.1:1&unknown_option=1",
])
def test_bad_s3_location_stops_start_up(servers, location):
    done = run_mecapyd("serve", "--listen", "127.0.0.1:0", "--data-dir", servers.new_dir(), "--blob-store", location,
                       env=S3_ENV, timeout=20)
    assert done.returncode != 0
    assert "blob" in done.stderr.lower()
