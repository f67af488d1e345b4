"""Following a job: its logs, cancelling it, a wait that gives up, its output files."""
import hashlib

import pytest

import mecapy


def test_logs_hold_stdout_and_stderr(fixtures):
    job = fixtures.chatter.with_options(no_cache=True).submit(steps=3, pause=0.01)
    assert job.result(timeout=60) == {"steps": 3}
    assert job.logs("stdout") == "step 1/3\nstep 2/3\nstep 3/3\n"
    assert job.logs("stderr") == "note 1\nnote 2\nnote 3\n"
    everything = job.logs()
    assert sorted(everything.splitlines()) == sorted(["step 1/3", "step 2/3", "step 3/3", "note 1", "note 2",
                                                      "note 3"])


def test_a_cancelled_job_raises_on_its_result(fixtures):
    job = fixtures.sleep.with_options(no_cache=True).submit(seconds=60)
    job.cancel()
    with pytest.raises(mecapy.ExecutionError) as caught:
        job.result(timeout=60)
    assert caught.value.status == "cancelled" and job.status == "cancelled"


def test_a_wait_that_gives_up_leaves_the_job_running(fixtures):
    job = fixtures.sleep.with_options(no_cache=True).submit(seconds=60)
    try:
        with pytest.raises(mecapy.JobTimeoutError) as caught:
            job.result(timeout=0.2)
        assert isinstance(caught.value, TimeoutError)
        assert job.last_status in ("pending", "running")
    finally:
        job.cancel()


def test_output_files_are_downloaded(fixtures, tmp_path):
    job = fixtures.write_report.with_options(no_cache=True).submit(title="Bolts")
    assert job.result(timeout=60) == {"lines": 4}
    paths = job.download_outputs(tmp_path / "out")
    assert [p.name for p in paths] == ["report.txt"]
    text = paths[0].read_text(encoding="utf-8")
    assert text.startswith("Bolts\n=====\n")
    assert hashlib.sha256(paths[0].read_bytes()).hexdigest() == job.output_files[0]["sha256"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.txt"]


def test_events_bring_the_logs_and_progress_live_then_the_final_job(fixtures):
    job = fixtures.chatter.with_options(no_cache=True).submit(steps=3, pause=0.2)
    events = list(job.events())
    kinds = {event.kind for event in events}
    assert kinds == {"status", "log", "progress"}
    final = events[-1]
    assert final.kind == "status" and final.data["status"] == "completed"
    assert final.data["outputs"] == {"steps": 3}
    assert job.last_status == "completed" and job.data["outputs"] == {"steps": 3}
    stdout = "".join(e.data["chunk"] for e in events if e.kind == "log" and e.data["kind"] == "stdout")
    assert stdout == "step 1/3\nstep 2/3\nstep 3/3\n"
    progress = [(e.data["pct"], e.data["msg"]) for e in events if e.kind == "progress"]
    assert progress == [(100.0 / 3, "step 1"), (200.0 / 3, "step 2"), (100.0, "step 3")]
    indexes = [e.data["index"] for e in events if e.kind in ("log", "progress")]
    assert indexes == sorted(set(indexes))  # nothing twice, in order
