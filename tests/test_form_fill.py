"""A form filled in the page, in CPython (calc/form_fill.py, calc/form_prefill.py): values read
the way staff type them, one Chinese line per wrong field, amounts in figures and 大写, the
record saved and loaded (a record of an earlier version says which fields changed), and the
four calculators' answers written into their forms. The page runs this same module in
Pyodide (tests/test_forms_pyodide.py) and in Chromium (tests/test_forms_chromium.py)."""

import copy
import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from calc import form_fill, form_prefill, registry
from handbook import documents, form_pages, forms, revisions
from tests.support import ROOT, load_cases

pytestmark = pytest.mark.cpython

DOCS = documents.load_all()
MANIFEST = revisions.load()
SPECS = {fid: form_pages.spec(d, DOCS[d["document"]], MANIFEST[d["document"]])
         for fid, d in forms.all_definitions(DOCS).items()}
AMOUNTS = json.loads((ROOT / "tests" / "data" / "amount-words.json").read_text(encoding="utf-8"))
APPLICATION = {"application_kind": "新增授信", "customer_name": "华东机电有限公司", "product_volume": "每月约20吨",
               "product_types": "电缆", "licensed": "是", "monthly_sales": "２万", "good_reputation": "是",
               "credit_grade": "A级", "tier": "A类", "requested_limit": "1,234,567.89", "requested_period_days": "４５"}


def _read(form_id, raw):
    return form_fill.read(SPECS[form_id], raw)


def _messages(answer):
    return {e["field"]: e["message"] for e in answer["errors"]}


def test_the_credit_application_reads_what_staff_type():
    answer = _read("credit_application_form", APPLICATION)
    assert answer["errors"] == []
    v = answer["values"]
    assert v["monthly_sales"] == 20000 and v["requested_period_days"] == 45 and v["licensed"] is True
    assert answer["shown"]["requested_limit"] == "¥1,234,567.89"
    assert answer["words"]["requested_limit"] == "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    assert answer["words"]["monthly_sales"] == "人民币贰万元整"
    assert answer["shown"]["requested_period_days"] == "45天"


@pytest.mark.parametrize("amount,words,rule", AMOUNTS["examples"], ids=[e[0] for e in AMOUNTS["examples"]])
def test_an_amount_field_prints_the_official_capital_words(amount, words, rule):
    """The rules for filling bills (each zero rule on both sides): the form's amount field
    writes what calc/amount_words writes, or refuses an amount beyond the form's 15 digits."""
    answer = _read("credit_application_form", {**APPLICATION, "requested_limit": amount})
    if Decimal(amount) > form_fill.MAX_AMOUNT:
        assert "金额过大" in _messages(answer)["requested_limit"]
    else:
        assert answer["words"]["requested_limit"] == words, rule


@pytest.mark.parametrize("typed,words", [
    ("-0.01", "不能为负数"), ("1.234", "最多保留到分"), ("10000000000000", "金额过大"),
    ("abc", "应为数字"), ("1.5万元", None), ("￥１２３．４５", None), ("9999999999999.99", None),
])
def test_an_amount_out_of_the_rules_is_refused_with_its_reason(typed, words):
    answer = _read("credit_application_form", {**APPLICATION, "requested_limit": typed})
    message = _messages(answer).get("requested_limit")
    if words is None:
        assert message is None and answer["words"]["requested_limit"].startswith("人民币")
    else:
        assert message.startswith("申请的信用额度：") and words in message


def test_every_wrong_field_is_named_at_once_in_chinese():
    raw = {**APPLICATION, "customer_name": " ", "tier": "X类", "requested_period_days": "-1",
           "purchase_cycle_days": "0", "monthly_sales": "二万"}
    m = _messages(_read("credit_application_form", raw))
    assert m["customer_name"] == "请填写客户名称"
    assert "不是可选的选项" in m["tier"] and "A类" in m["tier"]
    assert m["requested_period_days"] == "申请的信用期限：应不小于 0天，收到 -1天"        # 0 included
    assert m["purchase_cycle_days"] == "进货周期：应不小于 1天，收到 0天"
    assert m["monthly_sales"].startswith("在本公司的月销售额：应为数字")
    assert not [msg for msg in m.values() if re.search(r"[A-Za-z]{3,}", msg)]   # no English words


