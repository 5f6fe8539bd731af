"""Input validation against each calculator's JSON Schema.

The calculators must run in Pyodide without extra packages, so this is a small
standard-library validator for the subset of JSON Schema the calculators use: object,
number, integer, boolean, string, array and null types; properties, required,
additionalProperties, minimum, maximum, multipleOf, minLength, enum, items, uniqueItems, format
"date" and default. Every
message is one line in Chinese that names the field.
"""

import math
from fractions import Fraction

from calc.errors import InputError, shown_value

DATE_MIN, DATE_MAX = 1900, 2999

_TYPE_WORDS = {
    "number": "数字",
    "integer": "整数",
    "boolean": "布尔值（true 或 false）",
    "string": "字符串",
    "array": "数组",
    "object": "对象",
}


def _is_type(value, expected: str) -> bool:
    # bool is an int in Python but never a number in JSON terms.
    if expected == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if expected == "number":
        return isinstance(value, (int, float))
    if expected == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if expected == "string":
        return isinstance(value, str)
    if expected == "array":
        return isinstance(value, list)
    if expected == "object":
        return isinstance(value, dict)
    raise AssertionError(expected)


def _check(schema: dict, value, path: str, title: str | None):
    types = schema.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    if value is None:
        if "null" in types:
            return None
        raise InputError(path, f"不能为空，应为{_TYPE_WORDS[types[0]]}", title)
    concrete = [t for t in types if t != "null"]
    if concrete and not any(_is_type(value, t) for t in concrete):
        raise InputError(path, f"应为{_TYPE_WORDS[concrete[0]]}，收到 {shown_value(value)}", title)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(path, f"应为有限的数字，收到 {value}", title)
        if "integer" in concrete and value.is_integer():
            value = int(value)
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        raise InputError(path, "不能为空", title)
    if schema.get("format") == "date" and isinstance(value, str):
        _date(value, path, title)
    if "enum" in schema and value not in schema["enum"]:
        allowed = "、".join(str(v) for v in schema["enum"])
        raise InputError(path, f"未知代码 {shown_value(value)}，可用的代码：{allowed}", title)
    if "minimum" in schema and value < schema["minimum"]:
        raise InputError(path, f"不能小于 {schema['minimum']}，收到 {shown_value(value)}", title)
    if "maximum" in schema and value > schema["maximum"]:
        raise InputError(path, f"不能大于 {schema['maximum']:g}，收到 {shown_value(value)}", title)
    if "multipleOf" in schema and not isinstance(value, (bool, str)) and \
            Fraction(str(value)) % Fraction(str(schema["multipleOf"])) != 0:
        raise InputError(path, f"最多保留到 {schema['multipleOf']}（金额精确到分），收到 {shown_value(value)}", title)
    if isinstance(value, list):
        item_schema = schema.get("items", {})
        items = [
            _check(item_schema, item, f"{path}[{i}]", item_schema.get("title") or title)
            for i, item in enumerate(value)
        ]
        if schema.get("uniqueItems") and len(set(map(repr, items))) != len(items):
            raise InputError(path, "含有重复的项", title)
        return items
    if isinstance(value, dict):
        return _object(schema, value, path)
    return value


def _date(value: str, path: str, title: str | None) -> None:
    import datetime
    import re

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"应为日期，格式 YYYY-MM-DD（如 2026-03-31），收到 {shown_value(value)}", title) from None
    # Deadlines are counted forward from the date: keep clear of the calendar's end.
    if not DATE_MIN <= day.year <= DATE_MAX:
        raise InputError(path, f"日期应在 {DATE_MIN} 年至 {DATE_MAX} 年之间，收到 {shown_value(value)}", title)


def _object(schema: dict, data: dict, path: str) -> dict:
    props = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    if schema.get("additionalProperties") is False:
        for key in data:
            if key not in props:
                known = "、".join(props)
                raise InputError(f"{prefix}{key}", f"未知字段（可用字段：{known}）")
    required = schema.get("required", [])
    cleaned = {}
    # Field by field in the form's order, so the first message names the first bad field.
    for key, sub in props.items():
        if key in data:
            cleaned[key] = _check(sub, data[key], f"{prefix}{key}", sub.get("title"))
        elif key in required:
            raise InputError(f"{prefix}{key}", "缺少此字段", sub.get("title"))
        elif "default" in sub:
            cleaned[key] = sub["default"]
    return cleaned


def validate(schema: dict, data) -> dict:
    """Return the input with defaults filled in, or raise InputError."""
    if not isinstance(data, dict):
        raise InputError(None, f"输入应为一个 JSON 对象，收到 {shown_value(data)}")
    return _object(schema, data, "")
