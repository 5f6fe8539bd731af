"""What the change impact runs: each calculator's worked cases, and boundary combinations:
a worked case with one input set on a limit and just either side of it (handbook/data/
limits.toml says which input each limit bounds), for the limit's old and new value. Each
run is described in words, as the impact lists it (the input's Chinese title, never its
field name)."""

import json
import math
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

LIMITS = Path("handbook") / "data" / "limits.toml"
CASES = Path("handbook") / "data" / "cases"


@dataclass
class Run:
    calculator: str
    words: str                    # the case or combination, in words
    data: dict                    # the calculator's input
    clauses: list = field(default_factory=list)   # the limit's clause, for a boundary combination


def limits(root: Path) -> list[dict]:
    return tomllib.loads((root / LIMITS).read_text(encoding="utf-8"))["limit"]


def cases(root: Path) -> dict[str, list[tuple[str, dict, list]]]:
    """Each calculator's worked cases (name, input, the clauses the case names, if any),
    read from the project at root."""
    out = {}
    for path in sorted((root / CASES).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[data["calculator"]] = [(c["name"], c["input"], _clauses(c.get("clause"))) for c in data.get("cases", [])]
    return out


def _clauses(named) -> list[str]:
    if isinstance(named, str):
        return [named]
    return [c for c in named if isinstance(c, str)] if isinstance(named, list) else []


def case_runs(name: str, worked: list[tuple[str, dict, list]], cited: list[str] = ()) -> list[Run]:
    """The worked cases as runs; a flip is put down to `cited` (the changed parameters the
    calculator applies), then to the clause the case names."""
    return [Run(name, f"案例“{case}”", data, list(dict.fromkeys([*cited, *clauses]))) for case, data, clauses in worked]


# --- a field by its path: "a", "a.b", "a[].b" ---------------------------------------------

def prop(schema: dict, path: str) -> dict | None:
    node = schema
    for part in path.split("."):
        each = part.endswith("[]")
        node = (node.get("properties") or {}).get(part.removesuffix("[]"))
        if node is None:
            return None
        if each:
            node = node.get("items") or {}
    return node


def _types(p: dict) -> list:
    t = p.get("type")
    return t if isinstance(t, list) else [t]


def _get(data, path: str):
    """The value at path (for a[].b, the first entry's), or None when absent."""
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part.removesuffix("[]") not in node:
            return None
        node = node[part.removesuffix("[]")]
        if part.endswith("[]"):
            if not isinstance(node, list) or not node:
                return None
            node = node[0]
    return node


def _set(data, path: str, value):
    """A copy of data with path set (in every entry of a list for a[].b)."""
    head, _, rest = path.partition(".")
    out = dict(data)
    key = head.removesuffix("[]")
    if not rest:
        out[key] = value
    elif head.endswith("[]"):
        out[key] = [_set(e, rest, value) if isinstance(e, dict) else e for e in data.get(key) or []]
    else:
        out[key] = _set(data.get(key) or {}, rest, value)
    return out


# --- values on and either side of a limit ---------------------------------------------------

def _plain(v: Decimal):
    return int(v) if v == v.to_integral_value() else float(v)


def _shown(v) -> str:
    return format(Decimal(str(v)).normalize(), "f") if not isinstance(v, int) else str(v)


def _listed(values: list, unit: str) -> str:
    """A list in words: short ones in full, a long one of equal entries by count."""
    if not values:
        return "无"
    if len(values) > 3 and len(set(values)) == 1:
        return f"{len(values)} 项，各为 {_shown(values[0])}{unit}"
    if len(values) > 6:
        return f"{len(values)} 项：{'、'.join(map(_shown, values[:6]))}……{unit}"
    return "、".join(map(_shown, values)) + unit


def near(x: Decimal, integer: bool) -> list[Decimal]:
    """A limit in the input's unit, and the nearest values either side: whole numbers for a
    count or a number of days, a fen and a unit for an amount."""
    if integer:
        lo, hi = math.floor(x), math.ceil(x)
        found = {Decimal(v) for v in (lo - 1, lo, hi, hi + 1)}
    else:
        found = {x + d for d in (Decimal(-1), Decimal("-0.01"), Decimal(0), Decimal("0.01"), Decimal(1))}
    return sorted(v for v in found if v >= 0)


@dataclass
class Limit:
    """A limit that changed (or, for a calculator whose rules changed, one it applies), with
    its values on both sides."""
    path: str
    spec: dict         # the entry of limits.toml
    clause: str | None
    unit: str
    values: tuple      # the old and the new value (the same when only the rules changed)


def boundary_runs(name: str, schema: dict, worked: list[tuple[str, dict, list]], limit: Limit) -> list[Run]:
    spec = limit.spec
    path = spec["field"]
    p = prop(schema, path)
    if p is None:
        return []
    count = bool(spec.get("count"))
    listed = "array" in _types(p) and not count
    item = (p.get("items") or {}) if listed else p
    integer = count or "integer" in _types(item)
    title = p.get("title") or path
    unit = item.get("x-unit") or p.get("x-unit") or ("" if spec.get("share_of") or spec.get("scale") else limit.unit)
    chosen = [(case, data) for case, data, _ in worked if _get(data, path) not in (None, [])] \
        or [(case, data) for case, data, _ in worked[:1]]
    out, seen = [], set()
    for case, data in chosen:
        base = None
        if spec.get("share_of"):
            base = _get(data, spec["share_of"])
            if not isinstance(base, (int, float)) or isinstance(base, bool) or base <= 0:
                continue
        current = _get(data, path)
        for limit_value in limit.values:
            if isinstance(limit_value, bool) or not isinstance(limit_value, (int, float)):
                continue
            x = Decimal(str(limit_value)) * Decimal(str(spec.get("scale", 1)))
            if base is not None:
                x = Decimal(str(base)) * x / 100
            for v in near(x, integer):
                if count:
                    entries = current if isinstance(current, list) and current else None
                    if not entries or v > p.get("maxItems", v):
                        continue
                    value = [entries[k % len(entries)] for k in range(int(v))]
                    words = f"{title}：{_listed(value, item.get('x-unit') or '')}"
                elif listed:
                    value = [_plain(v)] * max(1, len(current) if isinstance(current, list) else 1)
                    words = f"{title}：{_listed(value, unit)}"
                else:
                    value = _plain(v)
                    words = f"{title}：{_shown(value)}{unit}"
                    if base is not None:
                        share = prop(schema, spec["share_of"]) or {}
                        words += f"（{share.get('title', spec['share_of'])}{_shown(base)}的{_shown(limit_value)}%）" \
                            if v == x else ""
                if value == current:
                    continue
                new = _set(data, path, value)
                key = json.dumps(new, sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Run(name, f"{words}，其余同案例“{case}”", new, [limit.clause] if limit.clause else []))
    return out
