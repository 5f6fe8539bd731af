"""The tiering calculator's CSV path (KH-02 第六条至第十条, issue 18): a tiering is built on
the whole file or not at all; what Excel writes (percent cells, 万, thousands separators,
the document's own column names) is read exactly; the download is the ranked list with its
basis. Expected answers come from the clauses, not from the code's output."""

import csv
import hashlib
import io
import json
import random

import pytest

from calc import customer_tiering, parameters, registry
from calc.schema import validate

pytestmark = pytest.mark.cpython

ITEMS = "销售规模,付款信誉,产品利润率,产品订量,销售模式,本公司产品在其销售总额中的比例,经营产品历史,行业知名度"

pytestmark = pytest.mark.cpython


def _upload(text: str) -> dict:
    return upload(text.encode("utf-8"))


def upload(data: bytes) -> dict:
    """The page's path: calc.registry.run_upload, as the worker calls it."""
    return json.loads(registry.run_upload("customer-tiering", data))


def _ranked(out: dict) -> list[dict]:
    """The downloaded CSV as rows (the page shows the same list)."""
    return list(csv.DictReader(io.StringIO(out["csv"].lstrip("\ufeff"), newline="")))


def _ids(out: dict) -> list[str]:
    return [r["客户编号"] for r in _ranked(out)]


def _refused(out: dict) -> str:
    """A file that tiers nobody: no result, no download, one headline and grouped causes."""
    assert out.get("result") is None and out.get("csv") is None, out
    assert out["field"] == "CSV"
    assert "其余行已分级" not in json.dumps(out, ensure_ascii=False)
    return out["error"] + "\n" + "\n".join(p["message"] for p in out.get("problems", []))


# --- nothing built on part of the file ------------------------------------------------

def test_an_unbalanced_quote_does_not_swallow_the_rows_after_it():
    """N1: 20 rows, `"公司3` on line 4: 3 customers were tiered with no error."""
    rows = "".join(f"C{i},{i * 4},公司{i}\n" for i in range(1, 21)).replace("C3,12,公司3\n", 'C3,12,"公司3\n')
    out = _upload("客户编号,总分,客户名称\n" + rows)
    message = _refused(out)
    assert "第 4 行" in message and "引号" in message


def test_an_unbalanced_quote_in_a_long_file_names_its_line():
    rows = "".join(f"C{i},{i % 100},公司{i}\n" for i in range(1, 1001)).replace("C6,6,公司6\n", 'C6,6,"ACME\n')
    message = _refused(_upload("客户编号,总分,客户名称\n" + rows))
    assert "第 7 行" in message


def test_a_line_break_inside_a_quoted_cell_is_refused_naming_its_lines():
    """Decision: a cell may not span lines (no customer field needs it, and it is what a
    stray quote looks like); the message names where it starts and ends."""
    message = _refused(_upload('客户编号,客户名称,总分\nC1,"甲公司\n（华东）",90\nC2,乙,80\n'))
    assert "第 2 行" in message and "第 2 至 3 行" in message


@pytest.mark.parametrize("last", ['C2,6,"乙\n', 'C2,6,"乙', 'C2,6,"乙"公司\n'])
def test_a_quote_left_open_in_the_last_row_or_text_after_a_quote_is_refused(last):
    message = _refused(_upload("客户编号,总分,客户名称\nC1,5,甲\n" + last))
    assert "第 3 行" in message and "引号" in message


def test_quoted_commas_and_doubled_quotes_on_one_line_are_read():
    out = _upload('客户编号,客户名称,总分\nC1,"甲,乙 ""联合""公司",90\nC2,丙,80\n')
    assert out["row_errors"] == [] and _ranked(out)[0]["客户名称"] == '甲,乙 "联合"公司'


def test_more_cells_than_the_header_is_a_row_error_not_a_silent_cut():
    """8,513,000 without quotes is four cells: the score would have been read as 8."""
    message = _refused(_upload("客户编号,总分\nC1,8,513,000\nC2,5\n"))
    assert "第 2 行" in message and "多" in message


