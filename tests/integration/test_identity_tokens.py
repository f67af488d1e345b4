"""API tokens: made once (shown once, mcp_ and 43 characters), listed without their
secret and with their last use, revoked, expired; their scopes never exceed their
creator's, and each route holds them to their scopes (read cannot upload, no deploy
cannot deploy, admin only for administrators)."""
import re

import pytest

from identity_support import (PASSWORD, assert_refused, bearer, census, create_user, expire_token, session_of,
                              token_of)
from packages_support import manifest, zip_of
from support import HTTP_TIMEOUT, assert_problem

TOKEN = re.compile(r"^mcp_[A-Za-z0-9_-]{43}$")


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start()


@pytest.fixture(scope="module")
def tina(server):
    create_user(server, "tina")
    return session_of(server, "tina")


def create(server, session, **body):
    return session.post(server.url("/api/v1/auth/tokens"), json={"name": "ci", "scopes": ["read"], **body},
                        timeout=HTTP_TIMEOUT)


def listed(server, session):
    r = session.get(server.url("/api/v1/auth/tokens"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r


def test_a_token_is_shown_once_and_listed_without_its_secret(server, tina):
    r = create(server, tina, name="laptop", scopes=["run", "read"])
    assert r.status_code == 201, r.text
    made = r.json()
    assert TOKEN.match(made["token"]), made["token"]
    assert made["scopes"] == ["read", "run"] and made["name"] == "laptop"
    assert made["expires_at"] is None and made["last_used_at"] is None
    assert r.headers["Location"] == f"/api/v1/auth/tokens/{made['id']}"
    assert r.headers["Cache-Control"] == "no-store"
    assert made["token"].startswith(made["prefix"]) and len(made["prefix"]) < len(made["token"]) // 2

    page = listed(server, tina)
    assert made["token"] not in page.text and made["token"][len(made["prefix"]):] not in page.text
    item = next(t for t in page.json()["items"] if t["id"] == made["id"])
    assert "token" not in item and item["last_used_at"] is None

    assert server.get("/api/v1/auth/me", headers=bearer(made["token"])).json()["username"] == "tina"
    item = next(t for t in listed(server, tina).json()["items"] if t["id"] == made["id"])
    assert item["last_used_at"] is not None


def test_a_token_with_an_expiry_says_when(server, tina):
    made = create(server, tina, expires_in_days=30).json()
    assert made["expires_at"] > made["created_at"]
    for bad in (0, 3651, "30", 1.5):
        assert_refused(create(server, tina, expires_in_days=bad), 400, "invalid-expiry")


def test_a_revoked_token_stops_working(server, tina):
    made = create(server, tina).json()
    assert server.get("/api/v1/auth/me", headers=bearer(made["token"])).status_code == 200
    r = tina.delete(server.url(f"/api/v1/auth/tokens/{made['id']}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.json()["revoked_at"], r.text
    assert_refused(server.get("/api/v1/auth/me", headers=bearer(made["token"])), 401, "invalid-token", "revoked")
    item = next(t for t in listed(server, tina).json()["items"] if t["id"] == made["id"])
    assert item["revoked_at"] == r.json()["revoked_at"]
    assert_problem(tina.delete(server.url("/api/v1/auth/tokens/no-such-token"), timeout=HTTP_TIMEOUT), 404,
                   "token-not-found")


def test_an_expired_token_stops_working(server, tina):
    made = create(server, tina, expires_in_days=1).json()
    expire_token(server, made["id"])
    assert_refused(server.get("/api/v1/auth/me", headers=bearer(made["token"])), 401, "invalid-token", "expired")


def test_a_token_cannot_hold_more_than_its_creator(server, tina):
    before = census(server)
    assert_refused(create(server, tina, scopes=["read", "admin"]), 403, "permission-denied")
    reader = token_of(server, "tina", scopes=["read"])
    r = server.request("POST", "/api/v1/auth/tokens", json={"name": "wider", "scopes": ["read", "run"]},
                       headers=bearer(reader))
    assert_refused(r, 403, "permission-denied")
    assert census(server)["api_tokens"] == before["api_tokens"] + 1  # the reader alone
    for scopes in ([], ["sudo"], "read"):
        r = create(server, tina, scopes=scopes)
        assert r.status_code in (400, 422), r.text


def test_a_read_token_cannot_upload(server):
    reader = token_of(server, "tina", scopes=["read"])
    before = census(server)
    r = server.request("POST", "/api/v1/files", params={"filename": "x.txt"}, data=b"x", headers=bearer(reader))
    assert_refused(r, 403, "insufficient-scope")
    assert census(server) == before
    assert server.get("/api/v1/files", headers=bearer(reader)).status_code == 200


def test_a_token_without_deploy_cannot_deploy(server):
    runner = token_of(server, "tina", scopes=["read", "run"])
    before = census(server)
    archive = zip_of({"mecapy.yml": manifest(name="nodeploy"), "demo.py": "def area(d):\n    return {}\n"})
    r = server.request("POST", "/api/v1/packages", files={"archive": ("p.zip", archive, "application/zip")},
                       headers=bearer(runner))
    assert_refused(r, 403, "insufficient-scope")
    assert census(server) == before


def test_the_admin_scope_is_for_administrators_only(server):
    create_user(server, "walt", is_admin=True)
    admin_token = token_of(server, "walt", scopes=["read", "admin"])
    assert server.get("/api/v1/admin/users", headers=bearer(admin_token)).status_code == 200
    # Demoted, the same token loses the scope.
    assert server.request("PATCH", "/api/v1/admin/users/walt", json={"is_admin": False}).status_code == 200
    assert_refused(server.get("/api/v1/admin/users", headers=bearer(admin_token)), 403, "insufficient-scope")
    assert server.get("/api/v1/auth/me", headers=bearer(admin_token)).json()["scopes"] == ["read"]
    walt = session_of(server, "walt", PASSWORD)
    assert_refused(create(server, walt, scopes=["admin"]), 403, "permission-denied")


def test_a_read_token_can_neither_manage_organisations_nor_change_the_password(server):
    """Organisations are namespaces of packages (scope deploy); a password is changed by
    the person signed in, never with an API token, whatever its scopes."""
    create_user(server, "rhea")
    reader = bearer(token_of(server, "rhea", scopes=("read",)))
    every = bearer(token_of(server, "rhea"))
    before = census(server)
    assert_refused(server.request("POST", "/api/v1/organisations", json={"id": "rhea-lab"}, headers=reader), 403,
                   "insufficient-scope")
    assert_refused(server.request("POST", "/api/v1/auth/password", headers=every,
                                  json={"current_password": PASSWORD, "new_password": "another long password"}),
                   403, "permission-denied")
    assert census(server) == before, "nothing was created or changed"
    assert session_of(server, "rhea") is not None, "the password is unchanged"
