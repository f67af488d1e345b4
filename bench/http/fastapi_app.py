"""Baseline for bench/http: the two benchmarked routes written the usual FastAPI way.

Serves the same payloads as mecapyd:
  GET /health           -> {"status": "ok"}
  GET /api/v1/instance  -> the one row of table `instance`, plus version fields
  GET /api/v1/auth/me   -> the caller: a provider access token checked by
                           fastapi_auth.py, then the user's row (looked up by the
                           token's iss and sub) and organisations, in mecapyd's shape

The database is a SQLite file named by MECAPY_BENCH_DB (the run script gives it a
copy of the file mecapyd created). The instance route is a plain `def`, which is
what FastAPI recommends for blocking I/O: Starlette runs it in its thread pool.
Each pool thread keeps one connection open and runs the query on every request,
much as mecapyd keeps a pool of connections; nothing is cached between requests.
The /me route reads two queries per request, as mecapyd's does (its user and its
memberships); the user must exist in the copy (mecapyd creates it on first sight of
the token, before the run script copies the database). Its token check needs
MECAPY_BENCH_ISSUER (see fastapi_auth.py); without it every token is refused.

Run with Debian's interpreter: /usr/bin/python3 -m uvicorn fastapi_app:app

MECAPY_BENCH_NODELAY=1 sets TCP_NODELAY on every accepted connection. uvicorn 0.17
does that itself with one worker, but with --workers N its accepted sockets keep
Nagle's algorithm, and each response (headers and body sent separately) waits for
the client's delayed ACK: about 40 ms per request. The run script measures
--workers 2 both as shipped and with this setting.
"""

import json
import os
import socket
import sqlite3
import threading

from fastapi import Depends, FastAPI, HTTPException

from fastapi_auth import verified_claims

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


_USER_COLUMNS = ("id, display_name, email, given_name, family_name, is_admin, roles, source, disabled, "
                 "locked_until, created_at, last_login_at")


@app.get("/api/v1/auth/me")
def me(claims: dict = Depends(verified_claims)):
    conn = _connection()
    row = conn.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE oidc_issuer = ? AND oidc_subject = ?",
                       (claims["iss"], claims["sub"])).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="no user for this token in the database copy")
    (user_id, display_name, email, given_name, family_name, is_admin, roles, source, disabled, locked_until,
     created_at, last_login_at) = row
    roles = json.loads(roles)
    scopes = ["read", "run", "deploy"] + (["admin"] if is_admin or "admin" in roles else [])
    organisations = [
        {"organisation": o, "user": u, "role": r, "added_at": a}
        for o, u, r, a in conn.execute("SELECT organization_id, user_id, role, added_at FROM organization_members "
                                       "WHERE user_id = ? ORDER BY organization_id", (user_id,))
    ]
    return {
        "id": user_id,
        "username": user_id,
        "display_name": display_name,
        "email": email or None,
        "given_name": given_name or None,
        "family_name": family_name or None,
        "is_admin": bool(is_admin),
        "roles": roles,
        "source": source,
        "disabled": bool(disabled),
        "locked_until": locked_until or None,
        "created_at": created_at,
        "last_login_at": last_login_at or None,
        "scopes": scopes,
        "credential": "provider_token",
        "kind": "user",
        "organisations": organisations,
    }
