"""The forms, each defined once beside its document (`[[form]]` in
handbook/data/documents/<DOC>.toml): its number, fields in sections (label, type, unit,
required, the clause that asks for it), who fills, reviews, approves and keeps it, its
signature and date boxes and its number of copies (联数). The document's form table, the
register (reference/forms.md), the role index and each form's page (handbook/form_pages.py)
are made from this one definition.

A definition is normalised here (defaults filled in, option lists read from the parameter
file, roles as lists) and checked: a bad one fails the build with one Chinese line naming
the form and what is wrong. Its digest goes into every saved record, so a record made on
another definition says which fields changed (calc/form_fill.py)."""

import hashlib
import json
import re
from pathlib import Path

from calc.form_fill import TYPES, entry_text
from calc.parameters import policy
from handbook import roster

# Field types: calc/form_fill.TYPES, read there the way the calculators read what staff type
# (calc/form_input.py); an amount also prints in 大写. A table's cells take the one-line types.
CELL_TYPES = set(TYPES) - {"table", "textarea"}
ID_RE = re.compile(r"[a-z][a-z0-9_]*")
NUMBER_RE = re.compile(r"(?P<doc>[A-Z]{2}-\d{2})-F(?P<n>\d{2})")


class FormError(ValueError):
    """A form definition the build refuses: the message names the form."""


def _roles(form: dict, key: str) -> list[str]:
    value = form.get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _policy_entries(path: str) -> tuple[str, list[dict]]:
    node = policy()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    entries = list(node.values()) if isinstance(node, dict) else node
    entries = [e for e in entries if isinstance(e, dict)]
    if not entries:
        raise KeyError(path)
    if any("seq" in e for e in entries):
        entries = sorted(entries, key=lambda e: e.get("seq", 0))
    return path.split(".")[0], entries


def _parameter(path: str) -> dict:
    node = policy()
    for part in path.split("."):
        node = node[part]
    if not isinstance(node, dict) or "value" not in node:
        raise KeyError(path)
    return node


def _options(field: dict, where: str) -> list[str]:
    if "options_from" in field:
        try:
            section, entries = _policy_entries(field["options_from"])
        except KeyError:
            raise FormError(f"{where}：options_from 指向的参数 {field['options_from']} 不是 calc/policy.toml 中的列表") from None
        return [entry_text(section, e) for e in entries]
    if "options_roles" in field:
        return [roster.name(r) for r in field["options_roles"]]
    options = field.get("options")
    if not isinstance(options, list) or not options or not all(isinstance(o, str) and o for o in options):
        raise FormError(f"{where}：单选、多选须有 options（选项文字的列表）、options_from 或 options_roles")
    if len(set(options)) != len(options):
        raise FormError(f"{where}：选项重复")
    return list(options)


def _field(raw: dict, where: str, default_clause: str, cell: bool = False) -> dict:
    if not isinstance(raw, dict):
        raise FormError(f"{where}：栏目应写成 {{ id = …, label = …, type = … }}")
    fid = raw.get("id")
    if not isinstance(fid, str) or not ID_RE.fullmatch(fid):
        raise FormError(f"{where}：栏目 id 应为小写英文字母、数字和下划线（以字母开头），收到 {fid!r}")
    where = f"{where} 栏目 {fid}"
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise FormError(f"{where}：缺少 label（栏目名称）")
    kind = raw.get("type")
    allowed = CELL_TYPES if cell else TYPES
    if kind not in allowed:
        raise FormError(f"{where}：type 应为 {'、'.join(sorted(allowed))} 之一，收到 {kind!r}")
    known = {"id", "label", "type", "required", "clause", "unit", "options", "options_from", "options_roles",
             "columns", "rows", "rows_from", "lines", "min", "max", "min_from", "max_from", "help", "pattern",
             "pattern_hint"}
    unknown = set(raw) - known
    if unknown:
        raise FormError(f"{where}：不认识的键 {'、'.join(sorted(unknown))}")
    out = {"id": fid, "label": label.strip(), "type": kind, "required": bool(raw.get("required", False)),
           "clause": raw.get("clause") or default_clause}
    if not isinstance(raw.get("required", False), bool):
        raise FormError(f"{where}：required 应为 true 或 false")
    if "unit" in raw:
        if kind not in ("number", "integer"):
            raise FormError(f"{where}：只有数字、整数栏目写 unit（金额的单位是元，百分比是 %）")
        out["unit"] = raw["unit"]
    elif kind == "amount":
        out["unit"] = "元"
    elif kind == "percent":
        out["unit"] = "%"
    if kind in ("choice", "choices"):
        out["options"] = _options(raw, where)
    for key in ("min", "max"):
        if f"{key}_from" in raw:    # a bound the parameter file states (KH-02's top rating)
            try:
                param = _parameter(raw[f"{key}_from"])
            except KeyError:
                raise FormError(f"{where}：{key}_from 指向的参数 {raw[f'{key}_from']} 不在 calc/policy.toml 中") from None
            raw = {**raw, key: param["value"]}
        if key in raw:
            if kind not in ("number", "integer", "percent", "amount") or not isinstance(raw[key], (int, float)):
                raise FormError(f"{where}：{key} 只用于数字栏目，且应为数字")
            out[key] = raw[key]
    if "pattern" in raw:
        if kind != "text" or not isinstance(raw.get("pattern_hint"), str):
            raise FormError(f"{where}：pattern 只用于文字栏目，并须有 pattern_hint（如何填写的说明）")
        re.compile(raw["pattern"])
        out["pattern"], out["pattern_hint"] = raw["pattern"], raw["pattern_hint"]
    if kind == "textarea":
        out["lines"] = int(raw.get("lines", 3))
    if kind == "table":
        columns = raw.get("columns")
        if not isinstance(columns, list) or not columns:
            raise FormError(f"{where}：表格须有 columns（各列的栏目）")
        out["columns"] = [_field(c, f"{where} 列", out["clause"], cell=True) for c in columns]
        ids = [c["id"] for c in out["columns"]]
        if len(set(ids)) != len(ids):
            raise FormError(f"{where}：列 id 重复")
        if "rows_from" in raw:
            try:
                section, entries = _policy_entries(raw["rows_from"])
            except KeyError:
                raise FormError(f"{where}：rows_from 指向的参数 {raw['rows_from']} 不是 calc/policy.toml 中的列表") from None
            out["row_labels"] = [entry_text(section, e) for e in entries]
            out["rows"] = len(out["row_labels"])
        else:
            out["rows"] = int(raw.get("rows", 5))
        if not 1 <= out["rows"] <= 60:
            raise FormError(f"{where}：rows（打印的空行数）应在 1 至 60 之间")
    if raw.get("help"):
        out["help"] = raw["help"]
    return out


