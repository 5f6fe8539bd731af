"""Decision tables of the credit calculators (XY-01, XY-03, XY-04, XY-05), from the rule
data each calculator reads in calc/policy.toml and, where one exists, the calculator's own
helper (tier_terms.stricter_payment_tier, credit_check.applicability), so that a table and
an answer cannot disagree."""

from calc import credit_check as order_check
from calc import tier_terms
from calc.citation import chinese_number
from calc.parameters import Rules, condition_text, quantity
from handbook import roster
from handbook.bands import Band, BandSet, Edge
from handbook.decisions.model import ANY, FIRST, UNIQUE, Row, Table, cell


def _article(clause: str) -> str:
    """XY-03-4-1 -> XY-03-4."""
    return clause.rsplit("-", 1)[0] if clause.count("-") == 3 else clause


def _edge(param: dict, word: str | None = None) -> Edge:
    return Edge(param["value"], word or param["bound"], param.get("unit", ""))


def _mark(item: dict) -> str:
    """（一）, or a lettered item's own letter: （a）."""
    return f"（{item.get('item_mark') or chinese_number(int(item['clause'].rsplit('-', 1)[1]))}）"


# --- 客户信用等级评定 (XY-03 第四条至第七条) ---------------------------------------------

def credit_grade(rules: Rules) -> list[Table]:
    r = rules["credit_grade"]
    a_conds = [{**c, "text": condition_text("credit_grade", c, rules)} for c in r["a_conditions"]]
    c_conds = [{**c, "text": condition_text("credit_grade", c, rules)} for c in r["c_conditions"]]
    a_article, c_article = _article(a_conds[0]["clause"]), _article(c_conds[0]["clause"])
    b_article = "XY-03-6"   # 第六条: B is neither (the calculator cites it too)
    grade = Table(
        "grade", "信用等级", "信用等级由C级情形和A级条件决定", UNIQUE,
        ["C级情形", "A级条件"], ["信用等级"],
        [Row([cell("出现任一项", c_article), ANY, cell("C级", c_article)], {"c": True}, {"grade": "C"}),
         Row([cell("均未出现", c_article), cell(f"{len(a_conds)}项全部具备", a_article), cell("A级", a_article)],
             {"c": False, "a": True}, {"grade": "A"}),
         Row([cell("均未出现", c_article), cell("至少一项不具备", b_article), cell("B级", b_article)],
             {"c": False, "a": False}, {"grade": "B"})])

    years, defaults = r["min_cooperation_years"], r["max_defaults_for_a"]
    rows = []
    for c in a_conds:
        if c["field"] == "cooperation_years":
            short = _edge(years).other_side()
            case = cell(f"双方业务合作{short.text()}", c["clause"])
            when = {"fail": c["id"], "cooperation_years": Band(c["label"], high=short)}
        elif c["field"] == "defaults_2y":
            over = _edge(defaults).other_side()
            case = cell(f"由客户负责的违约{over.text()}", c["clause"])
            when = {"fail": c["id"], "defaults_2y": Band(c["label"], low=over)}
        elif c.get("contradicted_by"):
            months = r["broken_promise_months"]
            case = cell(f"否；或过去{quantity(months)}内有不兑现承诺的记录（未达到经常的次数也是）",
                        c["clause"], c["contradiction_clause"])
            when = {"fail": c["id"], "contradicted_by": c["contradicted_by"]}
        else:
            case = cell("否", c["clause"])
            when = {"fail": c["id"]}
        rows.append(Row([cell(f"{_mark(c)}{c['text']}", c["clause"]), case,
                         cell("不具备A级条件", a_article)], when, {"a": False, "failed": c["id"]}))
    rows.append(Row([cell("各项"), cell("均具备"), cell("具备A级条件", a_article)], {"fail": None}, {"a": True}))
    a_table = Table("a", "A级条件", f"是否具备{len(a_conds)}项A级条件（须全部具备）", FIRST,
                    ["A级条件", "客户的情况"], ["结论"], rows)

    rows = []
    for c in c_conds:
        if c.get("field") == "defaults_2y":
            over = _edge(defaults).other_side()
            case = cell(f"由客户负责的违约{over.text()}", c["clause"])
            when = {"present": c["id"], "defaults_2y": Band(c["label"], low=over)}
        elif "count_field" in c:
            bound = r[c["count_min"]]
            case = cell(f"存在；或{c['count_title']}{_edge(bound).text()}", c["clause"], bound["clause"])
            when = {"present": c["id"], "code": c["code"], "count_field": c["count_field"],
                    "count": Band(c["label"], low=_edge(bound))}
        else:
            case = cell("存在", c["clause"])
            when = {"present": c["id"], "code": c["code"]}
        rows.append(Row([cell(f"{_mark(c)}{c['text']}", c["clause"]), case, cell("C级", c_article)],
                        when, {"grade": "C", "present": c["id"]}))
    rows.append(Row([cell("各项"), cell("均不存在"), cell("未出现C级情形", c_article)], {"present": None},
                    {"c": False}))
    c_table = Table("c", "C级情形", "是否出现C级情形（出现任一项即评为C级）", FIRST,
                    ["C级情形", "客户的情况"], ["结论"], rows)
    return [grade, a_table, c_table]


