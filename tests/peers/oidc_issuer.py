"""A small OpenID Connect issuer for tests, whose keys the tests hold: they sign the
tokens an attacker could not (expired, for another audience, with the admin role...)
and forge the ones an attacker could (alg none, HS256 keyed with the public key).

    issuer = OidcIssuer()             # serving at once, on 127.0.0.1, on a free port
    issuer.issuer                     # http://127.0.0.1:PORT/realms/mecapy
    token = issuer.token(sub="u1", preferred_username="carol")
    issuer.rotate()                   # new keys with new kids; the old ones withdrawn
    issuer.requests_to("/jwks")       # how often the keys were fetched
    issuer.stop()

What it serves (standard library http.server, one thread per request):
  /.well-known/openid-configuration   issuer, jwks_uri and the endpoints below;
  /jwks                               the public keys: one RSA-2048 (RS256) and one
                                      EC P-256 (ES256), each with its kid;
  /authorize                          signs in `person` at once (no form) and
                                      redirects to redirect_uri with a code and the
                                      state, remembering the nonce and the PKCE
                                      challenge of the request;
  /token                              authorization_code (the S256 verifier must
                                      match the challenge; a code works once) and
                                      refresh_token grants: an access token for
                                      `audience`, an ID token for the client with
                                      the nonce, a refresh token;
  /logout                             204 (the end-session endpoint).
Refusals at /token are OAuth errors (400 {"error": "invalid_grant", ...}).

Signing uses the `cryptography` package; everything else is the standard library.
"""
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

REALM_PATH = "/realms/mecapy"
AUDIENCE = "mecapy-api"
TOKEN_LIFETIME = 300


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def _uint(value: int, size: int) -> bytes:
    return value.to_bytes(size, "big")


