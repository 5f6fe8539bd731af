"""A form of the handbook filled in the page: what staff typed, read the way the calculators
read it (calc/form_input.py: full-width digits, 10,000, 1.5万, ¥, 2026年9月30日), checked field
by field with one Chinese line each, amounts also in 大写 (calc/amount_words.py); the record
saved as JSON and loaded again, saying what changed since it was made. Nothing here leaves
the browser: the page's worker runs this module (calc.registry.run_json "form-fill"), and
`python -m handbook form` runs the same on the command line.

A form's definition (its `spec`) comes from the page, which the build wrote from
handbook/data/documents/<DOC>.toml (handbook/forms.py); this module needs no data file.

Values as typed (`raw`): a string per field; a list of option texts for 多选; "是"/"否" (or
true/false) for 是/否; a list of rows ({column id: string}) for a table."""

import datetime as dt
import json
import re
import unicodedata
from decimal import Decimal

from calc import form_input
from calc.amount_words import rmb_upper
from calc.errors import shown_value

FORMAT = "handbook-form-record/1"
TYPES = {
    "text": "文字", "textarea": "多行文字", "number": "数字", "integer": "整数", "amount": "金额（元）",
    "percent": "百分比", "date": "日期", "choice": "单选", "choices": "多选", "yesno": "是/否", "table": "表格",
}
MAX_TEXT = 1000          # a line of text, as everywhere in the calculators (calc/schema.py)
MAX_TEXTAREA = 10000     # a report's paragraph (个人试用期总结报告)
MAX_TABLE_ROWS = 2000    # a longer list goes with the form as its file (the tiering's download)
MAX_RECORD_CHARS = 5_000_000
MAX_AMOUNT = Decimal("9999999999999.99")  # 15 digits: read exactly, figures and words to the fen
YES, NO = "是", "否"
CHINA = dt.timezone(dt.timedelta(hours=8))


class FillError(ValueError):
    """A request the page should never send (a bad spec or action): one Chinese line."""


def entry_text(section: str, entry: dict) -> str:
    """How a list entry of the parameter file reads as an option or a row of a form: a
    lettered item keeps its letter (XY-04 第八条 (a)…), a level its name, a rule its label.
    The build (handbook/forms.py) and the prefill (calc/form_prefill.py) share this rule."""
    from calc.parameters import condition_text

    if "item_mark" in entry:
        return f"（{entry['item_mark']}）{entry['label']}"
    for key in ("name", "label", "code"):
        if isinstance(entry.get(key), str):
            return entry[key]
    return condition_text(section, entry).split("：")[0]


def fields_of(spec: dict) -> list[dict]:
    return [f for s in spec.get("sections", []) for f in s.get("fields", [])]


# --- shown as on paper -------------------------------------------------------------------

def _plain_number(value) -> str:
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return text


def money(value) -> str:
    """1234567.89 -> '1,234,567.89' (two decimals: an amount reads to the fen)."""
    return f"{Decimal(str(value)):,.2f}"


def chinese_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def shown(field: dict, value, in_table: bool = False) -> str:
    """A value read from the form, as the printed form writes it."""
    if value is None or value == "" or value == []:
        return ""
    kind = field["type"]
    if kind == "amount":
        return money(value) if in_table else "¥" + money(value)
    if kind in ("number", "integer"):
        return _plain_number(value) + (field.get("unit") or "")
    if kind == "percent":
        return _plain_number(value) + "%"
    if kind == "date":
        return chinese_date(value)
    if kind == "yesno":
        return YES if value else NO
    if kind == "choices":
        return "、".join(value)
    return str(value)


# --- reading what was typed ----------------------------------------------------------------

def _number_prop(field: dict) -> dict:
    kind = field["type"]
    prop = {"type": "integer" if kind == "integer" else "number"}
    if kind == "amount":
        prop["x-unit"] = "元"
    elif kind == "percent":
        prop["x-unit"] = "%"        # 15 or 15% -> 15 (the form keeps percent as written)
    elif field.get("unit"):
        prop["x-unit"] = field["unit"]
    return prop


