"""订单信用自动检查 (XY-05): the five check rules of 第十二条 for one order, applied to the
customer's risk category as 第十三条 says, the decision (pass / block) and, for a blocked
order, who may release it (第十七条) on what grounds (第十八条). Which rule applies to
which category, who releases and on what grounds are data in policy.toml [credit_check].
Thresholds may be overridden for what-if checks."""

from calc import engine
from calc.citation import cite
from calc.errors import InputError
from calc.numbers import MONEY, exact, percent_text, shown
from calc.parameters import Rules, policy, quantity, roster

NAME = "credit-check"
TITLE = "订单信用自动检查"
SECTION = "credit_check"
OUTCOME = "decision"
OUTCOME_LABELS = {"pass": "通过", "block": "冻结"}
_THRESHOLDS = ("max_document_value_new", "max_overdue_share", "max_oldest_overdue_days", "max_dunning_level")
NEW = "N"  # the category of new, not yet graded customers (XY-05 第九条（四）)


def _section(rules: Rules | None = None) -> dict:
    """This calculator's parameters: of the rules given, or of the text as it stands."""
    return (rules if rules is not None else policy())[SECTION]


def _rule(id_: str, rules: Rules | None = None) -> dict:
    return next(r for r in _section(rules)["rules"] if r["id"] == id_)


def _category(code: str, rules: Rules | None = None) -> dict:
    return next(c for c in _section(rules)["risk_categories"] if c["code"] == code)


def _no_credit(code: str, rules: Rules | None = None) -> bool:
    """A category whose credit grade gives no credit at all (X3 <- C): its limit is zero."""
    grade = _category(code, rules).get("grade")
    grades = {g["grade"]: g for g in (rules if rules is not None else policy())["credit_grade_policy"]["grades"]}
    return grade is not None and grades[grade]["credit"] == "none"


def clauses() -> list[str]:
    r = _section()
    return ([x["clause"] for x in r["rules"]] + [c["clause"] for c in r["risk_categories"]]
            + ["XY-05-13-3", "XY-05-13-4", "XY-05-13-5", "XY-03-9-1", "XY-05-17", "XY-05-18", "XY-05-10-2"]
            + sorted({x["clause"] for x in r["release_roles"] + r["release_grounds"]}))


def _money(title: str, description: str, clause: str, nullable: bool = False, default=None) -> dict:
    prop = {"type": ["number", "null"] if nullable else "number", **MONEY, "title": title,
            "description": description, "x-clause": clause, "x-unit": "元"}
    if default is not None or nullable:
        prop["default"] = default
    return prop


def _threshold_fields() -> dict:
    r = _section()
    props = {}
    for key in _THRESHOLDS:
        p = r[key]
        props[key] = {"type": "number", "minimum": 0, "maximum": MONEY["maximum"], "title": p["label"],
                      "description": f"{p['description']}（手册规定 {quantity(p)}）",
                      "x-clause": p["clause"], "x-unit": p["unit"]}
    share = r["max_overdue_share"]
    # The original field takes a fraction (kept for staff automation); the percent field
    # says what the label says. Either may be given; both must agree.
    props["max_overdue_share"].update({
        "title": f"{share['label']}（小数）", "maximum": 1, "x-unit": "",
        "description": f"{share['description']}；以小数表示，如 0.1 即 10%（手册规定 {quantity(share)}）。"
                       "也可改填下一栏的百分数"})
    props["max_overdue_share_percent"] = {
        "type": "number", "minimum": 0, "maximum": 100, "title": share["label"],
        "description": f"{share['description']}；以百分数表示，如 10 即 10%（手册规定 {quantity(share)}）",
        "x-clause": share["clause"], "x-unit": "%"}
    return props


