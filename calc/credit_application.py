"""授信申请审查 (XY-04): a criterion of 第八条 that counts rejects the application;
otherwise a prerequisite of 第六条 not met makes the customer ineligible (a customer not yet
rated is never eligible: XY-03 第二条); otherwise it is eligible for a credit period within
第五条, limited by the stricter of its credit grade and its value tier (第五条（三）) and, for
grades A and B, by one purchase cycle (第五条（四）). A blank grade means not yet rated and a
blank tier not yet tiered (a new customer, managed as tier C: KH-02 第十二条（一）), the same
reading of a blank as in tier-terms. An application of the large-credit amount also needs
the XY-06 rating (XY-04 第十条（一）)."""

from calc import engine, tier_terms
from calc.citation import cite
from calc.numbers import MONEY, exact, shown
from calc.parameters import Rules, condition_text, policy, quantity, roster

NAME = "credit-application"
TITLE = "授信申请审查"
SECTION = "credit_application"
OUTCOME = "decision"
OUTCOME_LABELS = {"eligible": "可以授信", "ineligible": "不具备授信条件", "rejected": "不予通过"}


def _terms(rules: Rules) -> dict:
    return rules["credit_terms"]


def _untiered(rules: Rules) -> dict:
    """What a blank tier means: not yet tiered, managed as the provisional tier (KH-02 第十二条)."""
    return rules["tiering"]["provisional"]


def _grade_policy(grade: str | None, rules: Rules) -> dict | None:
    return next((g for g in rules["credit_grade_policy"]["grades"] if g["grade"] == grade), None)


def _large_credit(rules: Rules) -> dict:
    return rules["entity_rating"]["large_credit_limit"]


def _large_credit_yuan(rules: Rules) -> int:
    """XY-06 第七条（四） states the standard in 万元."""
    param = _large_credit(rules)
    return param["value"] * (10_000 if param["unit"] == "万元" else 1)


def _criteria(rules: Rules) -> list[dict]:
    return [{**c, "text": condition_text(SECTION, c, rules)} for c in rules[SECTION]["rejection_criteria"]]


def _prerequisite(field: str, rules: Rules) -> dict:
    p = next(p for p in rules[SECTION]["prerequisites"] if p["field"] == field)
    return {**p, "text": condition_text(SECTION, p, rules)}


def clauses() -> list[str]:
    now = policy()
    rules = now[SECTION]
    return list(dict.fromkeys(
        [p["clause"] for p in rules["prerequisites"]] + [c["clause"] for c in rules["rejection_criteria"]]
        + [rules["unrated"]["clause"], _terms(now)["min_period"]["clause"], "XY-04-5-2", "XY-04-5-3",
           _terms(now)["short_cycle"]["clause"], now["tier_terms"]["grade_payment_tier"]["clause"],
           "XY-03-19-1", "XY-03-19-2", _untiered(now)["clause"], _untiered(now)["approval_clause"],
           _large_credit(now)["clause"], "XY-04-10-1", "XY-04-5-5", "XY-06-12"]
        + [m["clause"] for m in now["tier_terms"]["payment_method"].values()]))


def _boolean(field: str, title: str) -> dict:
    p = _prerequisite(field, policy())
    return {"type": "boolean", "title": title, "description": p["text"], "x-clause": p["clause"]}


