"""Approved texts: what people read in each calculator's answer, for every case of
handbook/data/cases/<calculator>.json, and the customer-tiering CSV download, recorded in
tests/approved/ and compared by tests/test_approved_texts.py.

The case files state the decisions, written from the clauses; these files hold the wording
around them (the form's titles, help, labels, units and bounds; each answer's headline,
reason, each check's label, actual, required and text, and every other text of the answer;
each refusal's field and message), so that a change of wording is seen and reviewed. After a reviewed change, write them anew and commit the diff:

    .venv/bin/python tests/approved_texts.py
"""

import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPROVED = ROOT / "tests" / "approved"
# Not wording: the calculator's name, and the document version cited (it changes with each
# release and with the day, and is tested in test_release.py).
LEFT_OUT = {"calculator", "policy"}
CHECK_FIELDS = ("status", "label", "actual", "required", "text")


def _value(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def _texts(node, path: str):
    """(path, string) for every string in an answer, outside the checks."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def answer_lines(result: dict) -> list[str]:
    lines = []
    for path, text in _texts({k: v for k, v in result.items() if k not in LEFT_OUT | {"checks"}}, ""):
        lines.append(f"{path}: {_value(text)}")
    for c in result.get("checks", []):
        lines.append(f"check {c['id']}: " + " | ".join(_value(c.get(k)) for k in CHECK_FIELDS))
    return lines


def _leaves(node, path: str):
    """(path, value) for every value in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, node


def calculator_texts(name: str) -> str:
    from calc import run
    from calc.errors import InputError
    from calc.registry import CALCULATORS
    from tests.support import load_cases

    data = load_cases(name)
    out = [f"# {name}: the form, and the texts of every case in handbook/data/cases/{name}.json "
           "(tests/approved_texts.py writes this file)"]
    # The form as the page draws it from the schema: titles, help, labels, units, bounds.
    out += ["", "## form (the input schema)",
            *(f"{path}: {_value(v)}" for path, v in _leaves(CALCULATORS[name].schema(), ""))]
    for case in data["cases"]:
        out += ["", f"## {case['name']}", *answer_lines(run(name, case["input"]))]
    for case in data["errors"]:
        try:
            run(name, case["input"])
            message = "(no refusal)"
        except InputError as e:
            message = f"{e.field}: {e}"
        out += ["", f"## refused: {case['name']}", message]
    return "\n".join(out) + "\n"


# Uploads to the tiering calculator, whose downloads are recorded: totals (with a tie, a bad
# row, and ids a spreadsheet would run as formulas: the download neutralises them with a
# leading '), and the page's template columns with the items of 第六条 (which add the ratings).
def tiering_uploads() -> dict[str, str]:
    from calc.customer_tiering import csv_columns

    template = ",".join(c["name"] for c in csv_columns())
    return {
        "totals": "客户编号,客户名称,总分\nK001,甲公司,90\nK002,乙公司,75.5\nK003,丙公司,75.5\nK004,丁公司,60\n"
                  "K006,己公司,20\nK007,庚公司,0\n=1+1,公式,10\n@SUM(A1),公式,5\n",
        # A bad row: no tiering on part of the file (issue 18), each row named.
        "a bad row": "客户编号,客户名称,总分\nK001,甲公司,90\nK005,戊公司,很高\nK006,己公司,20\n",
        "the page's template columns": template + "\nK1,甲,,500,5,30,100,5,60,10,5\nK2,乙,80,,,,,,,,\n"
                                       "K3,丙,,100,3,10,20,2,10,2,2\nK4,丁,,300,4,20,50,3,30,5,3\n",
    }


# The download names the version and the day whose rules it applied: a fixed day, so the
# approved text does not change with the calendar.
AS_OF_TEXT = "2026-12-06"


def tiering_csv_texts() -> str:
    """The download of the tiering calculator for fixed uploads: header and every row."""
    import datetime as dt

    from calc.customer_tiering import upload
    from calc.parameters import policy

    out = ["# customer-tiering CSV download: header and rows for fixed uploads (tests/approved_texts.py writes this file)"]
    for title, text in tiering_uploads().items():
        answer = upload(text.encode("utf-8"), policy(dt.date.fromisoformat(AS_OF_TEXT)))
        rows = list(csv.reader(io.StringIO(answer["csv"].lstrip("\ufeff")))) if answer.get("csv") else []
        out += ["", f"## {title}", f"encoding: {answer.get('encoding')}",
                *([f"refused: {answer['error']}"] if answer.get("error") else []),
                *(f"row error: {_value(e)}" for e in answer.get("row_errors", [])),
                *(" | ".join(row) for row in rows)]
    return "\n".join(out) + "\n"


def files() -> dict:
    """File name -> how its text is made, as the code stands."""
    from calc.registry import CALCULATORS

    out = {f"{name}.txt": (lambda name=name: calculator_texts(name)) for name in sorted(CALCULATORS)}
    out["customer-tiering.csv.txt"] = tiering_csv_texts
    return out


def main() -> int:
    APPROVED.mkdir(exist_ok=True)
    for name, make in files().items():
        text = make()
        path = APPROVED / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
