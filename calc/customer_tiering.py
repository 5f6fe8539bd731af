"""客户分级 (KH-02 第六条至第十条): score each customer out of 100 (or take the score
given), rank by score with the tie-break of 第十条, work out each tier's places by the largest
remainder (第九条), and give a group still tied the tier where most of its places fall. Also
reads and writes the list as CSV for the page."""

import re
import unicodedata
from fractions import Fraction

from calc import csv_table, engine
from calc.errors import InputError, shown_value
from calc.numbers import exact, shown
from calc.parameters import Rules, policy, quantity
from calc.schema import validate

NAME = "customer-tiering"
TITLE = "客户分级"
SECTION = "tiering"
OUTCOME = "tiers"

# A number as a person writes it in a spreadsheet: digits, an optional decimal part and
# exponent, thousands grouped by threes. Never Python's own float() syntax (nan, inf, 9_0).
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _section(section: dict | None = None) -> dict:
    """The tiering parameters given, or those of the text as it stands."""
    return section if section is not None else policy()[SECTION]


def _items(section: dict | None = None) -> list[dict]:
    return sorted(_section(section)["items"].values(), key=lambda i: i["seq"])


def clauses() -> list[str]:
    r = _section()
    return ([i["clause"] for i in _items()] + [r["rank_rating"]["clause"], r["missing_data"]["clause"]]
            + [r["split"][t]["clause"] for t in r["tiers"]] + [r["rounding"]["clause"], r["ties"]["clause"]])


def _item_schema(item: dict) -> dict:
    top = _section()["rating_max"]["value"]
    if item["method"] == "grade":
        return {"type": "integer", "minimum": 0, "maximum": top, "title": item["name"],
                "description": "评级（0-%d）：" % top + "；".join(item["grades"]), "x-clause": item["clause"]}
    return {"type": "number", "minimum": 0, "title": item["name"],
            "description": f"{item['name']}的数据（按参评客户中的排位评级）", "x-clause": item["clause"]}


def _customer_schema() -> dict:
    total = _section()["total_score"]
    return {
        "type": "object", "title": "客户", "additionalProperties": False, "required": ["id"],
        "properties": {
            "id": {"type": "string", "minLength": 1, "title": "客户编号"},
            "name": {"type": "string", "title": "客户名称", "description": "可选，随结果一并列出"},
            "score": {"type": "number", "minimum": 0, "maximum": total["value"], "title": "总分",
                      "x-clause": total["clause"]},
            "items": {"type": "object", "title": "计分项目", "additionalProperties": False,
                      "properties": {i["code"]: _item_schema(i) for i in _items()}},
        },
    }


def schema() -> dict:
    r = _section()
    return engine.form(
        __name__, required=["customers"], **{"x-upload": "csv"},
        properties={
            "customers": {
                # The list as a whole is 第八条 (all participants ranked), not its item (一) on A.
                # A whole customer base (issue: 100,000 rows stay usable in the page).
                "type": "array", "title": "参评客户", "maxItems": csv_table.MAX_ROWS,
                "x-clause": r["split"]["A"]["clause"].rsplit("-", 1)[0],
                "description": "每个客户给出总分（0-%s），或八个计分项目的数据" % r["total_score"]["value"],
                "items": _customer_schema(),
            },
        })


# --- ratings and scores ------------------------------------------------------------

def _competition_ranks(keys: list) -> list[int]:
    """1 = highest; equal keys share the best (smallest) rank."""
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
    ranks = [0] * len(keys)
    for pos, i in enumerate(order):
        ranks[i] = ranks[order[pos - 1]] if pos and keys[i] == keys[order[pos - 1]] else pos + 1
    return ranks


