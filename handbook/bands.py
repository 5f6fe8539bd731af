"""Bands of a decision table: the ranges of one quantity (lateness in minutes, a rate, a
number of days) that its rows divide among themselves. The build checks that they leave no
gap and do not overlap, reading each bound as Chinese legal usage does (以上、以下、以内、
不超过 include the number; 超过、不满、低于 exclude it; 以前 includes the day, as
calc/policy.toml's deadlines say 含当日). A word outside these is itself an error: the
reading of a bound is never guessed.

A problem is one Chinese line naming the table, the rows and the values, e.g.
决策表“迟到的分类”：A类迟到（不超过130分钟）与旷工（120分钟以上）重叠：120–130分钟"""

from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor

INCLUSIVE = {"以上", "以下", "以内", "不超过", "以前"}
EXCLUSIVE = {"超过", "不满", "低于"}
FROM_BELOW = {"以上", "超过"}                       # a lower bound
FROM_ABOVE = {"以下", "以内", "不超过", "不满", "低于", "以前"}   # an upper bound
BEFORE_NUMBER = {"不超过", "超过", "不满", "低于"}   # 超过30分钟, but 30分钟以上
WORDS = "、".join(["以上", "以下", "以内", "不超过", "以前", "超过", "不满", "低于"])

# The other side of a bound, read the same way: 1年以上 | 不满1年, 不超过30天 | 超过30天.
_OTHER_SIDE = {"以上": "不满", "超过": "不超过", "以下": "超过", "以内": "超过", "不超过": "超过",
               "不满": "以上", "低于": "以上", "以前": "超过"}


class BandError(ValueError):
    """Bands with a gap or an overlap: the build stops (hooks turn it into a PluginError)."""


def number(value) -> str:
    """30, 0.5, 2.5: as the text writes numbers (no trailing .0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
    return str(value)


@dataclass(frozen=True)
class Edge:
    """One bound: the number, its bound word and its unit."""
    value: int | float | Fraction
    word: str
    unit: str = ""

    def text(self) -> str:
        n = f"{number(self.value)}{self.unit}"
        return f"{self.word}{n}" if self.word in BEFORE_NUMBER else f"{n}{self.word}"

    def other_side(self, word: str | None = None) -> "Edge":
        """The bound that starts where this one stops (以上 -> 不满); `word` chooses between
        words of the same reading (低于 for a rate where the text says 低于)."""
        flipped = _OTHER_SIDE.get(self.word)
        if flipped is None:
            raise BandError(f"界限用语“{self.word}”不是{WORDS}之一")
        if word is not None:
            if (word in INCLUSIVE) != (flipped in INCLUSIVE) or (word in FROM_BELOW) != (flipped in FROM_BELOW):
                raise BandError(f"“{word}”与“{self.word}”不能构成相邻的两段")
            flipped = word
        return Edge(self.value, flipped, self.unit)


@dataclass(frozen=True)
class Band:
    """A row's range: from `low` to `high` (None: from the start, or without end)."""
    label: str
    low: Edge | None = None
    high: Edge | None = None

    def text(self) -> str:
        return "、".join(e.text() for e in (self.low, self.high) if e) or "任意"

    def named(self) -> str:
        return f"{self.label}（{self.text()}）"


@dataclass
class BandSet:
    """The bands one table divides a quantity into. `low`/`high`: the range they must cover
    together (None: unbounded on that side); `covers=False` when they need not fill it
    (only overlaps, empty bands and bands outside it are errors); `whole`: a count, so
    only whole numbers lie between two bounds (超过30分钟 follows 不超过30分钟, and also
    31分钟以上)."""
    table: str
    axis: str
    bands: list[Band]
    low: Edge | None = None
    high: Edge | None = None
    whole: bool = False
    covers: bool = True
    unit: str = field(default="")


# --- reading a bound -----------------------------------------------------------------

_INF = float("inf")


def _check_word(edge: Edge, side: str) -> str | None:
    if edge.word not in INCLUSIVE | EXCLUSIVE:
        return f"界限用语“{edge.word}”不是{WORDS}之一"
    if edge.word not in (FROM_BELOW if side == "low" else FROM_ABOVE):
        return f"“{edge.word}”不能作{'下限' if side == 'low' else '上限'}"
    return None


def _interval(low: Edge | None, high: Edge | None, whole: bool) -> tuple:
    """(low, low included, high, high included). A count becomes [first, last + 1): the
    whole numbers it holds, so that 不超过30 and 31以上 meet with nothing between."""
    lo, lo_in = (-_INF, False) if low is None else (Fraction(str(low.value)), low.word in INCLUSIVE)
    hi, hi_in = (_INF, False) if high is None else (Fraction(str(high.value)), high.word in INCLUSIVE)
    if whole:
        if lo != -_INF:
            lo, lo_in = Fraction(ceil(lo) if lo_in else floor(lo) + 1), True
        if hi != _INF:
            hi, hi_in = Fraction((floor(hi) if hi_in else ceil(hi) - 1) + 1), False
    return lo, lo_in, hi, hi_in