# --- 授信申请审查 (XY-04 第五条、第六条、第八条) -------------------------------------------

def _deferred(rules: Rules) -> list[str]:
    """The payment levels that allow a credit period at all (XY-04 第五条、KH-02 第十五条)."""
    low = rules["credit_terms"]["min_period"]["value"]
    return [t for t in rules["tier_terms"]["payment_order"] if tier_terms.max_days(t, rules) >= low]


def credit_application(rules: Rules) -> list[Table]:
    app, terms, tt = rules["credit_application"], rules["credit_terms"], rules["tier_terms"]
    prereq = [{**p, "text": condition_text("credit_application", p, rules)} for p in app["prerequisites"]]
    criteria = [{**c, "text": condition_text("credit_application", c, rules)} for c in app["rejection_criteria"]]
    pre_article, rej_article = _article(prereq[0]["clause"]), _article(criteria[0]["clause"])
    low = terms["min_period"]
    deferred = _deferred(rules)
    cash = [t for t in tt["payment_order"] if t not in deferred]
    stricter = tt["grade_payment_tier"]["clause"]
    period_clause = f"{_article(low['clause'])}-3"   # XY-04 第五条（三）: the stricter of grade and tier

    def levels(ts):
        return "、".join(f"{t}类（{tier_terms.method_label(t, rules)}）" for t in ts)

    decision = Table(
        "decision", "审查结论", "一份信用申请的审查结论", FIRST,
        ["不予通过的情形", "授信条件", "付款方式（价值分级与信用等级取较严者）"], ["审查结论"],
        [Row([cell("存在任一项", rej_article), ANY, ANY, cell("不予通过；已授信的取消信用", rej_article)],
             {"reject": True}, {"decision": "rejected"}),
         Row([cell("均不存在", rej_article), cell("有一项不具备（含尚未评定信用等级）", pre_article), ANY,
              cell("不具备授信条件", pre_article)], {"reject": False, "eligible": False}, {"decision": "ineligible"}),
         Row([cell("均不存在", rej_article), cell("全部具备", pre_article), cell(levels(cash), period_clause, stricter),
              cell("不具备授信条件：现款现货或款到发货", period_clause)],
             {"reject": False, "eligible": True, "deferred": False}, {"decision": "ineligible"}),
         Row([cell("均不存在", rej_article), cell("全部具备", pre_article), cell(levels(deferred), period_clause, stricter),
              cell("可以授信，信用期限见“信用期限”表", _article(low["clause"]))],
             {"reject": False, "eligible": True, "deferred": True}, {"decision": "eligible"})])

    rows = []
    for c in criteria:
        rows.append(Row([cell(f"{_mark(c)}{c['text']}", c["clause"]), cell("存在", c["clause"]),
                         cell("不予通过", rej_article)], {"reject": c["code"]}, {"decision": "rejected"}))
    rows.append(Row([cell("各项"), cell("均不存在"), cell("无不予通过的情形", rej_article)], {"reject": None},
                    {"rejected": False}))
    rejection = Table("rejection", "不予通过的情形", "是否存在不予通过的情形（存在任一项即不予通过）", FIRST,
                      ["情形", "客户的情况"], ["结论"], rows)

    sales = app["min_monthly_sales"]
    unrated = app["unrated"]
    rows = []
    for p in prereq:
        if p["field"] == "monthly_sales":
            short = _edge(sales).other_side()
            case = cell(f"{short.text()}", p["clause"])
            when = {"fail": p["id"], "monthly_sales": Band(p["label"], high=short)}
        elif p["field"] == "credit_grade":
            others = [g for g in rules["credit_grade"]["grades"] if g not in p["allowed_grades"]]
            case = cell("、".join(f"{g}级" for g in others) + f"，或{unrated['label']}", p["clause"], unrated["clause"])
            when = {"fail": p["id"], "grades": others + [None]}
        else:
            case = cell("否", p["clause"])
            when = {"fail": p["id"]}
        rows.append(Row([cell(f"{_mark(p)}{p['text']}", p["clause"]), case, cell("不具备授信条件", pre_article)],
                        when, {"decision": "ineligible", "failed": p["id"]}))
    rows.append(Row([cell("各项"), cell("均具备"), cell("具备授信条件", pre_article)], {"fail": None}, {"eligible": True}))
    prerequisites = Table("prerequisites", "授信条件", "是否具备授信条件（须同时具备）", FIRST,
                          ["授信条件", "客户的情况"], ["结论"], rows)

    return [decision, rejection, prerequisites, *_periods(rules), _large_credit(rules)]


