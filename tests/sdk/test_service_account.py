"""A service account of the real Keycloak (client `mecapy-sdk-service`, client
credentials): the SDK fetches its access token from the provider, reuses it while it
is good and fetches another once it is due."""
import pytest

import mecapy
from keycloak_peer import client_secret, decode_jwt
from packages_support import deploy_examples, sandbox_args

pytestmark = pytest.mark.deadline(300)

CLIENT = "mecapy-sdk-service"


@pytest.fixture(scope="module")
def oidc_server(keycloak, server_factory):
    server = server_factory.start(*sandbox_args(), "--worker-slots", "1",
                                  "--oidc-issuer", keycloak.issuer,
                                  "--oidc-client-id", "mecapy-api",
                                  "--oidc-client-secret", client_secret("mecapy-api"),
                                  "--oidc-redirect-uri", "http://127.0.0.1:3000/auth/callback")
    deploy_examples(server, "fixtures")
    yield server
    server.stop()


def test_a_service_account_runs_a_function(oidc_server, keycloak):
    auth = mecapy.ServiceAccount(CLIENT, client_secret(CLIENT), keycloak.issuer)
    with mecapy.MecaPyClient(oidc_server.base_url, auth) as client:
        me = client.whoami()
        assert me["kind"] == "service" and me["credential"] == "provider_token"
        fixtures = client.load("admin/fixtures")
        assert fixtures.scale.with_options(no_cache=True)(force=(2, "kN"), factor=0.5) == {"result": 1000.0}
        job = fixtures.noop.submit()
        assert job.result(timeout=60) == {"result": 0}
        assert job.data["owner"] == me["id"]
    assert auth.tokens_fetched == 1  # one token served every request
    header, payload = decode_jwt(auth.access_token())
    assert header["alg"] == "ES256" and "mecapy-api" in payload["aud"]


def test_a_token_that_is_due_is_fetched_again(oidc_server, keycloak):
    # Every token Keycloak gives lives 300 s: asking to renew 10^6 s before expiry
    # makes each one due at once.
    auth = mecapy.ServiceAccount(CLIENT, client_secret(CLIENT), keycloak.issuer, renew_before=1e6)
    with mecapy.MecaPyClient(oidc_server.base_url, auth) as client:
        first = client.whoami()
        assert auth.tokens_fetched == 1
        assert client.whoami() == first
        assert auth.tokens_fetched == 2


def test_a_wrong_secret_is_an_authentication_error(oidc_server, keycloak):
    auth = mecapy.ServiceAccount(CLIENT, "not-the-secret", keycloak.issuer)
    client = mecapy.MecaPyClient(oidc_server.base_url, auth)
    with pytest.raises(mecapy.AuthenticationError) as caught:
        client.whoami()
    assert caught.value.title == "client credentials refused"
    assert "invalid_client" in caught.value.detail or "credentials" in caught.value.detail
    assert auth.tokens_fetched == 0
