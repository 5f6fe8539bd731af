"""The page's form, as people type it, turned into a calculator's typed input.

A form sends strings: "３", "10,000元", "1.5万", "15%", "2026年9月30日". The calculators (and
the command line) take JSON values and stay strict; this module sits between the form and
them, reading each string by its field's kind. Every message is one line in Chinese that
names the field by its title; a field's errors are collected so the page can mark each bad
field at once.

`field_kind` is the one decision of what kind of field a schema property is: the page's
form is drawn by it (handbook/calculator_form.py, which writes it into the page as
data-kind for the page's script) and what was typed is read by it here.
"""

import datetime
import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation, localcontext

from calc.errors import shown_value

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
# Separators between the items of a typed list (dates, minutes): spaces, commas, 、 and ;.
_LIST_SPLIT = re.compile(r"[\s,，、;；]+")
_DATE = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")
_AMOUNT_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_CURRENCY = ("¥", "￥", "RMB", "CNY", "人民币")
# Python writes and reads integers of up to 4,300 digits (its default limit, in CPython and
# Pyodide alike); the JSON input takes as many. Arithmetic here is exact to that length:
# Decimal's default 28 digits would round a longer number without a word.
MAX_DIGITS = 4300
_EXACT = Context(prec=MAX_DIGITS + 20)


class FieldError(ValueError):
    """One field's problem, in words (the title is added by the caller)."""


def _plain(text: str) -> str:
    # NFKC turns full-width digits, letters, ％ and ￥ into their ordinary forms.
    return unicodedata.normalize("NFKC", text).strip()


def _types(prop: dict) -> list[str]:
    t = prop.get("type", "string")
    return [t] if isinstance(t, str) else list(t)


def _main_type(prop: dict) -> str:
    concrete = [t for t in _types(prop) if t != "null"]
    return concrete[0] if concrete else "string"


def nullable(prop: dict) -> bool:
    """A field that may be left empty: 留空 = 未设 (null), e.g. no credit limit yet."""
    return "null" in _types(prop)


# Kind -> what the form shows and what is read from it:
#   group     an object: its fields, each with its own kind ("parent.child")
#   upload    a list of objects: a file (CSV), never typed
#   choices   a list of codes: a checkbox per code
#   select    one code (enum): a drop-down
#   boolean   a checkbox
#   date      one date, as people write it (2026年9月30日)
#   datelist  dates in one box, separated by commas, spaces or 、
#   list      numbers or words in one box, read item by item by the items' kind
#   money     an amount in 元 (10,000, 1.5万, ¥)
#   percent   a percent field: 15 or 15% (a fraction when the schema keeps one)
#   integer   a whole number, whatever its unit
#   number    any other number
#   text      words as typed
_UNIT_KINDS = {"元": "money", "%": "percent"}


def field_kind(prop: dict) -> str:
    """The kind of a form field, from its schema property (see the table above)."""
    main = _main_type(prop)
    if main == "object":
        return "group"
    if main == "array":
        item = prop.get("items", {})
        if "enum" in item:
            return "choices"
        if _main_type(item) == "object":
            return "upload"
        return "datelist" if field_kind(item) == "date" else "list"
    if "enum" in prop:
        return "select"
    if main == "boolean":
        return "boolean"
    if prop.get("format") == "date":
        return "date"
    if main == "integer":
        return "integer"
    if main == "number":
        return _UNIT_KINDS.get(prop.get("x-unit"), "number")
    return "text"


def _as_json_number(value: Decimal, integer: bool):
    if value == value.to_integral_value():
        return int(value)
    if integer:
        raise FieldError(f"应为整数，收到 {shown_value(format(value, 'f'))}")
    return float(format(value.normalize(), "f"))


def number(text: str, prop: dict):
    """'３' -> 3, '10,000元' / '¥10,000' / '1万' -> 10000, '1.5万' -> 15000, '15%' on a
    percent field -> the fraction the schema asks for (0.15) or 15 when it takes percent."""
    return _as_json_number(decimal(text, prop), field_kind(prop) == "integer")


