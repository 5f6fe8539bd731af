"""Shares as people read them in the checks: two decimals, 四舍五入, and more only where two
would read on the wrong side of the limit (10.0000001% is not shown as 10%)."""

import pytest

from calc import run

pytestmark = pytest.mark.cpython


def overdue_share_text(overdue, receivables) -> str:
    result = run("credit-check", {"credit_limit": 10**9, "receivables": receivables, "open_orders": 0,
                                  "order_value": 0, "risk_category": "X1", "overdue_amount": overdue})
    (r3,) = [c for c in result["checks"] if c["id"] == "r3"]
    return r3["actual"]


@pytest.mark.parametrize("overdue,receivables,text", [
    (100, 300, "33.33%"),                 # 33.333…: two decimals
    (200, 300, "66.67%"),                 # 66.666…: the last one rounded up
    (999_999, 10_000_000, "9.99999%"),    # under the 10% limit: never shown as 10%
    (100_000_001, 1_000_000_000, "10.0000001%"),   # over it, by 0.0000001%
    (1, 10, "10%"),                       # on it
])
def test_credit_check_overdue_share(overdue, receivables, text):
    assert overdue_share_text(overdue, receivables) == text


def test_credit_kpi_rates():
    result = run("credit-kpi", {"credit_sales": 100, "total_sales": 300, "contracts_total": 3,
                                "contracts_performed": 3, "bad_debt": 0, "overdue": 2, "receivables": 3})
    actual = {c["id"]: c["actual"] for c in result["checks"]}
    assert actual == {"credit_sales_share": "33.33%", "contract_performance": "100%",
                      "bad_debt_rate": "0%", "overdue_rate": "66.67%"}
