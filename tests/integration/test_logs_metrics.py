"""Structured logs on stdout and the Prometheus /metrics endpoint."""
import re
import socket
import subprocess
from datetime import datetime

import pytest
import requests

from support import LOG_FIELDS, MECAPYD, clean_env, free_port, read_response

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


def request_line(server, request_id):
    return server.wait_log(lambda l: l.get("request_id") == request_id and l.get("status_code") is not None,
                           what=f"the request log line of {request_id}")


def test_every_log_line_has_exactly_the_documented_fields(server):
    server.get("/health", headers={"traceparent": TRACEPARENT, "X-Request-ID": "fields-1"})
    server.get("/nope", headers={"X-Request-ID": "fields-2"})
    request_line(server, "fields-2")
    lines = server.log_lines()
    assert len(lines) >= 4
    for line in lines:
        extra = set(line) - LOG_FIELDS
        assert LOG_FIELDS <= set(line), line
        assert extra <= {"trace_id"}, line
        assert line["service"] == "mecapyd"
        assert line["level"] in ("debug", "info", "warning", "error")
        assert isinstance(line["message"], str) and line["message"]
        ts = line["timestamp"]
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", ts), ts
        datetime.fromisoformat(ts.replace("Z", "+00:00"))


def test_request_log_line_describes_the_request(server):
    server.get("/api/v1/features", headers={"X-Request-ID": "log-ok"})
    line = request_line(server, "log-ok")
    assert line["endpoint"] == "/api/v1/features"
    assert line["method"] == "GET"
    assert line["status_code"] == 200
    assert isinstance(line["duration_ms"], (int, float)) and line["duration_ms"] >= 0
    assert line["level"] == "info"
    assert "trace_id" not in line

    server.request("DELETE", "/health", headers={"X-Request-ID": "log-405"})
    line = request_line(server, "log-405")
    assert (line["method"], line["status_code"]) == ("DELETE", 405)


def test_traceparent_is_logged_as_trace_id(server):
    r = server.get("/health", headers={"traceparent": TRACEPARENT, "X-Request-ID": "traced"})
    assert r.status_code == 200
    assert request_line(server, "traced")["trace_id"] == TRACE_ID


def test_invalid_traceparent_is_ignored(server):
    bad = ["garbage", f"00-{'0' * 32}-00f067aa0ba902b7-01", f"ff-{TRACE_ID}-00f067aa0ba902b7-01",
           f"00-{TRACE_ID.upper()}-00f067aa0ba902b7-01"]
    for i, tp in enumerate(bad):
        r = server.get("/health", headers={"traceparent": tp, "X-Request-ID": f"untraced-{i}"})
        assert r.status_code == 200
        assert not request_line(server, f"untraced-{i}").get("trace_id"), tp


def test_log_level_warning_drops_request_lines(servers):
    # At this level the "listening on" line is hidden too: the harness polls the port.
    s = servers.start("--log-level", "warning", "--listen", f"127.0.0.1:{free_port()}")
    s.get("/health", headers={"X-Request-ID": "quiet"})
    s.get("/nope", headers={"X-Request-ID": "quiet-404"})
    s.send_signal()
    assert s.wait_exit() == 0
    lines = s.log_lines()
    assert all(l["level"] in ("warning", "error") for l in lines), lines
    assert not any(l["request_id"] in ("quiet", "quiet-404") for l in lines)