def _bounds(field: dict, value) -> None:
    unit = field.get("unit") or ""
    if "min" in field and value < field["min"]:
        raise form_input.FieldError(f"应不小于 {_plain_number(field['min'])}{unit}，收到 {_plain_number(value)}{unit}")
    if "max" in field and value > field["max"]:
        raise form_input.FieldError(f"应不大于 {_plain_number(field['max'])}{unit}，收到 {_plain_number(value)}{unit}")


def _scalar(field: dict, text):
    """One cell or field as typed -> its value (None when left blank); FieldError otherwise."""
    kind = field["type"]
    if kind == "yesno":
        if isinstance(text, bool):
            return text
        s = unicodedata.normalize("NFKC", str(text or "")).strip()
        if not s:
            return None
        if s in (YES, "true", "1", "Y", "y", "√", "✓"):
            return True
        if s in (NO, "false", "0", "N", "n", "×"):
            return False
        raise form_input.FieldError(f"应为“是”或“否”，收到 {shown_value(s)}")
    if kind == "choices":
        items = text if isinstance(text, list) else [t for t in re.split(r"[、,，;；\n]+", str(text or "")) if t.strip()]
        items = [str(i).strip() for i in items]
        bad = [i for i in items if i not in field["options"]]
        if bad:
            raise form_input.FieldError(f"{shown_value(bad[0])} 不是可选的选项（可选：{'、'.join(field['options'])}）")
        return [o for o in field["options"] if o in items] or None
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    s = text.strip()
    if not s:
        return None
    if kind == "choice":
        if s not in field["options"]:
            raise form_input.FieldError(f"{shown_value(s)} 不是可选的选项（可选：{'、'.join(field['options'])}）")
        return s
    if kind in ("text", "textarea"):
        limit = MAX_TEXTAREA if kind == "textarea" else MAX_TEXT
        if len(s) > limit:
            raise form_input.FieldError(f"文字过长（最多 {limit:,} 个字符，收到 {len(s):,} 个）")
        if field.get("pattern"):
            s = unicodedata.normalize("NFKC", s).replace("－", "-")
            if not re.fullmatch(field["pattern"], s):
                raise form_input.FieldError(f"{field['pattern_hint']}，收到 {shown_value(s)}")
        return s
    if kind == "date":
        return form_input.date(s)
    value = form_input.number(s, _number_prop(field))
    if kind == "amount":
        try:
            rmb_upper(value)   # negative, beyond the fen: its own words
        except ValueError as e:
            raise form_input.FieldError(str(e)) from None
        if Decimal(str(value)) > MAX_AMOUNT:
            raise form_input.FieldError(f"金额过大（最多 {money(MAX_AMOUNT)} 元）")
    _bounds(field, value)
    return value


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def _rows(field: dict, raw) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise FillError(f"{field['label']}：表格的内容应为行的列表")
    return raw


