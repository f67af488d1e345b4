"""The end of sessions: signing out ends the session (its cookie answers 401
session-ended afterwards) and clears the cookies; changing one's password ends every
other session, gives the current one a new session, and makes the old password
useless; a password that breaks the rules changes nothing."""
import pytest
import requests

from identity_support import PASSWORD, assert_refused, audit_events, create_user, login, set_cookies
from support import HTTP_TIMEOUT, sign_in

NEW_PASSWORD = "a different, longer passphrase"


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start()


def me(server, session):
    return session.get(server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT)


def test_sign_out_ends_the_session_and_clears_the_cookies(server):
    create_user(server, "sam")
    session = sign_in(server.base_url, "sam", PASSWORD)
    elsewhere = sign_in(server.base_url, "sam", PASSWORD)
    r = session.post(server.url("/api/v1/auth/logout"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.json()["signed_out"] is True, r.text
    cleared = set_cookies(r)
    for name in ("mecapy_session", "mecapy_csrf"):
        value, attributes = cleared[name]
        assert value == "" and attributes["max-age"] == "0", (name, attributes)
    assert_refused(me(server, session), 401, "session-ended")
    assert_refused(session.post(server.url("/api/v1/auth/logout"), timeout=HTTP_TIMEOUT), 401, "session-ended")
    # Only that session ended.
    assert me(server, elsewhere).status_code == 200
    assert [e["action"] for e in audit_events(server, actor="sam", action="logout")] == ["logout"]


def test_sign_out_needs_the_csrf_token(server):
    create_user(server, "sue")
    session = sign_in(server.base_url, "sue", PASSWORD)
    r = requests.post(server.url("/api/v1/auth/logout"), headers={"Cookie": session.headers["Cookie"]},
                      timeout=HTTP_TIMEOUT)
    assert_refused(r, 401, "csrf-token-invalid")
    assert me(server, session).status_code == 200  # a forged sign-out ends nothing


@pytest.fixture(scope="module")
def ursula(server):
    return create_user(server, "ursula")


def change_password(server, session, current, new):
    return session.post(server.url("/api/v1/auth/password"), json={"current_password": current,
                                                                   "new_password": new}, timeout=HTTP_TIMEOUT)


def test_a_password_change_ends_the_other_sessions_and_renews_this_one(server):
    create_user(server, "tom")
    current = sign_in(server.base_url, "tom", PASSWORD)
    other = sign_in(server.base_url, "tom", PASSWORD)
    r = change_password(server, current, PASSWORD, NEW_PASSWORD)
    assert r.status_code == 200 and r.json()["password_changed"] is True, r.text
    assert_refused(me(server, other), 401, "session-ended")
    assert_refused(me(server, current), 401, "session-ended")  # the old cookie of this browser too

    renewed = requests.Session()
    cookies = set_cookies(r)
    renewed.headers["Cookie"] = f"mecapy_session={cookies['mecapy_session'][0]}"
    renewed.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    assert cookies["mecapy_csrf"][0] == r.json()["csrf_token"]
    assert me(server, renewed).json()["username"] == "tom"
    assert renewed.post(server.url("/api/v1/auth/tokens"), json={"name": "after", "scopes": ["read"]},
                        timeout=HTTP_TIMEOUT).status_code == 201

    assert_refused(login(server, "tom", PASSWORD), 401, "invalid-credentials")
    assert login(server, "tom", NEW_PASSWORD).status_code == 200
    assert audit_events(server, actor="tom", action="password_changed")


@pytest.mark.parametrize("new, problem", [
    ("short", "password-rejected"),
    ("123456789", "password-rejected"),  # nine characters: one too few
    ("ursula", "password-rejected"),
    ("URSULA", "password-rejected"),  # the username, in another case
])
def test_a_password_that_breaks_the_rules_changes_nothing(server, ursula, new, problem):
    name = ursula["username"]
    session = sign_in(server.base_url, name, PASSWORD)
    assert_refused(change_password(server, session, PASSWORD, new), 422, problem)
    assert me(server, session).status_code == 200  # the session lives on
    assert login(server, name, PASSWORD).status_code == 200


def test_a_wrong_current_password_changes_nothing(server):
    create_user(server, "vera")
    session = sign_in(server.base_url, "vera", PASSWORD)
    assert_refused(change_password(server, session, "not my password", NEW_PASSWORD), 403, "wrong-password")
    assert me(server, session).status_code == 200
    assert login(server, "vera", NEW_PASSWORD).status_code == 401
    assert login(server, "vera", PASSWORD).status_code == 200