def test_a_file_with_a_bad_row_tiers_nobody():
    """H3: 30 customers, row 7 with 付款信誉 7 and row 10 with no id: the quotas were over 28."""
    rows = [f"K{i:02d},{i * 1000},{i % 6}" for i in range(1, 31)]
    rows[5] = "K06,6000,7"
    rows[8] = ",9000,3"
    out = _upload("客户编号,销售规模,付款信誉\n" + "\n".join(rows) + "\n")
    message = _refused(out)
    assert out["error"].startswith("文件中有 2 行有误，没有分级")
    assert "付款信誉列：第 7 行" in message and "客户编号列：第 10 行" in message
    assert [e["line"] for e in out["row_errors"]] == [7, 10]


def test_one_message_per_cause_with_the_lines_as_ranges():
    rows = "".join(f"K{i},5,{i}%\n" for i in range(1, 31))   # 30 rows, 付款信誉 as a percent
    out = _upload("客户编号,产品订量,付款信誉\n" + rows)
    _refused(out)
    assert out["error"].startswith("全部 30 行都有误，没有分级")
    assert [p["message"].split("行")[0] for p in out["problems"]] == ["付款信誉列：第 2–31 "]
    assert out["problems"][0]["count"] == 30 and out["problems"][0]["first_line"] == 2
    assert len(out["row_errors"]) == 30


def test_a_file_of_wrong_rows_is_answered_in_a_few_lines():
    """100,000 rows with a percent sign in a rating: one cause, the first 1,000 cells listed."""
    from calc.csv_table import MAX_ROWS
    out = _upload("客户编号,付款信誉\n" + "".join(f"K{i},{i % 6}%\n" for i in range(MAX_ROWS)))
    assert out["error"].startswith(f"全部 {MAX_ROWS} 行都有误")
    assert len(out["problems"]) == 1 and out["problems"][0]["count"] == MAX_ROWS
    assert out["problems"][0]["message"].startswith(f"付款信誉列：第 2–{MAX_ROWS + 1} 行不是百分比")
    assert len(out["row_errors"]) == 1000 and out["row_errors_total"] == MAX_ROWS


def test_lines_of_a_cause_are_listed_as_ranges_and_counted():
    bad = {2, 3, 4, 7, 9, 10, 11}
    rows = "".join(f"K{i},{'x' if i + 1 in bad else i}\n" for i in range(1, 13))
    out = _upload("客户编号,总分\n" + rows)
    (problem,) = out["problems"]
    assert problem["message"].startswith("总分列：第 2–4、7、9–11 行应为数字")
    assert "收到“x”" in problem["message"] and problem["count"] == 7


def test_a_good_file_has_no_problems_and_is_tiered():
    good = "客户编号,总分\n" + "".join(f"K{i},{i}\n" for i in range(1, 11))
    out = _upload(good)
    assert out["row_errors"] == [] and out["problems"] == [] and "error" not in out
    assert out["result"]["tiers"] == {"A": 2, "B": 3, "C": 4, "D": 1}


# --- what Excel writes ---------------------------------------------------------------

def test_percent_cells_in_the_ratio_columns_are_read():
    """H2: Excel writes 产品利润率 and 本公司产品…比例 formatted as percent: 9.2%, 51%."""
    out = _upload("客户编号,产品利润率,本公司产品在其销售总额中的比例\nK1,9.2%,51%\nK2,18.4%,12%\nK3,3%,80%\n")
    assert out["problems"] == []
    # 10 of 15 points for a 3-customer list: K2 leads 产品利润率 (5 → 15), K3 leads the share.
    scores = {r["客户编号"]: float(r["总分"]) for r in _ranked(out)}
    assert scores == {"K1": 15 * 4 / 5 + 10 * 4 / 5, "K2": 15 + 10 * 3 / 5, "K3": 15 * 3 / 5 + 10}


def test_a_percent_column_must_be_written_one_way():
    """9.2% and 0.3 in one column cannot be compared (0.3 = 30% or 0.3%?)."""
    message = _refused(_upload("客户编号,产品利润率\nK1,9.2%\nK2,18%\nK3,0.3\n"))
    assert "产品利润率列：第 4 行不带%号" in message


