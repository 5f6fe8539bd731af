"""The kind of a form field is decided once (calc.form_input.field_kind): the page's form
draws each field by it and writes it into the page (data-kind, read by the page's script),
and the form reader reads what was typed by it. Help text is written once for the form and
the command line; what only the JSON interface needs is its own note (x-cli)."""

import re
from collections import defaultdict

import pytest

from calc import form_input
from calc.registry import CALCULATORS
from handbook import calculator_form, clauses

pytestmark = pytest.mark.cpython

KINDS = {"group", "upload", "choices", "select", "boolean", "date", "datelist", "money", "percent",
         "integer", "number", "list", "text"}


def _fields(props: dict, prefix: str = ""):
    """(form name, property) for every field of a form, nested ones as parent.child."""
    for key, prop in props.items():
        yield prefix + key, prop
        if "properties" in prop:
            yield from _fields(prop["properties"], f"{prefix}{key}.")


def _every_property(node: dict, path: str = ""):
    """Every property schema in a calculator's input, list items and an upload's columns too."""
    for key, prop in node.get("properties", {}).items():
        yield f"{path}{key}", prop
        yield from _every_property(prop, f"{path}{key}.")
        if "items" in prop:
            yield f"{path}{key}[]", prop["items"]
            yield from _every_property(prop["items"], f"{path}{key}[].")


def _page(name: str) -> str:
    urls = defaultdict(lambda: "xinyong/XY-03/")
    return calculator_form.render(name, "calculators/", "calculators.md", urls,
                                  "assets/wheels/0/calc.whl", clauses.CitationRegister())


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_property_of_every_calculator_has_one_kind(name):
    for path, prop in _every_property(CALCULATORS[name].schema()):
        assert form_input.field_kind(prop) in KINDS, path


def test_the_kinds_follow_the_schema():
    assert form_input.field_kind({"type": "number", "x-unit": "元"}) == "money"
    assert form_input.field_kind({"type": ["number", "null"], "x-unit": "元"}) == "money"
    assert form_input.field_kind({"type": "number", "x-unit": "%", "maximum": 1}) == "percent"
    assert form_input.field_kind({"type": "number", "x-unit": ""}) == "number"
    assert form_input.field_kind({"type": "number", "x-unit": "年"}) == "number"
    assert form_input.field_kind({"type": ["integer", "null"], "x-unit": "次"}) == "integer"
    assert form_input.field_kind({"type": "string", "format": "date"}) == "date"
    assert form_input.field_kind({"type": "string"}) == "text"
    assert form_input.field_kind({}) == "text"
    assert form_input.field_kind({"type": "boolean"}) == "boolean"
    assert form_input.field_kind({"type": ["string", "null"], "enum": ["A", None]}) == "select"
    assert form_input.field_kind({"type": "array", "items": {"enum": ["a"]}}) == "choices"
    assert form_input.field_kind({"type": "array", "items": {"type": "object"}}) == "upload"
    assert form_input.field_kind({"type": "array", "items": {"type": "string", "format": "date"}}) == "datelist"
    assert form_input.field_kind({"type": "array", "items": {"type": "integer"}}) == "list"
    assert form_input.field_kind({"type": "object", "properties": {}}) == "group"


@pytest.mark.parametrize("name", CALCULATORS)
def test_the_page_draws_and_the_reader_reads_each_field_by_the_same_kind(name, monkeypatch):
    """Every field of the page carries the kind it was drawn by (data-kind), and the form
    reader, given a value for every field, reads each by the kind the page says."""
    schema = CALCULATORS[name].schema()
    page = _page(name)
    drawn = {field: kind for kind, field in re.findall(r'data-kind="([a-z]+)" data-field="([^"]+)"', page)}
    assert drawn == {path: form_input.field_kind(prop) for path, prop in _fields(schema["properties"])}

    read = {}
    decide = form_input.field_kind

    def spy(prop):
        kind = decide(prop)
        read.setdefault(id(prop), kind)
        return kind

    monkeypatch.setattr(form_input, "field_kind", spy)
    typed = {path: "1" for path, prop in _fields(schema["properties"]) if drawn[path] != "group"}
    form_input.convert(schema, typed)
    for path, prop in _fields(schema["properties"]):
        assert read.get(id(prop)) == drawn[path], path


@pytest.mark.parametrize("name", CALCULATORS)
def test_the_page_carries_each_fields_kind_not_the_schema(name):
    page = _page(name)
    assert "data-schema" not in page
    assert page.count("data-kind=") == len(list(_fields(CALCULATORS[name].schema()["properties"])))


@pytest.mark.parametrize("name", CALCULATORS)
def test_help_text_is_for_people_and_the_json_note_is_the_command_lines(name):
    """A description is read in the form and by --schema alike: nothing in it speaks of JSON
    or null (the form had it cut out by a pattern); a note for the JSON interface only is
    x-cli, which the form never shows."""
    page = _page(name)
    for path, prop in _every_property(CALCULATORS[name].schema()):
        assert not re.search(r"JSON|null", prop.get("description", "")), path
        if "x-cli" in prop:
            assert prop["x-cli"] not in page, path


def test_the_blank_credit_limit_is_explained_once_for_each_reader():
    prop = CALCULATORS["credit-check"].schema()["properties"]["credit_limit"]
    assert "此时不填。" in prop["description"]
    assert "null" in prop["x-cli"]
    assert "此时不填。X类别客户" in _page("credit-check")
