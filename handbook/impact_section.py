"""本次修订对决策的影响 on a version's page, in this order of evidence:
- the impact its release recorded in the snapshot's header (handbook/impact.py);
- for a version released before impacts were recorded whose parameters carry dated values
  (`values = [{version, value}]` in calc/policy.toml): worked out at build time, the cases
  and the boundary combinations run as of the day before the version takes effect and the
  day it does (the Rules of each day read literally: calc.parameters.policy(day,
  literal=True)), with the same code, so only the parameters differ;
- otherwise it says plainly that the impact was not evaluated (first release, text only,
  or released before impacts were recorded).
The page names calculators by their titles, inputs by their Chinese titles and clauses by
their numbers (linked): never a file, module, field or calculator id."""

import datetime as dt
from pathlib import Path

from markupsafe import Markup, escape

from calc import parameters, registry
from calc.errors import InputError
from handbook import impact, impact_cases, impact_runner, templates
from handbook.revisions import Revision

ROOT = Path(__file__).resolve().parent.parent


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


def _info(name: str) -> dict:
    module = registry.get(name)
    return {"title": module.TITLE, "labels": getattr(module, "OUTCOME_LABELS", None) or {},
            "clauses": module.clauses(), "schema": module.schema()}


def _result(run: impact_cases.Run, day: dt.date) -> dict:
    """One run as of a day, in the shape handbook/impact_runner.py gives."""
    module = registry.get(run.calculator)
    try:
        result = registry.run(run.calculator, {**run.data, "as_of": day.isoformat()},
                              parameters.policy(day, literal=True))
    except InputError as e:
        return {"error": str(e), "field": e.field}
    return {"outcome": result.get(module.OUTCOME), "answer": impact_runner._answer(result),
            "headline": result.get("headline"), "checks": impact_runner._checks(result)}


def dated(number: str, rev: Revision, found: list) -> dict:
    """The impact of a version's dated values, in the shape a release records."""
    day = dt.date.fromisoformat(rev.effective)
    before = day - dt.timedelta(days=1)
    changed = []
    for path, node in found:
        old = _lookup(path, parameters.policy(before, literal=True))
        new = _lookup(path, parameters.policy(day, literal=True))
        changed.append((path, node, old["value"], new["value"]))
    worked = impact_cases.cases(ROOT)
    limits = impact_cases.limits(ROOT)
    infos = {name: _info(name) for name in registry.CALCULATORS}
    runs = []
    for name in registry.CALCULATORS:
        cited = impact.cited_first(name, [(path, node.get("clause")) for path, node, _, _ in changed], limits,
                                   infos[name]["clauses"])
        runs += impact_cases.case_runs(name, worked.get(name, []), cited)
        for spec in limits:
            for path, node, old, new in changed:
                if spec["calculator"] == name and spec["parameter"] == path:
                    limit = impact_cases.Limit(path, spec, node.get("clause"), node.get("unit", ""),
                                               tuple(dict.fromkeys((old, new))))
                    runs += impact_cases.boundary_runs(name, infos[name]["schema"], worked.get(name, []), limit)
    flips = []
    for run in runs:
        found_flip = impact.flip(run, _result(run, before), _result(run, day), infos[run.calculator],
                                 infos[run.calculator])
        if found_flip:
            flips.append(found_flip)
    from handbook.parameter_pages import shown

    unit = lambda node, v: shown(v, node.get("unit", ""), node.get("bound"))  # noqa: E731
    return {"evaluated": True, "dated": True, "before": before.isoformat(),
            "parameters": [{"label": node.get("label") or node.get("description") or path, "clause": node.get("clause"),
                            "old": unit(node, old), "new": unit(node, new)} for path, node, old, new in changed],
            "rules_changed": False, "runs": len(runs), "flips_total": len(flips), "flips": flips}


def _state(rec: dict) -> str:
    if not rec.get("evaluated"):
        return "not_evaluated"
    if not rec.get("parameters") and not rec.get("rules_changed"):
        return "text"
    return "evaluated"


def section(number: str, revs: list[Revision], k: int, header: dict | None = None, link=None) -> str:
    """The version page's 本次修订对决策的影响. `link(clause)` gives a clause's link from
    that page (the clause number in words without one)."""
    from handbook import clauses

    link = link or (lambda c: escape(clauses.label(c)))
    rev = revs[k]
    recorded = (header or {}).get("impact")
    if isinstance(recorded, dict):
        rec, state = recorded, _state(recorded)
    elif k == 0:
        rec, state = {}, "first"
    elif changed_parameters(number, rev.version):
        rec = dated(number, rev, changed_parameters(number, rev.version))
        state = "evaluated"
    elif rev.kind == "editorial":
        rec, state = {}, "editorial"
    else:
        rec, state = {}, "not_recorded"
    if rec.get("dated"):
        columns = (f"{rec['before']}（生效前一日）", f"{rev.effective}（生效当日）")
    else:
        columns = (f"第 {revs[k - 1].version} 版" if k else "上一版", f"第 {rev.version} 版")
    links = lambda cs: Markup("、").join(link(c) for c in cs if c)  # noqa: E731
    return templates.render("revision-impact.html", rev=rev, state=state, rec=rec, columns=columns,
                            previous=revs[k - 1] if k else None, links=links,
                            reason=rec.get("reason", ""))
