"""Error responses: every refusal is application/problem+json with type, title,
status, detail and request_id, and no input, however broken, takes the server down."""
import sqlite3

import pytest

from support import assert_problem, connection_closed, read_response


def test_unknown_path_is_404_problem(server):
    doc = assert_problem(server.get("/no/such/thing"), 404, "not-found")
    assert "/no/such/thing" in doc["detail"]


def test_unknown_api_resource_is_404_problem(server):
    assert_problem(server.get("/api/v1/no-such-resource"), 404, "not-found")
    assert_problem(server.get("/api/v2/instance"), 404, "not-found")


def test_wrong_method_is_405_problem_with_allow(server):
    r = server.request("DELETE", "/api/v1/instance")
    doc = assert_problem(r, 405, "method-not-allowed")
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    assert "GET" in allow and "DELETE" not in allow
    assert "DELETE" in doc["detail"]


def test_post_to_get_route_is_405(server):
    r = server.request("POST", "/health", data=b"{}", headers={"Content-Type": "application/json"})
    assert_problem(r, 405, "method-not-allowed")
    assert "GET" in r.headers["Allow"]


def test_unknown_api_version_is_406_problem(server):
    r = server.get("/api/v1/instance", headers={"Accept": "application/vnd.mecapy.v2+json"})
    doc = assert_problem(r, 406, "unsupported-api-version")
    assert "v1" in doc["detail"]


def test_known_api_version_is_served(server):
    for accept in ("application/vnd.mecapy.v1+json", "application/json", "*/*"):
        r = server.get("/api/v1/instance", headers={"Accept": accept})
        assert r.status_code == 200, (accept, r.text)
        assert r.json()["api_version"] == 1


def test_declared_oversized_body_is_413_problem(server):
    # The shared server allows 1 KiB: refused on the Content-Length alone.
    r = server.request("POST", "/api/v1/instance", data=b"x" * 4096)
    doc = assert_problem(r, 413, "body-too-large")
    assert "1024" in doc["detail"]


def test_chunked_oversized_body_is_413_problem(server):
    chunk = b"x" * 700
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3)) + b"0\r\n\r\n"
    raw = (b"POST /api/v1/instance HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
           b"Content-Type: application/octet-stream\r\n\r\n" + body)
    response, closed = server.exchange(raw)
    assert_problem(response, 413, "body-too-large")
    assert closed
    assert server.get("/health").status_code == 200


def test_body_at_the_limit_is_accepted(server):
    # Exactly max_body_size passes the transport and reaches the router (405 here).
    r = server.request("POST", "/api/v1/instance", data=b"x" * 1024)
    assert_problem(r, 405)


def test_oversized_headers_are_431_problem(server):
    r = server.get("/health", headers={"X-Filler": "a" * 4096})
    assert_problem(r, 431, "header-too-large")
    assert server.get("/health").status_code == 200


def test_many_headers_over_the_limit_are_431(server):
    raw = b"GET /health HTTP/1.1\r\nHost: t\r\n" + b"".join(
        b"X-H%d: %s\r\n" % (i, b"v" * 60) for i in range(60)) + b"\r\n"
    response, closed = server.exchange(raw)
    assert_problem(response, 431)
    assert closed


MALFORMED = [
    b"THIS IS NOT HTTP\r\n\r\n",
    b"GET /health HTTP/9.9\r\nHost: t\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost t\r\n\r\n",
    b"GET /health HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    b"GET /health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
    b"GET /he\x00alth HTTP/1.1\r\nHost: t\r\n\r\n",
    b"GET /health HTTP/1.1\r\nBad\x01Name: v\r\n\r\n",
    b"POST /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(32)) + b"\r\n\r\n",  # a TLS hello
]


@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_http_is_400_problem_and_connection_closed(server, raw):
    response, closed = server.exchange(raw)
    assert_problem(response, 400)
    assert closed, "the server must close a connection after a malformed request"
    assert server.alive()
    assert server.get("/health").status_code == 200


def test_relative_request_target_is_400(server):
    response, closed = server.exchange(b"GET health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert_problem(response, 400, "malformed-request")
    assert closed


@pytest.mark.parametrize("path", ["/api/v1/%zz", "/health%00", "/api/v1/%4"])
def test_bad_percent_encoding_is_400_problem(server, path):
    response, _ = server.exchange(b"GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path.encode())
    assert_problem(response, 400, "malformed-path")


def test_garbage_and_abrupt_clients_do_not_crash_the_server(server):
    payloads = [b"", b"\r\n\r\n\r\n", b"GET", b"GET / HTTP/1.1\r\nHost:", b"\xff" * 5000,
                b"POST /api/v1/instance HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort"]
    for p in payloads:
        s = server.connect(timeout=2)
        s.sendall(p)
        s.close()  # hang up mid-request
    for p in payloads[1:]:
        with server.connect(timeout=5) as s:
            s.sendall(p)
            s.shutdown(1)  # half-close: the server sees EOF mid-request
            try:
                while s.recv(65536):
                    pass
            except ConnectionResetError:
                pass
    assert server.alive()
    assert server.get("/health").json() == {"status": "ok"}


def test_keep_alive_and_pipelining_answer_in_order(server):
    with server.connect() as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: one\r\n\r\n"
                  b"GET /nope HTTP/1.1\r\nHost: t\r\nX-Request-ID: two\r\n\r\n"
                  b"HEAD /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: three\r\n\r\n")
        pending = bytearray()
        first = read_response(s, pending=pending)
        second = read_response(s, pending=pending)
        third = read_response(s, head_request=True, pending=pending)
        assert (first.status, first.headers["x-request-id"]) == (200, "one")
        assert (second.status, second.headers["x-request-id"]) == (404, "two")
        assert_problem(second, 404)
        assert (third.status, third.headers["x-request-id"]) == (200, "three")
        assert third.body == b"" and int(third.headers["content-length"]) > 0
        assert not pending
        assert not connection_closed(s, timeout=0.3), "keep-alive connection closed early"


def test_connection_close_is_honoured(server):
    response, closed = server.exchange(b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    assert response.status == 200
    assert closed


def test_http_1_0_is_answered(server):
    response, closed = server.exchange(b"GET /health HTTP/1.0\r\n\r\n")
    assert response.status == 200 and response.json() == {"status": "ok"}
    assert closed


def test_internal_error_is_500_problem_without_internals(servers):
    """A schema the server does not expect (a column renamed behind its back) is an
    internal error: 500 problem+json that names no internals, logged at error level."""
    s = servers.start()
    assert s.get("/api/v1/instance").status_code == 200
    db = sqlite3.connect(s.data_dir / "mecapy.db", timeout=10)
    try:
        db.execute("ALTER TABLE instance RENAME COLUMN name TO label")
        db.commit()
    finally:
        db.close()
    r = s.get("/api/v1/instance", headers={"X-Request-ID": "boom-1"})
    doc = assert_problem(r, 500, "internal-error")
    assert doc["request_id"] == "boom-1"
    assert "label" not in doc["detail"] and "column" not in doc["detail"].lower()
    line = s.wait_log(lambda l: l["request_id"] == "boom-1" and l["level"] == "error"
                      and l["message"] != "request", what="the error log line of the failed request")
    assert "name" in line["message"]  # the log, not the client, gets the cause
    assert s.get("/health").status_code == 200
