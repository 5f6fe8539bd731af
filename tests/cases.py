"""The shared case files (handbook/data/cases/<calculator>.json) and how a result is compared
with a case's expectations; used by the CPython, Pyodide and browser tests alike."""

import re

from handbook.case_files import mismatches  # noqa: F401  the build checks the chapters' 案例 with it too
from tests.support import CASES, load_cases

ALL = {path.stem: load_cases(path.stem) for path in sorted(CASES.glob("*.json"))}


def params(kind: str) -> list[tuple[str, dict]]:
    return [(name, case) for name, data in ALL.items() for case in data[kind]]


def ids(item) -> str:
    return item["name"] if isinstance(item, dict) else str(item)


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
