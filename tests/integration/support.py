"""Helpers shared by the integration tests: a handle on one running `mecapyd`
process, and a tiny HTTP/1.1 client over raw sockets for the cases a normal client
library refuses to produce (malformed requests, slow bodies, pipelining).

Every wait here is bounded: polling loops have deadlines, sockets have timeouts.
"""
import hashlib
import json
import os
import re
import select
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
MECAPYD = os.environ.get("MECAPYD") or str(REPO_ROOT / "build" / "src" / "main" / "mecapyd")

START_TIMEOUT = 20.0
HTTP_TIMEOUT = 10.0
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)$")
LOG_FIELDS = {"timestamp", "level", "service", "request_id", "user_id", "endpoint", "method",
              "status_code", "duration_ms", "message"}
PROBLEM_FIELDS = {"type", "title", "status", "detail", "request_id"}


# Every server the tests start has the built-in administrator `admin` with this
# password (hashed with libsodium's smallest argon2id limits, which only tests use),
# and no rate limits: the load tests send faster than a person would. The tests of
# those features set them again.
ADMIN_PASSWORD = "integration-admin-password"
TEST_SETTINGS = {
    "MECAPY_ADMIN_PASSWORD": ADMIN_PASSWORD,
    "MECAPY_PASSWORD_HASH_COST": "min",
    "MECAPY_RATE_LIMIT": "0",
    "MECAPY_ANONYMOUS_RATE_LIMIT": "0",
}


