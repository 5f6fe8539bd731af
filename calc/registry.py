"""The calculators by name, and the two ways to call one: with a dict (CPython) or with
JSON text (the page's worker, which passes strings across the Pyodide boundary).

Whatever it is given, `run_json` and `run_upload` return JSON: the answer, or
{"error": one Chinese line, "field": the JSON path of the field or null}. Input is bounded
(MAX_INPUT_CHARS here, the list and text limits of calc.schema, MAX_FILE_BYTES and
MAX_ROWS of calc.csv_table) so that every answer comes in bounded time and memory."""

import datetime
import json
import re

from calc import (attendance_fine, credit_application, credit_check, credit_grade, credit_kpi,
                  customer_tiering, filing_deadline, parameters, report_deadline, service_rating,
                  tier_terms)
from calc.errors import InputError, guarded
from calc.parameters import Rules, policy
from calc.schema import MAX_DEPTH, title_of, validate

CALCULATORS = {m.NAME: m for m in (credit_grade, credit_application, customer_tiering, tier_terms,
                                    credit_check, credit_kpi, report_deadline, filing_deadline,
                                    attendance_fine, service_rating)}

MAX_INPUT_CHARS = 30_000_000  # JSON text; 100,000 customers by their eight items take about 20 MB

# json's own messages, in Chinese (the English never reaches staff).
_JSON_PROBLEMS = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "字段名应放在英文双引号中",
    "Expecting ':' delimiter": "此处缺少冒号",
    "Expecting ',' delimiter": "此处缺少逗号",
    "Unterminated string starting at": "引号没有闭合",
    "Invalid control character at": "文字中含有控制字符",
    "Invalid \\escape": "反斜杠转义无效",
    "Invalid \\uXXXX escape": "\\u 转义无效",
    "Extra data": "JSON 之后还有多余内容",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "列表末尾多了逗号",
}
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def get(name: str):
    if name not in CALCULATORS:
        raise InputError(None, f"未知的计算器 {json.dumps(name, ensure_ascii=True)}，可用：{'、'.join(CALCULATORS)}")
    return CALCULATORS[name]


def listing() -> list[dict]:
    """Every calculator with the document whose rule it applies: the one list that the
    calculator index page, the README check and the tests read."""
    return [{"name": m.NAME, "title": m.TITLE, "document": policy()[m.SECTION]["document"],
             "clauses": m.clauses()} for m in CALCULATORS.values()]


def run(name: str, data, rules: Rules | None = None) -> dict:
    """A calculator's answer for `data`, by the rules in force on its as_of (today in China
    when left out); `rules` replaces those (a test or a what-if: calc.parameters.Rules)."""
    module = get(name)
    schema = module.schema()
    try:
        checked = validate(schema, data)
        return module.evaluate(checked, rules if rules is not None else rules_for(checked))
    except InputError as e:
        # A calculator's own rule may name a field only by its path: add its Chinese title.
        where = title_of(schema, e.field) if e.field and e.where is None else None
        if where:
            raise InputError(e.field, e.message, where) from None
        raise


def _too_deep(text: str) -> bool:
    """Nesting deeper than MAX_DEPTH, found without recursion (json would overflow the
    stack on 100,000 brackets, and Pyodide's stack is smaller than CPython's)."""
    depth = 0
    for m in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def parse(text: str):
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(None, f"输入过大：最多 {MAX_INPUT_CHARS:,} 个字符，收到 {len(text):,} 个")
    if _too_deep(text):
        raise InputError(None, f"输入的嵌套层数过多（最多 {MAX_DEPTH} 层）")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        problem = next((v for k, v in _JSON_PROBLEMS.items() if e.msg.startswith(k)), "格式有误")
        raise InputError(None, f"输入不是合法的 JSON（第 {e.lineno} 行第 {e.colno} 列：{problem}）") from None
    except RecursionError:
        raise InputError(None, f"输入的嵌套层数过多（最多 {MAX_DEPTH} 层）") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise InputError(None, "输入中的数字位数过多") from None


