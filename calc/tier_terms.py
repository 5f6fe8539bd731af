"""分级商务条款 (KH-02): price floor, payment terms (one tier lower after repeated late
payment in a quarter), lead time and rush orders for a customer's value tier."""

from calc.checks import check
from calc.parameters import document, policy, quantity

NAME = "tier-terms"
TITLE = "分级商务条款"
OUTCOME = "payment_tier"
_RUSH = {"allowed": "允许插单", "case_by_case": "由订单部视生产状况决定", "not_accepted": "不接受插单"}


def _rules() -> dict:
    return policy()["tier_terms"]


def clauses() -> list[str]:
    r = _rules()
    out = [r["min_price_factor"][t]["clause"] for t in r["payment_order"]]
    out += [r["payment_method"][t]["clause"] for t in r["payment_order"]]
    out += [r["lead_time_days"][t]["clause"] for t in r["lead_time_days"]]
    return list(dict.fromkeys(out + [r["late_payments_downgrade"]["clause"], r["rush_orders"]["clause"],
                                     r["d_orders"]["clause"]]))


def schema() -> dict:
    r = _rules()
    late = r["late_payments_downgrade"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False, "required": ["tier"],
        "properties": {
            "tier": {"type": "string", "enum": r["payment_order"], "title": "客户价值分级",
                     "description": "按《客户分级管理办法》年度分级评定的类别（A、B、C、D）",
                     "x-clause": r["min_price_factor"]["A"]["clause"]},
            "late_payments_quarter": {
                "type": "integer", "minimum": 0, "default": 0, "title": "本季度未按付款条件付款次数",
                "description": f"同一季度内达到{quantity(late)}{late['bound']}的，付款方式降低一级",
                "x-clause": late["clause"], "x-unit": "次"},
        },
    }


def evaluate(data: dict) -> dict:
    r = _rules()
    order = r["payment_order"]
    tier, late = data["tier"], data["late_payments_quarter"]
    downgrade = r["late_payments_downgrade"]
    # 两次（含）以上: the threshold itself triggers the downgrade; D is the floor.
    lowered = late >= downgrade["value"]
    payment_tier = order[min(order.index(tier) + (1 if lowered else 0), len(order) - 1)]
    method = r["payment_method"][payment_tier]
    days = r["max_payment_days"][payment_tier]["value"] or None
    price = r["min_price_factor"][tier]
    lead = r["lead_time_days"].get(tier)
    rush = r["rush_orders"][tier]
    checks = [
        check("price", price["clause"], True, tier, f"≥ 内控价格 × {price['value']}",
              f"成交价格不低于内控价格的{price['value']}倍"),
        check("late_payments", downgrade["clause"], not lowered, late, f"< {downgrade['value']} 次",
              f"本季度未按付款条件付款 {late} 次" + ("，付款方式降低一级" if lowered else "")),
        check("payment", method["clause"], True, payment_tier, method["code"],
              f"付款方式按{payment_tier}类：{method['text']}"
              + (f"（最长{days}天）" if days else "")),
        check("lead_time", lead["clause"] if lead else r["d_orders"]["clause"], True,
              lead["value"] if lead else None, quantity(lead) + "以内" if lead else "逐单约定",
              f"常规订单交期{quantity(lead)}以内" if lead else r["d_orders"]["text"]),
        check("rush", r["rush_orders"]["clause"], True, rush, _RUSH[rush], f"加急订单：{_RUSH[rush]}"),
    ]
    return {
        "calculator": NAME,
        "policy": document(r["document"]),
        "tier": tier,
        "min_price_factor": price["value"],
        "payment_tier": payment_tier,
        "payment_method": method["code"],
        "deferred_payment_allowed": method["code"] in ("deferred", "cod_or_deferred"),
        "prepayment_required": method["code"] == "prepayment",
        "max_payment_days": days,
        "lead_time_days": lead["value"] if lead else None,
        "rush_orders": rush,
        "reason": f"{tier}类客户" + (f"，因本季度{late}次未按期付款，付款方式按{payment_tier}类执行" if lowered else ""),
        "checks": checks,
    }
