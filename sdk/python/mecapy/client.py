"""`MecaPyClient`: the entry point of the SDK — one API URL, one caller.

    client = MecaPyClient("https://mecapy.example.com", Token("mcp_..."))
    client = MecaPyClient.from_env()        # MECAPY_API_URL and MECAPY_TOKEN
    bolts = client.load("acme/bolted-joint:1.2.0")
    bolts.max_preload(d=(10, "mm"), p=1.5, mu_th=0.15)

A client holds one HTTP session (connections are reused); it is not meant to be shared
between threads. `close()` (or a `with` block) releases it.
"""
from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any, Dict, Mapping, Optional, Union
from urllib.parse import quote

import requests

from .auth import Auth, Token
from .errors import MecaPyError
from .files import RemoteFile, upload
from .functions import RemoteFunction
from .jobs import Job
from .package import Package, parse_reference
from .transport import DEFAULT_RETRIES, Http

DEFAULT_TIMEOUT = 30.0


class MecaPyClient:
    """A caller of one MecaPy API. `auth` None calls anonymously (public packages only).
    `timeout` bounds each HTTP request (seconds); `retries` is how often a request the
    server asked to repeat later (429 or 503 with `Retry-After`) is sent again."""

    def __init__(self, api_url: str, auth: Optional[Auth] = None, *, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, session: Optional[requests.Session] = None) -> None:
        if not api_url.startswith(("http://", "https://")):
            raise ValueError(f"{api_url!r}: the API URL starts with http:// or https://")
        self.api_url = api_url.rstrip("/")
        self.http = Http(self.api_url, auth, timeout, session, retries)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **kwargs: Any) -> "MecaPyClient":
        """A client configured by `MECAPY_API_URL` and `MECAPY_TOKEN` (an API token; unset
        or empty: anonymous)."""
        env = os.environ if environ is None else environ
        url = env.get("MECAPY_API_URL", "").strip()
        if not url:
            raise MecaPyError("MECAPY_API_URL is not set: give the server's URL, e.g. http://127.0.0.1:8000")
        token = env.get("MECAPY_TOKEN", "").strip()
        return cls(url, Token(token) if token else None, **kwargs)

    @property
    def auth(self) -> Optional[Auth]:
        return self.http.auth

    def whoami(self) -> Dict[str, Any]:
        """`GET /api/v1/auth/me`: who the server takes this client for."""
        return dict(self.http.json("GET", "/api/v1/auth/me"))

    def load(self, reference: str) -> Package:
        """The package `owner/name`, or one version of it with `owner/name:version`."""
        name, version = parse_reference(reference)
        package_path = f"/api/v1/packages/{quote(name, safe='')}"
        package = self.http.json("GET", package_path)
        version = version or str(package.get("latest_version") or "")
        params = {"version": version} if version else None
        listing = self.http.json("GET", f"{package_path}/functions", params=params)
        functions: Dict[str, RemoteFunction] = {}
        for entry in _items(listing):
            spec = entry if "inputs" in entry else self.http.json(
                "GET", f"{package_path}/functions/{quote(str(entry['name']), safe='')}", params=params)
            functions[str(spec["name"])] = RemoteFunction(self.http, name, version or None, spec)
        return Package(name, version, str(package.get("description") or ""), functions, package)

    def upload(self, path: Union[str, PurePath], filename: Optional[str] = None) -> RemoteFile:
        """Uploads a local file to your files; give the result for a File input."""
        return upload(self.http, PurePath(path), filename)

    def job(self, job_id: str) -> Job:
        """One of your jobs, by id."""
        return Job(self.http, self.http.json("GET", f"/api/v1/jobs/{quote(job_id, safe='')}"))

    def close(self) -> None:
        self.http.session.close()

    def __enter__(self) -> "MecaPyClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MecaPyClient({self.api_url!r}, {self.auth!r})"


def _items(listing: Any) -> "list[Dict[str, Any]]":
    if isinstance(listing, dict):
        listing = listing.get("items", listing.get("functions"))
    if isinstance(listing, list) and all(isinstance(entry, dict) for entry in listing):
        return list(listing)
    raise MecaPyError(f"unexpected function listing: {str(listing)[:200]}")
