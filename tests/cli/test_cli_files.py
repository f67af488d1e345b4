"""`mecapy files upload|ls|download|rm` against a real server: the bytes that come back
are the bytes that went in, listings show what was uploaded, deleted files are gone
(exit 4); a progress bar is drawn on a terminal (a pseudo-terminal here) and nothing of
it when stderr is not one."""
import hashlib
import json
import os

from support import HTTP_TIMEOUT


def test_upload_ls_download_rm(signed_in, server, tmp_path):
    source = tmp_path / "load cases.csv"
    content = os.urandom(300_000) + b"\nend\n"
    source.write_bytes(content)

    done = signed_in.run("files", "upload", "--json", source)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when stderr is a pipe
    uploaded = json.loads(done.stdout)
    assert uploaded["sha256"] == hashlib.sha256(content).hexdigest()
    assert uploaded["size"] == len(content) and uploaded["original_filename"] == "load cases.csv"
    stored = server.get(f"/api/v1/files/{uploaded['id']}/content", timeout=HTTP_TIMEOUT)
    assert stored.content == content

    done = signed_in.run("files", "ls")
    assert done.returncode == 0, done.stderr
    assert uploaded["id"] in done.stdout and "load cases.csv" in done.stdout
    listed = json.loads(signed_in.run("files", "ls", "--json", "--search", "load").stdout)
    assert [f["id"] for f in listed["items"]] == [uploaded["id"]]

    target = tmp_path / "copy.csv"
    done = signed_in.run("files", "download", uploaded["id"], "-o", target)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == content
    into = tmp_path / "into"
    into.mkdir()
    assert signed_in.run("files", "download", uploaded["id"], "-o", into).returncode == 0
    assert (into / "load cases.csv").read_bytes() == content

    done = signed_in.run("files", "rm", uploaded["id"])
    assert done.returncode == 0, done.stderr
    assert server.get(f"/api/v1/files/{uploaded['id']}").status_code == 404
    gone = tmp_path / "gone.csv"
    done = signed_in.run("files", "download", uploaded["id"], "-o", gone)
    assert done.returncode == 4
    assert not gone.exists() and not (tmp_path / "gone.csv.part").exists()
    assert signed_in.run("files", "rm", uploaded["id"]).returncode == 4


def test_uploading_several_files_and_a_missing_one(signed_in, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("alpha\n")
    b.write_text("beta\n")
    done = signed_in.run("files", "upload", "--json", a, b)
    assert done.returncode == 0, done.stderr
    assert [f["filename"] for f in json.loads(done.stdout)["files"]] == ["a.txt", "b.txt"]
    done = signed_in.run("files", "upload", tmp_path / "nope.txt")
    assert done.returncode == 2
    assert "no such file" in done.stderr


def test_files_need_credentials(cli, tmp_path):
    (tmp_path / "x.txt").write_text("x")
    assert cli.run("files", "ls").returncode == 3
    assert cli.run("files", "upload", tmp_path / "x.txt").returncode == 3


def test_a_terminal_gets_a_progress_bar(signed_in, tmp_path):
    source = tmp_path / "mesh.bin"
    content = os.urandom(3 * 1024 * 1024)
    source.write_bytes(content)
    code, stdout, terminal = signed_in.run_on_terminal("files", "upload", "--json", source)
    assert code == 0, terminal
    assert "mesh.bin  [" + "#" * 30 + "] 100%  3.0 MiB / 3.0 MiB" in terminal
    uploaded = json.loads(stdout)  # stdout, a pipe, carries only the answer
    assert uploaded["sha256"] == hashlib.sha256(content).hexdigest()

    target = tmp_path / "copy.bin"
    code, stdout, terminal = signed_in.run_on_terminal("files", "download", uploaded["id"], "-o", target)
    assert code == 0, terminal
    assert "copy.bin  [" + "#" * 30 + "] 100%  3.0 MiB / 3.0 MiB" in terminal
    assert stdout == f"{target}\n"
    assert target.read_bytes() == content
