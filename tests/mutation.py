"""make mutation: change the code of the modules that decide, one small change at a time,
and run the fast layer's tests (`-m cpython`) that execute the changed line against each
change (a mutant). A mutant some test fails on is killed; one they all pass survives and is
listed with its line and the change, to be covered by a test or shown equivalent. Prints the
score of each module and the total, and exits 1 below THRESHOLD.

Mutants (inside functions and methods, decorated ones too; module-level code is not mutated):
comparisons (< <=, > >=, == !=, in, is), boolean operators (and/or, dropping `not`),
arithmetic (+ -, * /, // %, **, and their += forms), numbers (n -> n+1), True/False, and
every string literal that holds text users read (any non-ASCII character, f-string parts
included: "XX" is put around it).

How it runs in minutes on two cores:
1. One run of the fast layer under coverage.py records which tests execute each line (and
   which tests fail already: those are left out).
2. One pytest session collects the fast layer once; for each mutant it forks, swaps the
   mutated function's code object in memory (no file is written; every reference to the
   function sees the change), and runs only the tests that execute that line: first those
   that killed mutants of the same module, then the fastest, within BUDGET seconds, stopping
   at the first failure. Tests that only run the code in a subprocess (the CLI, the
   release command) cannot see an in-memory mutant and are not counted for it.

Run: .venv/bin/python tests/mutation.py [calc/x.py ...] [--jobs N]
Not collected by pytest (no test_ prefix); `-p tests.mutation` loads the plugin half below.
MUTATION_DEBUG=1 prints each mutant's outcome, tests run and seconds.
"""

import argparse
import ast
import copy
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The modules that decide: the engine and the shared readers, and the ten calculators.
TARGETS = ["calc/engine.py", "calc/schema.py", "calc/parameters.py", "calc/form_input.py", "calc/csv_table.py",
           "calc/redline.py", "calc/numbers.py", "calc/workdays.py",
           "calc/attendance_fine.py", "calc/credit_application.py", "calc/credit_check.py", "calc/credit_grade.py",
           "calc/credit_kpi.py", "calc/customer_tiering.py", "calc/filing_deadline.py", "calc/report_deadline.py",
           "calc/service_rating.py", "calc/tier_terms.py"]
LAYER = ["-m", "cpython"]
# The share of mutants killed below which `make mutation` fails (README says the same);
# measured 87.5% (1488/1701) on 2026-12-06.
THRESHOLD = 0.85
# Seconds of tests (as timed in the coverage run) each mutant may take, fastest first: the
# tests that kill a mutant are nearly always among the first; a survivor stops here.
BUDGET = 20.0
NO_MUTATE = "pragma: no mutate"   # a comment that exempts its line (an equivalent mutant)


# --- the mutants -------------------------------------------------------------------------

SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
        ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
        ast.And: ast.Or, ast.Or: ast.And, ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div,
        ast.Div: ast.Mult, ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
          ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.And: "and", ast.Or: "or", ast.Add: "+",
          ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _changes(node):
    """(description, apply(node) -> replacement node) for each mutant of one AST node."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in SWAP:
                def swap(n, i=i):
                    n.ops[i] = SWAP[type(n.ops[i])]()
                    return n
                yield f"{SYMBOL[type(op)]} -> {SYMBOL[SWAP[type(op)]]}", swap
    elif isinstance(node, (ast.BoolOp, ast.BinOp, ast.AugAssign)) and type(node.op) in SWAP:
        def swap(n):
            n.op = SWAP[type(n.op)]()
            return n
        op = type(node.op)
        yield f"{SYMBOL[op]}{'=' if isinstance(node, ast.AugAssign) else ''} -> " \
              f"{SYMBOL[SWAP[op]]}{'=' if isinstance(node, ast.AugAssign) else ''}", swap
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not x -> x", lambda n: n.operand
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield f"{value} -> {not value}", lambda n: ast.Constant(not n.value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield f"{value!r} -> {value + 1!r}", lambda n: ast.Constant(n.value + 1)
        elif isinstance(value, str) and any(ord(c) > 127 for c in value):
            yield f"{_short(value)} -> 'XX…XX'", lambda n: ast.Constant("XX" + n.value + "XX")


def _docstring(body) -> ast.AST | None:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.value
    return None


def _functions(tree):
    """(qualname, FunctionDef) for every top-level function and method."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    yield f"{node.name}.{item.name}", item


