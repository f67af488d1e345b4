"""What valid provider tokens do, and how the server follows the provider's keys:
a user is created on first sight from the claims, the realm role `admin` gives the
admin scope, an administrator's change to the user counts at once, a rotated key is
picked up (the JWKS fetched again), a withdrawn one stops working, and a flood of
made-up kids does not hammer the provider.

The server refreshes the keys on an unknown kid at most once per refresh interval
(auth/jwt/key_source.hpp: 5 s), so the rotation test waits up to that long after the
previous fetch, sending made-up kids all along."""
import secrets
import time

import pytest

from identity_support import assert_refused, bearer
from support import poll

MIN_REFRESH_INTERVAL = 5  # JwksCacheOptions::min_refresh_interval


def me(server, token):
    r = server.get("/api/v1/auth/me", headers=bearer(token))
    assert r.status_code == 200, r.text
    return r.json()


def test_a_person_is_created_from_the_claims_on_first_sight(oidc_server, issuer):
    token = issuer.token(sub="subject-erin", preferred_username="erin", email="erin@example.com",
                         given_name="Erin", family_name="Example", realm_access={"roles": ["user"]},
                         resource_access={"mecapy-api": {"roles": ["reviewer"]}, "other": {"roles": ["ignored"]}})
    users = {u["username"] for u in oidc_server.get("/api/v1/admin/users", params={"per_page": 100}).json()["items"]}
    assert "erin" not in users
    who = me(oidc_server, token)
    assert who["username"] == "erin" and who["source"] == "oidc" and who["credential"] == "provider_token"
    assert (who["email"], who["given_name"], who["family_name"]) == ("erin@example.com", "Erin", "Example")
    assert set(who["roles"]) == {"user", "reviewer"}
    assert sorted(who["scopes"]) == ["deploy", "read", "run"]
    listed = oidc_server.get("/api/v1/admin/users/erin").json()
    assert listed["source"] == "oidc" and listed["is_admin"] is False
    assert_refused(oidc_server.get("/api/v1/admin/users", headers=bearer(token)), 403, "insufficient-scope")
    # The same person's next token, with a changed email, is the same user, updated.
    again = me(oidc_server, issuer.token(sub="subject-erin", preferred_username="erin", email="erin@new.example"))
    assert again["username"] == "erin" and again["email"] == "erin@new.example"


def test_the_admin_realm_role_gives_the_admin_scope(oidc_server, issuer):
    token = issuer.token(sub="subject-frank", preferred_username="frank",
                         realm_access={"roles": ["user", "admin"]})
    assert "admin" in me(oidc_server, token)["scopes"]
    assert oidc_server.get("/api/v1/admin/users", headers=bearer(token)).status_code == 200
    # Without the role in the next token, the scope is gone.
    plain = issuer.token(sub="subject-frank", preferred_username="frank", realm_access={"roles": ["user"]})
    assert_refused(oidc_server.get("/api/v1/admin/users", headers=bearer(plain)), 403, "insufficient-scope")


def test_a_provider_user_named_like_a_local_one_gets_another_handle(oidc_server, issuer):
    """preferred_username "admin" from the provider is not the built-in admin: the
    person gets a handle of their own and none of the administrator's rights."""
    token = issuer.token(sub="subject-impostor", preferred_username="admin", email="admin@evil.example")
    who = me(oidc_server, token)
    assert who["username"] != "admin" and who["username"].startswith("admin")
    assert who["is_admin"] is False and "admin" not in who["scopes"]
    assert_refused(oidc_server.get("/api/v1/admin/users", headers=bearer(token)), 403, "insufficient-scope")
    assert oidc_server.get("/api/v1/admin/users/admin").json()["email"] != "admin@evil.example"



def test_an_administrators_change_to_a_provider_user_counts_at_once(oidc_server, issuer):
    """Disabled, the person's next token is refused although the provider still signs
    it; the admin flag given or taken counts from the next request."""
    token = issuer.token(sub="subject-gina", preferred_username="gina")
    assert "admin" not in me(oidc_server, token)["scopes"]

    def change(**body):
        assert oidc_server.request("PATCH", "/api/v1/admin/users/gina", json=body).status_code == 200

    change(disabled=True)
    assert_refused(oidc_server.get("/api/v1/auth/me", headers=bearer(token)), 401, "invalid-token", "user-disabled")
    change(disabled=False, is_admin=True)
    assert "admin" in me(oidc_server, token)["scopes"]
    change(is_admin=False)
    assert "admin" not in me(oidc_server, token)["scopes"]
    assert_refused(oidc_server.get("/api/v1/admin/users", headers=bearer(token)), 403, "insufficient-scope")

def refresh_windows(since):
    """How many fetches the refresh limit allows from `since` until now: one per
    started window."""
    return 1 + int((time.monotonic() - since) // MIN_REFRESH_INTERVAL)


def made_up_kid_token(issuer):
    return issuer.sign(issuer.claims(), header={"kid": "kid-" + secrets.token_hex(8)})


def test_a_flood_of_unknown_kids_costs_the_provider_one_fetch_per_window(oidc_server, issuer):
    me(oidc_server, issuer.token())  # the keys are in hand
    fetched = issuer.requests_to("/jwks")
    started = time.monotonic()
    for _ in range(200):
        assert_refused(oidc_server.get("/api/v1/auth/me", headers=bearer(made_up_kid_token(issuer))), 401,
                       "invalid-token", "unknown-kid")
    assert issuer.requests_to("/jwks") - fetched <= refresh_windows(started)


@pytest.mark.deadline(120)
def test_a_rotated_key_is_picked_up_and_the_withdrawn_one_refused(oidc_server, issuer):
    old_kid = issuer.rsa.kid
    old = issuer.token()
    assert me(oidc_server, old)["username"] == "carol"
    issuer.rotate()
    assert issuer.rsa.kid != old_kid
    new = issuer.token()
    fetched = issuer.requests_to("/jwks")
    started = time.monotonic()
    flood = 0

    def accepted():
        nonlocal flood
        for _ in range(5):
            r = oidc_server.get("/api/v1/auth/me", headers=bearer(made_up_kid_token(issuer)))
            assert r.status_code == 401
            flood += 1
        r = oidc_server.get("/api/v1/auth/me", headers=bearer(new))
        if r.status_code == 200:
            return r.json()
        assert_refused(r, 401, "invalid-token", "unknown-kid")
        return None

    who = poll(accepted, timeout=MIN_REFRESH_INTERVAL + 30, interval=0.1, what="the new key to be accepted")
    assert who["username"] == "carol"
    # One fetch per refresh window at most, whatever the number of made-up kids.
    assert 1 <= issuer.requests_to("/jwks") - fetched <= refresh_windows(started), flood
    # The withdrawn key's token, though validated before, no longer counts.
    assert_refused(oidc_server.get("/api/v1/auth/me", headers=bearer(old)), 401, "invalid-token", "unknown-kid")
    # An ES256 token of the new EC key works as well.
    assert me(oidc_server, issuer.token(issuer.ec))["username"] == "carol"