def _periods(rules: Rules) -> list[Table]:
    """XY-04 第五条: the range of a credit period, and the period by payment level and
    purchase cycle (第五条（三）（四））, as credit_application._period_check works it out."""
    terms, tt = rules["credit_terms"], rules["tier_terms"]
    low, high, short = terms["min_period"], terms["max_period"], terms["short_cycle"]
    unit = high["unit"]
    below, within, above = (Band("不给信用期限", high=_edge(low).other_side()),
                            Band("信用期限的范围", low=_edge(low), high=_edge(high)),
                            Band("超过上限", low=_edge(high).other_side()))
    general = Table(
        "range", "信用期限的范围", "多长的信用期限可以给予", UNIQUE, ["信用期限"], ["可否给予"],
        [Row([cell(below.text(), low["clause"]),
              cell(f"不给信用期限，现款现货；A级、B级客户进货周期短于{quantity(low)}的除外，见下表", f"{_article(low['clause'])}-2",
                   short["clause"])], {"period": below}, {"allowed": False}),
         Row([cell(within.text(), low["clause"]), cell("可以给予", low["clause"])], {"period": within}, {"allowed": True}),
         Row([cell(above.text(), high["clause"]), cell("不得给予", high["clause"])], {"period": above}, {"allowed": False})],
        bands=[BandSet("信用期限的范围", "信用期限", [below, within, above], low=Edge(0, "以上", unit), whole=True)])

    allowed = next(p for p in rules["credit_application"]["prerequisites"] if p["field"] == "credit_grade")["allowed_grades"]
    grades = {g["grade"]: g for g in rules["credit_grade_policy"]["grades"]}
    cycle_bound = all("max_collection_period" in grades.get(g, {}) for g in allowed)
    rows, sets = [], []
    for pay in tt["payment_order"]:
        method = tt["payment_method"][pay]
        level = cell(f"{pay}类（{method['label']}）", method["clause"])
        cap = tier_terms.max_days(pay, rules)
        if cap < low["value"]:
            rows.append(Row([level, ANY, cell("不给信用期限", f"{_article(low['clause'])}-3", method["clause"])],
                            {"pay": pay}, {"period": None}))
            continue
        top = min(cap, high["value"])
        span = f"{low['value']}{unit}" if top == low["value"] else f"{low['value']}至{top}{unit}"
        top_clause = high["clause"] if top == high["value"] else method["clause"]
        if not cycle_bound:
            rows.append(Row([level, ANY, cell(span, low["clause"], top_clause)], {"pay": pay}, {"period": (low["value"], top)}))
            continue
        bound_clauses = [grades[g]["clause"] for g in allowed]
        short_band = Band(f"{pay}类：进货周期短于下限", high=_edge(low).other_side())
        bands = [short_band]
        rows.append(Row([level, cell("未填", *bound_clauses), cell(f"{span}（审批时核对进货周期）", low["clause"], *bound_clauses)],
                        {"pay": pay, "cycle": None}, {"period": (low["value"], top)}))
        rows.append(Row([level, cell(short_band.text(), short["clause"]), cell("一个进货周期", short["clause"])],
                        {"pay": pay, "cycle": short_band}, {"period": "cycle"}))
        if top > low["value"]:
            mid = Band(f"{pay}类：进货周期在范围内", low=_edge(low), high=Edge(top, "不满", unit))
            bands.append(mid)
            rows.append(Row([level, cell(mid.text(), *bound_clauses), cell(f"{low['value']}{unit}至一个进货周期", *bound_clauses)],
                            {"pay": pay, "cycle": mid}, {"period": (low["value"], "cycle")}))
        long_band = Band(f"{pay}类：进货周期不短于上限", low=Edge(top, "以上", unit))
        bands.append(long_band)
        rows.append(Row([level, cell(long_band.text(), *bound_clauses), cell(span, low["clause"], top_clause)],
                        {"pay": pay, "cycle": long_band}, {"period": (low["value"], top)}))
        sets.append(BandSet("信用期限", f"{pay}类的进货周期", bands, low=Edge(1, "以上", unit), whole=True))
    by_cycle = Table("period", "信用期限", "可以授信的，信用期限按付款方式（较严者）和进货周期确定", UNIQUE,
                     ["付款方式（较严者）", "进货周期"], ["信用期限"], rows, bands=sets,
                     notes=[cell("付款方式取价值分级（含降级）与信用等级二者中较严格的一个，见 KH-02 的“付款方式”表",
                                 tt["grade_payment_tier"]["clause"])])
    return [general, by_cycle]


