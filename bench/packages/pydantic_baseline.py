"""The baseline of bench/packages: FastAPI's validator (pydantic, as Debian ships it)
checking the same tightening_torque request — types, bounds, defaults — from its JSON
text. Pydantic has no units: the request is in the declared units already, so the
baseline does strictly less work than our "plain numbers" case.

usage: pydantic_baseline.py ITERATIONS ROUNDS  (prints: name, median µs, p99 µs)
"""
import json
import statistics
import sys
import time

from pydantic import BaseModel, confloat

BODY = '{"d": 10, "p": 1.5, "dw": 16, "dh": 11, "F0_max": 25200, "alpha_A": 1.6, "mu_th": 0.14, "mu_head": 0.12}'


class TighteningTorque(BaseModel):
    class Config:
        extra = "forbid"

    d: confloat(ge=1, le=150)
    p: confloat(ge=0.2, le=8)
    dw: confloat(ge=1, le=300)
    dh: confloat(ge=1, le=200)
    F0_max: confloat(ge=1, le=10_000_000)
    alpha_A: confloat(ge=1, le=4)
    mu_th: confloat(ge=0.05, le=0.6) = 0.15
    mu_head: confloat(ge=0.05, le=0.6) = 0.15


def main():
    iterations, rounds = int(sys.argv[1]), int(sys.argv[2])
    per_request = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(iterations):
            TighteningTorque(**json.loads(BODY))
        per_request.append((time.perf_counter() - start) / iterations * 1e6)
    per_request.sort()
    p99 = per_request[min(len(per_request) - 1, round(0.99 * (len(per_request) - 1)))]
    print(f"pydantic {getattr(sys.modules['pydantic'], 'VERSION', '?')}: json.loads + model, plain numbers\t"
          f"{statistics.median(per_request):.3f}\t{p99:.3f}")


if __name__ == "__main__":
    main()
