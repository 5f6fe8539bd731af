"""客户分级 (KH-02 第六条至第十条): score each customer out of 100 (or take the score
given), rank by score with the tie-break of 第十条, work out each tier's places by the largest
remainder (第九条), and give a group still tied the tier where most of its places fall.
`customers` comes back in input order (staff scripts join on position); the page's CSV
path (calc/tiering_csv.py) reads the list and writes it ranked."""

import unicodedata
from bisect import bisect_right
from fractions import Fraction
from itertools import accumulate, compress, repeat
from operator import floordiv, gt, is_, mul, ne, sub, truediv

from calc import csv_table, engine
from calc.errors import InputError, shown_value
from calc.numbers import exact, shown
from calc.parameters import Rules, policy, quantity

NAME = "customer-tiering"
TITLE = "客户分级"
SECTION = "tiering"
OUTCOME = "tiers"

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

def rating(rank: int, customers: int, top: int | None = None) -> int:
    """An item's rating from the customer's place in it (KH-02 第七条（二））. Fewer customers
    than segments count as that many, so the first is always in the top segment."""
    if top is None:
        top = _section()["rating_max"]["value"]
    segments_of = max(customers, top)
    return top + 1 + (-rank * top // segments_of)   # top + 1 − ⌈rank × top ÷ max(n, top)⌉


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


def _tie_lines(ties: dict, ids: list[str], broken: list, shared: list, tier_at: dict) -> list[dict]:
    """Information lines on equal totals: those told apart by the items, and those that
    share a rank and the tier where most of their places fall (KH-02 第十条). broken:
    (score, members by rank and file order, their best rank); shared: (rank, members)."""
    lines = []
    for score, members, best in broken[:MAX_TIE_LINES]:
        lines.append(engine.info(
            f"tiebreak_{best}", ties["clause"], label=ties["tiebreak_label"], actual=len(members),
            text=f"{_names(ids, members)}总分相同（{shown(score)}分），按计分项目依次比较得分排定名次"))
    for rank, members in shared[:MAX_TIE_LINES]:
        k = len(members)
        lines.append(engine.info(
            f"tie_{rank}", ties["clause"], label=ties["label"], actual=k,
            text=f"{_names(ids, members)}名次同为第{rank}名，占第{rank}至第{rank + k - 1}位，"
                 f"按多数位次所在的一级一并评为{tier_at[rank]}类"))
    hidden = max(0, len(broken) - MAX_TIE_LINES) + max(0, len(shared) - MAX_TIE_LINES)
    if hidden:
        lines.append(engine.info("ties_more", ties["clause"], label=ties["label"], actual=hidden,
                                 text=f"另有{hidden}组同分客户按同样的规则处理，见各客户的名次和分级"))
    return lines


def _names(ids: list[str], members: list[int]) -> str:
    return "、".join(ids[i] for i in members[:5]) + (f"等{len(members)}个客户" if len(members) > 5 else "")


def _ratings(values: dict[str, list], n: int, scored: int, section: dict) -> dict[str, list[int]]:
    """Each item's ratings (code -> rating per customer; 0 for customers given a total):
    by rank among the item-scored customers that have the data (KH-02 第七条（二）), or
    the rating given (第七条（三）); no data (None) rates 0 (第七条（四））."""
    top = section["rating_max"]["value"]
    segments_of = max(scored, top)
    out = {}
    for item in _items(section):
        col = values.get(item["code"]) or [None] * n
        if item["method"] == "grade":
            out[item["code"]] = [0 if v is None else v for v in col] if None in col else list(col)
            continue
        # rating(rank) ≥ L exactly for the first R_L ranks, R_L = ⌊(top + 1 − L) × max(n, top) ÷ top⌋;
        # a value's rank (1 + the number of greater values) is within them when the value
        # is at least the R_L-th greatest. So the rating is the number of those thresholds
        # the value reaches: one sort and a bisection per customer, not a rank per customer.
        missing = None in col
        present = sorted([v for v in col if v is not None] if missing else col, reverse=True)
        if not present:
            out[item["code"]] = [0] * n
            continue
        thresholds = sorted(present[min((top + 1 - level) * segments_of // top, len(present)) - 1]
                            for level in range(1, top + 1))
        low = float("-inf")   # below every threshold: no data rates 0
        out[item["code"]] = list(map(bisect_right, repeat(thresholds),
                                     [low if v is None else v for v in col] if missing else col))
    return out


def _points_and_key(ratings: list[list[int]], weights: list) -> tuple[list, list]:
    """Per customer the total in points (Σ weight × rating, in the order of 第六条) and a key
    that sorts as (total points, points of each item in that order) does.

    An item's points are weight × rating, so for a positive weight its ratings sort the
    same, and an item weighing 0 tells no one apart. With whole weights and whole ratings
    from 0 to B − 1, the key is one whole number, the total followed by the ratings as
    digits in base B: Σ rating × (weight × B^items + B^place), made in one pass, and the
    total is the key ÷ B^items. Far quicker than tuples of nine, in the page most of all."""
    ends = [v for col in ratings for v in (min(col), max(col))]
    if all(type(w) is int and w >= 0 for w in weights) and all(type(v) is int and v >= 0 for v in ends):
        base = max(ends) + 1
        shift = base ** len(ratings)
        factors = [w * shift + (base ** (len(ratings) - 1 - j) if w else 0) for j, w in enumerate(weights)]
        key = list(map(sum, zip(*[map(mul, col, repeat(f)) for col, f in zip(ratings, factors)])))
        return list(map(floordiv, key, repeat(shift))), key
    item_points = [list(map(mul, col, repeat(w))) for col, w in zip(ratings, weights)]
    points = list(map(sum, zip(*item_points)))
    return points, list(zip(points, zip(*item_points)))


def _ranked(fast: list[float], order_key: list, points: list[int], is_scored: list[bool], top: int, n: int):
    """Ranks (第十条): by score, equal scores of item-scored customers by their item points
    in the order of 第六条, the rest sharing a rank. order_key: per customer, a key that
    sorts as (score, item points in the order of 第六条) does among item-scored customers
    (anything for the others). Returns the customers by rank (equal ranks in input order),
    each customer's rank, the groups told apart by the items (first in the input, score,
    members by rank, best rank) and the shared ranks (rank -> members in input order).

    One sort and whole-list operations, not a step per customer: in the page's Python a
    step per customer of 100,000 costs about as much as all the rest of the ranking."""
    # By score and then by the items, equal keys in input order (a reversed sort is stable).
    order = sorted(range(n), key=order_key.__getitem__, reverse=True)
    scores = list(map(fast.__getitem__, order))
    keys = list(map(order_key.__getitem__, order))
    # Where each group of equal scores starts (positions in `order`), and the end.
    score_starts = [0, *compress(range(1, n), map(ne, scores[1:], scores[:-1])), n]
    # Where each group of equal keys starts: within a group of equal scores, a new rank.
    new_rank = [True, *map(ne, keys[1:], keys[:-1])] if n else []
    broken = []
    shared: dict = {}
    for a, b in zip(score_starts, score_starts[1:]):
        if b - a < 2:
            continue
        members = order[a:b]
        if all(map(is_scored.__getitem__, members)):
            first = min(members)
            broken.append((first, Fraction(points[first], top), members, a + 1))
        else:
            # A total given in the group: all share one rank, in input order.
            members.sort()
            order[a:b] = members
            new_rank[a + 1:b] = [False] * (b - a - 1)
    # A position's rank is the place where its run of equal keys starts.
    rank_of_place = list(accumulate(map(mul, new_rank, range(1, n + 1)), max))
    starts = [*compress(range(n), new_rank), n]
    runs = list(map(sub, starts[1:], starts[:-1]))
    for a, k in zip(compress(starts, map(gt, runs, repeat(1))), compress(runs, map(gt, runs, repeat(1)))):
        shared[a + 1] = order[a:a + k]
    ranks = list(map(dict(zip(order, rank_of_place)).__getitem__, range(n)))
    return order, ranks, broken, shared


def evaluate(data: dict, rules: Rules) -> dict:
    customers = data["customers"]
    _check_input(customers)
    codes = [item["code"] for item in _items(rules[SECTION])]
    return tier([c["id"] for c in customers], [c.get("name") for c in customers],
                [None if "items" in c else c["score"] for c in customers],
                {code: [c["items"].get(code) if "items" in c else None for c in customers] for code in codes}, rules)


def tier(ids: list[str], names: list, given: list, values: dict[str, list], rules: Rules) -> dict:
    """The tiering of customers given by columns (the CSV reader's form; evaluate() makes it
    from the JSON input): id, name or None, the total given or None for a customer scored
    by its items, and each item's data (None: no data). The result lists the customers in
    this order."""
    result, table = tiering(ids, names, given, values, rules)
    out = []
    codes = [item["code"] for item in _items(rules[SECTION])]
    for i, ident in enumerate(ids):   # input order: the contract since the first release
        row = {"id": ident}
        if names[i] is not None:
            row["name"] = names[i]
        row["score"] = table.scores[i]
        row["rank"] = table.ranks[i]
        row["tier"] = table.tiers[i]
        if table.scored[i]:
            row["ratings"] = {code: table.by_item[code][i] for code in codes}
        out.append(row)
    return {k: (out if k == "customers" else v) for k, v in result.items()}


class Table:
    """A tiering by column (what the CSV writer reads, without 100,000 small objects):
    per customer in input order its id, name or None, score as shown, rank, tier, whether
    it was scored by its items, and each item's ratings (code -> rating per customer, 0 for
    a customer given a total); and `order`, the customers by rank (equal ranks in input
    order)."""

    def __init__(self, ids, names, scores, ranks, tiers, scored, by_item, order=None):
        self.ids, self.names, self.scores, self.ranks, self.tiers = ids, names, scores, ranks, tiers
        self.scored, self.by_item = scored, by_item
        self.order = order if order is not None else sorted(range(len(ids)), key=ranks.__getitem__)


def tiering(ids: list[str], names: list, given: list, values: dict[str, list], rules: Rules) -> tuple[dict, Table]:
    """tier()'s work: the result (its `customers` key in place, empty) and the tiering by
    column."""
    r = rules[SECTION]
    n = len(ids)
    top = r["rating_max"]["value"]
    is_scored = list(map(is_, given, repeat(None)))
    all_scored = all(is_scored)
    by_item = _ratings(values, n, is_scored.count(True), r)
    weights = [(item["code"], item["value"]) for item in _items(r)]
    # Per customer: the total in points (= score × top, exact; weight × rating per item).
    # Whole-column operations throughout: 100,000 customers are tiered in the page.
    any_scored = any(is_scored)
    if any_scored:
        points, key = _points_and_key([by_item[code] for code, _ in weights], [w for _, w in weights])
    else:   # every total given: no item points to add or compare
        points, key = [0] * n, None

    # Ranking on floats is exact here: given scores arrive as floats and item scores are
    # fifths of a point, so distinct scores stay distinct and equal ones equal.
    fast = (list(map(truediv, points, repeat(top))) if all_scored
            else list(map(float, given)) if not any_scored
            else [points[i] / top if g is None else float(g) for i, g in enumerate(given)])
    # Equal totals are first told apart by the items in the order of 第六条, but only within
    # a group whose members all have item scores; the rest share a rank (第十条).
    order_key = (fast if key is None else key if all_scored
                 else list(zip(fast, [k if s else key[0] for k, s in zip(key, is_scored)])))
    order, ranks, broken, shared = _ranked(fast, order_key, points, is_scored, top, n)

    # Places: a shared rank r with k customers occupies places r..r+k−1, and all of them
    # go to the tier where most of those places fall.
    place_tier = [None]
    for t, count in quotas(n, r).items():
        place_tier += [t] * count
    tiers = list(map(place_tier.__getitem__, ranks))
    bounds = _bounds(n, r)
    tier_at = {}
    for rank, members in shared.items():
        last = rank + len(members) - 1
        tier_at[rank] = place_tier[rank] if place_tier[rank] == place_tier[last] else tier_of_places(rank, last, bounds)
        for i in members:
            tiers[i] = tier_at[rank]

    shown_points = [shown(Fraction(p, top)) for p in range(max(points, default=0) + 1)]   # a few hundred
    table = Table(ids, names,
                  list(map(shown_points.__getitem__, points)) if all_scored
                  # shown(g) for a given total, without a Fraction per customer where it is not
                  # needed: a float equal to its own rounding to 2 decimals is one written with
                  # at most 2 (its repr is that decimal), shown as it is. Others round half up on
                  # the decimal written (0.125 is 0.13; round() on the binary float gave 0.12).
                  else [shown_points[p] if g is None else g if type(g) is int else int(g) if g.is_integer()
                        else g if round(g, 2) == g else shown(g) for p, g in zip(points, given)],
                  ranks, tiers, is_scored, by_item, order)

    counts = {t: tiers.count(t) for t in r["tiers"]}
    places = quotas(n, r)
    checks = []
    for t in r["tiers"]:
        share = r["split"][t]
        note = "" if counts[t] == places[t] else "（同分客户一并归级，与名额不同）"
        checks.append(engine.info(f"quota_{t}", share["clause"], label=f"{t}类{r['rounding']['label']}",
                                  actual=counts[t], required=places[t],
                                  text=f"{t}类：{n} × {quantity(share)} = {shown(n * exact(share['value']) / 100)}，"
                                       f"名额 {places[t]}，实际 {counts[t]}{note}"))
    broken.sort()   # listed by first appearance in the file, as before
    checks += _tie_lines(r["ties"], ids, [b[1:] for b in broken], sorted(shared.items()), tier_at)
    split = "、".join(f"{t}类{quantity(r['split'][t])}" for t in r["tiers"])
    shown_counts = " ".join(f"{t}类{counts[t]}家" for t in r["tiers"])
    return engine.result(
        __name__, counts, rules=rules, headline=shown_counts, checks=checks, customers=[],
        reason=f"{n} 个客户按总分排名，按{split}分级（名额按最大余数法取整；同分先比较计分项目，仍相同的按多数位次归级）",
        what_would_change=_what_would_change(table, r)), table


def _what_would_change(table: Table, r: dict) -> dict | None:
    """Per tier below the top: the score a customer of it would have to exceed to move up,
    the lowest total of the next tier above that has customers. Exceeding it is enough: the
    customer then ranks ahead of that tier's lowest group, which holds at least one of the
    tier's places (第十条（三）), so it takes a place of that tier with the places unchanged."""
    # By rank: the last one of a tier is its lowest (a dict keeps the last value of a key).
    lowest = dict(zip(map(table.tiers.__getitem__, table.order), map(table.scores.__getitem__, table.order)))
    present = [t for t in r["tiers"] if t in lowest]
    needs = [(r["ties"]["clause"], f"{t}类客户要升入{up}类，总分须高于{up}类最低分 {lowest[up]} 分"
                                   f"（等于该分的，按计分项目比较后仍相同的，按多数位次归级）")
             for up, t in zip(present, present[1:])]
    return engine.change("升入上一类", needs)


# --- CSV, for the page (calc/tiering_csv.py) -------------------------------------------

def csv_columns() -> list[dict]:
    from calc import tiering_csv
    return tiering_csv.columns()


def read_csv(data: bytes) -> tuple[dict, list[dict], dict]:
    from calc import tiering_csv
    return tiering_csv.read(data)


def write_csv(result: dict, lines: list[int]) -> str:
    """The download for a result (customers in input order; lines: where each came from)."""
    from calc import tiering_csv
    cs = result["customers"]
    codes = [item["code"] for item in _items()]
    table = Table([c["id"] for c in cs], [c.get("name") for c in cs], [c["score"] for c in cs],
                  [c["rank"] for c in cs], [c["tier"] for c in cs], ["ratings" in c for c in cs],
                  {code: [c["ratings"][code] if "ratings" in c else 0 for c in cs] for code in codes})
    return tiering_csv.write(table, result["policy"], lines)


def upload(data: bytes, rules: Rules) -> dict:
    from calc import tiering_csv
    return tiering_csv.upload(data, rules)
