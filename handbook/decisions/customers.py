"""Decision tables of the customer-management calculators (KH-02 tiering and tier terms,
KH-03 deadlines), from the rule data the calculators read in calc/policy.toml and their own
helpers (tiering.quotas and rating, tier_terms.stricter_payment_tier, max_days,
price_text), so that a table and an answer cannot disagree."""

from calc import customer_tiering as tiering
from calc import tier_terms
from calc.parameters import Rules, quantity
from handbook import roster
from handbook.bands import Band, BandSet, Edge
from handbook.decisions.model import ANY, FIRST, UNIQUE, Row, Table, cell


def _article(clause: str) -> str:
    return clause.rsplit("-", 1)[0] if clause.count("-") == 3 else clause


def _places(first: int, last: int) -> str:
    return f"第{first}名" if first == last else f"第{first}–{last}名"


# --- 客户分级 (KH-02 第七条至第十条) -------------------------------------------------------

def customer_tiering(rules: Rules) -> list[Table]:
    r = rules["tiering"]
    return [_tiers(r), _ratings(r), _ties(r)]


def _tiers(r: dict) -> Table:
    """第八条、第九条: the tier by place in the ranking; the places for the example size
    come from the calculator's own quotas()."""
    n = r["ties"]["example_customers"]
    places = tiering.quotas(n, r)
    rows, bands, done, place = [], [], 0, 1
    unit = r["split"][r["tiers"][0]]["unit"]
    for k, t in enumerate(r["tiers"]):
        share = r["split"][t]
        start, done = done, done + share["value"]
        band = Band(f"{t}类", low=Edge(start, "超过", unit) if k else None, high=Edge(done, "以内", unit))
        bands.append(band)
        last = place + places[t] - 1
        rows.append(Row([cell(band.text(), share["clause"], r["rounding"]["clause"]),
                         cell(_places(place, last) if places[t] else "无", r["rounding"]["clause"]),
                         cell(f"{t}类", share["clause"])],
                        {"customers": n, "first": place, "last": last}, {"tier": t}))
        place = last + 1
    return Table("tiers", "分级比例", "客户按总分排位分为哪一类", UNIQUE,
                 ["总分排位（由高到低的累计比例）", f"参评{n}家时"], ["类别"], rows,
                 notes=[cell(r["rounding"]["text"], r["rounding"]["clause"])],
                 bands=[BandSet("分级比例", "排位", bands, low=Edge(0, "超过", unit), high=Edge(100, "以内", unit))])


def _ratings(r: dict) -> Table:
    """第七条（二）（四）: a ranked item's rating by the customer's place, in segments."""
    top, rank = r["rating_max"]["value"], r["rank_rating"]
    n = rank["example_customers"]
    by_rating: dict[int, list[int]] = {}
    for k in range(1, n + 1):
        by_rating.setdefault(tiering.rating(k, n, top), []).append(k)
    rows = []
    for segment, rating in enumerate(range(top, 0, -1), 1):
        ks = by_rating.get(rating, [])
        rows.append(Row([cell(f"第{segment}段（共{top}段）", rank["clause"]),
                         cell(_places(ks[0], ks[-1]) if ks else "无", rank["clause"]),
                         cell(str(rating), rank["clause"])],
                        {"customers": n, "ranks": ks}, {"rating": rating}))
    rows.append(Row([cell("没有该项数据", r["missing_data"]["clause"]), cell("—"), cell("0", r["missing_data"]["clause"])],
                    {"customers": n, "missing": True}, {"rating": 0}))
    return Table("rating", "按排位评级", "按排位评级的计分项目评为几级", UNIQUE,
                 ["该项数据的排位", f"参评{n}家时"], ["评级"], rows,
                 notes=[cell(rank["text"].replace("rating_max", str(top)), rank["clause"])])


def _ties(r: dict) -> Table:
    """第十条: equal totals, told apart by the items or sharing a rank and a tier."""
    ties = r["ties"]
    clause = ties["clause"]
    return Table(
        "ties", "同分", "总分相同的客户怎样排位、归入哪一类", FIRST,
        ["计分项目依次比较", "同名次的一组占用的位次"], ["名次与类别"],
        [Row([cell("有高低", f"{clause}-1"), ANY, cell("得分高的在前，各按名次分级", f"{clause}-1")],
             {"tie": "items"}, {"told_apart": True}),
         Row([cell("各项均相同，或只给总分", f"{clause}-2"), cell("多数落在同一级", f"{clause}-3"),
              cell("名次相同，一并归入多数位次所在的一级", f"{clause}-3")], {"tie": "majority"}, {"tier": "majority"}),
         Row([cell("各项均相同，或只给总分", f"{clause}-2"), cell("位次最多的级不止一个", f"{clause}-3"),
              cell("名次相同，一并归入中间位次所在的一级（偶数个取中间靠前的一个，故两级各半的归入较高一级）", f"{clause}-3")],
             {"tie": "even"}, {"tier": "middle"})])