def read(spec: dict, raw: dict) -> dict:
    """Values as typed -> {"values", "shown", "words" (amounts in 大写), "errors": [{"field",
    "message"}]}: every bad field at once, each named by its label."""
    if not isinstance(raw, dict):
        raise FillError("表单内容应为“栏目: 所填内容”的对象")
    values, shown_, words, errors = {}, {}, {}, []

    def fail(path, message):
        errors.append({"field": path, "message": message})

    for field in fields_of(spec):
        fid, label = field["id"], field["label"]
        if field["type"] == "table":
            labels = field.get("row_labels")
            rows = _rows(field, raw.get(fid))
            if len(rows) > MAX_TABLE_ROWS:
                fail(fid, f"{label}：最多 {MAX_TABLE_ROWS:,} 行，收到 {len(rows):,} 行（更长的名单请作为附件）")
                continue
            out_rows, out_shown, filled = [], [], 0
            for i, row in enumerate(rows):
                where = f"{label}“{labels[i]}”" if labels and i < len(labels) else f"{label}第 {i + 1} 行"
                cells = {c["id"]: row.get(c["id"]) for c in field["columns"]}
                if all(_blank(v) for v in cells.values()):
                    if labels:
                        out_rows.append({})
                        out_shown.append({})
                    continue
                filled += 1
                got, got_shown = {}, {}
                for col in field["columns"]:
                    path = f"{fid}[{i}].{col['id']}"
                    try:
                        v = _scalar(col, cells[col["id"]])
                    except form_input.FieldError as e:
                        fail(path, f"{where}的“{col['label']}”：{e}")
                        continue
                    if v is None and col.get("required"):
                        fail(path, f"{where}：请{'选择' if col['type'] in ('choice', 'choices') else '填写'}“{col['label']}”")
                    if v is not None:
                        got[col["id"]] = v
                        got_shown[col["id"]] = shown(col, v, in_table=True)
                out_rows.append(got)
                out_shown.append(got_shown)
            if labels and len(out_rows) > len(labels):
                fail(fid, f"{label}：应为 {len(labels)} 行（{'、'.join(labels)}）")
            if field.get("required") and not filled:
                fail(fid, f"请填写{label}（至少一行）")
            if filled:
                values[fid], shown_[fid] = out_rows, out_shown
            continue
        try:
            v = _scalar(field, raw.get(fid))
        except form_input.FieldError as e:
            fail(fid, f"{label}：{e}")
            continue
        if v is None:
            if field.get("required"):
                fail(fid, f"请{'选择' if field['type'] in ('choice', 'choices', 'yesno') else '填写'}{label}")
            continue
        values[fid] = v
        shown_[fid] = shown(field, v)
        if field["type"] == "amount":
            words[fid] = rmb_upper(v)
    return {"values": values, "shown": shown_, "words": words, "errors": errors}


# --- the record ----------------------------------------------------------------------------

def _field_outline(field: dict) -> dict:
    """What a record keeps of each field, to say later what changed."""
    keep = {k: field[k] for k in ("id", "label", "type", "unit", "required", "options", "row_labels") if k in field}
    if "columns" in field:
        keep["columns"] = [_field_outline(c) for c in field["columns"]]
    return keep


def now_china() -> str:
    return dt.datetime.now(CHINA).replace(microsecond=0).isoformat()


def make_record(spec: dict, raw: dict, made_by: str, prefill: dict | None = None,
                saved_at: str | None = None) -> dict:
    """{"record": the JSON record of a filled form}: what was typed and what it was read as,
    the form and document version (with the SHA-256 of that version) it was made on, which
    calculator filled which field, who saved it and when. {"errors": [...]} while a field is
    wrong or the saver is not named."""
    answer = read(spec, raw)
    who = (made_by or "").strip()
    if not who:
        answer["errors"].append({"field": "made_by", "message": "请填写保存人（经办人姓名）"})
    elif len(who) > 100:
        answer["errors"].append({"field": "made_by", "message": "保存人：文字过长（最多 100 个字符）"})
    if answer["errors"]:
        return {"errors": answer["errors"]}
    ids = {f["id"] for f in fields_of(spec)}
    return {"record": {
        "format": FORMAT,
        "form": spec["id"], "form_number": spec["number"], "form_name": spec["name"], "form_digest": spec["digest"],
        "document": spec["document"], "document_title": spec.get("document_title", ""),
        "version": spec["version"], "effective": spec["effective"], "sha256": spec["sha256"],
        "made_by": who, "saved_at": saved_at or now_china(),
        "values": {k: v for k, v in raw.items() if k in ids and not _blank(v)},
        "read": answer["values"],
        "prefill": {k: v for k, v in (prefill or {}).items() if k in ids},
        "fields": [_field_outline(f) for f in fields_of(spec)],
    }}


