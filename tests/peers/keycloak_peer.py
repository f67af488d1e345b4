"""A real Keycloak for tests, driven the way the people around it would drive it:
an operator through the admin REST API, a service through the token endpoint, and a
user through Keycloak's own HTML login form, with a cookie jar, like a browser.

The server itself is started and stopped by the `tests/peers/keycloak` script (which
fetches and builds the distribution once into the repository's `.cache/`); this module
wraps it:

    peer = KeycloakPeer(directory)    # nothing runs yet
    peer.start()                      # or start_in_background() now and wait_ready() later
    peer.issuer                       # http://127.0.0.1:PORT/realms/mecapy
    peer.stop()

A peer started by someone else (tests/integration/run starts one before pytest so that
its start overlaps other tests) is used with `KeycloakPeer.attach(directory)`: it waits
for that start to finish and never stops the server it did not start.

Client secrets and user passwords are read from the realm file the server imported
(deploy/keycloak/realm-mecapy.json), so the tests use exactly what operators import.
Standard library and `requests` only. Every HTTP call and every wait has a timeout.
"""
import base64
import hashlib
import json
import secrets
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "tests" / "peers" / "keycloak"
REALM_FILE = REPO_ROOT / "deploy" / "keycloak" / "realm-mecapy.json"
REALM = "mecapy"
HTTP_TIMEOUT = 10.0
# A first start on a fresh machine also downloads, unpacks and builds the distribution.
START_TIMEOUT = 600.0
KEY_PROVIDER = "org.keycloak.keys.KeyProvider"


class KeycloakError(Exception):
    """Keycloak did not do what a test needed (a failed start, a login refused...)."""


def decode_jwt(token):
    """(header, payload) of a compact JWS, decoded with base64 only: no signature check."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError(f"not a compact JWS: {len(parts)} parts")

    def part(text):
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

    return part(parts[0]), part(parts[1])


def pkce_pair():
    """(verifier, S256 challenge) as RFC 7636 defines them."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def realm_definition():
    """The realm file as imported: clients (with their secrets) and test users."""
    return json.loads(REALM_FILE.read_text())


def client_secret(client_id):
    for client in realm_definition()["clients"]:
        if client["clientId"] == client_id:
            return client.get("secret")
    raise KeyError(client_id)


def user_password(username):
    for user in realm_definition()["users"]:
        if user["username"] == username:
            return user["credentials"][0]["value"]
    raise KeyError(username)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


