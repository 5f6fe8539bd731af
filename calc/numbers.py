"""Exact arithmetic for bounds: a rate exactly on its limit must compare as equal, so
amounts are taken as decimals (Fraction(str(x))), never as binary floats."""

from fractions import Fraction


def exact(x) -> Fraction:
    return Fraction(str(x)) if isinstance(x, float) else Fraction(x)


def percent(numerator, denominator) -> Fraction:
    return exact(numerator) * 100 / exact(denominator)


def shown(x, places: int = 2) -> float | int:
    """A number for people and JSON: an integer when whole, else rounded 四舍五入 on the exact
    value to `places` decimals (round(float) would round half to even, on the binary float,
    so 0.975 = 39/40 came out 0.97). One rounding rule for every calculator."""
    x = x if isinstance(x, Fraction) else exact(x)
    scale = 10 ** places
    sign = -1 if x < 0 else 1
    whole = Fraction(int(abs(x) * scale + Fraction(1, 2)), scale) * sign
    return int(whole) if whole.denominator == 1 else float(whole)


def percent_text(rate: Fraction, bounds: list) -> tuple[str, int]:
    """A rate in percent with as many decimals as it takes to read on the right side of
    every bound (2.00001% is never shown as 2.0% failing '≤ 2%'), and those decimals."""
    for places in range(2, 9):
        r = exact(shown(rate, places))
        if all((r > b) == (rate > b) and (r < b) == (rate < b) for b in bounds):
            return f"{shown(rate, places)}%", places
    near = min(bounds, key=lambda b: abs(rate - b))
    return ("超过" if rate > near else "低于") + f"{shown(near)}%", 12


# Amounts in yuan: to the fen, and below a bound no real ledger reaches, so every rate the
# calculators derive stays a finite, printable number.
MONEY = {"minimum": 0, "maximum": 10**15, "multipleOf": 0.01}
