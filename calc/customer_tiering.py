"""客户分级 (KH-02 第六条至第十条): score each customer out of 100 (or take the score
given), rank by score with the tie-break of 第十条, work out each tier's places by the largest
remainder (第九条), and give a group still tied the tier where most of its places fall.
`customers` comes back in input order (staff scripts join on position); the page's CSV
path (calc/tiering_csv.py) reads the list and writes it ranked."""

import unicodedata
from fractions import Fraction

from calc import csv_table, engine
from calc.errors import InputError, shown_value
from calc.numbers import exact, shown
from calc.parameters import policy, quantity

NAME = "customer-tiering"
TITLE = "客户分级"
SECTION = "tiering"
OUTCOME = "tiers"

def _rules() -> dict:
    return policy()[SECTION]


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


def _customer_schema() -> dict:
    total = _rules()["total_score"]
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
    r = _rules()
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
        top = _rules()["rating_max"]["value"]
    segments_of = max(customers, top)
    return top + 1 + (-rank * top // segments_of)   # top + 1 − ⌈rank × top ÷ max(n, top)⌉


# --- places per tier -----------------------------------------------------------------

def quotas(n: int) -> dict[str, int]:
    """Places per tier by the largest remainder (KH-02 第九条): whole parts of N × share
    first, the places left over to the largest fractions, a higher tier first on equal ones."""
    r = _rules()
    exact_share = {t: n * exact(r["split"][t]["value"]) / 100 for t in r["tiers"]}
    places = {t: int(x) for t, x in exact_share.items()}
    left = n - sum(places.values())
    by_fraction = sorted(r["tiers"], key=lambda t: (-(exact_share[t] - places[t]), r["tiers"].index(t)))
    for t in by_fraction[:left]:
        places[t] += 1
    return places


def _bounds(n: int) -> list[tuple[str, int]]:
    """(tier, last place of the tier), cumulative."""
    out, end = [], 0
    for tier, count in quotas(n).items():
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
    # Full-width and half-width forms of one id (Ｃ1, C1) are one customer: NFKC, as the
    # CSV reader compares them.
    seen: dict[str, int] = {}
    for i, c in enumerate(customers):
        key = same_id(c["id"])
        if key in seen:
            j = seen[key]
            alike = "" if customers[j]["id"] == c["id"] else f"的 {shown_value(customers[j]['id'])}，全角与半角视为相同"
            raise InputError(f"customers[{i}].id", f"{shown_value(c['id'])} 重复（与第 {j + 1} 项{alike or '相同'}）",
                             f"参评客户第 {i + 1} 项的客户编号")
        seen[key] = i
        if ("score" in c) == ("items" in c):
            raise InputError(f"customers[{i}]", "应给出总分或计分项目二者之一", f"参评客户第 {i + 1} 项")


def same_id(text: str) -> str:
    """The form two ids are compared in: ｃ１ and c1 are one customer (NFKC)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


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


def _ratings(customers: list[dict], scored: list[int]) -> dict[str, list[int]]:
    """Each item's ratings (code -> rating per customer index; 0 for customers given a
    total): by rank among the item-scored customers that have the data (KH-02 第七条（二）),
    or the rating given (第七条（三）); no data rates 0 (第七条（四））."""
    n, top = len(customers), _rules()["rating_max"]["value"]
    segments_of = max(len(scored), top)
    out = {}
    for item in _items():
        code = item["code"]
        col = [0] * n
        if item["method"] == "grade":
            for i in scored:
                col[i] = customers[i]["items"].get(code, 0)
        else:
            have = [i for i in scored if code in customers[i]["items"]]
            values = [customers[i]["items"][code] for i in have]
            for i, rank in zip(have, _competition_ranks(values)):
                col[i] = top + 1 + (-rank * top // segments_of)   # rating(rank, n), inlined: 500,000 calls
        out[code] = col
    return out


def evaluate(data: dict) -> dict:
    r = _rules()
    customers = data["customers"]
    _check_input(customers)
    n = len(customers)
    top = r["rating_max"]["value"]
    scored = [i for i, c in enumerate(customers) if "items" in c]
    by_item = _ratings(customers, scored)
    weights = [(item["code"], item["value"]) for item in _items()]
    columns = [(by_item[code], weight) for code, weight in weights]
    is_scored = [False] * n
    for i in scored:
        is_scored[i] = True
    # Totals in whole points × top (weight × rating summed), exact; a given score as given.
    points = [sum(col[i] * weight for col, weight in columns) for i in range(n)]
    given = [None if is_scored[i] else c["score"] for i, c in enumerate(customers)]

    # Ranking on floats is exact here: given scores arrive as floats and item scores are
    # fifths of a point, so distinct scores stay distinct and equal ones equal.
    fast = [points[i] / top if g is None else float(g) for i, g in enumerate(given)]
    # Equal totals are first told apart by the items in the order of 第六条, but only within
    # a group whose members all have item scores; the rest share a rank (第十条).
    order = sorted(range(n), key=fast.__getitem__, reverse=True)   # stable: input order on ties
    ranks = [0] * n
    broken = []
    pos = 0
    while pos < n:
        end = pos + 1
        score = fast[order[pos]]
        while end < n and fast[order[end]] == score:
            end += 1
        members = order[pos:end]
        if end - pos > 1 and all(is_scored[i] for i in members):
            key = {i: tuple(col[i] * weight for col, weight in columns) for i in members}
            members.sort(key=key.__getitem__, reverse=True)
            order[pos:end] = members
            for k, i in enumerate(members):
                ranks[i] = ranks[members[k - 1]] if k and key[i] == key[members[k - 1]] else pos + k + 1
            broken.append((Fraction(points[members[0]], top), members))
        else:
            for i in members:
                ranks[i] = pos + 1
        pos = end

    # Places: a shared rank r with k customers occupies places r..r+k−1.
    size: dict[int, int] = {}
    for rank in ranks:
        size[rank] = size.get(rank, 0) + 1
    bounds = _bounds(n)
    tier_at = {rank: tier_of_places(rank, rank + k - 1, bounds) for rank, k in size.items()}

    codes = [code for code, _ in weights]
    out = []
    for i, c in enumerate(customers):   # input order: the contract since the first release
        row = {"id": c["id"]}
        if "name" in c:
            row["name"] = c["name"]
        g = given[i]
        if g is None:
            p = points[i]
            score = p // top if p % top == 0 else round(p / top, 2)   # shown(Fraction(p, top))
        else:
            score = shown(exact(g))
        row["score"] = score
        row["rank"] = ranks[i]
        row["tier"] = tier_at[ranks[i]]
        if is_scored[i]:
            row["ratings"] = {code: by_item[code][i] for code in codes}
        out.append(row)

    counts = {t: 0 for t in r["tiers"]}
    for rank, k in size.items():
        counts[tier_at[rank]] += k
    places = quotas(n)
    checks = []
    for t in r["tiers"]:
        share = r["split"][t]
        note = "" if counts[t] == places[t] else "（同分客户一并归级，与名额不同）"
        checks.append(engine.info(f"quota_{t}", share["clause"], label=f"{t}类{r['rounding']['label']}",
                                  actual=counts[t], required=places[t],
                                  text=f"{t}类：{n} × {quantity(share)} = {shown(n * exact(share['value']) / 100)}，"
                                       f"名额 {places[t]}，实际 {counts[t]}{note}"))
    broken.sort(key=lambda group: min(group[1]))   # listed by first appearance in the input, as before
    checks += _tie_lines(r["ties"], customers, order, ranks, size, tier_at, broken)
    split = "、".join(f"{t}类{quantity(r['split'][t])}" for t in r["tiers"])
    shown_counts = " ".join(f"{t}类{counts[t]}家" for t in r["tiers"])
    return engine.result(
        __name__, counts, headline=shown_counts, checks=checks, customers=out,
        reason=f"{n} 个客户按总分排名，按{split}分级（名额按最大余数法取整；同分先比较计分项目，仍相同的按多数位次归级）")


# --- CSV, for the page (calc/tiering_csv.py) -------------------------------------------

def csv_columns() -> list[dict]:
    from calc import tiering_csv
    return tiering_csv.columns()


def read_csv(data: bytes) -> tuple[dict, list[dict], dict]:
    from calc import tiering_csv
    return tiering_csv.read(data)


def write_csv(result: dict, lines: list[int]) -> str:
    from calc import tiering_csv
    return tiering_csv.write(result, lines)


def upload(data: bytes) -> dict:
    from calc import tiering_csv
    return tiering_csv.upload(data)