def _outline_changes(old: dict, new: dict, prefix: str = "") -> list[str]:
    out = []
    name = f"{prefix}“{new['label']}”"
    if old["label"] != new["label"]:
        out.append(f"{prefix}栏目“{old['label']}”改名为“{new['label']}”")
    if old["type"] != new["type"]:
        out.append(f"{name}由{TYPES.get(old['type'], old['type'])}改为{TYPES.get(new['type'], new['type'])}")
    if old.get("unit") != new.get("unit"):
        out.append(f"{name}的单位由“{old.get('unit') or '无'}”改为“{new.get('unit') or '无'}”")
    if bool(old.get("required")) != bool(new.get("required")):
        out.append(f"{name}改为{'必填' if new.get('required') else '选填'}")
    if old.get("options") != new.get("options") and (old.get("options") or new.get("options")):
        out.append(f"{name}的选项改为：{'、'.join(new.get('options') or []) or '无'}")
    if old.get("row_labels") != new.get("row_labels") and (old.get("row_labels") or new.get("row_labels")):
        out.append(f"{name}的行改为：{'、'.join(new.get('row_labels') or []) or '不固定'}")
    if "columns" in old or "columns" in new:
        out += field_changes(old.get("columns", []), new.get("columns", []), prefix=f"{name}的列")
    return out


def field_changes(old: list[dict], new: list[dict], prefix: str = "") -> list[str]:
    """What changed between the fields a record was made on and the form's fields now, one
    line each: added, removed, renamed, retyped, options or required changed."""
    old_by, new_by = {f["id"]: f for f in old}, {f["id"]: f for f in new}
    out = []
    for f in new:
        if f["id"] not in old_by:
            out.append(f"{prefix}新增栏目“{f['label']}”")
        else:
            out += _outline_changes(old_by[f["id"]], _field_outline(f), prefix)
    out += [f"{prefix}删去栏目“{f['label']}”" for f in old if f["id"] not in new_by]
    return out


def _in_force(revisions: list[dict], day: str) -> dict | None:
    current = None
    for r in revisions:
        if r["effective"] <= day:
            current = r
    return current


def _text(value) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "；".join("，".join(str(v) for v in row.values() if v not in (None, "")) for row in value)
        return "、".join(str(v) for v in value)
    return str(value)