class SigningKey:
    """A private key with its kid: RS256 (RSA-2048) or ES256 (P-256)."""

    def __init__(self, alg: str, kid: str = None):
        self.alg = alg
        self.kid = kid or f"{alg.lower()}-{secrets.token_hex(4)}"
        if alg == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif alg == "ES256":
            self.private = ec.generate_private_key(ec.SECP256R1())
        else:
            raise ValueError(f"unsupported algorithm {alg}")

    def jwk(self) -> dict:
        """The public key as a JWK (RFC 7517), as a provider publishes it."""
        numbers = self.private.public_key().public_numbers()
        if self.alg == "RS256":
            n_size = (numbers.n.bit_length() + 7) // 8
            return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                    "n": b64url(_uint(numbers.n, n_size)), "e": b64url(_uint(numbers.e, 3))}
        return {"kty": "EC", "kid": self.kid, "use": "sig", "alg": "ES256", "crv": "P-256",
                "x": b64url(_uint(numbers.x, 32)), "y": b64url(_uint(numbers.y, 32))}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, signing_input: bytes) -> bytes:
        if self.alg == "RS256":
            return self.private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        r, s = decode_dss_signature(self.private.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return _uint(r, 32) + _uint(s, 32)  # JWS wants r || s, not DER (RFC 7518 section 3.4)


def compact(header: dict, payload: dict, sign) -> str:
    """A compact JWS of `header` and `payload`; `sign(signing_input) -> bytes`."""
    signing_input = f"{b64url_json(header)}.{b64url_json(payload)}"
    return f"{signing_input}.{b64url(sign(signing_input.encode()))}"


def hs256_token(header: dict, payload: dict, secret: bytes) -> str:
    """An HMAC-SHA256 JWS keyed with `secret` (what an algorithm-confusion attack sends)."""
    return compact(header, payload, lambda data: hmac.new(secret, data, hashlib.sha256).digest())


class OidcIssuer:
    def __init__(self, audience=AUDIENCE, client_id=AUDIENCE):
        self.audience = audience
        self.client_id = client_id
        self.rsa = SigningKey("RS256")
        self.ec = SigningKey("ES256")
        self.published = [self.rsa, self.ec]
        # Who /authorize signs in: the claims of the ID and access tokens it leads to.
        self.person = {"sub": "issuer-person", "preferred_username": "dora", "email": "dora@example.com",
                       "given_name": "Dora", "family_name": "Issuer", "realm_access": {"roles": ["user"]}}
        self._lock = threading.Lock()
        self._requests = Counter()
        self._codes = {}
        self._refresh_tokens = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.issuer = self.base_url + REALM_PATH
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="oidc-issuer", daemon=True)
        self._thread.start()

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    # --- keys and tokens -------------------------------------------------------

    def rotate(self, keep_previous=False):
        """New RSA and EC keys with new kids sign from now on; the old ones stay in
        the JWKS only with keep_previous."""
        with self._lock:
            old = list(self.published)
            self.rsa, self.ec = SigningKey("RS256"), SigningKey("ES256")
            self.published = [self.rsa, self.ec] + (old if keep_previous else [])

    def claims(self, **overrides) -> dict:
        """An access token's claims for `audience`, valid for 5 minutes; a claim set
        to None is left out."""
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "azp": "mecapy-dashboard", "sub": "subject-1",
                  "typ": "Bearer", "iat": now, "nbf": now, "exp": now + TOKEN_LIFETIME,
                  "preferred_username": "carol", "email": "carol@example.com", "given_name": "Carol",
                  "family_name": "Tester", "realm_access": {"roles": ["user"]}, "scope": "openid profile email"}
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, payload: dict, key: SigningKey = None, header: dict = None) -> str:
        """`payload` signed by `key` (the current RSA key by default); the header
        names the key's kid and algorithm unless `header` says otherwise."""
        key = key or self.rsa
        return compact({"alg": key.alg, "typ": "JWT", "kid": key.kid, **(header or {})}, payload, key.sign)

    def token(self, key: SigningKey = None, **claims) -> str:
        return self.sign(self.claims(**claims), key)

    # --- bookkeeping -----------------------------------------------------------

    def requests_to(self, path: str) -> int:
        with self._lock:
            return self._requests[path]

    def _count(self, path):
        with self._lock:
            self._requests[path] += 1

    def _jwks(self):
        with self._lock:
            return {"keys": [k.jwk() for k in self.published]}

    def _metadata(self):
        return {"issuer": self.issuer, "jwks_uri": self.base_url + "/jwks",
                "authorization_endpoint": self.base_url + "/authorize", "token_endpoint": self.base_url + "/token",
                "end_session_endpoint": self.base_url + "/logout",
                "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256", "ES256"]}

    def _authorize(self, query):
        """The redirect of a signed-in person: (status, headers, body)."""
        q = {k: v[0] for k, v in parse_qs(query).items()}
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" or not q.get("redirect_uri"):
            return 400, {}, {"error": "invalid_request"}
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {"challenge": q.get("code_challenge", ""), "nonce": q.get("nonce", ""),
                                 "client_id": q.get("client_id", ""), "redirect_uri": q["redirect_uri"],
                                 "person": dict(self.person)}
        location = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")})
        return 302, {"Location": location}, None

    def _token_set(self, person, nonce, client_id):
        refresh = secrets.token_urlsafe(24)
        with self._lock:
            self._refresh_tokens[refresh] = (person, client_id)
        access = self.token(azp=client_id, **person)
        id_claims = self.claims(**person, aud=client_id, azp=client_id, typ="ID", nonce=nonce or None)
        return {"access_token": access, "id_token": self.sign(id_claims), "refresh_token": refresh,
                "token_type": "Bearer", "expires_in": TOKEN_LIFETIME}

    def _token(self, form, client_id):
        grant = form.get("grant_type")
        if grant == "authorization_code":
            with self._lock:
                login = self._codes.pop(form.get("code", ""), None)
            if not login or login["redirect_uri"] != form.get("redirect_uri") or login["client_id"] != client_id:
                return 400, {"error": "invalid_grant", "error_description": "Code not valid"}
            verifier = form.get("code_verifier", "")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != login["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
            return 200, self._token_set(login["person"], login["nonce"], client_id)
        if grant == "refresh_token":
            with self._lock:
                known = self._refresh_tokens.pop(form.get("refresh_token", ""), None)
            if not known:
                return 400, {"error": "invalid_grant", "error_description": "Token is not active"}
            return 200, self._token_set(known[0], "", known[1])
        return 400, {"error": "unsupported_grant_type"}

    def _handler_class(self):
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, body=None, headers=None):
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                issuer._count(url.path)
                if url.path == REALM_PATH + "/.well-known/openid-configuration":
                    self._answer(200, issuer._metadata())
                elif url.path == "/jwks":
                    self._answer(200, issuer._jwks())
                elif url.path == "/authorize":
                    status, headers, body = issuer._authorize(url.query)
                    self._answer(status, body, headers)
                else:
                    self._answer(404, {"error": "not_found"})

            def do_POST(self):
                url = urlsplit(self.path)
                issuer._count(url.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                client_id = form.get("client_id", "")
                basic = self.headers.get("Authorization", "")
                if basic.startswith("Basic "):
                    client_id = base64.b64decode(basic[6:]).decode().partition(":")[0]
                if url.path == "/token":
                    status, body = issuer._token(form, client_id)
                    self._answer(status, body)
                elif url.path == "/logout":
                    self._answer(204)
                else:
                    self._answer(404, {"error": "not_found"})

        return Handler
