"""A calculator's form, generated from its input schema and rendered with the template
overrides/partials/calculator.html. The form exists in the page before Pyodide boots,
so the reader sees the inputs, their clauses and help text at once."""

import json

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
    return {"number": "number", "integer": "number", "boolean": "boolean"}.get(main, "text")


def _field(name: str, prop: dict, cite, required: set[str]) -> dict:
    kind = _kind(prop)
    field = {"name": name, "kind": kind, "title": prop.get("title", name),
             "description": prop.get("description", ""), "unit": prop.get("x-unit"),
             "required": name.rsplit(".", 1)[-1] in required,
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
    elif kind == "group":
        field["fields"] = [_field(f"{name}.{k}", p, cite, set(prop.get("required", [])))
                           for k, p in prop["properties"].items()]
    elif kind == "list" and prop.get("items", {}).get("format") == "date":
        field["placeholder"] = "如 2026-10-01, 2026-10-02"
    return field


def render(name: str, page_url: str, page_src: str, doc_urls: dict[str, str],
           wheel_url: str, register: clauses.CitationRegister) -> str:
    module = get(name)
    schema = module.schema()

    def cite(clause: str) -> dict:
        register.cite(page_src, clause)
        return {"id": clause, "label": clauses.label(clause),
                "href": clauses.href(clause, page_url, doc_urls)}

    required = set(schema.get("required", []))
    fields = [_field(k, p, cite, required) for k, p in schema["properties"].items()]
    # Every clause the result may cite, so the script can link each check to its clause.
    cited = {c: cite(c) for c in module.clauses()}
    return templates.render(
        "calculator.html",
        name=name, title=module.TITLE, outcome=module.OUTCOME, fields=fields,
        upload=schema.get("x-upload"), wheel_url=wheel_url,
        outcome_labels=json.dumps(getattr(module, "OUTCOME_LABELS", {}), ensure_ascii=False),
        schema_json=json.dumps(schema, ensure_ascii=False),
        clauses_json=json.dumps(cited, ensure_ascii=False))