def schema() -> dict:
    r = _section()
    r1 = _rule("r1")["clause"]
    limited = "、".join(c["code"] for c in r["risk_categories"] if c["code"] != NEW and not _no_credit(c["code"]))
    zero = "、".join(c["code"] for c in r["risk_categories"] if _no_credit(c["code"]))
    return engine.form(
        __name__,
        required=["credit_limit", "receivables", "open_orders", "order_value", "risk_category"],
        properties={
            "credit_limit": _money(
                "信用额度",
                f"客户在信用控制区经核定的信用额度。风险类别{limited}必须有额度，{zero}为0；"
                f"只有新客户（{NEW}）可以尚未核定额度，此时不填。"
                f"X类别客户在系统中没有额度的，不填，按主数据差错冻结（{cite(r['missing_limit']['clause'])}）",
                r1, nullable=True)
            # x-cli: for the JSON interface only (--schema); the form never shows it.
            | {"x-placeholder": f"按系统中的额度填（{zero}为0）；没有额度的不填", "x-cli": "不填：JSON 中为 null"},
            # 第十四条（一）、（六）: receipts and prepayments are deducted, so the balance may be
            # negative (先款后货); a prepaid order must not be blocked for want of a limit.
            "receivables": _money("应收账款余额", "已开票未收的货款余额（已扣除未核销的收款、预收款）；"
                                  "预收款多于未收货款的为负数", r1)
            | {"minimum": -MONEY["maximum"]},
            "open_orders": _money("未清订单金额", f"计划交货日在{quantity(r['dynamic_horizon_months'])}信用展望期内的未清订单金额", r1),
            "open_deliveries": _money("已交货未开票金额", "已创建交货、尚未开票的金额", r1, default=0),
            "order_value": _money("本单金额", "本张订单的含税总额", r1),
            "risk_category": {"type": "string", "enum": [c["code"] for c in r["risk_categories"]],
                              "title": "风险类别", "description": f"新客户为 {NEW}，其他客户为与其信用等级对应的风险类别",
                              "x-clause": r["risk_categories"][0]["clause"],
                              "x-labels": {c["code"]: c["text"] for c in r["risk_categories"]}},
            "overdue_amount": _money("逾期未清项金额", "已过到期日仍未清的金额", _rule("r3")["clause"], default=0),
            "oldest_overdue_days": {"type": "integer", "minimum": 0, "default": 0, "title": "最长逾期天数",
                                    "description": "账龄最长的逾期未清项已逾期的自然日数",
                                    "x-clause": _rule("r4")["clause"], "x-unit": "天"},
            "dunning_level": {"type": "integer", "minimum": 0, "default": 0, "title": "催款级别",
                              "description": "客户未清项已达到的最高催款级别（已发催款通知次数）",
                              "x-clause": _rule("r5")["clause"], "x-unit": "次"},
            "group_credit_limit": _money(
                "客户组信用额度", "客户属于客户组的，填写客户组的共同信用额度；不属于客户组的不填",
                _rule("r1g")["clause"], nullable=True) | {"x-placeholder": "不属于客户组的不填"},
            "group_other_exposure": _money(
                "客户组其他成员的信用风险敞口", "客户组内除本客户以外各成员的信用风险敞口合计（不属于客户组的不填）",
                _rule("r1g")["clause"], default=0) | {"minimum": -MONEY["maximum"]},
            "key_account": {"type": "boolean", "default": False, "title": "大客户",
                            "description": "客户是否为大客户（冻结订单由大客户信用经理放行）", "x-clause": "XY-05-17-1"},
            "thresholds": {"type": "object", "additionalProperties": False, "default": {},
                           "title": "阈值（试算用）", "description": "覆盖手册阈值，仅用于试算",
                           "properties": _threshold_fields()},
        })


def _limits(overrides: dict, rules: Rules) -> dict:
    r = _section(rules)
    limits = {k: exact(r[k]["value"]) for k in _THRESHOLDS}
    limits["max_overdue_share"] /= 100  # the handbook states a percentage; the input is a fraction
    overrides = dict(overrides)
    if "max_overdue_share_percent" in overrides:
        share = exact(overrides.pop("max_overdue_share_percent")) / 100
        if "max_overdue_share" in overrides and exact(overrides["max_overdue_share"]) != share:
            raise InputError("thresholds.max_overdue_share_percent",
                             f"与“{r['max_overdue_share']['label']}（小数）”不一致，请只填一栏",
                             f"{r['max_overdue_share']['label']}（%）")
        overrides["max_overdue_share"] = share
    limits.update({k: exact(v) for k, v in overrides.items()})
    return limits


def _check_limit(category: str, limit, rules: Rules) -> None:
    """A no-credit category (X3) has the limit zero (XY-05 第九条、第十三条（四））. An X
    customer with no limit at all is not an input error: 第十三条（四） decides that order
    (frozen as a master-data error, see evaluate)."""
    if limit not in (None, 0) and _no_credit(category, rules):
        raise InputError("credit_limit", f"风险类别{category}的客户不予赊销，信用额度应为0", "信用额度")


