"""Parameters that one document sets within another's limits stay within them."""

from calc import parameters


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
