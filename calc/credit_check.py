"""订单信用自动检查 (XY-05): the five check rules of 第十二条 for one order, the decision
(pass / block) and, for a blocked order, who may release it (第十七条) on what grounds
(第十八条). Thresholds may be overridden for what-if checks."""

from calc.checks import check
from calc.errors import InputError
from calc.numbers import MONEY, exact, shown
from calc.parameters import condition_text, document, policy, quantity, roster

NAME = "credit-check"
TITLE = "订单信用自动检查"
OUTCOME = "decision"
OUTCOME_LABELS = {"pass": "通过", "block": "冻结"}
_THRESHOLDS = ("max_document_value_new", "max_overdue_share", "max_oldest_overdue_days", "max_dunning_level")


def _rules() -> dict:
    return policy()["credit_check"]


def _rule(id_: str) -> dict:
    return next(r for r in _rules()["rules"] if r["id"] == id_)


def clauses() -> list[str]:
    return [r["clause"] for r in _rules()["rules"]] + [c["clause"] for c in _rules()["risk_categories"]] \
        + ["XY-05-17", "XY-05-18"]


def _money(title: str, description: str, clause: str, nullable: bool = False, default=None) -> dict:
    prop = {"type": ["number", "null"] if nullable else "number", **MONEY, "title": title,
            "description": description, "x-clause": clause, "x-unit": "元"}
    if default is not None or nullable:
        prop["default"] = default
    return prop


def schema() -> dict:
    r = _rules()
    r1 = _rule("r1")["clause"]
    threshold_props = {}
    for key in _THRESHOLDS:
        p = r[key]
        threshold_props[key] = {"type": "number", "minimum": 0, "maximum": MONEY["maximum"], "title": p["description"].split("（")[0].split("：")[0],
                                "description": f"{p['description']}（手册规定 {quantity(p)}）",
                                "x-clause": p["clause"], "x-unit": p["unit"]}
    threshold_props["max_overdue_share"]["description"] += "；以小数表示，如 0.1 即 10%"
    threshold_props["max_overdue_share"]["maximum"] = 1
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False,
        "required": ["credit_limit", "receivables", "open_orders", "order_value", "risk_category"],
        "properties": {
            "credit_limit": _money("信用额度", "客户在信用控制区的信用额度；未设额度的留空（JSON 中为 null）", r1, nullable=True),
            "receivables": _money("应收账款余额", "已开票未收的货款余额（已扣除未核销的收款、预收款）", r1),
            "open_orders": _money("未清订单金额", f"计划交货日在{quantity(r['dynamic_horizon_months'])}信用展望期内的未清订单金额", r1),
            "open_deliveries": _money("已交货未开票金额", "已创建交货、尚未开票的金额", r1, default=0),
            "order_value": _money("本单金额", "本张订单的含税总额", r1),
            "risk_category": {"type": "string", "enum": [c["code"] for c in r["risk_categories"]],
                              "title": "风险类别", "description": "新客户为 N，其他客户为其风险类别",
                              "x-clause": r["risk_categories"][0]["clause"],
                              "x-labels": {c["code"]: c["text"] for c in r["risk_categories"]}},
            "overdue_amount": _money("逾期未清项金额", "已过到期日仍未清的金额", _rule("r3")["clause"], default=0),
            "oldest_overdue_days": {"type": "integer", "minimum": 0, "default": 0, "title": "最长逾期天数",
                                    "description": "账龄最长的逾期未清项已逾期的自然日数",
                                    "x-clause": _rule("r4")["clause"], "x-unit": "天"},
            "dunning_level": {"type": "integer", "minimum": 0, "default": 0, "title": "催款级别",
                              "description": "客户未清项已达到的最高催款级别（已发催款通知次数）",
                              "x-clause": _rule("r5")["clause"], "x-unit": "次"},
            "key_account": {"type": "boolean", "default": False, "title": "大客户",
                            "description": "客户是否为大客户（冻结订单由大客户信用经理放行）", "x-clause": "XY-05-17"},
            "thresholds": {"type": "object", "additionalProperties": False, "default": {},
                           "title": "阈值（试算用）", "description": "覆盖手册阈值，仅用于试算", "properties": threshold_props},
        },
    }


