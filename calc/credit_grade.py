"""客户信用等级评定: A when all six A conditions hold and no C condition, C when any C
condition holds, B otherwise (XY-03 第四条至第六条)."""

from calc.checks import check
from calc.parameters import condition_text, document, policy

NAME = "credit-grade"
TITLE = "客户信用等级评定"
OUTCOME = "grade"


def _rules() -> dict:
    return policy()["credit_grade"]


def _a(id_: str) -> dict:
    cond = next(c for c in _rules()["a_conditions"] if c["id"] == id_)
    return {**cond, "text": condition_text("credit_grade", cond)}


def _flag_conditions() -> list[dict]:
    return [{**c, "text": condition_text("credit_grade", c)}
            for c in _rules()["c_conditions"] if "code" in c]


def clauses() -> list[str]:
    rules = _rules()
    return [c["clause"] for c in rules["a_conditions"] + rules["c_conditions"]] + ["XY-03-6"]


def schema() -> dict:
    rules = _rules()
    years = rules["min_cooperation_years"]
    lookback = rules["lookback_years"]
    flags = _flag_conditions()

    def boolean(id_: str, title: str) -> dict:
        cond = _a(id_)
        return {"type": "boolean", "title": title, "description": cond["text"],
                "x-clause": cond["clause"]}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE,
        "type": "object",
        "additionalProperties": False,
        "required": ["cooperation_years", "defaults_2y", "lawful_and_reliable",
                     "good_operation_2y", "strong_solvency", "meets_annual_targets"],
        "properties": {
            "cooperation_years": {
                "type": "number", "minimum": 0, "title": "双方业务合作年限",
                "description": f"与本公司发生业务往来的年数，单位{years['unit']}；"
                               f"A级要求{years['value']}{years['unit']}{years['bound']}",
                "x-clause": years["clause"], "x-unit": years["unit"],
            },
            "defaults_2y": {
                "type": "integer", "minimum": 0,
                "title": f"过去{lookback['value']}年内违约次数",
                "description": f"过去{lookback['value']}年内与本公司合作中由客户负责的不良欠款、"
                               "欠货或其他严重违约行为的次数（因本公司原因造成的不计）",
                "x-clause": lookback["clause"], "x-unit": "次",
            },
            "lawful_and_reliable": boolean("a3", "守法经营、严格履约、信守承诺"),
            "good_operation_2y": boolean("a4", "最近连续两年经营状况良好"),
            "strong_solvency": boolean("a5", "资金实力雄厚、偿债能力强"),
            "meets_annual_targets": boolean("a6", "年度回款、发货达标"),
            "red_flags": {
                "type": "array", "title": "C级情形", "default": [], "uniqueItems": True,
                "description": "客户存在的其他C级情形（可多选），任一项即评为C级",
                "items": {
                    "type": "string", "title": "C级情形代码",
                    "enum": [c["code"] for c in flags],
                    "x-labels": {c["code"]: c["text"] for c in flags},
                    "x-clauses": {c["code"]: c["clause"] for c in flags},
                },
            },
        },
    }


def _yes(value: bool) -> str:
    return "是" if value else "否"


def evaluate(data: dict) -> dict:
    rules = _rules()
    min_years = rules["min_cooperation_years"]["value"]
    max_defaults = rules["max_defaults_for_a"]["value"]
    years, defaults = data["cooperation_years"], data["defaults_2y"]
    flags = set(data["red_flags"])

    a_checks = [
        # 一年或以上: the bound includes the number itself.
        check("a1", _a("a1")["clause"], years >= min_years, years, f"≥ {min_years} 年",
              f"{_a('a1')['text']}：合作 {years} 年"),
        check("a2", _a("a2")["clause"], defaults <= max_defaults, defaults,
              f"≤ {max_defaults} 次", f"{_a('a2')['text']}：{defaults} 次"),
    ]
    for id_, field in (("a3", "lawful_and_reliable"), ("a4", "good_operation_2y"),
                       ("a5", "strong_solvency"), ("a6", "meets_annual_targets")):
        cond = _a(id_)
        a_checks.append(check(id_, cond["clause"], data[field], _yes(data[field]), "是",
                              f"{cond['text']}：{_yes(data[field])}"))

    c_checks = []
    for cond in rules["c_conditions"]:
        text = condition_text("credit_grade", cond)
        if cond.get("field") == "defaults_2y":
            present, actual = defaults > max_defaults, defaults
        else:
            present = cond["code"] in flags
            actual = "存在" if present else "不存在"
        c_checks.append(check(cond["id"], cond["clause"], not present, actual, "不存在",
                              f"C级情形：{text}：{'存在' if present else '不存在'}"))

    if any(c["status"] == "fail" for c in c_checks):
        grade, reason = "C", "出现C级情形，评为C级"
    elif all(c["status"] == "ok" for c in a_checks):
        grade, reason = "A", "六项A级条件同时具备且无C级情形，评为A级"
    else:
        grade, reason = "B", "不具备全部A级条件，也无C级情形，评为B级"
    return {
        "calculator": NAME,
        "policy": document(rules["document"]),
        "grade": grade,
        "grade_meaning": rules["grade_meaning"][grade],
        "reason": reason,
        "checks": a_checks + c_checks,
    }
