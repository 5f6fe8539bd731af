"""Parameters that one document sets within another's limits stay within them."""

import pytest

from calc import parameters

pytestmark = pytest.mark.cpython


def test_tier_credit_periods_within_xy04():
    # KH-02 第十五条 against XY-04 第五条: every credit period 30-60 days (decision in KH-02.toml).
    policy = parameters.policy()
    low, high = policy["credit_terms"]["min_period"]["value"], policy["credit_terms"]["max_period"]["value"]
    days = policy["tier_terms"]["max_payment_days"]
    for tier in ("A", "B"):
        assert low <= days[tier]["value"] <= high, tier
    assert days["A"]["value"] == high


def test_values_before_the_first_effective_date_are_those_of_the_version_cited(monkeypatch):
    import datetime as dt

    revs = parameters.revisions("KH-02")
    first = dt.date.fromisoformat(revs[0]["effective"])
    with parameters.as_of(first - dt.timedelta(days=30)):
        early = parameters.policy()["tier_terms"]["max_payment_days"]["A"]["value"]
        cited = parameters.document("KH-02")
    with parameters.as_of(first):
        on_day = parameters.policy()["tier_terms"]["max_payment_days"]["A"]["value"]
    assert early == on_day
    assert cited["in_force"] is False


def test_change_impact_compares_each_versions_own_values():
    """KH-02 2.0 (released before 1.0 took effect) changed tier A from 90 to 60 days: the
    change-impact list, reading dates literally, sees the change; the calculators, asked
    for a day before the first effective date, apply the version that will take effect."""
    import datetime as dt

    from handbook import impact, revisions

    first = dt.date.fromisoformat(parameters.revisions("KH-02")[0]["effective"])
    with parameters.literal_dates(), parameters.as_of(first - dt.timedelta(days=1)):
        assert parameters.policy()["tier_terms"]["max_payment_days"]["A"]["value"] == 90
    revs = revisions.load()["KH-02"]
    html = impact.section("KH-02", revs, len(revs) - 1)
    assert "90天" in html and "60天" in html
    assert "交货日起最长60天" in html and "交货日起最长90天" in html
