"""分级商务条款 (KH-02): price floor, payment terms, lead time and rush orders for a
customer's value tier. The payment method is lowered one level for repeated late payment in a
quarter and one more at each repeat in the year (第十六条), and is never wider than the
customer's credit grade allows (第十七条): the stricter of the two applies. The customer's
tier itself does not change (第十六条（三））."""

from fractions import Fraction

from calc import engine
from calc.citation import cite
from calc.parameters import Rules, policy, quantity

NAME = "tier-terms"
TITLE = "分级商务条款"
SECTION = "tier_terms"
OUTCOME = "payment_tier"
UNRATED = "unrated"


def _lookup(path: str, rules: Rules) -> dict:
    node = rules
    for key in path.split("."):
        node = node[key]
    return node


def max_days(payment_tier: str, rules: Rules) -> int:
    """The longest deferred payment of a payment level, in days (0: none). A level whose
    days are XY-04's credit-period cap refers to that parameter rather than repeat it."""
    entry = rules[SECTION]["max_payment_days"][payment_tier]
    return _lookup(entry["ref"], rules)["value"] if "ref" in entry else entry["value"]


def method_label(payment_tier: str, rules: Rules) -> str:
    return rules[SECTION]["payment_method"][payment_tier]["label"]


def stricter_payment_tier(tier: str, grade: str | None, rules: Rules) -> str:
    """The stricter of the tier's payment level and the grade's (KH-02 第十七条); a customer
    not yet rated counts as no credit (XY-03 第二条)."""
    order = rules[SECTION]["payment_order"]
    by_grade = rules[SECTION]["grade_payment_tier"][grade or UNRATED]
    return order[max(order.index(tier), order.index(by_grade))]


def clauses() -> list[str]:
    r = policy()[SECTION]
    out = [r["min_price_factor"][t]["clause"] for t in r["payment_order"]]
    out += [r["payment_method"][t]["clause"] for t in r["payment_order"]]
    out += [r["lead_time_days"][t]["clause"] for t in r["lead_time_days"]]
    return list(dict.fromkeys(out + [r["late_payments_downgrade"]["clause"], r["repeat_downgrade"]["clause"],
                                     r["grade_payment_tier"]["clause"], r["rush_orders"]["clause"],
                                     r["d_orders"]["clause"], "XY-04-5", "XY-04-5-4",
                                     "XY-03-19-1", "XY-03-19-2"]))


def margin(factor) -> str:
    """A price factor as the margin KH-02 第十三条 states: 0.95 -> '5%', 1.05 -> '5%'."""
    m = abs(Fraction(str(factor)) - 1) * 100
    return f"{int(m) if m.denominator == 1 else float(m):g}%"


def price_text(factor) -> str:
    f = Fraction(str(factor))
    if f < 1:
        return f"可给予优惠，优惠幅度不超过内控价格的{margin(factor)}（成交价格不低于内控价格的{factor}倍）"
    if f == 1:
        return "不给予优惠，按内控价格执行"
    return f"在内控价格基础上上浮{margin(factor)}执行（成交价格不低于内控价格的{factor}倍）"


def schema() -> dict:
    r = policy()[SECTION]
    late, repeat = r["late_payments_downgrade"], r["repeat_downgrade"]
    return engine.form(
        __name__,
        required=["tier"],
        properties={
            "tier": {"type": "string", "enum": r["payment_order"], "title": "客户价值分级",
                     "x-labels": {t: f"{t}类" for t in r["payment_order"]},
                     "description": "按《客户分级管理办法》年度分级评定的类别（A、B、C、D）；付款方式降级不改变类别",
                     "x-clause": r["min_price_factor"]["A"]["clause"]},
            "credit_grade": {
                "type": ["string", "null"], "enum": ["A", "B", "C", None], "default": None,
                "title": "信用等级", "x-clause": r["grade_payment_tier"]["clause"],
                "x-labels": {"A": "A级", "B": "B级", "C": "C级"},
                "x-null-label": "尚未评定信用等级（不得赊销）",
                "description": "按《客户信用等级评定办法》（XY-03）评定的等级；付款方式取分级与信用等级中较严格的一个。"
                               "留空即尚未评定信用等级：未评定的客户不得赊销，按现款现货或先款后货"},
            "late_payments_quarter": {
                "type": "integer", "minimum": 0, "default": 0, "title": "本季度未按付款条件付款次数",
                "description": f"同一日历季度内达到{quantity(late)}{late['bound']}的，付款方式降低一级",
                "x-clause": late["clause"], "x-unit": "次"},
            "prior_downgrades": {
                "type": "integer", "minimum": 0, "default": 0, "title": "本年度已降级次数",
                "description": "本分级年度内此前已因未按期付款降低付款方式的次数（不含本季度）；"
                               f"{repeat['text']}。未降级过的填0",
                "x-clause": repeat["clause"], "x-unit": "次"},
        })