def schema() -> dict:
    now = policy()
    criteria = _criteria(now)
    sales = now[SECTION]["min_monthly_sales"]
    grade = _prerequisite("credit_grade", now)
    unrated, untiered = now[SECTION]["unrated"], _untiered(now)
    approver = roster()[untiered["approver"]]
    large = _large_credit(now)
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
                "x-null-label": f"{unrated['label']}（不具备授信条件）",
                "description": grade["text"] + f"；留空即{unrated['label']}：未评定的客户不具备授信条件，须先评定"},
            "tier": {
                "type": ["string", "null"], "enum": ["A", "B", "C", "D", None], "default": None,
                "title": "客户价值分级", "x-clause": "XY-04-5-3",
                "x-labels": {t: f"{t}类" for t in "ABCD"},
                "x-null-label": f"{untiered['label']}（新成交客户，按{untiered['tier']}类管理）",
                "description": "按《客户分级管理办法》（KH-02）评定的类别；付款方式已降级的，填降级后执行的类别；"
                               f"新成交客户经{approver}批准暂按{untiered['approved_tier']}类管理的，填{untiered['approved_tier']}类。"
                               f"信用期限不超过该类别的付款条件。留空即{untiered['label']}：{untiered['text']}"},
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
                "description": "客户通常两次进货之间的天数。A级、B级客户的回款期限不超过一个进货周期（XY-03 第十九条），"
                               "信用期限也不得超过它；进货周期短于信用期限下限的，信用期限为一个进货周期（XY-04 第五条（四））。"
                               "不填的，审批时须另行核对"},
            "requested_limit": {
                "type": ["number", "null"], **MONEY, "default": None,
                "title": "申请的信用额度", "x-unit": "元", "x-clause": large["clause"],
                "x-placeholder": "可不填；达到大额授信标准的须附法人客户信用评级",
                "description": f"申请建立或调整后的信用额度，单位元（可不填）。达到{quantity(large)}{large['bound']}的为大额授信，"
                               "须按《法人客户信用评级办法》（XY-06）评级，评级表随申请一并报审批"},
            "a_caused_by_us": {
                "type": "boolean", "default": False, "title": "情形（a）系本公司原因造成",
                "description": "情形（a）的欠款、欠货系因本公司产品质量或交货不及时等不符合合同的事项引起的，不计",
                "x-clause": next(c["clause"] for c in criteria if c["code"] == "a")},
        })


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _rejection_checks(data: dict, rules: Rules) -> list[dict]:
    listed = set(data["rejection_criteria"])
    # (a)–(f) are XY-03's C situations item by item (XY-04 第九条（一））: the customer is to be
    # re-rated C as well.
    c_situations = {c["id"]: c for c in rules["credit_grade"]["c_conditions"]}
    out = []
    for c in _criteria(rules):
        text = f"（{c['item_mark']}）{c['text']}"
        if c.get("grade_condition") and c["code"] in listed:
            text += f"；出现此情形的客户同时应重评为C级（{cite(c_situations[c['grade_condition']]['clause'])}）"
        if c["code"] == "a" and c["code"] in listed and data["a_caused_by_us"]:
            out.append(engine.exclusion(c["code"], c["clause"], None, label=c["label"],
                                        actual="存在，但系本公司原因造成，不计", text=text))
        else:
            out.append(engine.exclusion(c["code"], c["clause"], c["code"] in listed, label=c["label"], text=text))
    return out


def _prerequisite_checks(data: dict, all_rules: Rules) -> list[dict]:
    rules = all_rules[SECTION]
    out = []
    for field in ("licensed", "good_reputation"):
        p = _prerequisite(field, all_rules)
        out.append(engine.requirement(p["id"], p["clause"], data[field], label=p["label"],
                                      actual=_yes(data[field]), required="是", text=p["text"]))
    p = _prerequisite("monthly_sales", all_rules)
    minimum = rules["min_monthly_sales"]
    # 1万以上 includes 10,000 itself.
    out.append(engine.requirement(p["id"], p["clause"], data["monthly_sales"] >= minimum["value"],
                                  label=p["label"], actual=data["monthly_sales"],
                                  required=f"≥ {quantity(minimum)}", text=p["text"]))
    p = _prerequisite("credit_grade", all_rules)
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


def _tier_of(data: dict, rules: Rules) -> tuple[str, bool]:
    """The tier the application is judged on, and whether it was left blank (not yet tiered:
    the provisional tier of KH-02 第十二条（一））."""
    return (data["tier"], False) if data["tier"] else (_untiered(rules)["tier"], True)


def _tier_check(data: dict, rules: Rules) -> dict:
    """What the tier field was taken to mean: a blank is stated, never silently filled in."""
    tier, blank = _tier_of(data, rules)
    untiered = _untiered(rules)
    if blank:
        return engine.info("tier", untiered["clause"], label="客户价值分级", actual=untiered["label"],
                           required=f"按{tier}类管理",
                           text=f"价值分级未填，按{untiered['label']}处理：{untiered['text']}")
    return engine.info("tier", "XY-04-5-3", label="客户价值分级", actual=f"{tier}类",
                       text=f"按价值分级{tier}类的付款条件确定信用期限上限")


