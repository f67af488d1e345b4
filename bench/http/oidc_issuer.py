"""A stand-in OpenID Connect issuer for bench/http: discovery and JWKS, nothing else.

Usage: /usr/bin/python3 oidc_issuer.py OUT_DIR COUNT

Makes one RSA-2048 key (kid bench-rs256) and one EC P-256 key (kid bench-es256),
listens on 127.0.0.1 on a port the kernel picks, and serves, under the issuer
http://127.0.0.1:PORT/realms/mecapy (Keycloak's layout):
  GET /realms/mecapy/.well-known/openid-configuration   the discovery document
  GET /realms/mecapy/protocol/openid-connect/certs      the JWKS with both public keys
Everything else answers 404. There is no login and no token endpoint that works: the
bench signs its tokens here, up front, with PyJWT (Debian's python3-jwt over
python3-cryptography).

Before it serves, it writes into OUT_DIR:
  rs256.token, es256.token          one access token each (the cache-hit cases)
  rs256-tokens.txt, es256-tokens.txt COUNT distinct tokens each, one a line (the miss cases)
  issuer.json                       {"issuer", "port"}, written last: its presence means ready
The tokens are shaped like Keycloak's access tokens for a person (iss, sub, aud
mecapy-api, azp, typ Bearer, exp an hour ahead, iat, jti, profile claims, realm and
account roles), about 1 KB each. The distinct tokens differ only by jti: the same user
with new tokens, which is what a server sees when access tokens are renewed.

It runs until it gets SIGTERM or SIGINT (the run script stops it).
"""

import json
import os
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

REALM_PATH = "/realms/mecapy"
AUDIENCE = "mecapy-api"
TOKEN_LIFETIME = 3600


def public_jwk(private_key, algorithm, kid):
    to_jwk = RSAAlgorithm.to_jwk if algorithm == "RS256" else ECAlgorithm.to_jwk
    jwk = json.loads(to_jwk(private_key.public_key()))
    jwk.update(kid=kid, alg=algorithm, use="sig")
    return jwk


def claims(issuer, now):
    """A Keycloak access token's payload for the user bench-user, signed in through the
    dashboard client."""
    return {
        "exp": now + TOKEN_LIFETIME,
        "iat": now,
        "auth_time": now,
        "jti": str(uuid.uuid4()),
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": "5f0c6f2e-8d1b-4c63-9a5e-2b7d41c9e0a1",
        "typ": "Bearer",
        "azp": "mecapy-dashboard",
        "sid": "0d9f3f8a-6c2e-4b1a-8f5d-3e7c2a1b9d40",
        "acr": "1",
        "allowed-origins": ["http://127.0.0.1"],
        "realm_access": {"roles": ["default-roles-mecapy", "offline_access", "uma_authorization", "user"]},
        "resource_access": {"account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}},
        "scope": "openid profile email",
        "email_verified": True,
        "name": "Bench User",
        "preferred_username": "bench-user",
        "given_name": "Bench",
        "family_name": "User",
        "email": "bench-user@example.com",
    }


def write_atomically(path, text):
    with open(path + ".part", "w") as f:
        f.write(text)
    os.replace(path + ".part", path)


def handler_for(documents):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = documents.get(self.path)
            status = 200 if body is not None else 404
            body = body if body is not None else b'{"error": "not found"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):  # quiet: the servers' logs are what matters
            pass

    return Handler


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: oidc_issuer.py OUT_DIR COUNT")
    out_dir, count = sys.argv[1], int(sys.argv[2])

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    keys = {"RS256": (rsa_key, "bench-rs256"), "ES256": (ec_key, "bench-es256")}

    documents = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(documents))
    server.daemon_threads = True
    port = server.server_address[1]
    issuer = f"http://127.0.0.1:{port}{REALM_PATH}"
    oidc = f"{issuer}/protocol/openid-connect"
    discovery = {
        "issuer": issuer,
        "authorization_endpoint": f"{oidc}/auth",
        "token_endpoint": f"{oidc}/token",
        "jwks_uri": f"{oidc}/certs",
        "end_session_endpoint": f"{oidc}/logout",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "code_challenge_methods_supported": ["S256"],
    }
    jwks = {"keys": [public_jwk(key, alg, kid) for alg, (key, kid) in keys.items()]}
    documents[f"{REALM_PATH}/.well-known/openid-configuration"] = json.dumps(discovery).encode()
    documents[f"{REALM_PATH}/protocol/openid-connect/certs"] = json.dumps(jwks).encode()

    now = int(time.time())
    for alg, (key, kid) in keys.items():
        sign = lambda: jwt.encode(claims(issuer, now), key, algorithm=alg, headers={"kid": kid})  # noqa: E731
        write_atomically(os.path.join(out_dir, f"{alg.lower()}.token"), sign())
        write_atomically(os.path.join(out_dir, f"{alg.lower()}-tokens.txt"),
                         "".join(sign() + "\n" for _ in range(count)))

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    write_atomically(os.path.join(out_dir, "issuer.json"), json.dumps({"issuer": issuer, "port": port}))
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
