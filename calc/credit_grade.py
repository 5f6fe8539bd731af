"""客户信用等级评定: A when every A condition holds and no C situation is present, C when
any C situation is present, B otherwise (XY-03 第四条至第六条). The conditions, their
number and the input answering each (`field`) are data in policy.toml [credit_grade]."""

from calc import engine
from calc.citation import cite
from calc.errors import InputError
from calc.parameters import Rules, condition_text, policy, quantity

NAME = "credit-grade"
TITLE = "客户信用等级评定"
SECTION = "credit_grade"
OUTCOME = "grade"
OUTCOME_LABELS = {"A": "A级", "B": "B级", "C": "C级"}
_COUNTED = ("cooperation_years", "defaults_2y")  # the A conditions answered by a number


def _conditions(kind: str, p: Rules | None = None) -> list[dict]:
    """The A conditions or C situations with their {parameter} references filled in."""
    p = p if p is not None else policy()
    return [{**c, "text": condition_text(SECTION, c, p)} for c in p[SECTION][kind]]


def clauses() -> list[str]:
    rules = policy()[SECTION]
    return [c["clause"] for c in rules["a_conditions"] + rules["c_conditions"]] + ["XY-03-6"]


def schema() -> dict:
    rules = policy()[SECTION]
    years = rules["min_cooperation_years"]
    lookback = rules["lookback_years"]
    flags = [c for c in _conditions("c_conditions") if "code" in c]

    # A conditions answered yes or no: one checkbox each, in the order of 第四条.
    booleans = {c["field"]: {"type": "boolean", "title": c["label"], "description": c["text"],
                             "x-clause": c["clause"]}
                for c in _conditions("a_conditions") if c["field"] not in _COUNTED}

    # C situations that may also be answered by a count (XY-03 第七条（四）、（五）).
    counts = {}
    for c in flags:
        if "count_field" in c:
            bound = rules[c["count_min"]]
            counts[c["count_field"]] = engine.field(
                bound, c["count_title"],
                f"{c['text']}。填写的，达到{engine.requirement_text(bound)}即出现此情形"
                + "".join(f"；有1次以上的，不符合A级条件“{a['label']}”" for a in rules["a_conditions"]
                          if a.get("contradicted_by") == c["count_field"])
                + "；不填的，按下面所选的C级情形判断",
                type_=["integer", "null"], default=None,
                **{"x-clause": c["clause"], "x-placeholder": "不填则按所选的C级情形判断"})

    return engine.form(
        __name__,
        required=[c["field"] for c in rules["a_conditions"]],
        properties={
            "cooperation_years": engine.field(
                years, "双方业务合作年限",
                f"与本公司发生业务往来的年数，单位{years['unit']}；"
                f"A级要求{engine.requirement_text(years)}"),
            "defaults_2y": engine.field(
                lookback, f"过去{quantity(lookback)}内违约次数",
                f"过去{quantity(lookback)}内与本公司合作中由客户负责的不良欠款、"
                "欠货或其他严重违约行为的次数（因本公司原因造成的不计）",
                type_="integer", **{"x-unit": "次"}),
            **booleans,
            **counts,
            "red_flags": {
                "type": "array", "title": "C级情形", "default": [], "uniqueItems": True,
                "description": "客户存在的其他C级情形（可多选），任一项即评为C级",
                "items": {
                    "type": "string", "title": "C级情形",
                    "enum": [c["code"] for c in flags],
                    "x-labels": {c["code"]: c["text"] for c in flags},
                    "x-clauses": {c["code"]: c["clause"] for c in flags},
                },
            },
        })


def _yes(value: bool) -> str:
    return "是" if value else "否"