def _mutable_nodes(func: ast.FunctionDef):
    """The nodes of a function's body in a fixed order, without its docstrings, annotations
    and f-string format specs (those are not what the function decides)."""
    skip = set()
    for n in ast.walk(func):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            doc = _docstring(n.body)
            if doc is not None:
                skip.add(id(doc))
        if isinstance(n, ast.FormattedValue) and n.format_spec is not None:
            skip.update(id(x) for x in ast.walk(n.format_spec))
        if isinstance(n, (ast.arg, ast.AnnAssign)):
            for a in (n.annotation,) if n.annotation is not None else ():
                skip.update(id(x) for x in ast.walk(a))
    if func.returns is not None:
        skip.update(id(x) for x in ast.walk(func.returns))
    out = []
    for stmt in func.body:
        for n in ast.walk(stmt):
            if id(n) not in skip:
                out.append(n)
    return out


def _statement_lines(func: ast.FunctionDef) -> dict[int, range]:
    """id(node) -> the lines of the simple statement (or compound statement's header) holding it."""
    lines = {}

    def visit(stmt):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for s in stmt.body:
                visit(s)
            return
        bodies = [b for b in ("body", "orelse", "finalbody", "handlers", "cases") if getattr(stmt, b, None)]
        inner = [s for b in bodies for s in getattr(stmt, b)]
        end = min((s.lineno for s in inner), default=stmt.end_lineno + 1) - 1 if inner else stmt.end_lineno
        header = range(stmt.lineno, max(end, stmt.lineno) + 1)
        inner_ids = {id(x) for s in inner for x in ast.walk(s)}
        for n in ast.walk(stmt):
            if id(n) not in inner_ids:
                lines.setdefault(id(n), header)
        for s in inner:
            if isinstance(s, ast.excepthandler):
                lines.setdefault(id(s), range(s.lineno, s.lineno + 1))
                for x in s.body:
                    visit(x)
            elif isinstance(s, ast.match_case):
                for x in s.body:
                    visit(x)
            else:
                visit(s)

    for stmt in func.body:
        visit(stmt)
    return lines


def mutants(rel: str, source: str) -> list[dict]:
    source_lines = source.splitlines()
    tree = ast.parse(source)
    out = []
    for qualname, func in _functions(tree):
        lines = _statement_lines(func)
        for index, node in enumerate(_mutable_nodes(func)):
            line = getattr(node, "lineno", None)
            if line is None or NO_MUTATE in source_lines[line - 1]:
                continue
            covered = lines.get(id(node), range(line, line + 1))
            for k, (change, _) in enumerate(_changes(node)):
                out.append({"file": rel, "function": qualname, "node": index, "variant": k, "line": line,
                            "col": node.col_offset + 1,
                            "lines": list(covered), "change": change,
                            "text": source_lines[line - 1].strip()})
    return out


def mutated_code(m: dict, source: str):
    """The code object of the mutated function (compiled alone, with its original lines)."""
    tree = ast.parse(source)
    funcs = dict(_functions(tree))
    func = copy.deepcopy(funcs[m["function"]])
    node = _mutable_nodes(func)[m["node"]]
    change = list(_changes(node))[m["variant"]][1]
    replacement = change(node)
    if replacement is not node:   # swap the node for its replacement in its parent
        for parent in ast.walk(func):
            for field, value in ast.iter_fields(parent):
                if value is node:
                    setattr(parent, field, replacement)
                elif isinstance(value, list):
                    for i, v in enumerate(value):
                        if v is node:
                            value[i] = replacement
        ast.copy_location(replacement, node)
    func.decorator_list = []
    if "." in m["function"]:
        cls_name = m["function"].split(".")[0]
        module = ast.Module([ast.ClassDef(cls_name, [], [], [func], [])], [])
    else:
        module = ast.Module([func], [])
    ast.fix_missing_locations(module)
    code = compile(module, str(ROOT / m["file"]), "exec")
    if "." in m["function"]:
        code = next(c for c in code.co_consts if hasattr(c, "co_name") and c.co_name == cls_name)
    return next(c for c in code.co_consts if hasattr(c, "co_name") and c.co_name == func.name)


