"""A calculator's answer handed to the form it belongs to (issue 22): the page of a result
says "填入《客户信用申请表》", and the form opens with what the calculator was given and what
it answered already written in, each value marked with the calculator, its program and the
document version that produced it (calc/form_fill.py keeps the marks in the record).

  credit-application -> 客户信用申请表 (XY-04): the inputs, grade, tier, period, the checks
  credit-grade       -> 客户信用调查评定表 (XY-02): the grading inputs, initial grade, basis
  credit-check       -> 信用冻结订单放行记录 (XY-05): a blocked order only
  customer-tiering   -> 客户分级名单 (KH-02): the ranked list, counts per tier

The values are written as staff would type them, so the form reads and checks them like
anything typed; what is for a person to decide (the release decision, its ground, the
approvals) is left blank."""

from decimal import Decimal

from calc.citation import cite
from calc.form_fill import MAX_TABLE_ROWS, NO, YES, entry_text, fields_of
from calc.parameters import policy

HANDOFFS = {"credit-application": "credit_application_form", "credit-grade": "credit_survey",
            "credit-check": "credit_release_record", "customer-tiering": "customer_tier_list"}
# Which results go to the form (the page shows the button only then): a blocked order only.
WHEN = {"credit-check": {"decision": "block"}}


def form_for(name: str, result: dict) -> str | None:
    """The form a result goes to, if any (a credit check only when the order is blocked)."""
    if any((result or {}).get(k) != v for k, v in WHEN.get(name, {}).items()):
        return None
    return HANDOFFS.get(name)


def _yn(value) -> str:
    return "" if value is None else (YES if value else NO)


def _figure(value) -> str:
    """A number as typed back: 20000, 1234567.89, 1.5 (never 1e6 or 2e4)."""
    if value is None or isinstance(value, bool):
        return ""
    d = Decimal(str(value))
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


