"""Impact before approval: which decisions the working tree's parameters and rules would
change against the version in force, for `python -m handbook impact` and for `release`,
which shows it and records it in the snapshot's header (`impact:`, covered by the
snapshot's SHA-256 and the hash chain), so the version's page shows it later without
recomputing from a tree that has moved on.

The version in force of a calculator's rules is what the last release of its document
was made from: calc/ as committed in the first commit whose record lists that release
(handbook/history.py), extracted into a temporary folder. Each side runs in a process of
its own (handbook/impact_runner.py), so two versions of calc/ never share a module, and
each applies the text as it stands in its copy. What runs: the calculators' worked cases,
and boundary combinations around every limit that changed, or around every limit of the
calculators when the rules (the code) changed (handbook/impact_cases.py).

A decision flips when the answer's codes and numbers differ (a grade, a decision, an
amount, a date, a tier), not when only its wording does; fields added since are not
compared. Exit status of the command: EXIT_NONE (0) nothing flips, EXIT_FLIPS (1) some
decision flips, EXIT_CANNOT (2) the comparison could not be made (no git history, an
uncommitted release, a copy that does not run) or its result could not be written."""

import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from handbook import history, impact_cases, rule_parameters
from handbook.impact_cases import Limit, Run

EXIT_NONE, EXIT_FLIPS, EXIT_CANNOT = 0, 1, 2
RUNNER = Path(__file__).with_name("impact_runner.py")
MAX_RECORDED = 300   # flips kept in a release's record (the count is kept whole)
# Not the rules: the register of versions is written by the release itself.
NOT_RULES = {"register.json", "policy.toml"}
VERDICT = {"ok": "符合", "fail": "不符合", "n/a": "不适用", "info": "说明"}


class CannotEvaluate(Exception):
    """Why the comparison cannot be made, in Chinese, naming no file of the project."""


# --- one side -------------------------------------------------------------------------------

def run_side(folder: Path, runs: list[Run], what: str) -> dict:
    """The calculators of folder/calc/ on each run (handbook/impact_runner.py)."""
    proc = subprocess.run([sys.executable, "-E", "-s", "-c", RUNNER.read_text(encoding="utf-8")], cwd=folder,
                          input=json.dumps({"runs": [[r.calculator, r.data] for r in runs]}),
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["没有输出"])[-1]
        raise CannotEvaluate(f"{what}的计算器无法运行（{last}）")
    return json.loads(proc.stdout)


# --- comparing two answers ------------------------------------------------------------------