def _answer(result: dict) -> str:
    try:
        return json.dumps(result, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or infinity in a result: a bug, never sent as invalid JSON
        return _internal_error()


def _refusal(e: InputError) -> str:
    return json.dumps({"error": str(e), "field": e.field}, ensure_ascii=False)


def _internal_error() -> str:
    return json.dumps({"error": "计算器内部错误，请将所填内容与本消息报告给手册维护人", "field": None},
                      ensure_ascii=False)


def _page(work, refuse=_refusal, too_big: InputError | None = None) -> str:
    """For the page: work()'s JSON answer, or a refusal, or for a bug a Chinese line, not a
    traceback (calc.errors.guarded)."""
    return guarded(work, refuse, too_big=too_big, bug=_internal_error)


def run_json(name: str, text: str) -> str:
    """For the page: always returns JSON, {"error": "...", "field": ...} for bad input."""
    if name == FORM_FILL:
        return _form_fill(text)
    return _page(lambda: _answer(run(name, parse(text))))


def run_upload(name: str, data: bytes, as_of: str | None = None) -> str:
    """For the page: a file the user uploaded (a CSV customer list), answered as JSON;
    by the rules in force on as_of (YYYY-MM-DD, the form's 适用日期), today's when left out."""
    from calc.csv_table import MAX_FILE_BYTES

    def work() -> str:
        module = get(name)
        if not hasattr(module, "upload"):
            raise InputError(None, f"计算器 {name} 不接受上传文件")
        day = {}
        if as_of:   # checked as the JSON input's as_of is
            field = module.schema()["properties"]["as_of"]
            day = validate({"type": "object", "properties": {"as_of": field}}, {"as_of": as_of})
        # A JavaScript Uint8Array passed in by Pyodide has to_bytes().
        file = data.to_bytes() if hasattr(data, "to_bytes") else data
        if len(file) > MAX_FILE_BYTES:
            raise InputError("CSV", f"文件过大：最多 {MAX_FILE_BYTES // 1_000_000} MB，收到 {len(file) / 1_000_000:.1f} MB")
        return _answer(module.upload(bytes(file), rules_for(day)))

    return _page(work, too_big=InputError("CSV", "文件过大或过于复杂，无法计算"))


def run_upload_utf8(name: str, data: bytes, as_of: str | None = None) -> bytes:
    """run_upload's answer as UTF-8 bytes, for the page's worker, which decodes them with
    TextDecoder: Pyodide turns a Python str holding Chinese into a JavaScript string far
    more slowly (about a second for a 100,000-customer answer of 8 MB, against 40 ms)."""
    return run_upload(name, data, as_of).encode("utf-8")


# --- as_of: the day whose rules apply (calc/parameters.py) ------------------------------
def rules_for(data) -> Rules:
    """The parameters and citation in force on the input's as_of (a validated
    YYYY-MM-DD), or on today in China when it is left out."""
    day = data.get("as_of") if isinstance(data, dict) else None
    return parameters.policy(datetime.date.fromisoformat(day) if day else parameters.today())


# --- the page's form: strings as typed (calc/form_input.py; owned with the UX helper) ---
def run_form(name: str, text: str) -> str:
    """For the page's form: field values as typed ("1.5万", "2026年9月30日"), read by the
    schema, then run like run_json. Bad input: {"error", "field", "errors": [{"field",
    "message"}, ...]}, every bad field at once so the page can mark each."""
    from calc import form_input

    def work() -> str:
        data, errors = form_input.convert(get(name).schema(), parse(text))
        if errors:
            return _form_refusal(errors)
        # The values as read go back for the page's 计算记录 (what "1.5万" was taken to be).
        return _answer({**run(name, data), "form_input": data})

    return _page(work, lambda e: _form_refusal([{"field": e.field, "message": str(e)}]))


def _form_refusal(errors: list[dict]) -> str:
    first = errors[0]
    return json.dumps({"error": first["message"], "field": first["field"], "errors": errors}, ensure_ascii=False)


# --- the handbook's forms (calc/form_fill.py; issue 22): not a calculator, the same worker ---
FORM_FILL = "form-fill"


def _form_fill(text: str) -> str:
    """A form's values read, saved, loaded or prefilled (the page sends {"action", ...})."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return json.dumps({"error": f"输入过大：最多 {MAX_INPUT_CHARS:,} 个字符"}, ensure_ascii=False)
    from calc import form_fill

    return form_fill.run_json(text)