def apply(m: dict, source: str) -> None:
    """Swap the function's code for the mutant's, in this process only."""
    module = importlib.import_module(m["file"][:-3].replace("/", "."))
    obj = module
    for part in m["function"].split("."):
        obj = getattr(obj, part) if not isinstance(obj, dict) else obj[part]
    wrapper, raw = obj, obj
    while hasattr(raw, "__wrapped__"):
        raw = raw.__wrapped__
    code = mutated_code(m, source)
    if code.co_freevars != raw.__code__.co_freevars:
        raise RuntimeError("closure differs")
    raw.__code__ = code
    if hasattr(wrapper, "cache_clear"):
        wrapper.cache_clear()
    from calc import parameters

    parameters._view.cache_clear()   # the parameters as read by the original code


# --- the pytest plugin: the coverage run and the mutation run ----------------------------

def pytest_addoption(parser):
    group = parser.getgroup("mutation", "make mutation (tests/mutation.py)")
    group.addoption("--mutation-coverage", help="record which test runs which line of calc/ into this file")
    group.addoption("--mutation-plan", help="run the mutants of this file instead of the tests")
    group.addoption("--mutation-results", help="where the mutation run writes its outcomes")
    group.addoption("--mutation-jobs", type=int, default=2)


class _Coverage:
    def __init__(self, out: str):
        import coverage

        self.out = out
        self.cov = coverage.Coverage(data_file=None, config_file=False, source=[str(ROOT / "calc")])
        self.cov.start()
        self.durations = defaultdict(float)
        self.failed = set()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item):
        self.cov.switch_context(item.nodeid)
        yield
        self.cov.switch_context("")

    def pytest_runtest_logreport(self, report):
        self.durations[report.nodeid] += report.duration
        if report.failed:
            self.failed.add(report.nodeid)

    def pytest_sessionfinish(self, session):
        self.cov.stop()
        data = self.cov.get_data()
        lines = {}
        for path in data.measured_files():
            rel = Path(path).resolve().relative_to(ROOT).as_posix()
            by_line = data.contexts_by_lineno(path)
            lines[rel] = {str(n): sorted(c for c in ctx if c and c not in self.failed) for n, ctx in by_line.items()}
        Path(self.out).write_text(json.dumps({"lines": lines, "durations": self.durations,
                                             "failed": sorted(self.failed)}), encoding="utf-8")


