"""客户分级 (KH-02 第六条至第十条): score each customer out of 100 (or take the score
given), rank by score, and split the list 20% A, 30% B, 40% C, 10% D, with the rounding of
第九条 and the ties of 第十条. Also reads and writes the list as CSV for the page."""

from fractions import Fraction

from calc import csv_table
from calc.errors import InputError, shown_value
from calc.numbers import exact, shown
from calc.parameters import document, policy, quantity

NAME = "customer-tiering"
TITLE = "客户分级"
OUTCOME = "tiers"
_ID_HEADERS = ("id", "客户编号", "编号", "客户代码")
_SCORE_HEADERS = ("score", "总分", "得分", "积分")


def _rules() -> dict:
    return policy()["tiering"]


def _items() -> list[dict]:
    return sorted(_rules()["items"].values(), key=lambda i: i["seq"])


def clauses() -> list[str]:
    r = _rules()
    return ([i["clause"] for i in _items()] + [r["rank_rating"]["clause"], r["missing_data"]["clause"]]
            + [r["split"][t]["clause"] for t in r["tiers"]] + [r["rounding"]["clause"], r["ties"]["clause"]])


def _item_schema(item: dict) -> dict:
    top = _rules()["rating_max"]["value"]
    if item["method"] == "grade":
        return {"type": "integer", "minimum": 0, "maximum": top, "title": item["name"],
                "description": "评级（0-%d）：" % top + "；".join(item["grades"]), "x-clause": item["clause"]}
    return {"type": "number", "minimum": 0, "title": item["name"],
            "description": f"{item['name']}的数据（按参评客户中的排位评级）", "x-clause": item["clause"]}


def schema() -> dict:
    r = _rules()
    total = r["total_score"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False, "required": ["customers"],
        "x-upload": "csv",
        "properties": {
            "customers": {
                "type": "array", "title": "参评客户", "x-clause": r["split"]["A"]["clause"],
                "description": "每个客户给出总分（0-%s），或八个计分项目的数据" % total["value"],
                "items": {
                    "type": "object", "title": "客户", "additionalProperties": False, "required": ["id"],
                    "properties": {
                        "id": {"type": "string", "minLength": 1, "title": "客户编号"},
                        "score": {"type": "number", "minimum": 0, "maximum": total["value"], "title": "总分",
                                  "x-clause": total["clause"]},
                        "items": {"type": "object", "title": "计分项目", "additionalProperties": False,
                                  "properties": {i["code"]: _item_schema(i) for i in _items()}},
                    },
                },
            },
        },
    }


def _competition_ranks(values: list) -> list[int]:
    """1 = highest; equal values share the best (smallest) rank (KH-02 第十条)."""
    order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
    ranks = [0] * len(values)
    for pos, i in enumerate(order):
        ranks[i] = ranks[order[pos - 1]] if pos and values[i] == values[order[pos - 1]] else pos + 1
    return ranks


