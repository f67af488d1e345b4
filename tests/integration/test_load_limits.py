"""Load limits over real sockets: a stalled blob store (the S3 server frozen with
SIGSTOP) holds only the blob I/O pool, so database-only routes keep answering; when
requests pile up behind it, the bounded queue answers 503 server-busy instead of
queueing without limit; connections beyond max_connections get 503 and are closed."""
import os
import signal
import threading
import time

import pytest

from support import assert_problem, read_response
from test_files_s3 import S3_ENV, s3_location, upload


def frozen(peer):
    """Context manager: the S3 server process is stopped (connections are accepted by
    the kernel but never answered) until the block ends."""
    class Frozen:
        def __enter__(self):
            self.pid = int((peer.dir / "pid").read_text())
            os.kill(self.pid, signal.SIGSTOP)

        def __exit__(self, *exc):
            os.kill(self.pid, signal.SIGCONT)

    return Frozen()


def in_background(fn, *args):
    """Runs fn(*args) on a thread; returns (thread, result list)."""
    out = []
    t = threading.Thread(target=lambda: out.append(fn(*args)), daemon=True)
    t.start()
    return t, out


def get_status(server, path):
    try:
        r = server.get(path, timeout=50)
        return r.status_code, r
    except Exception as e:  # a cut connection counts as a failure of the request
        return None, e


@pytest.mark.deadline(120)
def test_database_routes_answer_while_the_blob_store_hangs(servers, s3_peer):
    # One thread per pool: without separate pools, one hanging download would hold
    # the thread every database route needs.
    env = dict(S3_ENV, MECAPY_OFFLOAD_THREADS="1", MECAPY_BLOB_IO_THREADS="1", MECAPY_MAX_QUEUED_REQUESTS="0")
    s = servers.start("--blob-store", s3_location(s3_peer, "stalled-store"), env=env)
    r = upload(s, "a.bin", b"x" * 1000)
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    with frozen(s3_peer):
        downloads = [in_background(get_status, s, f"/api/v1/files/{file_id}/content") for _ in range(3)]
        time.sleep(0.5)  # let them reach the blob store (not an assertion: only ordering)
        for path in ("/api/v1/files", f"/api/v1/files/{file_id}", "/api/v1/instance", "/health"):
            listed = s.get(path, timeout=5)
            assert listed.status_code == 200, (path, listed.text)
        # One download holds the blob thread, one waits for it; the queue (0 more
        # allowed) refuses the rest at once instead of letting them pile up.
        busy = [out[0][1] for t, out in downloads if (t.join(2) or out) and out and out[0][0] == 503]
        assert busy, "no download was refused while the blob pool was saturated"
        doc = assert_problem(busy[0], 503, "server-busy")
        assert busy[0].headers["Retry-After"] == "1"
        assert "max_queued_requests" in doc["detail"]
    for t, out in downloads:
        t.join(60)
    statuses = sorted(out[0][0] for t, out in downloads)
    assert statuses.count(200) >= 1, statuses  # the admitted ones finish once the store answers
    # The store answers again: the file is served. A download whose client already has
    # its response may hold the single blob thread a moment longer; meanwhile the
    # answer is a 503 server-busy with Retry-After, which is what a client retries.
    deadline = time.monotonic() + 10
    while True:
        again = s.get(f"/api/v1/files/{file_id}/content", timeout=30)
        if again.status_code == 200 or time.monotonic() > deadline:
            break
        assert_problem(again, 503, "server-busy")
        time.sleep(0.1)
    assert again.status_code == 200, again.text


def test_connections_beyond_the_cap_get_503(servers):
    s = servers.start("--max-connections", "2")
    with s.connect() as a, s.connect() as b:
        for c in (a, b):
            c.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(c).status == 200  # both stay open (keep-alive)
        with s.connect() as third:
            third.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            refused = read_response(third)
            doc = assert_problem(refused, 503, "server-busy")
            assert "max_connections" in doc["detail"]
            assert refused.headers["retry-after"] == "1"
            assert third.recv(1) == b""  # closed
        a.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(a).status == 200
    # Once they are closed, new connections are served again.
    deadline = time.monotonic() + 10
    while True:
        r = s.get("/health")
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert r.status_code == 200