def _period_check(data: dict, applies: bool, rules: Rules) -> tuple[dict, dict | None]:
    """The credit period the customer may get: XY-04 第五条's range, no longer than its grade
    and its value tier allow (the stricter of the two, 第五条（三）, KH-02 第十七条), and for
    grades A and B no longer than one purchase cycle, which below the floor is the period
    itself (第五条（四））."""
    terms = _terms(rules)
    low, high, short = terms["min_period"], terms["max_period"], terms["short_cycle"]
    label = terms["label"]
    if not applies:
        return engine.info("period", "XY-04-5-3", label=label, actual="不给信用期限",
                           text="不予通过或不具备授信条件的，不给信用期限"), None
    grade = data["credit_grade"]
    tier, blank = _tier_of(data, rules)
    pay = tier_terms.stricter_payment_tier(tier, grade, rules)
    cap = tier_terms.max_days(pay, rules)
    basis = f"信用等级{grade}级、" + (f"{_untiered(rules)['label']}（按{tier}类管理）" if blank else f"价值分级{tier}类")

    if cap < low["value"]:
        # KH-02 第十五条: this payment level allows no deferred payment at all: cash.
        return engine.requirement(
            "period", "XY-04-5-3", False, label=label, actual=f"{pay}类付款方式：{tier_terms.method_label(pay, rules)}",
            required=f"允许{quantity(low)}以上的远期付款",
            text=f"按{basis}，付款方式为{tier_terms.method_label(pay, rules)}，不允许远期付款，不给信用期限"
                 f"（{cite('XY-04-5-3')}），现款现货或款到发货"), None
    top = min(cap, high["value"])
    cycle = data.get("purchase_cycle_days")
    bound = _grade_policy(grade, rules)
    # XY-03 第十九条: an A or B customer's collection period is at most one purchase cycle.
    bounded = bound is not None and "max_collection_period" in bound
    notes = []
    if bounded and cycle is not None and cycle < top:
        top = cycle
        basis += f"、进货周期{cycle}天（回款期限不超过一个进货周期，{cite(bound['clause'])}）"
        if cycle < low["value"]:
            notes.append(f"进货周期短于信用期限下限{quantity(low)}，信用期限为一个进货周期（{cite(short['clause'])}）")
    start = min(low["value"], top)
    span = f"{top}{high['unit']}" if start == top else f"{start}至{top}{high['unit']}"
    if bounded and cycle is None:
        notes.append(f"{grade}级客户的信用期限还不得超过一个进货周期（{cite(bound['clause'])}），"
                     "未填进货周期的，审批时须核对")
    if top > start:
        notes.append(f"按产品利润率在此范围内确定（{cite('XY-04-5-2')}）")
    # A term, not a test: shown as an information line.
    return engine.info(
        "period", "XY-04-5-3", label=label, actual=span,
        required=f"{quantity(low)}至{quantity(high)}，且不超过信用等级和价值分级所允许的期限",
        text=f"按{basis}，信用期限为{span}" + "".join(f"；{n}" for n in notes)), \
        {"min": start, "max": top}


def _large_credit_check(data: dict, rules: Rules) -> dict | None:
    """XY-04 第十条（一）、XY-06 第七条（二）（四）: an application of the large-credit amount
    goes to the approver with the customer's XY-06 rating."""
    amount = data.get("requested_limit")
    if amount is None:
        return None
    param = _large_credit(rules)
    large = exact(amount) >= _large_credit_yuan(rules)   # 以上 includes the standard itself
    return engine.info(
        "large_credit", param["clause"], label=param["label"], actual=f"{shown(exact(amount))}元",
        required=f"{quantity(param)}{param['bound']}为大额授信",
        text=(f"申请的信用额度达到{quantity(param)}{param['bound']}，为大额授信：须按《法人客户信用评级办法》（XY-06）"
              f"评定信用级别，《法人客户信用评级表》随信用申请一并报审批（{cite('XY-04-10-1')}、{cite(param['clause'])}）")
        if large else f"申请的信用额度不到{quantity(param)}，不属于大额授信，无须XY-06评级")


def _new_customer_step(data: dict, rules: Rules) -> str | None:
    """A blank tier: the way a new customer gets a first credit period (KH-02 第十二条（二））."""
    tier, blank = _tier_of(data, rules)
    untiered = _untiered(rules)
    if not blank:
        return None
    return (f"新成交客户资信和预期交易规模明显较好的，可在信用申请中一并申请暂按{untiered['approved_tier']}类管理"
            f"（{cite(untiered['approval_clause'])}、{cite('XY-04-5-5')}），经{roster()[untiered['approver']]}批准后，"
            f"在“客户价值分级”中选{untiered['approved_tier']}类重新审查")


