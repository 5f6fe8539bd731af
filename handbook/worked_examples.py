"""The chapters' 案例: the worked cases marked `"example": true` in handbook/data/cases, shown
after a calculator's tool block (site only: a released text has no tool block, so no release
is needed to change them). Each shows the situation as staff read it (the calculator's field
titles, labels and units), the answer, why and the clause that decides it, and a link that
fills the calculator with the case and computes it.

Every case shown is run through its calculator with the rules in force when the page is
built; one whose answer is not the `expect` written from the clause stops the build with a
Chinese line naming it (a ValueError in the page's macro), so a 案例 is never shown wrong."""

import csv
import io
import json
import re
from decimal import Decimal
from urllib.parse import urlencode

from calc.parameters import policy
from calc.registry import get, run
from handbook import case_files, clauses, templates


def examples(name: str) -> list[dict]:
    """The cases of a calculator that its chapter shows, in the case file's order."""
    return [c for c in case_files.load(name)["cases"] if c.get("example")]


def checked(name: str, case: dict) -> dict:
    """The calculator's answer to a case, by the rules in force; refused when it is not the
    case's `expect`."""
    result = run(name, case["input"])
    wrong = case_files.differences(result, case["expect"])
    if wrong:
        said = "；".join(f"{key} 应为 {_plain(want)}，算出 {_plain(got)}" for key, want, got in wrong)
        raise ValueError(f"案例“{case['name']}”（handbook/data/cases/{name}.json）与{get(name).TITLE}计算器按现行规定"
                         f"算出的结论不符（{said}）：请按{clauses.label(case['clause'])}核对判例或计算器")
    return result


