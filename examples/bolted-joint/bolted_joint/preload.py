"""The preload window of a bolt: the least preload the joint needs, and the most
the bolt can take while it is tightened.

Promises:
- `min_preload` returns the smallest assembly preload that, after the embedding
  loss FZ, still clamps the joint hard enough for friction to carry FT while the
  axial load FA relieves the clamped parts.
- `max_preload` returns the preload at which the von Mises stress of the bolt,
  tension plus thread torsion (stress.py), reaches `yield_fraction` (90 % by
  default) of Re.

Formulas (the method of NF E25-030-1 and VDI 2230 Part 1):
- clamp force against slip   FK_slip  = FT / (mu_joint * q)
  (q friction interfaces between the clamped parts, each carrying mu_joint * FK)
- clamp force lost to FA     FK_axial = (1 - phi) * FA
  (phi, the load factor, is the share of FA the bolt takes; phi = 0, the default,
  assumes the clamped parts take it all, the conservative case)
- minimum preload            F0_min   = FK_slip + FK_axial + FZ
- maximum preload            F0_max   = nu * Re * As / sqrt(1 + 3 (4 k / ds)^2)
  with k = 0.16 p + 0.583 d2 mu_th (threads.py): sigma_eq = nu Re solved for F0.
"""

import math

from bolted_joint._validation import require_between, require_count, require_non_negative
from bolted_joint.materials import yield_strength
from bolted_joint.stress import tightening_stresses, torsion_per_tension
from bolted_joint.threads import metric_thread, require_friction

YIELD_FRACTION_RANGE = (0.5, 1.0)


def min_preload(
    FA: float,
    FT: float = 0.0,
    mu_joint: float = 0.15,
    q: int = 1,
    phi: float = 0.0,
    FZ: float = 0.0,
) -> dict[str, float]:
    """Minimum assembly preload of one bolt under an axial and a transverse load.

    Args:
        FA: axial load on the bolt, N.
        FT: transverse load the bolt's clamp force must carry by friction, N.
        mu_joint: friction coefficient between the clamped parts.
        q: number of friction interfaces (1 for two plates, 2 for a double lap joint).
        phi: load factor, the share of FA that the bolt takes (0 to 1).
        FZ: preload lost to embedding (settling of the surfaces) after tightening, N.

    Returns:
        FK_slip (clamp force against slip, N), FK_axial (clamp force lost to FA, N)
        and F0_min (minimum preload, N).
    """
    FA = require_non_negative("FA", FA, "N")
    FT = require_non_negative("FT", FT, "N")
    mu_joint = require_friction("mu_joint", mu_joint)
    q = require_count("q", q, 1)
    phi = require_between("phi", phi, 0.0, 1.0)
    FZ = require_non_negative("FZ", FZ, "N")
    FK_slip = FT / (mu_joint * q)
    FK_axial = (1.0 - phi) * FA
    return {"FK_slip": FK_slip, "FK_axial": FK_axial, "F0_min": FK_slip + FK_axial + FZ}


def max_preload(
    d: float,
    p: float,
    mu_th: float = 0.15,
    grade: float = 8.8,
    Re: float | None = None,
    yield_fraction: float = 0.9,
) -> dict[str, float]:
    """Maximum assembly preload: tension plus thread torsion at yield_fraction of Re (von Mises).

    Args:
        d: nominal diameter, mm.
        p: pitch, mm.
        mu_th: friction coefficient in the threads (take the lowest expected value:
            less friction, less torsion, more preload for the same torque).
        grade: ISO 898-1 property class (8.8, 10.9 or 12.9), used when Re is not given.
        Re: yield strength, MPa; takes precedence over grade.
        yield_fraction: share of Re the equivalent stress may reach (0.5 to 1).

    Returns:
        F0_max (N), As (mm^2), and at F0_max: sigma, tau, sigma_eq, Re (MPa) and
        the thread torque M_thread (N.m).
    """
    thread = metric_thread(d, p)
    strength = yield_strength(grade, thread.d, Re)
    nu = require_between("yield_fraction", yield_fraction, *YIELD_FRACTION_RANGE)
    F0_max = nu * strength * thread.As / math.sqrt(1.0 + 3.0 * torsion_per_tension(thread, mu_th) ** 2)
    return {"F0_max": F0_max, "As": thread.As, **tightening_stresses(thread, F0_max, mu_th), "Re": strength}
