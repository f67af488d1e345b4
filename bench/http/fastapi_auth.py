"""Bearer-token check of the bench/http baseline, written the usual FastAPI way.

An HTTPBearer dependency takes the token from `Authorization: Bearer ...`; PyJWT
(Debian's python3-jwt over python3-cryptography) verifies its signature with the
provider's public key named by the token's `kid`, with the key's one algorithm, and
checks exp, iat, iss and aud (60 s leeway, as mecapyd's default clock skew), then the
Keycloak type `typ: Bearer`, as mecapyd does. Anything wrong answers 401.

The keys come from the provider's JWKS, found through its discovery document
(MECAPY_BENCH_ISSUER/.well-known/openid-configuration), fetched once when the module
is imported: what PyJWKClient does with its key cache, without its refetches. PyJWT
itself caches nothing, so every request pays the full check: this is the baseline of
both mecapyd's cache-hit and cache-miss rows.
"""

import json
import os
import urllib.request

import jwt
from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

ISSUER = os.environ.get("MECAPY_BENCH_ISSUER", "")
AUDIENCE = os.environ.get("MECAPY_BENCH_AUDIENCE", "mecapy-api")
LEEWAY_SECONDS = 60


def _fetch_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _signing_keys():
    """kid -> (public key, its algorithm), from the provider's JWKS; empty without an issuer."""
    if not ISSUER:
        return {}
    discovery = _fetch_json(ISSUER.rstrip("/") + "/.well-known/openid-configuration")
    jwks = _fetch_json(discovery["jwks_uri"])
    return {k["kid"]: (jwt.PyJWK(k).key, k["alg"]) for k in jwks["keys"] if k.get("use", "sig") == "sig"}


SIGNING_KEYS = _signing_keys()
bearer = HTTPBearer()


def _refuse(reason):
    raise HTTPException(status_code=401, detail=f"invalid token: {reason}",
                        headers={"WWW-Authenticate": 'Bearer realm="mecapy"'})


async def verified_claims(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
    """The claims of a valid access token of this provider; 401 for anything else.
    `async def`, as in FastAPI's security tutorial: the check is CPU work, and a
    plain `def` dependency would cost a hop to the thread pool (measured: about 25 %
    fewer requests per second)."""
    token = credentials.credentials
    try:
        key = SIGNING_KEYS.get(jwt.get_unverified_header(token).get("kid"))
        if key is None:
            _refuse("unknown kid")
        public_key, algorithm = key
        claims = jwt.decode(token, public_key, algorithms=[algorithm], audience=AUDIENCE, issuer=ISSUER,
                            leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "iss", "aud", "sub"]})
    except jwt.PyJWTError as e:
        _refuse(type(e).__name__)
    if claims.get("typ", "Bearer") != "Bearer":
        _refuse("not an access token")
    return claims
