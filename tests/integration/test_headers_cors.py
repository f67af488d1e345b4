"""Cross-cutting response headers: security headers, request ids, CORS allowlist."""
import re
import uuid

import pytest

from support import assert_problem

ALLOWED = "https://app.example.com"
REFUSED = "https://evil.example.net"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def assert_security_headers(headers):
    h = {k.lower(): v for k, v in headers.items()}
    csp = h.get("content-security-policy", "")
    assert "default-src" in csp and "frame-ancestors 'none'" in csp, csp
    assert h.get("x-frame-options") == "DENY"
    assert h.get("x-content-type-options") == "nosniff"
    assert h.get("referrer-policy")
    assert h.get("x-request-id")


@pytest.mark.parametrize("path", ["/health", "/ready", "/metrics", "/openapi.json", "/docs",
                                  "/api/v1/features", "/api/v1/instance", "/nope"])
def test_security_headers_on_every_response(server, path):
    r = server.get(path)
    assert r.status_code in (200, 404)
    assert_security_headers(r.headers)
    assert "Strict-Transport-Security" not in r.headers  # not behind TLS by default


def test_security_headers_on_transport_refusals(server):
    r = server.get("/health", headers={"X-Filler": "a" * 4096})
    assert r.status_code == 431
    assert_security_headers(r.headers)
    response, _ = server.exchange(b"NOT HTTP AT ALL\r\n\r\n")
    assert response.status == 400
    assert_security_headers(response.headers)


def test_hsts_only_behind_tls_proxy(servers):
    s = servers.start("--tls-proxy", "true")
    for path in ("/health", "/nope"):
        r = s.get(path)
        hsts = r.headers.get("Strict-Transport-Security", "")
        assert re.match(r"max-age=\d+", hsts) and int(hsts.split("=")[1].split(";")[0]) > 0, hsts
        assert_security_headers(r.headers)


def test_valid_request_id_is_echoed(server):
    for rid in ("abc", "req-42.retry_1:x", "A" * 128, str(uuid.uuid4())):
        r = server.get("/health", headers={"X-Request-ID": rid})
        assert r.headers["X-Request-ID"] == rid


def test_request_id_is_echoed_in_problems(server):
    r = server.get("/nope", headers={"X-Request-ID": "trace-me-404"})
    doc = assert_problem(r, 404)
    assert doc["request_id"] == "trace-me-404"


@pytest.mark.parametrize("bad", ["A" * 129, "has space", "semi;colon", "quote\"d", "<script>", "é"])
def test_unsafe_request_id_is_replaced_by_uuid(server, bad):
    r = server.get("/health", headers={"X-Request-ID": bad.encode("utf-8")})
    assert r.status_code == 200
    assert UUID.match(r.headers["X-Request-ID"]), r.headers["X-Request-ID"]


def test_request_id_generated_when_absent_and_unique(server):
    ids = {server.get("/health").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5
    assert all(UUID.match(i) for i in ids)


def test_cors_allowed_origin_gets_allow_origin(server):
    r = server.get("/api/v1/features", headers={"Origin": ALLOWED})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in r.headers.get("Vary", "")
    r = server.get("/api/v1/features", headers={"Origin": "http://localhost:3000"})
    assert r.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"


@pytest.mark.parametrize("origin", [REFUSED, "https://app.example.com.evil.net", "http://app.example.com",
                                    "https://app.example.com:8443", "null"])
def test_cors_refused_origin_gets_no_allow_origin(server, origin):
    r = server.get("/api/v1/features", headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Credentials" not in r.headers


def test_cors_preflight_from_allowed_origin(server):
    r = server.request("OPTIONS", "/api/v1/instance", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "X-Request-ID, Content-Type"})
    assert r.status_code == 204
    assert r.content == b""
    assert r.headers["Access-Control-Allow-Origin"] == ALLOWED
    methods = {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert "GET" in methods
    allowed_headers = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"x-request-id", "content-type"} <= allowed_headers
    assert_security_headers(r.headers)


def test_cors_preflight_from_refused_origin_is_403_problem(server):
    r = server.request("OPTIONS", "/api/v1/instance", headers={
        "Origin": REFUSED, "Access-Control-Request-Method": "GET"})
    doc = assert_problem(r, 403, "cors-origin-refused")
    assert REFUSED in doc["detail"]
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Methods" not in r.headers


def test_cors_preflight_on_unknown_path_is_404(server):
    r = server.request("OPTIONS", "/api/v1/nothing-here", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "GET"})
    assert_problem(r, 404)


def test_cors_default_allows_no_origin(servers):
    s = servers.start()
    r = s.request("OPTIONS", "/api/v1/instance", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"})
    assert_problem(r, 403, "cors-origin-refused")
    r = s.get("/api/v1/instance", headers={"Origin": "http://localhost:3000"})
    assert r.status_code == 200
    assert "Access-Control-Allow-Origin" not in r.headers


def test_plain_options_lists_allowed_methods(server):
    r = server.request("OPTIONS", "/health")
    assert r.status_code == 204
    assert "GET" in r.headers["Allow"]
