"""`mecapyd admin ...` on both drivers, without a server: exit codes, secrets printed
once on stdout and never echoed, refusals that leave nothing behind, the audit log."""
import re
import sqlite3
import subprocess
import uuid

import pytest

from support import MECAPYD, clean_env, run_mecapyd

TOKEN = re.compile(r"^mcp_[A-Za-z0-9_-]{43}$")
PASSWORD = "a long enough password"


class Database:
    """A fresh database for one test, with a way to read it behind mecapyd's back."""

    def __init__(self, url, data_dir):
        self.url = url
        self.data_dir = data_dir

    def admin(self, *args, stdin=""):
        """Runs `mecapyd admin ARGS` on this database, `stdin` as its standard input."""
        return subprocess.run([MECAPYD, "admin", *args, "--database-url", self.url, "--data-dir", str(self.data_dir)],
                              input=stdin, capture_output=True, text=True, env=clean_env(), timeout=60)

    def rows(self, query):
        """The rows of `query`, every value as text (what psql -At prints)."""
        if self.url.startswith("sqlite:"):
            with sqlite3.connect(self.url[len("sqlite:"):]) as conn:
                return [tuple(str(v) for v in row) for row in conn.execute(query)]
        out = subprocess.run(["psql", self.url, "-At", "-c", query], check=True, capture_output=True, text=True,
                             timeout=30).stdout
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def execute(self, statement):
        if self.url.startswith("sqlite:"):
            with sqlite3.connect(self.url[len("sqlite:"):]) as conn:
                conn.execute(statement)
        else:
            subprocess.run(["psql", self.url, "-q", "-c", statement], check=True, capture_output=True, timeout=30)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return Database(f"sqlite:{tmp_path / 'admin.db'}", tmp_path)
    server = request.getfixturevalue("postgres").url
    name = "admin_cli_" + uuid.uuid4().hex[:8]
    subprocess.run(["psql", server, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True,
                   timeout=30)
    return Database(server.rpartition("/")[0] + "/" + name, tmp_path)


def test_create_user_prints_a_generated_password_once(database):
    done = database.admin("create-user", "alice", "--email", "alice@example.com")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout  # the password, alone, for $(...)
    password = lines[0]
    assert len(password) >= 20
    assert password not in done.stderr
    assert "alice" in done.stderr
    hashes = database.rows("SELECT password_hash, email, is_admin FROM users WHERE id = 'alice'")
    assert hashes[0][0].startswith("$argon2id$") and password not in hashes[0][0]
    assert hashes[0][1:] == ("alice@example.com", "0")


def test_a_password_from_stdin_is_never_echoed(database):
    done = database.admin("create-user", "bob", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert PASSWORD not in done.stderr
    assert database.rows("SELECT is_admin FROM users WHERE id = 'bob'") == [("1",)]

    reset = database.admin("set-password", "bob", "--password-stdin", stdin="another long password\r\n")
    assert reset.returncode == 0, reset.stderr
    assert "another long password" not in reset.stdout + reset.stderr
    assert database.rows("SELECT failed_logins, locked_until FROM users WHERE id = 'bob'") == [("0", "")]


def test_a_taken_or_invalid_handle_is_refused_with_exit_1(database):
    assert database.admin("create-user", "carol").returncode == 0
    again = database.admin("create-user", "carol")
    assert again.returncode == 1
    assert "taken" in again.stderr and again.stdout == ""
    for bad in ["Carol", "admin", "root", "_x", "a/b", "a b", "x" * 40]:
        done = database.admin("create-user", bad)
        assert done.returncode == 1, (bad, done.stderr)
        assert done.stdout == "", bad
        assert done.stderr.strip(), bad
    assert database.rows("SELECT id FROM users ORDER BY id") == [("carol",)]


def test_a_weak_password_is_refused_and_not_echoed(database):
    done = database.admin("create-user", "dave", "--password-stdin", stdin="short\n")
    assert done.returncode == 1
    assert "too short" in done.stderr and "short\n" not in done.stdout
    assert database.rows("SELECT id FROM users") == []
    assert database.admin("set-password", "nobody", "--password-stdin", stdin=PASSWORD + "\n").returncode == 1


def test_create_token_prints_only_the_token_once(database):
    database.admin("create-user", "erin")
    done = database.admin("create-token", "--user", "erin", "--scopes", "run,read", "--expires", "30d",
                          "--name", "ci")
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert TOKEN.match(token), done.stdout
    assert done.stdout == token + "\n"
    assert token not in done.stderr and token[:10] in done.stderr  # the prefix names it
    rows = database.rows("SELECT name, scopes, token_hash, prefix, expires_at FROM api_tokens")
    assert len(rows) == 1
    name, scopes, digest, prefix, expires_at = rows[0]
    assert (name, scopes, prefix) == ("ci", "read run", token[:10])
    assert digest != token and token[4:] not in digest and len(digest) == 64
    assert expires_at
    second = database.admin("create-token", "--user", "erin", "--scopes", "deploy")
    assert second.returncode == 0 and second.stdout.strip() != token
    assert database.rows("SELECT COUNT(*) FROM api_tokens WHERE expires_at IS NULL") == [("1",)]  # default: never


@pytest.mark.parametrize("args", [
    ["--scopes", "read,write"],
    ["--scopes", ""],
    ["--scopes", "read", "--expires", "5y"],
    ["--scopes", "read", "--expires", "0d"],
    ["--scopes", "read", "--expires", "soon"],
    [],
])
def test_bad_scopes_and_durations_are_usage_errors(database, args):
    database.admin("create-user", "frank")
    done = database.admin("create-token", "--user", "frank", *args)
    assert done.returncode == 2, (args, done.stderr)
    assert done.stdout == ""
    assert database.rows("SELECT COUNT(*) FROM api_tokens") == [("0",)]


def test_tokens_for_unknown_users_are_refused(database):
    done = database.admin("create-token", "--user", "ghost", "--scopes", "read")
    assert done.returncode == 1
    assert "ghost" in done.stderr and done.stdout == ""


def test_list_revoke_and_unlock(database):
    database.admin("create-user", "grace", "--admin", "--email", "grace@example.com")
    database.admin("create-user", "heidi")
    for _ in range(2):
        database.admin("create-token", "--user", "heidi", "--scopes", "read")
    listed = database.admin("list-users")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:4] == ["HANDLE", "ADMIN", "SOURCE", "STATUS"]
    assert lines[1].split()[:4] == ["grace", "yes", "local", "active"] and "grace@example.com" in lines[1]
    assert lines[2].split()[:4] == ["heidi", "no", "local", "active"]

    revoked = database.admin("revoke-tokens", "--user", "heidi")
    assert revoked.returncode == 0 and "revoked 2" in revoked.stderr
    assert database.rows("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL") == [("0",)]
    assert database.admin("revoke-tokens", "--user", "ghost").returncode == 1

    database.execute("UPDATE users SET failed_logins = 7, locked_until = '2999-01-01T00:00:00.000Z' WHERE id = 'heidi'")
    assert "locked" in database.admin("list-users").stdout
    assert database.admin("unlock", "heidi").returncode == 0
    assert database.rows("SELECT failed_logins, locked_until FROM users WHERE id = 'heidi'") == [("0", "")]
    assert database.admin("unlock", "ghost").returncode == 1


def test_every_change_is_audited_as_system(database):
    database.admin("create-user", "ivan")
    database.admin("create-token", "--user", "ivan", "--scopes", "read,run")
    database.admin("set-password", "ivan", "--password-stdin", stdin=PASSWORD + "\n")
    database.admin("revoke-tokens", "--user", "ivan")
    database.admin("unlock", "ivan")
    database.admin("list-users")
    events = database.rows("SELECT actor, action, target FROM audit_events ORDER BY id")
    assert [e[1] for e in events] == ["user_created", "token_created", "password_changed", "token_revoked",
                                      "unlock"]
    assert {e[0] for e in events} == {"system"}
    assert events[0][2] == "ivan" and events[1][2].startswith("token:")
    details = " ".join(r[0] for r in database.rows("SELECT detail FROM audit_events"))
    assert PASSWORD not in details and "mcp_" not in details


def test_help_shows_examples_and_usage_errors_exit_2(tmp_path):
    done = run_mecapyd("admin", "--help", "--data-dir", tmp_path)
    assert done.returncode == 0
    assert "Examples:" in done.stdout and "create-token --user" in done.stdout
    for args in [[], ["create-user"], ["set-password", "x"], ["create-token", "--scopes", "read"], ["frobnicate"]]:
        done = run_mecapyd("admin", *args, "--data-dir", tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.strip()
