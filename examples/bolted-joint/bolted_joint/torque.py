"""Tightening torques for a tightening method of known scatter.

Promises: `tightening_torque` returns the torque to set on the tool (nominal) and
the torque band the method produces (min, max) such that the largest preload
reached is F0_max, typically the result of `max_preload`; F0_lowest is the least
preload the method then guarantees, to compare with `min_preload`.

The scatter of a tightening method is given by the tightening factor alpha_A of
VDI 2230 Part 1, alpha_A = F0_high / F0_low (1 for a perfect method; guideline
values published with VDI 2230 run from about 1.1 to 1.3 for yield- or
angle-controlled tightening, about 1.4 to 1.6 for a torque wrench with the torque
determined on the actual parts, to 2.5 to 4 for impact wrenches). The equivalent
symmetric dispersion, as the precision classes of NF E25-030 state it, is
+/- x = (alpha_A - 1) / (alpha_A + 1) around the nominal value.

Formulas:
- dispersion        x = (alpha_A - 1) / (alpha_A + 1)
- preloads          F0_nominal = F0_max / (1 + x),  F0_lowest = F0_max / alpha_A
                    (= F0_nominal * (1 - x))
- torque            C(F) = F * (0.16 p + 0.583 d2 mu_th + r_m mu_head)
                    thread part (threads.py) plus friction under the head at the
                    mean bearing radius r_m = (dw + dh) / 4 (bearing.py)
- torques           C_nominal = C(F0_nominal), C_min = C(F0_lowest), C_max = C(F0_max)
The friction coefficients are taken as one value each; a spread of friction is part
of what alpha_A covers.
"""

from bolted_joint._validation import require_between, require_positive
from bolted_joint.bearing import bearing_annulus
from bolted_joint.stress import N_MM_PER_N_M
from bolted_joint.threads import metric_thread, require_friction, thread_torque_arm

TIGHTENING_FACTOR_RANGE = (1.0, 4.0)


def tightening_torque(
    d: float,
    p: float,
    dw: float,
    dh: float,
    F0_max: float,
    alpha_A: float,
    mu_th: float = 0.15,
    mu_head: float = 0.15,
) -> dict[str, float]:
    """Nominal, minimum and maximum tightening torques that keep the preload at or below F0_max.

    Args:
        d: nominal diameter, mm.
        p: pitch, mm.
        dw: outer diameter of the bearing surface under the head, mm.
        dh: diameter of the clearance hole, mm (at least d).
        F0_max: largest preload the bolt may receive, N.
        alpha_A: tightening factor of the method, F0_high / F0_low (1 to 4).
        mu_th: friction coefficient in the threads.
        mu_head: friction coefficient under the head.

    Returns:
        dispersion (x, the +/- share around nominal), F0_nominal and F0_lowest (N),
        C_nominal, C_min, C_max (N.m), and the two parts of C_nominal:
        C_thread and C_head (N.m).
    """
    thread = metric_thread(d, p)
    annulus = bearing_annulus(dw, dh)
    if annulus.dh < thread.d:
        raise ValueError(f"the hole dh = {annulus.dh:g} mm must clear the bolt: dh >= d = {thread.d:g} mm")
    F0_max = require_positive("F0_max", F0_max, "N")
    alpha = require_between("alpha_A", alpha_A, *TIGHTENING_FACTOR_RANGE)
    thread_arm = thread_torque_arm(thread, mu_th)
    head_arm = annulus.mean_radius * require_friction("mu_head", mu_head)
    dispersion = (alpha - 1.0) / (alpha + 1.0)
    F0_nominal = F0_max / (1.0 + dispersion)
    F0_lowest = F0_max / alpha

    def torque(force: float) -> float:
        return force * (thread_arm + head_arm) / N_MM_PER_N_M

    return {
        "dispersion": dispersion,
        "F0_nominal": F0_nominal,
        "F0_lowest": F0_lowest,
        "C_nominal": torque(F0_nominal),
        "C_min": torque(F0_lowest),
        "C_max": torque(F0_max),
        "C_thread": F0_nominal * thread_arm / N_MM_PER_N_M,
        "C_head": F0_nominal * head_arm / N_MM_PER_N_M,
    }