@pytest.mark.parametrize("column,cell", [("销售规模", "12%"), ("付款信誉", "80%"), ("总分", "80%")])
def test_a_percent_sign_where_the_item_is_not_a_ratio_is_refused(column, cell):
    message = _refused(_upload(f"客户编号,{column}\nK1,{cell}\nK2,3\n"))
    assert f"{column}列：第 2 行" in message


def test_wan_and_thousands_separators_in_an_amount_column():
    """24万 = 240,000 (the form reader's rule, calc/form_input.py); "8,513,000" is one number."""
    out = _upload('客户编号,销售规模\nK1,24万\nK2,"239,999"\nK3,"8,513,000"\nK4,¥240001\nK5,1.5亿\n')
    assert out["problems"] == []
    assert _ids(out) == ["K5", "K3", "K4", "K1", "K2"]


def test_wan_is_refused_where_it_is_not_an_amount():
    message = _refused(_upload("客户编号,付款信誉\nK1,3万\nK2,3\n"))
    assert "付款信誉列：第 2 行" in message


def test_spaces_around_cells_are_not_part_of_them():
    out = _upload("客户编号,总分,销售规模\n C1 , 90 ,\nC2,,  \t\nC3,\u300080 ,\n")
    assert out["problems"] == [{"message": "第 3 行：没有总分，也没有计分项目数据", "count": 1, "first_line": 3}]
    out = _upload("客户编号,总分,销售规模\n C1 , 90 ,  \nC3,\u300080 ,\n")
    assert out["problems"] == [] and _ids(out) == ["C1", "C3"] and _ranked(out)[0]["总分"] == "90"


def test_full_width_digits_are_read():
    out = _upload("客户编号,总分\nK1,９０\nK2,８０\n")
    assert _ids(out) == ["K1", "K2"] and _ranked(out)[0]["总分"] == "90"


@pytest.mark.parametrize("cell", ["1e-400", "1E5", "1.23457E+11", "1e999"])
def test_scientific_notation_is_refused_with_how_to_fix_it(cell):
    """N16: 1e-400 was read as 0, 1e999 reported as 收到 inf. Excel writes 1.23457E+11 for
    a long number it has already shortened."""
    message = _refused(_upload(f"客户编号,销售规模\nK1,{cell}\nK2,5\n"))
    assert "科学计数法" in message and f"“{cell}”" in message and "inf" not in message


@pytest.mark.parametrize("cell,words", [
    ("100.0000000000000001", "不能大于 100"),   # N16: read as 100 and accepted
    ("100.01", "不能大于 100"),
    ("-0.01", "不能小于 0"),
])
def test_a_total_score_over_or_under_its_limit_is_refused_exactly(cell, words):
    message = _refused(_upload(f"客户编号,总分\nK1,{cell}\nK2,5\n"))
    assert "总分列：第 2 行" in message and words in message


@pytest.mark.parametrize("cell", ["100", "0", "99.99", "100.000"])
def test_a_total_score_on_its_limits_is_taken(cell):
    out = _upload(f"客户编号,总分\nK1,{cell}\nK2,5\n")
    assert out["problems"] == []


def test_a_number_with_more_digits_than_can_be_kept_is_refused():
    """12345678.0000000001 and 12345678 would rank equal: refuse rather than round."""
    message = _refused(_upload("客户编号,销售规模\nK1,12345678.0000000001\nK2,12345678\n"))
    assert "销售规模列：第 2 行" in message and "有效数字" in message


def test_fifteen_significant_digits_are_kept():
    out = _upload("客户编号,销售规模\nK1,123456789012.345\nK2,123456789012.344\n")
    assert out["problems"] == [] and _ids(out) == ["K1", "K2"]


@pytest.mark.parametrize("cell,ok", [("0", True), ("5", True), ("5.0", True), ("6", False), ("4.5", False), ("-1", False)])
def test_a_rating_column_takes_whole_ratings_from_0_to_5(cell, ok):
    out = _upload(f"客户编号,付款信誉\nK1,{cell}\nK2,3\n")
    if ok:
        assert out["problems"] == []
    else:
        assert "付款信誉列：第 2 行应为 0 至 5 的整数" in _refused(out)


