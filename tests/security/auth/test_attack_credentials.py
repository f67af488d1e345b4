"""Requests without usable credentials: no Authorization on a protected route, a header
that is not a bearer token, API tokens that are unknown, revoked or expired. Each gets
401 with the problem type (and for invalid-token the reason) that says what to fix,
and nothing happens. Tokens too large for the HTTP layer get 431 and do no harm."""
import secrets
import select
import socket

import pytest

from identity_support import assert_nothing_happens, assert_refused, bearer, census, expire_token
from support import HTTP_TIMEOUT, assert_problem, read_response


def test_no_credentials_on_a_protected_route(oidc_server):
    assert_refused(oidc_server.get("/api/v1/files", auth=False), 401, "authentication-required")
    assert_nothing_happens(oidc_server, {}, 401, "authentication-required")


@pytest.mark.parametrize("value", [
    "Basic YWRtaW46aW50ZWdyYXRpb24tYWRtaW4tcGFzc3dvcmQ=",  # admin's password, in the wrong scheme
    "Bearer",
    "Bearer    ",
    "Token mcp_abc",
    "Bearermcp_abc",
    "mcp_abc",
])
def test_a_malformed_authorization_header(oidc_server, value):
    assert_nothing_happens(oidc_server, {"Authorization": value}, 401, "invalid-token", "malformed")


def test_a_random_api_token(oidc_server):
    token = "mcp_" + secrets.token_urlsafe(32)[:43]
    assert_nothing_happens(oidc_server, bearer(token), 401, "invalid-token", "unknown-token")


def test_an_api_token_that_differs_in_one_character(oidc_server):
    real = oidc_server.token
    forged = real[:-1] + ("A" if real[-1] != "A" else "B")
    assert_nothing_happens(oidc_server, bearer(forged), 401, "invalid-token", "unknown-token")


def new_token(server, **body):
    r = server.request("POST", "/api/v1/auth/tokens", json={"name": "victim", "scopes": ["read", "run"], **body})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_revoked_api_token(oidc_server):
    created = new_token(oidc_server)
    assert oidc_server.get("/api/v1/auth/me", headers=bearer(created["token"])).status_code == 200
    assert oidc_server.request("DELETE", f"/api/v1/auth/tokens/{created['id']}").status_code == 200
    assert_nothing_happens(oidc_server, bearer(created["token"]), 401, "invalid-token", "revoked")
    assert_refused(oidc_server.get("/api/v1/auth/me", headers=bearer(created["token"])), 401, "invalid-token",
                   "revoked")


def test_an_expired_api_token(oidc_server):
    created = new_token(oidc_server, expires_in_days=1)
    expire_token(oidc_server, created["id"])
    assert_nothing_happens(oidc_server, bearer(created["token"]), 401, "invalid-token", "expired")


def send_raw(server, head: bytes, body: bytes = b""):
    """Sends a request over a raw socket, in 64 KiB steps, stopping when the server
    answers early (it may refuse before it has read everything). Returns the
    response, or None when the server closed the connection without one."""
    data = head + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT) as s:
        for at in range(0, len(data), 64 << 10):
            if select.select([s], [], [], 0)[0]:
                break
            try:
                s.sendall(data[at:at + (64 << 10)])
            except (BrokenPipeError, ConnectionResetError):
                break
        try:
            return read_response(s)
        except ConnectionResetError:
            return None


def send_token(server, size):
    """GET /api/v1/files with a bearer token of `size` bytes."""
    return send_raw(server, (f"GET /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                             f"Authorization: Bearer {'a' * size}\r\n\r\n").encode())


def assert_still_serving(server):
    assert server.alive(), server.stderr()
    assert server.get("/health").status_code == 200
    assert server.get("/api/v1/auth/me").status_code == 200


@pytest.mark.parametrize("size", [64 << 10, 1 << 20])
def test_a_token_of_64_kib_or_more_is_refused_by_the_http_layer(oidc_server, size):
    """Within the header limit (128 KiB here) or beyond it, a field that large is
    refused before any credential check: 431, and the server serves on. (A 64 KiB
    field once ended the process: Beast throws for a field it cannot store.)"""
    before = census(oidc_server)
    response = send_token(oidc_server, size)
    assert response is not None, "no answer"
    assert_problem(response, 431, "header-too-large")
    assert census(oidc_server) == before
    assert_still_serving(oidc_server)


def test_a_64_kib_token_gets_431_under_the_default_header_limit(servers):
    server = servers.start()
    response = send_token(server, 64 << 10)
    assert response is not None and response.status == 431, response
    assert_still_serving(server)


def test_a_64_kib_field_in_a_chunked_trailer_is_refused(oidc_server):
    """The same bound holds for the fields after a chunked body: 400, nothing stored."""
    before = census(oidc_server)
    head = (f"POST /api/v1/files?filename=trailer.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Authorization: Bearer {oidc_server.token}\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    body = b"5\r\nhello\r\n0\r\nX-Padding: " + b"a" * (64 << 10) + b"\r\n\r\n"
    response = send_raw(oidc_server, head, body)
    assert response is not None, "no answer"
    assert_problem(response, 400, "malformed-request")
    assert census(oidc_server) == before
    assert_still_serving(oidc_server)
