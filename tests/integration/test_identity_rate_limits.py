"""Rate limits per caller: on a server allowing 2 requests per second with bursts of
3, a fast caller gets 429 rate-limited with Retry-After while another caller is
unaffected; anonymous callers, and callers with bad credentials, share one bucket per
client address (the tests use several loopback addresses as several clients).

The users and tokens are made with `mecapyd admin` on the server's database, so that
setting up spends nothing of any bucket."""
import http.client
import json
import subprocess

import pytest

from support import HTTP_TIMEOUT, MECAPYD, clean_env


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start("--rate-limit", "2", "--rate-limit-burst", "3",
                                "--anonymous-rate-limit", "2", "--anonymous-rate-limit-burst", "3")


def admin_cli(server, *args):
    done = subprocess.run([MECAPYD, "admin", *args, "--data-dir", str(server.data_dir)], capture_output=True,
                          text=True, env=clean_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def tokens(server):
    made = {}
    for name in ("fast", "calm"):
        admin_cli(server, "create-user", name)
        made[name] = admin_cli(server, "create-token", "--user", name, "--scopes", "read")
    return made


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def get(server, path, token=None, source="127.0.0.1"):
    """GET `path` from the loopback address `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=HTTP_TIMEOUT, source_address=(source, 0))
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        r = conn.getresponse()
        return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def until_limited(send, tries=200):
    """Calls `send` until it answers 429: (answers before it, the 429)."""
    for n in range(tries):
        answer = send()
        if answer.status == 429:
            return n, answer
    raise AssertionError(f"no 429 after {tries} requests")


def assert_rate_limited(answer):
    assert answer.status == 429, answer.body
    assert answer.headers["content-type"].startswith("application/problem+json")
    doc = answer.json()
    assert doc["type"] == "/docs/problems#rate-limited"
    retry_after = int(answer.headers["retry-after"])
    assert retry_after >= 1 and doc["retry_after_s"] == retry_after


def test_a_fast_caller_is_limited_while_another_is_not(server, tokens):
    served, limited = until_limited(lambda: get(server, "/api/v1/auth/me", tokens["fast"], source="127.0.0.10"))
    assert served >= 3  # the burst
    assert_rate_limited(limited)
    calm = get(server, "/api/v1/auth/me", tokens["calm"], source="127.0.0.10")
    assert calm.status == 200 and calm.json()["username"] == "calm"


def test_anonymous_callers_are_limited_per_address(server, tokens):
    _, limited = until_limited(lambda: get(server, "/api/v1/auth/config", source="127.0.0.20"))
    assert_rate_limited(limited)
    assert get(server, "/api/v1/auth/config", source="127.0.0.21").status == 200  # another address
    # A signed-in caller at the limited address has a bucket of their own.
    assert get(server, "/api/v1/auth/me", tokens["calm"], source="127.0.0.20").status == 200


def test_bad_credentials_count_against_the_address(server):
    answers = []

    def guess():
        answer = get(server, "/api/v1/auth/me", "mcp_" + "x" * 43, source="127.0.0.30")
        answers.append(answer.status)
        return answer

    _, limited = until_limited(guess)
    assert_rate_limited(limited)
    assert set(answers[:-1]) == {401}
    # The same bucket as anonymous requests from there: a fresh bucket would serve a
    # burst of 3 before its first 429; this one has (nearly) nothing left.
    served, limited = until_limited(lambda: get(server, "/api/v1/auth/config", source="127.0.0.30"))
    assert served < 3
    assert get(server, "/api/v1/auth/config", source="127.0.0.31").status == 200