def _large_credit(rules: Rules) -> Table:
    """XY-04 第十条（一）、XY-06 第七条（四）: a large credit needs the XY-06 rating."""
    large = rules["entity_rating"]["large_credit_limit"]
    below, over = Band("不属于大额授信", high=_edge(large).other_side()), Band("大额授信", low=_edge(large))
    return Table(
        "large", "大额授信", "申请的信用额度是否须附法人客户信用评级", UNIQUE, ["申请的信用额度"], ["法人客户信用评级"],
        [Row([cell(below.text(), large["clause"]), cell("无须评级", large["clause"])], {"limit": below}, {"large": False}),
         Row([cell(over.text(), large["clause"]), cell("大额授信：须按 XY-06 评级，评级表随申请报审批", large["clause"])],
             {"limit": over}, {"large": True})],
        notes=[cell("未填申请额度的，审查结论不涉及此项")])


# --- 订单信用自动检查 (XY-05 第九条至第十八条) ---------------------------------------------

_APPLIES = {"check": "检查", "check_if_limit": "已核定额度的检查", "zero_limit": "检查（额度为零）",
            "group_member": "属于客户组的检查"}


def credit_check(rules: Rules) -> list[Table]:
    r = rules["credit_check"]
    names = roster.names()
    categories = [c["code"] for c in r["risk_categories"]]
    x_codes = [c["code"] for c in r["risk_categories"] if c.get("grade")]
    applicability = {row["category"]: row["cells"] for row in order_check.applicability(rules)}
    rules_article = _article(r["rules"][0]["clause"])
    missing = r["missing_limit"]
    new = next(c for c in r["risk_categories"] if not c.get("grade"))

    decision = Table(
        "decision", "检查结论", "一张订单是通过还是被信用冻结", FIRST,
        ["风险类别与信用额度", "检查项"], ["结论", "处理"],
        [Row([cell(f"{'、'.join(x_codes)}且未设信用额度", missing["clause"]), ANY,
              cell("冻结（主数据差错）", missing["clause"]),
              cell("负责该客户主数据的信用代表组补录额度后重新检查", missing["clause"], r["master_data_roles"][0]["clause"])],
             {"missing_limit": True}, {"decision": "block", "master_data": True}),
         Row([ANY, cell("任一适用的检查项不通过，见“检查项”表", rules_article), cell("冻结", rules_article),
              cell("按“放行分工”表审核放行", _article(r["release_roles"][0]["clause"]))],
             {"fail": True}, {"decision": "block"}),
         Row([ANY, cell("全部适用的检查项通过", rules_article), cell("通过", rules_article),
              cell(f"风险类别{new['code']}：只可现款现货或先款后货", "XY-05-13-5")],
             {"fail": False}, {"decision": "pass"})])

    rows = []
    for rule in r["rules"]:
        by_word: dict[str, list[str]] = {}
        for code in categories:
            if applicability[code][rule["id"]] != "n/a":
                by_word.setdefault(_APPLIES[applicability[code][rule["id"]]], []).append(code)
        applies = "；".join(f"{'、'.join(codes)}：{word}" for word, codes in by_word.items())
        if "limit" in rule:
            limit = r[rule["limit"]]
            over = _edge(limit).other_side()
            what = cell(f"{limit['label'].removesuffix('上限')}{over.text()}", rule["clause"], limit["clause"])
            when = {"rule": rule["id"], "limit": rule["limit"], "over": Band(rule["label"], low=over)}
        else:
            # 第十二条（一）、第十一条（二）: the exposure may not exceed the limit; equal passes.
            group = "客户组全体成员的" if rule.get("requires_group_limit") else ""
            what = cell(f"{group}信用风险敞口超过{rule['label']}（等于的通过）", rule["clause"])
            when = {"rule": rule["id"]}
        rows.append(Row([cell(rule["label"], rule["clause"]), cell(applies, "XY-05-13-2"), what, cell("冻结", rules_article)],
                        when, {"failed": rule["id"]}))
    rows.append(Row([cell("各项"), ANY, cell("均未出现"), cell("通过", rules_article)], {"rule": None}, {"decision": "pass"}))
    checks = Table("rules", "检查项", "哪一项检查使订单冻结（任一项不通过即冻结）", FIRST,
                   ["检查项", "适用的风险类别", "不通过的情况"], ["结论"], rows,
                   notes=[cell("风险类别的含义：" + "；".join(c["text"] for c in r["risk_categories"]),
                               _article(r["risk_categories"][0]["clause"]))])

    rows = []
    for entry in r["release_roles"]:
        key = cell("是", entry["clause"]) if entry.get("key_account") else ANY
        cats = cell("、".join(entry["categories"]), entry["clause"]) if "categories" in entry else ANY
        labels = {x["id"]: x["label"] for x in r["rules"]}
        if "failed_only" in entry:
            failed = cell("只有" + "、".join(labels[i] for i in entry["failed_only"]), entry["clause"])
        elif "failed_any" in entry:
            failed = cell("含" + "或".join(labels[i] for i in entry["failed_any"]), entry["clause"])
        else:
            failed = ANY
        rows.append(Row([key, cats, failed, cell(names[entry["role"]], entry["clause"])],
                        {k: entry[k] for k in ("key_account", "categories", "failed_any", "failed_only") if k in entry},
                        {"role": entry["role"]}))
    release = Table("release", "放行分工", "被冻结的订单由谁审核放行", FIRST,
                    ["大客户", "风险类别", "未通过的检查项"], ["审核放行"], rows,
                    notes=[cell("主数据差错（未设信用额度）冻结的订单，由负责该客户主数据的信用代表组补录额度后重新检查",
                                missing["clause"], missing["ground_clause"])])
    return [decision, checks, release]


