"""Baseline for bench/http: the two benchmarked routes written the usual FastAPI way.

Serves the same payloads as mecapyd:
  GET /health           -> {"status": "ok"}
  GET /api/v1/instance  -> the one row of table `instance`, plus version fields

The database is a SQLite file named by MECAPY_BENCH_DB (the run script gives it a
copy of the file mecapyd created). The instance route is a plain `def`, which is
what FastAPI recommends for blocking I/O: Starlette runs it in its thread pool.
Each pool thread keeps one connection open and runs the query on every request,
much as mecapyd keeps a pool of connections; nothing is cached between requests.

Run with Debian's interpreter: /usr/bin/python3 -m uvicorn fastapi_app:app

MECAPY_BENCH_NODELAY=1 sets TCP_NODELAY on every accepted connection. uvicorn 0.17
does that itself with one worker, but with --workers N its accepted sockets keep
Nagle's algorithm, and each response (headers and body sent separately) waits for
the client's delayed ACK: about 40 ms per request. The run script measures
--workers 2 both as shipped and with this setting.
"""

import os
import socket
import sqlite3
import threading

from fastapi import FastAPI, HTTPException

DATABASE = os.environ["MECAPY_BENCH_DB"]
VERSION = os.environ.get("MECAPY_BENCH_VERSION", "0.0.0")

if os.environ.get("MECAPY_BENCH_NODELAY") == "1":
    from uvicorn.protocols.http.h11_impl import H11Protocol

    _connection_made = H11Protocol.connection_made

    def _connection_made_nodelay(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _connection_made(self, transport)

    H11Protocol.connection_made = _connection_made_nodelay

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
_local = threading.local()


def _connection() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True)
        _local.conn = conn
    return conn


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.get("/api/v1/instance")
def instance():
    row = _connection().execute("SELECT id, name, created_at FROM instance LIMIT 1").fetchone()
    if row is None:
        raise HTTPException(status_code=503, detail="the database has no instance row")
    return {
        "id": row[0],
        "name": row[1],
        "created_at": row[2],
        "version": VERSION,
        "api_version": 1,
    }
