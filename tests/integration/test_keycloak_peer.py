"""The Keycloak peer does what the identity tests need from a real provider: the realm
file's clients, roles, users and keys as designed, the authorization-code + PKCE S256
login through Keycloak's own login form, refresh, end-session, and key rotation.

Tokens are decoded with base64 only: these tests check what Keycloak issues, not a
signature (that is the API's JWT validation's job).
"""
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from keycloak_peer import Browser, KeycloakError, decode_jwt, pkce_pair, user_password

# The UI's callback on a loopback port the realm does not name: Keycloak 26 accepts any
# port for a loopback redirect URI registered without one (RFC 8252, section 7.3).
CALLBACK = "http://127.0.0.1:43917/auth/callback"
TIMEOUT = 10


def login(keycloak, username, client_id="mecapy-api", redirect_uri=CALLBACK, session=None):
    """A full browser login; returns (code, verifier, nonce, state, callback query)."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    url = keycloak.authorization_url(redirect_uri, state, nonce, challenge, client_id=client_id)
    back = keycloak.browser_login(url, username, user_password(username), session=session)
    assert back.startswith(redirect_uri + "?"), back
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    assert query["state"] == state
    return query["code"], verifier, nonce, query


def tokens_of(keycloak, username, client_id="mecapy-api"):
    code, verifier, nonce, _ = login(keycloak, username, client_id)
    r = keycloak.exchange_code(code, CALLBACK, verifier, client_id=client_id)
    assert r.status_code == 200, r.text
    return r.json(), nonce


def jwk(keycloak, kid):
    return next((k for k in keycloak.jwks()["keys"] if k["kid"] == kid), None)


def test_discovery_document_names_the_realm_and_its_endpoints(keycloak):
    d = keycloak.discovery()
    assert d["issuer"] == keycloak.issuer == f"{keycloak.base_url}/realms/mecapy"
    assert keycloak.base_url.startswith("http://127.0.0.1:")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint",
                     "userinfo_endpoint"):
        assert d[endpoint].startswith(keycloak.issuer + "/protocol/openid-connect/"), endpoint
    assert "S256" in d["code_challenge_methods_supported"]
    assert {"RS256", "ES256"} <= set(d["id_token_signing_alg_values_supported"])
    signing = {(k["kty"], k["alg"]) for k in keycloak.jwks()["keys"] if k.get("use") == "sig"}
    assert {("RSA", "RS256"), ("EC", "ES256")} <= signing


def test_the_server_started_on_the_cached_build(keycloak):
    # A start that rebuilds Keycloak costs tens of seconds: the cached build must match.
    assert "Updating the configuration" not in (keycloak.dir / "server.log").read_text()


def test_client_credentials_give_the_sdk_service_an_es256_token_for_the_api(keycloak):
    response = keycloak.client_credentials_token("mecapy-sdk-service")
    assert "refresh_token" not in response
    header, payload = decode_jwt(response["access_token"])
    assert header["alg"] == "ES256"
    key = jwk(keycloak, header["kid"])
    assert key is not None and key["kty"] == "EC" and key["crv"] == "P-256"
    assert payload["iss"] == keycloak.issuer
    assert "mecapy-api" in payload["aud"]
    assert payload["azp"] == "mecapy-sdk-service"
    assert payload["preferred_username"] == "service-account-mecapy-sdk-service"
    assert "user" in payload["realm_access"]["roles"]
    assert "admin" not in payload["realm_access"]["roles"]
    assert payload["resource_access"]["mecapy-api"]["roles"] == ["user"]
    assert payload["exp"] - payload["iat"] == 300


def test_client_credentials_are_refused_with_a_wrong_secret_or_to_other_clients(keycloak):
    with pytest.raises(KeycloakError, match="401.*Invalid client credentials"):
        keycloak.client_credentials_token("mecapy-sdk-service", secret="not-the-secret")
    # mecapy-api is a confidential client too, but has no service account.
    with pytest.raises(KeycloakError, match="unauthorized_client"):
        keycloak.client_credentials_token("mecapy-api")


def test_pkce_login_through_the_login_form_then_code_exchange_by_the_api(keycloak):
    code, verifier, nonce, query = login(keycloak, "alice")
    assert query["iss"] == keycloak.issuer
    r = keycloak.exchange_code(code, CALLBACK, verifier)
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert {"access_token", "id_token", "refresh_token"} <= set(tokens)
    assert tokens["expires_in"] == 300

    id_header, id_token = decode_jwt(tokens["id_token"])
    assert id_header["alg"] == "RS256"
    assert id_token["nonce"] == nonce
    assert id_token["aud"] == "mecapy-api"
    assert id_token["iss"] == keycloak.issuer
    assert (id_token["preferred_username"], id_token["email"], id_token["given_name"],
            id_token["family_name"]) == ("alice", "alice@mecapy.test", "Alice", "Archer")
    assert id_token["email_verified"] is True

    header, access = decode_jwt(tokens["access_token"])
    assert header["alg"] == "RS256"
    key = jwk(keycloak, header["kid"])
    assert key is not None and key["kty"] == "RSA"
    assert "mecapy-api" in access["aud"]
    assert access["azp"] == "mecapy-api"
    assert access["sub"] == id_token["sub"]
    assert "user" in access["realm_access"]["roles"]
    assert "admin" not in access["realm_access"]["roles"]
    assert "mecapy-api" not in access.get("resource_access", {})


def test_roles_of_an_admin_are_in_realm_and_client_roles(keycloak):
    tokens, _ = tokens_of(keycloak, "carol")
    _, access = decode_jwt(tokens["access_token"])
    assert {"user", "admin"} <= set(access["realm_access"]["roles"])
    assert access["resource_access"]["mecapy-api"]["roles"] == ["admin"]


def test_a_wrong_pkce_verifier_is_refused_and_spends_the_code(keycloak):
    code, verifier, _, _ = login(keycloak, "bob")
    r = keycloak.exchange_code(code, CALLBACK, pkce_pair()[0])
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_grant"
    assert "PKCE" in r.json()["error_description"]
    # Keycloak burns a code on its first use, even a refused one.
    again = keycloak.exchange_code(code, CALLBACK, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_missing_verifier_or_client_secret_is_refused(keycloak):
    code, verifier, _, _ = login(keycloak, "bob")
    r = keycloak.exchange_code(code, CALLBACK, "")
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    code, verifier, _, _ = login(keycloak, "bob")
    r = keycloak.exchange_code(code, CALLBACK, verifier, secret="not-the-secret")
    assert r.status_code == 401 and r.json()["error"] == "unauthorized_client"


def test_the_public_dashboard_client_requires_pkce(keycloak):
    tokens, nonce = tokens_of(keycloak, "alice", client_id="mecapy-dashboard")
    _, access = decode_jwt(tokens["access_token"])
    assert access["azp"] == "mecapy-dashboard"
    assert "mecapy-api" in access["aud"]
    assert decode_jwt(tokens["id_token"])[1]["nonce"] == nonce

    without_pkce = requests.get(keycloak.discovery()["authorization_endpoint"], allow_redirects=False,
                                timeout=TIMEOUT, params={"response_type": "code", "client_id": "mecapy-dashboard",
                                                         "redirect_uri": CALLBACK, "scope": "openid", "state": "s"})
    assert without_pkce.status_code == 302
    refused = parse_qs(urlsplit(without_pkce.headers["Location"]).query)
    assert refused["error"] == ["invalid_request"]
    assert "code_challenge" in refused["error_description"][0]


@pytest.mark.parametrize("redirect_uri", ["http://127.0.0.1:43917/elsewhere", "https://evil.example/auth/callback",
                                          "http://127.0.0.1.evil.example/auth/callback"])
def test_redirect_uris_other_than_the_loopback_callback_are_refused(keycloak, redirect_uri):
    with pytest.raises(KeycloakError, match="Invalid parameter: redirect_uri"):
        login(keycloak, "alice", redirect_uri=redirect_uri)


def test_localhost_callback_on_any_port_is_accepted(keycloak):
    code, _, _, _ = login(keycloak, "alice", redirect_uri="http://localhost:3000/auth/callback")
    assert code


def test_a_wrong_password_is_refused_by_the_login_form(keycloak):
    verifier, challenge = pkce_pair()
    url = keycloak.authorization_url(CALLBACK, "state", "nonce", challenge)
    with pytest.raises(KeycloakError, match="Invalid username or password"):
        keycloak.browser_login(url, "alice", "not-alice-password")


def test_a_refresh_token_renews_the_access_token(keycloak):
    tokens, _ = tokens_of(keycloak, "alice")
    r = keycloak.refresh(tokens["refresh_token"])
    assert r.status_code == 200, r.text
    renewed = r.json()
    _, before = decode_jwt(tokens["access_token"])
    _, after = decode_jwt(renewed["access_token"])
    assert after["sub"] == before["sub"] and after["sid"] == before["sid"]
    assert after["jti"] != before["jti"]
    assert renewed["refresh_token"]
    refused = keycloak.refresh(tokens["refresh_token"], secret="not-the-secret")
    assert refused.status_code == 401


def test_end_session_ends_the_provider_session(keycloak):
    tokens, _ = tokens_of(keycloak, "alice")
    sid = decode_jwt(tokens["id_token"])[1]["sid"]
    assert sid in {s["id"] for s in keycloak.user_sessions("alice")}
    r = keycloak.end_session(tokens["refresh_token"])
    assert r.status_code == 204, r.text
    assert sid not in {s["id"] for s in keycloak.user_sessions("alice")}
    refused = keycloak.refresh(tokens["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_browser_logout_redirects_to_a_loopback_page_and_ends_the_session(keycloak):
    browser = Browser()
    code, verifier, _, _ = login(keycloak, "bob", session=browser)
    tokens = keycloak.exchange_code(code, CALLBACK, verifier).json()
    sid = decode_jwt(tokens["id_token"])[1]["sid"]
    r = browser.get(keycloak.discovery()["end_session_endpoint"], allow_redirects=False, timeout=TIMEOUT,
                    params={"id_token_hint": tokens["id_token"], "client_id": "mecapy-api",
                            "post_logout_redirect_uri": "http://127.0.0.1:43917/"})
    assert r.status_code == 302 and r.headers["Location"] == "http://127.0.0.1:43917/"
    assert sid not in {s["id"] for s in keycloak.user_sessions("bob")}


def test_key_rotation_gives_new_tokens_a_new_kid_published_in_the_jwks(keycloak):
    old = keycloak.active_kid("RS256")
    new = keycloak.rotate_signing_keys("RS256")
    assert new != old
    published = {k["kid"] for k in keycloak.jwks()["keys"]}
    assert {new, old} <= published  # the old key is passive: it still verifies older tokens
    tokens, _ = tokens_of(keycloak, "alice")
    assert decode_jwt(tokens["access_token"])[0]["kid"] == new
    assert decode_jwt(tokens["id_token"])[0]["kid"] == new
