"""Watching jobs while they run: the log grows before the job ends, the server-sent
events stream delivers status, log chunks and progress and resumes from
Last-Event-ID, and a synchronous execute waits without holding a server thread."""
import json
import threading

import pytest

from packages_support import EXAMPLES, deploy, directory_files, sandbox_args, zip_of
from support import assert_problem, poll

FIXTURES = "admin%2Ffixtures"


@pytest.fixture(scope="module")
def live_server(module_servers):
    # One offload thread: a synchronous execute that held it would block every other
    # database route until its job ended.
    server = module_servers.start(*sandbox_args(), "--offload-threads", "1", "--worker-slots", "2",
                                  "--max-sync-wait", "30s")
    r = deploy(server, zip_of(directory_files(EXAMPLES / "fixtures")))
    assert r.status_code == 201, r.text
    return server


def submit(server, function, inputs, **options):
    body = {"inputs": inputs, "no_cache": True, **options}
    return server.request("POST", f"/api/v1/packages/{FIXTURES}/functions/{function}/execute", json=body, timeout=60)


def chatter(server, steps, pause):
    r = submit(server, "chatter", {"steps": steps, "pause": {"value": pause, "unit": "s"}}, **{"async": True})
    assert r.status_code == 202, r.text
    return r.json()["job_id"]


def read_events(response, stop_after=None):
    """Parses a text/event-stream body into [(event, id, data)] until it ends (or after
    `stop_after` events)."""
    events, fields = [], {}
    for line in response.iter_lines(decode_unicode=True):
        if line == "":
            if "event" in fields:
                events.append((fields["event"], int(fields["id"]), json.loads(fields["data"])))
                if stop_after and len(events) >= stop_after:
                    break
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    return events


@pytest.mark.deadline(120)
def test_the_log_shows_output_before_the_job_ends_and_is_complete_after(live_server):
    job_id = chatter(live_server, steps=30, pause=0.1)

    def early_output():
        logs = live_server.get(f"/api/v1/jobs/{job_id}/logs").json()
        status = live_server.get(f"/api/v1/jobs/{job_id}").json()["status"]
        return logs if logs["entries"] and status == "running" else None

    early = poll(early_output, timeout=30, interval=0.05, what="output while the job runs")
    assert early["done"] is False
    assert early["entries"][0]["chunk"].startswith("step 1/30\n") or early["entries"][0]["chunk"].startswith("note 1")

    poll(lambda: live_server.get(f"/api/v1/jobs/{job_id}").json()["status"] == "completed", timeout=60)
    logs = live_server.get(f"/api/v1/jobs/{job_id}/logs").json()
    assert logs["done"] is True
    stdout = "".join(e["chunk"] for e in logs["entries"] if e["kind"] == "stdout")
    stderr = "".join(e["chunk"] for e in logs["entries"] if e["kind"] == "stderr")
    assert stdout == "".join(f"step {i}/30\n" for i in range(1, 31))
    assert stderr == "".join(f"note {i}\n" for i in range(1, 31))
    # Paging with since/next_index gives the same entries, none twice.
    paged, since = [], 0
    while True:
        page = live_server.get(f"/api/v1/jobs/{job_id}/logs", params={"since": since, "limit": 3}).json()
        paged += page["entries"]
        if page["done"]:
            break
        assert page["next_index"] > since
        since = page["next_index"]
    assert paged == logs["entries"]


def test_logs_refuse_a_bad_cursor_and_an_unknown_job(live_server):
    job_id = chatter(live_server, steps=1, pause=0)
    assert_problem(live_server.get(f"/api/v1/jobs/{job_id}/logs", params={"since": -1}), 400)
    assert_problem(live_server.get(f"/api/v1/jobs/{job_id}/logs", params={"limit": 0}), 400)
    assert_problem(live_server.get("/api/v1/jobs/no-such-job/logs"), 404)
    assert_problem(live_server.get("/api/v1/jobs/no-such-job/events"), 404)


