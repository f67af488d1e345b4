"""Pre-loaded bolted joint checks in the style of NF E25-030-1 (and VDI 2230 Part 1).

Every function takes lengths in mm, forces in N, stresses and pressures in MPa,
and returns a dict of named results; torques are returned in N.m. Each raises
ValueError, with a message that says what to change, for inputs no real joint can
have. See README.md for the formulas, their limits and references.

Names follow the symbols of the standards (F0, FA, FT, Re, As, alpha_A), even
where Python style would want lower case, so that code and formulas read alike.

Typical order of a check:
    thread_geometry -> min_preload -> max_preload -> tightening_torque
    -> bearing_pressure -> equivalent_stress
"""

from bolted_joint.bearing import bearing_pressure
from bolted_joint.preload import max_preload, min_preload
from bolted_joint.stress import equivalent_stress
from bolted_joint.threads import thread_geometry
from bolted_joint.torque import tightening_torque

__all__ = [
    "bearing_pressure",
    "equivalent_stress",
    "max_preload",
    "min_preload",
    "thread_geometry",
    "tightening_torque",
]
