"""迟到的绩效扣减 (FW-03 第七条、第八条): each lateness of a calendar month is class A (up
to the boundary, inclusive) or B (over it); from the count of 第八条第（二）项 on, every
lateness costs the amount of its class, deducted from that month's performance pay. The
output keeps its original names (total_fine, fines) for staff automation. A lateness that reaches the absence standard is absence
(旷工), handled under the company's attendance rules: neither fined nor counted here."""

from calc import engine
from calc.parameters import Rules, policy, quantity, roster

NAME = "attendance-fine"
TITLE = "迟到绩效扣减计算"
SECTION = "attendance"
OUTCOME = "total_fine"
# One employee, one calendar month, at most one lateness a day: 31 entries is the most a
# month can hold (schema maxItems), so a pasted list of a million numbers is refused at once.
MAX_ENTRIES = 31


def clauses() -> list[str]:
    r = policy()[SECTION]
    return [c["clause"] for c in r["lateness_classes"]] + [
        r["absence_from_minutes"]["clause"], r["fine_from_count"]["clause"],
        r["fine_class_a"]["clause"], r["fine_class_b"]["clause"]]


def schema() -> dict:
    r = policy()[SECTION]
    return engine.form(
        __name__,
        required=["late_minutes"],
        properties={
            "late_minutes": {
                "type": "array", "title": "本月各次迟到的分钟数", "maxItems": MAX_ENTRIES,
                "description": f"同一自然月内每次迟到的时长（分钟），按发生先后填写，如 5, 40, 12，"
                               f"最多{MAX_ENTRIES}项；不超过{quantity(r['class_boundary_minutes'])}为A类，"
                               f"超过为B类，达到{quantity(r['absence_from_minutes'])}的按旷工处理",
                "x-clause": r["class_boundary_minutes"]["clause"],
                "items": {"type": "integer", "minimum": 1, "maximum": 24 * 60, "title": "迟到分钟数",
                          "x-unit": "分钟"},
            },
        })


def evaluate(data: dict, rules: Rules) -> dict:
    r = rules[SECTION]
    entries = data["late_minutes"]
    boundary = r["class_boundary_minutes"]["value"]
    absence = r["absence_from_minutes"]
    start = r["fine_from_count"]
    classes = {c["id"]: c for c in r["lateness_classes"]}
    checks, fines, total, count, absences = [], [], 0, 0, 0
    for n, minutes in enumerate(entries, 1):
        if minutes >= absence["value"]:   # 达到 the absence standard: includes the number itself
            absences += 1
            fines.append({"count": None, "minutes": minutes, "class": None, "fine": 0, "absence": True})
            checks.append(engine.info(
                f"late{n}", absence["clause"], label=absence["label"], actual=f"{minutes} 分钟",
                required=f"{quantity(absence)}{absence['bound']}按旷工处理",
                text=f"第{n}条记录：迟到 {minutes} 分钟，达到旷工标准（{quantity(absence)}{absence['bound']}），"
                     f"按旷工处理，不按B类迟到扣减，也不计入迟到次数；旷工由{roster()['admin_hr']}按公司考勤管理制度处理"))
            continue
        count += 1
        kind = "A" if minutes <= boundary else "B"   # 不超过 includes the boundary itself
        cls = classes[kind]
        fine_param = r[cls["fine"]]
        fined = count >= start["value"]   # 达到…次 includes the number: from the start-th lateness on
        fine = fine_param["value"] if fined else 0
        total += fine
        fines.append({"count": count, "minutes": minutes, "class": kind, "fine": fine, "absence": False})
        checks.append(engine.info(
            f"late{n}", fine_param["clause"] if fined else start["clause"], label=cls["label"],
            actual=f"{minutes} 分钟", required=f"{fine}{fine_param['unit']}",
            text=f"当月第{count}次迟到（{minutes} 分钟，{cls['label']}）："
                 + (f"扣减绩效工资 {fine} {fine_param['unit']}" if fined else
                    f"当月迟到未达{quantity(start)}，不扣减，只按公司考勤管理制度处理")))
    unit = r["fine_class_a"]["unit"]
    parts = [f"本月迟到 {count} 次" if count or absences else "本月没有迟到"]
    if absences:
        parts.append(f"另有 {absences} 条记录达到旷工标准，按旷工处理，不扣减")
    headline = f"绩效扣减合计 {total} {unit}"
    return engine.result(__name__, total, rules=rules, headline=headline,
                         reason="；".join(parts + [headline]) + ("（在当月绩效工资中核减）" if total else ""),
                         checks=checks, fines=fines, absences=absences,
                         what_would_change=_what_would_change(count, total, start))


def _what_would_change(count: int, total: int, start: dict) -> dict | None:
    """A month with deductions would have none with fewer latenesses than the count from
    which 第八条第（二）项 deducts (达到…次 includes the number, so one fewer)."""
    if not total:
        return None
    return engine.change("不扣减", [(start["clause"], f"当月迟到须不满{quantity(start)}"
                                                     f"（现为 {count} 次，自第 {start['value']} 次起每次扣减）")])
