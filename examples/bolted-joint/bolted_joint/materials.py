"""The yield strength Re of the bolt: from its ISO 898-1 property class, or given.

Promises: `yield_strength` returns Re in MPa; an explicit Re takes precedence over
the property class. The table holds the minimum 0.2 % proof strength Rp0.2 of
ISO 898-1 (the yield strength of these quenched and tempered classes of carbon
and alloy steel bolts, at room temperature):

    class 8.8:  640 MPa for d <= 16 mm, 660 MPa for d > 16 mm
    class 10.9: 940 MPa
    class 12.9: 1100 MPa

ISO 898-1 covers d <= 39 mm only; beyond, or for any other material (stainless
steel, titanium, a bolt heated above room temperature), Re must be given.
"""

from bolted_joint._validation import require_number, require_positive

ISO_898_1_LARGEST_DIAMETER = 39.0
CLASS_8_8_DIAMETER_STEP = 16.0
PROPERTY_CLASSES = (8.8, 10.9, 12.9)


def _class_yield_strength(grade: float, d: float) -> float:
    if grade == 8.8:
        return 640.0 if d <= CLASS_8_8_DIAMETER_STEP else 660.0
    if grade == 10.9:
        return 940.0
    return 1100.0


def yield_strength(grade: float, d: float, Re: float | None = None) -> float:
    """Re (MPa) of a bolt of nominal diameter d (mm): `Re` if given, else the class's ISO 898-1 minimum."""
    if Re is not None:
        return require_positive("Re", Re, "MPa")
    grade = require_number("grade", grade)
    if grade not in PROPERTY_CLASSES:
        raise ValueError(f"unknown property class {grade:g}: use 8.8, 10.9 or 12.9, or give Re in MPa")
    if d > ISO_898_1_LARGEST_DIAMETER:
        raise ValueError(
            f"ISO 898-1 property classes cover d <= 39 mm, not d = {d:g} mm: give the bolt's Re in MPa"
        )
    return _class_yield_strength(grade, d)