def evaluate(data: dict, all_rules: Rules) -> dict:
    rules = all_rules[SECTION]
    exclusions = _rejection_checks(data, all_rules)
    prerequisites = _prerequisite_checks(data, all_rules)
    rejected = engine.failed(exclusions)
    missing = engine.failed(prerequisites)

    period_check, period = _period_check(data, not rejected and not missing, all_rules)
    large = _large_credit_check(data, all_rules) if period else None
    checks = prerequisites + [_tier_check(data, all_rules), period_check] + ([large] if large else []) + exclusions
    if rejected:
        decision = "rejected"
        marks = "、".join(f"（{next(c['item_mark'] for c in _criteria(all_rules) if c['code'] == r['id'])}）" for r in rejected)
        headline = f"不予通过：存在情形{marks}"
        reason = f"存在{cite('XY-04-8')}所列不予通过的情形{marks}，信用申请不予通过；已授信的老客户取消信用"
        next_step = f"已授信的，按{cite('XY-04-16-2')}停止赊销，信用取消后一律现款现货或先款后货"
    elif missing:
        decision = "ineligible"
        # The headline names what is missing; the reason says what each requires.
        headline = "不具备授信条件：" + "、".join(
            rules["unrated"]["label"] if c["id"] == "p4" and data["credit_grade"] is None
            else f"{c['label']}（{c['actual']}{'元' if c['id'] == 'p2' else ''}）" for c in missing)
        texts = {p["id"]: condition_text(SECTION, p, all_rules) for p in rules["prerequisites"]}
        reason = (f"授信须同时具备{cite('XY-04-6')}的条件，未具备：" +
                  "；".join(f"{texts[c['id']]}（{cite(c['clause'])}）" for c in missing))
        if data["credit_grade"] is None:
            reason += f"。{rules['unrated']['text']}（{cite('XY-03-2')}）"
            next_step = rules["unrated"]["next_step"]
        else:
            next_step = f"具备全部授信条件后，方可按{cite('XY-04-7')}重新申请"
    elif period is None:
        decision = "ineligible"
        tier, blank = _tier_of(data, all_rules)
        headline = ("不具备授信条件：" + (f"{_untiered(all_rules)['label']}，按{tier}类管理，不给远期付款" if blank
                                          and tier_terms.stricter_payment_tier(tier, data["credit_grade"], all_rules) == tier
                                          else "付款方式不允许远期付款"))
        reason = period_check["text"]
        next_step = _new_customer_step(data, all_rules) or "按现款现货或款到发货交易"
    else:
        decision = "eligible"
        headline = f"可以授信，信用期限{period_check['actual']}"
        reason = f"授信条件全部具备，无不予通过的情形；{period_check['text']}"
        next_step = f"按{cite('XY-04-10')}审批，签订合作协议并登记后生效"
        if large and large["text"].startswith("申请的信用额度达到"):
            headline += "（大额授信，须附XY-06评级）"
            next_step = f"按{cite('XY-06-12')}评定信用级别后，连同《法人客户信用评级表》" + next_step
    return engine.result(__name__, decision, rules=all_rules, headline=headline, reason=reason, checks=checks,
                         credit_period_days=period, next_step=next_step,
                         what_would_change=_what_would_change(data, rejected, missing, period_check, period,
                                                              all_rules))


def _what_would_change(data: dict, rejected: list, missing: list, period_check: dict, period,
                       rules: Rules) -> dict | None:
    """Everything between this application and 可以授信: the 第八条 situations present, the
    第六条 conditions missing, and a value tier that allows no deferred payment."""
    if period is not None:
        return None
    marks = {c["code"]: c["item_mark"] for c in rules[SECTION]["rejection_criteria"]}
    texts = {p["id"]: condition_text(SECTION, p, rules) for p in rules[SECTION]["prerequisites"]}
    needs = [(c["clause"], f"不得存在情形（{marks[c['id']]}）{c['label']}") for c in rejected]
    needs += [(c["clause"], f"须{texts[c['id']]}（现为{c['actual']}{'元' if c['id'] == 'p2' else ''}）")
              for c in missing]
    if not rejected and not missing:   # the conditions hold: the payment terms refuse a credit period
        tier, blank = _tier_of(data, rules)
        untiered = _untiered(rules)
        by_grade = rules["tier_terms"]["grade_payment_tier"][data["credit_grade"]]
        if blank:
            needs.append((untiered["approval_clause"],
                          f"经{roster()[untiered['approver']]}批准暂按{untiered['approved_tier']}类管理"
                          f"（现为{untiered['label']}，按{tier}类管理）"))
        elif tier_terms.stricter_payment_tier(tier, data["credit_grade"], rules) == tier:
            needs.append((rules["tier_terms"]["payment_method"][tier]["clause"], f"价值分级（含降级后）须为允许远期付款的A类或B类（现为{tier}类，{tier_terms.method_label(tier, rules)}）"))
        else:
            needs.append((rules["tier_terms"]["grade_payment_tier"]["clause"],
                          f"信用等级须允许远期付款（现为{data['credit_grade']}级，最宽按{by_grade}类）"))
    return engine.change("可以授信", needs)
