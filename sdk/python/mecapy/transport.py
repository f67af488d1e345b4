"""The one place the SDK talks HTTP: a `requests.Session` bound to an API URL and an
`Auth`, which adds the credentials to every request, signs in again once when the
server says they are no longer good (401), waits and sends again when the server says
when to come back (429 or 503 with `Retry-After` in seconds, up to `retries` times and
`MAX_RETRY_WAIT` seconds a wait), and turns every other error answer into the
exception of `errors.py`. Answers are parsed with the standard `json` module, so
numbers come back exactly as the server wrote them (a double round-trips).
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

import requests

from . import __version__
from .auth import Auth
from .errors import error_for, unreachable

Timeout = Union[float, Tuple[float, float]]
# What a request body may be built from; a callable is called once per attempt, so
# that a retried upload reopens its files.
Files = Callable[[], Mapping[str, Any]]
MAX_RETRY_WAIT = 30.0
DEFAULT_RETRIES = 3


class Http:
    """HTTP calls to one MecaPy API as one caller. Not thread-safe (as requests' Session)."""

    def __init__(self, api_url: str, auth: Optional[Auth], timeout: float,
                 session: Optional[requests.Session] = None, retries: int = DEFAULT_RETRIES) -> None:
        self.base_url = api_url.rstrip("/")
        self.auth = auth
        self.timeout = timeout
        self.retries = retries
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"mecapy-python/{__version__}")

    def url(self, path: str) -> str:
        """An absolute URL for a path of the API (`/api/v1/...`)."""
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def request(self, method: str, path: str, *, json_body: Any = None, params: Optional[Mapping[str, Any]] = None,
                files: Optional[Files] = None, data: Optional[Mapping[str, str]] = None, stream: bool = False,
                timeout: Optional[Timeout] = None, headers: Optional[Mapping[str, str]] = None) -> requests.Response:
        """Sends a request; returns the answer when its status is below 400 and raises
        the matching `ApiError` otherwise (`ServerError` when there is no answer)."""
        url = self.url(path)
        body = None if json_body is None else json.dumps(json_body, allow_nan=False).encode("utf-8")
        renewed = False
        retries_left = self.retries
        while True:
            sent: Dict[str, str] = {"Accept": "application/json", **(headers or {})}
            if body is not None:
                sent["Content-Type"] = "application/json"
            if self.auth is not None:
                sent.update(self.auth.headers(self, method))
            parts = files() if files else None
            try:
                response = self.session.request(method, url, data=body if body is not None else data, params=params,
                                                files=parts, headers=sent, stream=stream,
                                                timeout=timeout or self.timeout)
            except requests.RequestException as cause:
                raise unreachable(url, cause) from cause
            finally:
                _close_files(parts)
            if response.status_code == 401 and not renewed and self.auth is not None and self.auth.renew():
                renewed = True
                response.close()
                continue
            wait = _retry_after(response)
            if wait is not None and retries_left > 0:
                retries_left -= 1
                response.close()
                time.sleep(wait)
                continue
            if response.status_code >= 400:
                error = error_for(response)
                response.close()
                raise error
            return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """`request`, then the answer's JSON body."""
        response = self.request(method, path, **kwargs)
        return json.loads(response.content) if response.content else None


def _retry_after(response: requests.Response) -> Optional[float]:
    """The seconds to wait before sending again, when the server said so (429, 503)."""
    if response.status_code not in (429, 503):
        return None
    value = response.headers.get("Retry-After", "").strip()
    if not value.isdigit() or float(value) > MAX_RETRY_WAIT:
        return None
    return float(value)


def _close_files(parts: Optional[Mapping[str, Any]]) -> None:
    """Closes the open files of a multipart body (`(name, file, type)` values)."""
    for value in (parts or {}).values():
        stream = value[1] if isinstance(value, tuple) and len(value) > 1 else None
        close = getattr(stream, "close", None)
        if callable(close):
            close()
