"""A calculator's form, generated from its input schema and rendered with the template
overrides/partials/calculator.html. The form exists in the page before Pyodide boots,
so the reader sees the inputs, their clauses and help text at once."""

import json
from pathlib import Path

import jinja2

from calc.registry import get
from handbook import clauses

_TEMPLATES = Path(__file__).resolve().parent.parent / "overrides" / "partials"
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True)


def _field(name: str, prop: dict, cite) -> dict:
    kind = {"number": "number", "integer": "number", "boolean": "boolean"}.get(prop["type"], "text")
    field = {"name": name, "kind": kind, "title": prop.get("title", name),
             "description": prop.get("description", ""), "unit": prop.get("x-unit"),
             "clause": cite(prop["x-clause"]) if "x-clause" in prop else None}
    if prop["type"] == "integer":
        field["inputmode"] = "numeric"
    elif kind == "number":
        field["inputmode"] = "decimal"
    if prop["type"] == "array" and "enum" in prop.get("items", {}):
        items = prop["items"]
        field["kind"] = "choices"
        field["choices"] = [
            {"value": code, "label": items.get("x-labels", {}).get(code, code),
             "clause": cite(items["x-clauses"][code]) if code in items.get("x-clauses", {}) else None}
            for code in items["enum"]]
    return field


def render(name: str, page_url: str, page_src: str, doc_urls: dict[str, str],
           wheel_url: str, register: clauses.CitationRegister) -> str:
    module = get(name)
    schema = module.schema()

    def cite(clause: str) -> dict:
        register.cite(page_src, clause)
        return {"id": clause, "label": clauses.label(clause),
                "href": clauses.href(clause, page_url, doc_urls)}

    fields = [_field(k, p, cite) for k, p in schema["properties"].items()]
    # Every clause the result may cite, so the script can link each check to its clause.
    cited = {c: cite(c) for c in module.clauses()}
    return _env.get_template("calculator.html").render(
        name=name, title=module.TITLE, outcome=module.OUTCOME, fields=fields,
        required=set(schema.get("required", [])), wheel_url=wheel_url,
        schema_json=json.dumps(schema, ensure_ascii=False),
        clauses_json=json.dumps(cited, ensure_ascii=False))
