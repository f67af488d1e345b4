"""Standalone workers (`mecapyd worker`) beside an API-only server (`--worker-slots 0`),
all on one PostgreSQL and one S3 bucket, as on separate machines: jobs run on the
workers and are listed with them; a worker killed or frozen in the middle of a job
loses it to another worker once its lease expired, and the job completes once; a
worker asked to stop lets its job finish, or hands it back past shutdown_timeout, and
leaves the registry; a worker refuses a schema that is not current."""
import hashlib
import signal

import pytest

from packages_support import EXAMPLES, deploy, directory_files, sandbox_args, zip_of
from support import run_mecapyd
from test_multi_instance import S3_ENV, fresh_database, new_bucket
from workers_support import (execute, job_messages, job_of, registered, start_worker, wait_final, wait_job,
                             wait_registered)

LEASE = "2s"  # short, so that a lost worker's job is retried within the test


class Cluster:
    def __init__(self, server, settings):
        self.server = server
        self.settings = settings  # what every worker shares with the server

    def worker(self, factory, *args):
        return start_worker(factory, *self.settings, "--slots", "1", *args, env=S3_ENV)

    def sleep_on_new_worker(self, factory, seconds, *worker_args):
        """A new one-slot worker and an async `sleep` job, returned once it runs there."""
        worker = self.worker(factory, *worker_args)
        job_id = execute(self.server, "sleep", {"seconds": seconds}, **{"async": True}).json()["job_id"]
        wait_job(self.server, job_id, lambda j: j["status"] == "running" and j["worker_id"] == worker.worker_id,
                 what="the job running on the new worker")
        return worker, job_id


@pytest.fixture(scope="module")
def cluster(module_servers, postgres, s3_peer):
    url = fresh_database(postgres, "standalone_workers")
    _, location = new_bucket(s3_peer, "standalone-workers")
    settings = ["--database-url", url, "--blob-store", location, "--job-lease", LEASE, "--db-pool-size", "4"]
    server = module_servers.start(*settings, "--worker-slots", "0", "--max-sync-wait", "30s", *sandbox_args(),
                                  env=S3_ENV)
    r = deploy(server, zip_of(directory_files(EXAMPLES / "fixtures")))
    assert r.status_code == 201, r.text
    return Cluster(server, settings)


def finished_lines(process, job_id):
    return [m for m in job_messages(process, job_id) if " finished: " in m]


