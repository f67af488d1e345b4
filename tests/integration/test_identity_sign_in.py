"""Signing in with a built-in account: the cookies it sets (behind a TLS proxy too),
who /auth/me says you are, one answer for a wrong password and an unknown user, the
lockout after 5 failures and its lifting by an administrator, and the audit trail."""
import pytest
import requests

from identity_support import PASSWORD, assert_refused, audit_events, bearer, create_user, login, set_cookies, token_of
from support import ADMIN_PASSWORD, HTTP_TIMEOUT, sign_in


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start()


def test_sign_in_sets_an_http_only_session_cookie_and_a_readable_csrf_cookie(server):
    r = login(server, "admin", ADMIN_PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["username"] == "admin" and body["user"]["is_admin"] is True
    assert body["csrf_token"] and body["expires_at"]
    assert r.headers["Cache-Control"] == "no-store"
    cookies = set_cookies(r)
    session, attributes = cookies["mecapy_session"]
    assert len(session) >= 32 and session != body["csrf_token"]
    assert attributes["httponly"] is True and attributes["samesite"] == "Lax" and attributes["path"] == "/"
    assert "secure" not in attributes  # plain HTTP: a Secure cookie would never come back
    csrf, csrf_attributes = cookies["mecapy_csrf"]
    assert csrf == body["csrf_token"]
    assert "httponly" not in csrf_attributes and csrf_attributes["samesite"] == "Lax"
    assert int(attributes["max-age"]) > 0


def test_behind_a_tls_proxy_the_cookies_are_secure_and_host_prefixed(servers):
    tls = servers.start("--tls-proxy", "true")
    r = login(tls, "admin", ADMIN_PASSWORD)
    assert r.status_code == 200, r.text
    cookies = set_cookies(r)
    assert set(cookies) == {"__Host-mecapy_session", "__Host-mecapy_csrf"}
    for name, (_, attributes) in cookies.items():
        # __Host-: Secure, Path=/ and no Domain, or the browser drops the cookie.
        assert attributes.get("secure") is True and attributes["path"] == "/" and "domain" not in attributes, name
    assert cookies["__Host-mecapy_session"][1]["httponly"] is True
    # The plain name does not count there.
    plain = requests.get(tls.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT,
                         headers={"Cookie": f"mecapy_session={cookies['__Host-mecapy_session'][0]}"})
    assert_refused(plain, 401, "authentication-required")
    assert sign_in(tls.base_url).get(tls.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT).status_code == 200


def test_me_says_who_you_are_and_how_you_signed_in(server):
    create_user(server, "meg")
    session = sign_in(server.base_url, "meg", PASSWORD)
    me = session.get(server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT).json()
    assert me["username"] == "meg" and me["is_admin"] is False and me["source"] == "local"
    assert sorted(me["scopes"]) == ["deploy", "read", "run"]
    assert me["credential"] == "session" and me["csrf_token"] == session.headers["X-CSRF-Token"]
    by_token = server.get("/api/v1/auth/me", headers=bearer(token_of(server, "meg", scopes=["read"]))).json()
    assert by_token["username"] == "meg" and by_token["credential"] == "api_token"
    assert by_token["scopes"] == ["read"] and "csrf_token" not in by_token
    assert_refused(server.get("/api/v1/auth/me", auth=False), 401, "authentication-required")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(server):
    create_user(server, "nina")
    wrong = assert_refused(login(server, "nina", "not her password at all"), 401, "invalid-credentials")
    unknown = assert_refused(login(server, "nobody-here", "not her password at all"), 401, "invalid-credentials")
    assert (wrong["title"], wrong["detail"]) == (unknown["title"], unknown["detail"])
    assert set(wrong) == set(unknown)
    assert "set-cookie" not in {k.lower() for k in login(server, "nina", "wrong again!!").headers}


def test_five_failures_lock_the_account_until_an_administrator_unlocks_it(server):
    create_user(server, "oscar")
    for _ in range(5):
        assert_refused(login(server, "oscar", "a wrong password"), 401, "invalid-credentials")
    # Locked: even the right password is refused, with how long to wait.
    locked = login(server, "oscar", PASSWORD)
    doc = assert_refused(locked, 429, "account-locked")
    retry_after = int(locked.headers["Retry-After"])
    assert 1 <= retry_after <= 60 and doc["retry_after_s"] == retry_after
    assert "set-cookie" not in {k.lower() for k in locked.headers}
    assert server.get("/api/v1/admin/users/oscar").json()["locked_until"]

    r = server.request("PATCH", "/api/v1/admin/users/oscar", json={"unlock": True})
    assert r.status_code == 200 and r.json()["locked_until"] is None, r.text
    assert login(server, "oscar", PASSWORD).status_code == 200

    actions = [e["action"] for e in audit_events(server, actor="oscar", per_page=50)]
    assert actions.count("login_failed") == 6  # five wrong passwords, one while locked
    assert actions.count("lockout") == 1 and actions.count("login") == 1
    assert actions[0] == "login"  # newest first
    unlocks = audit_events(server, actor="admin", action="unlock")
    assert unlocks and unlocks[0]["target"] == "oscar"


def test_a_success_resets_the_failure_count(server):
    create_user(server, "pia")
    for _ in range(4):
        assert login(server, "pia", "a wrong password").status_code == 401
    assert login(server, "pia", PASSWORD).status_code == 200
    for _ in range(4):
        assert login(server, "pia", "a wrong password").status_code == 401
    assert login(server, "pia", PASSWORD).status_code == 200