def applicability(rules: Rules | None = None) -> list[dict]:
    """XY-05 第十三条's table, from the same data the check reads: for each risk category,
    how each rule applies (check | n/a | check_if_limit | zero_limit | group_member)."""
    rows = []
    for cat in _section(rules)["risk_categories"]:
        code, cells = cat["code"], {}
        for rule in _section(rules)["rules"]:
            if code not in rule["applies_to"]:
                cells[rule["id"]] = "n/a"
            elif rule.get("requires_group_limit"):
                cells[rule["id"]] = "group_member"
            elif rule.get("requires_limit") and code == NEW:
                cells[rule["id"]] = "check_if_limit"
            elif rule.get("requires_limit") and _no_credit(code, rules):
                cells[rule["id"]] = "zero_limit"
            else:
                cells[rule["id"]] = "check"
        rows.append({"category": code, "cells": cells})
    return rows


def _applies(rule: dict, category: str, limit, group_limit=None) -> bool:
    return (category in rule["applies_to"] and not (rule.get("requires_limit") and limit is None)
            and not (rule.get("requires_group_limit") and group_limit is None))


def evaluate(data: dict, rules: Rules) -> dict:
    r = _section(rules)
    limits = _limits(data["thresholds"], rules)
    category, limit = data["risk_category"], data["credit_limit"]
    _check_limit(category, limit, rules)
    exposure = sum(exact(data[k]) for k in ("receivables", "open_orders", "open_deliveries", "order_value"))
    share = exact(data["overdue_amount"]) / exact(data["receivables"]) if exact(data["receivables"]) > 0 else None
    max_share = limits["max_overdue_share"]
    checks = []
    # XY-05 第十三条（四）: only N may lack a limit; an X customer without one is frozen.
    missing_limit = limit is None and category != NEW
    missing = r["missing_limit"]

    def rule_check(rid: str, passed, actual, required, detail: str) -> None:
        rule = _rule(rid, rules)
        if rid == "r1" and missing_limit:
            checks.append(engine.requirement(
                rid, missing["clause"], False, label=rule["label"], actual="未设信用额度",
                required="须有经核定的信用额度" + ("（为0）" if _no_credit(category, rules) else ""),
                text=f"{rule['label']}：风险类别{category}的客户在系统中没有信用额度，属于主数据差错，"
                     f"订单一律冻结（{cite(missing['clause'])}）"))
            return
        applies = _applies(rule, category, limit, data["group_credit_limit"])
        if not applies:
            why = ("不属于客户组" if rule.get("requires_group_limit") and data["group_credit_limit"] is None
                   else "未设信用额度" if category in rule["applies_to"] else f"不适用于风险类别{category}")
            checks.append(engine.requirement(rid, rule["clause"], None, label=rule["label"], actual="—",
                                             required=required, text=f"{rule['label']}：{why}，本项不适用"))
            return
        checks.append(engine.requirement(rid, rule["clause"], passed, label=rule["label"], actual=actual,
                                         required=required, text=f"{rule['label']}：{detail}"))

    # 不得超过: a value equal to its limit passes (XY-05 第十二条).
    rule_check("r1", limit is not None and exposure <= exact(limit), shown(exposure),
               f"≤ {limit} 元" if limit is not None else "—",
               f"信用风险敞口 {shown(exposure)} 元，信用额度 {limit} 元")
    group_limit = data["group_credit_limit"]
    group_exposure = exposure + exact(data["group_other_exposure"])
    rule_check("r1g", group_limit is not None and group_exposure <= exact(group_limit), shown(group_exposure),
               f"≤ {group_limit} 元" if group_limit is not None else "—",
               f"客户组信用风险敞口合计 {shown(group_exposure)} 元，客户组信用额度 {group_limit} 元")
    cap = limits["max_document_value_new"]
    rule_check("r2", exact(data["order_value"]) <= cap, data["order_value"], f"≤ {shown(cap)} 元",
               f"新客户本单金额 {data['order_value']} 元")
    if share is None:
        # XY-05 第十四条（六）: a zero or negative balance -> the share check passes.
        zero = exact(data["receivables"]) == 0
        rule_check("r3", True, "0%" if zero else "—", f"≤ {shown(max_share * 100)}%",
                   f"应收账款余额为{'零' if zero else '负数'}，逾期比例检查视为通过")
    else:
        text, _ = percent_text(share * 100, [max_share * 100])
        rule_check("r3", share <= max_share, text, f"≤ {shown(max_share * 100)}%",
                   f"逾期未清项占应收账款 {text}")
    for rid, field, unit, word in (("r4", "oldest_overdue_days", "天", "最长逾期"),
                                   ("r5", "dunning_level", "次", "催款级别")):
        bound = limits[_rule(rid, rules)["limit"]]
        rule_check(rid, exact(data[field]) <= bound, data[field], f"≤ {shown(bound)} {unit}",
                   f"{word} {data[field]} {unit}")

    master_data_issue = None
    if missing_limit:
        keeper = _master_data_role(data, rules)
        master_data_issue = (f"风险类别{category}的客户在系统中没有信用额度，属于主数据差错：订单一律冻结，"
                             f"由{keeper['by']}按{cite(keeper['role_clause'])}补录"
                             + ("信用额度（为0）" if _no_credit(category, rules) else "经XY-04核定的信用额度")
                             + "后重新检查")
    if category == NEW:
        checks.append(engine.info(
            "new_customer_terms", "XY-05-13-5", label="新客户的交易方式",
            text="新客户的交易方式：尚未评定信用等级，通过检查只表示订单可按现款现货或先款后货进入交货处理，不给予赊销",
            actual="现款现货或先款后货"))
        if limit is not None:
            master_data_issue = (f"风险类别{NEW}的客户已有信用额度，而信用额度在信用等级评定之后核定，"
                                 f"评定后应由{roster()['credit_manager']}改设为对应的X类别；改设前仍按{NEW}检查")
            checks.append(engine.info("master_data", "XY-05-13-4", label="主数据待更正",
                                      text=f"主数据待更正：{master_data_issue}", actual="已有信用额度"))

    failed = [c["id"] for c in engine.failed(checks)]
    release = (_master_data_release(data, rules) if missing_limit else _release(data, failed, rules)) if failed else None
    if missing_limit:
        decision = "block"
        reason = (f"{master_data_issue}（{cite(missing['clause'])}）；"
                  + ("其他未通过的检查：" + "、".join(_rule(i, rules)["label"] + "检查" for i in failed if i != "r1") + "；"
                     if len(failed) > 1 else "")
                  + "补录额度前订单视为未被接受")
        headline = f"冻结（主数据差错：{category}客户未设信用额度），由{release['by']}补录额度后重新检查"
    elif failed:
        decision = "block"
        reason = ("未通过：" + "、".join(_rule(i, rules)["label"] + "检查" for i in failed)
                  + "；订单冻结，放行前视为未被接受")
        headline = f"冻结，由{release['by']}审核放行"
    else:
        decision = "pass"
        reason = "全部适用的检查项通过，订单进入正常处理"
        headline = "通过"
        if category == NEW:
            reason += "；新客户只可现款现货或先款后货，不给予赊销"
            headline = "通过（现款现货或先款后货）"
    return engine.result(__name__, decision, rules=rules, headline=headline, reason=reason, checks=checks,
                         exposure=shown(exposure), failed_rules=failed, release=release,
                         overdue_share=None if share is None else shown(share * 100, 6),
                         master_data_issue=master_data_issue,
                         what_would_change=_what_would_change(data, failed, exposure, limits, missing_limit, rules))