# --- 信用管理目标考核 (XY-01 第十二条、第十三条) -------------------------------------------

def credit_kpi(rules: Rules) -> list[Table]:
    k = rules["credit_kpi"]
    indicators = {i["id"]: i for i in k["indicators"]}
    article = _article(k["targets"][0]["clause"])
    decision = Table(
        "decision", "年度目标考核", "年度信用管理目标是否达标", FIRST, ["各项目标"], ["结论"],
        [Row([cell("任一项未达到", article), cell("未达标", article)], {"missed": True}, {"decision": "missed"}),
         Row([cell("各项均不考核（各项的分母均为零）", indicators[k["targets"][0]["indicator"]]["when_zero_clause"]),
              cell("不考核", indicators[k["targets"][0]["indicator"]]["when_zero_clause"])],
             {"none": True}, {"decision": "not_assessed"}),
         Row([cell("考核的各项均已达到", article), cell("达标", article)], {"met": True}, {"decision": "met"})])
    tables = [decision]
    for target in k["targets"]:
        ind = indicators[target["indicator"]]
        lo, hi = k.get(target.get("min")), k.get(target.get("max"))
        unit = (lo or hi)["unit"]
        bands = []
        if lo:
            bands.append((Band("低于下限", high=_edge(lo).other_side("低于")), False))
        bands.append((Band("达标", low=_edge(lo) if lo else None, high=_edge(hi) if hi else None), True))
        if hi:
            bands.append((Band("超过上限", low=_edge(hi).other_side()), False))
        denominator = cell("不为零", ind["clause"])
        rows = []
        if ind["when_zero"] != "zero":
            rows.append(Row([cell("为零", ind["when_zero_clause"]), ANY, cell("不考核", ind["when_zero_clause"])],
                            {"target": target["id"], "zero": True}, {"status": "n/a"}))
        for band, ok in bands:
            rows.append(Row([denominator, cell(band.text(), target["clause"]), cell("达标" if ok else "未达标", target["clause"])],
                            {"target": target["id"], "rate": band}, {"status": "ok" if ok else "fail"}))
        notes = [cell(ind["text"], ind["clause"])]
        if ind["when_zero"] == "zero":
            notes.append(cell(f"{ind['denominator_title']}为零的，{ind['name']}按零计", ind["when_zero_clause"]))
        tables.append(Table(
            f"target-{target['id']}", target["label"], f"{target['label']}是否达到年度目标", UNIQUE,
            [ind["denominator_title"], target["label"]], ["结论"], rows, notes=notes,
            bands=[BandSet(target["label"], target["label"], [b for b, _ in bands],
                           low=Edge(0, "以上", unit), high=Edge(100, "以下", unit))]))
    return tables
