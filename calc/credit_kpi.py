"""信用管理目标: the year's credit sales share, contract performance rate, bad-debt rate
and overdue rate against the targets of XY-01 第十二条, computed as XY-01 第十三条 says."""

from calc.checks import check
from calc.errors import InputError
from calc.numbers import MONEY, exact, percent, shown
from calc.parameters import condition_text, document, policy, quantity

NAME = "credit-kpi"
TITLE = "信用管理目标考核"
OUTCOME = "decision"
OUTCOME_LABELS = {"met": "达标", "missed": "未达标"}

# indicator id -> (numerator field, denominator field)
_FIELDS = {
    "credit_sales_share": ("credit_sales", "total_sales"),
    "contract_performance": ("contracts_performed", "contracts_total"),
    "bad_debt_rate": ("bad_debt", "receivables"),
    "overdue_rate": ("overdue", "receivables"),
}


def _rules() -> dict:
    return policy()["credit_kpi"]


def clauses() -> list[str]:
    rules = _rules()
    return [t["clause"] for t in rules["targets"]] + [i["clause"] for i in rules["indicators"]]


def _amount(title: str, description: str, clause: str, unit: str = "元", integer: bool = False) -> dict:
    bounds = {"minimum": 0, "maximum": MONEY["maximum"]} if integer else MONEY
    return {"type": "integer" if integer else "number", **bounds, "title": title,
            "description": description, "x-clause": clause, "x-unit": unit}


def schema() -> dict:
    ind = {i["id"]: i for i in _rules()["indicators"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False,
        "required": ["credit_sales", "total_sales", "contracts_total", "contracts_performed",
                     "bad_debt", "overdue", "receivables"],
        "properties": {
            "credit_sales": _amount("信用销售额", ind["credit_sales_share"]["numerator"], ind["credit_sales_share"]["clause"]),
            "total_sales": _amount("销售总额", ind["credit_sales_share"]["denominator"], ind["credit_sales_share"]["clause"]),
            "contracts_total": _amount("合同总数", ind["contract_performance"]["denominator"],
                                       ind["contract_performance"]["clause"], "份", True),
            "contracts_performed": _amount("履约合同数", ind["contract_performance"]["numerator"],
                                           ind["contract_performance"]["clause"], "份", True),
            "bad_debt": _amount("坏账金额", ind["bad_debt_rate"]["numerator"], ind["bad_debt_rate"]["clause"]),
            "overdue": _amount("逾期账款金额", ind["overdue_rate"]["numerator"], ind["overdue_rate"]["clause"]),
            "receivables": _amount("应收账款余额", ind["overdue_rate"]["denominator"], ind["overdue_rate"]["clause"]),
        },
    }


def _consistent(data: dict) -> None:
    """Parts may not exceed their whole (XY-01 第十三条 defines them as parts)."""
    for part, whole in (("credit_sales", "total_sales"), ("contracts_performed", "contracts_total"),
                        ("bad_debt", "overdue"), ("overdue", "receivables")):
        if exact(data[part]) > exact(data[whole]):
            raise InputError(part, f"不能大于 {whole}（{data[part]} > {data[whole]}）")


def evaluate(data: dict) -> dict:
    _consistent(data)
    rules = _rules()
    indicators = {i["id"]: i for i in rules["indicators"]}
    checks, values = [], {}
    for target in rules["targets"]:
        num_field, den_field = _FIELDS[target["indicator"]]
        ind = indicators[target["indicator"]]
        lo = rules[target["min"]] if "min" in target else None
        hi = rules[target["max"]] if "max" in target else None
        required = "，".join(x for x in (
            f"≥ {quantity(lo)}" if lo else "", f"≤ {quantity(hi)}" if hi else "") if x)
        if exact(data[den_field]) == 0:
            # Nothing to measure (e.g. no contract fell due): the target does not apply.
            values[target["indicator"]] = None
            checks.append(check(target["id"], target["clause"], None, None, required,
                                f"{ind['name']}：{den_field} 为 0，无法计算，本项不适用"))
            continue
        rate = percent(data[num_field], data[den_field])
        values[target["indicator"]] = shown(rate, 4)
        # 以上/以下 include the limit itself.
        ok = (lo is None or rate >= exact(lo["value"])) and (hi is None or rate <= exact(hi["value"]))
        checks.append(check(target["id"], target["clause"], ok, f"{shown(rate)}%", required,
                            f"{condition_text('credit_kpi', target)}：{ind['name']} {shown(rate)}%"))
    missed = [c for c in checks if c["status"] == "fail"]
    decision = "missed" if missed else "met"
    return {
        "calculator": NAME,
        "policy": document(rules["document"]),
        "decision": decision,
        "indicators": values,
        "reason": ("全部适用的年度目标均已达到" if not missed
                   else "未达到：" + "、".join(indicators[c["id"]]["name"] for c in missed)),
        "checks": checks,
    }
