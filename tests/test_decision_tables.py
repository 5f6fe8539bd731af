"""Decision tables (handbook/decisions/): what they say, written here from the clauses as
the chapters state them (not copied from the tables); that every row agrees with its
calculator (an input is built from each row, on both sides of every bound, and the
calculator must give the row's answer); and that each cell stating a rule cites its clause."""

import datetime as dt
import re
from fractions import Fraction

import pytest

from calc import registry
from calc.errors import InputError
from calc.parameters import policy
from calc.workdays import Calendar
from handbook import decisions
from handbook.bands import Band, INCLUSIVE
from handbook.decisions.model import ANY, FIRST, UNIQUE

pytestmark = pytest.mark.cpython

RULES = policy()


def tables(name: str) -> dict:
    return {t.key: t for t in decisions.tables(name, RULES)}


def texts(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def run(name: str, data: dict) -> dict:
    return registry.run(name, data)


def check(result: dict, id_: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == id_)


# --- values on both sides of a bound ------------------------------------------------------

def inside(band: Band, step=Fraction(1, 100), floor=0, ceiling=None) -> list:
    """Values in the band at its edges: the bound itself when included, one step in when
    not; an open side takes the range given (floor, ceiling)."""
    out = []
    if band.low is not None:
        v = Fraction(str(band.low.value))
        out.append(v if band.low.word in INCLUSIVE else v + step)
    elif floor is not None:
        out.append(Fraction(floor) + (step if floor == 0 and step == 1 else 0))
    if band.high is not None:
        v = Fraction(str(band.high.value))
        out.append(v if band.high.word in INCLUSIVE else v - step)
    elif ceiling is not None:
        out.append(Fraction(ceiling))
    return [int(v) if v.denominator == 1 else float(v) for v in out]


def outside(band: Band, step=Fraction(1, 100)) -> list:
    """Values just outside the band, beyond each bound it has."""
    out = []
    if band.low is not None:
        v = Fraction(str(band.low.value))
        out.append(v - step if band.low.word in INCLUSIVE else v)
    if band.high is not None:
        v = Fraction(str(band.high.value))
        out.append(v + step if band.high.word in INCLUSIVE else v)
    return [int(v) if v.denominator == 1 else float(v) for v in out if v >= 0]


# --- every table ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(registry.CALCULATORS))
def test_every_calculator_has_tables_with_a_caption_and_a_hit_policy(name):
    ts = decisions.tables(name, RULES)
    assert ts
    for t in ts:
        assert t.caption and t.hit in (UNIQUE, FIRST) and t.hit_policy in ("只有一行适用", "按顺序第一行适用")
        assert len({t.key for t in ts}) == len(ts)


_STATES_A_RULE = re.compile(r"\d|以上|以下|以内|不超过|超过|不满|低于|以前")


@pytest.mark.parametrize("name", list(registry.CALCULATORS))
def test_each_cell_that_states_a_rule_cites_its_clause(name):
    """Every answer cites its clause, and so does every condition with a number or a bound."""
    for t in decisions.tables(name, RULES):
        for n, row in enumerate(t.rows, 1):
            for k, c in enumerate(row.cells):
                output = k >= len(t.inputs)
                if c is ANY or c.text in ("各项",):
                    continue
                if output or _STATES_A_RULE.search(c.text.replace("（", "").split("：")[-1]):
                    assert c.clauses, f"{name} {t.name} 第{n}行：“{c.text}”没有注明条款"


def test_every_cited_clause_exists_in_the_chapters():
    from pathlib import Path

    anchors = set()
    for p in Path("docs").glob("*/[A-Z][A-Z]-[0-9][0-9].md"):
        anchors |= set(re.findall(r"#([A-Z]{2}-\d{2}-[\d-]+)", p.read_text(encoding="utf-8")))
    for section in RULES.values():
        for node in _walk(section):
            if isinstance(node, dict) and isinstance(node.get("clause"), str):
                anchors.add(node["clause"])
    for name in registry.CALCULATORS:
        for t in decisions.tables(name, RULES):
            for c in [c for row in t.rows for c in row.cells] + t.notes:
                for clause in c.clauses:
                    assert clause in anchors, f"{name} {t.name}：{clause}"


def _walk(node):
    yield node
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


# --- what the tables say, from the clauses ---------------------------------------------------

def test_lateness_classes_read_as_fw03_articles_7_and_8_state_them():
    """FW-03 第七条: A 不超过30分钟, B 超过30分钟, 达到120分钟视为旷工; 第八条: 当月第2次
    起扣减, A类20元, B类30元, 旷工不扣减也不计次."""
    t = tables("attendance-fine")
    assert [r[0] for r in texts(t["classes"])] == ["晚于08:30、不超过30分钟", "超过30分钟、不满120分钟", "120分钟以上"]
    assert [r[1].split("，")[0] for r in texts(t["classes"])] == ["A类迟到", "B类迟到", "旷工"]
    assert [r[2] for r in texts(t["classes"])] == ["计入", "计入", "不计入"]
    assert texts(t["fines"]) == [["第1次（不满2次）", "A类迟到或B类迟到", "不扣减"],
                                 ["第2次起", "A类迟到", "20元"], ["第2次起", "B类迟到", "30元"],
                                 ["不计次", "按旷工处理", "不扣减"]]


def test_credit_grade_reads_as_xy03_articles_4_to_6():
    t = tables("credit-grade")
    assert [r[-1] for r in texts(t["grade"])] == ["C级", "A级", "B级"]
    assert len(t["a"].rows) == 6 + 1 and len(t["c"].rows) == 7 + 1
    assert texts(t["a"])[0][1] == "双方业务合作不满1年"            # 第四条（一）: 一年以上 includes one year
    assert texts(t["c"])[1][1] == "存在；或不兑现承诺次数3次以上"   # 第七条（四）
    assert texts(t["c"])[4][1] == "存在；或营业额连续同比下降月数3个月以上"   # 第七条（五）


def test_credit_application_reads_as_xy04_articles_5_6_and_8():
    t = tables("credit-application")
    assert [r[-1] for r in texts(t["decision"])][:2] == ["不予通过；已授信的取消信用", "不具备授信条件"]
    assert [c.text for c in (t["rejection"].rows[k].cells[0] for k in range(8))][6].startswith("（h）")
    assert texts(t["prerequisites"])[1][1] == "不满10000元"           # 第六条（二）: 月销售额1万元以上
    assert [r[0] for r in texts(t["range"])] == ["不满30天", "30天以上、60天以内", "超过60天"]   # 第五条（一）
    period = texts(t["period"])
    assert ["A类（远期付款）", "不满30天", "一个进货周期"] in period                             # 第五条（四）
    assert ["B类（货到付款或远期付款）", "30天以上", "30天"] in period                          # KH-02 第十五条（二）
    assert ["C类（现款现货）", "—", "不给信用期限"] in period
    assert [r[0] for r in texts(t["large"])] == ["不满100万元", "100万元以上"]                # XY-06 第七条（四）


def test_order_check_reads_as_xy05_articles_12_13_and_17():
    t = tables("credit-check")
    rules = texts(t["rules"])
    assert [r[2] for r in rules[2:6]] == ["新客户单笔订单金额超过50000元", "逾期比例超过10%", "最长逾期天数超过30天",
                                         "催款级别超过3次"]
    assert rules[2][1] == "N：检查"                                        # 第十三条: the order cap is N's only
    assert [r[-1] for r in texts(t["release"])] == ["大客户信用经理", "信用经理", "信用经理", "信用专员"]
    assert t["release"].hit == FIRST                                       # 第十七条: 按在先的一项


def test_credit_targets_read_as_xy01_article_12():
    t = tables("credit-kpi")
    assert [r[1] for r in texts(t["target-credit_sales_share"])] == ["—", "低于10%", "10%以上、20%以下", "超过20%"]
    assert [r[1] for r in texts(t["target-contract_performance"])] == ["—", "低于98%", "98%以上"]
    assert [r[1] for r in texts(t["target-bad_debt_rate"])] == ["2%以下", "超过2%"]
    assert [r[1] for r in texts(t["target-overdue_rate"])] == ["5%以下", "超过5%"]


def test_tiering_reads_as_kh02_articles_7_to_10():
    t = tables("customer-tiering")
    # 第八条 20/30/40/10%; 第九条 for 10 customers: 2, 3, 4, 1 places.
    assert [r[1:] for r in texts(t["tiers"])] == [["第1–2名", "A类"], ["第3–5名", "B类"], ["第6–9名", "C类"], ["第10名", "D类"]]
    assert [r[0] for r in texts(t["tiers"])] == ["20%以内", "超过20%、50%以内", "超过50%、90%以内", "超过90%、100%以内"]
    # 第七条（二）: 10 customers in 5 segments of 2.
    assert [r[1:] for r in texts(t["rating"])][:5] == [["第1–2名", "5"], ["第3–4名", "4"], ["第5–6名", "3"],
                                                     ["第7–8名", "2"], ["第9–10名", "1"]]
    assert texts(t["rating"])[-1][-1] == "0"                               # 第七条（四）


def test_tier_terms_read_as_kh02_articles_13_to_19():
    t = tables("tier-terms")
    payment = {row.when["tier"]: row.then for row in t["payment"].rows}
    # 第十七条: the stricter of the tier and the grade; C级 and unrated at most C类.
    assert payment["A"] == {"A": "A", "B": "B", "C": "C", "unrated": "C"}
    assert payment["D"] == {"A": "D", "B": "D", "C": "D", "unrated": "D"}
    assert texts(t["payment"])[0][1] == "A类：远期付款（交货日起60天以内）"   # 第十五条（一）: XY-04's 60 days
    assert [r[2:] for r in texts(t["terms"])] == [["20天以内", "允许插单"], ["30天以内", "由订单部视生产状况决定是否插单"],
                                                 ["40天以内", "不接受插单"], ["不保证交期，逐单约定", "不接受插单"]]
    assert [r[0] for r in texts(t["downgrade"])] == ["不满2次", "2次以上", "不满2次", "2次以上"]   # 第十六条（一）


def test_deadlines_read_as_kh03_articles_8_9_and_21_to_23():
    t = tables("report-deadline")
    assert [r[1] for r in texts(t["due"])] == ["次月6日以前（含当日）", "次月8日以前（含当日），且晚于各业务单位的期限1个工作日以上"]
    f = tables("filing-deadline")
    assert texts(f["due"])[0][1:] == ["首次接触次日起5个工作日以内", "收到次日起2个工作日以内"]


def test_service_rating_reads_as_fw01_articles_21_and_22():
    t = tables("service-rating")
    assert texts(t["levels"]) == [["非常满意", "25分"], ["满意", "20分"], ["一般", "10分"], ["较差", "0分"]]
    assert "满分100分" in texts(t["score"])[0][1] and "30%" in texts(t["score"])[1][1]


# --- each row against its calculator ---------------------------------------------------------

def _rows(name: str):
    """(table key, row) for every row; the test of each calculator must know every table."""
    for t in decisions.tables(name, RULES):
        for row in t.rows:
            yield t.key, row


def _grade_a() -> dict:
    r = RULES["credit_grade"]
    data = {c["field"]: True for c in r["a_conditions"]}
    data.update(cooperation_years=r["min_cooperation_years"]["value"], defaults_2y=r["max_defaults_for_a"]["value"])
    return data


def test_credit_grade_rows_agree_with_the_calculator():
    seen = 0
    for key, row in _rows("credit-grade"):
        w, then = row.when, row.then
        if key == "grade":
            data = _grade_a()
            if w["c"]:
                data["red_flags"] = [next(c["code"] for c in RULES["credit_grade"]["c_conditions"] if "code" in c)]
            elif not w["a"]:
                data["strong_solvency"] = False
            assert run("credit-grade", data)["grade"] == then["grade"], row
        elif key == "a":
            if w["fail"] is None:
                assert all(c["status"] == "ok" for c in run("credit-grade", _grade_a())["checks"][:6])
            else:
                field = next(c["field"] for c in RULES["credit_grade"]["a_conditions"] if c["id"] == w["fail"])
                step = 1 if field == "defaults_2y" else Fraction(1, 100)   # a count, or years
                values = ([{field: v} for v in inside(w[field], step=step, floor=0)] if field in w
                          else [{w["contradicted_by"]: 1}] if "contradicted_by" in w else [{field: False}])
                for change in values:
                    assert check(run("credit-grade", {**_grade_a(), **change}), w["fail"])["status"] == "fail", change
                for v in (outside(w[field], step=step) if field in w else []):
                    assert check(run("credit-grade", {**_grade_a(), field: v}), w["fail"])["status"] == "ok", v
        elif key == "c":
            if w["present"] is None:
                assert run("credit-grade", _grade_a())["grade"] != "C"
            else:
                if "defaults_2y" in w:
                    cases = [({"defaults_2y": v}, True) for v in inside(w["defaults_2y"], step=1)]
                    cases += [({"defaults_2y": v}, False) for v in outside(w["defaults_2y"], step=1)]
                else:
                    cases = [({"red_flags": [w["code"]]}, True)]
                    if "count" in w:
                        cases += [({w["count_field"]: v}, True) for v in inside(w["count"], step=1)]
                        cases += [({w["count_field"]: v}, False) for v in outside(w["count"], step=1)]
                for change, present in cases:
                    result = run("credit-grade", {**_grade_a(), **change})
                    assert (check(result, w["present"])["status"] == "fail") == present, change
                    assert (result["grade"] == "C") == present, change
        else:
            raise AssertionError(f"未测试的表 {key}")
        seen += 1
    assert seen == sum(len(t.rows) for t in decisions.tables("credit-grade", RULES))


def _application(**extra) -> dict:
    return {"licensed": True, "monthly_sales": RULES["credit_application"]["min_monthly_sales"]["value"],
            "good_reputation": True, "credit_grade": "A", "tier": "A", **extra}


def test_credit_application_rows_agree_with_the_calculator():
    order = RULES["tier_terms"]["payment_order"]
    for key, row in _rows("credit-application"):
        w, then = row.when, row.then
        if key == "decision":
            if w["reject"]:
                data = [_application(rejection_criteria=[RULES["credit_application"]["rejection_criteria"][-1]["code"]])]
            elif not w["eligible"]:
                data = [_application(licensed=False), _application(credit_grade=None)]
            else:
                levels = [t for t in order if (tables("credit-application")["period"].rows
                                               and any(r.when.get("pay") == t and r.then["period"] is not None
                                                       for r in tables("credit-application")["period"].rows)) == w["deferred"]]
                assert levels
                data = [_application(tier=t) for t in levels]
            for d in data:
                assert run("credit-application", d)["decision"] == then["decision"], d
        elif key == "rejection":
            if w["reject"] is None:
                assert run("credit-application", _application())["decision"] == "eligible"
            else:
                result = run("credit-application", _application(rejection_criteria=[w["reject"]]))
                assert result["decision"] == "rejected" and check(result, w["reject"])["status"] == "fail"
        elif key == "prerequisites":
            if w["fail"] is None:
                assert run("credit-application", _application())["decision"] == "eligible"
                continue
            field = next(p["field"] for p in RULES["credit_application"]["prerequisites"] if p["id"] == w["fail"])
            if field in w:
                fails = [{field: v} for v in inside(w[field], floor=0)]
                for v in outside(w[field]):
                    assert check(run("credit-application", _application(**{field: v})), w["fail"])["status"] == "ok"
            elif "grades" in w:
                fails = [{"credit_grade": g} for g in w["grades"]]
            else:
                fails = [{field: False}]
            for change in fails:
                result = run("credit-application", _application(**change))
                assert result["decision"] == then["decision"] and check(result, w["fail"])["status"] == "fail", change
        elif key == "range":
            band, allowed = w["period"], then["allowed"]
            low, high = inside(band, step=1, floor=0, ceiling=10_000)
            for t in ("A", "B"):
                for grade in ("A", "B"):
                    for cycle in (None, 1, 29, 30, 45, 60, 90):
                        p = run("credit-application", _application(tier=t, credit_grade=grade, purchase_cycle_days=cycle))[
                            "credit_period_days"]
                        if p is None:
                            continue
                        within = low <= p["min"] and p["max"] <= high
                        given = p["min"] <= high and p["max"] >= low
                        if allowed:
                            assert within or cycle is not None and cycle < 30, (t, grade, cycle, p)
                        elif band.high is not None:   # below the floor: only the short cycle of 第五条（四）
                            assert not given or (cycle is not None and p["max"] == cycle), (t, grade, cycle, p)
                        else:
                            assert not given, (t, grade, cycle, p)
        elif key == "period":
            pay, expected = w["pay"], then["period"]
            if "cycle" not in w:
                assert run("credit-application", _application(tier=pay))["credit_period_days"] is None
                continue
            cycles = [None] if w["cycle"] is None else inside(w["cycle"], step=1, floor=1, ceiling=365)
            for cycle in cycles:
                p = run("credit-application", _application(tier=pay, purchase_cycle_days=cycle))["credit_period_days"]
                want = {"cycle": (cycle, cycle)}.get(expected, expected)
                want = tuple(cycle if x == "cycle" else x for x in want)
                assert (p["min"], p["max"]) == want, (pay, cycle, p)
        elif key == "large":
            unit = 10_000 if (w["limit"].low or w["limit"].high).unit == "万元" else 1   # the input is in 元
            step = Fraction(1, 100 * unit)
            for v, within in ([(v, True) for v in inside(w["limit"], step=step, floor=0, ceiling=10 ** 5)]
                              + [(v, False) for v in outside(w["limit"], step=step)]):
                large = check(run("credit-application", _application(requested_limit=round(v * unit, 2))), "large_credit")
                assert (("为大额授信" in large["text"]) == then["large"]) == within, v
        else:
            raise AssertionError(f"未测试的表 {key}")


def _order(category="X1", **extra) -> dict:
    """An order that passes every check of its category."""
    limit = {"X1": 100_000, "X2": 100_000, "X3": 0, "N": None}[category]
    receivables = -1_000 if category == "X3" else 10_000
    return {"credit_limit": limit, "receivables": receivables, "open_orders": 0, "order_value": 1_000,
            "risk_category": category, **extra}


def _failing(rule: str, category: str) -> dict:
    """An order of the category failing one rule by the least amount."""
    exposure = _order(category)["receivables"] + _order(category)["order_value"]
    return {"r1": _order(category, credit_limit=10_500.99) if category != "X3" else _order(category, receivables=0),
            "r1g": _order(category, group_credit_limit=50_000, group_other_exposure=50_000.01 - exposure),
            "r2": _order(category, order_value=50_000.01),
            "r3": _order(category, receivables=10_000, overdue_amount=1_000.01),
            "r4": _order(category, oldest_overdue_days=31),
            "r5": _order(category, dunning_level=4)}[rule]


def test_order_check_rows_agree_with_the_calculator():
    r = RULES["credit_check"]
    for key, row in _rows("credit-check"):
        w, then = row.when, row.then
        if key == "decision":
            if w.get("missing_limit"):
                for cat in ("X1", "X2", "X3"):
                    result = run("credit-check", _order(cat, credit_limit=None))
                    assert result["decision"] == "block" and result["master_data_issue"], cat
            elif w["fail"]:
                assert run("credit-check", _order(dunning_level=4))["decision"] == "block"
            else:
                for cat in ("X1", "X2", "X3", "N"):
                    assert run("credit-check", _order(cat))["decision"] == "pass", cat
                assert "现款现货或先款后货" in run("credit-check", _order("N"))["headline"]
        elif key == "rules":
            if w["rule"] is None:
                assert run("credit-check", _order())["failed_rules"] == []
                continue
            rule = next(x for x in r["rules"] if x["id"] == w["rule"])
            for cat in rule["applies_to"]:
                if w["rule"] == "r1" and cat == "N":
                    cat_data = _order("N", credit_limit=10_500.99)
                else:
                    cat_data = _failing(w["rule"], cat)
                assert w["rule"] in run("credit-check", cat_data)["failed_rules"], (w["rule"], cat)
            for cat in {"X1", "X2", "X3", "N"} - set(rule["applies_to"]):
                assert check(run("credit-check", _failing(w["rule"], cat)), w["rule"])["status"] == "n/a"
            if "over" in w:   # 不超过: the limit itself passes, a step over fails
                field = {"max_document_value_new": "order_value", "max_oldest_overdue_days": "oldest_overdue_days",
                         "max_dunning_level": "dunning_level", "max_overdue_share": "overdue_amount"}[w["limit"]]
                cat = rule["applies_to"][-1]
                edge = r[w["limit"]]["value"]
                if field == "overdue_amount":   # a share of receivables of 10,000
                    at, over = edge * 100, edge * 100 + 0.01
                else:
                    at, over = edge, edge + (0.01 if field == "order_value" else 1)
                assert check(run("credit-check", _order(cat, **{field: at})), w["rule"])["status"] == "ok"
                assert check(run("credit-check", _order(cat, **{field: over})), w["rule"])["status"] == "fail"
            elif w["rule"] == "r1":   # equal to the limit passes
                assert check(run("credit-check", _order(credit_limit=11_000)), "r1")["status"] == "ok"
                assert check(run("credit-check", _order(credit_limit=10_999.99)), "r1")["status"] == "fail"
            elif w["rule"] == "r1g":
                assert check(run("credit-check", _order(group_credit_limit=50_000, group_other_exposure=39_000)),
                             "r1g")["status"] == "ok"
        elif key == "release":
            cat = w["categories"][0] if "categories" in w else ("X3" if "failed_only" not in w else "X1")
            if "failed_only" in w:
                rule = w["failed_only"][0]
            elif "failed_any" in w:
                rule, cat = w["failed_any"][0], "X1"
            else:
                rule = "r5"
            data = _failing(rule, cat) | {"key_account": bool(w.get("key_account"))}
            result = run("credit-check", data)
            assert result["decision"] == "block" and result["release"]["role"] == then["role"], (w, result["release"])
            _release_in_table_order(tables("credit-check")["release"])
        else:
            raise AssertionError(f"未测试的表 {key}")


def _release_in_table_order(table) -> None:
    """按顺序第一行适用: for frozen orders of every kind, the calculator names the role of
    the first row that matches, read from the row as the table states it."""
    def matches(w: dict, key: bool, cat: str, failed: set) -> bool:
        return ((not w.get("key_account") or key) and ("categories" not in w or cat in w["categories"])
                and ("failed_any" not in w or failed & set(w["failed_any"]))
                and ("failed_only" not in w or failed <= set(w["failed_only"])))

    for key in (False, True):
        for cat in ("X1", "X2", "X3", "N"):
            for rules in (["r1"], ["r3"], ["r5"], ["r1", "r4"], ["r2"], ["r2", "r3"]):
                data = _order(cat, key_account=key, **({"credit_limit": 20_000} if cat == "N" else {}))
                for rule in rules:
                    data |= {k: v for k, v in _failing(rule, cat).items() if k not in ("risk_category",)}
                result = run("credit-check", data)
                failed = set(result["failed_rules"])
                if result["decision"] != "block" or not failed:
                    continue
                first = next(row for row in table.rows if matches(row.when, key, cat, failed))
                assert result["release"]["role"] == first.then["role"], (key, cat, sorted(failed))


def test_each_table_covers_every_case_its_calculator_knows():
    """A row for every condition, situation, criterion, rule, class and level the
    calculator checks: a row lost from a table fails here."""
    grade = tables("credit-grade")
    ids = {c["id"] for c in RULES["credit_grade"]["a_conditions"]}
    assert {r.when["fail"] for r in grade["a"].rows} == ids | {None}
    assert {r.when["present"] for r in grade["c"].rows} == {c["id"] for c in RULES["credit_grade"]["c_conditions"]} | {None}
    app = tables("credit-application")
    schema = registry.get("credit-application").schema()["properties"]
    assert {r.when["reject"] for r in app["rejection"].rows} == set(schema["rejection_criteria"]["items"]["enum"]) | {None}
    assert {r.when["fail"] for r in app["prerequisites"].rows} == {p["id"] for p in RULES["credit_application"]["prerequisites"]} | {None}
    assert {r.when["pay"] for r in app["period"].rows} == set(RULES["tier_terms"]["payment_order"])
    check_rules = tables("credit-check")["rules"]
    assert [r.when["rule"] for r in check_rules.rows] == [x["id"] for x in RULES["credit_check"]["rules"]] + [None]
    assert len(tables("credit-check")["release"].rows) == len(RULES["credit_check"]["release_roles"])
    assert {r.when["target"] for r in decisions.tables("credit-kpi", RULES)[1:] for r in r.rows} == {
        t["id"] for t in RULES["credit_kpi"]["targets"]}
    assert [r.then["tier"] for r in tables("customer-tiering")["tiers"].rows] == RULES["tiering"]["tiers"]
    payment = tables("tier-terms")["payment"]
    assert [r.when["tier"] for r in payment.rows] == RULES["tier_terms"]["payment_order"]
    assert all(set(r.then) == {"A", "B", "C", "unrated"} for r in payment.rows)
    assert [r.when["tier"] for r in tables("tier-terms")["terms"].rows] == RULES["tier_terms"]["payment_order"]
    assert {r.then["class"] for r in tables("attendance-fine")["classes"].rows} == {"A", "B", None}
    assert [r.when["level"] for r in tables("service-rating")["levels"].rows] == [lv["id"] for lv in RULES["service_rating"]["levels"]]
    assert {r.when["kind"] for r in tables("filing-deadline")["due"].rows} == set(
        registry.get("filing-deadline").schema()["properties"]["kind"]["enum"])
    assert {r.when["reporter"] for r in tables("report-deadline")["due"].rows} == set(
        registry.get("report-deadline").schema()["properties"]["reporter"]["enum"])


def _kpi(**extra) -> dict:
    return {"credit_sales": 1_500, "total_sales": 10_000, "contracts_total": 100, "contracts_performed": 99,
            "bad_debt": 100, "overdue": 200, "receivables": 10_000, **extra}


def test_credit_targets_rows_agree_with_the_calculator():
    k = RULES["credit_kpi"]
    indicators = {i["id"]: i for i in k["indicators"]}
    for key, row in _rows("credit-kpi"):
        w, then = row.when, row.then
        if key == "decision":
            if w.get("missed"):
                data = _kpi(overdue=600)
            elif w.get("none"):
                data = {f: 0 for f in _kpi()}
            else:
                data = _kpi()
            assert run("credit-kpi", data)["decision"] == then["decision"]
            continue
        target = next(t for t in k["targets"] if t["id"] == w["target"])
        ind = indicators[target["indicator"]]
        num, den = ind["numerator_field"], ind["denominator_field"]
        if w.get("zero"):
            data = _kpi(**{num: 0, den: 0})
            if den == "contracts_total":
                data["contracts_performed"] = 0
            assert check(run("credit-kpi", data), target["id"])["status"] == then["status"]
            continue
        whole = 100 if den == "contracts_total" else 10_000
        step = Fraction(1) if den == "contracts_total" else Fraction(1, 100)
        rates = [(rate, True) for rate in inside(w["rate"], step=step * 100 / whole, floor=0, ceiling=100)]
        rates += [(rate, False) for rate in outside(w["rate"], step=step * 100 / whole) if rate <= 100]
        for rate, within in rates:
            part = Fraction(str(rate)) * whole / 100
            data = _kpi(**{den: whole, num: int(part) if den == "contracts_total" else float(part)})
            if num == "bad_debt":
                data["overdue"] = max(data["overdue"], data["bad_debt"])
            if num == "overdue":
                data["bad_debt"] = min(data["bad_debt"], data["overdue"])
            status = check(run("credit-kpi", data), target["id"])["status"]
            assert (status == then["status"]) == within, (target["id"], rate, status)


def _tiering(scores: list) -> list[dict]:
    return run("customer-tiering", {"customers": [{"id": f"K{i}", "score": s} for i, s in enumerate(scores)]})["customers"]


def test_tiering_rows_agree_with_the_calculator():
    items = sorted(RULES["tiering"]["items"].values(), key=lambda i: i["seq"])
    ranked = next(i["code"] for i in items if i["method"] == "rank")
    for key, row in _rows("customer-tiering"):
        w, then = row.when, row.then
        if key == "tiers":
            customers = _tiering([100 - k for k in range(w["customers"])])
            assert {c["tier"] for c in customers[w["first"] - 1:w["last"]]} == {then["tier"]}
        elif key == "rating":
            n = w["customers"]
            data = [{"id": f"K{k}", "items": {ranked: 1000 - k}} for k in range(1, n + 1)]
            if w.get("missing"):
                data[-1]["items"] = {}
                ranks = [n]
            else:
                ranks = w["ranks"]
            out = run("customer-tiering", {"customers": data})["customers"]
            assert {out[k - 1]["ratings"][ranked] for k in ranks} == {then["rating"]}
        elif key == "ties":
            if w["tie"] == "items":
                grades = [i["code"] for i in items if i["method"] == "grade"]
                weights = {i["code"]: i["value"] for i in items}
                # Equal totals from different items: the earlier item of 第六条 decides.
                first, second = grades[0], grades[1:]
                assert weights[first] == sum(weights[g] for g in second)
                top = RULES["tiering"]["rating_max"]["value"]
                x = {"id": "X", "items": {first: top}}
                y = {"id": "Y", "items": {g: top for g in second}}
                out = run("customer-tiering", {"customers": [y, x]})["customers"]
                assert out[0]["score"] == out[1]["score"] and out[1]["rank"] < out[0]["rank"]
            else:
                # 10 customers (places A 1–2, B 3–5): a tie over places 2–4 falls mostly in B;
                # over places 2–3, half and half: the middle place (2) is A's.
                first, last = (2, 4) if w["tie"] == "majority" else (2, 3)
                scores = [100 - k for k in range(10)]
                for k in range(first, last + 1):
                    scores[k - 1] = scores[first - 1]
                tiers = {c["tier"] for c in _tiering(scores)[first - 1:last]}
                assert tiers == ({"B"} if w["tie"] == "majority" else {"A"})
        else:
            raise AssertionError(f"未测试的表 {key}")


def test_tier_terms_rows_agree_with_the_calculator():
    order = RULES["tier_terms"]["payment_order"]
    for key, row in _rows("tier-terms"):
        w, then = row.when, row.then
        if key == "payment":
            for grade, pay in then.items():
                result = run("tier-terms", {"tier": w["tier"], "credit_grade": None if grade == "unrated" else grade})
                assert result["payment_tier"] == pay, (w["tier"], grade)
        elif key == "downgrade":
            prior = 0 if w["prior"] == 0 else 1
            steps = {0: 0, 1: 1, "n": prior, "n+1": prior + 1}[then["steps"]]
            lates = [(late, True) for late in inside(w["late"], step=1, floor=0, ceiling=9)]
            lates += [(late, False) for late in outside(w["late"], step=1)]
            for late, within in lates:
                result = run("tier-terms", {"tier": "A", "credit_grade": "A", "late_payments_quarter": late,
                                            "prior_downgrades": prior})
                assert (result["payment_tier"] == order[steps]) == within, (late, prior)
                for tier in order[1:] if within else ():
                    result = run("tier-terms", {"tier": tier, "credit_grade": "A", "late_payments_quarter": late,
                                                "prior_downgrades": prior})
                    assert result["payment_tier"] == order[min(order.index(tier) + steps, len(order) - 1)], (tier, late)
        elif key == "terms":
            result = run("tier-terms", {"tier": w["tier"]})
            assert {k: result[k] for k in then} == then
        else:
            raise AssertionError(f"未测试的表 {key}")


def _month_ends():
    cal = Calendar()
    for year in range(cal.first_year, cal.last_year + 1):
        for month in range(1, 13):
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            if nxt.year <= cal.last_year:
                yield nxt - dt.timedelta(days=1), nxt


def _report(end: dt.date, reporter: str) -> dict:
    return run("report-deadline", {"period_end": end.isoformat(), "reporter": reporter, "frequency": "monthly"})


def test_report_deadline_rows_agree_with_the_calculator():
    r = RULES["reporting"]
    unit_day, summary_day = r["unit_due_day"]["value"], r["summary_due_day"]["value"]
    cal = Calendar()
    ends = list(_month_ends())
    plain = next(e for e, nxt in ends if all(cal.is_working_day(nxt.replace(day=d)) for d in (unit_day, summary_day)))
    moved = next(e for e, nxt in ends if not cal.is_working_day(nxt.replace(day=unit_day)))
    for key, row in _rows("report-deadline"):
        w, then = row.when, row.then
        if key == "due":
            result = _report(plain, w["reporter"])
            assert result["submit_by"] == result["due"] and int(result["due"][-2:]) == then["day"]
        elif key == "rest-day":
            end = moved if w["rest"] else plain
            result = _report(end, "unit")
            due = dt.date.fromisoformat(result["due"])
            assert (result["submit_by"] != result["due"]) == then["moved"]
            if then["moved"]:
                assert result["submit_by"] == cal.on_or_after(due).isoformat()
        elif key == "after-units":
            for end, nxt in ends:
                units = cal.on_or_after(nxt.replace(day=unit_day))
                summary = cal.on_or_after(nxt.replace(day=summary_day))
                short = summary < cal.after(units, r["summary_after_units"]["value"])
                if short == then["moved"]:
                    break
            result = _report(end, "group")
            want = cal.after(units, r["summary_after_units"]["value"]) if then["moved"] else summary
            assert result["submit_by"] == want.isoformat(), end
        else:
            raise AssertionError(f"未测试的表 {key}")


def test_filing_deadline_rows_agree_with_the_calculator():
    cal = Calendar()
    days = [dt.date(cal.first_year, 1, 1) + dt.timedelta(days=k) for k in range(365 * (cal.last_year - cal.first_year))]

    def plain_week(d):   # Monday to next Monday with no holiday or make-up day
        return d.weekday() == 0 and all((x in cal.workdays) is False and (x in cal.holidays) is False
                                        for x in (d + dt.timedelta(days=k) for k in range(15)))

    for key, row in _rows("filing-deadline"):
        w, then = row.when, row.then
        if key == "due":
            monday = next(d for d in days if plain_week(d))
            result = run("filing-deadline", {"kind": w["kind"], "start": monday.isoformat()})
            # 5 working days from the next day: Tuesday to Friday, then Monday (then Wednesday for 2 more).
            assert then["days"] == 5 and result["due"] == (monday + dt.timedelta(days=7)).isoformat()
            assert result["forward_by"] == (monday + dt.timedelta(days=9)).isoformat()
        elif key == "workday":
            extra = []
            if w["day"] == "company":
                x = next(d for d in days if plain_week(d)) + dt.timedelta(days=2)
                extra = [x.isoformat()]
            elif w["day"] == "holiday":
                x = next(d for d in sorted(cal.holidays) if d.weekday() < 5)
            elif w["day"] == "makeup":
                x = next(d for d in sorted(cal.workdays) if d.weekday() >= 5)
            elif w["day"] == "weekend":
                x = next(d for d in days if d.weekday() == 5 and d not in cal.workdays)
            else:
                x = next(d for d in days if d.weekday() < 5 and d not in cal.holidays)
            # Counted: starting the day before makes it the first working day, so the due
            # date comes earlier than starting on it; not counted: the same due date.
            before = run("filing-deadline", {"kind": "new", "start": (x - dt.timedelta(days=1)).isoformat(), "holidays": extra})
            on = run("filing-deadline", {"kind": "new", "start": x.isoformat(), "holidays": extra})
            assert (before["due"] < on["due"]) == then["working"], (w["day"], x)
        else:
            raise AssertionError(f"未测试的表 {key}")


def test_lateness_rows_agree_with_the_calculator():
    for key, row in _rows("attendance-fine"):
        w, then = row.when, row.then
        if key == "classes":
            for minutes in inside(w["minutes"], step=1, floor=0, ceiling=24 * 60):
                fine = run("attendance-fine", {"late_minutes": [minutes]})["fines"][0]
                assert (fine["class"], fine["absence"]) == (then["class"], then["absence"]), minutes
            for minutes in outside(w["minutes"], step=1):
                fine = run("attendance-fine", {"late_minutes": [minutes]})["fines"][0]
                assert (fine["class"], fine["absence"]) != (then["class"], then["absence"]), minutes
        elif key == "fines":
            start = RULES["attendance"]["fine_from_count"]["value"]
            a_minutes, b_minutes = 5, 40
            if w["count"] == "before":
                fines = run("attendance-fine", {"late_minutes": [a_minutes] * (start - 1) + [b_minutes]})["fines"]
                assert [f["fine"] for f in fines[:start - 1]] == [0] * (start - 1)
            elif w["count"] == "from":
                minutes = a_minutes if w["class"] == "A" else b_minutes
                fines = run("attendance-fine", {"late_minutes": [a_minutes] * (start - 1) + [minutes, minutes]})["fines"]
                assert [f["fine"] for f in fines[start - 1:]] == [then["fine"]] * 2
            else:
                fines = run("attendance-fine", {"late_minutes": [a_minutes, 130] + [a_minutes] * start})["fines"]
                assert fines[1]["absence"] and fines[1]["fine"] == 0 and fines[1]["count"] is None
                assert fines[2]["count"] == 2
        else:
            raise AssertionError(f"未测试的表 {key}")


def test_service_rating_rows_agree_with_the_calculator():
    r = RULES["service_rating"]
    names = {lv["id"]: lv["name"] for lv in r["levels"]}
    criteria = [c["id"] for c in r["criteria"]]

    def rate(*surveys):
        return run("service-rating", {c: [s[k] for s in surveys] for k, c in enumerate(criteria)})

    for key, row in _rows("service-rating"):
        w, then = row.when, row.then
        if key == "levels":
            result = rate([names[w["level"]]] * len(criteria))
            assert result["survey_scores"] == [then["points"] * len(criteria)]
        elif key == "follow-up":
            level = names["poor"] if w["poor"] else names["average"]
            survey = [names["very_satisfied"]] * (len(criteria) - 1) + [level]
            assert rate(survey)["follow_up_required"] == then["follow_up_required"]
        elif key == "score":
            if w["surveys"] == 0:
                with pytest.raises(InputError, match=then["error"]):
                    rate()
            elif w["surveys"] == 1:
                survey = [names["very_satisfied"], names["satisfied"], names["average"], names["poor"]][:len(criteria)]
                assert rate(survey)["survey_scores"] == [sum(r[lv["score"]]["value"] for lv in r["levels"])]
            else:
                top, low = [names["very_satisfied"]] * len(criteria), [names["average"]] * len(criteria)
                result = rate(top, low)
                mean = (sum(result["survey_scores"])) / 2
                assert float(result["monthly_score"]) == mean
                assert float(result["weighted_score"]) == mean * r["appraisal_weight"]["value"] / 100
        else:
            raise AssertionError(f"未测试的表 {key}")