class Browser(requests.Session):
    """A cookie jar with a browser's rule for loopback addresses: browsers treat
    http://127.0.0.1 and http://localhost as secure contexts and send them `Secure`
    cookies (Keycloak marks all of its cookies so), where a plain cookie jar would
    keep them for https only."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            if cookie.domain.removesuffix(".local") in LOOPBACK_HOSTS:
                cookie.secure = False
        return response


class _LoginFormParser(HTMLParser):
    """Collects the forms of a page (action, method, named inputs with their types) and
    the messages Keycloak shows: the page title, an error page's message, a field's
    error ("Invalid username or password.")."""

    MESSAGE_IDS = ("kc-page-title", "kc-error-message")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.forms = []
        self.messages = []
        self._form = None
        self._message_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                          "inputs": {}, "types": {}}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            self._form["inputs"][attrs["name"]] = attrs.get("value") or ""
            self._form["types"][attrs["name"]] = (attrs.get("type") or "text").lower()
        element_id = attrs.get("id") or ""
        if tag in self.VOID:
            return
        if self._message_depth:
            self._message_depth += 1
        elif element_id in self.MESSAGE_IDS or element_id.startswith("input-error"):
            self._message_depth = 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if self._message_depth and tag not in self.VOID:
            self._message_depth -= 1

    def handle_data(self, data):
        if self._message_depth and data.strip():
            self.messages.append(" ".join(data.split()))


class KeycloakPeer:
    """One Keycloak server (realm `mecapy` imported) in its own directory."""

    def __init__(self, directory, owned=True):
        self.dir = Path(directory)
        self.owned = owned
        self._thread = None
        self._start_error = None
        self._admin = (None, 0.0)
        self._discovery = None

    @classmethod
    def attach(cls, directory):
        """A peer whose `start` somebody else ran (or is running) in `directory`."""
        return cls(directory, owned=False)

    # -- life cycle ---------------------------------------------------------------

    def _script(self, command, timeout):
        done = subprocess.run([str(SCRIPT), command, str(self.dir)], capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            raise KeycloakError(f"keycloak {command} failed ({done.returncode}): {done.stderr[-4000:]}")
        return done.stdout

    def start(self):
        """Starts the server and waits until the realm's discovery document answers."""
        self._script("start", START_TIMEOUT)
        return self.wait_ready()

    def start_in_background(self):
        """Starts the server from a thread; wait_ready() joins it."""

        def run():
            try:
                self._script("start", START_TIMEOUT)
            except Exception as e:  # reported by wait_ready()
                self._start_error = e

        self._thread = threading.Thread(target=run, name="keycloak-start", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout=START_TIMEOUT):
        """Waits for a start (ours or another process's) to finish; returns the base URL."""
        deadline = time.monotonic() + timeout
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise KeycloakError(f"keycloak did not start within {timeout:.0f} s")
            if self._start_error is not None:
                raise KeycloakError(str(self._start_error))
        url_file, failed_file = self.dir / "url", self.dir / "start-failed"
        while not url_file.exists():
            if failed_file.exists():
                raise KeycloakError(f"keycloak start failed: {failed_file.read_text()[-4000:]}")
            if time.monotonic() > deadline:
                raise KeycloakError(f"keycloak did not start within {timeout:.0f} s (no {url_file})")
            time.sleep(0.1)
        return self.base_url

    def stop(self):
        """Stops the server, if this object started it."""
        if self._thread is not None:
            self._thread.join(START_TIMEOUT)
        if self.owned:
            self._script("stop", 120)

    # -- addresses ----------------------------------------------------------------

    @property
    def base_url(self):
        return (self.dir / "url").read_text().strip()

    @property
    def realm_url(self):
        return f"{self.base_url}/realms/{REALM}"

    @property
    def issuer(self):
        return self.realm_url

    @property
    def admin_url(self):
        return f"{self.base_url}/admin/realms/{REALM}"

    def discovery(self):
        if self._discovery is None:
            r = requests.get(f"{self.realm_url}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT)
            r.raise_for_status()
            self._discovery = r.json()
        return self._discovery

    def jwks(self):
        r = requests.get(self.discovery()["jwks_uri"], timeout=HTTP_TIMEOUT)
        r.raise_for_status()
        return r.json()

    # -- tokens -------------------------------------------------------------------

    def admin_token(self):
        """An access token of the bootstrap admin (master realm), reused until near expiry."""
        token, expires = self._admin
        if token and time.monotonic() < expires - 10:
            return token
        username = (self.dir / "admin-username").read_text().strip()
        password = (self.dir / "admin-password").read_text().strip()
        r = requests.post(f"{self.base_url}/realms/master/protocol/openid-connect/token", timeout=HTTP_TIMEOUT,
                          data={"grant_type": "password", "client_id": "admin-cli",
                                "username": username, "password": password})
        r.raise_for_status()
        body = r.json()
        self._admin = (body["access_token"], time.monotonic() + body["expires_in"])
        return body["access_token"]

    def _token_request(self, form):
        return requests.post(self.discovery()["token_endpoint"], data=form, timeout=HTTP_TIMEOUT)

    @staticmethod
    def _with_client(form, client_id, secret):
        """`form` plus the client's credentials: `secret`, else the realm file's (none
        for a public client)."""
        secret = secret if secret is not None else client_secret(client_id)
        return {**form, "client_id": client_id, **({"client_secret": secret} if secret else {})}

    def client_credentials_token(self, client_id="mecapy-sdk-service", secret=None):
        """The token response (access_token, expires_in...) of a client-credentials grant."""
        r = self._token_request(self._with_client({"grant_type": "client_credentials"}, client_id, secret))
        if r.status_code != 200:
            raise KeycloakError(f"client credentials for {client_id}: {r.status_code} {r.text}")
        return r.json()

    def authorization_url(self, redirect_uri, state, nonce, code_challenge, client_id="mecapy-api",
                          scope="openid profile email"):
        """The URL a relying party sends the browser to (authorization code + PKCE S256)."""
        query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                 "scope": scope, "state": state, "nonce": nonce,
                 "code_challenge": code_challenge, "code_challenge_method": "S256"}
        return f"{self.discovery()['authorization_endpoint']}?{urlencode(query)}"

    def exchange_code(self, code, redirect_uri, verifier, client_id="mecapy-api", secret=None):
        """The raw token-endpoint response to an authorization-code exchange (not raised
        on errors: tests look at refusals too)."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": verifier}
        return self._token_request(self._with_client(form, client_id, secret))

    def refresh(self, refresh_token, client_id="mecapy-api", secret=None):
        """The raw token-endpoint response to a refresh-token grant."""
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self._token_request(self._with_client(form, client_id, secret))

    # -- the browser --------------------------------------------------------------

    def browser_login(self, authorization_url, username, password, session=None, max_steps=10):
        """Plays the browser: opens `authorization_url` (with a cookie jar: a `Browser`, or a
        fresh one), fills Keycloak's login form and follows Keycloak's redirects until one
        leaves Keycloak, towards the relying party's redirect URI. Returns that URL (which
        carries `code` and `state`, or `error`). The redirect URI itself is never fetched."""
        http = session if session is not None else Browser()
        redirect_uri = parse_qs(urlsplit(authorization_url).query).get("redirect_uri", [""])[0]
        keycloak = urlsplit(self.base_url).netloc
        url, method, form, submitted = authorization_url, "get", None, False
        for _ in range(max_steps):
            if method == "post":
                r = http.post(url, data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)
            else:
                r = http.get(url, allow_redirects=False, timeout=HTTP_TIMEOUT)
            if r.is_redirect:
                url, method, form = urljoin(url, r.headers["Location"]), "get", None
                if (redirect_uri and url.startswith(redirect_uri)) or urlsplit(url).netloc != keycloak:
                    return url
                continue
            page = _LoginFormParser()
            page.feed(r.text)
            login = next((f for f in page.forms if "password" in f["types"].values()), None)
            if r.status_code != 200 or login is None or submitted:
                detail = " ".join(page.messages) or r.text[:500]
                raise KeycloakError(f"login of {username} stopped at {url} ({r.status_code}): {detail}")
            form = dict(login["inputs"])
            form["username"], form["password"] = username, password
            url, method, submitted = urljoin(url, login["action"]), login["method"], True
        raise KeycloakError(f"login of {username}: more than {max_steps} steps")

    # -- operator: admin REST API -------------------------------------------------

    def _admin_request(self, method, path, **kwargs):
        r = requests.request(method, f"{self.admin_url}{path}", timeout=HTTP_TIMEOUT,
                             headers={"Authorization": f"Bearer {self.admin_token()}"}, **kwargs)
        if r.status_code >= 400:
            raise KeycloakError(f"admin {method} {path}: {r.status_code} {r.text}")
        return r

    def active_kid(self, algorithm="RS256"):
        """The kid Keycloak signs new `algorithm` tokens with."""
        return self._admin_request("GET", "/keys").json()["active"][algorithm]

    def rotate_signing_keys(self, algorithm="RS256", retire="passive"):
        """Rotates the realm's `algorithm` signing key the way an operator does: adds a new
        generated key provider above every existing one, then makes the older providers
        passive (their keys still verify, and stay in the JWKS, but sign nothing) or, with
        retire="disabled", disabled (gone from the JWKS). Returns the new key's kid.
        Every test sharing this server sees the rotation."""
        if retire not in ("passive", "disabled"):
            raise ValueError(f"retire: passive or disabled, not {retire!r}")
        provider_id = {"RS256": "rsa-generated", "ES256": "ecdsa-generated"}[algorithm]
        providers = self._admin_request("GET", "/components", params={"type": KEY_PROVIDER}).json()
        old = [p for p in providers if p["providerId"] == provider_id]
        top = max([int(p["config"].get("priority", ["0"])[0]) for p in providers] + [0])
        config = {"priority": [str(top + 10)], "active": ["true"], "enabled": ["true"]}
        config.update({"keySize": ["2048"], "algorithm": ["RS256"]} if algorithm == "RS256"
                      else {"ecdsaEllipticCurveKey": ["P-256"]})
        realm_id = self._admin_request("GET", "").json()["id"]
        created = self._admin_request("POST", "/components", json={
            "name": f"{provider_id}-{secrets.token_hex(4)}", "providerId": provider_id,
            "providerType": KEY_PROVIDER, "parentId": realm_id, "config": config})
        new_id = created.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        for provider in old:
            provider["config"]["active" if retire == "passive" else "enabled"] = ["false"]
            self._admin_request("PUT", f"/components/{provider['id']}", json=provider)
        keys = self._admin_request("GET", "/keys").json()["keys"]
        kid = next(k["kid"] for k in keys if k.get("providerId") == new_id and k.get("algorithm") == algorithm)
        if self.active_kid(algorithm) != kid:
            raise KeycloakError(f"the new {algorithm} key {kid} is not the active one")
        return kid

    def user_id(self, username):
        users = self._admin_request("GET", "/users", params={"username": username, "exact": "true"}).json()
        if len(users) != 1:
            raise KeycloakError(f"user {username}: {len(users)} matches")
        return users[0]["id"]

    def user_sessions(self, username):
        """The user's live SSO sessions (admin API), each with its id and clients."""
        return self._admin_request("GET", f"/users/{self.user_id(username)}/sessions").json()

    def end_session(self, refresh_token, client_id="mecapy-api", secret=None):
        """What a confidential relying party does on logout: posts its refresh token to the
        end-session endpoint. Returns the raw response (204 when the session ended)."""
        form = self._with_client({"refresh_token": refresh_token}, client_id, secret)
        return requests.post(self.discovery()["end_session_endpoint"], data=form, timeout=HTTP_TIMEOUT)
