"""Exact arithmetic for bounds: a rate exactly on its limit must compare as equal, so
amounts are taken as decimals (Fraction(str(x))), never as binary floats."""

from fractions import Fraction


def exact(x) -> Fraction:
    return Fraction(str(x)) if isinstance(x, float) else Fraction(x)


def percent(numerator, denominator) -> Fraction:
    return exact(numerator) * 100 / exact(denominator)


def shown(x: Fraction, places: int = 2) -> float | int:
    """A number for people and JSON: an integer when whole, else rounded."""
    x = x if isinstance(x, Fraction) else exact(x)
    if x.denominator == 1:
        return int(x)
    return round(float(x), places)


def rounded(x, places: int = 2) -> float | int:
    """Like shown(), but 四舍五入 on the exact value: round(float) rounds half to even and
    works on the binary float, so 0.975 (39/40) came out 0.97."""
    x = x if isinstance(x, Fraction) else exact(x)
    scale = 10 ** places
    sign = -1 if x < 0 else 1
    whole = Fraction(int(abs(x) * scale + Fraction(1, 2)), scale) * sign
    return int(whole) if whole.denominator == 1 else float(whole)


# Amounts in yuan: to the fen, and below a bound no real ledger reaches, so every rate the
# calculators derive stays a finite, printable number.
MONEY = {"minimum": 0, "maximum": 10**15, "multipleOf": 0.01}
