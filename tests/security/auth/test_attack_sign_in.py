"""Attacks on the browser sign-in through the provider (authorization code + PKCE) and
on the session it opens: a replayed or unknown `state`, a code obtained for another
PKCE challenge, a change without the session's CSRF token, a sign-in posted by
another site's form (login CSRF), a `return_to` that would make the UI an open
redirect. Each is refused with its problem type, and no session,
user or anything else appears. Signing out ends the session here and at the provider."""
import json
import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from identity_support import (assert_nothing_happens, assert_refused, authorize, begin_oidc, callback, census,
                              set_cookies)
from support import ADMIN_PASSWORD, HTTP_TIMEOUT


def census_but_states(server):
    """The census without the login states, which a refused callback uses up too."""
    counts = census(server)
    return counts, counts.pop("login_states")


def signed_in(server):
    start = begin_oidc(server)
    code, state = authorize(start["authorization_url"])
    assert state == start["state"]
    r = callback(server, code, state)
    assert r.status_code == 200, r.text
    return r, code, state


def test_a_sign_in_through_the_provider_opens_a_session(oidc_server, issuer):
    r, _, _ = signed_in(oidc_server)
    body = r.json()
    assert body["user"]["username"] == issuer.person["preferred_username"]
    assert body["user"]["source"] == "oidc"
    cookies = set_cookies(r)
    session_value, attributes = cookies["mecapy_session"]
    assert attributes.get("httponly") is True and attributes.get("samesite") == "Lax"
    me = requests.get(oidc_server.url("/api/v1/auth/me"), cookies={"mecapy_session": session_value},
                      timeout=HTTP_TIMEOUT).json()
    assert me["credential"] == "session" and me["csrf_token"] == body["csrf_token"]
    assert me["email"] == issuer.person["email"] and me["family_name"] == issuer.person["family_name"]


def test_a_replayed_state_is_refused(oidc_server):
    _, code, state = signed_in(oidc_server)
    before, states = census_but_states(oidc_server)
    assert_refused(callback(oidc_server, code, state), 401, "invalid-login-state")
    assert census_but_states(oidc_server) == (before, states)


def test_a_state_replayed_with_a_fresh_code_is_refused(oidc_server):
    """The attacker obtains a second code for a state the victim already used."""
    start = begin_oidc(oidc_server)
    first = authorize(start["authorization_url"])
    second = authorize(start["authorization_url"])
    assert callback(oidc_server, *first).status_code == 200
    before, states = census_but_states(oidc_server)
    assert_refused(callback(oidc_server, *second), 401, "invalid-login-state")
    assert census_but_states(oidc_server) == (before, states)


def test_an_unknown_state_is_refused(oidc_server):
    start = begin_oidc(oidc_server)
    code, _ = authorize(start["authorization_url"])
    before, states = census_but_states(oidc_server)
    assert_refused(callback(oidc_server, code, secrets.token_urlsafe(32)), 401, "invalid-login-state")
    assert census_but_states(oidc_server) == (before, states)
    # The refusal did not use up the real state.
    assert callback(oidc_server, code, start["state"]).status_code == 200


def with_challenge(url, challenge):
    parts = urlsplit(url)
    query = [(k, challenge if k == "code_challenge" else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_code_issued_for_another_pkce_challenge_is_refused(oidc_server):
    """An attacker who swaps the challenge of the authorization request: the server's
    verifier does not match it, so the provider refuses the code and no session opens."""
    start = begin_oidc(oidc_server)
    code, state = authorize(with_challenge(start["authorization_url"], "A" * 43))
    before, states = census_but_states(oidc_server)
    r = callback(oidc_server, code, state)
    doc = assert_refused(r, 401, "identity-provider-refused")
    assert doc["provider_error"] == "invalid_grant"
    counts, states_after = census_but_states(oidc_server)
    assert counts == before and states_after == states - 1  # the state is used up


def test_a_change_without_the_csrf_token_is_refused(oidc_server):
    r, _, _ = signed_in(oidc_server)
    session = requests.Session()
    session.headers["Cookie"] = f"mecapy_session={set_cookies(r)['mecapy_session'][0]}"
    assert_nothing_happens(oidc_server, {}, 401, "csrf-token-invalid", session=session)
    assert_nothing_happens(oidc_server, {"X-CSRF-Token": "not-the-token"}, 401, "csrf-token-invalid",
                           session=session)
    # Reads need no CSRF token: the session itself is fine.
    assert session.get(oidc_server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT).status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/next", "/\\evil.example",
                                    "javascript:alert(1)", "packages", "/next\r\nSet-Cookie: a=b"])
def test_a_return_to_outside_this_site_is_refused(oidc_server, target):
    """No open redirect: the UI may only be sent back to a path of its own."""
    before = census(oidc_server)
    r = requests.post(oidc_server.url("/api/v1/auth/login"), json={"return_to": target}, timeout=HTTP_TIMEOUT)
    assert_refused(r, 400, "invalid-return-to")
    assert census(oidc_server) == before  # no login state either


def test_a_return_to_path_comes_back_with_the_session(oidc_server):
    r = requests.post(oidc_server.url("/api/v1/auth/login"), json={"return_to": "/packages?tab=mine"},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    done = callback(oidc_server, *authorize(r.json()["authorization_url"]))
    assert done.status_code == 200 and done.json()["return_to"] == "/packages?tab=mine", done.text


def test_signing_out_ends_the_session_here_and_at_the_provider(oidc_server, issuer):
    r, _, _ = signed_in(oidc_server)
    session = requests.Session()
    session.headers["Cookie"] = f"mecapy_session={set_cookies(r)['mecapy_session'][0]}"
    session.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    ended_at_provider = issuer.requests_to("/logout")
    out = session.post(oidc_server.url("/api/v1/auth/logout"), timeout=HTTP_TIMEOUT)
    assert out.status_code == 200, out.text
    assert out.json()["end_session_url"].startswith(issuer.base_url + "/logout?id_token_hint=")
    assert issuer.requests_to("/logout") == ended_at_provider + 1  # the server's own call
    assert_refused(session.get(oidc_server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT), 401, "session-ended")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_sign_in_another_site_could_post_is_refused(oidc_server, content_type):
    """Login CSRF: a page of another site can make the browser post a form (without a
    CORS preflight) carrying the attacker's credentials or code; the sign-in routes take
    application/json only, so the browser is not signed in to the attacker's account."""
    start = begin_oidc(oidc_server)
    code, state = authorize(start["authorization_url"])
    headers = {"Origin": "https://evil.example"}
    if content_type:
        headers["Content-Type"] = content_type
    before = census(oidc_server)
    for path, body in (("/api/v1/auth/local/login", {"username": "admin", "password": ADMIN_PASSWORD}),
                       ("/api/v1/auth/callback", {"code": code, "state": state})):
        r = requests.post(oidc_server.url(path), data=json.dumps(body), headers=headers, timeout=HTTP_TIMEOUT)
        assert_refused(r, 400, "json-required")
        assert "set-cookie" not in {k.lower() for k in r.headers}
    assert census(oidc_server) == before  # no session, and the state is still unused
    assert callback(oidc_server, code, state).status_code == 200