def _signs(form: dict, where: str) -> list[dict]:
    """The signature and date boxes: as written, or one per role (填表、审核、批准)."""
    raw = form.get("signs")
    if raw is None:
        raw = ([{"label": "填表人", "role": form["filled_by"]}]
               + [{"label": "审核", "role": r, "opinion": True} for r in _roles(form, "reviewed_by")]
               + [{"label": "批准", "role": r, "opinion": True} for r in _roles(form, "approved_by")])
    if not isinstance(raw, list) or not raw:
        raise FormError(f"{where}：signs（签字栏）应为非空列表")
    out = []
    for s in raw:
        if not isinstance(s, dict) or not isinstance(s.get("label"), str) or not s["label"]:
            raise FormError(f"{where}：每个签字栏须有 label")
        unknown = set(s) - {"label", "role", "party", "opinion", "clause", "date"}
        if unknown:
            raise FormError(f"{where} 签字栏 {s['label']}：不认识的键 {'、'.join(sorted(unknown))}")
        roles = [s["role"]] if isinstance(s.get("role"), str) else list(s.get("role") or [])
        if bool(roles) == bool(s.get("party")):
            raise FormError(f"{where} 签字栏 {s['label']}：写 role（名册中的岗位或部门）或 party（如“客户”），二者取一")
        names = "、".join(roster.name(r) for r in roles) if roles else s["party"]
        out.append({"label": s["label"], "roles": roles, "who": names, "opinion": bool(s.get("opinion", False)),
                    "date": bool(s.get("date", True)), "clause": s.get("clause", form["clause"])})
    return out


def definition(form: dict, number: str, decisions: list[dict] | None = None) -> dict:
    """One form as its page and its records use it: every default filled in, every role a
    list, options read from the parameter file. FormError for anything wrong."""
    where = f"{number} 表单 {form.get('id')}（{form.get('name')}）"
    for key in ("id", "name", "purpose", "filled_by", "kept_by", "clause", "number", "copies"):
        if key not in form:
            raise FormError(f"{where}：缺少 {key}")
    m = NUMBER_RE.fullmatch(str(form["number"]))
    if not m or m["doc"] != number:
        raise FormError(f"{where}：表单编号应为“{number}-F两位序号”（如 {number}-F01），收到 {form['number']!r}")
    copies = form["copies"]
    if not isinstance(copies, int) or isinstance(copies, bool) or not 1 <= copies <= 6:
        raise FormError(f"{where}：copies（联数）应为 1 至 6 的整数")
    uses = form.get("copy_uses", [])
    if uses and len(uses) != copies:
        raise FormError(f"{where}：copy_uses 应为每一联写一项（{copies} 联），收到 {len(uses)} 项")
    if not form.get("fields_from") and not form.get("fields_decision"):
        raise FormError(f"{where}：写 fields_from（列出表单内容的条款），或 fields_decision（记录栏目取舍的决定）")
    if form.get("fields_decision"):
        topics = {d.get("topic") for d in decisions or []}
        if form["fields_decision"] not in topics:
            raise FormError(f"{where}：fields_decision 所指的决定“{form['fields_decision']}”不在本文件的 [[decision]] 中")
    sections = form.get("section")
    if not isinstance(sections, list) or not sections:
        raise FormError(f"{where}：至少要有一个 [[form.section]]")
    out_sections, seen = [], set()
    for k, s in enumerate(sections, 1):
        if not isinstance(s.get("title"), str) or not s["title"]:
            raise FormError(f"{where}：第 {k} 个栏目组缺少 title")
        clause = s.get("clause") or form["clause"]
        fields = [_field(f, f"{where}“{s['title']}”", clause) for f in s.get("fields", [])]
        if not fields:
            raise FormError(f"{where}“{s['title']}”：没有栏目")
        for f in fields:
            if f["id"] in seen:
                raise FormError(f"{where}：栏目 id {f['id']} 重复")
            seen.add(f["id"])
        out_sections.append({"title": s["title"], "clause": clause, "fields": fields})
    for key in ("filled_by", "kept_by", "reviewed_by", "approved_by"):
        for r in _roles(form, key):
            roster.name(r)
    return {
        "id": form["id"], "number": form["number"], "name": form["name"], "purpose": form["purpose"],
        "document": number, "clause": form["clause"],
        "filled_by": _roles(form, "filled_by"), "reviewed_by": _roles(form, "reviewed_by"),
        "approved_by": _roles(form, "approved_by"), "kept_by": _roles(form, "kept_by"),
        "copies": copies, "copy_uses": list(uses),
        "fields_from": form.get("fields_from"), "fields_decision": form.get("fields_decision"),
        "sections": out_sections, "signs": _signs(form, where),
    }