def test_the_scoring_tables_column_names_are_read():
    """KH-02 第六条's table names the eight items; a name column is carried through."""
    out = _upload("客户编号,客户名称," + ITEMS + "\nK1,甲公司,500,5,30,100,5,60,10,5\nK2,乙公司,100,3,10,20,2,10,2,2\n")
    assert out["problems"] == []
    first = _ranked(out)[0]
    assert (first["客户编号"], first["客户名称"], first["总分"], first["本公司产品占比评级"]) == ("K1", "甲公司", "100", "5")


@pytest.mark.parametrize("header", ["毛利率", "利润率", "产品利润率（%）", "产品利润率(%)", " 产品 利润率 "])
def test_synonyms_and_units_in_a_column_name(header):
    out = _upload(f"客户编号,{header}\nK1,9%\nK2,12%\n")
    assert out["problems"] == [] and _ids(out) == ["K2", "K1"]
    assert "ignored_columns" not in out or out["ignored_columns"] == []


@pytest.mark.parametrize("first,second", [("总分", "得分"), ("客户编号", "客户代码"), ("销售规模", "销售额"),
                                          ("本公司产品在其销售总额中的比例", "本公司产品占比")])
def test_a_second_column_for_the_same_thing_is_an_error_naming_both(first, second):
    """N16: 总分 and 得分 both present: the second was silently ignored."""
    out = _upload(f"客户编号,{first},{second}\nC1,5,90\nC2,6,10\n".replace("客户编号,客户编号", "客户编号"))
    assert out.get("result") is None and out["field"] == "CSV"
    assert f"“{first}”" in out["error"] and f"“{second}”" in out["error"]


def test_an_unknown_column_is_ignored_and_said_when_nothing_is_missing():
    out = _upload("客户编号,总分,备注\nA,90,x\nB,80,y\n")
    assert out["problems"] == [] and out["ignored_columns"] == ["备注"]
    assert _ids(out) == ["A", "B"]


def test_an_unknown_column_like_a_missing_item_is_refused_as_a_likely_typo():
    """A misspelt item column would rate that item 0 for everyone (第七条（四））."""
    header = ITEMS.replace("销售规模", "销售规摸")
    out = _upload("客户编号," + header + "\nK1,500,5,30,100,5,60,10,5\nK2,100,3,10,20,2,10,2,2\n")
    assert out.get("result") is None
    assert "“销售规摸”" in out["error"] and "“销售规模”" in out["error"]


def test_an_unknown_column_unlike_any_item_is_ignored_beside_missing_items():
    out = _upload("客户编号,销售规模,付款信誉,备注\nK1,500,5,大客户\nK2,100,3,\n")
    assert out["problems"] == [] and out["ignored_columns"] == ["备注"] and _ids(out) == ["K1", "K2"]


def test_a_column_without_a_name_but_with_data_refuses_the_file():
    assert "第 2 行：第 2 列没有列名" in _refused(_upload("客户编号,,总分\nK1,x,50\nK2,,60\n"))
    assert "第 2 行：比表头多 1 个单元格" in _refused(_upload("客户编号,总分,\nK1,50,x\nK2,60,\n"))
    assert _upload("客户编号,总分,,\nK1,50,,\nK2,60\n")["problems"] == []   # Excel's trailing commas


def test_full_width_and_half_width_ids_are_one_customer():
    """N16: 'Ｃ1' and 'C1' counted as two customers."""
    message = _refused(_upload("客户编号,总分\nC1,90\nＣ1,80\nC2,70\n"))
    assert "客户编号列：第 3 行" in message and "第 2 行" in message


