"""授信申请审查 (XY-04): a criterion of 第八条 that counts rejects the application;
otherwise a prerequisite of 第六条 not met makes the customer ineligible (a customer not yet
rated is never eligible: XY-03 第二条); otherwise it is eligible for a credit period within
第五条, limited by the stricter of its credit grade and its value tier (第五条（三）)."""

from calc import engine, tier_terms
from calc.numbers import MONEY
from calc.parameters import condition_text, policy, quantity

NAME = "credit-application"
TITLE = "授信申请审查"
SECTION = "credit_application"
OUTCOME = "decision"
OUTCOME_LABELS = {"eligible": "可以授信", "ineligible": "不具备授信条件", "rejected": "不予通过"}


def _rules() -> dict:
    return policy()[SECTION]


def _terms() -> dict:
    return policy()["credit_terms"]


def _criteria() -> list[dict]:
    return [{**c, "text": condition_text(SECTION, c)} for c in _rules()["rejection_criteria"]]


def _prerequisite(field: str) -> dict:
    p = next(p for p in _rules()["prerequisites"] if p["field"] == field)
    return {**p, "text": condition_text(SECTION, p)}


def clauses() -> list[str]:
    rules = _rules()
    return list(dict.fromkeys(
        [p["clause"] for p in rules["prerequisites"]] + [c["clause"] for c in rules["rejection_criteria"]]
        + [rules["unrated"]["clause"], _terms()["min_period"]["clause"], "XY-04-5-2", "XY-04-5-3",
           policy()["tier_terms"]["grade_payment_tier"]["clause"], "XY-03-19-1"]))


def _boolean(field: str, title: str) -> dict:
    p = _prerequisite(field)
    return {"type": "boolean", "title": title, "description": p["text"], "x-clause": p["clause"]}


def schema() -> dict:
    criteria = _criteria()
    sales = _rules()["min_monthly_sales"]
    grade = _prerequisite("credit_grade")
    marks = "、".join(f"（{c['item_mark']}）" for c in criteria)
    return engine.form(
        __name__,
        required=["licensed", "monthly_sales", "good_reputation"],
        properties={
            "licensed": _boolean("licensed", "持有营业执照的正规企业"),
            "monthly_sales": {
                "type": "number", **MONEY, "title": "月销售额", "x-clause": sales["clause"], "x-unit": "元",
                "description": f"客户在本公司的月销售额（新客户按预计月采购额），单位元；"
                               f"须达到{quantity(sales)}{sales['bound']}"},
            "good_reputation": _boolean("good_reputation", "业内声誉良好"),
            "credit_grade": {
                "type": ["string", "null"], "enum": ["A", "B", "C", None], "default": None,
                "title": "信用等级", "x-clause": grade["clause"],
                "x-labels": {"A": "A级", "B": "B级", "C": "C级"},
                "description": grade["text"] + "；尚未评定的留空（未评定的客户不具备授信条件，须先评定）"},
            "tier": {
                "type": ["string", "null"], "enum": ["A", "B", "C", "D", None], "default": None,
                "title": "客户价值分级", "x-clause": "XY-04-5-3",
                "x-labels": {t: f"{t}类" for t in "ABCD"},
                "description": "按《客户分级管理办法》（KH-02）评定的类别；付款方式已降级的，填降级后执行的类别。"
                               "信用期限不超过该类别的付款条件；留空的只按信用等级确定，审批时仍须对照价值分级"},
            "rejection_criteria": {
                "type": "array", "title": "不予通过的情形", "default": [], "uniqueItems": True,
                "description": f"客户存在的情形（可多选）；任一情形成立即不予通过，老客户取消信用。"
                               f"项号沿用来源的{marks}，其中没有（g）项",
                "items": {"type": "string", "title": "不予通过的情形", "enum": [c["code"] for c in criteria],
                          "x-labels": {c["code"]: f"（{c['item_mark']}）{c['text']}" for c in criteria},
                          "x-clauses": {c["code"]: c["clause"] for c in criteria}},
            },
            "purchase_cycle_days": {
                "type": ["integer", "null"], "minimum": 1, "default": None,
                "title": "进货周期", "x-unit": "天", "x-clause": "XY-03-19-1",
                "x-placeholder": "不填则审批时另行核对",
                "description": "客户通常两次进货之间的天数。A级客户的回款期限不超过一个进货周期（XY-03 第十九条（一）），"
                               "信用期限也不得超过它（XY-04 第五条（三））；不填的，审批时须另行核对"},
            "a_caused_by_us": {
                "type": "boolean", "default": False, "title": "情形（a）系本公司原因造成",
                "description": "情形（a）的欠款、欠货系因本公司产品质量或交货不及时等不符合合同的事项引起的，不计",
                "x-clause": next(c["clause"] for c in criteria if c["code"] == "a")},
        })


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _rejection_checks(data: dict) -> list[dict]:
    listed = set(data["rejection_criteria"])
    out = []
    for c in _criteria():
        text = f"（{c['item_mark']}）{c['text']}"
        if c["code"] == "a" and c["code"] in listed and data["a_caused_by_us"]:
            out.append(engine.exclusion(c["code"], c["clause"], None, label=c["label"],
                                        actual="存在，但系本公司原因造成，不计", text=text))
        else:
            out.append(engine.exclusion(c["code"], c["clause"], c["code"] in listed, label=c["label"], text=text))
    return out


