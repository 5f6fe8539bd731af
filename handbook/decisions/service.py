"""Decision tables of the customer-service calculators (FW-03 lateness, FW-01 service
ratings), from the rule data the calculators read in calc/policy.toml."""

from calc.parameters import Rules, quantity
from handbook import roster
from handbook.bands import Band, BandSet, Edge, stated
from handbook.decisions.model import UNIQUE, Row, Table, cell


# --- 迟到绩效扣减 (FW-03 第七条、第八条) ---------------------------------------------------

def attendance_fine(rules: Rules) -> list[Table]:
    r = rules["attendance"]
    boundary, absence, start = r["class_boundary_minutes"], r["absence_from_minutes"], r["fine_from_count"]
    unit = boundary["unit"]
    classes = {c["id"]: c for c in r["lateness_classes"]}
    a, b = classes["A"], classes["B"]

    def at_boundary(cls: dict) -> Edge:
        # The class's own text says how the boundary reads (不超过 / 超过): the rule as worded.
        return Edge(boundary["value"], stated(cls["text"], "class_boundary_minutes"), unit)

    absent = Band(absence["label"], low=Edge(absence["value"], absence["bound"], absence["unit"]))
    band_a = Band(a["label"], high=at_boundary(a))
    band_b = Band(b["label"], low=at_boundary(b), high=absent.low.other_side())
    late = f"晚于{r['checkin_deadline']['value']}"
    classes_table = Table(
        "classes", "迟到的分类", "一次迟到属于哪一类", UNIQUE, ["迟到时间"], ["类别", "计入当月迟到次数"],
        [Row([cell(f"{late}、{band_a.text()}", a["clause"]), cell(a["label"], a["clause"]), cell("计入", start["clause"])],
             {"minutes": band_a}, {"class": "A", "absence": False}),
         Row([cell(band_b.text(), b["clause"], absence["clause"]), cell(b["label"], b["clause"]), cell("计入", start["clause"])],
             {"minutes": band_b}, {"class": "B", "absence": False}),
         Row([cell(absent.text(), absence["clause"]),
              cell(f"旷工，由{roster.names()['admin_hr']}按公司考勤管理制度处理", absence["clause"]),
              cell("不计入", absence["clause"])], {"minutes": absent}, {"class": None, "absence": True})],
        bands=[BandSet("迟到的分类", "迟到时间", [band_a, band_b, absent], low=Edge(0, "超过", unit), whole=True)])

    first = start["value"] - 1
    before = "第1次" if first == 1 else f"第1次至第{first}次"
    fines = Table(
        "fines", "每次迟到的扣减", "当月每一次迟到扣减多少绩效工资", UNIQUE,
        ["当月第几次迟到（A类、B类合并计次）", "类别"], ["扣减绩效工资"],
        [Row([cell(f"{before}（不满{quantity(start)}）", start["clause"]), cell(f"{a['label']}或{b['label']}"),
              cell("不扣减", start["clause"])], {"count": "before", "class": None}, {"fine": 0}),
         Row([cell(f"第{start['value']}次起", start["clause"]), cell(a["label"], a["clause"]),
              cell(quantity(r[a["fine"]]), r[a["fine"]]["clause"])], {"count": "from", "class": "A"},
             {"fine": r[a["fine"]]["value"]}),
         Row([cell(f"第{start['value']}次起", start["clause"]), cell(b["label"], b["clause"]),
              cell(quantity(r[b["fine"]]), r[b["fine"]]["clause"])], {"count": "from", "class": "B"},
             {"fine": r[b["fine"]]["value"]}),
         Row([cell("不计次", absence["clause"]), cell(absence["label"], absence["clause"]), cell("不扣减", absence["clause"])],
             {"count": None, "class": "absence"}, {"fine": 0})],
        notes=[cell("扣减在当月绩效工资中核减，不收取现金", "FW-03-8-1")])
    return [classes_table, fines]


# --- 服务人员客户品评月度得分 (FW-01 第二十一条、第二十二条) -----------------------------------

def service_rating(rules: Rules) -> list[Table]:
    r = rules["service_rating"]
    levels = [{**lv, "points": r[lv["score"]]} for lv in r["levels"]]
    items = "、".join(c["text"] for c in r["criteria"])
    points = Table(
        "levels", "满意等级的得分", "客户对一项的评价计几分", UNIQUE, ["评价"], ["该项得分"],
        [Row([cell(lv["name"], lv["clause"]), cell(quantity(lv["points"]), lv["points"]["clause"])],
             {"level": lv["id"]}, {"points": lv["points"]["value"]}) for lv in levels],
        notes=[cell(f"每份调查表评{len(r['criteria'])}项：{items}", r["criteria"][0]["clause"].rsplit("-", 1)[0])])
    poor = next(lv for lv in levels if lv["id"] == "poor")
    who = roster.name(r["labels"]["follow_up_by"])
    follow = Table(
        "follow-up", "约谈与回访", "是否须约谈当事人、回访客户", UNIQUE, ["当月的调查表"], ["处理"],
        [Row([cell(f"任一项评为“{poor['name']}”", "FW-01-22-3"), cell(f"{who}约谈当事人，并回访客户了解原因", "FW-01-22-3")],
             {"poor": True}, {"follow_up_required": True}),
         Row([cell(f"没有“{poor['name']}”", "FW-01-22-3"), cell("无需约谈、回访", "FW-01-22-3")], {"poor": False},
             {"follow_up_required": False})])
    full, weight = r["full_score"], r["appraisal_weight"]
    score = Table(
        "score", "得分的计算", "单次得分和月度得分怎样计算", UNIQUE, ["当月收回的调查表"], ["得分"],
        [Row([cell("一份", "FW-01-22-1"), cell(f"{len(r['criteria'])}项得分之和，满分{quantity(full)}", "FW-01-22-1")],
             {"surveys": 1}, {"survey": "sum"}),
         Row([cell("一份以上", "FW-01-22-2"),
              cell(f"月度得分为各份得分的平均值，按{quantity(weight)}的权重计入月度绩效考核", "FW-01-22-2", weight["clause"])],
             {"surveys": "many"}, {"monthly": "mean"}),
         Row([cell("没有", "FW-01-22-2"), cell("不计零分，该部分按其余考核内容折算", "FW-01-22-2")],
             {"surveys": 0}, {"error": "不计零分"})])
    return [points, follow, score]