def test_log_level_debug_is_accepted_and_keeps_info(servers):
    s = servers.start("--log-level", "debug")
    s.get("/health", headers={"X-Request-ID": "loud"})
    assert request_line(s, "loud")["level"] == "info"


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def parse_metrics(text):
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not Prometheus text format: {line!r}"
        labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', m.group(2) or "")))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def sample(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_by_route_template_and_status_class(servers):
    s = servers.start()
    before = parse_metrics(s.get("/metrics").text)
    for _ in range(3):
        assert s.get("/api/v1/features").status_code == 200
    assert s.get("/nope").status_code == 404
    r = s.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    after = parse_metrics(r.text)
    key = dict(route="/api/v1/features", method="GET", status_class="2xx")
    assert sample(after, "mecapy_http_requests_total", **key) - sample(before, "mecapy_http_requests_total", **key) == 3
    errors = [v for (name, labels), v in after.items()
              if name == "mecapy_http_requests_total" and ("status_class", "4xx") in labels]
    assert sum(errors) >= 1
    # A 404 path must not become its own label value (unbounded cardinality).
    assert not any("/nope" in dict(labels).get("route", "") for (_, labels) in after)
    assert sample(after, "mecapy_http_request_duration_seconds_count",
                  route="/api/v1/features", method="GET") >= 3
    assert sample(after, "mecapy_http_request_duration_seconds_bucket",
                  route="/api/v1/features", method="GET", le="+Inf") >= 3
    assert sample(after, "mecapy_http_request_duration_seconds_sum", route="/api/v1/features", method="GET") > 0


def test_metrics_process_and_in_flight_gauges(server):
    samples = parse_metrics(server.get("/metrics").text)
    assert sample(samples, "process_resident_memory_bytes") > 1_000_000
    assert ("process_cpu_seconds_total", ()) in samples
    # The /metrics request itself is in flight while it renders.
    assert sample(samples, "mecapy_http_requests_in_flight") >= 1


def test_metrics_histogram_buckets_are_cumulative(server):
    server.get("/health")
    samples = parse_metrics(server.get("/metrics").text)
    buckets = sorted(((float(dict(l)["le"]), v) for (n, l), v in samples.items()
                      if n == "mecapy_http_request_duration_seconds_bucket"
                      and dict(l).get("route") == "/health" and dict(l).get("method") == "GET"))
    assert buckets, "no histogram for GET /health"
    counts = [v for _, v in buckets]
    assert counts == sorted(counts)
    assert buckets[-1][0] == float("inf")


def test_log_writer_drops_are_exported_and_none_happen_at_ordinary_load(server):
    for _ in range(200):
        server.get("/health")
    samples = parse_metrics(server.get("/metrics").text)
    assert ("mecapy_log_lines_dropped_total", ()) in samples
    assert sample(samples, "mecapy_log_lines_dropped_total") == 0
    # Every one of those requests reached the log (written by the background writer).
    server.wait_log(lambda l: l["endpoint"] == "/metrics" and l["message"] == "request", what="the /metrics line")
    assert sum(1 for l in server.log_lines() if l["endpoint"] == "/health") >= 200


def test_a_failed_start_up_still_logs_why(servers):
    """Logs are written asynchronously; a fatal start-up error must still reach stdout
    before the process exits."""
    s = servers.start("--database-url", f"postgresql://mecapy@127.0.0.1:{free_port()}/none?connect_timeout=2",
                      wait=False)
    assert s.wait_exit(timeout=30) == 1
    fatal = [l for l in s.log_lines() if l["level"] == "error" and l["message"].startswith("fatal:")]
    assert fatal, s.raw_log()


@pytest.mark.deadline(90)
def test_requests_never_wait_for_a_blocked_log(tmp_path):
    """stdout is a pipe nobody reads once the server is up: when it and the log queue
    are full, log lines are dropped and counted, and every request is still answered."""
    port = free_port()
    process = subprocess.Popen([MECAPYD, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                               env=clean_env())
    try:
        for raw in process.stdout:  # read up to the listening line, then never again
            if b"listening on" in raw:
                break
        # 20000 requests (pipelined, 500 at a time): more log lines than the pipe and
        # the writer's queue (16384 lines) hold together.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            pending = bytearray()
            for _ in range(40):
                c.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n" * 500)
                for _ in range(500):
                    assert read_response(c, pending=pending).status == 200
        metrics = parse_metrics(requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)
        assert sample(metrics, "mecapy_log_lines_dropped_total") > 0
    finally:
        process.kill()
        process.wait(timeout=10)
        process.stdout.close()
