"""Decisions that live in the text of the documents: each released text says what was
decided (and never the reading it replaced). Read from the last release of each document,
which test_release checks is the text as it stands."""

import pytest

from handbook import revisions

pytestmark = pytest.mark.cpython


def released(number: str) -> str:
    revs = revisions.load()[number]
    return revisions.snapshot_text(revisions.REVISIONS_DIR / revs[-1].file)[1]


@pytest.mark.parametrize("number,says,not_says", [
    # FW-03: 120 minutes is this document's own 旷工 standard, not a quote of another rule.
    ("FW-03", ["按本规定视为旷工"], ["为本公司考勤管理制度规定的旷工"]),
    # FW-03: the counting that deducts more than the literal source needs the 民主程序.
    ("FW-03", ["劳动合同法第四条", "平等协商确定，并向员工公示后执行"], []),
    # FW-03: totals are published, individual attendance and deductions are not.
    ("FW-03", ["个人的扣减明细不公示", "只告知本人"], ["扣减明细和经费收支情况每季度在部门内公示"]),
    # XY-04 against KH-04 第十四条: the agreement is signed by the GM or a person authorised in writing.
    ("XY-04", ["由总经理或其书面授权的人员签订", "销售业务员未经书面授权不得签订"],
     ["销售业务员与客户签订正式的合作协议"]),
    # XY-04: short purchase cycles, new customers, large credit.
    ("XY-04", ["进货周期短于本条第（一）项下限的，信用期限为一个进货周期", "暂按B类管理",
               "《法人客户信用评级表》，未附的不予审批"], []),
    # KH-05 against FW-01: 客服部 leads complaints, the key-account manager follows them.
    ("KH-05", ["大客户的投诉由客服部"], ["牵头跟进大客户的投诉"]),
    # XY-03: one quarterly review; broken promises below 经常 are not 信守承诺.
    ("XY-03", ["定期复评只此一种", "也不符合", "回款期限同样以不超过一个进货周期为限"], []),
    # XY-05: the release record is filled by whoever decided.
    ("XY-05", ["| 信用专员、信用经理、大客户信用经理 |"], []),
    # KH-03: years not yet in the calendar give provisional deadlines.
    ("KH-03", ["为暂定期限"], []),
])
def test_released_text_states_the_decision(number, says, not_says):
    text = released(number)
    for words in says:
        assert words in text, f"{number} 应写明：{words}"
    for words in not_says:
        assert words not in text, f"{number} 不应再写：{words}"


def test_the_kh02_summary_erratum_is_recorded_without_rewriting_history():
    entries = revisions.load()["KH-02"]
    assert "最大余额法" in entries[1].summary          # 2.0's record stays as it was released
    assert "“最大余额法”应为“最大余数法”" in entries[-1].summary