def decimal(text: str, prop: dict) -> Decimal:
    """The exact value that number() reads, before it becomes a JSON number (the CSV
    reader, calc/customer_tiering.py, checks limits and digits on it)."""
    raw = text
    kind = field_kind(prop)
    s = _plain(text).replace(" ", "")
    unit = prop.get("x-unit") or ""
    for mark in _CURRENCY:
        if s.upper().startswith(mark):
            s = s[len(mark):]
    factor = Decimal(1)
    if unit and unit != "%" and s.endswith(unit):
        s = s[: -len(unit)]
    if kind == "money" and s[-1:] in _AMOUNT_UNITS:
        factor = _AMOUNT_UNITS[s[-1]]
        s = s[:-1]
    percent_sign = s.endswith("%")
    if percent_sign:
        s = s[:-1]
    # Thousands separators: "10,000", "1,234,567.5" (a comma inside a number, never a decimal point).
    if re.fullmatch(r"[-+]?\d{1,3}([,，]\d{3})+(\.\d+)?", s):
        s = re.sub(r"[,，]", "", s)
    if not _NUMBER.fullmatch(s):
        example = "如 10000、10,000 或 1.5万" if kind == "money" else "如 3 或 1.5"
        raise FieldError(f"应为数字（{example}），收到 {shown_value(raw.strip())}")
    if sum(c.isdigit() for c in s) > MAX_DIGITS:
        raise FieldError(f"数字位数过多（最多 {MAX_DIGITS:,} 位）")
    with localcontext(_EXACT):
        try:
            value = Decimal(s) * factor
        except InvalidOperation:
            raise FieldError(f"应为数字，收到 {shown_value(raw.strip())}") from None
        if value and value.adjusted() >= MAX_DIGITS:   # e.g. 4,300 digits followed by 万
            raise FieldError(f"数字位数过多（最多 {MAX_DIGITS:,} 位）")
        if percent_sign and kind != "percent":
            raise FieldError(f"不是百分比，请填写数字，收到 {shown_value(raw.strip())}")
        if kind == "percent" and prop.get("maximum", 100) <= 1:
            # The schema keeps a fraction (0.15); people write percent (15 or 15%).
            value = value / 100
    return value


def date(text: str) -> str:
    """'2026-9-30', '2026/9/30', '2026.9.30', '2026年9月30日' -> '2026-09-30'."""
    s = _plain(text)
    m = _DATE.fullmatch(s)
    if not m:
        raise FieldError(f"应为日期（如 2026-09-30 或 2026年9月30日），收到 {shown_value(text.strip())}")
    year, month, day = map(int, m.groups())
    if not 1 <= month <= 12:
        raise FieldError(f"没有 {month} 月，收到 {shown_value(text.strip())}")
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        raise FieldError(f"没有这一天（{year}年{month}月{day}日）") from None


_NUMBERS = ("money", "percent", "integer", "number")
_LISTS = ("choices", "list", "datelist", "upload")


def _scalar(text: str, prop: dict):
    kind = field_kind(prop)
    if kind in _NUMBERS:
        return number(text, prop)
    if kind == "date":
        return date(text)
    return text.strip()


def _items(value, prop: dict, kind: str) -> list:
    """A list field: checkboxes send a list of codes; a text box sends one string."""
    item = prop.get("items", {})
    if isinstance(value, list):
        return value
    text = _plain(str(value))
    if kind == "datelist":
        # A date may itself contain spaces ("2026 年 10 月 1 日"); join them before splitting.
        text = re.sub(r"\s*([年月])\s*", r"\1", text)
    parts = [p for p in _LIST_SPLIT.split(text) if p]
    return [_scalar(p, item) for p in parts]


def convert(schema: dict, raw: dict) -> tuple[dict, list[dict]]:
    """Form values (strings, booleans, lists of codes; nested fields as "parent.child" or
    as nested objects) -> (typed input, [{"field", "message"}])."""
    errors: list[dict] = []

    def walk(props: dict, values: dict, required: set, prefix: str) -> dict:
        out = {}
        for key, prop in props.items():
            path = prefix + key
            title = prop.get("title", key)
            kind = field_kind(prop)
            if kind == "group":
                sub = values.get(key)
                if not isinstance(sub, dict):
                    sub = {k[len(key) + 1:]: v for k, v in values.items() if k.startswith(key + ".")}
                nested = walk(prop.get("properties", {}), sub, set(prop.get("required", [])), path + ".")
                if nested:
                    out[key] = nested
                continue
            value = values.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if key in values and nullable(prop):
                    out[key] = None  # 留空 = 未设 (e.g. no credit limit)
                elif key in required and "default" not in prop:
                    verb = "请选择" if kind == "select" else "请填写"
                    errors.append({"field": path, "message": f"{verb}{title}"})
                continue
            try:
                if isinstance(value, bool):
                    out[key] = value
                elif kind in _LISTS:
                    out[key] = _items(value, prop, kind)
                elif isinstance(value, str):
                    out[key] = _scalar(value, prop)
                else:
                    out[key] = value
            except FieldError as e:
                errors.append({"field": path, "message": f"{title}：{e}"})
        return out

    data = walk(schema.get("properties", {}), raw, set(schema.get("required", [])), "")
    return data, errors
