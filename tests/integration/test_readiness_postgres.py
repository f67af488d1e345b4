"""Readiness against real dependencies: PostgreSQL going away and coming back while
mecapyd keeps running, and a broken blob store. /ready is public: it names the
failing component (database, blob_store, sandbox) but never where it lives or the
driver's words, which go to the log with the request id; and it is cheap: checks run
at most about once a second, whatever the poll rate, so probes do not write to the
blob store on every call."""
import json
import time

from support import assert_problem, poll


def ready_status(server):
    return server.get("/ready", timeout=15).status_code


def test_ready_follows_postgres_down_and_up(servers, postgres):
    s = servers.start("--database-url", postgres.url, "--db-pool-size", "2")
    r = s.get("/ready")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["blob_store"]["status"] == "ok"
    assert s.get("/api/v1/instance").status_code == 200
    try:
        postgres.stop()
        # (a requests.Response is falsy when not ok: wrap it for poll)
        r, = poll(lambda: (lambda r: (r,) if r.status_code == 503 else None)(s.get("/ready", timeout=15)),
                  30, interval=0.2, what="/ready to report the database gone")
        doc = assert_problem(r, 503, "not-ready")
        assert doc["failing"] == ["database"]
        assert doc["components"]["database"]["status"] != "ok"
        assert doc["components"]["blob_store"]["status"] == "ok"
        assert "database" in doc["detail"]
        assert "password" not in r.text.lower()
        assert_public_only(r.text, postgres.url)
        logged = s.wait_log(lambda l: l["request_id"] == doc["request_id"] and l["level"] != "info",
                            what="the cause of the failed check in the log")
        assert "database" in logged["message"]
        assert_problem(s.get("/api/v1/instance", timeout=15), 503)
        assert s.get("/health").status_code == 200  # alive, just not ready
    finally:
        postgres.restart()
    poll(lambda: ready_status(s) == 200, 30, interval=0.2, what="/ready to recover")
    r = s.get("/api/v1/instance")
    assert r.status_code == 200 and r.json()["api_version"] == 1
    assert s.alive()


def test_ready_names_a_broken_blob_store(servers, tmp_path):
    not_a_dir = tmp_path / "blobs-is-a-file"
    not_a_dir.write_text("not a directory")
    s = servers.start("--blob-store", f"local:{not_a_dir}")
    r = s.get("/ready")
    doc = assert_problem(r, 503, "not-ready")
    assert doc["failing"] == ["blob_store"]
    assert doc["components"]["database"]["status"] == "ok"
    assert r.headers.get("Retry-After")
    assert_public_only(r.text, str(not_a_dir))
    logged = s.wait_log(lambda l: l["request_id"] == doc["request_id"] and l["level"] != "info",
                        what="the cause of the failed check in the log")
    assert "blob_store" in logged["message"]


def test_ready_on_sqlite_default(server):
    r = server.get("/ready")
    assert r.status_code == 200
    assert set(r.json()["components"]) == {"database", "blob_store", "sandbox"}
    assert_public_only(r.text, str(server.data_dir))
    for name in ("database", "blob_store"):
        assert r.json()["components"][name] == {"status": "ok"}


def assert_public_only(text, location):
    """A public answer names no location: no path, no URL, no driver text."""
    assert location not in text
    assert "location" not in json.loads(text).get("components", {}).get("database", {})
    for internal in ("sqlite:", "local:", "postgresql://", "/tmp/", "errno", "No such file", "Not a directory"):
        assert internal not in text, (internal, text)


def readiness_checks(server):
    text = server.get("/metrics").text
    line = next(l for l in text.splitlines() if l.startswith("mecapy_readiness_checks_total"))
    return float(line.split()[-1])


def test_ready_does_not_check_on_every_call(servers):
    """Fifty polls in a burst run the dependency checks (the blob store's writes a
    probe file) about once per cache interval (1 s), not fifty times."""
    s = servers.start()
    before = readiness_checks(s)
    started = time.monotonic()
    for _ in range(50):
        assert s.get("/ready").status_code == 200
    elapsed = time.monotonic() - started
    ran = readiness_checks(s) - before
    assert 1 <= ran <= int(elapsed) + 2, (ran, elapsed)
