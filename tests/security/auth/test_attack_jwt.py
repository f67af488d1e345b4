"""Forged and unfit provider tokens: each is refused with 401 invalid-token and the
reason that names what is wrong, and nothing happens — no file, token, organisation or
user (the one the token's claims name) appears. The issuer's keys are the tests' own
(tests/peers/oidc_issuer.py); a valid token of the same shape is accepted, so every
refusal is the token's fault."""
import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from identity_support import PUBLIC_FUNCTION, assert_nothing_happens, bearer, census
from oidc_issuer import SigningKey, b64url, b64url_json, compact, hs256_token


def _now():
    return int(time.time())


def alg_none(issuer, spelling):
    return f"{b64url_json({'alg': spelling, 'typ': 'JWT'})}.{b64url_json(issuer.claims())}."


def tampered(issuer):
    """A valid token whose payload now claims the admin role, with the old signature."""
    header, _, signature = issuer.token().split(".")
    payload = b64url_json(issuer.claims(realm_access={"roles": ["user", "admin"]}))
    return f"{header}.{payload}.{signature}"


def hs256_with_public_key(issuer, form):
    """HMAC keyed with the RSA public key: what a verifier that trusts the header's alg
    would check with its "key"."""
    secret = issuer.rsa.public_pem() if form == "pem" else json.dumps(issuer.rsa.jwk()).encode()
    return hs256_token({"alg": "HS256", "typ": "JWT", "kid": issuer.rsa.kid}, issuer.claims(), secret)


def foreign_key(issuer):
    """Signed by a key the issuer never published, under the published RSA key's kid."""
    impostor = SigningKey("RS256", kid=issuer.rsa.kid)
    return issuer.sign(issuer.claims(), impostor)


FORGERIES = {
    "alg none": (lambda i: alg_none(i, "none"), "unsupported-alg"),
    "alg None": (lambda i: alg_none(i, "None"), "unsupported-alg"),
    "alg NONE with a signature": (lambda i: alg_none(i, "NONE") + b64url(b"x" * 32), "unsupported-alg"),
    "HS256 keyed with the RSA public key (PEM)": (lambda i: hs256_with_public_key(i, "pem"), "unsupported-alg"),
    "HS256 keyed with the RSA public key (JWK)": (lambda i: hs256_with_public_key(i, "jwk"), "unsupported-alg"),
    "expired": (lambda i: i.token(iat=_now() - 7200, nbf=_now() - 7200, exp=_now() - 3600), "expired"),
    "not yet valid": (lambda i: i.token(nbf=_now() + 3600, exp=_now() + 7200), "not-yet-valid"),
    "issued in the future": (lambda i: i.token(iat=_now() + 3600, exp=_now() + 7200), "issued-in-future"),
    "wrong issuer": (lambda i: i.token(iss=i.base_url + "/realms/other"), "wrong-issuer"),
    "issuer with a trailing slash": (lambda i: i.token(iss=i.issuer + "/"), "wrong-issuer"),
    "wrong audience": (lambda i: i.token(aud="another-api", azp="another-client"), "wrong-audience"),
    "an ID token as access token": (lambda i: i.token(typ="ID", nonce="n-1"), "wrong-token-type"),
    "a refresh token as access token": (lambda i: i.token(typ="Refresh"), "wrong-token-type"),
    "no expiry": (lambda i: i.token(exp=None), "missing-claim"),
    "no subject": (lambda i: i.token(sub=None), "missing-claim"),
    "unknown kid": (lambda i: i.sign(i.claims(), header={"kid": "no-such-key"}), "unknown-kid"),
    "tampered payload, old signature": (tampered, "bad-signature"),
    "another key under a known kid": (foreign_key, "bad-signature"),
    "ES256 header on the RSA kid": (lambda i: i.sign(i.claims(), i.ec, header={"kid": i.rsa.kid}), "alg-mismatch"),
    "RS256 header on the EC kid": (lambda i: i.sign(i.claims(), header={"kid": i.ec.kid}), "alg-mismatch"),
    "critical header extension": (lambda i: i.sign(i.claims(), header={"crit": ["exp"]}), "malformed"),
    "two segments": (lambda i: i.token().rsplit(".", 1)[0], "malformed"),
    "four segments": (lambda i: i.token() + ".e30", "malformed"),
    "header not JSON": (lambda i: b64url(b"{alg") + "." + i.token().split(".", 1)[1], "malformed"),
    # Past the token checks' 16 KiB cap, within the server's header limit (the 64 KiB
    # and 1 MiB tokens are refused before: test_attack_credentials.py).
    "32 KiB token": (lambda i: i.token(padding="x" * (32 << 10)), "too-large"),
}


@pytest.mark.parametrize("case", FORGERIES)
def test_a_forged_or_unfit_token_is_refused_and_changes_nothing(oidc_server, issuer, case):
    make, reason = FORGERIES[case]
    assert_nothing_happens(oidc_server, bearer(make(issuer)), 401, "invalid-token", reason)


@pytest.mark.parametrize("cut", [1, 10, 200])
def test_a_truncated_token_is_refused(oidc_server, issuer, cut):
    token = issuer.token()[:-cut]
    before = census(oidc_server)
    r = oidc_server.request("POST", "/api/v1/files", params={"filename": "t.txt"}, data=b"x", headers=bearer(token))
    assert r.status_code == 401, r.text
    assert r.json()["type"] == "/docs/problems#invalid-token"
    assert r.json()["reason"] in ("bad-signature", "malformed"), r.json()
    assert census(oidc_server) == before


def test_the_same_claims_properly_signed_are_accepted(oidc_server, issuer):
    """The control of every case above: a token of the issuer, as it signs them."""
    for key in (issuer.rsa, issuer.ec):
        r = oidc_server.request("POST", "/api/v1/files", params={"filename": f"{key.alg}.txt"}, data=b"mine",
                                headers=bearer(issuer.token(key)))
        assert r.status_code == 201, r.text
    me = oidc_server.get("/api/v1/auth/me", headers=bearer(issuer.token())).json()
    assert me["username"] == "carol" and me["credential"] == "provider_token"
    r = oidc_server.request("POST", PUBLIC_FUNCTION, json={"inputs": {"d": {"value": 2, "unit": "mm"}}},
                            headers=bearer(issuer.token()), timeout=60)
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text


def test_a_signature_in_the_wrong_encoding_is_refused(oidc_server, issuer):
    """An ES256 signature must be r || s (64 bytes), not DER: a DER signature, though
    made by the right key, does not count."""
    key = issuer.ec
    token = compact({"alg": "ES256", "typ": "JWT", "kid": key.kid}, issuer.claims(),
                    lambda data: key.private.sign(data, ec.ECDSA(hashes.SHA256())))
    assert_nothing_happens(oidc_server, bearer(token), 401, "invalid-token", "bad-signature")


def test_a_payload_that_is_not_base64url_is_refused(oidc_server, issuer):
    header, _, signature = issuer.token().split(".")
    payload = base64.b64encode(json.dumps(issuer.claims()).encode() + b"\xff\xfe").decode()  # '+', '/', '='
    assert_nothing_happens(oidc_server, bearer(f"{header}.{payload}.{signature}"), 401, "invalid-token",
                           "malformed")