def _days_text(payment_tier: str, rules: Rules) -> str:
    days = max_days(payment_tier, rules)
    if not days:
        return ""
    low = rules["credit_terms"]["min_period"]
    if days == low["value"]:
        # KH-02 "30天以内" meets XY-04's floor: the only credit period left is the floor itself.
        return (f"；远期付款的期限为交货日起{days}天（信用期限不少于{quantity(low)}，XY-04 第五条；"
                f"进货周期更短的按进货周期，{cite('XY-04-5-4')}）")
    return f"；远期付款最长为交货日起{days}天（XY-04 第五条的信用期限上限）"


def evaluate(data: dict, rules: Rules) -> dict:
    r = rules[SECTION]
    labels = r["labels"]
    order = r["payment_order"]
    tier, late, prior = data["tier"], data["late_payments_quarter"], data["prior_downgrades"]
    grade = data["credit_grade"]
    downgrade = r["late_payments_downgrade"]
    # 两次（含）以上: the threshold itself triggers the downgrade; D is the floor.
    lowered = late >= downgrade["value"]
    steps = prior + (1 if lowered else 0)
    by_tier = order[min(order.index(tier) + steps, len(order) - 1)]
    payment_tier = stricter_payment_tier(by_tier, grade, rules)
    by_grade = r["grade_payment_tier"][grade or UNRATED]
    method = r["payment_method"][payment_tier]
    days = max_days(payment_tier, rules) or None
    price = r["min_price_factor"][tier]
    lead = r["lead_time_days"].get(tier)
    rush = r["rush_orders"][tier]
    rush_label = r["rush_labels"][rush]
    grade_text = f"信用等级{grade}级" if grade else "尚未评定信用等级"

    checks = [
        engine.info("price", price["clause"], label=labels["price"], actual=f"{tier}类",
                    required=f"≥ 内控价格 × {price['value']}",
                    text=price_text(price["value"])),
        engine.exclusion("late_payments", downgrade["clause"], lowered, label=labels["late_payments"],
                         actual=f"{late}次",
                         text=f"同一季度内{quantity(downgrade)}{downgrade['bound']}未按付款条件付款的，付款方式降低一级"),
    ]
    if prior:
        checks.append(engine.info(
            "prior_downgrades", r["repeat_downgrade"]["clause"], label=r["repeat_downgrade"]["label"],
            actual=f"{prior}次", text=f"本年度已降级{prior}次，{r['repeat_downgrade']['text']}"))
    checks += [
        engine.info("grade", r["grade_payment_tier"]["clause"], label=r["grade_payment_tier"]["label"],
                    actual=grade_text, required=f"最宽按{by_grade}类（{method_label(by_grade, rules)}）",
                    text=f"{grade_text}：付款方式最宽按{by_grade}类（{method_label(by_grade, rules)}）"
                         + ("，比价值分级（含降级）更严，按此执行" if order.index(by_grade) > order.index(by_tier) else "")),
        engine.info("payment", method["clause"], label=labels["payment"], actual=method["label"],
                    required=f"按{payment_tier}类", text=f"付款方式按{payment_tier}类：{method['text']}{_days_text(payment_tier, rules)}"),
    ]
    bound = next((g for g in rules["credit_grade_policy"]["grades"] if g["grade"] == grade), {})
    if days and "max_collection_period" in bound:
        # XY-03 第十九条（一）（二）: an A or B customer's collection period is at most one
        # purchase cycle; the cycle is the customer's own figure (the credit-application
        # calculator takes it; below XY-04's floor the period is the cycle, 第五条（四））.
        checks.append(engine.info("purchase_cycle", bound["clause"], label=f"{grade}级客户的回款期限",
                                  actual=f"最长{days}天", required=f"不超过{bound['max_collection_period']}",
                                  text=f"信用等级{grade}级的，远期付款期限还以{bound['max_collection_period']}为限"
                                       f"（客户进货周期短于{days}天的，按进货周期，{cite('XY-04-5-4')}）"))
    checks += [
        engine.info("lead_time", lead["clause"] if lead else r["d_orders"]["clause"], label=labels["lead_time"],
                    actual=quantity(lead) + "以内" if lead else "逐单约定", required=None,
                    text=f"常规订单交期{quantity(lead)}以内" if lead else r["d_orders"]["text"]),
        engine.info("rush", r["rush_orders"]["clause"], label=labels["rush"], actual=rush_label,
                    text=f"加急订单：{rush_label}"),
    ]

    floor = rules["credit_terms"]["min_period"]["value"]
    term = method["label"] + (("（远期付款为交货日起{}天）" if days == floor else "（交货日起最长{}天）").format(days)
                              if days else "")
    if payment_tier == tier:
        headline = f"{tier}类客户：付款方式为{term}"
    else:
        headline = f"{tier}类客户（分级不变）：付款方式按{payment_tier}类执行，为{term}"
    why = []
    if steps:
        why.append(f"付款方式因未按期付款降低{steps}级" + (f"（本季度{late}次）" if lowered else ""))
    if order.index(by_grade) > order.index(by_tier):
        why.append(f"{grade_text}，付款方式最宽按{by_grade}类")
    reason = (f"{tier}类客户的价格、交期和插单按{tier}类执行；"
              + ("；".join(why) + f"，付款方式按{payment_tier}类执行" if why else f"付款方式按{tier}类执行")
              + "（只改变付款方式，不改变分级）" * bool(why))
    return engine.result(
        __name__, payment_tier, rules=rules, headline=headline, reason=reason, checks=checks,
        tier=tier, min_price_factor=price["value"], payment_method=method["code"],
        payment_method_label=method["label"],
        deferred_payment_allowed=method["code"] in ("deferred", "cod_or_deferred"),
        prepayment_required=method["code"] == "prepayment",
        max_payment_days=days, lead_time_days=lead["value"] if lead else None,
        rush_orders=rush, rush_orders_label=rush_label,
        what_would_change=_what_would_change(data, payment_tier, by_tier, by_grade, lowered, rules))