def _limits(overrides: dict) -> dict:
    r = _rules()
    limits = {k: exact(r[k]["value"]) for k in _THRESHOLDS}
    limits["max_overdue_share"] /= 100  # the handbook states a percentage; the input is a fraction
    limits.update({k: exact(v) for k, v in overrides.items()})
    return limits


def evaluate(data: dict) -> dict:
    r = _rules()
    limits = _limits(data["thresholds"])
    category = data["risk_category"]
    limit = data["credit_limit"]
    if category == "X3" and limit not in (None, 0):
        raise InputError("credit_limit", "风险类别X3的客户不予赊销，信用额度应为0或留空")
    exposure = sum(exact(data[k]) for k in ("receivables", "open_orders", "open_deliveries", "order_value"))
    checks = []

    r1 = _rule("r1")
    if limit is None:
        checks.append(check("r1", r1["clause"], None, "未设信用额度", "—", "信用额度检查：未设信用额度，本项不适用"))
    else:
        # 不得超过: exposure equal to the limit passes.
        checks.append(check("r1", r1["clause"], exposure <= exact(limit), shown(exposure), f"≤ {limit}",
                            f"信用风险敞口 {shown(exposure)} 元，信用额度 {limit} 元"))
    r2 = _rule("r2")
    if category == "N" and limit is None:
        cap = limits["max_document_value_new"]
        checks.append(check("r2", r2["clause"], exact(data["order_value"]) <= cap, data["order_value"],
                            f"≤ {shown(cap)}", f"新客户未设信用额度，本单金额 {data['order_value']} 元"))
    else:
        checks.append(check("r2", r2["clause"], None, category, "仅适用于未设额度的新客户",
                            "新客户单笔订单金额检查：本项不适用"))
    r3 = _rule("r3")
    if exact(data["receivables"]) > 0:
        share = exact(data["overdue_amount"]) / exact(data["receivables"])
        checks.append(check("r3", r3["clause"], share <= limits["max_overdue_share"], f"{shown(share * 100)}%",
                            f"≤ {shown(limits['max_overdue_share'] * 100)}%",
                            f"逾期未清项占应收账款 {shown(share * 100)}%"))
    else:
        checks.append(check("r3", r3["clause"], True, "0%", f"≤ {shown(limits['max_overdue_share'] * 100)}%",
                            "应收账款余额为零，逾期比例检查视为通过"))
    for rid, field, unit, word in (("r4", "oldest_overdue_days", "天", "最长逾期"),
                                   ("r5", "dunning_level", "次", "催款级别")):
        rule, key = _rule(rid), _rule(rid)["limit"]
        checks.append(check(rid, rule["clause"], exact(data[field]) <= limits[key], data[field],
                            f"≤ {shown(limits[key])} {unit}", f"{word} {data[field]} {unit}"))
    failed = [c["id"] for c in checks if c["status"] == "fail"]
    release = _release(data, failed) if failed else None
    return {
        "calculator": NAME,
        "policy": document(r["document"]),
        "decision": "block" if failed else "pass",
        "exposure": shown(exposure),
        "failed_rules": failed,
        "release": release,
        "reason": ("全部适用的检查项通过，订单进入正常处理" if not failed else
                   "未通过：" + "、".join(condition_text("credit_check", _rule(i)).split("：")[0] for i in failed)
                   + "；订单冻结，放行前视为未被接受"),
        "checks": checks,
    }


def _release(data: dict, failed: list[str]) -> dict:
    """Who may release a blocked order (XY-05 第十七条) and on what ground (第十八条)."""
    names = roster()
    category = data["risk_category"]
    if data["key_account"]:
        role = "key_account_credit_manager"
    elif category in ("X3", "N") or "r1" in failed:
        role = "credit_manager"
    else:
        role = "credit_officer"
    if category == "X3":
        ground = "风险类别X3的客户不予赊销：货款收妥（现款现货或先款后货）后方可放行，不得例外放行"
    elif "r2" in failed:
        ground = "客户预付超出上限部分的货款，或已核定信用额度且订单通过信用额度检查后放行"
    elif "r1" in failed:
        ground = "须已取得超出额度交易的批准、调高信用额度，或客户已预付超出额度部分的货款"
    else:
        ground = "冻结原因消除（付款到账等）后重新检查通过放行；未消除的，须客户书面确认付款计划，由信用经理或大客户信用经理例外放行"
    return {"role": role, "by": names[role], "clause": "XY-05-17", "ground": ground, "ground_clause": "XY-05-18"}
