"""A full disk under the local blob store: the upload is refused with 507
storage-full (the server's problem, not the client's 413), nothing is left
half-written, and the server keeps working once space is back. The small disk is a
real tmpfs mounted for the test (the suite runs as root, like the sandbox tests)."""
import sqlite3
import subprocess

import pytest

from support import assert_problem

MiB = 1024 * 1024


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)], check=True,
                   timeout=30)
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False, timeout=30)


def test_a_full_disk_answers_507_and_stores_nothing(servers, tmp_path, small_disk):
    db_path = tmp_path / "meta.db"
    s = servers.start("--blob-store", f"local:{small_disk}/blobs", "--database-url", f"sqlite:{db_path}")
    r = s.request("POST", "/api/v1/files", params={"filename": "too-big.bin"}, data=b"x" * (4 * MiB),
                  headers={"Content-Type": "application/octet-stream"}, timeout=30)
    doc = assert_problem(r, 507, "storage-full")
    assert str(small_disk) not in doc["detail"]  # no server path in the answer

    def rows(table):
        with sqlite3.connect(db_path, timeout=10) as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    assert rows("files") == 0 and rows("blobs") == 0
    assert list((small_disk / "blobs" / "tmp").iterdir()) == []  # no partial blob left
    assert not any(p.is_file() for p in (small_disk / "blobs" / "objects").rglob("*"))

    # With room again (a small file fits), the server works as before.
    ok = s.request("POST", "/api/v1/files", params={"filename": "small.txt"}, data=b"fits",
                   headers={"Content-Type": "text/plain"}, timeout=30)
    assert ok.status_code == 201, ok.text
    assert s.get(f"/api/v1/files/{ok.json()['id']}/content").content == b"fits"
    s.kill()
