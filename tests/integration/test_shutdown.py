"""Graceful shutdown on SIGTERM/SIGINT: stop accepting, finish in-flight requests,
close idle keep-alive connections, exit 0."""
import signal
import socket
import time

import pytest

from support import connection_closed, poll, read_response

BODY = b'{"slow": "' + b"x" * 200 + b'"}'


def shutdown_logged(server):
    return server.wait_log(lambda l: "shutdown requested" in (l.get("message") or ""),
                           what="the shutdown log line")


def refuses_connections(server):
    def refused():
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return False
        except ConnectionRefusedError:
            return True

    return poll(refused, 10, interval=0.05, what="new connections to be refused")


def start_slow_post(server):
    """Opens a POST whose body is still being sent: returns the socket once the server
    has read the header (it answers the Expect: 100-continue)."""
    s = server.connect()
    s.sendall(b"POST /api/v1/instance HTTP/1.1\r\nHost: t\r\nX-Request-ID: slow-1\r\n"
              b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
              b"Content-Length: %d\r\n\r\n" % len(BODY))
    interim = read_response(s)
    assert interim.status == 100, interim
    s.sendall(BODY[:10])
    return s


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_in_flight_request_finishes_after_signal(servers, sig):
    server = servers.start("--body-timeout", "30s", "--idle-timeout", "60s")
    s = start_slow_post(server)
    try:
        server.send_signal(sig)
        shutdown_logged(server)
        refuses_connections(server)
        assert server.alive(), "the server exited with a request in flight"
        for i in range(10, len(BODY), 50):  # the rest of the body, in pieces
            s.sendall(BODY[i:i + 50])
        response = read_response(s)
        assert response is not None, "the in-flight request got no response"
        assert response.status == 405 and response.headers["x-request-id"] == "slow-1"
        assert response.headers.get("content-type") == "application/problem+json"
        assert response.headers.get("connection", "").lower() == "close"
        assert connection_closed(s)
    finally:
        s.close()
    assert server.wait_exit(15) == 0
    assert server.log_lines()[-1]["message"] == "shutdown complete"
    finished = [l for l in server.log_lines() if l["request_id"] == "slow-1"]
    assert finished and finished[-1]["status_code"] == 405


def test_idle_keep_alive_connections_are_closed_promptly(servers):
    server = servers.start("--idle-timeout", "120s")
    sockets = []
    try:
        for i in range(3):
            s = server.connect()
            s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            assert read_response(s).status == 200  # now idle, kept alive
            sockets.append(s)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        for s in sockets:
            # Far sooner than the 120 s idle timeout.
            assert connection_closed(s, timeout=10), "idle connection left open after SIGTERM"
        assert server.wait_exit(10) == 0
        assert time.monotonic() - started < 20
    finally:
        for s in sockets:
            s.close()


def test_shutdown_with_no_connections_exits_zero(servers):
    server = servers.start()
    assert server.get("/health").status_code == 200
    server.send_signal(signal.SIGTERM)
    assert server.wait_exit(10) == 0
    assert "shutdown complete" in server.log_lines()[-1]["message"]


def test_stalled_request_is_abandoned_after_shutdown_timeout(servers):
    """A client that never finishes its body cannot keep the server alive forever."""
    server = servers.start("--shutdown-timeout", "1s", "--body-timeout", "120s")
    s = start_slow_post(server)
    try:
        server.send_signal(signal.SIGTERM)
        code = server.wait_exit(15)
        assert code != 0, "exiting with a request still in flight must not report success"
        assert any(l["level"] == "error" and "shutdown" in l["message"] for l in server.log_lines())
    finally:
        s.close()
