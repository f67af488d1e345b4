"""Files API, downloads and stored content: ETag / If-None-Match / Range / HEAD,
safe response headers, content-addressed deduplication with reference-counted
deletion, and integrity (a blob altered on disk is reported, never served)."""
import pytest

from support import StoreView, assert_problem, multipart_body, read_response, sha256_hex

DATA = bytes((i * 7 + 3) & 0xFF for i in range(10_000))
MiB = 1024 * 1024


def upload(server, name, data, content_type="application/octet-stream"):
    r = server.request("POST", "/api/v1/files", params={"filename": name}, data=data,
                       headers={"Content-Type": content_type})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def stored(module_servers):
    s = module_servers.start()
    return s, upload(s, "data.bin", DATA)


def content(server, doc, **kw):
    return server.get(f"/api/v1/files/{doc['id']}/content", **kw)


def test_etag_and_if_none_match(stored):
    s, doc = stored
    r = content(s, doc)
    assert r.status_code == 200 and r.content == DATA
    etag = r.headers["ETag"]
    assert etag == f'"{sha256_hex(DATA)}"'
    assert r.headers["Accept-Ranges"] == "bytes"
    for inm in (etag, f'"other", {etag}', "*"):
        again = content(s, doc, headers={"If-None-Match": inm})
        assert again.status_code == 304, inm
        assert again.content == b""
        assert again.headers["ETag"] == etag
    changed = content(s, doc, headers={"If-None-Match": '"0000"'})
    assert changed.status_code == 200 and changed.content == DATA


@pytest.mark.parametrize("header,first,last", [
    ("bytes=0-0", 0, 0),
    ("bytes=100-199", 100, 199),
    ("bytes=9990-", 9990, 9999),
    ("bytes=-10", 9990, 9999),
    ("bytes=9000-20000", 9000, 9999),  # the end is clamped to the size
    ("bytes=-50000", 0, 9999),          # a suffix longer than the file is the whole file
])
def test_range_is_206_with_content_range(stored, header, first, last):
    s, doc = stored
    r = content(s, doc, headers={"Range": header})
    assert r.status_code == 206, (header, r.text)
    assert r.headers["Content-Range"] == f"bytes {first}-{last}/{len(DATA)}"
    assert r.content == DATA[first:last + 1]
    assert int(r.headers["Content-Length"]) == last - first + 1


@pytest.mark.parametrize("header", ["bytes=10000-", "bytes=20000-30000", "bytes=-0"])
def test_range_outside_is_416(stored, header):
    s, doc = stored
    r = content(s, doc, headers={"Range": header})
    assert_problem(r, 416, "range-not-satisfiable")
    assert r.headers["Content-Range"] == f"bytes */{len(DATA)}"


@pytest.mark.parametrize("header", ["bytes=5-2", "items=0-10", "bytes=0-1,5-6", "bytes=x-y"])
def test_unusable_range_serves_whole_file(stored, header):
    s, doc = stored
    r = content(s, doc, headers={"Range": header})
    assert r.status_code == 200, header
    assert r.content == DATA


