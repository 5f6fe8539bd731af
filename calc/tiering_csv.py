"""The tiering list as a CSV file, for the page (KH-02 第六条至第十条, issue 18).

Reading: a tiering is built on the whole file or not at all. Each data row is one line of
the file (calc/csv_table.py refuses a record that spans lines: an unbalanced quote); a
file with any wrong row tiers nobody, and says how many rows are wrong and where, once per
cause. What Excel writes is read: the document's column names and their synonyms
(calc/policy.toml [tiering] columns), percent cells in the ratio columns, 万 and thousands
separators in the amount column (the form reader's rules, calc/form_input.py). A number is
taken only if it is read exactly: the schema's limits are checked on the decimal written,
and a number whose digits a binary float cannot keep is refused rather than rounded.

Writing: the list ranked (名次, then file order), with how each tie was decided, the line
of the file each customer came from, and the document version and day applied.

The limits are the JSON schema's (customer_tiering.schema), applied by column rather than
by validating 100,000 small objects: a 100,000-row file is read in about a second."""

import hashlib
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import compress, repeat
from operator import add, and_, is_not, itemgetter, ne, not_

from calc import csv_table, customer_tiering
from calc.errors import InputError, shown_value
from calc.form_input import FieldError, decimal
from calc.parameters import company, policy

# How a column's cells are read. Ratios are written as percent by Excel ("9.2%"): read as
# the percent number (ranking needs only their order), one way per column. The amount takes
# 万/亿, ¥ and 元 like every amount field of the site's forms.
_PERCENT_ITEMS = {"profit_margin", "our_share"}
_AMOUNT_ITEMS = {"sales_scale"}
# Beyond 15 significant digits (or 10^15) a float may not keep the number as written.
_DIGITS = 15
_SCIENTIFIC = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")
_DECIMALS = re.compile(r"(?:(?:\d{1,15}(?:\.\d{1,15})?%?)?\n)*(?:\d{1,15}(?:\.\d{1,15})?%?)?", re.ASCII)
_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")

TIE_TOLD_APART = "同分，按计分项目依次比较"
TIE_SHARED = "同分同名次，按多数位次归级"


def _rules() -> dict:
    return policy()["tiering"]


def _items() -> list[dict]:
    return sorted(_rules()["items"].values(), key=lambda i: i["seq"])


def _key(header: str) -> str:
    """A column name as compared: NFKC, no spaces, lower case, no unit in brackets at the
    end (销售额（万元）: a column in one unit ranks the same)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).lower()
    return _UNIT_SUFFIX.sub("", key) or key


def _names() -> dict[str, tuple[str, str]]:
    """Column name key -> (kind, what): ("role", id/name/score) or ("item", code)."""
    cols, short = _rules()["columns"], company()["company"]["short"]
    known: dict[str, tuple[str, str]] = {}
    for role in ("id", "name", "score"):
        for word in cols[role]:
            known.setdefault(_key(word), ("role", role))
    for item in _items():
        for word in [*item.get("columns", []), item["name"], item["code"]]:
            for form in {word, word.replace("本公司", short)}:   # 第六条（六）names the company
                known.setdefault(_key(form), ("item", item["code"]))
    return known


def columns() -> list[dict]:
    """The CSV's columns as the page lists them (and its template file): the names of
    KH-02's scoring table, with the other names the reader takes."""
    cols, top = _rules()["columns"], _rules()["rating_max"]["value"]

    def also(words: list[str]) -> str:
        rest = [w for w in words[1:] if not w.isascii()]
        return f"；也可写作{'、'.join(rest)}" if rest else ""

    out = [{"name": cols["id"][0], "note": "必填" + also(cols["id"])},
           {"name": cols["name"][0], "note": "可选，随结果列出"},
           {"name": cols["score"][0], "note": "已算出总分的填此列（0-%s），否则填下列计分项目" % _rules()["total_score"]["value"]}]
    for item in _items():
        words = item.get("columns") or [item["name"]]
        if item["name"] not in words:
            words = [*words, item["name"]]
        how = "按排位评级，填该项数据" if item["method"] == "rank" else f"填评级0-{top}"
        how += "（可带%号）" if item["code"] in _PERCENT_ITEMS else "（可写“万”）" if item["code"] in _AMOUNT_ITEMS else ""
        out.append({"name": words[0], "note": f"计分项目，{how}{also(words)}"})
    return out


