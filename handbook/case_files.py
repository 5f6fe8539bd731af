"""The worked cases of each calculator (handbook/data/cases/<calculator>.json): data of the
handbook, not of its tests. Each case has `name`, `clause` (the clause that decides it, one
its calculator cites), `why` (one Chinese sentence), `input` and `expect`; `example: true`
marks the few a chapter shows as 案例 (handbook/worked_examples.py). `impact` runs them
against a proposed revision, and the CPython, Pyodide and browser tests all check them."""

import json
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "data" / "cases"


def load(name: str) -> dict:
    """One calculator's file: `cases` (input, expect) and `errors` (input, field, message)."""
    return json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def load_all() -> dict[str, dict]:
    return {path.stem: load(path.stem) for path in sorted(CASES_DIR.glob("*.json"))}


def differences(result: dict, expect: dict) -> list[tuple[str, object, object]]:
    """(key, expected, got) for each expectation of a case the result does not meet."""
    out = []
    for key, want in expect.items():
        if key == "failed_checks":
            got = sorted(c["id"] for c in result["checks"] if c["status"] == "fail")
        elif key.startswith("customers_"):
            got = [c[key.split("_", 1)[1][:-1]] for c in result["customers"]]
        elif key == "what_would_change" and want is not None:
            # The next better outcome and the clause of each thing that would have to differ.
            change = result.get(key) or {}
            got = {"better": change.get("better"), "clauses": [n["clause"] for n in change.get("needs", [])]}
        elif key == "release" and want is not None:
            got = {k: (result.get("release") or {}).get(k) for k in want}
        else:
            got = result.get(key)
        if got != want:
            out.append((key, want, got))
    return out


def mismatches(result: dict, expect: dict) -> list[str]:
    """What differs between a result and the expectations of its case (empty: it matches)."""
    return [f"{key}: expected {want!r}, got {got!r}" for key, want, got in differences(result, expect)]
