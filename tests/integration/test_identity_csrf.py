"""A browser session changes something only with its CSRF token: a POST that carries
the session cookie but no X-CSRF-Token, a wrong one, or another session's, is refused
with 401 csrf-token-invalid and creates nothing; reads need no token."""
import pytest

from identity_support import PASSWORD, assert_nothing_happens, create_user
from support import HTTP_TIMEOUT, sign_in


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start()


@pytest.fixture(scope="module")
def rita(server):
    create_user(server, "rita")
    return sign_in(server.base_url, "rita", PASSWORD)


def without_csrf(session):
    """The same session cookie, without the CSRF header."""
    bare = type(session)()
    bare.headers["Cookie"] = session.headers["Cookie"]
    return bare


def test_a_change_without_the_csrf_token_is_refused(server, rita):
    assert_nothing_happens(server, {}, 401, "csrf-token-invalid", session=without_csrf(rita))


def test_a_change_with_a_wrong_csrf_token_is_refused(server, rita):
    wrong = rita.headers["X-CSRF-Token"][:-2] + "xx"
    for token in (wrong, "", "null"):
        assert_nothing_happens(server, {"X-CSRF-Token": token}, 401, "csrf-token-invalid",
                               session=without_csrf(rita))


def test_another_sessions_csrf_token_does_not_count(server, rita):
    other = sign_in(server.base_url, "rita", PASSWORD)
    assert other.headers["X-CSRF-Token"] != rita.headers["X-CSRF-Token"]
    assert_nothing_happens(server, {"X-CSRF-Token": other.headers["X-CSRF-Token"]}, 401, "csrf-token-invalid",
                           session=without_csrf(rita))


def test_reads_need_no_csrf_token(server, rita):
    bare = without_csrf(rita)
    me = bare.get(server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT)
    assert me.status_code == 200 and me.json()["username"] == "rita"
    assert bare.get(server.url("/api/v1/files"), timeout=HTTP_TIMEOUT).status_code == 200
    assert bare.get(server.url("/api/v1/auth/tokens"), timeout=HTTP_TIMEOUT).status_code == 200


def test_with_the_csrf_token_the_change_is_made(server, rita):
    r = rita.post(server.url("/api/v1/auth/tokens"), json={"name": "laptop", "scopes": ["read"]},
                  timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    r = rita.post(server.url("/api/v1/files"), params={"filename": "notes.txt"}, data=b"mine",
                  timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    listed = rita.get(server.url("/api/v1/files"), timeout=HTTP_TIMEOUT).json()
    assert [f["filename"] for f in listed["items"]] == ["notes.txt"]