def _plain(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- the situation, as staff read it (calculator.js's printed record reads values alike) ----

def _types(prop: dict) -> list[str]:
    t = prop.get("type", "string")
    return [t] if isinstance(t, str) else list(t)


def _main(prop: dict) -> str:
    return next((t for t in _types(prop) if t != "null"), "string")


def _figure(value) -> str:
    """A number as written: 20000, 0.99, 1234567.89 (never 2e4)."""
    d = Decimal(str(value))
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


def _null_label(prop: dict) -> str | None:
    """What a blank means (the schema's x-null-label), without its consequence in brackets,
    which would give the answer away (尚未评定信用等级（不得赊销） -> 尚未评定信用等级)."""
    label = prop.get("x-null-label")
    return re.sub(r"（[^（）]*）$", "", label) if label else None


def _value(value, prop: dict, unit: bool = True) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return _null_label(prop) or "未设"
    if isinstance(value, list):
        item = prop.get("items", {})
        if _main(item) == "object":
            return "、".join(_record(v, item) for v in value) or "无"
        return "、".join(_value(v, item, unit=False) for v in value) or "无"
    if isinstance(value, (int, float)):
        return _figure(value) + (prop.get("x-unit") or "" if unit else "")
    label = prop.get("x-labels", {}).get(value, str(value))
    # "X1：信用等级为A级的客户" inside "风险类别：…" reads as X1（信用等级为A级的客户）.
    code, sep, meaning = label.partition("：")
    return f"{code}（{meaning}）" if sep else label


def _record(value: dict, prop: dict) -> str:
    """One row of a list (a customer): its first field, the others in brackets."""
    props = prop.get("properties", {})
    flat = []
    for key, sub in props.items():
        if key not in value:
            continue
        if _main(sub) == "object":
            flat += [(s.get("title", k), _value(value[key][k], s)) for k, s in sub.get("properties", {}).items()
                     if k in value[key]]
        else:
            flat.append((sub.get("title", key), _value(value[key], sub)))
    head, rest = flat[0][1], "、".join(f"{title}{text}" for title, text in flat[1:])
    return f"{head}（{rest}）" if rest else head


def situation(name: str, data: dict) -> list[str]:
    """The case's input as lines "title：value", in the form's order: what it gives, and a
    blank whose meaning decides the case (信用等级：尚未评定信用等级)."""
    lines = []

    def walk(props: dict, values: dict):
        for key, prop in props.items():
            if _main(prop) == "object":
                walk(prop.get("properties", {}), values.get(key) or {})
            elif key in values:
                lines.append(f"{prop.get('title', key)}：{_value(values[key], prop)}")
            elif prop.get("x-null-label"):
                lines.append(f"{prop.get('title', key)}：{_null_label(prop)}")

    walk(get(name).schema()["properties"], data)
    return lines


# --- trying it in the calculator --------------------------------------------------------

def try_fields(name: str, data: dict) -> dict[str, str]:
    """The case as the calculator's share link carries it (calculator.js shareURL): the
    form's field names (nested as parent.child) and the values as typed."""
    out = {}

    def walk(props: dict, values: dict, prefix: str):
        for key, prop in props.items():
            if key not in values:
                continue
            value, field = values[key], prefix + key
            if _main(prop) == "object":
                walk(prop.get("properties", {}), value or {}, field + ".")
            elif _main(prop.get("items", {})) == "object":
                continue   # a list of records is uploaded as a file (try_csv)
            elif value is None or value is False or value == []:
                continue
            elif value is True:
                out[field] = "1"
            elif isinstance(value, list):
                out[field] = (",".join if "enum" in prop.get("items", {}) else ", ".join)(
                    _figure(v) if isinstance(v, (int, float)) else str(v) for v in value)
            else:
                out[field] = _figure(value) if isinstance(value, (int, float)) else str(value)

    walk(get(name).schema()["properties"], data, "")
    return out


def try_href(name: str, data: dict) -> str:
    """A link to the calculator on the same page with the case in its fragment."""
    return "#" + urlencode([("calc", name), *try_fields(name, data).items()])


def try_csv(name: str, data: dict) -> str:
    """A calculator that takes a file (customer tiering): the case's customers as the CSV
    the page reads, with the column names of KH-02's scoring table."""
    from calc import tiering_csv

    columns = [c["name"] for c in tiering_csv.columns()]
    items = sorted(policy()["tiering"]["items"].values(), key=lambda i: i["seq"])
    item_columns = dict(zip((i["code"] for i in items), columns[3:]))
    customers = data["customers"]
    header = [columns[0]] + [columns[1]] * any("name" in c for c in customers) \
        + [columns[2]] * any("score" in c for c in customers) \
        + [item_columns[code] for code in item_columns if any(code in c.get("items", {}) for c in customers)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    codes = {v: k for k, v in item_columns.items()}
    for c in customers:
        row = []
        for col in header:
            value = (c.get("id") if col == columns[0] else c.get("name") if col == columns[1]
                     else c.get("score") if col == columns[2] else c.get("items", {}).get(codes[col]))
            row.append("" if value is None else _figure(value) if isinstance(value, (int, float)) else value)
        writer.writerow(row)
    return out.getvalue()


def _outcome(value) -> str:
    """The answer as the page's result marks it (calculator.js outcomeText: data-outcome)."""
    if isinstance(value, dict):
        return " ".join(f"{k}={_outcome(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def block(name: str, page_url: str, page_src: str, doc_urls: dict[str, str],
          register: clauses.CitationRegister) -> str:
    """The 案例 of a calculator for its chapter (overrides/partials/worked-examples.html)."""
    shown = examples(name)
    if not shown:
        return ""
    module = get(name)
    upload = module.schema().get("x-upload")
    items = []
    for n, case in enumerate(shown, 1):
        result = checked(name, case)
        register.cite(page_src, case["clause"])
        items.append({
            "id": f"case-{name}-{n}", "name": case["name"], "situation": situation(name, case["input"]),
            "answer": result.get("headline") or _outcome(result[module.OUTCOME]),
            "outcome": _outcome(result[module.OUTCOME]), "why": case["why"],
            "clause": {"label": clauses.label(case["clause"]), "href": clauses.href(case["clause"], page_url, doc_urls)},
            "href": None if upload else try_href(name, case["input"]),
            "csv": try_csv(name, case["input"]) if upload else None})
    return templates.render("worked-examples.html", name=name, title=module.TITLE, cases=items)