@pytest.mark.deadline(120)
def test_the_event_stream_delivers_status_logs_and_progress_then_ends(live_server):
    job_id = chatter(live_server, steps=5, pause=0.2)
    with live_server.get(f"/api/v1/jobs/{job_id}/events", stream=True, timeout=60) as r:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/event-stream"
        events = read_events(r)
    kinds = [e[0] for e in events]
    assert kinds[0] == "status" and kinds[-1] == "status"
    assert events[-1][2]["status"] == "completed" and events[-1][2]["outputs"] == {"steps": 5}
    statuses = [e[2]["status"] for e in events if e[0] == "status"]
    assert statuses[-1] == "completed" and set(statuses) <= {"pending", "running", "completed"}
    progress = [e[2] for e in events if e[0] == "progress"]
    assert [(p["pct"], p["msg"]) for p in progress] == [(100.0 * i / 5, f"step {i}") for i in range(1, 6)]
    logs = [e[2] for e in events if e[0] == "log"]
    assert "".join(e["chunk"] for e in logs if e["kind"] == "stdout") == "".join(
        f"step {i}/5\n" for i in range(1, 6))
    # Every entry once, in order: the ids are the next index after each entry.
    indices = [e[2]["index"] for e in events if e[0] in ("log", "progress")]
    assert indices == list(range(len(indices)))


@pytest.mark.deadline(120)
def test_the_event_stream_resumes_after_the_last_event_id(live_server):
    job_id = chatter(live_server, steps=8, pause=0.1)
    poll(lambda: live_server.get(f"/api/v1/jobs/{job_id}").json()["status"] == "completed", timeout=60)
    with live_server.get(f"/api/v1/jobs/{job_id}/events", stream=True, timeout=60) as r:
        first = read_events(r, stop_after=5)
    last_id = first[-1][1]
    with live_server.get(f"/api/v1/jobs/{job_id}/events", headers={"Last-Event-ID": str(last_id)},
                      stream=True, timeout=60) as r:
        rest = read_events(r)
    seen = [e[2]["index"] for e in first + rest if e[0] in ("log", "progress")]
    assert seen == list(range(len(seen))), "nothing lost, nothing twice"
    logs = live_server.get(f"/api/v1/jobs/{job_id}/logs").json()["entries"]
    assert [i for i in seen] [-1] >= logs[-1]["index"]
    assert rest[-1][0] == "status" and rest[-1][2]["status"] == "completed"
    bad = live_server.get(f"/api/v1/jobs/{job_id}/events", headers={"Last-Event-ID": "x1"})
    assert_problem(bad, 400)


@pytest.mark.deadline(120)
def test_a_synchronous_execute_waits_without_holding_a_server_thread(live_server):
    results = {}

    def sync_sleep(name):
        results[name] = submit(live_server, "sleep", {"seconds": 2.5})

    threads = [threading.Thread(target=sync_sleep, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    # With the only offload thread held by a waiting execute, this listing would answer
    # only once a sleep ended; it answers while both still run.
    def both_running():
        listed = live_server.get("/api/v1/jobs", params={"function": "sleep", "status": "running"}).json()
        return listed["total"] >= 2 and len(results) == 0
    poll(both_running, timeout=20, interval=0.05, what="two synchronous executes waiting while the API answers")
    for t in threads:
        t.join(timeout=60)
    assert {r.status_code for r in results.values()} == {200}
    assert all(r.json()["outputs"] == {"slept": 2.5} for r in results.values())


@pytest.mark.deadline(120)
def test_past_the_synchronous_bound_the_answer_is_202_with_the_job(module_servers):
    server = module_servers.start(*sandbox_args(), "--max-sync-wait", "1s")
    assert deploy(server, zip_of(directory_files(EXAMPLES / "fixtures"))).status_code == 201
    r = submit(server, "sleep", {"seconds": 4})
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/api/v1/jobs/{r.json()['job_id']}"
    assert r.json()["status"] in ("pending", "running")
