"""ISO metric thread geometry, and the torque the thread takes while a bolt is tightened.

Promises:
- `metric_thread(d, p)` accepts only a pitch that an ISO metric thread can have
  for its diameter (0 < p <= d/4; the coarsest thread of ISO 261, M1 x 0.25, has
  p = d/4) and returns the diameters and the stressed section used everywhere in
  the package, all in mm and mm^2.
- `thread_torque_arm` is the lever arm k (mm) of the classic thread-torque formula:
  the thread torque is F * k for a bolt force F. Every calculation of the package
  (maximum preload, tightening torques, equivalent stress) uses this one formula,
  so their results agree with one another.

Formulas (ISO 68-1 basic profile, 60 degree flank angle, fundamental triangle
height H = sqrt(3)/2 * p):
- pitch diameter      d2 = d - 0.6495 p   (ISO 724; 0.6495 = 3/4 H/p rounded)
- minor diameter      d3 = d - 1.2269 p   (bolt root, d3 = d1 - H/6 as in ISO 898-1;
                                           1.2269 = 17 sqrt(3)/24 rounded)
- stress diameter     ds = (d2 + d3) / 2
- stressed section    As = pi/4 * ds^2     (ISO 898-1's nominal stress area)
- thread torque       M_th = F * (0.16 p + 0.583 d2 mu_th)
  The classic linearised formula of the French practice (NF E25-030); VDI 2230
  Part 1 writes the same form with 0.58. 0.16 p ~ p/(2 pi) is the share of the
  helix lead (the torque that stretches the bolt), 0.583 d2 mu_th the friction on
  the 60 degree flanks (the small-helix value d2/(2 cos 30 deg) is 0.577 d2; 0.583
  is slightly larger, hence slightly conservative).
"""

import math
from dataclasses import dataclass

from bolted_joint._validation import require_between, require_positive

PITCH_DIAMETER_FACTOR = 0.6495
MINOR_DIAMETER_FACTOR = 1.2269
COARSEST_PITCH_PER_DIAMETER = 0.25
LEAD_TERM = 0.16
FLANK_FRICTION_TERM = 0.583
FRICTION_RANGE = (0.05, 0.6)


@dataclass(frozen=True)
class MetricThread:
    """An ISO metric thread: nominal diameter d and pitch p, in mm."""

    d: float
    p: float

    @property
    def d2(self) -> float:
        """Pitch diameter, mm."""
        return self.d - PITCH_DIAMETER_FACTOR * self.p

    @property
    def d3(self) -> float:
        """Minor diameter of the bolt thread, mm."""
        return self.d - MINOR_DIAMETER_FACTOR * self.p

    @property
    def ds(self) -> float:
        """Stress diameter: the diameter of a round bar as strong as the threaded part, mm."""
        return (self.d2 + self.d3) / 2.0

    @property
    def As(self) -> float:
        """Stressed section (tensile stress area), mm^2."""
        return math.pi / 4.0 * self.ds**2


def metric_thread(d: float, p: float) -> MetricThread:
    """Checks d and p (mm) and returns the thread; ValueError when no ISO metric thread fits."""
    d = require_positive("d", d, "mm")
    p = require_positive("p", p, "mm")
    if p > COARSEST_PITCH_PER_DIAMETER * d:
        raise ValueError(
            f"pitch p = {p:g} mm is too coarse for d = {d:g} mm: ISO metric threads have "
            f"p <= d/4 (here p <= {COARSEST_PITCH_PER_DIAMETER * d:g} mm); check that d is the "
            "nominal diameter and p the pitch, both in mm (M10 coarse: d = 10, p = 1.5)"
        )
    return MetricThread(d=d, p=p)


def require_friction(name: str, mu: float) -> float:
    """Returns a friction coefficient if it lies in the range the formulas are used for."""
    return require_between(name, mu, *FRICTION_RANGE)


def thread_torque_arm(thread: MetricThread, mu_th: float) -> float:
    """Lever arm k (mm) such that the thread torque is F * k: 0.16 p + 0.583 d2 mu_th."""
    mu_th = require_friction("mu_th", mu_th)
    return LEAD_TERM * thread.p + FLANK_FRICTION_TERM * thread.d2 * mu_th


def thread_geometry(d: float, p: float) -> dict[str, float]:
    """Diameters and stressed section of an ISO metric thread.

    Args:
        d: nominal diameter, mm.
        p: pitch, mm.

    Returns:
        d2 (pitch diameter, mm), d3 (minor diameter, mm), ds (stress diameter, mm)
        and As (stressed section, mm^2).
    """
    thread = metric_thread(d, p)
    return {"d2": thread.d2, "d3": thread.d3, "ds": thread.ds, "As": thread.As}
