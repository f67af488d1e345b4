"""500 asynchronous jobs submitted at once from 32 client threads, on SQLite and on
PostgreSQL: every submission is answered with a job, every job completes exactly once
(one attempt, its own id, the right output), and the history counts exactly them —
none lost, none duplicated. A 503 server-busy is retried after its Retry-After (the
request was not processed then); the retries are counted and printed."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from packages_support import EXAMPLES, deploy, directory_files, sandbox_args, zip_of
from test_multi_instance import fresh_database

JOBS = 500
CLIENT_THREADS = 32
NOOP = "/api/v1/packages/admin%2Ffixtures/functions/noop/execute"


def start_server(servers, database, postgres):
    args = list(sandbox_args())
    if database == "postgres":
        args += ["--database-url", fresh_database(postgres, "jobs_concurrent"), "--db-pool-size", "8"]
    server = servers.start(*args)
    r = deploy(server, zip_of(directory_files(EXAMPLES / "fixtures")))
    assert r.status_code == 201, r.text
    return server


class Submitter:
    """Submits async noop jobs, each thread on its own connection; retries 503s."""

    def __init__(self, server):
        self.server = server
        self.local = threading.local()
        self.lock = threading.Lock()
        self.retries = 0

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.headers.update(self.server.auth_headers())
        return self.local.session

    def submit(self, _):
        while True:
            r = self.session().post(self.server.url(NOOP), json={"async": True, "no_cache": True}, timeout=30)
            if r.status_code != 503:
                return r
            assert r.json()["type"].endswith("#server-busy"), r.text
            with self.lock:
                self.retries += 1
            time.sleep(float(r.headers.get("Retry-After", "1")))


def all_jobs(server):
    """Every job of the caller, through the paginated history."""
    jobs, page = [], 1
    while True:
        body = server.get("/api/v1/jobs", params={"page": page, "per_page": 100}).json()
        jobs += body["items"]
        if len(jobs) >= body["total"] or not body["items"]:
            return jobs, body["total"]
        page += 1


@pytest.mark.deadline(300)
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_500_concurrent_submissions_all_complete_exactly_once(servers, request, database):
    postgres = request.getfixturevalue("postgres") if database == "postgres" else None
    server = start_server(servers, database, postgres)
    submitter = Submitter(server)
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        answers = list(pool.map(submitter.submit, range(JOBS)))
    assert [r.status_code for r in answers] == [202] * JOBS, [r.text for r in answers if r.status_code != 202][:3]
    ids = [r.json()["job_id"] for r in answers]
    assert len(set(ids)) == JOBS

    def unfinished():
        return sum(server.get("/api/v1/jobs", params={"status": s, "per_page": 1}).json()["total"]
                   for s in ("pending", "running"))

    deadline = time.monotonic() + 240
    while unfinished():
        assert time.monotonic() < deadline, "jobs still pending or running"
        time.sleep(0.5)

    jobs, total = all_jobs(server)
    assert total == JOBS
    assert sorted(j["job_id"] for j in jobs) == sorted(ids)
    by_status = {}
    for j in jobs:
        by_status.setdefault(j["status"], []).append(j)
    assert set(by_status) == {"completed"}, {s: [(j["exit_reason"], j["error"]) for j in js[:2]]
                                             for s, js in by_status.items()}
    assert all(j["attempts"] == 1 for j in jobs), sorted({j["attempts"] for j in jobs})
    assert all(j["outputs"] == {"result": 0} and j["cached"] is False for j in jobs)
    assert all(j["worker_id"] and j["finished_at"] for j in jobs)
    assert server.get("/api/v1/jobs", params={"status": "completed", "per_page": 1}).json()["total"] == JOBS
    print(f"\n{database}: {JOBS} submissions, {submitter.retries} retried after 503 server-busy")