class _Mutation:
    def __init__(self, config):
        self.config = config
        self.plan = json.loads(Path(config.getoption("mutation_plan")).read_text(encoding="utf-8"))
        self.out = config.getoption("mutation_results")
        self.jobs = config.getoption("mutation_jobs")

    def say(self, text: str) -> None:
        capman = self.config.pluginmanager.getplugin("capturemanager")
        with capman.global_and_fixture_disabled():
            print(text, flush=True)

    def order(self, m: dict, items: dict, killers: Counter) -> tuple[list[str], int]:
        """The tests to run against a mutant: first those that killed mutants of the same
        module before, then the fastest; up to the budget of (recorded) test seconds. And how
        many tests execute its line in all."""
        durations = self.plan["durations"]
        tests = sorted((t for t in m["tests"] if t in items), key=lambda t: (-killers[t], durations.get(t, 0), t))
        chosen, spent = [], 0.0
        for t in tests:
            if chosen and spent + durations.get(t, 0) > self.plan["budget"]:
                continue
            chosen.append(t)
            spent += durations.get(t, 0)
        return chosen, len(tests)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        from _pytest.runner import runtestprotocol

        items = {item.nodeid: item for item in session.items}
        session.config._tmp_path_factory.getbasetemp()   # one base folder, made before forking
        durations = self.plan["durations"]
        mutants = self.plan["mutants"]
        killers = defaultdict(Counter)   # file -> tests that killed its mutants, and how often
        queue = list(enumerate(mutants))
        results, running, start, done = {}, {}, time.monotonic(), 0
        with tempfile.TemporaryDirectory(prefix="mutation-killers-") as notes:
            while queue or running:
                while queue and len(running) < self.jobs:
                    index, m = queue.pop(0)
                    tests, covering = self.order(m, items, killers[m["file"]])
                    if not tests:
                        results[index] = {"outcome": "no test"}
                        done += 1
                        continue
                    limit = 60 + 10 * sum(durations.get(t, 1) for t in tests)
                    pid = os.fork()
                    if pid == 0:   # the child: apply the mutant, run its tests, answer by exit code
                        os._exit(self.run_one(m, [items[t] for t in tests], Path(notes) / str(index),
                                              runtestprotocol))
                    running[pid] = (index, time.monotonic() + limit, len(tests), covering)
                pid, status = os.waitpid(-1, os.WNOHANG) if running else (0, 0)
                if pid == 0:
                    now = time.monotonic()
                    for child, (index, deadline, *_) in list(running.items()):
                        if now > deadline:
                            os.kill(child, signal.SIGKILL)
                            os.waitpid(child, 0)
                            del running[child]
                            results[index] = {"outcome": "timeout"}
                            done += 1
                    time.sleep(0.02)
                    continue
                index, _, ran, covering = running.pop(pid)
                code = os.waitstatus_to_exitcode(status)
                outcome = {0: "survived", 1: "killed", 3: "not applied"}.get(code, f"crashed ({code})")
                results[index] = {"outcome": outcome, "ran": ran, "covering": covering}
                note = Path(notes) / str(index)
                if outcome == "killed" and note.exists():
                    killers[mutants[index]["file"]][note.read_text(encoding="utf-8")] += 1
                done += 1
                if done % 100 == 0:
                    self.say(f"  {done}/{len(mutants)} mutants ({time.monotonic() - start:.0f} s)")
        Path(self.out).write_text(json.dumps([results[i] for i in range(len(mutants))]), encoding="utf-8")
        return True

    def run_one(self, m: dict, selected: list, note: Path, runtestprotocol) -> int:
        """In the forked child: 0 all passed (survived), 1 one failed (killed; its id noted),
        3 the mutant could not be applied."""
        t0 = time.monotonic()
        code, ran = 0, 0
        try:
            apply(m, self.plan["sources"][m["file"]])
            for i, item in enumerate(selected):
                ran += 1
                nextitem = selected[i + 1] if i + 1 < len(selected) else None
                if any(r.failed for r in runtestprotocol(item, log=False, nextitem=nextitem)):
                    note.write_text(item.nodeid, encoding="utf-8")
                    code = 1
                    break
        except BaseException:
            code = 3
        if os.environ.get("MUTATION_DEBUG"):
            os.write(2, f"{m['file']}:{m['line']} {m['change']}: {code} after {ran}/{len(selected)} tests, "
                        f"{time.monotonic() - t0:.1f} s\n".encode())
        return code


def pytest_configure(config):
    if config.getoption("mutation_coverage", None):
        config.pluginmanager.register(_Coverage(config.getoption("mutation_coverage")), "mutation-coverage")
    if config.getoption("mutation_plan", None):
        config.pluginmanager.register(_Mutation(config), "mutation-run")


# --- the command -------------------------------------------------------------------------

