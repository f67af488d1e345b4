"""`mecapy packages`, `functions show`, `run` and `jobs` against a real server with the
example packages: units sent as {value, unit}, outputs printed exactly with their units,
file inputs uploaded with the call, refused inputs listed per input, failed jobs (exit
1), async runs followed with `jobs logs -f`, cancellation, and not-found (exit 4)."""
import hashlib
import json
import subprocess

from support import poll


def output_rows(stdout):
    """{name: (value text, unit)} of the outputs table `mecapy run` prints."""
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:3] == ["output", "value", "unit"])
    rows = {}
    for line in lines[header + 1:]:
        cells = line.split()
        if not cells or cells[0] == "output" or cells[0] == "output file":
            break
        rows[cells[0]] = (cells[1], cells[2] if len(cells) > 2 else "")
    return rows


def test_packages_ls_and_show(signed_in):
    done = signed_in.run("packages", "ls")
    assert done.returncode == 0, done.stderr
    assert "admin/bolted-joint" in done.stdout and "admin/fixtures" in done.stdout
    listed = json.loads(signed_in.run("packages", "ls", "--json", "--search", "bolt").stdout)
    assert [p["name"] for p in listed["items"]] == ["bolted-joint"]
    done = signed_in.run("packages", "show", "admin/bolted-joint")
    assert done.returncode == 0, done.stderr
    assert "max_preload" in done.stdout and "1.0.0" in done.stdout
    assert signed_in.run("packages", "show", "admin/no-such-package").returncode == 4


def test_functions_show_lists_types_units_bounds_defaults(signed_in):
    done = signed_in.run("functions", "show", "admin/bolted-joint", "max_preload")
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.strip()}
    # name, type, unit, default, minimum, maximum, description...
    assert rows["d"][:6] == ["d", "Length", "mm", "(required)", "1", "150"]
    assert rows["mu_th"][1:5] == ["Float", "0.15", "0.05", "0.6"]  # no unit: the column is blank
    assert "F0_max" in rows and "N" in rows["F0_max"]
    described = json.loads(signed_in.run("functions", "show", "admin/bolted-joint", "max_preload", "--json").stdout)
    assert described["name"] == "max_preload" and "input_schema" in described
    assert signed_in.run("functions", "show", "admin/bolted-joint", "no_such_function").returncode == 4


def test_run_with_units_prints_exact_outputs(signed_in, server):
    done = signed_in.run("run", "admin/bolted-joint", "thread_geometry", "--input", "d=1cm", "--input", "p=1.5 mm",
                         "--no-cache")
    assert done.returncode == 0, done.stderr
    printed = output_rows(done.stdout)
    # The same calculation through the API, in the declared units.
    r = server.request("POST", "/api/v1/packages/admin%2Fbolted-joint/functions/thread_geometry/execute",
                       json={"inputs": {"d": 10, "p": 1.5}}, timeout=60)
    assert r.status_code == 200, r.text
    expected = r.json()
    assert set(printed) == set(expected["outputs"])
    for name, value in expected["outputs"].items():
        assert float(printed[name][0]) == value and printed[name][0] == repr(value), name
        assert printed[name][1] == expected["units"][name]

    as_json = signed_in.run("run", "admin/bolted-joint", "thread_geometry", "-i", "d=1cm", "-i", "p=1.5", "--json")
    job = json.loads(as_json.stdout)
    assert job["status"] == "completed"
    assert job["submitted_inputs"] == {"d": {"value": 1, "unit": "cm"}, "p": 1.5}
    assert job["inputs"]["d"] == 10


def test_run_with_an_input_file(signed_in, tmp_path):
    source = tmp_path / "part.csv"
    source.write_bytes(b"x,y\n1,2\n3,4\n")
    done = signed_in.run("run", "admin/fixtures", "file_info", "--input-file", f"file={source}", "--json",
                         "--no-cache")
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    assert job["outputs"] == {"size": 12, "sha256": hashlib.sha256(source.read_bytes()).hexdigest(), "lines": 3}
    assert len(job["input_files"]) == 1


def test_refused_inputs_are_listed_per_input(signed_in):
    done = signed_in.run("run", "admin/bolted-joint", "thread_geometry", "-i", "d=1000mm", "-i", "p=2 kg")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert any(line.strip().startswith("d:") for line in lines), done.stderr
    assert any(line.strip().startswith("p:") for line in lines), done.stderr
    assert "invalid-inputs" in done.stderr
    assert signed_in.run("run", "admin/bolted-joint", "thread_geometry", "-i", "d").returncode == 2


