"""信用管理目标: the year's credit sales share, contract performance rate, bad-debt rate
and overdue rate against the targets of XY-01 第十二条, computed as XY-01 第十三条 says.
Each target names its indicator; each indicator names its input fields and what it is when
the denominator is zero (policy.toml [credit_kpi])."""

from fractions import Fraction

from calc import engine
from calc.errors import InputError
from calc.numbers import MONEY, exact, percent, percent_text, shown
from calc.parameters import Rules, condition_text, policy, quantity

NAME = "credit-kpi"
TITLE = "信用管理目标考核"
SECTION = "credit_kpi"
OUTCOME = "decision"
# not_assessed: every denominator is zero (no sales, no contracts due, no receivables), so
# there is nothing to measure and no verdict (a year with no business has not "met" its targets).
OUTCOME_LABELS = {"met": "达标", "missed": "未达标", "not_assessed": "不考核"}

# Money or a count of contracts, by input field.
_COUNTS = {"contracts_total", "contracts_performed"}


def _indicators(section: dict) -> dict:
    return {i["id"]: i for i in section["indicators"]}


def clauses() -> list[str]:
    rules = policy()[SECTION]
    return ([t["clause"] for t in rules["targets"]] + [i["clause"] for i in rules["indicators"]]
            + sorted({i["when_zero_clause"] for i in rules["indicators"]}))


def _inputs() -> dict:
    """Input field -> (title, description, clause), from the indicators that use it."""
    out = {}
    for ind in policy()[SECTION]["indicators"]:
        for part in ("numerator", "denominator"):
            out.setdefault(ind[f"{part}_field"], (ind[f"{part}_title"], ind[part], ind["clause"]))
    return out


def _title(field: str) -> str:
    return _inputs()[field][0]


def _amount(field: str) -> dict:
    title, description, clause = _inputs()[field]
    if field in _COUNTS:
        return {"type": "integer", "minimum": 0, "maximum": MONEY["maximum"], "title": title,
                "description": description, "x-clause": clause, "x-unit": "份"}
    return {"type": "number", **MONEY, "title": title, "description": description,
            "x-clause": clause, "x-unit": "元"}


def schema() -> dict:
    order = ["credit_sales", "total_sales", "contracts_total", "contracts_performed",
             "bad_debt", "overdue", "receivables"]
    return engine.form(__name__, required=order, properties={f: _amount(f) for f in order})


def _consistent(data: dict, section: dict) -> None:
    """Parts may not exceed their whole (XY-01 第十三条 defines them as parts; 第十四条（三）
    counts a bad debt as overdue too)."""
    pairs = [(i["numerator_field"], i["denominator_field"]) for i in section["indicators"]]
    pairs.insert(2, ("bad_debt", "overdue"))
    for part, whole in pairs:
        if exact(data[part]) > exact(data[whole]):
            raise InputError(part, f"不能大于{_title(whole)}（{data[part]} > {data[whole]}）", _title(part))


def evaluate(data: dict, all_rules: Rules) -> dict:
    rules = all_rules[SECTION]
    _consistent(data, rules)
    indicators = _indicators(rules)
    checks, values = [], {}
    for target in rules["targets"]:
        ind = indicators[target["indicator"]]
        lo = rules[target["min"]] if "min" in target else None
        hi = rules[target["max"]] if "max" in target else None
        required = "，".join(x for x in (
            f"≥ {quantity(lo)}" if lo else "", f"≤ {quantity(hi)}" if hi else "") if x)
        label = target["label"]
        if exact(data[ind["denominator_field"]]) == 0:
            if ind["when_zero"] != "zero":
                # Nothing to measure (e.g. no contract fell due): not assessed this period.
                values[ind["id"]] = None
                checks.append(engine.requirement(
                    target["id"], target["clause"], None, label=label, actual="不考核", required=required,
                    text=f"{label}：{ind['denominator_title']}为零，该期不考核"))
                continue
            rate = exact(0)
        else:
            rate = percent(data[ind["numerator_field"]], data[ind["denominator_field"]])
        bounds = [exact(p["value"]) for p in (lo, hi) if p]
        text, places = percent_text(rate, bounds)
        note = (f"{ind['denominator_title']}为零，按零计" if exact(data[ind["denominator_field"]]) == 0
                else f"{ind['name']} {text}")
        values[ind["id"]] = shown(rate, max(places, 4))
        # 以上/以下 include the limit itself.
        ok = (lo is None or rate >= exact(lo["value"])) and (hi is None or rate <= exact(hi["value"]))
        checks.append(engine.requirement(target["id"], target["clause"], ok, label=label,
                                         actual=text, required=required,
                                         text=f"{label}：{condition_text(SECTION, target, all_rules)}；{note}"))
    missed = [c for c in checks if c["status"] == engine.FAIL]
    skipped = [c["label"] for c in checks if c["status"] == engine.NA]
    # Measured on data: a target whose denominator is not zero (a zero receivables balance
    # counts as a zero rate, 第十三条, but measures nothing on its own).
    measured = [t for t in rules["targets"] if exact(data[indicators[t["indicator"]]["denominator_field"]]) != 0]
    if missed:
        decision, headline = "missed", "年度目标未达标"
        reason = "未达到：" + "、".join(c["label"] for c in missed)
    elif not measured:
        decision, headline = "not_assessed", "本期无可考核的数据，不作达标判断"
        wholes = dict.fromkeys(indicators[t["indicator"]]["denominator_title"] for t in rules["targets"])
        reason = f"{'、'.join(wholes)}均为零，各项目标都没有可考核的数据"
    else:
        decision = "met"
        headline = "年度目标达标" + (f"（{'、'.join(skipped)}不考核）" if skipped else "")
        reason = "考核的年度目标均已达到" + (f"；{'、'.join(skipped)}该期不考核" if skipped else "")
    return engine.result(__name__, decision, rules=all_rules, reason=reason, checks=checks, indicators=values,
                         headline=headline, what_would_change=_what_would_change(data, missed, rules, indicators))


def _what_would_change(data: dict, missed: list[dict], rules: dict, indicators: dict) -> dict | None:
    """For each target missed, the part (numerator) that would meet it with the whole as it
    is: at least / at most so much (contracts counted whole, money to the fen)."""
    needs = []
    for check in missed:
        target = next(t for t in rules["targets"] if t["id"] == check["id"])
        ind = indicators[target["indicator"]]
        whole, part = exact(data[ind["denominator_field"]]), exact(data[ind["numerator_field"]])
        title, unit = _title(ind["numerator_field"]), ("份" if ind["numerator_field"] in _COUNTS else "元")
        step = 1 if unit == "份" else Fraction(1, 100)
        for key, word in (("min", "至少"), ("max", "不超过")):
            if key not in target:
                continue
            bound = whole * exact(rules[target[key]]["value"]) / 100
            if (key == "min" and part >= bound) or (key == "max" and part <= bound):
                continue
            # The nearest amount on the right side of the bound: up for "at least", down for "at most".
            n = -(-bound // step) if key == "min" else bound // step
            needs.append((target["clause"], f"{title}须{word} {shown(n * step)} {unit}"
                                            f"（{ind['denominator_title']} {shown(whole)} {unit}的 {quantity(rules[target[key]])}；"
                                            f"现为 {shown(part)} {unit}）"))
    return engine.change("年度目标达标", needs)