@pytest.mark.deadline(120)
def test_an_api_only_server_runs_its_jobs_on_a_standalone_worker(cluster, servers):
    server = cluster.server
    server.wait_log(lambda l: "workers: none in this process" in (l["message"] or ""),
                    what="the server saying it has no embedded worker")
    worker = start_worker(servers, *cluster.settings, "--slots", "2", env=S3_ENV)

    r = execute(server, "scale", {"force": {"value": 2, "unit": "kN"}, "factor": 1.5})
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "completed", job
    assert job["worker_id"] == worker.worker_id
    assert job["outputs"]["result"] == pytest.approx(3000.0)
    assert [m.split(":")[0] for m in job_messages(worker, job["job_id"])] == [
        f"job {job['job_id']} claimed", f"job {job['job_id']} finished"]

    # An output file the worker stored is downloaded from the server: one blob store.
    report = execute(server, "write_report", {"title": "Standalone"}).json()
    assert report["status"] == "completed" and report["worker_id"] == worker.worker_id, report
    (file,) = report["output_files"]
    download = server.get(file["url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == file["sha256"]

    row = wait_registered(server, worker.worker_id, lambda w: True)
    assert row["kind"] == "standalone" and row["slots"] == 2 and row["state"] == "alive", row
    assert row["pid"] == worker.process.pid and row["host"] == worker.worker_id.rsplit(":", 1)[0]
    slow = execute(server, "sleep", {"seconds": 2}, **{"async": True})
    assert slow.status_code == 202, slow.text
    busy = wait_registered(server, worker.worker_id, lambda w: w["running_jobs"] == 1,
                           what="the worker's row counting its running job")
    assert busy["last_heartbeat"] >= row["last_heartbeat"] and busy["started_at"] == row["started_at"]
    assert wait_final(server, slow.json()["job_id"])["status"] == "completed"
    wait_registered(server, worker.worker_id, lambda w: w["running_jobs"] == 0, what="the worker idle again")

    listed = server.get("/api/v1/workers").json()["items"]
    assert all(w["kind"] == "standalone" for w in listed), "a server with 0 slots registers no worker"


@pytest.mark.deadline(120)
def test_a_job_whose_worker_is_killed_runs_again_on_another_and_completes_once(cluster, servers):
    server = cluster.server
    first, job_id = cluster.sleep_on_new_worker(servers, 3)
    first.kill()  # SIGKILL, in the middle of the job

    second = cluster.worker(servers)
    job = wait_final(server, job_id)
    assert job["status"] == "completed", job
    assert job["attempts"] == 2 and job["worker_id"] == second.worker_id, job
    assert job["outputs"]["slept"] == 3
    assert finished_lines(first, job_id) == []
    (claimed, finished) = job_messages(second, job_id)
    assert claimed.endswith("attempt 2") and " finished: completed" in finished

    lost = wait_registered(server, first.worker_id, lambda w: w["state"] == "lost",
                           what="the killed worker shown lost")
    assert lost["last_heartbeat"] < registered(server, second.worker_id)["last_heartbeat"]
    assert registered(server, second.worker_id)["state"] == "alive"


@pytest.mark.deadline(120)
def test_a_worker_back_after_its_lease_expired_cannot_complete_the_job(cluster, servers):
    server = cluster.server
    first, job_id = cluster.sleep_on_new_worker(servers, 2)
    wait_registered(server, first.worker_id, lambda w: w["running_jobs"] == 1, what="the first worker busy")
    first.send_signal(signal.SIGSTOP)  # frozen past its lease, its job still "running" on it
    try:
        second = cluster.worker(servers)
        done = wait_final(server, job_id)
        assert done["status"] == "completed" and done["attempts"] == 2, done
        assert done["worker_id"] == second.worker_id
    finally:
        first.send_signal(signal.SIGCONT)

    # Back, the first worker finds its lease gone and drops its result.
    wait_registered(server, first.worker_id, lambda w: w["state"] == "alive" and w["running_jobs"] == 0,
                    what="the first worker back, without its job")
    assert job_of(server, job_id) == done
    assert finished_lines(first, job_id) == []
    assert len(finished_lines(second, job_id)) == 1


@pytest.mark.deadline(120)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopping_worker_finishes_its_job_then_leaves_the_registry(cluster, servers, sig):
    server = cluster.server
    worker, job_id = cluster.sleep_on_new_worker(servers, 2)
    wait_registered(server, worker.worker_id, lambda w: w["running_jobs"] == 1, what="the worker busy")
    worker.send_signal(sig)
    worker.wait_log(lambda l: (l["message"] or "").startswith("shutdown requested"), what="the shutdown line")
    assert worker.wait_exit(timeout=30) == 0, worker.stderr()

    job = job_of(server, job_id)
    assert job["status"] == "completed" and job["worker_id"] == worker.worker_id and job["attempts"] == 1, job
    assert registered(server, worker.worker_id) is None


@pytest.mark.deadline(120)
def test_past_shutdown_timeout_the_job_goes_back_and_another_worker_runs_it(cluster, servers):
    server = cluster.server
    first, job_id = cluster.sleep_on_new_worker(servers, 5, "--shutdown-timeout", "1s")
    first.send_signal(signal.SIGTERM)
    assert first.wait_exit(timeout=30) == 0, first.stderr()

    handed_back = job_of(server, job_id)
    assert handed_back["status"] == "pending" and handed_back["attempts"] == 0, handed_back
    assert registered(server, first.worker_id) is None
    second = cluster.worker(servers)
    job = wait_final(server, job_id)
    assert job["status"] == "completed" and job["worker_id"] == second.worker_id and job["attempts"] == 1, job


def test_a_worker_refuses_a_schema_that_is_not_current(postgres, tmp_path):
    url = fresh_database(postgres, "worker_stale_schema")
    common = ("--database-url", url, "--data-dir", tmp_path, "--blob-store", f"local:{tmp_path / 'blobs'}")
    for args in (("up",), ("down", "1")):
        done = run_mecapyd("migrate", *args, *common)
        assert done.returncode == 0, done.stderr
    before = run_mecapyd("migrate", "status", *common).stdout
    assert before.rstrip().endswith("pending"), before

    done = run_mecapyd("worker", *common, *sandbox_args())
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "schema is not current" in done.stderr and "mecapyd migrate up" in done.stderr, done.stderr
    assert run_mecapyd("migrate", "status", *common).stdout == before, "a worker never migrates"

    empty = run_mecapyd("worker", "--database-url", f"sqlite:{tmp_path / 'empty.db'}", "--data-dir", tmp_path,
                        *sandbox_args())
    assert empty.returncode == 1 and "schema is not current" in empty.stderr, empty.stderr


def test_a_worker_needs_at_least_one_slot(tmp_path):
    for args, env in ((("--slots", "0"), None), ((), {"MECAPY_WORKER_SLOTS": "0"})):
        done = run_mecapyd("worker", "--data-dir", tmp_path, *args, env=env)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "slot" in done.stderr.lower() or "--slots" in done.stderr, done.stderr


@pytest.mark.deadline(120)
def test_notifications_carry_jobs_between_instances_without_waiting_for_the_safety_poll(module_servers, servers,
                                                                                        postgres, s3_peer):
    """With job_poll at 10 minutes, only PostgreSQL NOTIFY can wake the worker for a job
    queued on the API server, and wake the server's waiting execute and event stream
    when the worker records it: each finishing well inside the test's deadline proves
    the relay carried it."""
    url = fresh_database(postgres, "notify_relay")
    _, location = new_bucket(s3_peer, "notify-relay")
    settings = ["--database-url", url, "--blob-store", location, "--job-poll", "10m", "--db-pool-size", "4"]
    server = module_servers.start(*settings, "--worker-slots", "0", "--max-sync-wait", "60s", *sandbox_args(),
                                  env=S3_ENV)
    assert deploy(server, zip_of(directory_files(EXAMPLES / "fixtures"))).status_code == 201
    worker = start_worker(servers, *settings, "--slots", "1", env=S3_ENV)
    wait_registered(server, worker.worker_id, lambda w: True)
    for _ in range(3):  # the worker sleeps on its 10-minute poll between jobs
        r = execute(server, "noop", {})
        assert r.status_code == 200 and r.json()["status"] == "completed", r.text
        assert r.json()["worker_id"] == worker.worker_id
    # The event stream on the server follows a job that runs on the worker.
    job_id = execute(server, "chatter", {"steps": 3, "pause": 0.2}, **{"async": True}).json()["job_id"]
    with server.get(f"/api/v1/jobs/{job_id}/events", stream=True, timeout=50) as stream:
        body = "".join(line + "\n" for line in stream.iter_lines(decode_unicode=True))
    assert "event: progress" in body and "step 3/3" in body
    assert body.rstrip().splitlines()[-1].startswith("data: {") and '"status":"completed"' in body
