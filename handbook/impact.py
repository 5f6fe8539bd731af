"""Change impact for compliance: for a revision that changes a parameter, which decisions
change. The worked cases (handbook/data/cases/*.json) and a portfolio generated across the
changed limits run through the calculators as of the day before the revision takes effect
and the day it does (the Rules of each day, read literally: calc.parameters.policy(day,
literal=True)); the cases whose outcome flips are listed on
the revision's page. Build time, CPython."""

import datetime as dt
import json
from decimal import Decimal

from calc import parameters, registry
from calc.errors import InputError
from handbook import templates
from handbook.revisions import Revision

from handbook.case_files import CASES_DIR as CASES


def _walk(node, path=""):
    if isinstance(node, dict):
        if isinstance(node.get("values"), list) and "value" in node:
            yield path, node
        for k, v in node.items():
            if k != "values":
                yield from _walk(v, f"{path}.{k}" if path else k)


def changed_parameters(number: str, version: str) -> list[tuple[str, dict]]:
    """Parameters of the document whose dated values include this version."""
    return [(path, node) for path, node in _walk(parameters._source())
            if (node.get("clause") or "")[:5] == number and any(e["version"] == version for e in node["values"])]


def _lookup(path: str, rules: parameters.Rules):
    node = rules
    for key in path.split("."):
        node = node[key]
    return node


def _cases() -> list[tuple[str, str, dict]]:
    out = []
    for f in sorted(CASES.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        for case in data.get("cases", []):
            out.append((data["calculator"], f"判例“{case['name']}”", case["input"]))
    return out


def _near(value, integer: bool) -> list:
    """Values on a limit and just either side of it (exact decimals: 0.99 stays 0.99)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return []
    v = Decimal(str(value))
    steps = (Decimal(1),) if integer else (Decimal(1), Decimal("0.01"))
    return [n for s in steps for n in (v - s, v + s) if n >= 0] + [v]


def _portfolio(changed: list[tuple[str, dict, object, object]]) -> list[tuple[str, str, dict]]:
    """Each case's input with every field that a changed parameter governs (its x-clause)
    set on and around the old and the new limit."""
    out = []
    for name, label, data in _cases():
        props = registry.get(name).schema().get("properties", {})
        for path, node, old, new in changed:
            fields = [k for k, p in props.items() if p.get("x-clause") == node.get("clause") and k in data]
            for key in fields:
                integer = props[key].get("type") == "integer"
                for v in sorted(set(_near(old, integer) + _near(new, integer))):
                    n = int(v) if v == v.to_integral_value() else float(v)
                    if n != data[key]:
                        out.append((name, f"{props[key].get('title', key)} {n}（其余同{label}）", {**data, key: n}))
    return out


def _outcome(name: str, data: dict, day: dt.date) -> str:
    try:
        result = registry.run(name, {**data, "as_of": day.isoformat()}, parameters.policy(day, literal=True))
    except InputError:
        return "输入无效"
    return result.get("headline") or str(result.get(registry.get(name).OUTCOME))


def section(number: str, revs: list[Revision], k: int) -> str:
    """The revision page's 本次修订对决策的影响, or '' when it changes no parameter."""
    rev = revs[k]
    found = changed_parameters(number, rev.version)
    if not k or not found:
        return ""
    day = dt.date.fromisoformat(rev.effective)
    return _section(number, rev, found, day, day - dt.timedelta(days=1))


def _section(number: str, rev: Revision, found: list, day: dt.date, before: dt.date) -> str:
    changed = []
    for path, node in found:
        old = _lookup(path, parameters.policy(before, literal=True))
        new = _lookup(path, parameters.policy(day, literal=True))
        changed.append((path, node, old["value"], new["value"]))
    runs = _cases() + _portfolio(changed)
    flips = []
    for name, label, data in runs:
        a, b = _outcome(name, data, before), _outcome(name, data, day)
        if a != b:
            flips.append({"calculator": registry.get(name).TITLE, "label": label, "before": a, "after": b})
    return templates.render("revision-impact.html", rev=rev, before=before.isoformat(),
                            params=[{"path": p, "clause": n.get("clause"), "description": n.get("description", ""),
                                     "old": f"{o}{n.get('unit', '')}", "new": f"{v}{n.get('unit', '')}"}
                                    for p, n, o, v in changed],
                            total=len(runs), flips=flips)