def test_full_width_duplicate_ids_are_refused_in_json_input_too():
    out = json.loads(registry.run_json("customer-tiering", json.dumps(
        {"customers": [{"id": "C1", "score": 90}, {"id": "Ｃ1", "score": 80}]})))
    assert out["field"] == "customers[1].id" and "重复" in out["error"]


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-inf", "Infinity", "1,5", "9_0", "0x10", "很高"])
def test_a_cell_that_is_not_a_plain_finite_number_refuses_the_file(cell):
    message = _refused(_upload(f"客户编号,总分\nC1,\"{cell}\"\nC2,5\nC3,3\n"))
    assert "总分列：第 2 行" in message and "Traceback" not in message


def test_a_blank_total_with_no_items_is_a_row_error():
    message = _refused(_upload("客户编号,总分\nC1,\nC2,5\n"))
    assert "第 2 行" in message and "没有总分" in message


def test_a_row_with_both_a_total_and_items_is_refused_like_json_input():
    message = _refused(_upload("客户编号,总分,销售规模\nA,90,\nB,80,5\n"))
    assert "第 3 行" in message and "只能填其中一种" in message


def test_what_the_reader_takes_the_json_validator_takes():
    """The CSV checks are the schema's limits applied by column: anything read passes the
    same validator as JSON input."""
    rnd = random.Random(7)
    cells = ["0", "5", "6", "100", "100.5", "9.2%", "24万", "1,000", '"1,000"', "", "x", "-1", "3.0", "１２"]
    schema = customer_tiering.schema()
    header = "客户编号," + ITEMS
    for _ in range(150):
        rows = "".join(f"K{i}," + ",".join(rnd.choice(cells) for _ in range(8)) + "\n" for i in range(5))
        inp, problems, _info = customer_tiering.read_csv((header + "\n" + rows).encode())
        if not problems:
            validate(schema, inp)


def test_ten_equal_scores_are_not_all_a():
    out = _upload("客户编号,总分\n" + "".join(f"K{i},60\n" for i in range(10)))
    assert out["result"]["tiers"] == {"A": 0, "B": 0, "C": 10, "D": 0}
    ties = [c for c in out["result"]["checks"] if c["id"].startswith("tie_")]
    assert ties and all(c["status"] == "info" for c in ties)


def test_the_template_the_page_offers_reads_back_without_errors():
    header = ",".join(c["name"] for c in customer_tiering.csv_columns())
    out = _upload(header + "\nK1,甲,,500,5,30,100,5,60,10,5\nK2,乙,80,,,,,,,,\n")
    assert out["problems"] == [] and _ids(out) == ["K1", "K2"]


# --- the result: input order; the ranked list in the download -------------------------

def test_the_calculator_returns_customers_in_input_order():
    """Issue 17 item 8: the contract since the first release (staff scripts join on position)."""
    out = customer_tiering.evaluate({"customers": [{"id": "A", "score": 50}, {"id": "B", "score": 95},
                                                   {"id": "C", "score": 70}]}, parameters.policy())
    assert [(c["id"], c["rank"]) for c in out["customers"]] == [("A", 3), ("B", 1), ("C", 2)]


def test_the_download_is_the_ranked_list_with_its_basis():
    out = _upload("客户编号,总分\nA,50\nB,95\nC,70\n")
    rows = _ranked(out)
    assert [(r["客户编号"], r["名次"], r["分级"], r["文件行号"]) for r in rows] == [
        ("B", "1", "A", "3"), ("C", "2", "B", "4"), ("A", "3", "C", "2")]
    policy = out["result"]["policy"]
    assert {r["依据"] for r in rows} == {f"{policy['document']} 第 {policy['version']} 版"}
    assert {r["适用日期"] for r in rows} == {policy["as_of"]}


def test_the_downloads_columns():
    """Issue 20: the downloaded CSV's columns, in order (new columns only at the end)."""
    plain = _upload("客户编号,总分\nA,50\nB,95\n")
    assert next(csv.reader(io.StringIO(plain["csv"].lstrip("\ufeff")))) == [
        "客户编号", "总分", "名次", "分级", "同分处理", "文件行号", "依据", "适用日期"]
    full = _upload("客户编号,客户名称," + ITEMS + "\nK1,甲,500,5,30,100,5,60,10,5\n")
    assert next(csv.reader(io.StringIO(full["csv"].lstrip("\ufeff")))) == [
        "客户编号", "客户名称", "总分", "名次", "分级", "销售规模评级", "付款信誉评级", "产品利润率评级", "产品订量评级",
        "销售模式评级", "本公司产品占比评级", "经营产品历史评级", "行业知名度评级", "同分处理", "文件行号", "依据", "适用日期"]
    assert plain["csv"].startswith("\ufeff") and "\r\n" in plain["csv"]


