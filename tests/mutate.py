"""Mutation check (make mutation): flip each comparison in the calculators' rule modules in
turn (< and <=, > and >=, == and !=, in and not in, is and is not) and run the fast CPython
tests of that calculator against each mutant. A mutant the tests catch is killed; one they
miss survives and is listed with its line, to be covered by a case or shown equivalent.

The mutants are written into a copy of the repository in a temporary folder, never into the
work tree. Not collected by pytest (no test_ prefix).

Run: .venv/bin/python tests/mutate.py [calculator-name ...] [--timeout SECONDS]
"""

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
        ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
          ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
# The fast layer, the cheapest file first so that most mutants die in seconds (-x).
# Rule code outside the calculator modules, and the tests that select it.
SHARED_RULES = {"calc/workdays.py": "deadline"}
TEST_FILES = ["tests/test_calc_cpython.py", "tests/test_calc_hostile.py", "tests/test_calc_properties.py"]


def mutants(source: str):
    """(line, 'a < b -> a <= b', mutated source) for every comparison operator."""
    tree = ast.parse(source)
    compares = [n for n in ast.walk(tree) if isinstance(n, ast.Compare)]
    for node in compares:
        for i, op in enumerate(node.ops):
            flipped = FLIP[type(op)]()
            node.ops[i] = flipped
            yield node.lineno, f"{SYMBOL[type(op)]} -> {SYMBOL[type(flipped)]}", ast.unparse(tree)
            node.ops[i] = op


def copy_repository(dest: Path) -> None:
    shutil.copytree(ROOT, dest, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "__pycache__", ".pytest_cache", ".hypothesis", "bench"))


def run_tests(work: Path, selector: str, timeout: float, deselect=(), stop_early=True):
    """('killed' | 'survived' | 'timeout', failing test ids). A timeout counts as killed:
    the tests did not pass."""
    env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-rf", "-m", "cpython", "-p", "no:cacheprovider",
               "-k", selector, *(["-x"] if stop_early else []), *TEST_FILES]
    for node in deselect:
        command += ["--deselect", node]
    try:
        proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", []
    if proc.returncode == 5:
        raise SystemExit(f"no test selected by -k {selector!r}")
    failing = [line.split(" ", 1)[1].split(" - ")[0] for line in proc.stdout.splitlines()
               if line.startswith("FAILED ")]
    return ("survived" if proc.returncode == 0 else "killed"), failing


def main() -> int:
    from calc.registry import CALCULATORS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="calculators (default: every one in the registry)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant")
    args = parser.parse_args()
    names = args.names or list(CALCULATORS)
    # A calculator's tests: by its name, its module, and the CSV tests for one that takes uploads.
    targets = [(Path(CALCULATORS[n].__file__).resolve().relative_to(ROOT),
                f"{n} or {Path(CALCULATORS[n].__file__).stem}" + (" or csv" if hasattr(CALCULATORS[n], "upload") else ""))
               for n in names]
    if not args.names:
        targets += [(Path(rel), selector) for rel, selector in SHARED_RULES.items()]
    total_killed = total = 0
    survivors = []
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        work = Path(tmp) / "repo"
        copy_repository(work)
        for rel, selector in targets:
            name = rel.stem
            path = work / rel
            original = path.read_text(encoding="utf-8")
            lines = original.splitlines()
            # Tests that already fail (a rule still to be fixed) cannot tell mutants apart.
            _, failing = run_tests(work, selector, args.timeout * 3, stop_early=False)
            if failing:
                print(f"{name}: {len(failing)} tests fail before mutation, left out: {', '.join(failing)}")
            killed = count = 0
            start = time.monotonic()
            for line, change, source in mutants(original):
                path.write_text(source, encoding="utf-8")
                outcome, _ = run_tests(work, selector, args.timeout, failing)
                count += 1
                if outcome == "survived":
                    survivors.append(f"{rel}:{line} {change}: {lines[line - 1].strip()}")
                else:
                    killed += 1
            path.write_text(original, encoding="utf-8")
            total += count
            total_killed += killed
            print(f"{rel}: {killed}/{count} killed ({time.monotonic() - start:.0f} s)", flush=True)
    print(f"\nmutation score: {total_killed}/{total} killed")
    if survivors:
        print("survivors:")
        for s in survivors:
            print("  " + s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
