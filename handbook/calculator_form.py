"""A calculator's form, generated from its input schema and rendered with the template
overrides/partials/calculator.html. The form exists in the page before Pyodide boots,
so the reader sees the inputs, their clauses and help text at once."""

import json

from calc.form_input import field_kind, nullable
from calc.registry import get
from handbook import clauses, templates

# A numeric keypad where only digits and a point are typed; none for amounts, which are
# accepted as "1.5万" and "10,000元" (calc/form_input.py).
_INPUTMODE = {"integer": "numeric", "number": "decimal", "percent": "decimal"}


def _placeholder(kind: str, blank: bool) -> str | None:
    if kind == "date":
        return "如 2026-09-30 或 2026年9月30日"
    if kind == "datelist":
        return "如 2026-10-01, 2026-10-02"
    if blank:
        return "留空表示未设"
    if kind == "money":
        return "如 10,000 或 1.5万"
    if kind == "percent":
        return "填百分数，如 15 表示 15%"
    return None


def _upload_columns(module, prop: dict) -> tuple[list[dict], str]:
    """The CSV's columns as the page lists them, and a template file: from the calculator
    when it names them (csv_columns), else from the schema's titles."""
    if hasattr(module, "csv_columns"):
        columns = module.csv_columns()
    else:
        item = prop.get("items", {})
        props = item.get("properties", {})
        required = set(item.get("required", []))
        columns = []
        for key, sub in props.items():
            if sub.get("type") == "object":
                columns += [{"name": p.get("title", k), "note": "计分项目，" + p.get("description", "")}
                            for k, p in sub.get("properties", {}).items()]
            else:
                columns.append({"name": sub.get("title", key), "note": "必填" if key in required else "可选"})
    template = "\ufeff" + ",".join(c["name"] for c in columns) + "\r\n"
    return columns, template


def _field(name: str, prop: dict, cite, required: set[str]) -> dict:
    kind = field_kind(prop)
    blank = nullable(prop)
    field = {"name": name, "kind": kind, "title": prop.get("title", name),
             "description": prop.get("description", ""), "unit": prop.get("x-unit") or None,
             # 留空表示未设: a field that may be left empty is not marked required.
             "required": name.rsplit(".", 1)[-1] in required and not blank,
             "nullable": blank,
             "clause": cite(prop["x-clause"]) if "x-clause" in prop else None,
             "inputmode": _INPUTMODE.get(kind)}
    if kind == "choices":
        items = prop["items"]
        field["choices"] = [
            {"value": code, "label": items.get("x-labels", {}).get(code, code),
             "clause": cite(items["x-clauses"][code]) if code in items.get("x-clauses", {}) else None}
            for code in items["enum"]]
    elif kind == "select":
        labels = prop.get("x-labels", {})
        field["options"] = [{"value": v, "label": labels.get(v, v)} for v in prop["enum"] if v is not None]
        # What a blank means is the calculator's decision, stated in its schema (x-null-label).
        field["null_label"] = prop.get("x-null-label")
    elif kind == "group":
        field["fields"] = [_field(f"{name}.{k}", p, cite, set(prop.get("required", [])))
                           for k, p in prop["properties"].items()]
    # The schema's own hint replaces the generic one.
    field["placeholder"] = prop.get("x-placeholder") or _placeholder(kind, blank)
    return field


def render(name: str, page_url: str, page_src: str, doc_urls: dict[str, str],
           wheel_url: str, register: clauses.CitationRegister, handoff: str | None = None) -> str:
    module = get(name)
    schema = module.schema()

    def cite(clause: str) -> dict:
        register.cite(page_src, clause)
        return {"id": clause, "label": clauses.label(clause),
                "href": clauses.href(clause, page_url, doc_urls)}

    required = set(schema.get("required", []))
    fields = [_field(k, p, cite, required) for k, p in schema["properties"].items()]
    for f in fields:
        if f["kind"] == "upload":
            f["columns"], f["template"] = _upload_columns(module, schema["properties"][f["name"]])
    # Every clause the result may cite, so the script can link each check to its clause.
    cited = {c: cite(c) for c in module.clauses()}
    return templates.render(
        "calculator.html",
        name=name, title=module.TITLE, outcome=module.OUTCOME, fields=fields,
        upload=schema.get("x-upload"), wheel_url=wheel_url, handoff=handoff,
        outcome_labels=json.dumps(getattr(module, "OUTCOME_LABELS", {}), ensure_ascii=False),
        clauses_json=json.dumps(cited, ensure_ascii=False))
