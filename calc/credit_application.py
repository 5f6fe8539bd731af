"""授信申请审查 (XY-04): a criterion of 第八条 that counts rejects the application;
otherwise a failed prerequisite of 第六条 makes the customer ineligible; otherwise it is
eligible for a credit period within the range of 第五条."""

from calc.checks import check
from calc.numbers import MONEY
from calc.parameters import condition_text, document, policy, quantity

NAME = "credit-application"
TITLE = "授信申请审查"
OUTCOME = "decision"
OUTCOME_LABELS = {"eligible": "可以授信", "ineligible": "不具备授信条件", "rejected": "不予通过"}


def _rules() -> dict:
    return policy()["credit_application"]


def _criteria() -> list[dict]:
    return [{**c, "text": condition_text("credit_application", c)} for c in _rules()["rejection_criteria"]]


def _prerequisite(field: str) -> dict:
    p = next(p for p in _rules()["prerequisites"] if p["field"] == field)
    return {**p, "text": condition_text("credit_application", p)}


def clauses() -> list[str]:
    terms = policy()["credit_terms"]
    return ([p["clause"] for p in _rules()["prerequisites"]] + [c["clause"] for c in _criteria()]
            + [terms["min_period"]["clause"]])


def schema() -> dict:
    criteria = _criteria()
    sales = _rules()["min_monthly_sales"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False,
        "required": ["licensed", "monthly_sales", "good_reputation"],
        "properties": {
            "licensed": {"type": "boolean", "title": "持有营业执照的正规企业",
                         "description": _prerequisite("licensed")["text"],
                         "x-clause": _prerequisite("licensed")["clause"]},
            "monthly_sales": {"type": "number", **MONEY, "title": "月销售额",
                              "description": f"客户在本公司的月销售额（新客户按预计月采购额），单位元；须达到{quantity(sales)}{sales['bound']}",
                              "x-clause": sales["clause"], "x-unit": "元"},
            "good_reputation": {"type": "boolean", "title": "业内声誉良好",
                                "description": _prerequisite("good_reputation")["text"],
                                "x-clause": _prerequisite("good_reputation")["clause"]},
            "credit_grade": {"type": ["string", "null"], "enum": ["A", "B", "C", None], "default": None,
                             "title": "信用等级", "description": _prerequisite("credit_grade")["text"] + "（尚未评定的留空）",
                             "x-clause": _prerequisite("credit_grade")["clause"]},
            "rejection_criteria": {
                "type": "array", "title": "拒绝情形", "default": [], "uniqueItems": True,
                "description": "客户存在的情形（可多选）；任一情形成立即不予通过，老客户取消信用",
                "items": {"type": "string", "title": "拒绝情形代码", "enum": [c["code"] for c in criteria],
                          "x-labels": {c["code"]: f"（{c['label']}）{c['text']}" for c in criteria},
                          "x-clauses": {c["code"]: c["clause"] for c in criteria}},
            },
            "a_caused_by_us": {"type": "boolean", "default": False, "title": "情形a系本公司原因造成",
                               "description": "情形a的欠款、欠货系因本公司产品质量或交货不及时等不符合合同的事项引起的，不计",
                               "x-clause": next(c["clause"] for c in criteria if c["code"] == "a")},
        },
    }


def evaluate(data: dict) -> dict:
    rules, terms = _rules(), policy()["credit_terms"]
    listed = set(data["rejection_criteria"])
    checks = []
    for c in _criteria():
        if c["code"] not in listed:
            checks.append(check(c["code"], c["clause"], True, "不存在", "不存在", f"（{c['label']}）{c['text']}：不存在"))
        elif c["code"] == "a" and data["a_caused_by_us"]:
            checks.append(check(c["code"], c["clause"], None, "存在，系本公司原因", "不存在",
                                f"（{c['label']}）存在，但系本公司原因造成，不计"))
        else:
            checks.append(check(c["code"], c["clause"], False, "存在", "不存在", f"（{c['label']}）{c['text']}：存在"))
    rejected = [c for c in checks if c["status"] == "fail"]

    minimum = rules["min_monthly_sales"]["value"]
    pre = []
    for field in ("licensed", "good_reputation"):
        p = _prerequisite(field)
        pre.append(check(p["id"], p["clause"], data[field], "是" if data[field] else "否", "是",
                         f"{p['text']}：{'是' if data[field] else '否'}"))
    p = _prerequisite("monthly_sales")
    # 1万以上 includes 10,000 itself.
    pre.append(check(p["id"], p["clause"], data["monthly_sales"] >= minimum, data["monthly_sales"],
                     f"≥ {quantity(rules['min_monthly_sales'])}", f"{p['text']}：{data['monthly_sales']}元"))
    p = _prerequisite("credit_grade")
    grade = data["credit_grade"]
    pre.append(check(p["id"], p["clause"], None if grade is None else grade in p["allowed_grades"],
                     grade if grade else "未评定", "、".join(p["allowed_grades"]) + "级",
                     f"{p['text']}：{grade + '级' if grade else '尚未评定，待评定后确认'}"))
    pre.sort(key=lambda c: c["id"])
    ineligible = [c for c in pre if c["status"] == "fail"]

    period = None
    if rejected:
        decision = "rejected"
        reason = "存在拒绝情形" + "、".join(c["id"] for c in rejected) + "，信用申请不予通过（老客户取消信用）"
    elif ineligible:
        decision = "ineligible"
        reason = "不具备授信前提：" + "；".join(c["text"].split("：")[0] for c in ineligible)
    else:
        decision = "eligible"
        period = {"min": terms["min_period"]["value"], "max": terms["max_period"]["value"]}
        reason = (f"可以授信，信用期限在{quantity(terms['min_period'])}至{quantity(terms['max_period'])}之间，"
                  "按产品利润率确定；须经审批并签订协议后生效")
    return {
        "calculator": NAME,
        "policy": document(rules["document"]),
        "decision": decision,
        "credit_period_days": period,
        "reason": reason,
        "checks": pre + checks,
    }
