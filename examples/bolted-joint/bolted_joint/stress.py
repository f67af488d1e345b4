"""Stresses in the bolt at the end of tightening: tension from the preload, torsion
from the thread torque, and their von Mises combination.

Promises: `tightening_stresses` is the one place where these stresses are
computed; `max_preload` (preload.py) inverts the same relation, so the equivalent
stress of a bolt tightened to its maximum preload is exactly the allowed fraction
of Re.

Formulas (stressed section As and stress diameter ds from threads.py):
- tensile stress      sigma = F0 / As
- thread torque       M_th  = F0 * (0.16 p + 0.583 d2 mu_th)
- torsional stress    tau   = M_th / (pi ds^3 / 16)   (elastic, round bar of diameter ds)
- von Mises           sigma_eq = sqrt(sigma^2 + 3 tau^2)
The torsion is the one the thread applies while the wrench turns; the friction
under the head does not load the shank. VDI 2230 Part 1 lets the torsion of a
partly plastified section count less (a factor 3/2 in place of 2 in tau/sigma);
keeping the elastic value, as here, errs on the safe side.
"""

import math

from bolted_joint._validation import require_positive
from bolted_joint.materials import yield_strength
from bolted_joint.threads import MetricThread, metric_thread, thread_torque_arm

N_MM_PER_N_M = 1000.0


def torsion_per_tension(thread: MetricThread, mu_th: float) -> float:
    """tau / sigma during tightening: (16 F0 k / (pi ds^3)) / (4 F0 / (pi ds^2)) = 4 k / ds."""
    return 4.0 * thread_torque_arm(thread, mu_th) / thread.ds


def von_mises(sigma: float, tau: float) -> float:
    """Equivalent stress of a tension sigma combined with a shear tau (same unit)."""
    return math.sqrt(sigma**2 + 3.0 * tau**2)


def tightening_stresses(thread: MetricThread, F0: float, mu_th: float) -> dict[str, float]:
    """sigma, tau, sigma_eq (MPa) and the thread torque M_thread (N.m) of a bolt tightened to F0 (N)."""
    sigma = F0 / thread.As
    tau = sigma * torsion_per_tension(thread, mu_th)
    M_thread = F0 * thread_torque_arm(thread, mu_th) / N_MM_PER_N_M
    return {"sigma": sigma, "tau": tau, "sigma_eq": von_mises(sigma, tau), "M_thread": M_thread}


def equivalent_stress(
    d: float,
    p: float,
    F0: float,
    mu_th: float = 0.15,
    grade: float = 8.8,
    Re: float | None = None,
) -> dict[str, float]:
    """Von Mises stress of a bolt at the end of tightening, and its ratio to the yield strength.

    Args:
        d: nominal diameter, mm.
        p: pitch, mm.
        F0: preload, N.
        mu_th: friction coefficient in the threads.
        grade: ISO 898-1 property class (8.8, 10.9 or 12.9), used when Re is not given.
        Re: yield strength, MPa; takes precedence over grade.

    Returns:
        As (mm^2), sigma, tau, sigma_eq and Re (MPa), M_thread (N.m), and
        utilization = sigma_eq / Re (the bolt yields at 1).
    """
    thread = metric_thread(d, p)
    F0 = require_positive("F0", F0, "N")
    strength = yield_strength(grade, thread.d, Re)
    stresses = tightening_stresses(thread, F0, mu_th)
    return {"As": thread.As, **stresses, "Re": strength, "utilization": stresses["sigma_eq"] / strength}