def rating(rank: int, customers: int, top: int | None = None) -> int:
    """An item's rating from the customer's place in it (KH-02 第七条（二））. Fewer customers
    than segments count as that many, so the first is always in the top segment."""
    if top is None:
        top = _section()["rating_max"]["value"]
    segments_of = max(customers, top)
    return top + 1 + (-rank * top // segments_of)   # top + 1 − ⌈rank × top ÷ max(n, top)⌉


def _item_ratings(customers: list[dict], section: dict) -> dict[int, dict[str, int]]:
    """Each item-scored customer's rating per item (index -> code -> rating)."""
    scored = [i for i, c in enumerate(customers) if "items" in c]
    n = len(scored)
    top = section["rating_max"]["value"]
    out = {i: {} for i in scored}
    for item in _items(section):
        code = item["code"]
        if item["method"] == "grade":
            for i in scored:
                out[i][code] = customers[i]["items"].get(code, 0)   # no data rates 0
            continue
        have = [i for i in scored if code in customers[i]["items"]]
        ranks = _competition_ranks([customers[i]["items"][code] for i in have])
        for i in scored:
            out[i][code] = 0
        for i, rank in zip(have, ranks):
            out[i][code] = rating(rank, n, top)
    return out


def _item_points(ratings: dict[str, int], weights: list[tuple[str, int]]) -> tuple[int, ...]:
    """Integer points per item in the order of 第六条 (weight × rating), to sum and compare."""
    return tuple(weight * ratings[code] for code, weight in weights)


# --- places per tier -----------------------------------------------------------------

def quotas(n: int, section: dict | None = None) -> dict[str, int]:
    """Places per tier by the largest remainder (KH-02 第九条): whole parts of N × share
    first, the places left over to the largest fractions, a higher tier first on equal ones."""
    r = _section(section)
    exact_share = {t: n * exact(r["split"][t]["value"]) / 100 for t in r["tiers"]}
    places = {t: int(x) for t, x in exact_share.items()}
    left = n - sum(places.values())
    by_fraction = sorted(r["tiers"], key=lambda t: (-(exact_share[t] - places[t]), r["tiers"].index(t)))
    for t in by_fraction[:left]:
        places[t] += 1
    return places


def _bounds(n: int, section: dict | None = None) -> list[tuple[str, int]]:
    """(tier, last place of the tier), cumulative."""
    out, end = [], 0
    for tier, count in quotas(n, section).items():
        end += count
        out.append((tier, end))
    return out


def tier_of_places(first: int, last: int, bounds: list[tuple[str, int]]) -> str:
    """The tier of a group occupying places first..last (bounds from _bounds): where most
    of them fall; when two or more tiers hold the most, the tier of the group's middle place
    (the upper one of the two middle places of an even group), KH-02 第十条（三）. Between two
    tiers holding equal shares that is the higher one; a group spread evenly over three
    tiers goes to the middle tier, not all to the top."""
    counts, start, spans = {}, 1, {}
    for tier, end in bounds:
        counts[tier] = max(0, min(end, last) - max(start, first) + 1)
        spans[tier] = (start, end)
        start = end + 1
    most = max(counts.values())
    leaders = [t for t in counts if counts[t] == most]
    if len(leaders) == 1:
        return leaders[0]
    middle = (first + last) // 2
    return next(t for t, (lo, hi) in spans.items() if lo <= middle <= hi)


# --- the calculation -----------------------------------------------------------------

def _check_input(customers: list[dict]) -> None:
    seen: dict[str, int] = {}
    for i, c in enumerate(customers):
        if c["id"] in seen:
            raise InputError(f"customers[{i}].id", f"{shown_value(c['id'])} 重复（与第 {seen[c['id']] + 1} 项相同）",
                             f"参评客户第 {i + 1} 项的客户编号")
        seen[c["id"]] = i
        if ("score" in c) == ("items" in c):
            raise InputError(f"customers[{i}]", "应给出总分或计分项目二者之一", f"参评客户第 {i + 1} 项")


# A list of thousands of customers has thousands of ties: name the first ones, count the rest.
MAX_TIE_LINES = 20


def _tie_lines(ties: dict, customers: list[dict], order: list[int], ranks: list[int], size: dict,
               tier_at: dict, broken: list) -> list[dict]:
    """Information lines on equal totals: those told apart by the items, and those that
    share a rank and the tier where most of their places fall (KH-02 第十条)."""
    lines = []
    for score, members in broken[:MAX_TIE_LINES]:
        ids = [customers[i]["id"] for i in sorted(members, key=lambda i: (ranks[i], i))]
        lines.append(engine.info(
            f"tiebreak_{min(ranks[i] for i in members)}", ties["clause"], label=ties["tiebreak_label"],
            actual=len(members), text=f"{_names(ids)}总分相同（{shown(score)}分），按计分项目依次比较得分排定名次"))
    by_rank: dict[int, list[str]] = {}
    for i in order:
        if size[ranks[i]] > 1:
            by_rank.setdefault(ranks[i], []).append(customers[i]["id"])
    shared = sorted(by_rank.items())
    for rank, ids in shared[:MAX_TIE_LINES]:
        k = len(ids)
        lines.append(engine.info(
            f"tie_{rank}", ties["clause"], label=ties["label"], actual=k,
            text=f"{_names(ids)}名次同为第{rank}名，占第{rank}至第{rank + k - 1}位，"
                 f"按多数位次所在的一级一并评为{tier_at[rank]}类"))
    hidden = max(0, len(broken) - MAX_TIE_LINES) + max(0, len(shared) - MAX_TIE_LINES)
    if hidden:
        lines.append(engine.info("ties_more", ties["clause"], label=ties["label"], actual=hidden,
                                 text=f"另有{hidden}组同分客户按同样的规则处理，见各客户的名次和分级"))
    return lines


def _names(ids: list[str]) -> str:
    return "、".join(ids[:5]) + (f"等{len(ids)}个客户" if len(ids) > 5 else "")


def evaluate(data: dict, rules: Rules) -> dict:
    r = rules[SECTION]
    customers = data["customers"]
    _check_input(customers)
    n = len(customers)
    top = r["rating_max"]["value"]
    ratings = _item_ratings(customers, r)
    weights = [(item["code"], item["value"]) for item in _items(r)]
    points = {i: _item_points(x, weights) for i, x in ratings.items()}
    scores = [Fraction(sum(points[i]), top) if i in points else exact(c["score"]) for i, c in enumerate(customers)]

    # Equal totals are first told apart by the items in the order of 第六条, but only within
    # a group whose members all have item scores; the rest share a rank.
    # Given scores arrive as floats and item scores are fifths of a point, so as floats
    # distinct scores stay distinct and equal ones equal: ranking on them is exact and fast.
    fast = [float(s) for s in scores]
    groups: dict[float, list[int]] = {}
    for i, s in enumerate(fast):
        groups.setdefault(s, []).append(i)
    broken = {s: len(members) > 1 and all(i in points for i in members) for s, members in groups.items()}
    keys = [(s, points[i] if broken[s] else ()) for i, s in enumerate(fast)]
    ranks = _competition_ranks(keys)

    # Places: a shared rank r with k customers occupies places r..r+k−1.
    size: dict[int, int] = {}
    for rank in ranks:
        size[rank] = size.get(rank, 0) + 1
    bounds = _bounds(n, r)
    tier_at = {rank: tier_of_places(rank, rank + k - 1, bounds) for rank, k in size.items()}

    order = sorted(range(n), key=lambda i: (ranks[i], i))
    out = []
    for i in order:
        c = customers[i]
        row = {"id": c["id"]}
        if "name" in c:
            row["name"] = c["name"]
        row.update({"score": shown(scores[i]), "rank": ranks[i], "tier": tier_at[ranks[i]]})
        if i in ratings:
            row["ratings"] = ratings[i]
        out.append(row)

    counts = {t: sum(1 for c in out if c["tier"] == t) for t in r["tiers"]}
    places = quotas(n, r)
    checks = []
    for t in r["tiers"]:
        share = r["split"][t]
        note = "" if counts[t] == places[t] else "（同分客户一并归级，与名额不同）"
        checks.append(engine.info(f"quota_{t}", share["clause"], label=f"{t}类{r['rounding']['label']}",
                                  actual=counts[t], required=places[t],
                                  text=f"{t}类：{n} × {quantity(share)} = {shown(n * exact(share['value']) / 100)}，"
                                       f"名额 {places[t]}，实际 {counts[t]}{note}"))
    checks += _tie_lines(r["ties"], customers, order, ranks, size, tier_at,
                         [(scores[m[0]], m) for s, m in groups.items() if broken[s]])
    split = "、".join(f"{t}类{quantity(r['split'][t])}" for t in r["tiers"])
    shown_counts = " ".join(f"{t}类{counts[t]}家" for t in r["tiers"])
    return engine.result(
        __name__, counts, rules=rules, headline=shown_counts, checks=checks, customers=out,
        reason=f"{n} 个客户按总分排名，按{split}分级（名额按最大余数法取整；同分先比较计分项目，仍相同的按多数位次归级）")


# --- CSV, for the page and for finance's spreadsheets -----------------------------

def _key(header: str) -> str:
    return unicodedata.normalize("NFKC", header).strip().lower()


def _column_map(header: list[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Role ('id', 'name', 'score') -> column, item code -> column, unknown columns."""
    cols = _section()["columns"]
    known = {}
    for role in ("id", "name", "score"):
        for word in cols[role]:
            known.setdefault(_key(word), ("role", role))
    for item in _items():
        for word in [item["code"], item["name"], *item.get("columns", [])]:
            known.setdefault(_key(word), ("item", item["code"]))
    roles, items, unknown = {}, {}, []
    for h in header:
        kind = known.get(_key(h))
        if kind is None:
            unknown.append(h)
        elif kind[0] == "role":
            roles.setdefault(kind[1], h)
        else:
            items.setdefault(kind[1], h)
    return roles, items, unknown


def csv_columns() -> list[dict]:
    """The CSV's columns as the page lists them (and its template file): the names of
    KH-02's scoring table, which the reader also accepts."""
    cols = _section()["columns"]
    out = [{"name": cols["id"][0], "note": "必填"}, {"name": cols["name"][0], "note": "可选，随结果列出"},
           {"name": cols["score"][0], "note": "已算出总分的填此列（0-%s），否则填下列计分项目" % _section()["total_score"]["value"]}]
    for item in _items():
        how = "按排位评级，填该项数据" if item["method"] == "rank" else "填评级0-%d" % _section()["rating_max"]["value"]
        out.append({"name": (item.get("columns") or [item["name"]])[0], "note": f"计分项目，{how}"})
    return out


def parse_number(text: str, title: str) -> float | int:
    """A cell as a number, or ValueError with a Chinese message naming the column."""
    cell = unicodedata.normalize("NFKC", text).strip()
    if not _NUMBER.fullmatch(cell):
        quoted = shown_value(text)   # JSON-escaped and shortened, so the message stays one line
        raise ValueError(f"{title}应为数字，收到“{quoted[1:-1] if quoted.endswith(chr(34)) else quoted[1:]}”")
    value = float(cell.replace(",", ""))
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _row_customer(row: dict, roles: dict, item_cols: dict) -> dict:
    customer = {"id": row.get(roles["id"], "")}
    if "name" in roles and row.get(roles["name"]):
        customer["name"] = row[roles["name"]]
    raw_score = row.get(roles["score"], "") if "score" in roles else ""
    if raw_score:
        if any(row.get(col, "") for col in item_cols.values()):
            raise ValueError("既填了总分又填了计分项目，只能填其中一种")
        customer["score"] = parse_number(raw_score, "总分")
        return customer
    items = {}
    names = {i["code"]: i["name"] for i in _items()}
    for code, col in item_cols.items():
        if row.get(col, ""):
            items[code] = parse_number(row[col], names[code])
    if items:
        customer["items"] = items
    return customer


def read_csv(data: bytes) -> tuple[dict, list[dict], str]:
    """The CSV as calculator input, the rows that are wrong (line and message), and the
    encoding found. Each row is checked by the same validator as JSON input; bad rows are
    reported, never dropped silently; good rows are kept."""
    text, encoding = csv_table.decode(data)
    header, rows = csv_table.read_rows(text)
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise InputError("CSV", "表头中有重复的列：" + "、".join(f"“{h}”" for h in duplicated))
    roles, item_cols, unknown = _column_map(header)
    if "id" not in roles or ("score" not in roles and not item_cols):
        raise InputError("CSV", "表头应包含“客户编号”列，以及“总分”列或计分项目列（"
                         + "、".join(i["name"] for i in _items()) + "）")
    errors = []
    if unknown:
        errors.append({"line": 1, "message": "第 1 行（表头）：未识别的列 "
                       + "、".join(f"“{h}”" for h in unknown) + "，已忽略"})
    row_schema = _customer_schema()
    customers, seen = [], {}
    for line, row in rows:
        try:
            customer = _row_customer(row, roles, item_cols)
            if "score" not in customer and "items" not in customer and customer["id"]:
                raise ValueError("没有总分，也没有计分项目数据")
            customer = validate(row_schema, customer)
            if customer["id"] in seen:
                raise ValueError(f"客户编号 {shown_value(customer['id'])} 与第 {seen[customer['id']]} 行重复")
        except (InputError, ValueError) as e:
            errors.append({"line": line, "message": f"第 {line} 行：{e}"})
            continue
        seen[customer["id"]] = line
        customers.append(customer)
    return {"customers": customers}, errors, encoding


def write_csv(result: dict) -> str:
    with_names = any("name" in c for c in result["customers"])
    items = _items()
    with_ratings = any("ratings" in c for c in result["customers"])
    header = ["客户编号"] + (["客户名称"] if with_names else []) + ["总分", "名次", "分级"]
    header += [f"{i['name']}评级" for i in items] if with_ratings else []
    rows = []
    for c in result["customers"]:
        row = [c["id"]] + ([c.get("name", "")] if with_names else []) + [c["score"], c["rank"], c["tier"]]
        if with_ratings:
            row += [c["ratings"][i["code"]] if "ratings" in c else "" for i in items]
        rows.append(row)
    return csv_table.write(header, rows)


def upload(data: bytes, rules: Rules) -> dict:
    """The page's CSV path: read, tier the good rows, return the table and the CSV."""
    try:
        inp, errors, encoding = read_csv(data)
    except (InputError, ValueError) as e:
        return {"error": str(e), "field": "CSV"}
    if not inp["customers"] and not errors:
        return {"error": "文件中没有客户数据行（只有表头或为空）", "field": "CSV"}
    result = evaluate(inp, rules) if inp["customers"] else None
    return {"encoding": encoding, "row_errors": errors, "result": result,
            "csv": write_csv(result) if result else None}
