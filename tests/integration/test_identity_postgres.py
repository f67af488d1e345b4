"""Identity state lives in the shared database, not in a process: two API instances on
one PostgreSQL see the same lockout (failures on either count), a sign-in `state` made
by one instance is used once, on whichever instance the callback reaches, and a
provider user disabled on one instance is refused by both."""
import pytest

from identity_support import (PASSWORD, assert_refused, authorize, bearer, begin_oidc, callback, create_user, login,
                              oidc_args)
from identity_support import issuer  # noqa: F401 (a fixture)
from test_multi_instance import fresh_database


@pytest.fixture(scope="module")
def pair(module_servers, postgres, issuer):
    """Two instances on one fresh database, both trusting the test issuer."""
    args = ("--database-url", fresh_database(postgres, "identity_pair"), "--db-pool-size", "4", *oidc_args(issuer))
    first = module_servers.start(*args)
    return first, module_servers.start(*args)


def test_failures_on_two_instances_add_up_to_one_lockout(pair):
    a, b = pair
    create_user(a, "quinn")
    for server in (a, b, a, b, a):
        assert_refused(login(server, "quinn", "a wrong password"), 401, "invalid-credentials")
    for server in (b, a):
        r = login(server, "quinn", PASSWORD)
        assert_refused(r, 429, "account-locked")
        assert int(r.headers["Retry-After"]) >= 1
    # Lifted on one instance, lifted on both.
    assert b.request("PATCH", "/api/v1/admin/users/quinn", json={"unlock": True}).status_code == 200
    assert login(a, "quinn", PASSWORD).status_code == 200


def test_a_login_state_is_used_once_across_instances(pair, issuer):
    a, b = pair
    start = begin_oidc(a)
    code, state = authorize(start["authorization_url"])
    second_code, _ = authorize(start["authorization_url"])
    r = callback(b, code, state)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["username"] == issuer.person["preferred_username"]
    for server in (a, b):
        assert_refused(callback(server, second_code, state), 401, "invalid-login-state")


def test_a_provider_user_disabled_on_one_instance_is_refused_by_both(pair, issuer):
    a, b = pair
    token = issuer.token(sub="subject-hugo", preferred_username="hugo")
    for server in (a, b):
        assert server.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    assert a.request("PATCH", "/api/v1/admin/users/hugo", json={"disabled": True}).status_code == 200
    for server in (a, b):
        assert_refused(server.get("/api/v1/auth/me", headers=bearer(token)), 401, "invalid-token", "user-disabled")