def test_dates_are_read_in_the_usual_chinese_styles():
    raw = {"order_no": "SO-1", "customer_name": "甲", "order_value": "5万", "risk_category": "X1",
           "blocked_on": "2026年12月6日", "failed_checks": [{"item": "信用额度"}], "decision": "放行",
           "ground": SPECS["credit_release_record"]["sections"][2]["fields"][2]["options"][0],
           "decided_on": "２０２６/１２/７", "decider": "信用经理"}
    answer = _read("credit_release_record", raw)
    assert answer["errors"] == []
    assert answer["values"]["blocked_on"] == "2026-12-06" and answer["values"]["decided_on"] == "2026-12-07"
    assert answer["shown"]["decided_on"] == "2026年12月7日"
    bad = _messages(_read("credit_release_record", {**raw, "decided_on": "2026年2月30日"}))
    assert bad["decided_on"] == "决定日期：没有这一天（2026年2月30日）"


def test_a_table_keeps_its_rows_and_names_the_row_and_column_of_a_mistake():
    raw = {"failed_checks": [{"item": "信用额度", "actual": "110000"}, {}, {"actual": "x"}]}
    answer = _read("credit_release_record", raw)
    m = _messages(answer)
    assert m["failed_checks[2].item"] == "未通过的检查项目第 3 行：请填写“检查项目”"
    assert "failed_checks" not in m                       # one row is there
    assert _messages(_read("credit_release_record", {"failed_checks": [{}, {}]}))["failed_checks"] == \
        "请填写未通过的检查项目（至少一行）"


def test_rows_from_the_parameter_file_stay_in_place_and_cells_are_checked():
    rows = [{"basis": "销售额500万", "rating": "5"}, {}, {"rating": "6"}]
    answer = _read("customer_tiering_score", {"customer_id": "K1", "customer_name": "甲", "year": "2026", "items": rows})
    m = _messages(answer)
    assert m["items[2].rating"] == "逐项评级“产品利润率”的“评级”：应不大于 5，收到 6"
    ok = _read("customer_tiering_score", {"customer_id": "K1", "customer_name": "甲", "year": "2026", "items": rows[:2]})
    assert ok["errors"] == [] and ok["values"]["items"][1] == {}


def test_a_pattern_field_says_how_to_write_it():
    raw = {"complaint_no": "ＴＳ－２０２６１２－００７"}
    assert "complaint_no" not in _messages(_read("complaint_form", raw))
    assert _read("complaint_form", raw)["values"]["complaint_no"] == "TS-202612-007"
    m = _messages(_read("complaint_form", {"complaint_no": "TS-202613-007"}))
    assert m["complaint_no"].startswith("投诉编号：按“TS-年月-流水号”编号")


def test_text_longer_than_the_limit_is_refused():
    m = _messages(_read("credit_application_form", {**APPLICATION, "customer_name": "甲" * 1001}))
    assert m["customer_name"] == "客户名称：文字过长（最多 1,000 个字符，收到 1,001 个）"


# --- the record -------------------------------------------------------------------------------

def _record(spec, raw=APPLICATION, who="张三", prefill=None):
    return form_fill.make_record(spec, raw, who, prefill, saved_at="2026-12-06T10:00:00+08:00")


def test_a_record_carries_the_form_the_version_its_hash_who_and_when():
    spec = SPECS["credit_application_form"]
    rec = _record(spec)["record"]
    latest = MANIFEST["XY-04"][-1]
    assert rec["format"] == "handbook-form-record/1"
    assert (rec["form"], rec["form_number"], rec["document"]) == ("credit_application_form", "XY-04-F01", "XY-04")
    assert (rec["version"], rec["sha256"], rec["effective"]) == (latest.version, latest.sha256, latest.effective)
    assert rec["form_digest"] == forms.digest(forms.all_definitions(DOCS)["credit_application_form"])
    assert rec["made_by"] == "张三" and rec["saved_at"] == "2026-12-06T10:00:00+08:00"
    assert rec["values"]["monthly_sales"] == "２万" and rec["read"]["monthly_sales"] == 20000
    assert _record(spec, who=" ")["errors"] == [{"field": "made_by", "message": "请填写保存人（经办人姓名）"}]
    assert "errors" in _record(spec, raw={**APPLICATION, "tier": ""})


