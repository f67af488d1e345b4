"""Baseline for bench/storage: a streaming upload route written the usual FastAPI way.

  POST /api/v1/files?filename=NAME   raw body (application/octet-stream)
      -> {"filename", "size", "sha256"}
  GET  /health                       -> {"status": "ok"}

It does what mecapyd's local store does with the body, and nothing more: read it as
it arrives (`request.stream()`, never the whole body in memory), hash it with
SHA-256 on the fly, append it to a temporary file, fsync, then rename it into a
content-addressed place (objects/ab/cd/<sha256>) and fsync the directory. It keeps
no database row: mecapyd's extra work (a catalog row, quota accounting) is not
mirrored, which only flatters the baseline.

The writes are plain blocking `write` calls inside the async route, as most
FastAPI code does; for one upload at a time this is the fastest variant (no hop
to the thread pool per chunk).

BLOB_DIR names the directory the blobs go to (the run script gives it one on the
same file system as mecapyd's data dir).

Run with Debian's interpreter: /usr/bin/python3 -m uvicorn fastapi_upload:app
"""

import hashlib
import os
import tempfile

from fastapi import FastAPI, Request

BLOB_DIR = os.environ["MECAPY_BENCH_BLOB_DIR"]
TMP_DIR = os.path.join(BLOB_DIR, "tmp")
OBJECTS_DIR = os.path.join(BLOB_DIR, "objects")
os.makedirs(TMP_DIR, exist_ok=True)
os.makedirs(OBJECTS_DIR, exist_ok=True)

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.post("/api/v1/files", status_code=201)
async def upload(request: Request, filename: str):
    digest = hashlib.sha256()
    size = 0
    fd, tmp_path = tempfile.mkstemp(dir=TMP_DIR, prefix="upload-")
    try:
        with os.fdopen(fd, "wb", buffering=0) as out:
            async for chunk in request.stream():
                if chunk:
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final_dir = os.path.join(OBJECTS_DIR, sha[:2], sha[2:4])
        os.makedirs(final_dir, exist_ok=True)
        os.rename(tmp_path, os.path.join(final_dir, sha))
        _fsync_dir(final_dir)
    except BaseException:
        try:
            os.unlink(tmp_path)
        except FileNotFoundError:
            pass
        raise
    return {"filename": os.path.basename(filename), "size": size, "sha256": sha}
