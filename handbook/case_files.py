"""The worked cases of each calculator (handbook/data/cases/<calculator>.json): data of the
handbook, not of its tests. The chapters show them as 案例, `impact` runs them against a
proposed revision, and the CPython, Pyodide and browser tests all check them."""

import json
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "data" / "cases"


def load(name: str) -> dict:
    """One calculator's file: `cases` (input, expect) and `errors` (input, field, message)."""
    return json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def load_all() -> dict[str, dict]:
    return {path.stem: load(path.stem) for path in sorted(CASES_DIR.glob("*.json"))}
