"""Standalone workers for the integration tests: `mecapyd worker` processes started
beside an API server with the same database and blob store settings, each with a
data directory and a sandbox pool of its own (as on a machine of its own)."""
import re

from packages_support import sandbox_args
from support import Server, poll

STARTED = re.compile(r"^standalone worker (\S+) started with (\d+) slot\(s\)$")


def start_worker(factory, *args, env=None):
    """A `mecapyd worker` with `args`, stopped with the factory's servers; returns it
    once it has started, with its registry id in `.worker_id`."""
    worker = Server(factory.new_dir("worker"), [*args, *sandbox_args()], env=env, subcommand="worker")
    factory.servers.append(worker)

    def started():
        if not worker.alive():
            raise AssertionError(f"mecapyd worker exited with {worker.process.returncode}:\n"
                                 f"{worker.stderr()}\n{worker.raw_log()}")
        for line in worker.log_lines():
            m = STARTED.match(line.get("message") or "")
            if m:
                return m.group(1)
        return None

    worker.worker_id = poll(started, 30, interval=0.05, what="the worker's start line")
    return worker


def job_messages(process, job_id):
    """What one process logged about one job: the 'claimed' and 'finished' lines."""
    prefix = f"job {job_id} "
    return [line["message"] for line in process.log_lines() if (line.get("message") or "").startswith(prefix)]


def execute(server, function, inputs, **options):
    body = {"inputs": inputs, "no_cache": True, **options}
    return server.request("POST", f"/api/v1/packages/admin%2Ffixtures/functions/{function}/execute",
                          json=body, timeout=60)


def job_of(server, job_id):
    r = server.get(f"/api/v1/jobs/{job_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_job(server, job_id, predicate, timeout=60, what="the job"):
    """The job once `predicate(job)` holds."""
    return poll(lambda: (lambda job: job if predicate(job) else None)(job_of(server, job_id)), timeout,
                interval=0.1, what=what)


def wait_final(server, job_id, timeout=60):
    return wait_job(server, job_id, lambda j: j["status"] not in ("pending", "running"), timeout,
                    what=f"job {job_id} to end")


def registered(server, worker_id):
    """The worker's row in GET /api/v1/workers, or None."""
    r = server.get("/api/v1/workers")
    assert r.status_code == 200, r.text
    return next((w for w in r.json()["items"] if w["id"] == worker_id), None)


def wait_registered(server, worker_id, predicate, timeout=30, what="the worker's row"):
    def check():
        row = registered(server, worker_id)
        return row if row is not None and predicate(row) else None

    return poll(check, timeout, interval=0.1, what=what)