def test_a_failed_job_exits_1_with_its_error(signed_in):
    done = signed_in.run("run", "admin/fixtures", "fail", "-i", "message=the beam broke", "--no-cache")
    assert done.returncode == 1
    assert "ValueError: the beam broke" in done.stderr
    assert "Traceback" in done.stderr or "fail" in done.stderr
    assert "ended failed" in done.stderr


def test_async_run_then_logs_follow(signed_in):
    done = signed_in.run("run", "admin/fixtures", "chatter", "-i", "steps=3", "-i", "pause=0.3s", "--async",
                         "--no-cache")
    assert done.returncode == 0, done.stderr
    job_id = done.stdout.strip()
    assert job_id and "\n" not in job_id

    followed = signed_in.run("jobs", "logs", "-f", job_id)
    assert followed.returncode == 0, followed.stderr
    assert followed.stdout == "step 1/3\nstep 2/3\nstep 3/3\n"
    assert followed.stderr == "note 1\nnote 2\nnote 3\n"

    shown = json.loads(signed_in.run("jobs", "show", job_id, "--json").stdout)
    assert shown["status"] == "completed" and shown["outputs"] == {"steps": 3}
    listed = signed_in.run("jobs", "ls", "--function", "chatter")
    assert job_id in listed.stdout
    entries = [json.loads(line) for line in signed_in.run("jobs", "logs", job_id, "--json").stdout.splitlines()]
    assert [e["kind"] for e in entries] == ["stdout", "stderr"] * 3


def test_cancel_a_running_job(signed_in, server):
    done = signed_in.run("run", "admin/fixtures", "sleep", "-i", "seconds=30", "--async", "--no-cache")
    assert done.returncode == 0, done.stderr
    job_id = done.stdout.strip()
    poll(lambda: server.get(f"/api/v1/jobs/{job_id}").json()["status"] == "running", 20, interval=0.1,
         what="the job to run")
    done = signed_in.run("jobs", "cancel", job_id)
    assert done.returncode == 0, done.stderr
    assert job_id in done.stdout
    poll(lambda: server.get(f"/api/v1/jobs/{job_id}").json()["status"] == "cancelled", 20, interval=0.1,
         what="the job to be cancelled")
    shown = signed_in.run("jobs", "show", job_id)
    assert shown.returncode == 0 and "cancelled" in shown.stdout


def test_waiting_run_of_a_cancelled_job_exits_1(signed_in, server):
    waiting = subprocess.Popen([*signed_in.command(), "run", "admin/fixtures", "sleep", "-i", "seconds=30",
                                "--no-cache", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=signed_in.env(), cwd=signed_in.home)
    try:
        job_id = poll(lambda: next((j["job_id"] for j in server.get("/api/v1/jobs?function=sleep&status=running")
                                    .json()["items"]), None), 20, interval=0.1, what="a running sleep job")
        assert signed_in.run("jobs", "cancel", job_id).returncode == 0
        stdout, stderr = waiting.communicate(timeout=30)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.wait()
    assert waiting.returncode == 1, stderr
    assert "cancelled" in stderr


def test_not_found_exits_4(signed_in):
    assert signed_in.run("jobs", "show", "no-such-job").returncode == 4
    assert signed_in.run("jobs", "logs", "no-such-job").returncode == 4
    assert signed_in.run("jobs", "cancel", "no-such-job").returncode == 4
    assert signed_in.run("run", "admin/no-such-package", "f").returncode == 4
    assert signed_in.run("run", "admin/fixtures", "no_such_function").returncode == 4


def test_a_terminal_shows_the_log_and_a_status_line_while_run_waits(signed_in):
    code, stdout, terminal = signed_in.run_on_terminal("run", "admin/fixtures", "chatter", "-i", "steps=3",
                                                       "-i", "pause=0.5s", "--no-cache")
    assert code == 0, terminal
    assert output_rows(stdout) == {"steps": ("3", "")}
    for i in (1, 2, 3):
        assert f"step {i}/3" in terminal and f"note {i}" in terminal
    job_id = stdout.split()[1]
    assert f"\rjob {job_id}  " in terminal  # the status line...
    assert terminal.endswith("\r\x1b[K")  # ...is cleared once the job is done
    assert "\r" not in stdout


def test_jobs_download_writes_the_output_files(signed_in, server, tmp_path):
    done = signed_in.run("run", "admin/fixtures", "write_report", "-i", "title=Bolts", "--json", "--no-cache")
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    [report] = job["output_files"]
    target = tmp_path / "results"
    done = signed_in.run("jobs", "download", job["job_id"], "-o", target)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{target / report['name']}\n"
    written = (target / report["name"]).read_bytes()
    assert written == server.get(f"/api/v1/jobs/{job['job_id']}/files/{report['name']}").content
    assert len(written) == report["size"] and "Bolts" in written.decode()
    assert signed_in.run("jobs", "download", "no-such-job").returncode == 4
