"""迟到罚款 (FW-03 第七条、第八条): each lateness of a calendar month is class A (up to
the boundary, inclusive) or B (over it); from the count of 第八条第（二）项 on, every
lateness is fined by its class."""

from calc.checks import check
from calc.parameters import condition_text, document, policy, quantity

NAME = "attendance-fine"
TITLE = "迟到罚款计算"
OUTCOME = "total_fine"


def _rules() -> dict:
    return policy()["attendance"]


def clauses() -> list[str]:
    r = _rules()
    return [c["clause"] for c in r["lateness_classes"]] + [r["fine_from_count"]["clause"],
                                                          r["fine_class_a"]["clause"], r["fine_class_b"]["clause"]]


def schema() -> dict:
    r = _rules()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False, "required": ["late_minutes"],
        "properties": {
            "late_minutes": {
                "type": "array", "title": "本月各次迟到的分钟数",
                "description": f"同一自然月内每次迟到的时长（分钟），按发生先后填写，如 5, 40, 12；"
                               f"不超过{quantity(r['class_boundary_minutes'])}为A类，超过为B类",
                "x-clause": r["class_boundary_minutes"]["clause"],
                "items": {"type": "integer", "minimum": 1, "maximum": 24 * 60, "title": "迟到分钟数"},
            },
        },
    }


def evaluate(data: dict) -> dict:
    r = _rules()
    boundary = r["class_boundary_minutes"]["value"]
    start = r["fine_from_count"]["value"]
    classes = {c["id"]: c for c in r["lateness_classes"]}
    checks, total, fines = [], 0, []
    for n, minutes in enumerate(data["late_minutes"], 1):
        kind = "A" if minutes <= boundary else "B"   # 不超过 includes the boundary itself
        fine_param = r[classes[kind]["fine"]]
        fine = fine_param["value"] if n >= start else 0   # 两次（含）以上: from the start-th on
        total += fine
        fines.append({"count": n, "minutes": minutes, "class": kind, "fine": fine})
        checks.append(check(f"late{n}", classes[kind]["clause"] if fine == 0 else fine_param["clause"],
                            fine == 0, f"{minutes} 分钟（{kind}类）", f"第{start}次起计罚",
                            f"第{n}次迟到：{condition_text('attendance', classes[kind]).split('：')[0]}，"
                            + (f"罚款{fine}元" if fine else "当月首次，只按公司考勤制度处理")))
    return {
        "calculator": NAME,
        "policy": document(r["document"]),
        "total_fine": total,
        "fines": fines,
        "reason": f"本月迟到 {len(fines)} 次，罚款合计 {total} 元（计入部门经费）" if fines else "本月没有迟到",
        "checks": checks,
    }