def evaluate(data: dict, p: Rules) -> dict:
    rules = p[SECTION]
    min_years = rules["min_cooperation_years"]["value"]
    max_defaults = rules["max_defaults_for_a"]["value"]
    defaults = data["defaults_2y"]
    flags = set(data["red_flags"])

    a_checks = []
    for cond in _conditions("a_conditions", p):
        field, value = cond["field"], data[cond["field"]]
        if field == "cooperation_years":
            # 一年或以上: the bound includes the number itself.
            unit = rules["min_cooperation_years"]["unit"]
            passed, actual, required = value >= min_years, value, f"≥ {min_years} {unit}"
        elif field == "defaults_2y":
            unit = rules["max_defaults_for_a"]["unit"]
            passed, actual, required = value <= max_defaults, value, f"≤ {max_defaults} {unit}"
        else:
            passed, actual, required = value, _yes(value), "是"
        text = cond["text"]
        count = data.get(cond.get("contradicted_by"))
        if count:
            # Recorded broken promises are not 信守承诺 even below 经常 (XY-03 第七条（四））.
            months = rules["broken_promise_months"]
            passed = False
            actual = f"{_yes(value)}；但过去{quantity(months)}内不兑现承诺{count}次"
            required = "是，且考察期内没有不兑现承诺的记录"
            text += (f"；考察期内有不兑现承诺的记录（{count}次，未达到经常的次数）的，不属于信守承诺"
                     f"（{cite(cond['contradiction_clause'])}）")
        a_checks.append(engine.requirement(cond["id"], cond["clause"], passed, label=cond["label"],
                                           actual=actual, required=required, text=text))

    c_checks = []
    for cond in _conditions("c_conditions", p):
        if cond.get("field") == "defaults_2y":
            present, actual = defaults > max_defaults, defaults
        else:
            present, actual = cond["code"] in flags, None
            count = data.get(cond.get("count_field"))
            if count is not None:
                bound = rules[cond["count_min"]]
                if cond.get("count_defines") and present and count < bound["value"]:
                    raise InputError(
                        "red_flags", f"勾选了“{cond['label']}”，但所填{cond['count_title']}为{count}{bound['unit']}，"
                        f"不到{quantity(bound)}（{cond['text']}）：请更正次数或取消勾选", "C级情形")
                # 以上: reaching the number itself is the situation.
                present = present or count >= bound["value"]
                actual = f"{count}{bound['unit']}" + ("（已选此情形）" if cond["code"] in flags else "")
        c_checks.append(engine.exclusion(cond["id"], cond["clause"], present, label=cond["label"],
                                         actual=actual, text=cond["text"]))

    a_count = len(a_checks)
    if engine.failed(c_checks):
        grade, reason = "C", "出现C级情形，评为C级"
    elif all(c["status"] == engine.OK for c in a_checks):
        grade, reason = "A", f"{a_count}项A级条件同时具备且未出现C级情形，评为A级"
    else:
        grade, reason = "B", "未同时具备全部A级条件，也未出现C级情形，评为B级"
    return engine.result(__name__, grade, rules=p, headline=f"评为{grade}级", reason=reason,
                         checks=a_checks + c_checks, grade_meaning=rules["grade_meaning"][grade],
                         what_would_change=_what_would_change(grade, a_checks, c_checks))


def _what_would_change(grade: str, a_checks: list[dict], c_checks: list[dict]) -> dict | None:
    """C: without its C situations the customer would be B (or A, if every A condition
    holds); B: each A condition it lacks, with what the condition requires."""
    if grade == "C":
        better = "评为A级" if not engine.failed(a_checks) else "评为B级"
        return engine.change(better, [(c["clause"], f"不得出现“{c['label']}”（现为：{c['actual']}）")
                                      for c in engine.failed(c_checks)])
    if grade == "B":
        return engine.change("评为A级", [(c["clause"], f"须{c['text']}（现为{_now(c)}）")
                                        for c in engine.failed(a_checks)])
    return None


def _now(check: dict) -> str:
    """A check's actual value in words: with its unit when the requirement has one (≥ 1 年)."""
    required = str(check["required"])
    if required.startswith(("≥", "≤")) and isinstance(check["actual"], (int, float)):
        return f"{check['actual']}{required.rsplit(' ', 1)[-1]}"
    return str(check["actual"])