def load(spec: dict, text: str, today: str | None = None) -> dict:
    """A saved record read back into this form: the values as typed (for the page's boxes),
    which calculator filled which, and notes: made on which version (superseded or not), a
    hash that does not match the record of releases, each field changed since; a value of a
    field the form no longer has is listed, never dropped silently. {"error"} when the file
    is not a record of this form."""
    if not isinstance(text, str) or not text.strip():
        return {"error": "文件是空的，不是表单记录"}
    if len(text) > MAX_RECORD_CHARS:
        return {"error": f"文件过大（最多 {MAX_RECORD_CHARS:,} 个字符），不是本手册的表单记录"}
    try:
        rec = json.loads(text)
    except (ValueError, RecursionError):
        return {"error": "不是表单记录文件（不是 JSON 格式）：请选择在表单页面“保存记录”得到的 .json 文件"}
    if not isinstance(rec, dict) or rec.get("format") != FORMAT:
        return {"error": f"不是本手册的表单记录（应有 \"format\": \"{FORMAT}\"）"}
    if rec.get("form") != spec["id"]:
        return {"error": f"这是《{rec.get('form_name', '?')}》（{rec.get('form_number', '?')}）的记录，"
                         f"不是《{spec['name']}》的记录：请在该表单的页面载入"}
    values = rec.get("values")
    old_fields = rec.get("fields")
    if not isinstance(values, dict) or not isinstance(old_fields, list) \
            or not all(isinstance(f, dict) and {"id", "label", "type"} <= set(f) for f in old_fields):
        return {"error": "记录不完整（缺少所填内容或栏目），无法载入"}
    day = today or dt.datetime.now(CHINA).date().isoformat()
    doc, version = spec["document"], str(rec.get("version", "?"))
    revisions = spec.get("revisions", [])
    made_on = next((r for r in revisions if r["version"] == version), None)
    notes, state = [], "current"
    if made_on is None:
        notes.append(f"记录所载版本“{version}”不在 {doc} 的发布记录中：记录可能被改动，或不是由本手册生成")
        state = "unknown"
    elif rec.get("sha256") != made_on["sha256"]:
        notes.append(f"记录所载的 SHA-256 与发布记录中 {doc} 第 {version} 版的不符：记录可能被改动，或不是由本手册生成")
        state = "mismatch"
    elif version != spec["version"]:
        now = _in_force(revisions, day)
        later = revisions[revisions.index(made_on) + 1:]
        superseded = any(r["effective"] <= max(day, made_on["effective"]) for r in later)
        state = "superseded" if superseded else "other"
        notes.append(f"该记录按 {doc} 第 {version} 版（{made_on['effective']} 生效）填写"
                     + (f"，该版本已被替代；现行为第 {now['version']} 版，已按现行表单载入" if superseded and now
                        else f"；本页为第 {spec['version']} 版的表单，已按本页表单载入"))
    changes = [] if rec.get("form_digest") == spec["digest"] else field_changes(old_fields, fields_of(spec))
    if changes:
        notes.append("此后表单的栏目有以下改变，请核对：" if state != "current" or version != spec["version"]
                     else "表单的栏目自该记录保存后有调整，请核对：")
    elif rec.get("form_digest") != spec["digest"]:
        notes.append("表单的格式有调整（栏目未变）")
    ids = {f["id"]: f for f in fields_of(spec)}
    raw = {k: v for k, v in values.items() if k in ids}
    left_out = [{"field": k, "label": next((f["label"] for f in old_fields if f["id"] == k), k), "value": _text(v)}
                for k, v in values.items() if k not in ids and not _blank(v)]
    prefill = rec.get("prefill") if isinstance(rec.get("prefill"), dict) else {}
    return {"raw": raw, "prefill": {k: v for k, v in prefill.items() if k in ids}, "notes": notes, "changes": changes,
            "left_out": left_out, "state": state, "version": version, "made_by": str(rec.get("made_by", "")),
            "saved_at": str(rec.get("saved_at", "")), "sha256": str(rec.get("sha256", ""))}


# --- the page's one entry point ------------------------------------------------------------

def answer(request: dict) -> dict:
    action = request.get("action")
    spec = request.get("spec")
    if not isinstance(spec, dict) or "id" not in spec:
        raise FillError("缺少表单定义")
    if action == "read":
        return read(spec, request.get("raw") or {})
    if action == "record":
        return make_record(spec, request.get("raw") or {}, request.get("made_by", ""), request.get("prefill"))
    if action == "load":
        return load(spec, request.get("text", ""), request.get("today"))
    if action == "prefill":
        from calc import form_prefill

        return form_prefill.prefill(spec, request.get("handoff") or {})
    raise FillError(f"未知的操作 {shown_value(str(action))}")


def run_json(text: str) -> str:
    """For the page's worker: JSON in, JSON out; a bug answers one Chinese line, never a traceback."""
    try:
        request = json.loads(text)
        if not isinstance(request, dict):
            raise FillError("请求应为对象")
        return json.dumps(answer(request), ensure_ascii=False)
    except FillError as e:
        return json.dumps({"error": str(e)}, ensure_ascii=False)
    except (ValueError, RecursionError):
        return json.dumps({"error": "表单请求不是合法的 JSON"}, ensure_ascii=False)
    except Exception:  # a bug: a Chinese line, not a traceback, in the page
        return json.dumps({"error": "表单程序内部错误，请将所填内容与本消息报告给手册维护人"}, ensure_ascii=False)