def _pytest(*args: str, show: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.mutation",
                           *LAYER, *args], cwd=ROOT, env=env, capture_output=not show, text=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="modules to mutate (default: " + ", ".join(TARGETS) + ")")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--budget", type=float, default=BUDGET,
                        help=f"seconds of tests (as timed under coverage) per mutant, default {BUDGET:g}")
    parser.add_argument("--coverage", help="keep the coverage run in this file and reuse it if it exists "
                                           "(only while the tests and calc/ are unchanged)")
    args = parser.parse_args()
    files = args.files or TARGETS
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        cover = Path(args.coverage) if args.coverage else Path(tmp) / "coverage.json"
        proc = _pytest(f"--mutation-coverage={cover}") if not cover.exists() else None
        if not cover.exists():
            print(proc.stdout[-4000:], proc.stderr[-4000:])
            return 2
        recorded = json.loads(cover.read_text(encoding="utf-8"))
        print(f"fast layer under coverage: {time.monotonic() - start:.0f} s; "
              f"{len(recorded['failed'])} failing before mutation, left out"
              + "".join(f"\n  {t}" for t in recorded["failed"]), flush=True)
        sources = {rel: (ROOT / rel).read_text(encoding="utf-8") for rel in files}   # as mutated
        plan = []
        for rel in files:
            by_line = recorded["lines"].get(rel, {})
            for m in mutants(rel, sources[rel]):
                m["tests"] = sorted({t for n in m["lines"] for t in by_line.get(str(n), ())})
                plan.append(m)
        print(f"{len(plan)} mutants in {len(files)} modules; running with {args.jobs} jobs", flush=True)
        (Path(tmp) / "plan.json").write_text(json.dumps({"mutants": plan, "durations": recorded["durations"],
                                                         "sources": sources, "budget": args.budget}),
                                             encoding="utf-8")
        results = Path(tmp) / "results.json"
        # Its progress is shown as it goes; pytest's own report has nothing to say here.
        _pytest(f"--mutation-plan={Path(tmp) / 'plan.json'}", f"--mutation-results={results}",
                f"--mutation-jobs={args.jobs}", "-o", "addopts=", "-p", "no:terminal", show=True)
        if not results.exists():
            return 2
        outcomes = json.loads(results.read_text(encoding="utf-8"))
    return report(plan, outcomes, time.monotonic() - start)


KILLED = {"killed", "timeout"}


def report(plan: list[dict], outcomes: list[dict], wall: float) -> int:
    by_file = defaultdict(Counter)
    survivors = []
    for m, result in zip(plan, outcomes):
        outcome = result["outcome"]
        by_file[m["file"]][outcome] += 1
        if outcome not in KILLED:
            ran = f", {result['ran']} of {result['covering']} tests" if result.get("covering", 0) > result.get("ran", 0) else ""
            survivors.append((m["file"], m["line"], f"{m['file']}:{m['line']}:{m['col']}  {m['change']}   "
                                                    f"[{outcome}{ran}]  {m['text'][:90]}"))
    print(f"\nmutation score by module (tests: pytest {' '.join(LAYER)}, those that run the line):")
    total = killed = 0
    for rel in sorted(by_file):
        counts = by_file[rel]
        n, k = sum(counts.values()), sum(counts[o] for o in KILLED)
        total, killed = total + n, killed + k
        rest = ", ".join(f"{c} {o}" for o, c in sorted(counts.items()) if o not in KILLED)
        print(f"  {rel:28} {k:4}/{n:<4} {k / n:6.1%}   {rest}")
    score = killed / total if total else 1.0
    print(f"  {'total':28} {killed:4}/{total:<4} {score:6.1%}   threshold {THRESHOLD:.0%}; {wall / 60:.1f} min")
    if survivors:
        print("\nsurvivors (file:line:column  the change  [outcome]  the line):")
        for *_, text in sorted(survivors):
            print("  " + text)
    if score < THRESHOLD:
        print(f"\nmutation score {score:.1%} is below the threshold {THRESHOLD:.0%}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
