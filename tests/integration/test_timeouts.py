"""Connection timeouts and concurrency: stalled clients are cut off, and they never
hold up anybody else."""
import concurrent.futures

import pytest

from support import connection_closed, read_response


@pytest.fixture(scope="module")
def quick(module_servers):
    return module_servers.start("--header-timeout", "300ms", "--body-timeout", "300ms",
                                "--idle-timeout", "300ms")


def test_stalled_header_is_cut_off(quick):
    with quick.connect() as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")  # never ends the header
        assert connection_closed(s, timeout=10)


def test_stalled_body_is_cut_off(quick):
    with quick.connect() as s:
        s.sendall(b"POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\nonly part")
        assert connection_closed(s, timeout=10)


def test_idle_keep_alive_is_closed_after_idle_timeout(quick):
    with quick.connect() as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        assert read_response(s).status == 200
        assert connection_closed(s, timeout=10)


def test_silent_connection_is_closed(quick):
    with quick.connect() as s:
        assert connection_closed(s, timeout=10)


def test_stalled_clients_do_not_block_others(servers):
    s = servers.start("--header-timeout", "30s", "--body-timeout", "30s", "--offload-threads", "2")
    stalled = []
    try:
        for i in range(20):
            c = s.connect()
            c.sendall(b"POST /api/v1/instance HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\npartial")
            stalled.append(c)
        for i in range(5):
            c = s.connect()
            c.sendall(b"GET /api/v1/instance HTTP/1.1\r\nHost: t\r\n")  # header never finished
            stalled.append(c)

        def fetch(path):
            return s.get(path, timeout=10).status_code

        paths = ["/api/v1/instance", "/ready", "/health", "/api/v1/features"] * 10
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(fetch, paths))
        assert codes == [200] * len(paths)
    finally:
        for c in stalled:
            c.close()
    assert s.alive()


def test_many_concurrent_database_requests(servers):
    s = servers.start("--offload-threads", "2", "--db-pool-size", "2")

    def fetch(_):
        r = s.get("/api/v1/instance", timeout=10)
        return r.status_code, r.json().get("id")

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(fetch, range(200)))
    assert {code for code, _ in results} == {200}
    assert len({i for _, i in results}) == 1  # one instance row, read consistently
