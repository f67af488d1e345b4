"""Signing in: an API token from the environment, a built-in account's password (a
session with its CSRF token, signed in again when it ended), and a token whose scopes
do not allow running."""
import pytest

import mecapy
from support import create_token


def test_from_env_reads_the_url_and_the_token(server, client):
    token = client.auth._token
    from_env = mecapy.MecaPyClient.from_env({"MECAPY_API_URL": server.base_url + "/", "MECAPY_TOKEN": token})
    assert from_env.whoami()["id"] == "admin"
    with pytest.raises(mecapy.MecaPyError, match="MECAPY_API_URL"):
        mecapy.MecaPyClient.from_env({"MECAPY_TOKEN": token})
    assert mecapy.MecaPyClient.from_env({"MECAPY_API_URL": server.base_url}).auth is None


def test_a_built_in_account_signs_in_and_runs(server, admin_password):
    auth = mecapy.Password("admin", admin_password)
    with mecapy.MecaPyClient(server.base_url, auth) as client:
        me = client.whoami()
        assert me["id"] == "admin" and me["credential"] == "session"
        fixtures = client.load("admin/fixtures")
        assert fixtures.noop.with_options(no_cache=True)() == {"result": 0}  # a POST: the CSRF token is sent


def test_an_ended_session_is_opened_again(server, admin_password):
    auth = mecapy.Password("admin", admin_password)
    with mecapy.MecaPyClient(server.base_url, auth) as client:
        client.whoami()
        client.http.request("POST", "/api/v1/auth/logout")
        assert client.whoami()["id"] == "admin"


def test_a_wrong_password_is_an_authentication_error(server):
    client = mecapy.MecaPyClient(server.base_url, mecapy.Password("admin", "not-the-password"))
    with pytest.raises(mecapy.AuthenticationError) as caught:
        client.whoami()
    assert caught.value.problem_type.endswith("#invalid-credentials")


def test_a_token_without_the_run_scope_may_read_but_not_run(server):
    token = create_token(server.base_url, scopes=("read",), name="read only")
    with mecapy.MecaPyClient(server.base_url, mecapy.Token(token)) as client:
        fixtures = client.load("admin/fixtures")
        with pytest.raises(mecapy.AuthenticationError) as caught:
            fixtures.noop()
    assert caught.value.status == 403 and caught.value.problem_type.endswith("#insufficient-scope")