def test_a_saved_record_loads_back_as_it_was_typed():
    spec = SPECS["credit_application_form"]
    text = json.dumps(_record(spec)["record"], ensure_ascii=False)
    back = form_fill.load(spec, text, today="2026-12-06")
    assert back["raw"] == {k: v for k, v in APPLICATION.items()}
    assert back["notes"] == [] and back["changes"] == [] and back["left_out"] == [] and back["state"] == "current"


def test_a_record_of_a_superseded_version_says_so_and_which_fields_changed():
    spec = SPECS["credit_application_form"]
    rec = _record(spec)["record"]
    old = MANIFEST["XY-04"][-2]
    rec.update(version=old.version, sha256=old.sha256, effective=old.effective, form_digest="0" * 64)
    rec["fields"] = [f for f in rec["fields"] if f["id"] != "product_types"]          # added since
    rec["fields"].append({"id": "fax", "label": "传真", "type": "text"})              # removed since
    rec["values"]["fax"] = "021-1234"
    for f in rec["fields"]:
        if f["id"] == "customer_name":
            f["label"] = "客户全称"
        if f["id"] == "tier":
            f["options"] = ["A类", "B类", "C类", "D类"]
    back = form_fill.load(spec, json.dumps(rec, ensure_ascii=False), today="2026-12-06")
    assert back["state"] == "superseded"
    assert back["notes"][0].startswith(f"该记录按 XY-04 第 {old.version} 版（{old.effective} 生效）填写，该版本已被替代；"
                                       f"现行为第 {MANIFEST['XY-04'][-1].version} 版")
    assert "新增栏目“使用的产品品种”" in back["changes"]
    assert "删去栏目“传真”" in back["changes"]
    assert "栏目“客户全称”改名为“客户名称”" in back["changes"]
    assert "“客户价值分级”的选项改为：A类、B类、C类、D类、尚未分级" in back["changes"]
    assert back["left_out"] == [{"field": "fax", "label": "传真", "value": "021-1234"}]   # never dropped silently


def test_a_record_whose_hash_or_version_the_release_record_does_not_know_is_flagged():
    spec = SPECS["credit_application_form"]
    rec = _record(spec)["record"]
    forged = form_fill.load(spec, json.dumps({**rec, "sha256": "f" * 64}), today="2026-12-06")
    assert forged["state"] == "mismatch" and "SHA-256 与发布记录中 XY-04 第" in forged["notes"][0]
    unknown = form_fill.load(spec, json.dumps({**rec, "version": "9.9"}), today="2026-12-06")
    assert unknown["state"] == "unknown" and "“9.9”不在 XY-04 的发布记录中" in unknown["notes"][0]


@pytest.mark.parametrize("text,words", [
    ("", "文件是空的"), ("{", "不是 JSON 格式"), ('{"a": 1}', "不是本手册的表单记录"),
    ("[" * 100000, "不是 JSON 格式"),
])
def test_a_file_that_is_not_a_record_is_refused_in_one_line(text, words):
    assert words in form_fill.load(SPECS["credit_application_form"], text)["error"]


def test_a_record_of_another_form_is_refused_naming_it():
    rec = _record(SPECS["credit_application_form"])["record"]
    error = form_fill.load(SPECS["credit_survey"], json.dumps(rec, ensure_ascii=False))["error"]
    assert error.startswith("这是《客户信用申请表》（XY-04-F01）的记录，不是《客户信用调查评定表》的记录")


def test_the_page_entry_point_answers_json_and_a_bug_in_chinese():
    spec = SPECS["credit_application_form"]
    out = json.loads(registry.run_json("form-fill", json.dumps({"action": "read", "spec": spec, "raw": APPLICATION})))
    assert out["words"]["requested_limit"].startswith("人民币壹佰贰拾叁万")
    assert json.loads(registry.run_json("form-fill", "{"))["error"] == "表单请求不是合法的 JSON"
    assert json.loads(registry.run_json("form-fill", json.dumps({"action": "x", "spec": spec})))["error"] == "未知的操作 \"x\""
    broken = json.loads(registry.run_json("form-fill", json.dumps({"action": "read", "spec": {"id": "x", "sections": 5}, "raw": {}})))
    assert broken["error"].startswith("表单程序内部错误")


# --- the calculators' answers into their forms ------------------------------------------------

