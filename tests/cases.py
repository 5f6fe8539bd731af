"""The shared case files (tests/cases/<calculator>.json) and how a result is compared
with a case's expectations; used by the CPython, Pyodide and browser tests alike."""

from tests.support import CASES, load_cases

ALL = {path.stem: load_cases(path.stem) for path in sorted(CASES.glob("*.json"))}


def params(kind: str) -> list[tuple[str, dict]]:
    return [(name, case) for name, data in ALL.items() for case in data[kind]]


def ids(item) -> str:
    return f"{item[0]}:{item[1]['name']}" if isinstance(item, tuple) else str(item)


def mismatches(result: dict, expect: dict) -> list[str]:
    """What differs between a result and the expectations of its case (empty: it matches)."""
    out = []
    for key, want in expect.items():
        if key == "failed_checks":
            got = sorted(c["id"] for c in result["checks"] if c["status"] == "fail")
        elif key.startswith("customers_"):
            got = [c[key.split("_", 1)[1][:-1]] for c in result["customers"]]
        elif key == "release" and want is not None:
            got = {k: (result.get("release") or {}).get(k) for k in want}
        else:
            got = result.get(key)
        if got != want:
            out.append(f"{key}: expected {want!r}, got {got!r}")
    return out
