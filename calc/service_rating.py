"""客户对服务人员的品评 (FW-01 第二十条至第二十二条): each returned survey rates four items
非常满意/满意/一般/较差; the points of the four items are the survey's score; the month's
score is the average of the month's surveys and counts in the monthly appraisal at its
weight; any 较差 calls for a talk with the staff member and a call back to the customer."""

from fractions import Fraction

from calc import engine
from calc.errors import InputError, shown_value
from calc.numbers import exact, shown   # 保留两位小数, 四舍五入 on the exact value
from calc.parameters import Rules, policy, quantity, roster

NAME = "service-rating"
TITLE = "服务人员客户品评月度得分"
SECTION = "service_rating"
OUTCOME = "monthly_score"


def _levels(r: dict) -> list[dict]:
    return [{**lv, "points": r[lv["score"]]["value"]} for lv in r["levels"]]


def clauses() -> list[str]:
    r = policy()[SECTION]
    return list(dict.fromkeys([c["clause"] for c in r["criteria"]] + [lv["clause"] for lv in r["levels"]]
                              + ["FW-01-22-1", "FW-01-22-2", "FW-01-22-3"]))


def schema() -> dict:
    r = policy()[SECTION]
    names = "、".join(lv["name"] for lv in _levels(r))
    first = r["criteria"][0]["text"]

    def help_text(k: int, text: str) -> str:
        if k == 0:
            return (f"当月收回的每份调查表对“{text}”的评价（{names}），按调查表的顺序填写，以顿号或逗号分隔，"
                    "如：非常满意、满意。当月未收回调查表的，该部分按其余考核内容折算，不计零分，无需计算")
        return f"每份调查表对“{text}”的评价，顺序和份数与“{first}”相同"

    return engine.form(
        __name__, required=[c["id"] for c in r["criteria"]],
        properties={
            c["id"]: {"type": "array", "title": c["text"], "x-clause": c["clause"],
                      "items": {"type": "string", "minLength": 1, "title": f"{c['text']}的评价"},
                      "description": help_text(k, c["text"])}
            for k, c in enumerate(r["criteria"])
        })


def _level(word: str, field: str, title: str, k: int, levels: dict) -> str:
    """A rating as written: the level's Chinese name (or its code, for automation)."""
    for lv in levels.values():
        if word in (lv["name"], lv["id"]):
            return lv["id"]
    raise InputError(f"{field}[{k}]", f"{shown_value(word)}不是满意等级，可填：" + "、".join(lv["name"] for lv in levels.values()),
                     f"{title}第 {k + 1} 份")


def _surveys(data: dict, levels: dict, criteria: list[dict]) -> list[dict]:
    """The month's surveys, one dict per returned form, from the four lists."""
    counts = {c["id"]: len(data[c["id"]]) for c in criteria}
    if not any(counts.values()):
        raise InputError(criteria[0]["id"], "一份调查表也没有：客户品评部分按其余考核内容折算，不计零分"
                                            "（FW-01 第二十二条（二）），无需计算", criteria[0]["text"])
    if len(set(counts.values())) > 1:
        shown_counts = "、".join(f"{c['text']}{counts[c['id']]}份" for c in criteria)
        odd = next(c for c in criteria if counts[c["id"]] != max(counts.values()))
        raise InputError(odd["id"], f"四项的份数应相同（每份调查表四项都须评定），收到{shown_counts}", odd["text"])
    return [{c["id"]: _level(data[c["id"]][k], c["id"], c["text"], k, levels) for c in criteria}
            for k in range(counts[criteria[0]["id"]])]


def evaluate(data: dict, rules: Rules) -> dict:
    r = rules[SECTION]
    labels = r["labels"]
    levels = {lv["id"]: lv for lv in _levels(r)}
    surveys = _surveys(data, levels, r["criteria"])
    criteria = r["criteria"]
    full, weight = r["full_score"], r["appraisal_weight"]

    scores = [sum(levels[s[c["id"]]]["points"] for c in criteria) for s in surveys]
    monthly = Fraction(sum(scores), len(scores))
    weighted = monthly * exact(weight["value"]) / 100
    poor = [(k + 1, c["text"]) for k, s in enumerate(surveys) for c in criteria if s[c["id"]] == "poor"]

    checks = [engine.info(f"survey_{k + 1}", "FW-01-22-1", label=labels["survey"], actual=score,
                          required=f"满分{quantity(full)}",
                          text=f"第 {k + 1} 份：" + "，".join(f"{c['text']}{levels[s[c['id']]]['name']}"
                                                            for c in criteria) + f"，计{score}分")
              for k, (s, score) in enumerate(zip(surveys, scores))]
    for c in criteria:
        mean = Fraction(sum(levels[s[c["id"]]]["points"] for s in surveys), len(surveys))
        checks.append(engine.info(c["id"], c["clause"], label=c["text"], actual=shown(mean),
                                  text=f"{c['text']}：{len(surveys)} 份平均{shown(mean)}分（{labels['criterion']}）"))
    who = roster()[labels["follow_up_by"]]
    checks.append(engine.exclusion(
        "poor", "FW-01-22-3", bool(poor), label=labels["poor"],
        actual="、".join(f"第 {n} 份{item}" for n, item in poor) if poor else "无",
        text=f"任一项被评为“较差”的，{who}应约谈当事人，并回访客户了解原因"))
    checks.append(engine.info(
        "monthly", "FW-01-22-2", label=labels["monthly"], actual=shown(monthly),
        text=f"{len(surveys)} 份调查表的平均分{shown(monthly)}分，按{quantity(weight)}的权重计入月度绩效考核，"
             f"折合{shown(weighted)}分"))

    headline = f"月度得分{shown(monthly)}分（按{quantity(weight)}计入考核，折合{shown(weighted)}分）"
    reason = f"当月 {len(surveys)} 份调查表，单次得分" + "、".join(str(x) for x in scores) + f"，平均{shown(monthly)}分"
    if poor:
        reason += f"；有“较差”评价，{who}应约谈当事人并回访客户"
    return engine.result(__name__, shown(monthly), rules=rules, headline=headline, reason=reason, checks=checks,
                         surveys=len(surveys), survey_scores=scores, weighted_score=shown(weighted),
                         follow_up_required=bool(poor),
                         what_would_change=_what_would_change(surveys, criteria, levels, poor, r))


def _what_would_change(surveys: list[dict], criteria: list[dict], levels: dict, poor: list, r: dict) -> dict | None:
    """With a 较差: no talk and call-back needed if every item were rated above it. Without
    one: the full score, each survey's items below the top level named."""
    top = max(levels.values(), key=lambda lv: lv["points"])
    if poor:
        above = min((lv for lv in levels.values() if lv["id"] != "poor"), key=lambda lv: lv["points"])
        return engine.change("无需约谈和回访", [("FW-01-22-3", f"第 {n} 份“{item}”须评为“{above['name']}”以上（现为较差）")
                                               for n, item in poor])
    needs = []
    for k, s in enumerate(surveys, 1):
        below = [c for c in criteria if s[c["id"]] != top["id"]]
        if below:
            needs.append((top["clause"],
                          f"第 {k} 份" + "、".join(f"“{c['text']}”" for c in below) + f"须为{top['name']}（现为"
                          + "、".join(levels[s[c["id"]]]["name"] for c in below) + "）"))
    return engine.change(f"月度得分满分{quantity(r['full_score'])}", needs)
