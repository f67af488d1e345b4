"""The baseline of bench/auth: the same tokens checked the way a FastAPI service
usually does it, with PyJWT (Debian's python3-jwt over python3-cryptography):
jwt.decode with the public key, one allowed algorithm, the audience and the
issuer, for every request (PyJWT caches nothing).

Usage: pyjwt_baseline.py DIR ITERATIONS
DIR holds what `auth_validation_cost --export DIR` wrote. Prints one line per
algorithm: name, tab, nanoseconds per validation (median of 5 rounds).
"""

import json
import statistics
import sys
import time

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

directory, iterations = sys.argv[1], int(sys.argv[2])
settings = json.load(open(f"{directory}/settings.json"))
for alg in ("RS256", "ES256"):
    token = open(f"{directory}/{alg.lower()}.token").read()
    key = load_pem_public_key(open(f"{directory}/{alg.lower()}.pem", "rb").read())
    rounds = []
    for _ in range(5):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            jwt.decode(token, key, algorithms=[alg], audience=settings["audience"], issuer=settings["issuer"])
        rounds.append((time.perf_counter_ns() - start) / iterations)
    print(f"pyjwt_decode/{alg}\t{statistics.median(rounds):.0f}")