def clean_env(extra=None):
    """The caller's environment without any MECAPY_* setting, plus the tests' settings
    and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MECAPY_")}
    env.update(TEST_SETTINGS)
    env.update(extra or {})
    return env


def sign_in(base_url, username="admin", password=ADMIN_PASSWORD):
    """A requests.Session signed in with a built-in account: it carries the session
    cookie, and the CSRF header every change needs."""
    session = requests.Session()
    r = session.post(f"{base_url}/api/v1/auth/local/login", json={"username": username, "password": password},
                     timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, f"sign-in as {username} failed: {r.status_code} {r.text}"
    session.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    # Behind tls_proxy the cookies are Secure, which a client keeps off plain HTTP: the
    # tests talk to the server directly, so they send them by hand.
    session.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in r.cookies)
    session.cookies.clear()
    return session


def create_token(base_url, username="admin", password=ADMIN_PASSWORD, scopes=("read", "run", "deploy", "admin"),
                 name="integration tests"):
    """A new API token (mcp_...) of a built-in account."""
    session = sign_in(base_url, username, password)
    r = session.post(f"{base_url}/api/v1/auth/tokens", json={"name": name, "scopes": list(scopes)},
                     timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    return r.json()["token"]


def run_mecapyd(*args, env=None, cwd=None, timeout=30):
    """Runs a short-lived mecapyd command (migrate, invalid config) to completion."""
    return subprocess.run([MECAPYD, *map(str, args)], capture_output=True, text=True,
                          env=clean_env(env), cwd=cwd, timeout=timeout)


def free_port():
    """A port that was free a moment ago (only for servers that cannot report theirs)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(predicate, timeout, interval=0.02, what="condition"):
    """Calls predicate until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Server:
    """One `mecapyd serve` process on 127.0.0.1 with its own data directory (or, with
    subcommand="worker", a standalone worker, which serves no HTTP)."""

    def __init__(self, data_dir: Path, args, env=None, subcommand="serve"):
        self.data_dir = Path(data_dir)
        self.log_path = self.data_dir / "stdout.log"
        self.err_path = self.data_dir / "stderr.log"
        command = [MECAPYD, subcommand]
        if subcommand == "serve" and "--listen" not in args:
            command += ["--listen", "127.0.0.1:0"]
        if "--data-dir" not in args:
            command += ["--data-dir", str(self.data_dir)]
        command += [str(a) for a in args]
        self.command = command
        with open(self.log_path, "wb") as out, open(self.err_path, "wb") as err:
            self.process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                            cwd=self.data_dir, env=clean_env(env))
        self.port = None
        if "--listen" in args:
            self.fixed_port = int(str(args[args.index("--listen") + 1]).rsplit(":", 1)[1])
        else:
            self.fixed_port = 0

    # --- process ---------------------------------------------------------------

    def wait_listening(self):
        if self.fixed_port:
            return self._wait_connectable()

        def listening():
            for line in self.log_lines():
                m = LISTENING.search(line.get("message") or "")
                if m:
                    return int(m.group(1))
            if self.process.poll() is not None:
                raise AssertionError(
                    f"mecapyd exited with {self.process.returncode} before listening:\n"
                    f"{self.err_path.read_text()}\n{self.log_path.read_text()}")
            return None

        self.port = poll(listening, START_TIMEOUT, what="the 'listening on' log line")
        return self

    def _wait_connectable(self):
        """For servers whose log level hides the 'listening on' line: poll the port."""
        def connectable():
            if self.process.poll() is not None:
                raise AssertionError(f"mecapyd exited with {self.process.returncode}:\n{self.stderr()}")
            try:
                socket.create_connection(("127.0.0.1", self.fixed_port), timeout=1).close()
                return True
            except OSError:
                return False

        poll(connectable, START_TIMEOUT, interval=0.05, what=f"port {self.fixed_port} to accept")
        self.port = self.fixed_port
        return self

    def send_signal(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)

    def wait_exit(self, timeout=15.0):
        return self.process.wait(timeout=timeout)

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        """SIGKILL: the server dies as in a crash."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self):
        """SIGTERM, so that the server exits normally (a coverage build writes its
        counters then); SIGKILL when it has not exited within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()

    # --- output ----------------------------------------------------------------

    def raw_log(self):
        return self.log_path.read_text(errors="replace")

    def log_lines(self):
        """Every complete stdout line, parsed as JSON (a non-JSON line fails the test)."""
        text = self.raw_log()
        complete = text[: text.rfind("\n") + 1]
        lines = []
        for raw in complete.splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError as e:
                raise AssertionError(f"log line is not JSON: {raw!r}") from e
        return lines

    def wait_log(self, predicate, timeout=10.0, what="a log line"):
        def find():
            for line in self.log_lines():
                if predicate(line):
                    return line
            return None

        return poll(find, timeout, what=what)

    def stderr(self):
        return self.err_path.read_text(errors="replace")

    # --- HTTP --------------------------------------------------------------------

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self):
        """An API token of the administrator, made on first use and kept."""
        if getattr(self, "_token", None) is None:
            self._token = create_token(self.base_url)
        return self._token

    def auth_headers(self, headers=None):
        """`headers` with the administrator's token added (unless they carry an
        Authorization of their own)."""
        headers = dict(headers or {})
        if any(k.lower() == "authorization" for k in headers):
            return headers
        return {"Authorization": f"Bearer {self.token}", **headers}

    def get(self, path, auth=True, **kw):
        """GET as the administrator (auth=False: without credentials)."""
        return self.request("GET", path, auth=auth, **kw)

    def request(self, method, path, auth=True, **kw):
        """A request as the administrator to the API (/api/...); the operational
        routes (/health, /ready, /metrics, /docs) are called without credentials, as
        probes and browsers call them. auth=False: no credentials at all."""
        kw.setdefault("timeout", HTTP_TIMEOUT)
        if auth and path.startswith("/api/"):
            kw["headers"] = self.auth_headers(kw.get("headers"))
        return requests.request(method, self.url(path), **kw)

    def connect(self, timeout=HTTP_TIMEOUT):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.settimeout(timeout)
        return s

    def exchange(self, raw: bytes, timeout=HTTP_TIMEOUT):
        """Sends raw bytes on a fresh connection, returns (response, connection_closed_after)."""
        with self.connect(timeout) as s:
            s.sendall(raw)
            response = read_response(s)
            return response, connection_closed(s, timeout)


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case name -> value (last one wins)
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.headers} {self.body[:300]!r}>"


def _recv_until(sock, buf: bytearray, marker: bytes):
    while marker not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return False
        buf += chunk
    return True


def read_response(sock, head_request=False, pending: bytearray = None):
    """Reads one HTTP/1.1 response (Content-Length framed); None if the peer closed first.
    `pending` carries bytes already read past a previous response on the same socket."""
    buf = pending if pending is not None else bytearray()
    if not _recv_until(sock, buf, b"\r\n\r\n"):
        if buf:
            raise AssertionError(f"connection closed inside a response header: {bytes(buf)!r}")
        return None
    end = buf.index(b"\r\n\r\n")
    head = bytes(buf[:end]).decode("latin-1")
    del buf[: end + 4]
    status_line, *fields = head.split("\r\n")
    version, status, *reason = status_line.split(" ", 2)
    assert version.startswith("HTTP/1."), status_line
    headers = {}
    for f in fields:
        name, _, value = f.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = 0 if head_request or status in ("204", "304") else int(headers.get("content-length", "0"))
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed inside a response body")
        buf += chunk
    body = bytes(buf[:length])
    del buf[:length]
    return Response(int(status), reason[0] if reason else "", headers, body)


def connection_closed(sock, timeout=HTTP_TIMEOUT):
    """True when the peer closes the connection (EOF or reset) within `timeout`; False
    when it stays open that long or sends more data."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def assert_problem(response, status, type_suffix=None):
    """Checks an RFC 9457 problem document as this server promises it."""
    if isinstance(response, requests.Response):
        code, headers, body = response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content
    else:
        code, headers, body = response.status, response.headers, response.body
    assert code == status, (code, body)
    assert headers.get("content-type", "").split(";")[0].strip() == "application/problem+json", headers
    doc = json.loads(body)
    assert PROBLEM_FIELDS <= doc.keys(), doc
    assert doc["status"] == status
    assert isinstance(doc["title"], str) and doc["title"]
    assert isinstance(doc["detail"], str) and doc["detail"]
    assert doc["type"].startswith("/docs/problems#"), doc["type"]
    if type_suffix:
        assert doc["type"] == "/docs/problems#" + type_suffix, doc["type"]
    assert doc["request_id"] and doc["request_id"] == headers.get("x-request-id"), (doc, headers)
    return doc


