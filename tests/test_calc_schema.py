"""calc/schema.py held to `jsonschema` (a test-only dependency), so the subset it implements
cannot drift: every calculator's schema is a valid 2020-12 schema using only keywords that
calc/schema.py implements, and on generated instances ours accepts exactly when jsonschema
does, once jsonschema is told the checks we add on purpose (calc/schema.py's docstring):
finite numbers, exact decimal multipleOf, the date format and range, the default limits."""

import datetime as dt
import math
import re
from fractions import Fraction

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc import schema as ours
from calc.errors import InputError
from calc.registry import CALCULATORS
from tests.strategies import inputs, near_bounds

pytestmark = pytest.mark.cpython

IMPLEMENTED = {"$schema", "title", "description", "type", "properties", "required",
               "additionalProperties", "minimum", "maximum", "multipleOf", "minLength", "maxLength",
               "enum", "items", "minItems", "maxItems", "uniqueItems", "format", "default"}


def _keywords(schema: dict):
    for key, value in schema.items():
        if key.startswith("x-"):
            continue   # our annotations (unit, clause, labels): ignored by validators
        yield key
        if key == "properties":
            for sub in value.values():
                yield from _keywords(sub)
        elif key == "items":
            yield from _keywords(value)


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_schema_is_valid_and_uses_only_what_we_implement(name):
    schema = CALCULATORS[name].schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(_keywords(schema)) <= IMPLEMENTED


# --- jsonschema plus our deliberate additions ---------------------------------------

def _multiple_of(validator, step, instance, schema):
    if validator.is_type(instance, "number") and math.isfinite(instance) and \
            Fraction(str(instance)) % Fraction(str(step)) != 0:
        yield jsonschema.ValidationError(f"{instance} is not a multiple of {step}")


def _finite(validator, types, instance, schema):
    yield from jsonschema.Draft202012Validator.VALIDATORS["type"](validator, types, instance, schema)
    if isinstance(instance, float) and not math.isfinite(instance):
        yield jsonschema.ValidationError("not finite")
    if isinstance(instance, str) and len(instance) > schema.get("maxLength", ours.MAX_STRING):
        yield jsonschema.ValidationError("default maxLength")
    if isinstance(instance, list) and len(instance) > schema.get("maxItems", ours.MAX_ITEMS):
        yield jsonschema.ValidationError("default maxItems")


FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date")
def _date(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
        return False
    try:
        return ours.DATE_MIN <= dt.date.fromisoformat(value).year <= ours.DATE_MAX
    except ValueError:
        return False


Reference = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                         {"multipleOf": _multiple_of, "type": _finite})


def reference_accepts(schema: dict, data) -> bool:
    return Reference(schema, format_checker=FORMATS).is_valid(data)


def ours_accepts(schema: dict, data) -> bool:
    try:
        ours.validate(schema, data)
    except InputError:
        return False
    return True


def test_the_reference_knows_our_additions():
    schema = {"type": "object", "properties": {
        "n": {"type": "number", "multipleOf": 0.01}, "d": {"type": "string", "format": "date"}}}
    for data, accepted in [({"n": 0.07}, True), ({"n": 0.071}, False), ({"n": float("nan")}, False),
                           ({"d": "2026-03-31"}, True), ({"d": "2026-02-30"}, False),
                           ({"d": "3000-01-01"}, False), ({"d": "2026-3-31"}, False)]:
        assert reference_accepts(schema, data) == accepted == ours_accepts(schema, data), data


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_ours_accepts_exactly_what_jsonschema_accepts(name):
    schema = CALCULATORS[name].schema()

    @settings(max_examples=200, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(inputs(schema), near_bounds(schema)))
    def check(data):
        if not isinstance(data, dict):
            return   # validate() takes an object only; both refuse anything else
        assert ours_accepts(schema, data) == reference_accepts(schema, data), data

    check()
