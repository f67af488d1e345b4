"""`mecapyd migrate up | down N | status` on both drivers, and `serve --no-migrate`."""
import re

import pytest

from support import assert_problem, run_mecapyd


def migrate(db_url, data_dir, *args):
    done = run_mecapyd("migrate", *args, "--database-url", db_url, "--data-dir", data_dir)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def status(db_url, data_dir):
    """{version: 'applied' | 'pending'} from `migrate status`."""
    out = migrate(db_url, data_dir, "status")
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^\s*(\d+)\s+(\S+)\s+(applied|pending)\b", line)
        assert m, f"unexpected status line: {line!r}"
        rows[int(m.group(1))] = m.group(3)
    assert rows, out
    return rows


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'cli.db'}"
    return request.getfixturevalue("postgres").url


def test_migrate_round_trip(database, tmp_path):
    migrate(database, tmp_path, "up")
    all_applied = status(database, tmp_path)
    assert set(all_applied.values()) == {"applied"}
    latest = max(all_applied)

    out = migrate(database, tmp_path, "up")
    assert "up to date" in out  # idempotent

    out = migrate(database, tmp_path, "down", "1")
    assert "reverted 1" in out
    after_down = status(database, tmp_path)
    assert after_down[latest] == "pending"
    assert all(v == "applied" for k, v in after_down.items() if k != latest)

    out = migrate(database, tmp_path, "up")
    assert "applied 1" in out
    assert status(database, tmp_path) == all_applied


def test_migrate_down_all_then_serve_migrates_up(database, tmp_path, servers):
    migrate(database, tmp_path, "up")
    n = len(status(database, tmp_path))
    migrate(database, tmp_path, "down", str(n))
    assert set(status(database, tmp_path).values()) == {"pending"}
    s = servers.start("--database-url", database)
    r = s.get("/api/v1/instance")
    assert r.status_code == 200, r.text
    assert r.json()["name"]
    assert set(status(database, tmp_path).values()) == {"applied"}


@pytest.mark.parametrize("args", [["down"], ["down", "0"], []])
def test_migrate_bad_usage_exits_2(tmp_path, args):
    """mecapyd documents exit code 2 for bad usage, whatever the argument parser's own codes."""
    done = run_mecapyd("migrate", *args, "--data-dir", tmp_path)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.strip()


def test_no_migrate_on_empty_database_answers_503_with_advice(servers):
    """`serve --no-migrate` on a fresh database still serves; the data routes say to migrate."""
    s = servers.start("--no-migrate")
    assert s.get("/health").status_code == 200
    doc = assert_problem(s.get("/api/v1/instance", auth=False), 503)
    assert "migrate" in doc["detail"]
    # Signing in meets the missing tables too, and says the same, not 500.
    r = s.request("POST", "/api/v1/auth/local/login", auth=False, json={"username": "admin", "password": "x" * 12})
    assert "migrate" in assert_problem(r, 503, "schema-not-current")["detail"]
    assert any("migrate" in l["message"] and l["level"] == "warning" for l in s.log_lines())


def test_no_migrate_on_migrated_database_serves(servers, tmp_path):
    db = tmp_path / "ready.db"
    migrate(f"sqlite:{db}", tmp_path, "up")
    s = servers.start("--no-migrate", "--database-url", f"sqlite:{db}")
    assert s.get("/api/v1/instance").status_code == 200
