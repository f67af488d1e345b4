"""How a client proves who it is. An `Auth` gives the headers of each request and,
when the server answers 401, may drop what it holds so that the next request gets
fresh credentials (the transport retries a request once after `renew()` said True).

- `Token(token)`: an API token (`mcp_...`), sent as a Bearer token.
- `Password(username, password)`: a built-in account. It signs in at the first
  request (`POST /api/v1/auth/local/login`), then sends the session cookie (kept in
  the client's cookie jar) and the session's CSRF token in `X-CSRF-Token`; it signs in
  again when the session has ended.
- `ServiceAccount(client_id, client_secret, issuer)`: OAuth 2.0 client credentials at
  the OpenID Connect provider (Keycloak's `mecapy-sdk-service`). The token endpoint
  comes from the issuer's discovery document; an access token is reused until
  `renew_before` seconds (30 by default) before it expires, counted from when it was
  asked for, then a new one is fetched (a token that lives no longer than that is
  fetched for every request).
"""
from __future__ import annotations

import abc
import json
import threading
import time
from typing import TYPE_CHECKING, Any, Dict, Optional
from urllib.parse import quote

import requests

from .errors import AuthenticationError, error_for, problem_of, unreachable

if TYPE_CHECKING:
    from .transport import Http


class Auth(abc.ABC):
    """Credentials of a client."""

    @abc.abstractmethod
    def headers(self, http: "Http", method: str) -> Dict[str, str]:
        """The headers that carry the credentials on a request of `method`."""

    def renew(self) -> bool:
        """Forgets what the server refused; True when a retry may now succeed."""
        return False


class Token(Auth):
    """An API token (`mcp_...`), or any bearer token the server accepts."""

    def __init__(self, token: str) -> None:
        if not token or any(c in token for c in "\r\n\0 "):
            raise ValueError("a token is a non-empty string without spaces or line breaks")
        self._token = token

    def headers(self, http: "Http", method: str) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def __repr__(self) -> str:
        return f"Token({self._token[:8]}…)"


class Password(Auth):
    """A built-in account of the server: a browser-like session with its CSRF token."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._password = password
        self._csrf: Optional[str] = None
        self._lock = threading.Lock()

    def headers(self, http: "Http", method: str) -> Dict[str, str]:
        with self._lock:
            if self._csrf is None:
                self._csrf = self._sign_in(http)
            return {"X-CSRF-Token": self._csrf}

    def _sign_in(self, http: "Http") -> str:
        url = http.url("/api/v1/auth/local/login")
        try:
            response = http.session.post(url, json={"username": self.username, "password": self._password},
                                         headers={"Accept": "application/json"}, timeout=http.timeout)
        except requests.RequestException as cause:
            raise unreachable(url, cause) from cause
        if response.status_code != 200:
            raise error_for(response)
        return str(json.loads(response.content)["csrf_token"])

    def renew(self) -> bool:
        with self._lock:
            self._csrf = None
        return True

    def __repr__(self) -> str:
        return f"Password({self.username!r})"


class ServiceAccount(Auth):
    """OAuth 2.0 client credentials at an OpenID Connect provider."""

    def __init__(self, client_id: str, client_secret: str, issuer: str, *, scope: Optional[str] = None,
                 renew_before: float = 30.0, timeout: float = 10.0) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.issuer = issuer.rstrip("/")
        self.scope = scope
        self.renew_before = renew_before
        self.timeout = timeout
        self._token_endpoint: Optional[str] = None
        self._token: Optional[str] = None
        self._renew_at = 0.0
        self._lock = threading.Lock()
        self.tokens_fetched = 0  # how many access tokens this object asked for

    def headers(self, http: "Http", method: str) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token(http.session)}"}

    def access_token(self, session: Optional[requests.Session] = None) -> str:
        """The current access token, fetched anew when none is held or it is due."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._fetch(session or requests.Session())
            assert self._token is not None
            return self._token

    def renew(self) -> bool:
        with self._lock:
            self._token = None
        return True

    def _fetch(self, session: requests.Session) -> None:
        endpoint = self._discover(session)
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        # client_secret_basic, each part form-encoded first (RFC 6749, section 2.3.1).
        basic = (quote(self.client_id, safe=""), quote(self._client_secret, safe=""))
        started = time.monotonic()
        try:
            response = session.post(endpoint, data=form, auth=basic, headers={"Accept": "application/json"},
                                    timeout=self.timeout)
        except requests.RequestException as cause:
            raise unreachable(endpoint, cause) from cause
        if response.status_code != 200:
            document = problem_of(response)
            reason = document.get("error_description") or document.get("error") or document.get("detail")
            raise AuthenticationError(response.status_code, {"title": "client credentials refused",
                                                             "detail": f"{endpoint}: {reason}"})
        answer: Dict[str, Any] = json.loads(response.content)
        lifetime = float(answer.get("expires_in") or 60)
        self._token = str(answer["access_token"])
        self._renew_at = started + lifetime - self.renew_before
        self.tokens_fetched += 1

    def _discover(self, session: requests.Session) -> str:
        if self._token_endpoint is None:
            url = f"{self.issuer}/.well-known/openid-configuration"
            try:
                response = session.get(url, headers={"Accept": "application/json"}, timeout=self.timeout)
            except requests.RequestException as cause:
                raise unreachable(url, cause) from cause
            if response.status_code != 200:
                raise error_for(response)
            self._token_endpoint = str(json.loads(response.content)["token_endpoint"])
        return self._token_endpoint

    def __repr__(self) -> str:
        return f"ServiceAccount({self.client_id!r}, issuer={self.issuer!r})"
