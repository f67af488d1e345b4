"""A server's rate limit (429 with Retry-After): the client waits as told and sends
again, up to `retries` times; with none left it raises the 429."""
import pytest

import mecapy

LIMITS = {"MECAPY_RATE_LIMIT": "1", "MECAPY_RATE_LIMIT_BURST": "2"}


@pytest.fixture(scope="module")
def limited(server_factory):
    server = server_factory.start(env=LIMITS)
    assert server.token.startswith("mcp_")  # the limit is per user: the token is made once, first
    yield server
    server.stop()


def refusals(server):
    return [line for line in server.log_lines() if line.get("status_code") == 429]


def test_requests_past_the_limit_wait_and_go_through(limited):
    client = mecapy.MecaPyClient(limited.base_url, mecapy.Token(limited.token))
    before = len(refusals(limited))
    answers = [client.whoami()["id"] for _ in range(5)]  # a burst of 2, then 1 a second
    assert answers == ["admin"] * 5
    assert len(refusals(limited)) > before  # the server did refuse some, and they were sent again


def test_without_retries_the_429_is_raised(limited):
    client = mecapy.MecaPyClient(limited.base_url, mecapy.Token(limited.token), retries=0)
    with pytest.raises(mecapy.ApiError) as caught:
        for _ in range(10):
            client.whoami()
    assert caught.value.status == 429 and caught.value.problem_type.endswith("#rate-limited")
