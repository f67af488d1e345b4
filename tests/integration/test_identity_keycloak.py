"""Identity against the real provider: mecapyd configured with the run's Keycloak
(realm mecapy from deploy/keycloak) — the browser sign-in with PKCE driven over HTTP
through Keycloak's own login form, client-credentials tokens, a key rotation picked
up, and the sign-out that ends Keycloak's session too."""
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from keycloak_peer import client_secret, decode_jwt, user_password
from support import HTTP_TIMEOUT, StoreView, assert_problem, poll

pytestmark = pytest.mark.deadline(180)


@pytest.fixture(scope="module")
def oidc_server(module_servers, keycloak):
    return module_servers.start(
        "--oidc-issuer", keycloak.issuer,
        "--oidc-client-id", "mecapy-api",
        "--oidc-client-secret", client_secret("mecapy-api"),
        # Keycloak accepts any loopback port for this URI; the UI would serve it.
        "--oidc-redirect-uri", "http://127.0.0.1:3000/auth/callback")


def begin(server, **body):
    r = server.request("POST", "/api/v1/auth/login", auth=False, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def callback_params(url):
    query = parse_qs(urlsplit(url).query)
    assert "code" in query, url
    return query["code"][0], query["state"][0]


def complete(server, code, state):
    return server.request("POST", "/api/v1/auth/callback", auth=False, json={"code": code, "state": state})


def session_of(server, signed_in):
    """A client holding the session the callback opened (cookie and CSRF header)."""
    s = requests.Session()
    s.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in signed_in.cookies)
    s.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
    return s


def sign_in_through_keycloak(server, keycloak, username):
    start = begin(server, return_to="/packages")
    code, state = callback_params(keycloak.browser_login(start["authorization_url"], username,
                                                         user_password(username)))
    assert state == start["state"]
    r = complete(server, code, state)
    assert r.status_code == 200, r.text
    return r


def test_config_offers_the_provider(oidc_server, keycloak):
    config = oidc_server.get("/api/v1/auth/config", auth=False).json()
    assert config["methods"] == ["local", "oidc"]
    assert config["oidc"]["issuer"] == keycloak.issuer