def _empty(iv: tuple) -> bool:
    lo, lo_in, hi, hi_in = iv
    return lo > hi or (lo == hi and not (lo_in and hi_in))


def _meet(a: tuple, b: tuple) -> tuple:
    lo, lo_in = max((a[0], a[1]), (b[0], b[1]), key=lambda e: (e[0], not e[1]))
    hi, hi_in = min((a[2], a[3]), (b[2], b[3]), key=lambda e: (e[0], e[1]))
    return lo, lo_in, hi, hi_in


def _span(lo, hi, unit: str, whole: bool, hi_in: bool = True) -> str:
    """'120–130分钟', '120分钟', '60天以上': a range in a message (a count's open end is
    the whole number before it)."""
    if whole and hi != _INF and not hi_in:
        hi -= 1
    if hi == _INF:
        return f"{number(lo)}{unit}以上"
    if lo == -_INF:
        return f"{number(hi)}{unit}以下"
    if lo == hi:
        return f"{number(lo)}{unit}"
    return f"{number(lo)}–{number(hi)}{unit}"


def _unit(bands: BandSet) -> str:
    edges = [e for b in bands.bands for e in (b.low, b.high)] + [bands.low, bands.high]
    return next((e.unit for e in edges if e is not None and e.unit), bands.unit)


# --- the check -----------------------------------------------------------------------

def problems(bands: BandSet) -> list[str]:
    """Every gap, overlap, empty band and band outside the range, one line each."""
    head = f"决策表“{bands.table}”："
    out = []
    for label, low, high in [(b.label + "的", b.low, b.high) for b in bands.bands] + [
            (bands.axis + "的范围：", bands.low, bands.high)]:
        for side, edge in (("low", low), ("high", high)):
            wrong = edge is not None and _check_word(edge, side)
            if wrong:
                out.append(f"{head}{label}{wrong}")
    if out:
        return out
    unit, whole = _unit(bands), bands.whole
    scope = _interval(bands.low, bands.high, whole)
    ivs = [(b, _interval(b.low or bands.low, b.high or bands.high, whole)) for b in bands.bands]
    out += [f"{head}{b.named()}没有适用的值" for b, iv in ivs if _empty(iv)]
    live = [(b, iv) for b, iv in ivs if not _empty(iv)]
    for i, (a, ia) in enumerate(live):
        for b, ib in live[i + 1:]:
            common = _meet(ia, ib)
            if not _empty(common):
                out.append(f"{head}{a.named()}与{b.named()}重叠：{_span(common[0], common[2], unit, whole, common[3])}")
    range_text = "、".join(e.text() for e in (bands.low, bands.high) if e)
    for b, (lo, lo_in, hi, hi_in) in live:
        beyond = []
        if (lo, not lo_in) < (scope[0], not scope[1]):
            beyond.append(_span(lo, scope[0], unit, whole, not scope[1]))
        if (hi, hi_in) > (scope[2], scope[3]):
            beyond.append(_span(scope[2], hi, unit, whole, hi_in))
        if beyond:
            out.append(f"{head}{b.named()}超出{bands.axis}的范围（{range_text}）：{'、'.join(beyond)}")
    if bands.covers:
        out += _gaps(head, live, scope, unit, whole)
    return out


def _gaps(head: str, live: list, scope: tuple, unit: str, whole: bool) -> list[str]:
    """Walk up from the bottom of the range: each band must start where those below stop.
    `reach` is a cut: everything below its value is covered, the value too if flagged."""
    out = []
    reach, last = (scope[0], not scope[1]), None
    for band, (lo, lo_in, hi, hi_in) in sorted(live, key=lambda x: (x[1][0], not x[1][1])):
        if lo > reach[0] or (lo == reach[0] and not lo_in and not reach[1]):
            where = f"{last.named()}与{band.named()}之间" if last else f"{band.named()}之前"
            out.append(f"{head}{where}有空缺：{_span(reach[0], lo, unit, whole, not lo_in)}没有对应的行")
        if (hi, hi_in) > reach:
            reach, last = (hi, hi_in), band
    top = (scope[2], scope[3])
    if last is not None and reach < top and reach[0] != _INF:
        out.append(f"{head}{last.named()}之后有空缺：{_span(reach[0], top[0], unit, whole, top[1])}没有对应的行")
    return out


def check(sets: list[BandSet]) -> None:
    """Raise BandError naming every problem of the sets given."""
    found = [p for s in sets for p in problems(s)]
    if found:
        raise BandError("决策表的分段有空缺或重叠（calc/policy.toml）：\n" + "\n".join(found))


def stated(text: str, key: str) -> str:
    """The bound word a condition's text puts beside a parameter, e.g. '不超过' in
    '迟到时间不超过{class_boundary_minutes}': the rule as its clause words it."""
    import re

    m = re.search(r"(不超过|超过|不满|低于)\{" + re.escape(key) + r"\}|\{" + re.escape(key) + r"\}(以上|以下|以内|以前)",
                  text)
    if not m:
        raise BandError(f"条文“{text}”没有写明{{{key}}}的界限用语（{WORDS}）")
    return m.group(1) or m.group(2)
