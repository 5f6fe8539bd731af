"""The shared case files (handbook/data/cases/<calculator>.json) and how a result is compared
with a case's expectations; used by the CPython, Pyodide and browser tests alike."""

import re

from tests.support import CASES, load_cases

ALL = {path.stem: load_cases(path.stem) for path in sorted(CASES.glob("*.json"))}


def params(kind: str) -> list[tuple[str, dict]]:
    return [(name, case) for name, data in ALL.items() for case in data[kind]]


def ids(item) -> str:
    return item["name"] if isinstance(item, dict) else str(item)


def mismatches(result: dict, expect: dict) -> list[str]:
    """What differs between a result and the expectations of its case (empty: it matches)."""
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
            out.append(f"{key}: expected {want!r}, got {got!r}")
    return out


def _names(schema: dict) -> tuple[set[str], set[str]]:
    """The property names and the enum codes anywhere in a schema."""
    props, codes = set(), {str(v) for v in schema.get("enum", [])}
    for sub in [*schema.get("properties", {}).values(), *([schema["items"]] if "items" in schema else [])]:
        p, c = _names(sub)
        props |= p
        codes |= c
    return props | set(schema.get("properties", {})), codes


def message_problems(schema: dict, message: str, given: str = "") -> list[str]:
    """What is wrong with a refusal as staff read it (empty: nothing): one line, in
    Chinese, no library English, no program field name unless the user typed it."""
    out = []
    if not message or "\n" in message or "Traceback" in message:
        out.append("not one line")
    if not re.search("[\u4e00-\u9fff]", message):
        out.append("no Chinese")
    outside_quotes = re.sub(r'"(?:[^"\\]|\\.)*"(\.\.\.)?', "", message)
    if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", outside_quotes):
        out.append("English text")
    props, codes = _names(schema)
    for field in props - codes:   # a list of allowed codes may name a code spelled like a field
        if len(field) > 2 and re.search(rf"\b{field}\b", outside_quotes) and field not in given:
            out.append(f"program field name {field}")
    return out