def _shown(value) -> str:
    """A check's value as the calculators' page shows it: lists with 、, nothing as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value) or "—"
    if isinstance(value, dict):
        return "、".join(f"{k} {_shown(v)}" for k, v in value.items())
    return str(value)


def _clause(clause: str) -> str:
    marks = {c["clause"]: c.get("item_mark") for c in policy()["credit_application"]["rejection_criteria"]}
    try:
        return cite(clause, marks.get(clause))
    except ValueError:
        return clause


def _check_rows(result: dict, only_failed: bool = False) -> list[dict]:
    rows = []
    for c in result.get("checks") or []:
        if only_failed and c.get("status") != "fail":
            continue
        rows.append({"clause": _clause(c.get("clause", "")), "item": c.get("label") or c.get("text", ""),
                     "actual": _shown(c.get("actual")), "required": _shown(c.get("required")),
                     "result": c.get("verdict", "")})
    return rows


def _basis(handoff: dict) -> str:
    p = (handoff.get("result") or {}).get("policy") or {}
    program = f"，程序 {handoff['program']}" if handoff.get("program") else ""
    day = f"，按 {p['as_of']} 有效的版本计算" if p.get("as_of") else ""
    return (f"“{handoff.get('title') or handoff.get('calculator')}”计算器（{handoff.get('calculator')}{program}），"
            f"依据 {p.get('document', '?')}《{p.get('title', '')}》第 {p.get('version', '?')} 版"
            + (f"（{p['effective']} 起施行）" if p.get("effective") else "") + day)


def _options(path: str) -> dict[str, str]:
    """clause -> option text of a parameter-file list (the form's options come from it)."""
    section = path.split(".")[0]
    node = policy()
    for part in path.split("."):
        node = node[part]
    return {e["clause"]: entry_text(section, e) for e in node}


def _credit_application(read: dict, result: dict) -> dict:
    grades = {"A": "A级", "B": "B级", "C": "C级", None: "尚未评定"}
    tiers = {"A": "A类", "B": "B类", "C": "C类", "D": "D类", None: "尚未分级"}
    criteria = {c["code"]: c["clause"] for c in policy()["credit_application"]["rejection_criteria"]}
    options = _options("credit_application.rejection_criteria")
    period = result.get("credit_period_days") or {}
    out = {
        "licensed": _yn(read.get("licensed")), "monthly_sales": _figure(read.get("monthly_sales")),
        "good_reputation": _yn(read.get("good_reputation")),
        "credit_grade": grades.get(read.get("credit_grade"), ""), "tier": tiers.get(read.get("tier"), ""),
        "rejection_criteria": [options[criteria[c]] for c in read.get("rejection_criteria") or [] if c in criteria],
        "a_caused_by_us": _yn(read.get("a_caused_by_us")) if read.get("a_caused_by_us") else "",
        "purchase_cycle_days": _figure(read.get("purchase_cycle_days")),
        "requested_limit": _figure(read.get("requested_limit")),
        "review_decision": result.get("headline", ""),
        "credit_period_range": (f"{period['min']}至{period['max']}天" if period.get("min") != period.get("max")
                                else f"{period['min']}天") if period else "",
        "review_checks": _check_rows(result),
    }
    return out


def _credit_grade(read: dict, result: dict) -> dict:
    options = _options("credit_grade.c_conditions")
    flags = [options[c["clause"]] for c in result.get("checks") or []
             if c.get("kind") == "exclusion" and c.get("status") == "fail" and c.get("clause") in options]
    return {
        "cooperation_years": _figure(read.get("cooperation_years")), "defaults_2y": _figure(read.get("defaults_2y")),
        "broken_promises": _figure(read.get("broken_promises")),
        "turnover_decline_months": _figure(read.get("turnover_decline_months")),
        "lawful_and_reliable": _yn(read.get("lawful_and_reliable")), "good_operation_2y": _yn(read.get("good_operation_2y")),
        "strong_solvency": _yn(read.get("strong_solvency")), "meets_annual_targets": _yn(read.get("meets_annual_targets")),
        "red_flags": flags, "initial_grade": f"{result['grade']}级" if result.get("grade") else "",
        "grade_basis": _check_rows(result),
    }


def _credit_check(read: dict, result: dict) -> dict:
    release = result.get("release") or {}
    roles = policy()["credit_check"]["risk_categories"]
    category = read.get("risk_category")
    out = {
        "order_value": _figure(read.get("order_value")),
        "risk_category": category if any(r["code"] == category for r in roles) else "",
        "key_account": _yn(read.get("key_account")) if "key_account" in read else "",
        "exposure": _figure(result.get("exposure")), "credit_limit": _figure(read.get("credit_limit")),
        "failed_checks": [{"clause": r["clause"], "item": r["item"], "actual": r["actual"], "limit": r["required"]}
                          for r in _check_rows(result, only_failed=True)],
        "responsible": f"{release['by']}（{_clause(release.get('role_clause') or release['clause'])}）" if release.get("by") else "",
        "blocked_on": ((result.get("policy") or {}).get("as_of") or ""),
    }
    return out


def _csv_customers(text: str) -> list[dict]:
    """The ranked list as the tiering's download writes it (客户编号, 客户名称, 总分, 名次, 分级)."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    out = []
    for r in rows:
        try:
            rank = int(r.get("名次", ""))
        except ValueError:
            continue
        out.append({"id": r.get("客户编号", ""), "name": r.get("客户名称", ""), "score": r.get("总分", ""),
                    "rank": rank, "tier": r.get("分级", "")})
    return out


def _customer_tiering(read: dict, result: dict, handoff: dict) -> dict:
    customers = result.get("customers")
    if not customers and isinstance(handoff.get("csv"), str):
        customers = _csv_customers(handoff["csv"])
    customers = sorted(customers or [], key=lambda c: c.get("rank", 0))   # stable: equal ranks keep their order
    tiers = result.get("tiers") or {}
    day = (result.get("policy") or {}).get("as_of") or ""
    shown = customers[:MAX_TABLE_ROWS]
    counted = sum(v for v in tiers.values() if isinstance(v, int))
    out = {
        "year": day[:4], "participants": str(len(customers) or counted or ""),
        "count_a": str(tiers.get("A", "")), "count_b": str(tiers.get("B", "")),
        "count_c": str(tiers.get("C", "")), "count_d": str(tiers.get("D", "")),
        "customers": [{"rank": str(c.get("rank", "")), "customer_id": str(c.get("id", "")),
                       "customer_name": str(c.get("name") or ""), "score": _figure(c["score"]) if isinstance(c.get("score"), (int, float)) else str(c.get("score", "")),
                       "tier": str(c.get("tier", ""))} for c in shown],
    }
    if len(customers) > MAX_TABLE_ROWS or handoff.get("file") or not customers:
        name = handoff.get("file") or "分级结果文件"
        more = (f"；名单共 {len(customers):,} 个客户，表中列前 {MAX_TABLE_ROWS:,} 名，完整名单见该文件"
                if len(customers) > MAX_TABLE_ROWS else "；名单见该文件" if not customers else "")
        out["attachment"] = f"客户分级计算器的分级结果（{name}）{more}"
    return out


_MAPS = {"credit-application": (_credit_application, "review_basis"), "credit-grade": (_credit_grade, "calc_basis"),
         "credit-check": (_credit_check, "check_basis"), "customer-tiering": (_customer_tiering, "tiering_basis")}


def prefill(spec: dict, handoff: dict) -> dict:
    """{"raw": the form's values as typed, "sources": {field: where the value came from}} for
    the form `spec` from a calculator's answer; {"error"} when the answer is not this form's."""
    name = handoff.get("calculator")
    result = handoff.get("result") if isinstance(handoff.get("result"), dict) else {}
    if name not in _MAPS:
        return {"error": "计算结果来自未知的计算器，无法填入表单"}
    target = form_for(name, result)
    if target != spec.get("id"):
        return {"error": f"该计算结果不能填入《{spec.get('name')}》"
                         + ("（订单未被冻结，不需要放行记录）" if name == "credit-check" else "")}
    read = result.get("form_input") if isinstance(result.get("form_input"), dict) else {}
    mapper, basis_field = _MAPS[name]
    values = mapper(read, result, handoff) if name == "customer-tiering" else mapper(read, result)
    values[basis_field] = _basis(handoff)
    ids = {f["id"] for f in fields_of(spec)}
    raw = {k: v for k, v in values.items() if k in ids and v not in ("", [], None)}
    p = result.get("policy") or {}
    source = {"calculator": name, "title": handoff.get("title") or name, "program": handoff.get("program", ""),
              "document": p.get("document", ""), "version": p.get("version", ""), "effective": p.get("effective", ""),
              "as_of": p.get("as_of", ""), "at": handoff.get("at", "")}
    return {"raw": raw, "sources": {k: {**source, "value": v} for k, v in raw.items()},
            "basis": values[basis_field]}