def _prerequisite_checks(data: dict) -> list[dict]:
    rules = _rules()
    out = []
    for field in ("licensed", "good_reputation"):
        p = _prerequisite(field)
        out.append(engine.requirement(p["id"], p["clause"], data[field], label=p["label"],
                                      actual=_yes(data[field]), required="是", text=p["text"]))
    p = _prerequisite("monthly_sales")
    minimum = rules["min_monthly_sales"]
    # 1万以上 includes 10,000 itself.
    out.append(engine.requirement(p["id"], p["clause"], data["monthly_sales"] >= minimum["value"],
                                  label=p["label"], actual=data["monthly_sales"],
                                  required=f"≥ {quantity(minimum)}", text=p["text"]))
    p = _prerequisite("credit_grade")
    grade = data["credit_grade"]
    unrated = rules["unrated"]
    # Not yet rated is not a pass: XY-03 第二条 forbids credit dealings with an unrated customer.
    out.append(engine.requirement(
        p["id"], p["clause"], grade in p["allowed_grades"], label=p["label"],
        actual=f"{grade}级" if grade else unrated["label"],
        required="、".join(p["allowed_grades"]) + "级",
        text=p["text"] if grade else f"{p['text']}；{unrated['text']}（XY-03 第二条）"))
    out.sort(key=lambda c: c["id"])
    return out