def same(a, b) -> bool:
    """Two answers' codes and numbers agree: fields on one side only (added since) are not
    compared; entries of a list that carry an id are matched by it (order is not a decision)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return all(same(a[k], b[k]) for k in a.keys() & b.keys())
    if isinstance(a, list) and isinstance(b, list):
        ids = lambda xs: [x.get("id") for x in xs] if all(isinstance(x, dict) and "id" in x for x in xs) else None  # noqa: E731
        ia, ib = ids(a), ids(b)
        if ia is not None and ib is not None and len(set(ia)) == len(ia) and len(set(ib)) == len(ib):
            return set(ia) == set(ib) and all(same(x, dict(zip(ib, b))[x["id"]]) for x in a)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def decided_alike(old: dict, new: dict) -> bool:
    if "missing" in old or "missing" in new:
        return True   # a calculator added since has no old answer to differ from
    if ("error" in old) != ("error" in new):
        return False
    if "error" in old:
        return True   # refused on both sides: not a decision
    return same(old.get("answer"), new.get("answer"))


def _changed_checks(old: dict, new: dict) -> tuple[list, list]:
    """The checks that differ (by id: status, label or clause), as on each side."""
    a = {c[0]: c for c in old.get("checks") or []}
    b = {c[0]: c for c in new.get("checks") or []}
    ids = [i for i in list(b) + [i for i in a if i not in b] if a.get(i) != b.get(i)]
    return [a[i] for i in ids if i in a], [b[i] for i in ids if i in b]


def _check_words(c: list, other: dict) -> str:
    """A check that differs, in words: its verdict when that changed, else what it found."""
    o = other.get(c[0])
    if c[1] != "info" and (o is None or o[1] != c[1]):
        return f"{c[2] or ''}：{VERDICT.get(c[1], c[1])}"
    if o is not None and o[2] == c[2] and len(c) > 4:
        return f"{c[2] or ''}：{c[4]}"
    return str(c[2] or "")


def words(result: dict, info: dict, checks: list, other: dict | None = None) -> str:
    """An answer in words: its headline; with `other` (the other side's checks by id, given
    when both headlines read the same) the checks that differ say what did."""
    if "error" in result:
        return f"输入不被接受（{result['error']}）"
    text = result.get("headline") or (info.get("labels") or {}).get(str(result.get("outcome"))) \
        or str(result.get("outcome"))
    if other is not None and checks:
        text += "（" + "；".join(_check_words(c, other) for c in checks[:3]) + "）"
    return text


def flip(run: Run, a: dict, b: dict, old_info: dict, info: dict) -> dict | None:
    """A run whose decision differs, in words: calculator title, case, before, after and
    the clauses (the limit's, then those of the checks that changed); None when alike."""
    if decided_alike(a, b):
        return None
    was, now = _changed_checks(a, b)
    alike_words = (a.get("headline") or a.get("error")) == (b.get("headline") or b.get("error"))
    clauses = list(dict.fromkeys(run.clauses + [c[3] for c in (now or was) if c[3]]))[:3]
    if not clauses and info.get("clauses"):
        clauses = info["clauses"][:1]
    case = run.words
    dropped = sorted(set(a.get("dropped") or []))
    if dropped:
        titles = [(impact_cases.prop(info.get("schema") or {}, p) or {}).get("title") for p in dropped]
        case += f"（上一版没有“{'”“'.join(t for t in titles if t) or '新增的输入'}”一项，按未填计算）"
    by_id = lambda r: {c[0]: c for c in r.get("checks") or []} if alike_words else None  # noqa: E731
    return {"calculator": info.get("title", ""), "case": case,
            "before": words(a, old_info, was, by_id(b)), "after": words(b, info, now, by_id(a)),
            "clauses": clauses}


def flips(runs: list[Run], old: dict, new: dict) -> list[tuple[Run, dict]]:
    """The runs whose decision differs, with the flip in words."""
    out = []
    for run, a, b in zip(runs, old["results"], new["results"]):
        found = flip(run, a, b, old["calculators"].get(run.calculator, {}), new["calculators"].get(run.calculator, {}))
        if found:
            out.append((run, found))
    return out


# --- the parameters -------------------------------------------------------------------------

def _node(source: dict, path: str):
    node = source
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node.get(key, {})
    return node if isinstance(node, dict) else {}


def param_label(source: dict, path: str) -> str:
    node = _node(source, path)
    return node.get("label") or node.get("description") or path.rsplit(".", 1)[-1]


def parameters_of(text: str) -> tuple[dict, dict]:
    """A parameter file's text: its source (for the labels) and its parameters as the text
    stands, by path (value, unit, bound, clause)."""
    source = tomllib.loads(text)
    return source, rule_parameters.flat(rule_parameters.resolved(source))


def _shown(spec: dict | None) -> str:
    from handbook.parameter_pages import shown

    return "（无）" if spec is None else shown(spec.get("value"), spec.get("unit", ""), spec.get("bound"))


def parameter_changes(old: dict, new: dict, source: dict, old_source: dict) -> list[dict]:
    key = lambda s: tuple((s or {}).get(k) for k in rule_parameters.COMPARED)  # noqa: E731
    out = []
    for path in list(new) + [p for p in old if p not in new]:
        a, b = old.get(path), new.get(path)
        if key(a) == key(b):
            continue
        spec = b or a
        out.append({"path": path, "label": param_label(source if b else old_source, path),
                    "clause": spec.get("clause"), "old": _shown(a), "new": _shown(b),
                    "old_value": (a or {}).get("value"), "new_value": (b or {}).get("value"),
                    "unit": spec.get("unit", "")})
    return out


def rules_changed(old_calc: Path, new_calc: Path) -> list[str]:
    """The files of calc/ (other than the parameter file and the register) that differ."""
    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and p.name not in NOT_RULES}
    a, b = files(old_calc), files(new_calc)
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


# --- the version in force --------------------------------------------------------------------

@dataclass
class Group:
    """The calculators whose documents' last releases were made from one commit."""
    commit: str
    releases: list          # [(document, version)]
    calculators: list       # names
    parameters: list = field(default_factory=list)
    rules: list = field(default_factory=list)       # files of calc/ that changed
    runs: int = 0
    flips: dict = field(default_factory=dict)       # calculator name -> [flip]