def test_if_range_with_stale_etag_serves_whole_file(stored):
    s, doc = stored
    r = content(s, doc, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert r.status_code == 200 and r.content == DATA
    r = content(s, doc, headers={"Range": "bytes=0-9", "If-Range": f'"{doc["sha256"]}"'})
    assert r.status_code == 206 and r.content == DATA[:10]


def test_head_on_content_has_headers_and_no_body(stored):
    s, doc = stored
    with s.connect() as sock:
        sock.sendall(f"HEAD /api/v1/files/{doc['id']}/content HTTP/1.1\r\nHost: t\r\n"
                     f"Authorization: Bearer {s.token}\r\n"
                     "Connection: close\r\n\r\n".encode())
        r = read_response(sock, head_request=True)
        rest = sock.recv(65536)
    assert r.status == 200
    assert int(r.headers["content-length"]) == len(DATA)
    assert r.headers["etag"] == f'"{doc["sha256"]}"'
    assert r.body == b"" and rest == b""


def test_download_headers_are_safe(module_servers):
    s = module_servers.start()
    doc = upload(s, "page.html", b"<script>alert(1)</script>", "text/html")
    r = content(s, doc)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.html"' in r.headers["Content-Disposition"]
    assert "sandbox" in r.headers["Content-Security-Policy"]


def test_identical_content_is_stored_once_and_delete_is_refcounted(servers):
    s = servers.start()
    view = StoreView(s.data_dir)
    a = upload(s, "a.bin", DATA)
    b = upload(s, "b.bin", DATA, "text/plain")
    assert a["id"] != b["id"] and a["sha256"] == b["sha256"]
    assert view.blob_rows() == [(a["sha256"], a["sha256"], len(DATA), 2)]
    assert view.blob_files() == [view.blob_path(a["sha256"])]
    assert len(view.file_rows()) == 2

    assert s.request("DELETE", f"/api/v1/files/{a['id']}").status_code == 204
    assert view.blob_rows() == [(a["sha256"], a["sha256"], len(DATA), 1)]
    assert view.blob_path(a["sha256"]).read_bytes() == DATA
    r = content(s, b)
    assert r.status_code == 200 and r.content == DATA and r.headers["Content-Type"] == "text/plain"

    assert s.request("DELETE", f"/api/v1/files/{b['id']}").status_code == 204
    view.assert_empty()


def test_dedup_across_multipart_and_raw(servers):
    s = servers.start()
    ctype, body = multipart_body([("file", "x.bin", None, DATA), ("file", "y.bin", None, DATA)])
    r = s.request("POST", "/api/v1/files", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201, r.text
    upload(s, "z.bin", DATA)
    view = StoreView(s.data_dir)
    assert [row[3] for row in view.blob_rows()] == [3]
    assert len(view.blob_files()) == 1


def flip_byte(path, offset):
    """Changes one byte of a file in place (same size, same name)."""
    path.chmod(0o644)
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def assert_not_served(responses, file_id, data):
    """Every response refuses with 500 and none carries the stored bytes; then (a
    separate check, so the safety part is proven even if the type is wrong) each
    names the documented problem type."""
    for r in responses:
        assert r.status_code == 500, r.text
        assert r.headers["Content-Type"].startswith("application/problem+json")
        assert data[:64] not in r.content and len(r.content) < 4096
    for r in responses:
        problem = assert_problem(r, 500, "blob-corrupted")
        assert file_id in problem["detail"]


def test_blob_altered_on_disk_is_500_and_never_served(servers):
    s = servers.start()
    doc = upload(s, "precious.bin", DATA)
    path = StoreView(s.data_dir).blob_path(doc["sha256"])
    flip_byte(path, 5000)
    responses = [content(s, doc), content(s, doc, headers={"Range": "bytes=0-99"})]
    path.write_bytes(DATA[:100])  # truncated
    responses.append(content(s, doc))
    path.unlink()  # gone
    responses.append(content(s, doc))
    assert s.get(f"/api/v1/files/{doc['id']}").status_code == 200  # metadata still answers
    assert s.alive()
    assert_not_served(responses, doc["id"], DATA)


def test_large_blob_altered_on_disk_is_caught_with_verify(servers):
    s = servers.start()
    size = 17 * MiB
    data = bytes(range(256)) * (size // 256)
    doc = upload(s, "large.bin", data)
    path = StoreView(s.data_dir).blob_path(doc["sha256"])
    flip_byte(path, size // 2)  # same size: only the hash can tell
    responses = [content(s, doc, params={"verify": "true"}),
                 content(s, doc, params={"verify": "true"}, headers={"Range": "bytes=0-15"})]
    with open(path, "r+b") as f:  # a truncated large blob is caught even without ?verify
        f.truncate(size - 1)
    responses.append(content(s, doc))
    assert_not_served(responses, doc["id"], data)


def test_large_intact_blob_downloads_with_verify(servers):
    s = servers.start()
    size = 17 * MiB + 3
    data = (bytes(range(251)) * (size // 251 + 1))[:size]
    doc = upload(s, "large-ok.bin", data)
    for params in ({}, {"verify": "true"}):
        r = content(s, doc, params=params, timeout=30)
        assert r.status_code == 200 and sha256_hex(r.content) == doc["sha256"] and len(r.content) == size