def _item_scores(customers: list[dict]) -> dict[int, Fraction]:
    """Total score of each customer given by items (index -> score). Integer arithmetic
    (weights and ratings are whole numbers), one division per customer: exact and fast."""
    r = _rules()
    top = r["rating_max"]["value"]
    scored = [i for i, c in enumerate(customers) if "items" in c]
    n = len(scored)
    points = dict.fromkeys(scored, 0)   # Σ weight × rating
    for item in _items():
        weight, code = item["value"], item["code"]
        if item["method"] == "grade":
            for i in scored:
                points[i] += weight * customers[i]["items"].get(code, 0)
            continue
        have = [i for i in scored if code in customers[i]["items"]]
        ranks = _competition_ranks([customers[i]["items"][code] for i in have])
        for i, rank in zip(have, ranks):
            # rating = top + 1 − ⌈rank × top ÷ n⌉ (KH-02 第七条); no data rates 0.
            points[i] += weight * (top + 1 + (-rank * top // n))
    return {i: Fraction(p, top) for i, p in points.items()}


def _round_half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def quotas(n: int) -> dict[str, int]:
    """Cumulative head counts per tier (KH-02 第九条): A, A+B, A+B+C, all."""
    r = _rules()
    out, share = {}, Fraction(0)
    for tier in r["tiers"]:
        share += exact(r["split"][tier]["value"]) / 100
        out[tier] = _round_half_up(n * share) if tier != r["tiers"][-1] else n
    return out


def evaluate(data: dict) -> dict:
    r = _rules()
    customers = data["customers"]
    seen: dict[str, int] = {}
    for i, c in enumerate(customers):
        if c["id"] in seen:
            raise InputError(f"customers[{i}].id", f"客户编号 {shown_value(c['id'])} 重复（与第 {seen[c['id']] + 1} 个客户相同）")
        seen[c["id"]] = i
        if ("score" in c) == ("items" in c):
            raise InputError(f"customers[{i}]", "应给出 score（总分）或 items（计分项目）二者之一")
    by_items = _item_scores(customers)
    scores = [by_items[i] if i in by_items else exact(c["score"]) for i, c in enumerate(customers)]
    # Given scores arrive as floats and item scores are fifths of a point, so as floats
    # distinct scores stay distinct and equal ones equal: ranking on them is exact, and
    # much faster than on Fractions.
    ranks = _competition_ranks([float(x) for x in scores])
    cumulative = quotas(len(customers))
    out = []
    for c, score, rank in zip(customers, scores, ranks):
        # A rank within a tier's cumulative quota belongs to it: ties across a boundary
        # all go to the higher tier.
        tier = next(t for t in r["tiers"] if rank <= cumulative[t])
        out.append({"id": c["id"], "score": shown(score), "rank": rank, "tier": tier})
    counts = {t: sum(1 for c in out if c["tier"] == t) for t in r["tiers"]}
    split = "、".join(f"{t}类{quantity(r['split'][t])}" for t in r["tiers"])
    return {
        "calculator": NAME,
        "policy": document(r["document"]),
        "tiers": counts,
        "customers": out,
        "reason": f"{len(out)} 个客户按总分排名，按{split}分级（名额累计四舍五入，同分同级）",
        "checks": [
            {"id": f"quota_{t}", "clause": r["split"][t]["clause"], "status": "ok",
             "actual": counts[t], "required": cumulative[t] - (cumulative[r["tiers"][k - 1]] if k else 0),
             "text": f"{t}类：名额 {cumulative[t] - (cumulative[r['tiers'][k - 1]] if k else 0)}，实际 {counts[t]}"
                     + ("（同分客户一并归入较高一级）" if counts[t] != cumulative[t] - (cumulative[r['tiers'][k - 1]] if k else 0) else "")}
            for k, t in enumerate(r["tiers"])
        ],
    }


# --- CSV, for the page and for finance's spreadsheets -----------------------------

def _column_map(header: list[str]) -> tuple[str | None, str | None, dict[str, str]]:
    names = {h.strip().lower(): h for h in header}
    id_col = next((names[k] for k in _ID_HEADERS if k in names), None)
    score_col = next((names[k] for k in _SCORE_HEADERS if k in names), None)
    item_cols = {}
    for item in _items():
        for key in (item["code"], item["name"].lower()):
            if key in names:
                item_cols[item["code"]] = names[key]
    return id_col, score_col, item_cols


def _number(text: str) -> float | int:
    value = float(text.replace(",", "").replace("，", ""))
    return int(value) if value.is_integer() else value


def read_csv(data: bytes) -> tuple[dict, list[dict], str]:
    """The CSV as calculator input, the rows that are wrong (line and message), and the
    encoding found. Bad rows are reported, never dropped silently; good rows are kept."""
    text, encoding = csv_table.decode(data)
    header, rows = csv_table.read_rows(text)
    id_col, score_col, item_cols = _column_map(header)
    if id_col is None or (score_col is None and not item_cols):
        raise InputError("CSV", "表头应包含“客户编号”列，以及“总分”列或计分项目列（"
                         + "、".join(i["name"] for i in _items()) + "）")
    item_schemas = schema()["properties"]["customers"]["items"]["properties"]["items"]["properties"]
    customers, errors, seen = [], [], {}
    for line, row in rows:
        try:
            cid = row.get(id_col, "")
            if not cid:
                raise ValueError("客户编号为空")
            if cid in seen:
                raise ValueError(f"客户编号 {shown_value(cid)} 与第 {seen[cid]} 行重复")
            customer = {"id": cid}
            raw_score = row.get(score_col, "") if score_col else ""
            if raw_score:
                try:
                    customer["score"] = _number(raw_score)
                except ValueError:
                    raise ValueError(f"总分应为数字，收到“{raw_score}”") from None
                if not 0 <= customer["score"] <= _rules()["total_score"]["value"]:
                    raise ValueError(f"总分应在 0 至 {_rules()['total_score']['value']} 之间，收到 {raw_score}")
            else:
                items = {}
                for code, col in item_cols.items():
                    raw = row.get(col, "")
                    if raw == "":
                        continue
                    prop = item_schemas[code]
                    try:
                        value = _number(raw)
                    except ValueError:
                        raise ValueError(f"{prop['title']}应为数字，收到“{raw}”") from None
                    if value < 0 or value > prop.get("maximum", value) or \
                            (prop["type"] == "integer" and value != int(value)):
                        raise ValueError(f"{prop['title']}超出范围，收到 {raw}")
                    items[code] = value
                if not items:
                    raise ValueError("没有总分，也没有计分项目数据")
                customer["items"] = items
        except ValueError as e:
            errors.append({"line": line, "message": f"第 {line} 行：{e}"})
            continue
        seen[cid] = line
        customers.append(customer)
    return {"customers": customers}, errors, encoding


def write_csv(result: dict) -> str:
    rows = [[c["id"], c["score"], c["rank"], c["tier"]] for c in result["customers"]]
    return csv_table.write(["客户编号", "总分", "名次", "分级"], rows)


def upload(data: bytes) -> dict:
    """The page's CSV path: read, tier the good rows, return the table and the CSV."""
    try:
        inp, errors, encoding = read_csv(data)
    except (InputError, ValueError) as e:
        return {"error": str(e), "field": "CSV"}
    result = evaluate(inp) if inp["customers"] else None
    return {"encoding": encoding, "row_errors": errors, "result": result,
            "csv": write_csv(result) if result else None}