def test_the_download_says_how_each_tie_was_decided():
    """第十条: X and Y tie on 20 points and are told apart by 销售规模; P and Q tie on a
    given total and share a rank."""
    out = _upload("客户编号,总分,销售规模,付款信誉\nX,,1,5\nY,,5,4\nZ,,,1\nP,30,,\nQ,30,,\n")
    how = {r["客户编号"]: r["同分处理"] for r in _ranked(out)}
    assert how["Z"] == ""
    assert how["P"] == how["Q"] == "同分同名次，按多数位次归级"
    assert how["X"] == how["Y"] == "同分，按计分项目依次比较"


def test_the_answer_states_the_files_rows_and_encoding_and_the_downloads_digest():
    out = upload(("客户编号,总分\n甲,90\n乙,80\n").encode("gb18030"))
    assert (out["encoding"], out["rows"]) == ("GB18030", 2)
    assert out["csv_sha256"] == hashlib.sha256(out["csv"].encode("utf-8")).hexdigest()
    assert "customers" not in out["result"]   # the list is the download (20 MB of objects at 100,000)


def test_formula_cells_are_neutralised_in_the_download():
    out = _upload("客户编号,总分\n=1+1,80\n@SUM(A1),70\n")
    assert [r["客户编号"] for r in _ranked(out)] == ["'=1+1", "'@SUM(A1)"]


# --- the whole-column shortcuts give what the plain rules give -----------------------------

def test_item_ratings_are_those_of_the_rank_formula():
    """第七条（二）: rating = top + 1 − ⌈rank × top ÷ max(n, top)⌉, rank 1 + the number of
    greater values; no data rates 0 (第七条（四））. The calculator finds them by thresholds."""
    rnd = random.Random(5)
    for _ in range(300):
        n = rnd.randint(1, 40)
        col = [rnd.choice([None, *range(8), 2.5]) for _ in range(n)]
        scored = rnd.randint(sum(v is not None for v in col), n + 3)
        got = customer_tiering._ratings({"sales_scale": col}, n, scored, customer_tiering._section())["sales_scale"]
        want = [0 if v is None else customer_tiering.rating(1 + sum(w is not None and w > v for w in col), scored)
                for v in col]
        assert got == want, (col, scored)


@pytest.mark.parametrize("code", [None, "sales_scale", "profit_margin", "payment_record"])
def test_a_column_read_at_once_equals_its_cells_read_by_the_general_reader(code):
    from calc import tiering_csv
    rnd = random.Random(9)
    pool = ["", "0", "7", "12", "5.0", "3.25", "99.5", "100", "101", "123456789012345", "1234567890123456",
            "9.2%", "51%", "0.5%"]
    schema = customer_tiering.schema()["properties"]["customers"]["items"]["properties"]
    limits = schema["score"] if code is None else schema["items"]["properties"][code]
    prop, kind = tiering_csv._reading(code)
    low, high = limits.get("minimum", 0), limits.get("maximum")
    compared = 0
    for _ in range(300):
        cells = [rnd.choice(pool) for _ in range(rnd.randint(1, 6))]
        table = tiering_csv._Table("UTF-8", len(cells), [])
        got, _ = tiering_csv._read_column(table, list(range(2, len(cells) + 2)), cells, "列", code, limits)
        try:
            want = [tiering_csv._number(c, prop, low, high, kind == "grade") if c else None for c in cells]
        except tiering_csv._Bad:
            assert table.problems, cells
            continue
        if not table.problems:
            compared += 1
            assert got == want and [type(v) for v in got] == [type(v) for v in want], cells
    assert compared > 10


