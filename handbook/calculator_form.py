"""A calculator's form, generated from its input schema and rendered with the template
overrides/partials/calculator.html. The form exists in the page before Pyodide boots,
so the reader sees the inputs, their clauses and help text at once."""

import json
import re

from calc.registry import get
from handbook import clauses, templates



def _types(prop: dict) -> list[str]:
    t = prop.get("type", "string")
    return [t] if isinstance(t, str) else list(t)


def _kind(prop: dict) -> str:
    types = [t for t in _types(prop) if t != "null"]
    main = types[0] if types else "string"
    if main == "array":
        items = prop.get("items", {})
        if "enum" in items:
            return "choices"
        return "upload" if items.get("type") == "object" else "list"
    if main == "object":
        return "group"
    if "enum" in prop:
        return "select"
    if prop.get("format") == "date":
        return "date"
    return {"number": "number", "integer": "number", "boolean": "boolean"}.get(main, "text")


# Help written for the JSON interface ("（JSON 中为 null）", "留空（null）") means nothing in a form.
_JSON_NOTE = re.compile(r"[（(][^（）()]*(?:JSON|null)[^（）()]*[）)]")


def _help_text(text: str) -> str:
    return _JSON_NOTE.sub("", text)


def _placeholder(kind: str, prop: dict, nullable: bool) -> str | None:
    if kind == "date":
        return "如 2026-09-30 或 2026年9月30日"
    if kind == "datelist":
        return "如 2026-10-01, 2026-10-02"
    if nullable:
        return "留空表示未设"
    if prop.get("x-unit") == "元":
        return "如 10,000 或 1.5万"
    if prop.get("x-unit") == "%":
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
                columns += [{"name": p.get("title", k), "note": "计分项目，" + _help_text(p.get("description", ""))}
                            for k, p in sub.get("properties", {}).items()]
            else:
                columns.append({"name": sub.get("title", key), "note": "必填" if key in required else "可选"})
    template = "\ufeff" + ",".join(c["name"] for c in columns) + "\r\n"
    return columns, template


def _field(name: str, prop: dict, cite, required: set[str]) -> dict:
    kind = _kind(prop)
    field = {"name": name, "kind": kind, "title": prop.get("title", name),
             "description": _help_text(prop.get("description", "")), "unit": prop.get("x-unit") or None,
             # 留空表示未设: a field that may be left empty is not marked required.
             "required": name.rsplit(".", 1)[-1] in required and "null" not in _types(prop),
             "nullable": "null" in _types(prop),
             "clause": cite(prop["x-clause"]) if "x-clause" in prop else None,
             "inputmode": {"integer": "numeric", "number": "decimal"}.get(_types(prop)[0])}
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
    elif kind == "list" and prop.get("items", {}).get("format") == "date":
        field["kind"] = kind = "datelist"
    field["placeholder"] = _placeholder(kind, prop, field["nullable"])
    if prop.get("x-placeholder"):  # the schema's own hint replaces the generic one
        field["placeholder"] = prop["x-placeholder"]
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
        schema_json=json.dumps(schema, ensure_ascii=False),
        clauses_json=json.dumps(cited, ensure_ascii=False))