def _fen_up(x) -> str:
    """An amount rounded up to the fen: paying this much is enough, a fen less is not."""
    fen = -(-exact(x) * 100 // 1)
    return f"{shown(exact(fen) / 100)}"


def _what_would_change(data: dict, failed: list[str], exposure, limits: dict, missing_limit: bool,
                       rules: Rules) -> dict | None:
    """For a frozen order, what each failed check needs to pass: by how much the exposure,
    the order or the overdue items exceed the rule (exact, rounded up to the fen), or the
    limit to be entered. Computed from the same numbers as the check."""
    needs = []
    for rid in failed:
        rule = _rule(rid, rules)
        if rid == "r1" and missing_limit:
            needs.append((_section(rules)["missing_limit"]["clause"],
                          f"补录信用额度（由负责该客户主数据的信用代表组按{cite('XY-05-10-2')}录入）后重新检查"))
        elif rid == "r1":
            excess = exposure - exact(data["credit_limit"])
            needs.append((rule["clause"], f"信用风险敞口须不超过信用额度 {data['credit_limit']} 元：现超出 {_fen_up(excess)} 元"
                                          f"（客户回款、减少本单或未清订单，或按{cite('XY-03-20-2')}取得超额批准）"))
        elif rid == "r1g":
            excess = exposure + exact(data["group_other_exposure"]) - exact(data["group_credit_limit"])
            needs.append((rule["clause"], f"客户组信用风险敞口合计须不超过客户组信用额度 {data['group_credit_limit']} 元："
                                          f"现超出 {_fen_up(excess)} 元"))
        elif rid == "r2":
            excess = exact(data["order_value"]) - limits["max_document_value_new"]
            needs.append((rule["clause"], f"本单金额须不超过新客户单笔上限 {shown(limits['max_document_value_new'])} 元："
                                          f"现超出 {_fen_up(excess)} 元（客户预付超出部分即可放行，{cite('XY-05-18-5')}）"))
        elif rid == "r3":
            # Paying x of the overdue items lowers both: (O − x) ÷ (R − x) ≤ s  ⇔  x ≥ (O − sR) ÷ (1 − s).
            s, o, rec = limits["max_overdue_share"], exact(data["overdue_amount"]), exact(data["receivables"])
            pay = (o - s * rec) / (1 - s) if s < 1 else o
            needs.append((rule["clause"], f"逾期未清项须不超过应收账款的 {shown(s * 100)}%：客户须至少付清逾期款 "
                                          f"{_fen_up(pay)} 元"))
        elif rid == "r4":
            bound = limits[rule["limit"]]
            needs.append((rule["clause"], f"最长逾期天数须不超过 {shown(bound)} 天（现为 {data['oldest_overdue_days']} 天）："
                                          f"须收回逾期超过 {shown(bound)} 天的未清项"))
        elif rid == "r5":
            bound = limits[rule["limit"]]
            needs.append((rule["clause"], f"催款级别须不超过 {shown(bound)} 次（现为 {data['dunning_level']} 次）："
                                          "须收回已催款的未清项"))
    return engine.change("通过", needs)


def _matches(entry: dict, data: dict, failed: list[str]) -> bool:
    if "key_account" in entry and data["key_account"] != entry["key_account"]:
        return False
    if "categories" in entry and data["risk_category"] not in entry["categories"]:
        return False
    if "failed_any" in entry and not set(failed) & set(entry["failed_any"]):
        return False
    if "failed_only" in entry and not set(failed) <= set(entry["failed_only"]):
        return False
    return True


def _master_data_role(data: dict, rules: Rules) -> dict:
    """Who keeps this customer's credit master data (XY-05 第十条（二））."""
    entry = next(e for e in _section(rules)["master_data_roles"] if _matches(e, data, []))
    return {"role": entry["role"], "by": roster()[entry["role"]], "role_clause": entry["clause"]}


def _master_data_release(data: dict, rules: Rules) -> dict:
    """A frozen order of an X customer without a limit: the keeper of its master data enters
    the limit, the order is checked again, and released on 第十八条（一）."""
    r, names = _section(rules), roster()
    missing = r["missing_limit"]
    ground = next(g for g in r["release_grounds"] if g["clause"] == missing["ground_clause"])
    grounds = [{"clause": ground["clause"], "text": ground["text"].format(**names)}]
    keeper = _master_data_role(data, rules)
    return {"role": keeper["role"], "by": keeper["by"], "clause": missing["clause"],
            "role_clause": keeper["role_clause"], "ground": grounds[0]["text"],
            "ground_clause": "XY-05-18", "grounds": grounds}


def _release(data: dict, failed: list[str], rules: Rules) -> dict:
    """Who may release a blocked order (XY-05 第十七条) and on what grounds (第十八条)."""
    r, names = _section(rules), roster()
    role = next(e for e in r["release_roles"] if _matches(e, data, failed))
    grounds = [g for g in r["release_grounds"] if _matches(g, data, failed)]
    only = [g for g in grounds if g.get("only")]
    grounds = [{"clause": g["clause"], "text": g["text"].format(**names)} for g in (only[:1] or grounds)]
    return {"role": role["role"], "by": names[role["role"]], "clause": "XY-05-17", "role_clause": role["clause"],
            "ground": "；".join(g["text"] for g in grounds), "ground_clause": "XY-05-18", "grounds": grounds}