def _what_would_change(data: dict, payment_tier: str, by_tier: str, by_grade: str, lowered: bool,
                       rules: Rules) -> dict | None:
    """Payment terms one level better (never better than the customer's own tier): what
    lowered them, and what that level would need."""
    r = rules[SECTION]
    order, tier = r["payment_order"], data["tier"]
    if payment_tier == tier:
        return None   # the tier's own terms: only the next annual tiering changes them
    better = order[order.index(payment_tier) - 1]
    needs = []
    if order.index(by_tier) > order.index(better):
        late, repeat = r["late_payments_downgrade"], r["repeat_downgrade"]
        if lowered:
            needs.append((late["clause"], f"本季度未按付款条件付款少于{quantity(late)}"
                                          f"（现为{data['late_payments_quarter']}次）"))
        if data["prior_downgrades"]:
            needs.append((repeat["clause"], f"本年度此前的{data['prior_downgrades']}次降级执行至下年度分级结果批准之日止，"
                                            "其间不能恢复"))
    if order.index(by_grade) > order.index(better):
        grades = [g for g in ("A", "B", "C") if order.index(r["grade_payment_tier"][g]) <= order.index(better)]
        now = f"{data['credit_grade']}级" if data["credit_grade"] else "尚未评定"
        needs.append((r["grade_payment_tier"]["clause"], f"信用等级须为{'或'.join(g + '级' for g in grades)}（现为{now}）"))
    return engine.change(f"付款方式按{better}类执行（{method_label(better, rules)}）", needs)
