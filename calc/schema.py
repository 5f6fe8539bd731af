"""Input validation against each calculator's JSON Schema.

The calculators must run in Pyodide without extra packages, so this is a small
standard-library validator for the subset of JSON Schema the calculators use: object,
number, integer, boolean, string, array and null types; properties, required,
additionalProperties, minimum, maximum, multipleOf, minLength, maxLength, enum, items,
minItems, maxItems, uniqueItems, format "date" and default. tests/test_calc_schema.py holds
it to `jsonschema` on every calculator's schema.

Where it deliberately checks more than JSON Schema says:
- numbers must be finite (NaN and ±Infinity are refused);
- multipleOf is exact in decimals (0.07 is a multiple of 0.01, as a person reads it);
- a date is YYYY-MM-DD in ASCII digits, a real day, in the years DATE_MIN to DATE_MAX;
- a string may not hold a lone surrogate (it cannot be written out as UTF-8);
- LIMITS below apply where a schema sets none, so no input can take unbounded time or memory.

Every message is one line in Chinese that names the field by its title.
"""

import math
import re

from calc.errors import InputError, shown_value
from calc.numbers import exact

DATE_MIN, DATE_MAX = 1900, 2999

# Documented limits (README, 计算器): a list with more items, a text longer, or input nested
# deeper is refused with a message naming the limit.
MAX_ITEMS = 10_000        # items in any list (customers, latenesses) without its own maxItems
MAX_STRING = 1_000        # characters in any text field without its own maxLength
MAX_DEPTH = 32            # nesting of lists and objects

_TYPE_WORDS = {
    "number": "数字",
    "integer": "整数",
    "boolean": "布尔值（true 或 false）",
    "string": "文字",
    "array": "列表",
    "object": "对象",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")


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


def _unique_key(value):
    """Equality as JSON Schema's uniqueItems sees it: 1 and 1.0 are the same, true and 1 not."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", exact(value))
    if isinstance(value, list):
        return ("array", tuple(_unique_key(v) for v in value))
    return ("object", tuple(sorted((k, _unique_key(v)) for k, v in value.items())))


def _item_place(where: str | None, index: int) -> str:
    return f"{where or '列表'}第 {index + 1} 项"


def _field_place(where: str | None, title: str | None, key: str) -> str:
    name = title or key
    return f"{where}的{name}" if where else name


def _check(schema: dict, value, path: str, where: str | None, depth: int = 0):
    if depth > MAX_DEPTH:
        raise InputError(path, f"嵌套层数过多（最多 {MAX_DEPTH} 层）", where)
    types = schema.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    if value is None:
        if "null" in types or not types:
            return None
        raise InputError(path, f"不能为空，应为{_TYPE_WORDS[types[0]]}", where)
    concrete = [t for t in types if t != "null"]
    if concrete and not any(_is_type(value, t) for t in concrete):
        raise InputError(path, f"应为{_TYPE_WORDS[concrete[0]]}，收到 {shown_value(value)}", where)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(path, f"应为有限的数字，收到 {value}", where)
        if "integer" in concrete and value.is_integer():
            value = int(value)
    if isinstance(value, str):
        _string(schema, value, path, where)
    if "enum" in schema and value not in schema["enum"]:
        allowed = "、".join(str(v) for v in schema["enum"])
        raise InputError(path, f"未知代码 {shown_value(value)}，可用的代码：{allowed}", where)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _number(schema, value, path, where)
    if isinstance(value, list):
        return _list(schema, value, path, where, depth)
    if isinstance(value, dict):
        return _object(schema, value, path, where, depth + 1)
    return value


def _string(schema: dict, value: str, path: str, where: str | None) -> None:
    longest = schema.get("maxLength", MAX_STRING)
    if len(value) > longest:
        raise InputError(path, f"过长（最多 {longest} 个字符），收到 {len(value)} 个字符", where)
    if len(value) < schema.get("minLength", 0):
        raise InputError(path, "不能为空", where)
    if _SURROGATE.search(value):
        raise InputError(path, f"含有无效的字符，收到 {shown_value(value)}", where)
    if schema.get("format") == "date":
        _date(value, path, where)


def _number(schema: dict, value, path: str, where: str | None) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        raise InputError(path, f"不能小于 {schema['minimum']}，收到 {shown_value(value)}", where)
    if "maximum" in schema and value > schema["maximum"]:
        raise InputError(path, f"不能大于 {schema['maximum']:g}，收到 {shown_value(value)}", where)
    if "multipleOf" in schema and exact(value) % exact(schema["multipleOf"]) != 0:
        raise InputError(path, f"最多保留到 {schema['multipleOf']}（金额精确到分），收到 {shown_value(value)}", where)


def _list(schema: dict, value: list, path: str, where: str | None, depth: int) -> list:
    most = schema.get("maxItems", MAX_ITEMS)
    if len(value) > most:
        raise InputError(path, f"最多 {most} 项，收到 {len(value)} 项", where)
    if len(value) < schema.get("minItems", 0):
        raise InputError(path, f"至少应有 {schema['minItems']} 项", where)
    item_schema = schema.get("items", {})
    items = [_check(item_schema, item, f"{path}[{i}]", _item_place(where, i), depth + 1)
             for i, item in enumerate(value)]
    if schema.get("uniqueItems") and len(set(map(_unique_key, items))) != len(items):
        raise InputError(path, "含有重复的项", where)
    return items


def _date(value: str, path: str, where: str | None) -> None:
    import datetime

    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"应为日期，格式 YYYY-MM-DD（如 2026-03-31），收到 {shown_value(value)}", where) from None
    # Deadlines are counted forward from the date: keep clear of the calendar's end.
    if not DATE_MIN <= day.year <= DATE_MAX:
        raise InputError(path, f"日期应在 {DATE_MIN} 年至 {DATE_MAX} 年之间，收到 {shown_value(value)}", where)


def _object(schema: dict, data: dict, path: str, where: str | None = None, depth: int = 0) -> dict:
    props = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    if schema.get("additionalProperties") is False:
        for key in data:
            if key not in props:
                raise InputError(f"{prefix}{key}", f"未知字段 {shown_value(key)}，本计算器没有这一项", where)
    required = schema.get("required", [])
    cleaned = {}
    # Field by field in the form's order, so the first message names the first bad field.
    for key, sub in props.items():
        place = _field_place(where, sub.get("title"), key)
        if key in data:
            cleaned[key] = _check(sub, data[key], f"{prefix}{key}", place, depth)
        elif key in required:
            # where="": the message names the field itself.
            raise InputError(f"{prefix}{key}", f"请填写{place}（缺少此字段）", "")
        elif "default" in sub:
            cleaned[key] = sub["default"]
    return cleaned


def validate(schema: dict, data) -> dict:
    """Return the input with defaults filled in, or raise InputError."""
    if not isinstance(data, dict):
        raise InputError(None, f"输入应为一个 JSON 对象，收到 {shown_value(data)}")
    return _object(schema, data, "")


def title_of(schema: dict, path: str) -> str | None:
    """The Chinese place of a field given by its JSON path (customers[2].score ->
    参评客户第 3 项的总分), for a message raised by a calculator's own rule."""
    where, node = None, schema
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if index:
            node = node.get("items", {})
            where = _item_place(where, int(index))
        else:
            node = node.get("properties", {}).get(key)
            if node is None:
                return None
            where = _field_place(where, node.get("title"), key)
    return where