# --- 分级商务条款 (KH-02 第十三条至第二十条) -----------------------------------------------

def tier_terms_tables(rules: Rules) -> list[Table]:
    tt = rules["tier_terms"]
    order = tt["payment_order"]
    grades = rules["credit_grade"]["grades"] + [tier_terms.UNRATED]
    grade_names = {g: f"信用等级{g}级" for g in rules["credit_grade"]["grades"]} | {tier_terms.UNRATED: "尚未评定信用等级"}
    stricter = tt["grade_payment_tier"]["clause"]

    def terms(pay: str) -> str:
        days = tier_terms.max_days(pay, rules)
        return f"{pay}类：{tier_terms.method_label(pay, rules)}" + (f"（交货日起{days}天以内）" if days else "")

    rows = []
    for t in order:
        cells = [cell(f"{t}类")]
        then = {}
        for g in grades:
            pay = tier_terms.stricter_payment_tier(t, None if g == tier_terms.UNRATED else g, rules)
            then[g] = pay
            cells.append(cell(terms(pay), tt["payment_method"][pay]["clause"], stricter if pay != t else None))
        rows.append(Row(cells, {"tier": t}, then))
    deferred = [t for t in order if tier_terms.max_days(t, rules) > 0]
    ladder, prev = [], None
    for t in reversed(deferred):   # each level allows what the stricter one does, and more
        days = tt["max_payment_days"][t]
        ladder.append(Band(f"{t}类远期付款", low=Edge(prev, "超过", "天") if prev is not None else None,
                           high=Edge(tier_terms.max_days(t, rules), days.get("bound", "以内"), days.get("unit", "天"))))
        prev = tier_terms.max_days(t, rules)
    payment = Table(
        "payment", "付款方式", "付款方式按价值分级（含降级后）与信用等级中较严格的一个", UNIQUE,
        ["价值分级（含降级后）"], [grade_names[g] for g in grades], rows,
        notes=[cell(tt["grade_payment_tier"]["text"], stricter)],
        bands=[BandSet("付款方式", "远期付款期限", ladder, low=Edge(0, "超过", "天"), covers=False)])

    late, repeat = tt["late_payments_downgrade"], tt["repeat_downgrade"]
    few, many = Band("不降级", high=Edge(late["value"], "不满", late["unit"])), Band("降级", low=Edge(late["value"], late["bound"], late["unit"]))
    downgrade = Table(
        "downgrade", "付款方式降级", "付款方式因未按期付款降低几级（分级本身不变）", UNIQUE,
        [f"本{late['period']}未按付款条件付款", "本年度此前已降级"], ["付款方式"],
        [Row([cell(few.text(), late["clause"]), cell("0次", repeat["clause"]), cell("按本类", late["clause"])],
             {"late": few, "prior": 0}, {"steps": 0}),
         Row([cell(many.text(), late["clause"]), cell("0次", repeat["clause"]), cell("降低一级", late["clause"])],
             {"late": many, "prior": 0}, {"steps": 1}),
         Row([cell(few.text(), late["clause"]), cell("n次", repeat["clause"]), cell("降低n级", repeat["clause"])],
             {"late": few, "prior": "n"}, {"steps": "n"}),
         Row([cell(many.text(), late["clause"]), cell("n次", repeat["clause"]), cell("降低n＋1级", late["clause"], repeat["clause"])],
             {"late": many, "prior": "n"}, {"steps": "n+1"})],
        notes=[cell(f"最低降至{order[-1]}类", late["clause"]), cell(repeat["text"], repeat["clause"])])

    rows = []
    for t in order:
        price, lead = tt["min_price_factor"][t], tt["lead_time_days"].get(t)
        rush = tt["rush_orders"][t]
        rows.append(Row([cell(f"{t}类"), cell(tier_terms.price_text(price["value"]), price["clause"]),
                         cell(f"{quantity(lead)}以内", lead["clause"]) if lead else cell("不保证交期，逐单约定", tt["d_orders"]["clause"]),
                         cell(tt["rush_labels"][rush], tt["rush_orders"]["clause"])],
                        {"tier": t}, {"min_price_factor": price["value"], "lead_time_days": lead["value"] if lead else None,
                                      "rush_orders": rush}))
    other = Table("terms", "价格、交期与插单", "各类客户的价格下限、常规订单交期和加急订单", UNIQUE,
                  ["价值分级"], ["成交价格", "常规订单交期", "加急订单插单"], rows,
                  notes=[cell("价格、交期和插单按价值分级本身，付款方式降级不影响", repeat["clause"])])
    return [payment, downgrade, other]


# --- 客户资料报送期限、客户备案期限 (KH-03 第八条、第九条、第二十一条至第二十三条) ----------------