def test_the_authorization_url_asks_for_pkce_s256_and_keeps_the_secrets_on_the_server(oidc_server, keycloak):
    start = begin(oidc_server)
    url = urlsplit(start["authorization_url"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == keycloak.discovery()["authorization_endpoint"]
    assert query["response_type"] == ["code"] and query["client_id"] == ["mecapy-api"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["state"] == [start["state"]] and query["nonce"][0]
    assert "openid" in query["scope"][0].split()
    assert "code_verifier" not in start["authorization_url"]


def test_browser_sign_in_with_pkce_creates_the_user_from_the_provider(oidc_server, keycloak):
    r = sign_in_through_keycloak(oidc_server, keycloak, "alice")
    body = r.json()
    assert body["return_to"] == "/packages"
    assert body["user"]["source"] == "oidc" and body["user"]["id"] == "alice"
    assert body["user"]["email"] and body["user"]["given_name"]
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "access_token" not in r.text and "refresh_token" not in r.text, "tokens never reach the browser"
    browser = session_of(oidc_server, r)
    me = browser.get(oidc_server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT).json()
    assert me["credential"] == "session" and "user" in me["roles"]
    assert "admin" not in me["scopes"]
    # The session works for changes with its CSRF token.
    created = browser.post(oidc_server.url("/api/v1/organisations"), json={"id": "alice-lab"}, timeout=HTTP_TIMEOUT)
    assert created.status_code == 201, created.text


def test_the_providers_admin_role_gives_the_admin_scope(oidc_server, keycloak):
    browser = session_of(oidc_server, sign_in_through_keycloak(oidc_server, keycloak, "carol"))
    me = browser.get(oidc_server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT).json()
    assert "admin" in me["roles"] and "admin" in me["scopes"]
    assert browser.get(oidc_server.url("/api/v1/admin/audit"), timeout=HTTP_TIMEOUT).status_code == 200


def test_a_replayed_state_is_refused(oidc_server, keycloak):
    start = begin(oidc_server)
    code, state = callback_params(keycloak.browser_login(start["authorization_url"], "bob", user_password("bob")))
    assert complete(oidc_server, code, state).status_code == 200
    assert_problem(complete(oidc_server, code, state), 401, "invalid-login-state")
    assert_problem(complete(oidc_server, code, "never-issued-state"), 401, "invalid-login-state")


def test_a_code_exchanged_with_another_logins_verifier_is_refused_by_keycloak(oidc_server, keycloak):
    """The code of login A presented with the state of login B: the API sends B's PKCE
    verifier, which does not match A's challenge, and Keycloak refuses the exchange."""
    a, b = begin(oidc_server), begin(oidc_server)
    code_a, _ = callback_params(keycloak.browser_login(a["authorization_url"], "bob", user_password("bob")))
    doc = assert_problem(complete(oidc_server, code_a, b["state"]), 401, "identity-provider-refused")
    assert doc["provider_error"] == "invalid_grant"


def test_client_credentials_tokens_are_accepted_as_a_service(oidc_server, keycloak):
    token = keycloak.client_credentials_token("mecapy-sdk-service", client_secret("mecapy-sdk-service"))["access_token"]
    assert decode_jwt(token)[0]["alg"] == "ES256"
    headers = {"Authorization": f"Bearer {token}"}
    me = oidc_server.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["kind"] == "service" and me.json()["credential"] == "provider_token"
    assert oidc_server.get("/api/v1/files", headers=headers).status_code == 200


def test_a_token_tampered_or_for_another_audience_is_refused(oidc_server, keycloak):
    token = keycloak.client_credentials_token("mecapy-sdk-service", client_secret("mecapy-sdk-service"))["access_token"]
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature])
    doc = assert_problem(oidc_server.get("/api/v1/files", headers={"Authorization": f"Bearer {forged}"}), 401,
                         "invalid-token")
    assert doc["reason"] in ("bad-signature", "malformed")


def test_a_key_rotation_is_picked_up(oidc_server, keycloak):
    def service_token():
        return keycloak.client_credentials_token("mecapy-sdk-service", client_secret("mecapy-sdk-service"))[
            "access_token"]

    before = service_token()
    assert oidc_server.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {before}"}).status_code == 200
    new_kid = keycloak.rotate_signing_keys("ES256")
    after = service_token()
    assert decode_jwt(after)[0]["kid"] == new_kid != decode_jwt(before)[0]["kid"]
    # The new kid makes the server fetch the keys again, at most once per 5 s (a
    # flood of made-up kids must not hammer the provider): accepted within that.
    poll(lambda: oidc_server.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {after}"}).status_code == 200,
         timeout=15, interval=0.5, what="the token signed with the rotated key to be accepted")


def test_sign_out_ends_the_session_here_and_at_keycloak(oidc_server, keycloak):
    def sessions():
        return {s["id"] for s in keycloak.user_sessions("bob")}

    earlier = sessions()  # of bob's other sign-ins in this module
    signed_in = sign_in_through_keycloak(oidc_server, keycloak, "bob")
    ours = sessions() - earlier
    assert len(ours) == 1, "Keycloak has the session of this sign-in"
    browser = session_of(oidc_server, signed_in)
    out = browser.post(oidc_server.url("/api/v1/auth/logout"), timeout=HTTP_TIMEOUT)
    assert out.status_code == 200, out.text
    assert out.json()["end_session_url"].startswith(keycloak.discovery()["end_session_endpoint"])
    assert_problem(browser.get(oidc_server.url("/api/v1/auth/me"), timeout=HTTP_TIMEOUT), 401, "session-ended")
    assert not ours & sessions(), "the API ended the provider's session from the server"


def expire_provider_access(server, user):
    """Test setup: the session's access token is due for renewal now (Keycloak's last
    five minutes, without waiting them)."""
    db = sqlite3.connect(server.data_dir / "mecapy.db", timeout=10)
    try:
        db.execute("UPDATE sessions SET access_expires_at = '2000-01-01T00:00:00.000Z' WHERE user_id = ?", (user,))
        db.commit()
    finally:
        db.close()
    return StoreView(server.data_dir).query("SELECT refresh_token FROM sessions WHERE user_id = ?", user)


def test_the_refresh_token_renews_the_session_until_keycloak_ends_it(oidc_server, keycloak):
    browser = session_of(oidc_server, sign_in_through_keycloak(oidc_server, keycloak, "alice"))
    me = oidc_server.url("/api/v1/auth/me")
    before = {row[0] for row in expire_provider_access(oidc_server, "alice")}
    assert browser.get(me, timeout=HTTP_TIMEOUT).status_code == 200, "renewed at the provider"
    after = {row[0] for row in StoreView(oidc_server.data_dir).query(
        "SELECT refresh_token FROM sessions WHERE user_id = 'alice' AND access_expires_at > '2001'")}
    assert after and not after & before, "Keycloak gave a new refresh token, kept on the server"
    # An operator ends alice's sessions at Keycloak: the next renewal is refused and
    # the session ends here too.
    keycloak._admin_request("POST", f"/users/{keycloak.user_id('alice')}/logout")
    expire_provider_access(oidc_server, "alice")
    assert_problem(browser.get(me, timeout=HTTP_TIMEOUT), 401, "session-ended")