def _period_check(data: dict, applies: bool) -> tuple[dict, dict | None]:
    """The credit period the customer may get: XY-04 第五条's range, no longer than its grade
    and its value tier allow (the stricter of the two, 第五条（三）, KH-02 第十七条)."""
    terms = _terms()
    low, high = terms["min_period"], terms["max_period"]
    label = terms["label"]
    if not applies:
        return engine.info("period", "XY-04-5-3", label=label, actual="不给信用期限",
                           text="不予通过或不具备授信条件的，不给信用期限"), None
    grade, tier = data["credit_grade"], data["tier"]
    pay = tier_terms.stricter_payment_tier(tier or "A", grade)
    cap = tier_terms.max_days(pay)
    basis = f"信用等级{grade}级" + (f"、价值分级{tier}类" if tier else "（价值分级未填写，审批时还须对照其付款条件）")

    def too_short(actual: str, required: str, why: str):
        # XY-04 第五条（二）: a period shorter than the floor is no credit period: cash.
        return engine.requirement(
            "period", "XY-04-5-3", False, label=label, actual=actual, required=required,
            text=f"按{basis}，{why}；不足{quantity(low)}的不给信用期限，现款现货（XY-04 第五条（二））"), None

    if cap < low["value"]:
        return too_short(f"{pay}类付款方式：{tier_terms.method_label(pay)}", f"允许{quantity(low)}以上的远期付款",
                         f"付款方式为{tier_terms.method_label(pay)}，不允许远期付款")
    top = min(cap, high["value"])
    cycle = data.get("purchase_cycle_days")
    # XY-03 第十九条（一）: A's collection period is at most one purchase cycle; B's policy is
    # stricter than A's in every respect, so its period cannot exceed that bound either.
    if cycle is not None and cycle < top:
        top = cycle
        basis += f"、进货周期{cycle}天（回款期限不超过一个进货周期，XY-03 第十九条（一））"
    if top < low["value"]:
        return too_short(f"进货周期{cycle}天", f"允许{quantity(low)}以上的信用期限", f"信用期限不得超过{top}天")
    span = f"{quantity(low)}" if top == low["value"] else f"{quantity(low)}至{top}{high['unit']}"
    # A term, not a test: shown as an information line.
    return engine.info(
        "period", "XY-04-5-3", label=label, actual=span,
        required=f"{quantity(low)}至{quantity(high)}，且不超过信用等级和价值分级所允许的期限",
        text=f"按{basis}，信用期限为{span}"
             + ("；A级客户的回款期限还不得超过一个进货周期（XY-03 第十九条（一）），未填进货周期的，审批时须核对"
                if cycle is None else "") + ("，按产品利润率在此范围内确定（XY-04 第五条（二））"
                                                  if top > low["value"] else "")), \
        {"min": low["value"], "max": top}


def evaluate(data: dict) -> dict:
    rules = _rules()
    exclusions = _rejection_checks(data)
    prerequisites = _prerequisite_checks(data)
    rejected = engine.failed(exclusions)
    missing = engine.failed(prerequisites)

    period_check, period = _period_check(data, not rejected and not missing)
    checks = prerequisites + [period_check] + exclusions
    if rejected:
        decision = "rejected"
        marks = "、".join(f"（{next(c['item_mark'] for c in _criteria() if c['code'] == r['id'])}）" for r in rejected)
        headline = "不予通过"
        reason = f"存在XY-04 第八条所列不予通过的情形{marks}，信用申请不予通过；已授信的老客户取消信用"
        next_step = "已授信的，按XY-04 第十六条（二）停止赊销，信用取消后一律现款现货或先款后货"
    elif missing:
        decision = "ineligible"
        if data["credit_grade"] is None:
            headline = f"不具备授信条件：{rules['unrated']['label']}"
            next_step = rules["unrated"]["next_step"]
        else:
            headline = "不具备授信条件"
            next_step = "具备全部授信条件后，方可按XY-04 第七条重新申请"
        reason = "不具备授信条件：" + "；".join(f"{c['label']}（{c['actual']}）" for c in missing)
        if data["credit_grade"] is None:
            reason += f"。{rules['unrated']['text']}（XY-03 第二条），授信须为A级或B级（XY-04 第六条（四））"
    elif period is None:
        decision = "ineligible"
        short_cycle = period_check["actual"].startswith("进货周期")
        headline = "不具备授信条件：" + ("进货周期短于信用期限下限" if short_cycle else "付款方式不允许远期付款")
        reason = period_check["text"]
        next_step = "按现款现货或款到发货交易"
    else:
        decision = "eligible"
        headline = f"可以授信，信用期限{period_check['actual']}"
        reason = f"授信条件全部具备，无不予通过的情形；{period_check['text']}"
        next_step = "按XY-04 第十条审批，签订合作协议并登记后生效"
    return engine.result(__name__, decision, headline=headline, reason=reason, checks=checks,
                         credit_period_days=period, next_step=next_step)