def digest(defn: dict) -> str:
    """The SHA-256 of what the form asks and who signs it (not its purpose text): a record
    made on another digest was made on another form."""
    keep = {k: defn[k] for k in ("id", "number", "name", "document", "copies", "copy_uses", "sections", "signs")}
    text = json.dumps(keep, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fields(defn: dict) -> list[dict]:
    return [f for s in defn["sections"] for f in s["fields"]]


def clauses_of(defn: dict) -> list[str]:
    """Every clause a form cites: its own, its sections', its fields', its signatures'."""
    out = [defn["clause"]] + ([defn["fields_from"]] if defn["fields_from"] else [])
    for s in defn["sections"]:
        out.append(s["clause"])
        for f in s["fields"]:
            out.append(f["clause"])
            out += [c["clause"] for c in f.get("columns", [])]
    out += [s["clause"] for s in defn["signs"]]
    return list(dict.fromkeys(out))


def all_definitions(docs: dict) -> dict[str, dict]:
    """form id -> definition, in the documents' order (XY, KH, FW) and each document's."""
    from handbook.tables import nav_order

    out = {}
    for doc in sorted(docs.values(), key=nav_order):
        for f in doc.data.get("form", []):
            out[f["id"]] = definition(f, doc.number, doc.data.get("decision", []))
    return out


# --- clauses that exist, without a build ----------------------------------------------

_ANCHOR = re.compile(r"\{:?\s*#([A-Z]{2}-\d{2}-[\d-]+)\s*\}")
_ITEMS = re.compile(r"\{\{\s*items\(\s*[\"']([\w.]+)[\"']\s*\)\s*\}\}")


def known_clauses(paths) -> set[str]:
    """The anchors the documents' sources write, and the items their {{ items(...) }}
    macros print from the parameter file (the build checks the links again)."""
    out = set()
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        out |= set(_ANCHOR.findall(text))
        for path_ in _ITEMS.findall(text):
            _, entries = _policy_entries(path_)
            out |= {e["clause"] for e in entries if isinstance(e.get("clause"), str)}
    return out


def problems(docs: dict) -> list[str]:
    """What is wrong with the forms as a whole: every form defined and valid, numbers
    unique, every clause cited present in the documents."""
    out = []
    try:
        defs = all_definitions(docs)
    except (FormError, roster.UnknownRole) as e:
        return [str(e)]
    known = known_clauses(d.path for d in docs.values())
    numbers: dict[str, str] = {}
    for fid, d in defs.items():
        if d["number"] in numbers:
            out.append(f"表单编号 {d['number']} 同时用于 {numbers[d['number']]} 与 {fid}")
        numbers[d["number"]] = fid
        for c in clauses_of(d):
            if c not in known:
                out.append(f"{d['document']} 表单 {fid}（{d['name']}）引用的条款 {c} 不在文件中")
    return out


# --- who does what with which form ------------------------------------------------------

ROLE_ACTS = (("fill", "填写"), ("review", "审核"), ("approve", "批准"), ("keep", "保管"))


def by_role(defs: dict[str, dict]) -> dict[str, dict[str, list[str]]]:
    """roster id -> {act: [form ids]}: what a role fills, reviews, approves and keeps, and
    the forms where it signs otherwise (a 复核 or 会签 box)."""
    out: dict[str, dict[str, list[str]]] = {}

    def add(role, act, fid):
        acts = out.setdefault(role, {a: [] for a, _ in ROLE_ACTS})
        if fid not in acts[act]:
            acts[act].append(fid)

    for fid, d in defs.items():
        for act, key in (("fill", "filled_by"), ("review", "reviewed_by"), ("approve", "approved_by"), ("keep", "kept_by")):
            for r in d[key]:
                add(r, act, fid)
        for s in d["signs"]:
            for r in s["roles"]:
                if not any(fid in acts for acts in out.get(r, {}).values()):
                    add(r, "review", fid)   # signs it without another act: it checks the form
    return out
