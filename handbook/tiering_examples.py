"""The worked examples of KH-02 第七条、第九条、第十条, computed by the tiering calculator
from calc/policy.toml, so that the text and the calculator never disagree."""

from calc import customer_tiering
from calc.numbers import exact, shown
from calc.parameters import policy


def _rules() -> dict:
    return policy()["tiering"]


def _percent(tier: str) -> str:
    split = _rules()["split"][tier]
    return f"{split['value']}{split['unit']}"


def rating() -> str:
    """第七条（二）: one customer's rank rating, and a group smaller than the segments."""
    r = _rules()
    top = r["rating_max"]["value"]
    n, rank = r["rank_rating"]["example_customers"], r["rank_rating"]["example_rank"]
    value = customer_tiering.rating(rank, n)
    small = top - 3
    ratings = "、".join(f"第{k}名评{customer_tiering.rating(k, small)}级" for k in range(1, small + 1))
    return (f"例如参评客户{n}家，某客户销售额排第{rank}名，其销售规模评级 = {top} + 1 − ⌈{rank} × {top} ÷ {n}⌉ = {value}；"
            f"参评客户{small}家时按{top}家计算，{ratings}。")


def quota_table() -> str:
    """第九条: the places per tier for the example sizes, as a Markdown table."""
    r = _rules()
    tiers = r["tiers"]
    lines = ["| 参评客户数 | " + " | ".join(f"{t}类" for t in tiers) + " |",
             "| --- |" + " --- |" * len(tiers)]
    for n in r["rounding"]["example_customers"]:
        places = customer_tiering.quotas(n)
        cells = []
        for t in tiers:
            x = n * exact(r["split"][t]["value"]) / 100
            whole = int(x)
            extra = places[t] - whole
            cells.append(f"{n} × {_percent(t)} = {shown(x)}，取{whole}" + (f"，补1，共{places[t]}" if extra else ""))
        lines.append(f"| {n}家 | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _tiers_of(scores: list[float]) -> dict:
    return customer_tiering.evaluate({"customers": [{"id": f"K{i}", "score": s} for i, s in enumerate(scores)]},
                                     policy())


def ties() -> str:
    """第十条: a tie across one boundary, and every customer tied."""
    r = _rules()
    n = r["ties"]["example_customers"]
    first, last = r["ties"]["example_tied"]
    scores = [100 - k for k in range(n)]
    for k in range(first, last + 1):
        scores[k - 1] = scores[first - 1]
    result = _tiers_of(scores)
    tier = result["customers"][first - 1]["tier"]
    counts = result["tiers"]
    places = customer_tiering.quotas(n)
    shares = "、".join(f"{t}类{places[t]}家" for t in r["tiers"])
    everyone = _tiers_of([60] * n)
    same = everyone["customers"][0]["tier"]
    biggest = max(places.values())
    bounds = customer_tiering._bounds(n)
    fall = {}
    for place in range(first, last + 1):
        t = next(t for t, end in bounds if place <= end)
        fall[t] = fall.get(t, 0) + 1
    spread = "、".join(f"{t}类{k}位" for t, k in fall.items())
    return (f"例如参评客户{n}家（名额{shares}），第{first}名与第{last}名总分相同、各项得分也相同：两家名次均为第{first}名，"
            f"占第{first}至第{last}位，其中{spread}，一并评为{tier}类，{tier}类为{counts[tier]}家；"
            f"若{n}家总分全部相同且无法比较，占第1至第{n}位，其中{same}类的{biggest}位最多，全部评为{same}类。")
