"""Exact arithmetic for bounds: a rate exactly on its limit must compare as equal, so
amounts are taken as decimals (Fraction(str(x))), never as binary floats."""

from fractions import Fraction


def exact(x) -> Fraction:
    return Fraction(str(x)) if isinstance(x, float) else Fraction(x)


def percent(numerator, denominator) -> Fraction:
    return exact(numerator) * 100 / exact(denominator)


def shown(x: Fraction, places: int = 2) -> float | int:
    """A number for people and JSON: an integer when whole, else rounded."""
    if x.denominator == 1:
        return int(x)
    return round(float(x), places)


# Amounts in yuan: to the fen, and below a bound no real ledger reaches, so every rate the
# calculators derive stays a finite, printable number.
MONEY = {"minimum": 0, "maximum": 10**15, "multipleOf": 0.01}
