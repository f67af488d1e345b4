"""Administration: every /api/v1/admin/* route refuses a caller without the admin
scope (403 insufficient-scope, nothing changed); an administrator creates users (a
generated password shown once), disables one (their sessions and tokens stop
working), lists users page by page, and reads the audit log with filters and paging."""
import json

import pytest

from identity_support import (PASSWORD, assert_refused, audit_events, bearer, census, create_user, login,
                              session_of, token_of)
from support import HTTP_TIMEOUT


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start()


@pytest.fixture(scope="module")
def xena(server):
    return create_user(server, "xena")


def admin_operations(server):
    """(method, path, body) of every admin route in /openapi.json, on real targets."""
    paths = server.get("/openapi.json").json()["paths"]
    bodies = {"post": {"username": "intruder", "password": PASSWORD, "is_admin": True},
              "patch": {"is_admin": False, "disabled": True}}
    operations = []
    for path, methods in paths.items():
        if path.startswith("/api/v1/admin/"):
            for method in methods:
                if method in ("get", "post", "put", "patch", "delete"):
                    operations.append((method.upper(), path.replace("{id}", "admin"), bodies.get(method)))
    return operations


def test_every_admin_route_refuses_a_caller_without_the_admin_scope(server, xena):
    operations = admin_operations(server)
    assert {(m, p) for m, p, _ in operations} >= {("GET", "/api/v1/admin/users"), ("POST", "/api/v1/admin/users"),
                                                  ("GET", "/api/v1/admin/users/admin"),
                                                  ("PATCH", "/api/v1/admin/users/admin"),
                                                  ("GET", "/api/v1/admin/audit")}
    session = session_of(server, "xena")
    token = token_of(server, "xena")
    before = census(server)
    for method, path, body in operations:
        data = None if body is None else json.dumps(body)
        for r in (session.request(method, server.url(path), data=data, timeout=HTTP_TIMEOUT,
                                  headers={"Content-Type": "application/json"}),
                  server.request(method, path, data=data, headers={**bearer(token),
                                                                    "Content-Type": "application/json"})):
            assert_refused(r, 403, "insufficient-scope")
    assert census(server) == before
    admin = server.get("/api/v1/admin/users/admin").json()
    assert admin["is_admin"] is True and admin["disabled"] is False
    assert login(server, "intruder", PASSWORD).status_code == 401


def test_an_administrator_creates_a_user_with_a_password_shown_once(server):
    r = server.request("POST", "/api/v1/admin/users", json={"username": "yara", "email": "yara@example.com",
                                                            "display_name": "Yara Y."})
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["Location"] == "/api/v1/admin/users/yara" and r.headers["Cache-Control"] == "no-store"
    password = created["password"]
    assert len(password) >= 15
    assert created["email"] == "yara@example.com" and created["is_admin"] is False and created["source"] == "local"
    read = server.get("/api/v1/admin/users/yara").json()
    assert "password" not in read and password not in json.dumps(read)
    assert password not in json.dumps(server.get("/api/v1/admin/users", params={"per_page": 100}).json())
    assert login(server, "yara", password).status_code == 200
    assert_refused(server.request("POST", "/api/v1/admin/users", json={"username": "yara"}), 409, "handle-taken")
    assert_refused(server.request("POST", "/api/v1/admin/users", json={"username": "zed", "password": "short"}),
                   422, "password-rejected")
    assert server.get("/api/v1/admin/users/zed").status_code == 404
    events = audit_events(server, action="user_created", actor="admin")
    assert "yara" in [e["target"] for e in events]


def test_a_disabled_user_loses_their_sessions_and_tokens(server):
    create_user(server, "zoe")
    session = session_of(server, "zoe")
    token = token_of(server, "zoe")
    r = server.request("PATCH", "/api/v1/admin/users/zoe", json={"disabled": True})
    assert r.status_code == 200 and r.json()["disabled"] is True, r.text
    assert_refused(session.get(server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT), 401, "session-ended")
    assert_refused(server.get("/api/v1/auth/me", headers=bearer(token)), 401, "invalid-token", "user-disabled")
    assert_refused(login(server, "zoe", PASSWORD), 403, "account-disabled")
    assert_refused(login(server, "zoe", "not her password"), 401, "invalid-credentials")  # says nothing more
    # Enabled again: the (unrevoked) token works, the ended session stays ended.
    assert server.request("PATCH", "/api/v1/admin/users/zoe", json={"disabled": False}).status_code == 200
    assert server.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    assert_refused(session.get(server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT), 401, "session-ended")


def test_an_administrator_cannot_lock_themselves_out(server):
    assert_refused(server.request("PATCH", "/api/v1/admin/users/admin", json={"disabled": True}), 409,
                   "cannot-disable-yourself")
    assert_refused(server.request("PATCH", "/api/v1/admin/users/admin", json={"is_admin": False}), 409,
                   "cannot-demote-yourself")
    assert_refused(server.request("PATCH", "/api/v1/admin/users/admin", json={"role": "god"}), 422, "invalid-body")
    assert server.get("/api/v1/auth/me").json()["is_admin"] is True


def test_users_are_listed_page_by_page(server):
    for name in ("page-a", "page-b", "page-c"):
        create_user(server, name)
    everyone = server.get("/api/v1/admin/users", params={"per_page": 100}).json()
    total = everyone["total"]
    assert total == len(everyone["items"]) >= 4
    seen = []
    for page in range(1, total // 2 + 2):
        body = server.get("/api/v1/admin/users", params={"page": page, "per_page": 2}).json()
        assert body["total"] == total and body["page"] == page and body["per_page"] == 2
        assert len(body["items"]) <= 2
        seen += [u["username"] for u in body["items"]]
    assert sorted(seen) == sorted(u["username"] for u in everyone["items"])
    assert {"page-a", "page-b", "page-c", "admin"} <= set(seen)


def test_the_audit_log_filters_and_pages(server):
    create_user(server, "audra")
    first = audit_events(server, per_page=1)[0]
    for _ in range(3):
        assert login(server, "audra", PASSWORD).status_code == 200
    assert login(server, "audra", "a wrong password").status_code == 401

    mine = audit_events(server, actor="audra", per_page=50)
    assert [e["action"] for e in mine] == ["login_failed", "login", "login", "login"]  # newest first
    assert all(e["actor"] == "audra" and e["ip"] == "127.0.0.1" and e["request_id"] for e in mine)
    assert mine[0]["outcome"] == "failure" and mine[1]["outcome"] == "success"
    logins = audit_events(server, actor="audra", action="login")
    assert len(logins) == 3 and all(e["action"] == "login" for e in logins)

    pages = [server.get("/api/v1/admin/audit", params={"actor": "audra", "per_page": 3, "page": p}).json()
             for p in (1, 2)]
    assert [p["total"] for p in pages] == [4, 4]
    assert [e["id"] for e in pages[0]["items"] + pages[1]["items"]] == [e["id"] for e in mine]

    since = server.get("/api/v1/admin/audit", params={"since": first["at"], "per_page": 100}).json()["items"]
    assert {e["id"] for e in mine} <= {e["id"] for e in since}
    assert all(e["at"] >= first["at"] for e in since)
    assert_refused(server.get("/api/v1/admin/audit", params={"since": "yesterday"}), 400, "invalid-query")
