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
    early = parameters.policy(first - dt.timedelta(days=30))["tier_terms"]["max_payment_days"]["A"]["value"]
    cited = parameters.document("KH-02", first - dt.timedelta(days=30))
    on_day = parameters.policy(first)["tier_terms"]["max_payment_days"]["A"]["value"]
    assert early == on_day
    assert cited["in_force"] is False


def test_change_impact_compares_each_versions_own_values():
    """KH-02 2.0 (released before 1.0 took effect) changed tier A from 90 to 60 days: the
    change-impact list, reading dates literally, sees the change; the calculators, asked
    for a day before the first effective date, apply the version that will take effect."""
    import datetime as dt

    from handbook import impact_section, revisions

    first = dt.date.fromisoformat(parameters.revisions("KH-02")[0]["effective"])
    assert parameters.policy(first - dt.timedelta(days=1), literal=True)["tier_terms"]["max_payment_days"]["A"]["value"] == 90
    revs = revisions.load()["KH-02"]
    html = impact_section.section("KH-02", revs, next(k for k, r in enumerate(revs) if r.version == "2.0"))
    assert "90天" in html and "60天" in html
    assert "交货日起最长60天" in html and "交货日起最长90天" in html


def test_rejection_criteria_a_to_f_are_the_c_situations_item_by_item():
    """XY-04 第九条（一）: (a)–(f) are XY-03 第五条（一）至（六）, item by item; the calculator
    reads `grade_condition` to say the customer is to be re-rated C."""
    from calc import run

    p = parameters.policy()
    c_situations = {c["id"]: c for c in p["credit_grade"]["c_conditions"]}
    linked = [c for c in p["credit_application"]["rejection_criteria"] if "grade_condition" in c]
    assert len(linked) == 6 and len({c["grade_condition"] for c in linked}) == 6
    for k, c in enumerate(linked, 1):
        assert c["clause"] == f"XY-04-8-{k}" and c_situations[c["grade_condition"]]["clause"] == f"XY-03-5-{k}"
    result = run("credit-application", {"licensed": True, "monthly_sales": 20000, "good_reputation": True,
                                        "credit_grade": "A", "tier": "A", "rejection_criteria": ["e", "h"]})
    lines = {c["id"]: c["text"] for c in result["checks"]}
    assert "同时应重评为C级（XY-03 第五条（五））" in lines["e"] and "重评为C级" not in lines["h"]


def test_the_full_score_is_derived_from_the_items():
    r = parameters.policy()["service_rating"]
    assert r["full_score"]["value"] == r["score_very_satisfied"]["value"] * len(r["criteria"])