@dataclass
class Report:
    groups: list
    calculators: dict          # name -> {"title", "document", ...} (the working tree's)
    unreleased: list           # calculators of documents never released
    only: set | None = None

    def parameters(self) -> list[dict]:
        """Each document's parameters that changed since its own last release."""
        out = []
        for g in self.groups:
            docs = {d for d, _ in g.releases}
            out += [p for p in g.parameters if (p["clause"] or "")[:5] in docs and self._mine(p["clause"])]
        return out

    def _mine(self, clause) -> bool:
        return self.only is None or (clause or "")[:5] in self.only

    def flips(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for g in self.groups:
            for name, found in g.flips.items():
                doc = self.calculators[name].get("document")
                kept = [f for f in found if self.only is None or doc in self.only
                        or any(self._mine(c) for c in f["clauses"])]
                if kept:
                    out.setdefault(name, []).extend(kept)
        return out

    @property
    def total_runs(self) -> int:
        return sum(g.runs for g in self.groups)

    @property
    def rules_changed(self) -> bool:
        return any(g.rules for g in self.groups)

    @property
    def changed(self) -> bool:
        return bool(self.parameters()) or self.rules_changed

    @property
    def exit_status(self) -> int:
        return EXIT_FLIPS if self.flips() else EXIT_NONE


def _baselines(root: Path, documents: set[str]) -> dict[str, tuple[str, str]]:
    """Each released document's last release (version) and the commit it was made from."""
    from handbook import revisions

    manifest = revisions.load(root / "revisions")
    last = {d: manifest[d][-1].version for d in documents if manifest.get(d)}
    found = history.first_recorded(root / "revisions", set(last.items()))
    if isinstance(found, history.Result):
        raise CannotEvaluate("没有可读的 git 历史，取不到现行版本发布时的参数与计算规则"
                             + (f"（{found.note}）" if found.note else "") + "，无法评估影响")
    missing = [f"{d} 第 {v} 版" for d, v in sorted(last.items()) if (d, v) not in found]
    if missing:
        raise CannotEvaluate(f"{'、'.join(missing)}的发布尚未提交到 git，取不到它发布时的参数与计算规则："
                             "提交之后再评估")
    return {d: (v, found[(d, v)]) for d, v in last.items()}


def evaluate(root: Path, only: set[str] | None = None) -> Report:
    """The working tree at root against the version in force (see the module's text).
    `only`: the documents whose impact is wanted (a release's); their calculators, and
    flips in other calculators that cite their clauses."""
    root = Path(root).resolve()
    described = run_side(root, [], "工作区")["calculators"]
    from handbook import revisions

    try:
        docs = set(revisions.load(root / "revisions"))   # every released document: its parameters too
    except revisions.ManifestError as e:
        raise CannotEvaluate(f"发布记录读不出：{e}") from None
    base = _baselines(root, docs)
    unreleased = [n for n, info in described.items() if info.get("document") not in base]
    groups: dict[str, Group] = {}
    for doc, (version, commit) in sorted(base.items()):
        g = groups.setdefault(commit, Group(commit, [], []))
        g.releases.append((doc, version))
        g.calculators += [n for n, info in described.items() if info.get("document") == doc]
    source, new_params = parameters_of((root / "calc" / "policy.toml").read_text(encoding="utf-8"))
    worked = impact_cases.cases(root)
    limits = impact_cases.limits(root)
    with tempfile.TemporaryDirectory(prefix="handbook-impact-") as tmp:
        for g in groups.values():
            old_dir = Path(tmp) / g.commit
            if not history.extract(root, g.commit, "calc", old_dir):
                raise CannotEvaluate(f"取不到 {'、'.join(f'{d} 第 {v} 版' for d, v in g.releases)}发布时的计算器（git 提交 "
                                     f"{g.commit[:12]}）")
            old_source, old_params = parameters_of((old_dir / "calc" / "policy.toml").read_text(encoding="utf-8"))
            g.parameters = parameter_changes(old_params, new_params, source, old_source)
            g.rules = rules_changed(old_dir / "calc", root / "calc")
            if not (g.parameters and g.calculators) and not (g.rules and g.calculators):
                continue
            runs = _runs(g, described, worked, limits, old_params, new_params)
            g.runs = len(runs)
            label = "、".join(f"{d} 第 {v} 版" for d, v in g.releases)
            old, new = run_side(old_dir, runs, f"{label}发布时"), run_side(root, runs, "工作区")
            for run, found in flips(runs, old, new):
                g.flips.setdefault(run.calculator, []).append(found)
    return Report(list(groups.values()), described, unreleased, set(only) if only is not None else None)


def cited_first(name: str, changed: list[tuple[str, str]], limits: list, clauses: list) -> list[str]:
    """A worked case that flips is put down first to the changed parameters this calculator
    applies: limits of its inputs, and parameters of the clauses it cites."""
    mine = {s["parameter"] for s in limits if s["calculator"] == name}
    return list(dict.fromkeys(c for path, c in changed if c and (path in mine or c in clauses)))


def _runs(g: Group, described: dict, worked: dict, limits: list, old_params: dict, new_params: dict) -> list[Run]:
    changed = {p["path"]: p for p in g.parameters}
    runs = []
    for name in g.calculators:
        cited = cited_first(name, [(p["path"], p["clause"]) for p in changed.values()], limits,
                            described[name].get("clauses") or [])
        runs += impact_cases.case_runs(name, worked.get(name, []), cited)
        schema = described[name].get("schema") or {}
        for spec in limits:
            path = spec["parameter"]
            if spec["calculator"] != name or not (path in changed or g.rules):
                continue
            a, b = old_params.get(path), new_params.get(path)
            if b is None:
                continue
            values = tuple(dict.fromkeys(v["value"] for v in (a, b) if v is not None))
            limit = Limit(path, spec, b.get("clause"), b.get("unit", ""), values)
            runs += impact_cases.boundary_runs(name, schema, worked.get(name, []), limit)
    return runs


# --- what the command prints and the release records ----------------------------------------

def clause_words(clause: str) -> str:
    from handbook import clauses

    try:
        return clauses.label(clause)
    except (ValueError, KeyError):
        return clause


def text(report: Report) -> str:
    """The report in Chinese, for the command line and the release."""
    lines = []
    against = "、".join(f"{d} 第 {v} 版" for d, v in sorted(r for g in report.groups for r in g.releases)
                        if report.only is None or d in report.only)
    lines.append(f"影响评估：工作区的参数与计算规则，对照现行版本（各文件最近一次发布时的参数与计算规则：{against or '无'}）")
    params = report.parameters()
    if params:
        lines.append("参数改变：")
        for p in params:
            where = clause_words(p["clause"]) if p["clause"] else ""
            lines.append(f"  {where} {p['label']}：{p['old']} → {p['new']}".rstrip())
    else:
        lines.append("参数：未改变")
    changed_files = sorted({f for g in report.groups for f in g.rules})
    shown = "、".join(changed_files[:6]) + (f" 等 {len(changed_files)} 个文件" if len(changed_files) > 6 else "")
    lines.append("计算规则：" + (f"有改动（calc/ 中的 {shown}）" if changed_files else "未改动"))
    found = report.flips()
    if not report.changed:
        lines.append("无变化：参数和计算规则与现行版本相同，没有结论会改变")
        return "\n".join(lines)
    total = report.total_runs
    if not found and not total:
        lines.append("无变化：没有计算器适用改动的参数，没有可计算的情形")
        return "\n".join(lines)
    if not found:
        lines.append(f"无变化：共计算 {total} 个情形（案例与界限两侧的组合），结论都没有改变")
        return "\n".join(lines)
    count = sum(len(v) for v in found.values())
    lines.append(f"结论改变的情形：共计算 {total} 个情形，{count} 个结论改变")
    for name, items in found.items():
        info = report.calculators[name]
        lines.append(f"【{info['title']}】{len(items)} 个")
        for f in items:
            cited = "、".join(clause_words(c) for c in f["clauses"])
            lines.append(f"  {f['case']}：{f['before']} → {f['after']}" + (f"（{cited}）" if cited else ""))
    return "\n".join(lines)


def record(report: Report | None, reason: str | None = None) -> dict:
    """What a release keeps in its snapshot's header: words and clause numbers (the version
    page shows them; no file, module or calculator name), and each changed parameter's path
    (for 参数一览's values over time, never shown)."""
    if report is None:
        return {"evaluated": False, "reason": reason or "未作影响评估"}
    found = [{"calculator": report.calculators[name]["title"], **f}
             for name, items in report.flips().items() for f in items]
    return {"evaluated": True,
            "compared_with": [{"document": d, "version": v} for g in report.groups for d, v in g.releases
                              if report.only is None or d in report.only],
            "parameters": [{"path": p["path"], "label": p["label"], "clause": p["clause"], "old": p["old"],
                            "new": p["new"]} for p in report.parameters()],
            "rules_changed": report.rules_changed, "runs": report.total_runs,
            "flips_total": len(found), "flips": found[:MAX_RECORDED]}


def for_release(root: Path, number: str) -> tuple[dict, str]:
    """A release's impact: (the record, the text to show); not evaluated, with the reason,
    when the comparison cannot be made (a release never fails for it)."""
    try:
        report = evaluate(root, {number})
    except CannotEvaluate as e:
        return record(None, str(e)), f"影响评估：未作（{e}）"
    return record(report), text(report)


def main(root: Path, documents: list[str]) -> int:
    try:
        report = evaluate(root, set(documents) if documents else None)
    except CannotEvaluate as e:
        sys.stderr.write(f"无法评估影响：{e}\n")
        return EXIT_CANNOT
    try:
        sys.stdout.buffer.write((text(report) + "\n").encode("utf-8"))
        sys.stdout.buffer.flush()
    except OSError as e:   # a closed pipe (… | head), a full disk: one line, no traceback
        import os

        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)   # Python's own flush at exit must not fail again
        sys.stderr.write(f"影响评估的结果写不出去（{os.strerror(e.errno) if e.errno else e}）\n")
        return EXIT_CANNOT
    return report.exit_status