def report_deadline(rules: Rules) -> list[Table]:
    r = rules["reporting"]
    names = roster.names()
    unit_day, summary_day, gap, rest = r["unit_due_day"], r["summary_due_day"], r["summary_after_units"], r["holiday_rule"]
    units, service = names["business_units"], names["service"]
    unit_band = Band(units, high=Edge(unit_day["value"], unit_day["bound"], unit_day["unit"]))
    summary_band = Band(service, low=Edge(unit_day["value"], "超过", unit_day["unit"]),
                        high=Edge(summary_day["value"], summary_day["bound"], summary_day["unit"]))
    due = Table(
        "due", "报送期限", "季度、月度报表的报送期限", UNIQUE, ["报送方"], ["期限（期间结束后的次月）"],
        [Row([cell(f"{units}（报表）", unit_day["clause"]), cell(f"次月{quantity(unit_day)}{unit_day['bound']}（含当日）", unit_day["clause"])],
             {"reporter": "unit"}, {"day": unit_day["value"]}),
         Row([cell(f"{service}（汇总表）", summary_day["clause"]),
              cell(f"次月{quantity(summary_day)}{summary_day['bound']}（含当日），且晚于{units}的期限{quantity(gap)}{gap['bound']}",
                   summary_day["clause"], gap["clause"])], {"reporter": "group"}, {"day": summary_day["value"]})],
        notes=[cell(r["monthly"]["description"], r["monthly"]["clause"])],
        # A due day every month has (February too), the units' before the service department's.
        bands=[BandSet("报送期限", "次月的期限日", [unit_band, summary_band], low=Edge(1, "以上", "日"),
                       high=Edge(28, "以下", "日"), whole=True, covers=False)])
    roll = Table(
        "rest-day", "期限日遇休息日", "期限日是休息日的，最迟哪一天报送", UNIQUE, ["期限日"], ["最迟报送日"],
        [Row([cell("工作日", rest["clause"]), cell("期限日当日", rest["clause"])], {"rest": False}, {"moved": False}),
         Row([cell("休息日或法定节假日", rest["clause"]), cell("其后的第一个工作日", rest["clause"])], {"rest": True}, {"moved": True})],
        notes=[cell(r["official_calendar"]["text"].split("（")[0], r["official_calendar"]["clause"])])
    after = Table(
        "after-units", "汇总期限的间隔", f"{service}的汇总期限（顺延后）与{units}期限的间隔", UNIQUE,
        [f"汇总期限晚于{units}的期限（均按顺延后）"], [f"{service}最迟报出日"],
        [Row([cell(f"{quantity(gap)}{gap['bound']}", gap["clause"]), cell("汇总期限（顺延后）", gap["clause"])],
             {"gap": "enough"}, {"moved": False}),
         Row([cell(f"不满{quantity(gap)}", gap["clause"]), cell(f"{units}期限之后的第{quantity(gap)}", gap["clause"])],
             {"gap": "short"}, {"moved": True})])
    return [due, roll, after]


def filing_deadline(rules: Rules) -> list[Table]:
    r = rules["reporting"]
    names = roster.names()
    new, change, fwd = r["new_customer_filing_days"], r["change_filing_days"], r["forward_days"]
    forward = cell(f"收到次日起{quantity(fwd)}{fwd['bound']}", fwd["clause"])
    due = Table(
        "due", "备案期限", "备案或反馈变动的最迟日期", UNIQUE, ["事项"], ["业务部门报送", f"{names['market']}转交{names['service']}"],
        [Row([cell("新客户备案（《客户基本信息表》）", new["clause"]),
              cell(f"首次接触次日起{quantity(new)}{new['bound']}", new["clause"]), forward], {"kind": "new"}, {"days": new["value"]}),
         Row([cell("客户信息变动（《客户信息维护表》）", change["clause"]),
              cell(f"知悉变动次日起{quantity(change)}{change['bound']}", change["clause"]), forward],
             {"kind": "change"}, {"days": change["value"]})])
    rest = r["holiday_rule"]
    workday = Table(
        "workday", "工作日", "哪些日子计入工作日", FIRST, ["日期"], ["是否计入工作日"],
        [Row([cell(f"{names['company']}另定的休息日（计算器中填写）", rest["clause"]), cell("不计入", rest["clause"])],
             {"day": "company"}, {"working": False}),
         Row([cell("国家法定节假日的放假日", rest["clause"]), cell("不计入", rest["clause"])], {"day": "holiday"}, {"working": False}),
         Row([cell("调休上班日（含星期六、星期日）", rest["clause"]), cell("计入", rest["clause"])], {"day": "makeup"}, {"working": True}),
         Row([cell("其他星期六、星期日", rest["clause"]), cell("不计入", rest["clause"])], {"day": "weekend"}, {"working": False}),
         Row([cell("其他日期"), cell("计入", rest["clause"])], {"day": "weekday"}, {"working": True})],
        notes=[cell(r["official_calendar"]["text"].split("（")[0], r["official_calendar"]["clause"])])
    return [due, workday]
