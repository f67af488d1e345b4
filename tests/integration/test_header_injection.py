"""Response-header injection: no byte a client sends can become a header line of a
response. CR, LF and NUL are refused in every header value the server parses (request
headers, multipart part headers) and in every value it builds from user data
(content types, file names, request ids); an upload whose content type is not an
RFC 9110 media type is refused with 400 `invalid-content-type` and nothing of it is
stored."""
import sqlite3

import pytest

from support import StoreView, assert_problem, read_response, stream_request

BOUNDARY = "----mecapy-injection-boundary"


def part_form(part_headers: bytes, data=b"payload"):
    """A multipart body with one file part whose header block is `part_headers`
    (raw bytes, without the Content-Disposition line)."""
    body = (b"--" + BOUNDARY.encode() + b"\r\n"
            b'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n' + part_headers +
            b"\r\n" + data + b"\r\n--" + BOUNDARY.encode() + b"--\r\n")
    return {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, body


def raw_request(server, head: bytes, body=b""):
    """Sends one request built from raw bytes; returns the parsed response and the raw
    response head, so a test can look for injected lines in the bytes themselves."""
    request_line, rest = head.split(b"\r\n", 1)
    if b" /api/" in request_line:
        head = request_line + f"\r\nAuthorization: Bearer {server.token}".encode() + b"\r\n" + rest
    with server.connect() as s:
        s.sendall(head + body)
        buf = bytearray()
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        raw_head = bytes(buf[: buf.find(b"\r\n\r\n")])
        response = read_response(s, pending=buf)
        return response, raw_head


def assert_no_injected_line(raw_head: bytes):
    lines = raw_head.split(b"\r\n")
    assert not any(line.lower().startswith(b"x-injected") for line in lines), raw_head
    assert b"\n" not in raw_head.replace(b"\r\n", b""), raw_head
    assert b"\r" not in raw_head.replace(b"\r\n", b""), raw_head


@pytest.fixture
def store_server(servers):
    s = servers.start()
    return s, StoreView(s.data_dir)


@pytest.mark.parametrize("part_header", [
    b"Content-Type: text/plain\nX-Injected: yes\r\n",      # bare LF
    b"Content-Type: text/plain\rX-Injected: yes\r\n",      # bare CR
    b"Content-Type: text/plain\x00X-Injected: yes\r\n",    # NUL
    b"Content-Type: text/plain\r\n X-Injected: yes\r\n",   # obs-fold continuation line
], ids=["bare-lf", "bare-cr", "nul", "obs-fold"])
def test_part_header_with_line_break_is_refused_and_nothing_stored(store_server, part_header):
    s, store = store_server
    headers, body = part_form(part_header)
    r = s.request("POST", "/api/v1/files", data=body, headers=headers)
    doc = assert_problem(r, 400)
    assert doc["type"] in ("/docs/problems#invalid-header", "/docs/problems#malformed-multipart"), doc
    assert "x-injected" not in {k.lower() for k in r.headers}
    store.assert_empty()


def test_second_part_with_bare_lf_leaves_nothing_of_the_first(store_server):
    s, store = store_server
    good = (b"--" + BOUNDARY.encode() + b"\r\n"
            b'Content-Disposition: form-data; name="one"; filename="one.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\nfirst file\r\n")
    _, bad = part_form(b"Content-Type: text/plain\nX-Injected: yes\r\n")
    r = s.request("POST", "/api/v1/files", data=good + bad,
                  headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert_problem(r, 400, "invalid-header")
    store.assert_empty()


@pytest.mark.parametrize("content_type", [
    "text/plain; X-Injected: yes",   # a header smuggled as a parameter
    "text plain",
    "text/",
    "/plain",
    "text/plain; charset",
    'text/plain; charset="utf-8',
    "text/pl@in",
], ids=["colon-param", "space", "no-subtype", "no-type", "param-no-value", "open-quote", "bad-token"])
def test_part_with_invalid_media_type_is_refused(store_server, content_type):
    s, store = store_server
    headers, body = part_form(b"Content-Type: " + content_type.encode() + b"\r\n")
    r = s.request("POST", "/api/v1/files", data=body, headers=headers)
    doc = assert_problem(r, 400, "invalid-content-type")
    assert "media type" in doc["detail"]
    store.assert_empty()


def test_raw_upload_with_invalid_content_type_is_refused(store_server):
    s, store = store_server
    r = s.request("POST", "/api/v1/files", params={"filename": "a.txt"}, data=b"x",
                  headers={"Content-Type": "text/plain; x-injected: yes"})
    assert_problem(r, 400, "invalid-content-type")
    store.assert_empty()


def test_valid_media_types_with_parameters_round_trip(store_server):
    s, _ = store_server
    ctype = 'text/plain ; charset="utf-8" ;format=flowed'
    headers, body = part_form(b"Content-Type: " + ctype.encode() + b"\r\n", b"hello")
    r = s.request("POST", "/api/v1/files", data=body, headers=headers)
    assert r.status_code == 201, r.text
    got = s.get(f"/api/v1/files/{r.json()['id']}/content")
    assert got.status_code == 200
    assert got.headers["Content-Type"] == ctype
    assert got.content == b"hello"


def test_request_header_with_bare_lf_or_nul_is_refused(store_server):
    s, _ = store_server
    for raw in (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Test: a\nX-Injected: yes\r\n\r\n",
                b"GET /health HTTP/1.1\r\nHost: x\r\nX-Test: a\x00b\r\n\r\n",
                b"GET /health HTTP/1.1\r\nHost: x\r\nX-Test: a\rX-Injected: yes\r\n\r\n"):
        r, raw_head = raw_request(s, raw)
        assert_problem(r, 400)
        assert_no_injected_line(raw_head)


def test_request_header_obs_fold_stays_one_field(store_server):
    """An obs-folded request header is joined into one field with a space (RFC 9112,
    section 5.2): the continuation never becomes a field of its own."""
    s, _ = store_server
    r, raw_head = raw_request(s, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Request-ID: abc\r\n X-Injected: yes\r\n\r\n")
    assert r.status == 200
    assert r.headers["x-request-id"] not in ("abc", "X-Injected: yes")  # "abc X-Injected: yes" is not a safe id
    assert_no_injected_line(raw_head)


def test_request_id_with_line_break_is_not_echoed(store_server):
    s, _ = store_server
    r, raw_head = raw_request(s, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Request-ID: abc%0d%0aX-Injected: yes\r\n\r\n")
    assert r.status == 200
    assert r.headers["x-request-id"] != "abc%0d%0aX-Injected: yes"
    assert_no_injected_line(raw_head)


def test_filenames_with_control_characters_stay_inside_content_disposition(store_server):
    s, _ = store_server
    # Percent-encoded CR/LF in ?filename= decode to real line breaks in the name.
    target = "/api/v1/files?filename=a%0d%0aX-Injected:%20yes%0a.txt"
    r, sent = stream_request(s, "POST", target, {"Content-Type": "text/plain"}, [b"body"], content_length=4)
    assert r.status == 201, r
    file_id = r.json()["id"]
    with s.connect() as c:
        c.sendall(f"GET /api/v1/files/{file_id}/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {s.token}\r\n"
                  "Connection: close\r\n\r\n".encode())
        buf = bytearray()
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            buf += chunk
    raw_head = bytes(buf[: buf.find(b"\r\n\r\n")])
    assert raw_head.startswith(b"HTTP/1.1 200"), raw_head
    assert_no_injected_line(raw_head)
    disposition = [line for line in raw_head.split(b"\r\n") if line.lower().startswith(b"content-disposition:")]
    assert len(disposition) == 1 and b"attachment" in disposition[0], raw_head


def test_location_header_is_a_single_line(store_server):
    s, _ = store_server
    headers, body = part_form(b"Content-Type: text/plain\r\n")
    r, raw_head = raw_request(
        s, b"POST /api/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: " + headers["Content-Type"].encode() +
        b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n", body)
    assert r.status == 201, r
    assert_no_injected_line(raw_head)
    assert r.headers["location"] == "/api/v1/files/" + r.json()["id"]


def test_a_stored_content_type_with_a_line_break_is_never_sent(store_server):
    """A record written before content types were checked (here: edited in the
    database) is served as application/octet-stream, on one header line."""
    s, store = store_server
    r = s.request("POST", "/api/v1/files", params={"filename": "old.txt"}, data=b"old",
                  headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    db = sqlite3.connect(s.data_dir / "mecapy.db", timeout=10)
    try:
        db.execute("UPDATE files SET content_type = ? WHERE id = ?", ("text/plain\nX-Injected: yes", file_id))
        db.commit()
    finally:
        db.close()
    got, raw_head = raw_request(s, f"GET /api/v1/files/{file_id}/content HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert got.status == 200, got
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.body == b"old"
    assert_no_injected_line(raw_head)