def test_an_upload_applies_the_rules_of_the_day_asked_for():
    """The form's 适用日期 (as_of): the page passes it with the file once the worker takes it
    (calc-runtime.js); until then the page refuses a filled-in date rather than ignore it."""
    data = "客户编号,总分\nA,50\nB,95\n".encode()
    today = json.loads(registry.run_upload("customer-tiering", data))["result"]["policy"]
    dated = json.loads(registry.run_upload("customer-tiering", data, "2026-12-01"))
    assert dated["result"]["policy"]["as_of"] == "2026-12-01" and today["as_of"] != "2026-12-01"
    assert {r["适用日期"] for r in _ranked(dated)} == {"2026-12-01"}
    wrong = json.loads(registry.run_upload("customer-tiering", data, "2026-02-30"))
    assert wrong["field"] == "as_of" and "适用日期" in wrong["error"]


# --- ranking: ties on both sides of equal totals (第十条), the file's own lines --------------

# Only the graded items (付款信誉 20, 销售模式 10, 行业知名度 10 points per rating): every rank
# item is left without data, which rates 0 for everyone (第七条（四））.
GRADED = "客户编号,总分,付款信誉,销售模式,行业知名度\n"


def test_equal_totals_are_told_apart_by_the_first_item_in_the_order_of_article_6():
    """Y (5 in 销售模式 and 行业知名度: 100 points) and X (5 in 付款信誉: 100 points) both have
    20: 付款信誉 comes first in 第六条, so X ranks ahead although Y comes first in the file;
    Z has Y's items exactly and shares Y's rank."""
    out = _upload(GRADED + "Y,,0,5,5\nX,,5,0,0\nZ,,0,5,5\n")
    rows = _ranked(out)
    assert [(r["客户编号"], r["总分"], r["名次"]) for r in rows] == [("X", "20", "1"), ("Y", "20", "2"), ("Z", "20", "2")]
    assert [r["同分处理"] for r in rows] == ["同分，按计分项目依次比较", "同分同名次，按多数位次归级", "同分同名次，按多数位次归级"]


def test_a_higher_total_ranks_first_whatever_its_items():
    """The other side of a tie: V has 24 (付款信誉 1, 销售模式 5, 行业知名度 5), one rating
    step above X's 20, and ranks first although X rates higher in 付款信誉, the first item."""
    out = _upload(GRADED + "X,,5,0,0\nV,,1,5,5\n")
    assert [(r["客户编号"], r["总分"], r["名次"], r["同分处理"]) for r in _ranked(out)] == [
        ("V", "24", "1", ""), ("X", "20", "2", "")]


def test_one_total_made_different_ways_is_ordered_item_by_item():
    """One total (4 × 20 + 5 × 10 + 1 × 10 = 140 points, 28) made three ways, the top rating
    beside a low one: compared item by item in the order of 第六条 (销售模式 decides), A and D
    alike share a rank."""
    out = _upload(GRADED + "C,,4,3,3\nA,,4,5,1\nB,,4,4,2\nD,,4,5,1\n")
    assert [(r["客户编号"], r["总分"], r["名次"]) for r in _ranked(out)] == [
        ("A", "28", "1"), ("D", "28", "1"), ("B", "28", "3"), ("C", "28", "4")]


def test_a_given_total_equal_to_an_item_total_shares_its_rank_in_file_order():
    """第十条: the items tell apart only customers scored by them; with a total given in the
    group, all of it shares one rank and is listed in file order (X would rank ahead of Y
    on its own)."""
    out = _upload(GRADED + "Y,,0,5,5\nG,20,,,\nX,,5,0,0\nH,30,,,\n")
    assert [(r["客户编号"], r["名次"], r["同分处理"]) for r in _ranked(out)] == [
        ("H", "1", ""), ("Y", "2", "同分同名次，按多数位次归级"), ("G", "2", "同分同名次，按多数位次归级"),
        ("X", "2", "同分同名次，按多数位次归级")]
    json_in = customer_tiering.evaluate({"customers": [
        {"id": "Y", "items": {"sales_mode": 5, "reputation": 5}}, {"id": "G", "score": 20},
        {"id": "X", "items": {"payment_record": 5}}, {"id": "H", "score": 30}]}, parameters.policy())
    assert [(c["id"], c["rank"]) for c in json_in["customers"]] == [("Y", 2), ("G", 2), ("X", 2), ("H", 1)]


