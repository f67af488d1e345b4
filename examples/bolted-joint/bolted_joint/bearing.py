"""The annular bearing surface under the bolt head (or nut), and the pressure the
preload puts on the clamped part there.

Promises: `bearing_annulus` accepts only an outer diameter dw larger than the hole
dh; `bearing_pressure` compares the pressure to the limit of the clamped material
and says how much of it is used.

Formulas (NF E25-030-1, VDI 2230 Part 1):
- bearing area        A_bearing = pi/4 * (dw^2 - dh^2)
- mean bearing radius r_m = (dw + dh) / 4      (mean of the radii dw/2 and dh/2; used
                                                 for the head friction torque)
- pressure            p = F0_max / A_bearing
- utilization         p / p_lim               (1 at the limit)
- margin of safety    p_lim / p - 1           (negative when the limit is exceeded)
Take p_lim from the limiting surface pressures tabulated in VDI 2230 Part 1 or from
the material's supplier; chamfers of the hole reduce the real area (use their
diameter as dh).
"""

import math
from dataclasses import dataclass

from bolted_joint._validation import require_positive


@dataclass(frozen=True)
class BearingAnnulus:
    """The contact ring under the head: outer diameter dw, hole diameter dh, in mm."""

    dw: float
    dh: float

    @property
    def area(self) -> float:
        """Bearing area, mm^2."""
        return math.pi / 4.0 * (self.dw**2 - self.dh**2)

    @property
    def mean_radius(self) -> float:
        """Mean bearing radius, mm."""
        return (self.dw + self.dh) / 4.0


def bearing_annulus(dw: float, dh: float) -> BearingAnnulus:
    """Checks dw and dh (mm) and returns the ring; ValueError unless dw > dh > 0."""
    dw = require_positive("dw", dw, "mm")
    dh = require_positive("dh", dh, "mm")
    if dw <= dh:
        raise ValueError(
            f"bearing diameter dw = {dw:g} mm must be larger than the hole dh = {dh:g} mm: dw is the "
            "outer diameter of the contact under the head (or washer), dh the clearance hole"
        )
    return BearingAnnulus(dw=dw, dh=dh)


def bearing_pressure(
    F0_max: float,
    dw: float,
    dh: float,
    p_lim: float,
) -> dict[str, float | bool]:
    """Pressure under the head at the maximum preload, against the limit of the clamped material.

    Args:
        F0_max: largest preload the bolt may receive, N.
        dw: outer diameter of the bearing surface, mm.
        dh: diameter of the hole (or of its chamfer), mm.
        p_lim: limiting surface pressure of the clamped material, MPa.

    Returns:
        A_bearing (mm^2), pressure (MPa), utilization (pressure / p_lim), margin
        (p_lim / pressure - 1) and acceptable (pressure <= p_lim).
    """
    F0_max = require_positive("F0_max", F0_max, "N")
    annulus = bearing_annulus(dw, dh)
    p_lim = require_positive("p_lim", p_lim, "MPa")
    pressure = F0_max / annulus.area
    return {
        "A_bearing": annulus.area,
        "pressure": pressure,
        "utilization": pressure / p_lim,
        "margin": p_lim / pressure - 1.0,
        "acceptable": pressure <= p_lim,
    }
