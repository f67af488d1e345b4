"""Readiness against real dependencies: PostgreSQL going away and coming back while
mecapyd keeps running, and a broken blob store."""
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


def test_ready_on_sqlite_default(server):
    r = server.get("/ready")
    assert r.status_code == 200
    assert set(r.json()["components"]) == {"database", "blob_store", "sandbox"}
    assert r.json()["components"]["database"]["location"].startswith("sqlite:")


def test_ready_reports_the_sandbox_cgroup_version_without_host_paths(server):
    """/ready says which cgroup version the sandbox uses, and publishes no host path."""
    r = server.get("/ready")
    assert r.status_code == 200
    sandbox = r.json()["components"]["sandbox"]
    assert sandbox["cgroup"]["version"] in ("v1", "v2")
    assert set(sandbox["cgroup"]["controllers"]) == {"memory", "cpu", "pids"}
    assert "/sys/fs/cgroup" not in r.text
