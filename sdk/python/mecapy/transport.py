"""The one place the SDK talks HTTP: a `requests.Session` bound to an API URL and an
`Auth`, which adds the credentials to every request, signs in again once when the
server says they are no longer good (401), and turns every error answer into the
exception of `errors.py`. Answers are parsed with the standard `json` module, so
numbers come back exactly as the server wrote them (a double round-trips).
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

import requests

from . import __version__
from .auth import Auth
from .errors import error_for, unreachable

Timeout = Union[float, Tuple[float, float]]
# What a request body may be built from; a callable is called once per attempt, so
# that a retried upload reopens its files.
Files = Callable[[], Mapping[str, Any]]


class Http:
    """HTTP calls to one MecaPy API as one caller. Not thread-safe (as requests' Session)."""

    def __init__(self, api_url: str, auth: Optional[Auth], timeout: float,
                 session: Optional[requests.Session] = None) -> None:
        self.base_url = api_url.rstrip("/")
        self.auth = auth
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"mecapy-python/{__version__}")

    def url(self, path: str) -> str:
        """An absolute URL for a path of the API (`/api/v1/...`)."""
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def request(self, method: str, path: str, *, json_body: Any = None, params: Optional[Mapping[str, Any]] = None,
                files: Optional[Files] = None, data: Optional[Mapping[str, str]] = None, stream: bool = False,
                timeout: Optional[Timeout] = None) -> requests.Response:
        """Sends a request; returns the answer when its status is below 400 and raises
        the matching `ApiError` otherwise (`ServerError` when there is no answer)."""
        url = self.url(path)
        body = None if json_body is None else json.dumps(json_body, allow_nan=False).encode("utf-8")
        for attempt in (1, 2):
            headers: Dict[str, str] = {"Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            if self.auth is not None:
                headers.update(self.auth.headers(self, method))
            parts = files() if files else None
            try:
                response = self.session.request(method, url, data=body if body is not None else data, params=params,
                                                files=parts, headers=headers, stream=stream,
                                                timeout=timeout or self.timeout)
            except requests.RequestException as cause:
                raise unreachable(url, cause) from cause
            finally:
                _close_files(parts)
            if response.status_code == 401 and attempt == 1 and self.auth is not None and self.auth.renew():
                response.close()
                continue
            if response.status_code >= 400:
                error = error_for(response)
                response.close()
                raise error
            return response
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """`request`, then the answer's JSON body."""
        response = self.request(method, path, **kwargs)
        return json.loads(response.content) if response.content else None


def _close_files(parts: Optional[Mapping[str, Any]]) -> None:
    """Closes the open files of a multipart body (`(name, file, type)` values)."""
    for value in (parts or {}).values():
        stream = value[1] if isinstance(value, tuple) and len(value) > 1 else None
        close = getattr(stream, "close", None)
        if callable(close):
            close()