# --- files API helpers ------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def multipart_body(parts, boundary="----mecapy-test-boundary-7d1f"):
    """Builds a multipart/form-data body in memory (small bodies only).
    `parts`: (field_name, filename, content_type, data) tuples; filename None makes a
    plain form field, a str is sent as a quoted-string (backslashes and quotes
    escaped), bytes are inserted verbatim after `filename=`; content_type may be None.
    Returns (content_type_header, body)."""
    out = bytearray()
    for name, filename, ctype, data in parts:
        out += b"--" + boundary.encode() + b"\r\n"
        disposition = f'form-data; name="{name}"'.encode()
        if isinstance(filename, str):
            quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
            disposition += b'; filename="' + quoted.encode("utf-8") + b'"'
        elif isinstance(filename, bytes):
            disposition += b"; filename=" + filename
        out += b"Content-Disposition: " + disposition + b"\r\n"
        if ctype:
            out += b"Content-Type: " + ctype.encode() + b"\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def stream_request(server, method, target, headers, chunks, content_length=None, timeout=HTTP_TIMEOUT,
                   on_chunk=None):
    """Sends a request whose body comes from the iterable `chunks` (Content-Length framed
    when `content_length` is given, chunked otherwise) and returns the Response.
    Stops sending as soon as the server answers early (a refusal mid-body), so the
    answer is read rather than lost to a reset. `on_chunk(bytes_sent)` runs after each
    chunk. Returns (response, bytes_sent)."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if target.startswith("/api/"):
        headers = server.auth_headers(headers)
    lines += [f"{k}: {v}" for k, v in headers.items()]
    chunked = content_length is None
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {content_length}")
    sent = 0
    with server.connect(timeout) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        answered = False
        for chunk in chunks:
            if select.select([s], [], [], 0)[0]:
                answered = True
                break
            try:
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            except (BrokenPipeError, ConnectionResetError):
                answered = True
                break
            sent += len(chunk)
            if on_chunk:
                on_chunk(sent)
        if chunked and not answered:
            try:
                s.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        return read_response(s), sent


def proc_status_kib(pid, field):
    """A /proc/PID/status memory field (VmRSS, VmHWM) in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


class StoreView:
    """Reads a local data directory the way an operator would: the SQLite tables and
    the blob store's files on disk."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.blobs = self.data_dir / "blobs"

    def query(self, sql, *params):
        db = sqlite3.connect(f"file:{self.data_dir / 'mecapy.db'}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def file_rows(self):
        return self.query("SELECT id, filename, size, sha256, blob_key FROM files ORDER BY created_at")

    def blob_rows(self):
        return self.query("SELECT blob_key, sha256, size, refcount FROM blobs ORDER BY blob_key")

    def blob_files(self):
        """Every regular file under blobs/objects, as paths."""
        root = self.blobs / "objects"
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    def tmp_files(self):
        root = self.blobs / "tmp"
        return sorted(p for p in root.iterdir() if not p.name.startswith(".probe-")) if root.exists() else []

    def blob_path(self, sha256):
        return self.blobs / "objects" / sha256[:2] / sha256[2:4] / sha256

    def assert_empty(self):
        """Nothing stored: no file row, no blob row, no blob file, no upload in progress."""
        assert self.file_rows() == []
        assert self.blob_rows() == []
        assert self.blob_files() == []
        assert self.tmp_files() == []