def _handoff(name, raw):
    result = json.loads(registry.run_form(name, json.dumps(raw, ensure_ascii=False)))
    assert "error" not in result, result
    return {"calculator": name, "title": registry.get(name).TITLE, "result": result, "raw": raw,
            "program": "calc 0.1.0，4a0a83282fa0", "at": "2026-12-06T10:00:00.000Z"}


def _prefilled(form_id, handoff):
    out = form_prefill.prefill(SPECS[form_id], handoff)
    assert "error" not in out, out
    answer = form_fill.read(SPECS[form_id], out["raw"])
    filled = set(out["raw"])
    assert [e for e in answer["errors"] if e["field"].split("[")[0] in filled] == [], answer["errors"]
    return out, answer


def test_a_credit_application_result_fills_the_application_form():
    """Grade A, tier A, a purchase cycle of 45 days: XY-04 第五条（一）gives 30 to 60 days,
    （四）caps it at one purchase cycle: 30 to 45 days; 1,234,567.89 is a large credit."""
    raw = {"licensed": True, "monthly_sales": "2万", "good_reputation": True, "credit_grade": "A", "tier": "A",
           "purchase_cycle_days": "45", "requested_limit": "1234567.89", "rejection_criteria": ["h"]}
    out, answer = _prefilled("credit_application_form", _handoff("credit-application", raw))
    v = answer["values"]
    assert v["credit_grade"] == "A级" and v["tier"] == "A类" and v["monthly_sales"] == 20000
    assert v["rejection_criteria"] == ["（h）责令停业或整改"]
    assert answer["words"]["requested_limit"] == "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    assert v["review_decision"].startswith("不予通过")                    # (h) rejects even grade A
    checks = {r["item"]: r for r in v["review_checks"]}
    assert checks["责令停业或整改"]["clause"] == "XY-04 第八条（h）" and checks["责令停业或整改"]["result"] == "出现"
    version = MANIFEST["XY-04"][-1].version
    assert f"依据 XY-04《信用额度与信用期限管理办法》第 {version} 版" in v["review_basis"]
    assert "credit-application" in v["review_basis"] and "4a0a83282fa0" in v["review_basis"]
    src = out["sources"]["credit_grade"]
    assert (src["calculator"], src["document"], src["version"], src["program"]) == \
        ("credit-application", "XY-04", version, "calc 0.1.0，4a0a83282fa0")
    eligible, answer = _prefilled("credit_application_form",
                                  _handoff("credit-application", {**raw, "rejection_criteria": []}))
    assert answer["values"]["credit_period_range"] == "30至45天"
    # What is for people to decide is left to them.
    assert not {"application_kind", "customer_name", "requested_period_days"} & set(eligible["raw"])


def test_a_credit_grade_result_fills_the_rating_form():
    """XY-03 第五条（二）: broken promises 3 or more times in 12 months is grade C."""
    raw = {"cooperation_years": "1.5", "defaults_2y": "0", "lawful_and_reliable": True, "good_operation_2y": True,
           "strong_solvency": True, "meets_annual_targets": True, "broken_promises": "3"}
    out, answer = _prefilled("credit_survey", _handoff("credit-grade", raw))
    v = answer["values"]
    assert v["initial_grade"] == "C级" and v["red_flags"] == ["经常不兑现承诺"]
    assert v["cooperation_years"] == 1.5 and answer["shown"]["cooperation_years"] == "1.5年"
    assert any(r["clause"] == "XY-03 第五条（二）" and r["result"] == "出现" for r in v["grade_basis"])
    assert f"XY-03《客户信用等级评定办法》第 {MANIFEST['XY-03'][-1].version} 版" in v["calc_basis"]


def test_only_a_blocked_order_fills_the_release_record():
    """XY-05 第十二条（一）: exposure 110,000 over a limit of 100,000 blocks the order; 第十七条
    （三）: the credit manager releases it."""
    base = {"credit_limit": "100000", "receivables": "50000", "open_orders": "30000", "risk_category": "X1"}
    passed = _handoff("credit-check", {**base, "order_value": "20000"})
    assert form_prefill.form_for("credit-check", passed["result"]) is None
    assert "订单未被冻结" in form_prefill.prefill(SPECS["credit_release_record"], passed)["error"]
    out, answer = _prefilled("credit_release_record", _handoff("credit-check", {**base, "order_value": "30000"}))
    v = answer["values"]
    assert v["order_value"] == 30000 and v["exposure"] == 110000 and v["credit_limit"] == 100000
    assert answer["words"]["exposure"] == "人民币壹拾壹万元整"
    assert [r["item"] for r in v["failed_checks"]] == ["信用额度"]
    assert v["failed_checks"][0]["clause"] == "XY-05 第十二条（一）"
    assert v["responsible"] == "信用经理（XY-05 第十七条（三））"
    assert "decision" not in v and "ground" not in v and "decider" not in v      # the person's to decide