# --- reading -----------------------------------------------------------------------

class _Table:
    """A file read: the input for the calculator (customers, and the file line of each),
    the problems found, and what the page says about the file."""

    def __init__(self, encoding: str, rows: int, ignored: list[str]):
        self.encoding, self.rows, self.ignored = encoding, rows, ignored
        # The customers by column, as customer_tiering.tier takes them.
        self.ids: list[str] = []
        self.names: list = []
        self.given: list = []
        self.values: dict[str, list] = {}
        self.lines: list[int] = []
        self.problems: list[tuple] = []   # (line, column title or None, cause, value shown or None)

    def customers(self) -> list[dict]:
        """The same customers as JSON input."""
        out = []
        for r, ident in enumerate(self.ids):
            customer = {"id": ident}
            if self.names[r] is not None:
                customer["name"] = self.names[r]
            if self.given[r] is not None:
                customer["score"] = self.given[r]
            else:
                customer["items"] = {code: col[r] for code, col in self.values.items() if col[r] is not None}
            out.append(customer)
        return out

    def info(self) -> dict:
        out = {"encoding": self.encoding, "rows": self.rows}
        if self.ignored:
            out["ignored_columns"] = self.ignored
        return out


def _header(header: list[str]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Role -> column index, item code -> column index, unknown column names; refuses two
    columns for one thing, no id or nothing to score, and a likely misspelt item column."""
    known = _names()
    roles: dict[str, int] = {}
    items: dict[str, int] = {}
    unknown = []
    titles = {"id": "客户编号", "name": "客户名称", "score": "总分",
              **{i["code"]: i["name"] for i in _items()}}
    for k, h in enumerate(header):
        if not h:
            continue
        kind = known.get(_key(h))
        if kind is None:
            unknown.append(h)
            continue
        place = roles if kind[0] == "role" else items
        if kind[1] in place:
            first = header[place[kind[1]]]
            raise InputError("CSV", f"第 1 行（表头）：“{first}”和“{h}”是同一列（{titles[kind[1]]}），"
                             "只能保留其中一列，未分级")
        place[kind[1]] = k
    if "id" not in roles or ("score" not in roles and not items):
        raise InputError("CSV", "表头应包含“客户编号”列，以及“总分”列或计分项目列（"
                         + "、".join(i["name"] for i in _items()) + "）")
    # A misspelt item column would rate that item 0 for every customer (第七条（四）): an
    # unknown column that looks like a missing item's name stops the file; others are ignored.
    for h in unknown:
        for item in _items():
            if item["code"] in items or "score" in roles and not items:
                continue
            words = [item["name"], *item.get("columns", [])]
            if max(SequenceMatcher(None, _key(h), _key(w)).ratio() for w in words) >= 0.6:
                raise InputError("CSV", f"第 1 行（表头）：未识别的列“{h}”，是否为计分项目“{words[0]}”？"
                                 "请改正列名，未分级")
    return roles, items, unknown


def _reading(code: str | None) -> tuple[dict, str]:
    """(the form reader's field description for a column, the column's kind)."""
    if code is None:
        return {"type": "number"}, "score"
    if code in _AMOUNT_ITEMS:
        return {"type": "number", "x-unit": "元"}, "rank"
    if code in _PERCENT_ITEMS:
        return {"type": "number", "x-unit": "%"}, "rank"
    item = _rules()["items"][code]
    return ({"type": "integer"}, "grade") if item["method"] == "grade" else ({"type": "number"}, "rank")


class _Bad(ValueError):
    """A cell's cause (without the value: causes are grouped)."""


def _number(cell: str, prop: dict, low, high, grade: bool):
    """A cell as the JSON number the calculator takes, read exactly, or _Bad."""
    if _SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", cell).strip()):
        raise _Bad("是科学计数法，位数可能已被 Excel 截短：请把该列设为“数值”格式后重新另存为 CSV")
    try:
        value = decimal(cell, prop)
    except FieldError as e:
        raise _Bad(str(e).split("，收到")[0]) from None
    if grade and (value != value.to_integral_value() or not low <= value <= high):
        raise _Bad(f"应为 {low} 至 {high} 的整数")
    if value < low:
        raise _Bad(f"不能小于 {low}")
    if high is not None and value > high:
        raise _Bad(f"不能大于 {high}")
    value = value.normalize()
    if len(value.as_tuple().digits) > _DIGITS or abs(value) >= Decimal(10) ** _DIGITS:
        raise _Bad(f"有效数字过多或数值过大（最多 {_DIGITS} 位有效数字），无法按所填的数精确计算")
    if value == value.to_integral_value():
        return int(value)
    return float(value)   # exact: 15 significant digits survive a float and its repr


def _columns(rows: list[list[str]]) -> list[list[str]]:
    """The rows' cells by column as written ("" where a row is shorter)."""
    shortest, longest = min(map(len, rows)), max(map(len, rows))
    return [list(map(itemgetter(k), rows)) if k < shortest
            else [r[k] if k < len(r) else "" for r in rows] for k in range(longest)]


def _read_column(table: _Table, lines: list[int], cells: list[str], title: str, code: str | None,
                 limits: dict) -> tuple[list, list[str]]:
    """A column's values per row (None when blank), and its cells stripped; bad cells go to
    table.problems."""
    prop, kind = _reading(code)
    low, high = limits.get("minimum", 0), limits.get("maximum")
    grade = kind == "grade"
    percent = code in _PERCENT_ITEMS
    if not any(cells):   # an empty column (no 总分 column: every customer by its items)
        return [None] * len(cells), cells
    blank = "" in cells
    # The usual column, plain digits (blank allowed), read in one pass: the same values
    # the general reader gives ("5.0" is the rating 5), at a fraction of its time.
    out, whole = None, False
    digits = "".join(cells)
    if digits.isascii() and digits.isdigit() and max(map(len, cells)) <= _DIGITS:   # 0-9 only, at most 15
        out = [int(c) if c else None for c in cells] if blank else list(map(int, cells))
        whole = True
    elif (_DECIMALS.fullmatch(joined := "\n".join(cells)) and max(map(len, cells)) <= _DIGITS + 1   # so at most 15 digits
          and ("%" not in joined or percent and all(c.endswith("%") for c in cells if c))):
        if blank:
            read = [float(c.rstrip("%")) if c else None for c in cells]
            out = [v if v is None or not v.is_integer() else int(v) for v in read]   # "5.0" is the rating 5
        else:
            out = list(map(float, map(str.rstrip, cells, repeat("%"))))
            integral = list(compress(range(len(out)), map(float.is_integer, out)))
            for r in integral:   # "5.0" is the rating 5
                out[r] = int(out[r])
            whole = len(integral) == len(out)
    if out is not None:   # nothing to strip either: digits, points and % signs only
        written = [v for v in out if v is not None] if blank else out
        if not written or (high is None or max(written) <= high) and (
                not grade or whole or all(type(v) is int for v in written)):
            return out, cells

    cells = list(map(str.strip, cells))
    out = [None] * len(cells)
    marked: list[int] = []    # rows written with a % sign, in a percent column
    plain: list[int] = []
    for r, cell in enumerate(cells):
        if not cell:
            continue
        if percent:
            (marked if cell[-1] in "%％" else plain).append(r)
        try:
            value = _number(cell, prop, low, high, grade)
        except _Bad as e:
            table.problems.append((lines[r], title, str(e), cell))
            continue
        out[r] = value
    if marked and plain:
        # 9.2% and 0.3 in one column cannot be compared: 0.3% or 30%?
        few, many, how, other = ((plain, marked, "不带", "带") if len(plain) <= len(marked)
                                 else (marked, plain, "带", "不带"))
        for r in few:
            if out[r] is not None:
                table.problems.append((lines[r], title, f"{how}%号，而本列另有 {len(many)} 行{other}%号：同一列应统一写法",
                                       cells[r]))
                out[r] = None
    return out, cells


def _read(data: bytes) -> _Table:
    text, encoding = csv_table.decode(data)
    cut = csv_table.read_columns(text)
    if cut is None:
        header, lines, rows = csv_table.read_rows(text)
        columns = _columns(rows)
    else:   # the usual file: every row as long as the header
        header, lines, columns = cut
        rows = None
    roles, items, unknown = _header(header)
    table = _Table(encoding, len(lines), unknown)
    schema = customer_tiering.schema()["properties"]["customers"]["items"]["properties"]
    longest = {role: schema[role].get("maxLength", _max_string()) for role in ("id", "name")}
    title = {role: header[k] for role, k in roles.items()}
    problems = table.problems
    n = len(lines)

    # Cells outside the named columns: beyond the header, or under a column without a name.
    width = max(k for k in range(len(header)) if header[k]) + 1
    if len(columns) > width:
        for r, cells in enumerate(rows if rows is not None else zip(*columns)):
            if any(c.strip() for c in cells[width:]):
                problems.append((lines[r], None, f"比表头多 {len(cells) - width} 个单元格（含逗号的数字须放在引号中，"
                                                 "如 \"8,513,000\"）", None))
    for k in range(width):
        if not header[k]:
            for r, cell in enumerate(map(str.strip, columns[k])):
                if cell:
                    problems.append((lines[r], None, f"第 {k + 1} 列没有列名，却填了内容", cell))

    ids = list(map(str.strip, columns[roles["id"]]))
    if "" in ids or max(map(len, ids)) > longest["id"]:
        for r, ident in enumerate(ids):
            if not ident:
                problems.append((lines[r], title["id"], "为空：每行须有客户编号", None))
            elif len(ident) > longest["id"]:
                problems.append((lines[r], title["id"], f"过长（最多 {longest['id']:,} 个字符）", None))
    names = list(map(str.strip, columns[roles["name"]])) if "name" in roles else [""] * n
    if max(map(len, names)) > longest["name"]:
        for r, name in enumerate(names):
            if len(name) > longest["name"]:
                problems.append((lines[r], title["name"], f"过长（最多 {longest['name']:,} 个字符）", None))

    given, score_cells = _read_column(table, lines, columns[roles["score"]] if "score" in roles else [""] * n,
                                      title.get("score", ""), None, schema["score"])
    item_props = schema["items"]["properties"]
    values, item_cells = {}, {}
    for code, k in items.items():
        values[code], item_cells[code] = _read_column(table, lines, columns[k], header[k], code, item_props[code])

    # Each row a total or items, not both, not neither (cells as written: a wrong one is
    # reported once, by its column).
    def rows_with_items():
        return map(any, zip(*item_cells.values())) if items else repeat(False, n)

    if not all(map(ne, map(bool, score_cells), rows_with_items())):   # one of the two on every row
        has_items, has_score = list(rows_with_items()), list(map(bool, score_cells))
        for r in range(n):
            if has_score[r] and has_items[r]:
                problems.append((lines[r], None, "既填了总分又填了计分项目，只能填其中一种", None))
            elif not has_score[r] and not has_items[r] and ids[r]:
                problems.append((lines[r], None, "没有总分，也没有计分项目数据", None))

    # One customer per id; ｃ１ and c1 are one (NFKC).
    keys = ids if all(map(str.isascii, ids)) else list(map(customer_tiering.same_id, ids))
    if len(set(keys)) < n:
        seen: dict[str, int] = {}
        for r, key in enumerate(keys):
            if not key:
                continue
            if key in seen:
                first = seen[key]
                alike = "" if ids[first] == ids[r] else f"的“{_inner(ids[first])}”（全角与半角视为相同）"
                problems.append((lines[r], title["id"], "与前面的行重复",
                                 f"“{_inner(ids[r])}”同第 {lines[first]} 行{alike}"))
            else:
                seen[key] = r
    if not problems:
        table.ids, table.given, table.values, table.lines = ids, given, values, lines
        table.names = [name or None for name in names] if "name" in roles else [None] * n
    return table


def _max_string() -> int:
    from calc.schema import MAX_STRING
    return MAX_STRING


def _inner(value: str) -> str:
    """A value the user wrote, shortened and escaped onto one line, without quotes."""
    quoted = shown_value(value)
    return quoted[1:-1] if quoted.endswith('"') else quoted[1:]


# --- the problems, once per cause ----------------------------------------------------

def _ranges(lines: list[int], most: int = 8) -> str:
    """[2, 3, 4, 7, 9, 10] -> '2–4、7、9–10'; long lists end with 等."""
    spans: list[list[int]] = []
    for line in sorted(set(lines)):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    text = "、".join(f"{a}–{b}" if b > a else f"{a}" for a, b in spans[:most])
    return text + ("等" if len(spans) > most else "")


def problems(found: list[tuple]) -> list[dict]:
    """One message per (column, cause), in the order of the file: where (the lines as
    ranges), what, and up to three of the values found."""
    groups: dict[tuple, list] = {}
    for line, column, cause, value in found:
        groups.setdefault((column, cause), []).append((line, value))
    out = []
    for (column, cause), hits in groups.items():
        lines = [line for line, _ in hits]
        count = len(set(lines))
        spans = _ranges(lines)
        where = f"第 {spans[:-1]} 等行（共 {count} 行）" if spans.endswith("等") else f"第 {spans} 行"
        shown = []
        for _, value in hits:
            if value is not None and value not in shown:
                shown.append(value)
        received = ""
        if shown and cause != "与前面的行重复":
            received = "，收到" + "、".join(f"“{_inner(v)}”" for v in shown[:3]) + ("等" if len(shown) > 3 else "")
        elif shown:
            received = "：" + "；".join(shown[:3]) + ("等" if len(shown) > 3 else "")
        text = f"{column}列：{where}{cause}{received}" if column else f"{where}：{cause}{received}"
        out.append({"message": text, "count": count, "first_line": min(lines)})
    return sorted(out, key=lambda p: p["first_line"])


# Wrong cells listed one by one at most (problems() covers them all, once per cause): a file
# of 100,000 wrong rows would otherwise send the page 100,000 objects to parse.
MAX_ROW_ERRORS = 1000


def _row_errors(found: list[tuple]) -> list[dict]:
    """The wrong cells by line (the first MAX_ROW_ERRORS), for a script or a closer look."""
    out = []
    for line, column, cause, value in sorted(found, key=lambda p: p[0])[:MAX_ROW_ERRORS]:
        what = f"{column}{cause}" if column else cause
        if value is not None and cause != "与前面的行重复":
            what += f"，收到“{_inner(value)}”"
        elif value is not None:
            what += f"：{value}"
        out.append({"line": line, "message": f"第 {line} 行：{what}"})
    return out


# --- writing -------------------------------------------------------------------------

def write(table, policy_cited: dict, lines: list[int]) -> str:
    """The tiering (customer_tiering.Table) as a CSV file: by rank (equal ranks in file
    order), each customer's item ratings, how a tie was decided (第十条), the file line it
    came from, and the version and day of the rules applied (on every row, so that any
    CSV reader keeps them)."""
    n = len(table.ids)
    items = _items()
    with_names = any(map(is_not, table.names, repeat(None)))
    with_ratings = any(table.scored)
    header = ["客户编号"] + (["客户名称"] if with_names else []) + ["总分", "名次", "分级"]
    header += [f"{i['name']}评级" for i in items] if with_ratings else []
    header += ["同分处理", "文件行号", "依据", "适用日期"]

    # How a tie was decided: a shared rank went by the majority of its places; equal item
    # totals with distinct ranks were told apart by the items (第十条（一）至（三））.
    # Whole-column operations: which customers share their rank, which were scored by
    # their items with a total another such customer has; the words by 2 × shared + told.
    shared_ranks = {rank for rank, k in Counter(table.ranks).items() if k > 1}
    told_totals = {score for score, k in Counter(compress(table.scores, table.scored)).items() if k > 1}
    shared = list(map(shared_ranks.__contains__, table.ranks))
    told = map(and_, table.scored, map(told_totals.__contains__, table.scores))
    how = list(map(("", TIE_TOLD_APART, TIE_SHARED, TIE_SHARED).__getitem__, map(add, map(add, shared, shared), told)))

    # The columns in file order, then the rows put in rank order (equal ranks in file order).
    text = csv_table.text_cells
    columns = [text(table.ids)]
    if with_names:
        columns.append(text([name or "" for name in table.names]))
    # Numbers, tiers and the fixed words below need no quoting and no formula guard.
    columns += [list(map(str, table.scores)), list(map(str, table.ranks)), table.tiers]
    if with_ratings:
        given = list(compress(range(n), map(not_, table.scored)))
        # Ratings are whole numbers from 0 to the top: their text looked up, not made 800,000 times.
        rating_text = {r: str(r) for r in range(_rules()["rating_max"]["value"] + 1)}
        for code in (i["code"] for i in items):
            try:
                col = list(map(rating_text.__getitem__, table.by_item[code]))
            except KeyError:
                col = list(map(str, table.by_item[code]))
            for k in given:   # a customer given a total has no item ratings
                col[k] = ""
            columns.append(col)
    p = policy_cited
    columns += [how, list(map(str, lines)), text([f"{p['document']} 第 {p['version']} 版"]) * n,
                text([p.get("as_of", "")]) * n]
    return csv_table.write_columns(header, columns, table.order)


# --- the page's call -------------------------------------------------------------------

def read(data: bytes) -> tuple[dict, list[dict], dict]:
    """The CSV as calculator input, the wrong rows (line and message) and what was found
    about the file (encoding, rows, ignored columns). Raises InputError for a file that
    cannot be read as a customer table."""
    table = _read(data)
    return {"customers": table.customers()}, _row_errors(table.problems), table.info()


def upload(data: bytes, rules) -> dict:
    """Read the whole file and tier it, or tier nobody. The answer: encoding, rows,
    ignored_columns; then either error (one headline), field "CSV", problems (one per
    cause) and row_errors, or result (the calculator's result without `customers`, which
    the ranked `csv` carries: 100,000 customers as objects are 20 MB for the page to
    parse), csv (the download) and csv_sha256 (of the download's bytes)."""
    try:
        table = _read(data)
    except (InputError, ValueError) as e:
        return {"error": str(e), "field": "CSV"}
    info = table.info()
    if table.problems:
        wrong = len({p[0] for p in table.problems})
        lead = f"全部 {wrong} 行都有误" if wrong == table.rows else f"文件中有 {wrong} 行有误"
        return {"error": f"{lead}，没有分级：名额按全部参评客户计算，须每一行都无误。请改正下列各处后重新上传整个文件",
                "field": "CSV", **info, "problems": problems(table.problems), "row_errors": _row_errors(table.problems),
                "row_errors_total": len(table.problems),
                "result": None, "csv": None}
    result, tiering = customer_tiering.tiering(table.ids, table.names, table.given, table.values, rules)
    del result["customers"]
    text = write(tiering, result["policy"], table.lines)
    # What the printed record names when the list is too long to print (the download is
    # this text in UTF-8).
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {**info, "row_errors": [], "problems": [], "result": result, "csv": text, "csv_sha256": digest}
