"""Files API under weight and under crashes: a 2 GiB upload streamed through the
server with its memory staying flat, and kill -9 in the middle of uploads followed by
a restart on the same data directory that leaves no row, no orphan blob and no
unfinished upload behind."""
import hashlib
import shutil
import os
import signal
import time
import tempfile
from pathlib import Path

import pytest

from support import (HTTP_TIMEOUT, StoreView, multipart_body, poll, proc_status_kib, read_response,
                     sha256_hex)

MiB = 1024 * 1024
BIG = 2 * 1024 * MiB
RSS_GROWTH_LIMIT_KIB = 32 * 1024


@pytest.fixture
def scratch_dir(servers):
    """A data directory removed at the end of the test (these hold gigabytes), after
    every server of the test is stopped."""
    d = Path(tempfile.mkdtemp(prefix="mecapy-it-files-"))
    yield d
    servers.stop_all()
    shutil.rmtree(d, ignore_errors=True)


def counter_blocks(total, block_size=MiB):
    """`total` bytes of a fast deterministic pattern: one 1 MiB block whose first 8
    bytes carry the block number, so no two blocks are equal. Yields the same buffer
    mutated in place (consume each block before asking for the next)."""
    block = bytearray(bytes(range(256)) * (block_size // 256))
    for i in range(total // block_size):
        block[0:8] = i.to_bytes(8, "little")
        yield block


def block_at(i, block_size=MiB):
    block = bytearray(bytes(range(256)) * (block_size // 256))
    block[0:8] = i.to_bytes(8, "little")
    return bytes(block)


def size_or_zero(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def raw_upload_head(server, name, length):
    return (f"POST /api/v1/files?filename={name} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {server.token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n").encode()


@pytest.mark.deadline(240)
def test_two_gib_upload_keeps_server_memory_flat(servers, scratch_dir):
    s = servers.start("--max-file-size", "3GiB", "--body-timeout", "120s", data_dir=scratch_dir)
    pid = s.process.pid
    try:
        # Warm up the upload path (pools, prepared statements, buffers) first.
        warm = b"".join(block_at(i) for i in range(16))
        r = s.request("POST", "/api/v1/files", params={"filename": "warm.bin"}, data=warm,
                      headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 201, r.text
        baseline = proc_status_kib(pid, "VmRSS")

        digest = hashlib.sha256()
        peak = baseline
        with s.connect(timeout=60) as sock:
            sock.sendall(raw_upload_head(s, "big.bin", BIG))
            for n, block in enumerate(counter_blocks(BIG)):
                digest.update(block)
                sock.sendall(block)
                if n % 32 == 0:
                    peak = max(peak, proc_status_kib(pid, "VmRSS"))
            response = read_response(sock)
        peak = max(peak, proc_status_kib(pid, "VmRSS"), proc_status_kib(pid, "VmHWM"))

        assert response is not None and response.status == 201, response
        doc = response.json()
        assert doc["size"] == BIG
        assert doc["sha256"] == digest.hexdigest()
        growth = peak - baseline
        assert growth < RSS_GROWTH_LIMIT_KIB, f"server RSS grew by {growth} KiB during a 2 GiB upload"

        # What is stored is what was sent: size on disk, and the last block read back.
        view = StoreView(scratch_dir)
        assert view.blob_path(doc["sha256"]).stat().st_size == BIG
        assert view.tmp_files() == []
        last = s.get(f"/api/v1/files/{doc['id']}/content", headers={"Range": f"bytes=-{MiB}"})
        assert last.status_code == 206
        assert last.content == block_at(BIG // MiB - 1)
        assert s.request("DELETE", f"/api/v1/files/{doc['id']}").status_code == 204
        assert not view.blob_path(doc["sha256"]).exists()
    finally:
        s.kill()


def crash_and_restart(servers, s, scratch_dir, growing_parts):
    """Waits until `growing_parts` uploads write to blobs/tmp, kills the server with
    SIGKILL, plants an orphan blob (what a crash between the blob rename and the row
    insert leaves) and restarts on the same data directory."""
    view = StoreView(scratch_dir)

    def parts_growing():
        sizes = [size_or_zero(p) for p in view.tmp_files() if p.suffix == ".part"]
        return len(sizes) >= growing_parts and sum(sizes) >= 4 * MiB
    poll(parts_growing, 20, interval=0.05, what="the uploads to be written to blobs/tmp")
    s.send_signal(signal.SIGKILL)
    s.wait_exit(timeout=10)
    assert view.tmp_files(), "the uploads in progress should have left temporary files"
    orphan_path = view.blob_path("0" * 63 + "1")
    orphan_path.parent.mkdir(parents=True, exist_ok=True)
    orphan_path.write_bytes(b"orphan")
    two_hours_ago = time.time() - 7200
    os.utime(orphan_path, (two_hours_ago, two_hours_ago))  # older than orphan_grace (1h)
    # A blob committed a moment ago without its row yet: another instance's upload
    # about to record its file. The collection must spare it.
    staged_path = view.blob_path("0" * 63 + "2")
    staged_path.write_bytes(b"staged by another instance")
    again = servers.start(data_dir=scratch_dir)
    poll(lambda: not orphan_path.exists(), 10, what="the start-up collection of the orphaned blob")
    assert staged_path.exists(), "a blob staged moments ago was taken as an orphan"
    staged_path.unlink()
    assert view.tmp_files() == []
    return again


def assert_only(server, scratch_dir, kept):
    """The store holds exactly the file `kept` and nothing else, and still works."""
    view = StoreView(scratch_dir)
    assert [r[0] for r in view.file_rows()] == [kept["id"]]
    assert view.blob_rows() == [(kept["sha256"], kept["sha256"], kept["size"], 1)]
    assert view.blob_files() == [view.blob_path(kept["sha256"])]
    listed = server.get("/api/v1/files").json()
    assert [f["id"] for f in listed["items"]] == [kept["id"]] and listed["total"] == 1
    assert server.get(f"/api/v1/files/{kept['id']}/content").content == b"survives the crash"
    r = server.request("POST", "/api/v1/files", params={"filename": "after.bin"}, data=b"after",
                       headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 201, r.text


def upload_kept(s):
    r = s.request("POST", "/api/v1/files", params={"filename": "kept.txt"}, data=b"survives the crash",
                  headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    return r.json()


def test_kill_9_during_raw_upload_leaves_nothing_after_restart(servers, scratch_dir):
    s = servers.start(data_dir=scratch_dir)
    kept = upload_kept(s)
    with s.connect() as raw:
        raw.sendall(raw_upload_head(s, "cut.bin", 256 * MiB))
        for block in counter_blocks(24 * MiB):
            raw.sendall(block)
        again = crash_and_restart(servers, s, scratch_dir, growing_parts=1)
    assert_only(again, scratch_dir, kept)
    again.kill()


def test_kill_9_during_multipart_upload_leaves_nothing_after_restart(servers, scratch_dir):
    """A form is all or nothing: a file already complete when the server dies
    mid-request must not survive the restart either. Its staged blob looks like
    another instance's upload in flight, so it stays until it is older than
    orphan_grace, then a start-up (or hourly) collection removes it."""
    s = servers.start(data_dir=scratch_dir)
    kept = upload_kept(s)
    first = b"first file, complete before the crash" * 1000
    ctype, body = multipart_body([("file", "first.bin", None, first),
                                  ("file", "second.bin", None, b"S" * (64 * MiB))])
    partial = body[: body.index(b"S" * 1000) + 8 * MiB]
    with s.connect() as form:
        form.sendall((f"POST /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
                      f"Authorization: Bearer {s.token}\r\n"
                      f"Content-Length: {len(body)}\r\n\r\n").encode() + partial)
        again = crash_and_restart(servers, s, scratch_dir, growing_parts=1)
    staged = StoreView(scratch_dir).blob_path(sha256_hex(first))
    assert staged.exists(), "a blob staged moments ago must survive the start-up collection"
    assert [r[0] for r in StoreView(scratch_dir).file_rows()] == [kept["id"]]  # but it is no file
    again.kill()
    two_hours_ago = time.time() - 7200
    os.utime(staged, (two_hours_ago, two_hours_ago))
    later = servers.start(data_dir=scratch_dir)
    poll(lambda: not staged.exists(), 10, what="the collection of the staged blob past the grace period")
    assert_only(later, scratch_dir, kept)
    later.kill()


def test_client_vanishing_mid_upload_leaves_nothing(servers, scratch_dir):
    s = servers.start(data_dir=scratch_dir)
    view = StoreView(scratch_dir)
    with s.connect() as sock:
        sock.sendall(raw_upload_head(s, "abandoned.bin", 64 * MiB))
        for block in counter_blocks(4 * MiB):
            sock.sendall(block)
        poll(lambda: any(size_or_zero(p) > 0 for p in view.tmp_files()), 10, what="the upload to start")
    poll(lambda: view.tmp_files() == [], 10, interval=0.05, what="the abandoned upload to be discarded")
    view.assert_empty()
    assert s.get("/api/v1/files", timeout=HTTP_TIMEOUT).json()["total"] == 0