@pytest.mark.parametrize("weights", [[20, 20, 15, 10, 10, 10, 5, 10], [3, 0, 7, 0, 1, 2, 9, 4], [2, 1, 1], [1.5, 2, 0.5]])
def test_the_ranking_key_sorts_as_total_then_item_points_in_order(weights):
    """customer_tiering's key for item-scored customers (one number where it can be): equal
    exactly when total and every item's points are equal, ordered as (total, points of each
    item in order) — ratings up to the top next to each other, items weighing 0 and weights
    that are not whole included."""
    rnd = random.Random(len(weights))
    ratings = [[rnd.randint(0, rnd.choice([1, 5])) for _ in range(400)] for _ in weights]
    points, key = customer_tiering._points_and_key(ratings, weights)
    want = [(sum(w * col[i] for w, col in zip(weights, ratings)), tuple(w * col[i] for w, col in zip(weights, ratings)))
            for i in range(400)]
    assert points == [t for t, _ in want]
    for i in range(400):
        for j in range(i + 1, min(400, i + 40)):
            assert (key[i] < key[j], key[i] == key[j]) == (want[i] < want[j], want[i] == want[j]), (i, j)


def test_blank_lines_and_lines_of_spaces_and_commas_are_skipped_keeping_the_files_line_numbers():
    out = _upload("客户编号,总分\n\nA,50\n  \n , ,\nB,95\n\"\",\" \"\nC,70\n\n")
    assert [(r["客户编号"], r["文件行号"]) for r in _ranked(out)] == [("B", "6"), ("C", "8"), ("A", "3")]
    assert out["rows"] == 3
    # As many cells as the header, all blank: still a blank line, in a file otherwise read
    # by column at once.
    out = _upload("客户编号,总分\r\nA,50\r\n \u3000, \r\nB,95\r\n")
    assert [(r["客户编号"], r["文件行号"]) for r in _ranked(out)] == [("B", "4"), ("A", "2")]
    assert out["rows"] == 2


@pytest.mark.parametrize("given, shown", [("0.125", "0.13"), ("0.124", "0.12"), ("2.675", "2.68"), ("4.995", "5"),
                                          ("4.994", "4.99"), ("37.4", "37.4"), ("60", "60")])
def test_a_given_total_is_shown_rounded_half_up_to_two_decimals(given, shown):
    """The one rounding rule (calc.numbers.shown: 四舍五入 on the number as written, whole
    numbers whole): 0.125 is 0.13, not 0.12 as rounding the binary float half to even gave;
    4.995 is 5, not 5.0. In the download and in the JSON result alike."""
    out = _upload(f"客户编号,总分\nA,{given}\nB,100\n")
    assert {r["客户编号"]: r["总分"] for r in _ranked(out)}["A"] == shown
    result = customer_tiering.evaluate({"customers": [{"id": "A", "score": float(given)}, {"id": "B", "score": 100}]},
                                       parameters.policy())
    assert json.dumps(result["customers"][0]["score"]) == shown


def test_the_workers_call_answers_the_same_json_as_utf8_bytes():
    """The page's worker calls run_upload_utf8 (decoded there with TextDecoder): the same
    answer, refusals included, byte for byte."""
    for text in ("客户编号,总分\nA,50\nB,95\n", "客户编号,总分\nA,五十\n", ""):
        data = text.encode("gb18030")
        utf8 = registry.run_upload_utf8("customer-tiering", data)
        assert type(utf8) is bytes and utf8.decode("utf-8") == registry.run_upload("customer-tiering", data)
    assert json.loads(registry.run_upload_utf8("customer-tiering", "客户编号,总分\nA,50\n".encode()))["rows"] == 1
