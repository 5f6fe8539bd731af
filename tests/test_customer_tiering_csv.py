"""The tiering calculator's CSV path: every row is checked by the same validator as JSON
input, so nothing that is not a plain number is ever ranked; the scoring table's column
names are accepted, unknown columns are reported, a customer-name column is carried through,
and the result comes back sorted by rank."""

import pytest

from calc.customer_tiering import upload

pytestmark = pytest.mark.cpython


def _upload(text: str) -> dict:
    return upload(text.encode("utf-8"))


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "1,5", "9_0", "0x10", "", "很高"])
def test_a_cell_that_is_not_a_plain_finite_number_is_a_row_error(cell):
    out = _upload(f"客户编号,总分\nC1,\"{cell}\"\nC2,5\nC3,3\n")
    assert [e["line"] for e in out["row_errors"]] == [2]
    assert [c["id"] for c in out["result"]["customers"]] == ["C2", "C3"]
    assert "Traceback" not in out["row_errors"][0]["message"]


@pytest.mark.parametrize("cell", ["nan", "inf", "1e999", "1,5", "9_0"])
def test_the_same_in_an_item_column(cell):
    out = _upload(f"客户编号,销售规模\nC1,\"{cell}\"\nC2,5\nC3,3\n")
    assert [e["line"] for e in out["row_errors"]] == [2]
    assert out["result"]["customers"][0]["id"] == "C2"


def test_ranking_does_not_depend_on_row_order():
    rows = ["C1,nan", "C2,5", "C3,nan", "C4,3", "C5,4"]
    first = _upload("客户编号,sales_scale\n" + "\n".join(rows) + "\n")["result"]["customers"]
    second = _upload("客户编号,sales_scale\n" + "\n".join(reversed(rows)) + "\n")["result"]["customers"]
    assert [c["id"] for c in first] == [c["id"] for c in second] == ["C2", "C5", "C4"]


def test_thousands_separators_in_threes_are_read():
    out = _upload('客户编号,销售规模\nC1,"1,500,000"\nC2,900000\n')
    assert out["row_errors"] == []
    assert [c["id"] for c in out["result"]["customers"]] == ["C1", "C2"]


def test_bounds_of_a_total_score_both_sides():
    out = _upload("客户编号,总分\nA,100\nB,100.01\nC,0\nD,-0.01\n")
    assert [e["line"] for e in out["row_errors"]] == [3, 5]
    assert {c["id"] for c in out["result"]["customers"]} == {"A", "C"}


def test_rating_column_must_be_a_whole_rating_from_0_to_5():
    out = _upload("客户编号,付款信誉\nA,5\nB,6\nC,4.5\nD,0\nE,-1\n")
    assert [e["line"] for e in out["row_errors"]] == [3, 4, 6]


def test_scoring_table_column_names_are_accepted_and_names_carried_through():
    header = "客户编号,客户名称,销售规模,付款信誉,产品利润率,产品订量,销售模式,本公司产品在其销售总额中的比例,经营产品历史,行业知名度"
    out = _upload(header + "\nK1,甲公司,500,5,30,100,5,60,10,5\nK2,乙公司,100,3,10,20,2,10,2,2\n")
    assert out["row_errors"] == []
    first = out["result"]["customers"][0]
    assert (first["id"], first["name"], first["score"]) == ("K1", "甲公司", 100)
    assert first["ratings"]["our_share"] == 5
    assert out["csv"].splitlines()[0].lstrip("\ufeff").startswith("客户编号,客户名称,总分,名次,分级,销售规模评级")
    assert "甲公司" in out["csv"]


def test_unknown_column_is_reported_on_the_header_line():
    out = _upload("客户编号,总分,备注\nA,90,x\n")
    assert out["row_errors"][0]["line"] == 1 and "备注" in out["row_errors"][0]["message"]
    assert out["result"]["customers"][0]["id"] == "A"


def test_result_is_sorted_by_rank():
    out = _upload("客户编号,总分\nA,50\nB,95\nC,70\n")
    assert [(c["id"], c["rank"]) for c in out["result"]["customers"]] == [("B", 1), ("C", 2), ("A", 3)]
    assert [line.split(",")[0] for line in out["csv"].lstrip("\ufeff").splitlines()[1:]] == ["B", "C", "A"]


def test_ten_equal_scores_are_not_all_a():
    out = _upload("客户编号,总分\n" + "".join(f"K{i},60\n" for i in range(10)))
    assert out["result"]["tiers"] == {"A": 0, "B": 0, "C": 10, "D": 0}
    ties = [c for c in out["result"]["checks"] if c["id"].startswith("tie_")]
    assert ties and all(c["status"] == "info" for c in ties)


def test_a_row_with_both_a_total_and_items_is_refused_like_json_input():
    out = _upload("客户编号,总分,销售规模\nA,90,\nB,80,5\n")
    assert [e["line"] for e in out["row_errors"]] == [3]
    assert "只能填其中一种" in out["row_errors"][0]["message"]


def test_the_template_the_page_offers_reads_back_without_errors():
    from calc.customer_tiering import csv_columns
    header = ",".join(c["name"] for c in csv_columns())
    out = _upload(header + "\nK1,甲,,500,5,30,100,5,60,10,5\nK2,乙,80,,,,,,,,\n")
    assert out["row_errors"] == []
    assert [c["id"] for c in out["result"]["customers"]] == ["K1", "K2"]