def test_a_tiering_fills_the_tier_list_in_rank_order():
    """KH-02 第八条, 第九条: ten customers, A 2 B 3 C 4 D 1."""
    cases = load_cases("customer-tiering")["cases"]
    case = next(c for c in cases if c["expect"].get("tiers") == {"A": 2, "B": 3, "C": 4, "D": 1})
    result = registry.run("customer-tiering", case["input"])
    handoff = {"calculator": "customer-tiering", "title": "客户分级", "result": result, "raw": {},
               "file": "客户.csv", "at": ""}
    out, answer = _prefilled("customer_tier_list", handoff)
    v = answer["values"]
    assert (v["participants"], v["count_a"], v["count_b"], v["count_c"], v["count_d"]) == (10, 2, 3, 4, 1)
    assert [r["tier"] for r in v["customers"]] == case["expect"]["customers_tiers"]
    assert [r["rank"] for r in v["customers"]] == sorted(r["rank"] for r in v["customers"])
    assert "客户.csv" in v["attachment"]
    # The ranked list as the upload's download writes it, when the answer carries no objects.
    csv = "\ufeff客户编号,总分,名次,分级\r\nK2,90,2,A\r\nK1,95,1,A\r\n"
    from_csv = form_prefill.prefill(SPECS["customer_tier_list"],
                                    {**handoff, "result": {k: v for k, v in result.items() if k != "customers"}, "csv": csv})
    assert [r["customer_id"] for r in from_csv["raw"]["customers"]] == ["K1", "K2"]
    # Too long to travel with the page: the counts, and the file named for the list.
    bare = form_prefill.prefill(SPECS["customer_tier_list"],
                                {**handoff, "result": {k: v for k, v in result.items() if k != "customers"}})
    assert bare["raw"]["participants"] == "10" and "customers" not in bare["raw"]
    assert bare["raw"]["attachment"].endswith("；名单见该文件")


def test_the_forms_in_force_are_listed_for_offline_use():
    pages = dict(form_pages.offline_pages(DOCS, MANIFEST))
    assert len(pages) == 42 and pages["forms/credit_application_form/"] == "XY-04-F01 客户信用申请表"


def test_a_result_cannot_go_to_another_calculators_form():
    handoff = _handoff("credit-grade", {"cooperation_years": "2", "defaults_2y": "0", "lawful_and_reliable": True,
                                        "good_operation_2y": True, "strong_solvency": True, "meets_annual_targets": True})
    assert form_prefill.prefill(SPECS["credit_application_form"], handoff)["error"] == "该计算结果不能填入《客户信用申请表》"


def test_every_prefilled_field_exists_in_its_form():
    for name, fid in form_prefill.HANDOFFS.items():
        ids = {f["id"] for f in form_fill.fields_of(SPECS[fid])}
        basis = form_prefill._MAPS[name][1]
        assert basis in ids, (name, basis)


# --- the command line: the same Python -----------------------------------------------------

def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "handbook", "form", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True)


def test_the_command_line_reads_a_record_with_the_pages_python(tmp_path):
    rec = _record(SPECS["credit_application_form"])["record"]
    path = tmp_path / "申请.json"
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    ok = _cli("XY-04-F01", "--input", str(path))
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["words"]["requested_limit"] == "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    assert out["version"] == MANIFEST["XY-04"][-1].version and out["notes"] == []
    bad = _cli("credit_application_form", stdin=json.dumps({**APPLICATION, "requested_limit": "-1"}, ensure_ascii=False))
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "申请的信用额度：金额不能为负数"
    unknown = _cli("XY-99-F01", stdin="{}")
    assert unknown.returncode == 2 and "没有表单 XY-99-F01" in unknown.stderr


def test_spec_copies_do_not_share_state():
    spec = copy.deepcopy(SPECS["credit_application_form"])
    spec["sections"][0]["fields"][0]["options"].append("其他")
    assert "其他" not in SPECS["credit_application_form"]["sections"][0]["fields"][0]["options"]
