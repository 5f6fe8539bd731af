"""Property-based tests.

1. Rule properties, written from the clauses (issue 8 gives the intended rules), on inputs
   built to reach the rule (tests/strategies.py RULE_INPUTS): at least half of the
   generated inputs must get an answer; the share per calculator is printed at the end.
2. Any input at all, as data or as JSON text, gives an answer or a one-line Chinese
   refusal that names no program field and quotes no library English.
"""

import datetime as dt
import json
import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc import CALCULATORS, run, run_json
from calc.errors import InputError
from calc.parameters import policy
from calc.workdays import Calendar, coverage
from tests import cases
from tests.strategies import REACH, RULE_INPUTS, inputs, json_text, valid

pytestmark = pytest.mark.cpython

EXAMPLES = 100
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MIN_REACH = 0.5


def attempt(name: str, data, counts=None) -> dict | None:
    """The answer, or None for a refusal (counted, for the reach share)."""
    try:
        result = run(name, data)
    except InputError:
        if counts is not None:
            counts["refused"] += 1
        return None
    if counts is not None:
        counts["answered"] += 1
    return result


def rule_inputs(name: str):
    return RULE_INPUTS[name]() if name in RULE_INPUTS else valid(CALCULATORS[name].schema())


def failed(result: dict) -> set[str]:
    return {c["id"] for c in result["checks"] if c["status"] == "fail"}


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_most_generated_inputs_reach_the_rule(name):
    counts = REACH[name]
    counts.clear()

    @settings(SETTINGS, max_examples=200)
    @given(rule_inputs(name))
    def check(data):
        result = attempt(name, data, counts)
        module = CALCULATORS[name]
        if result is not None and hasattr(module, "OUTCOME_LABELS"):   # how often each answer came up
            counts[f"{module.OUTCOME}={result[module.OUTCOME]}"] += 1

    check()
    share = counts["answered"] / (counts["answered"] + counts["refused"])
    assert share >= MIN_REACH, f"{name}: only {share:.0%} of generated inputs reach the rule"


def check_property(name: str, strategy=None, examples: int = EXAMPLES):
    """Decorator: run `prop(data, result)` on every generated input that gets an answer."""
    def wrap(prop):
        @settings(SETTINGS, max_examples=examples)
        @given(strategy if strategy is not None else rule_inputs(name))
        def check(data):
            result = attempt(name, json.loads(json.dumps(data)))
            if result is not None:
                prop(data, result)
        check()
    return wrap


# --- credit-grade (XY-03 第四条至第六条) ---------------------------------------------

GRADE_ORDER = {"A": 0, "B": 1, "C": 2}


def test_credit_grade_a_iff_every_a_condition_and_no_c_situation():
    r = policy()["credit_grade"]
    min_years = Fraction(str(r["min_cooperation_years"]["value"]))
    max_defaults = r["max_defaults_for_a"]["value"]

    @check_property("credit-grade")
    def _(data, result):
        c_present = bool(data["red_flags"]) or data["defaults_2y"] > max_defaults
        all_a = (Fraction(str(data["cooperation_years"])) >= min_years and data["defaults_2y"] <= max_defaults
                 and data["lawful_and_reliable"] and data["good_operation_2y"]
                 and data["strong_solvency"] and data["meets_annual_targets"])
        assert (result["grade"] == "C") == c_present
        assert (result["grade"] == "A") == (all_a and not c_present)
        # The checks say the same: A iff every requirement holds and no exclusion is present.
        requirements = [c for c in result["checks"] if c["kind"] == "requirement"]
        exclusions = [c for c in result["checks"] if c["kind"] == "exclusion"]
        assert (result["grade"] == "A") == (all(c["status"] == "ok" for c in requirements)
                                            and not any(c["status"] == "fail" for c in exclusions))


def test_credit_grade_adding_a_red_flag_or_a_default_never_improves_it():
    codes = [c["code"] for c in policy()["credit_grade"]["c_conditions"] if "code" in c]

    @check_property("credit-grade", st.tuples(RULE_INPUTS["credit-grade"](), st.sampled_from(codes)))
    def _(pair, result):
        data, flag = pair
        base = GRADE_ORDER[run("credit-grade", data)["grade"]]
        flagged = run("credit-grade", {**data, "red_flags": sorted({*data["red_flags"], flag})})
        assert GRADE_ORDER[flagged["grade"]] >= base
        worse = run("credit-grade", {**data, "defaults_2y": data["defaults_2y"] + 1})
        assert GRADE_ORDER[worse["grade"]] >= base
        longer = run("credit-grade", {**data, "cooperation_years": data["cooperation_years"] + 1})
        assert GRADE_ORDER[longer["grade"]] <= base


# --- credit-application (XY-04 第六条、第八条; XY-03 第二条) ---------------------------

def test_credit_application_eligible_only_when_every_condition_holds():
    r = policy()["credit_application"]
    min_sales = Fraction(str(r["min_monthly_sales"]["value"]))

    @check_property("credit-application")
    def _(data, result):
        criteria = set(data.get("rejection_criteria", []))
        if data.get("a_caused_by_us"):
            criteria.discard("a")   # 因本公司原因造成的不计
        grade = data.get("credit_grade")
        all_hold = (data["licensed"] and data["good_reputation"] and grade in ("A", "B")
                    and Fraction(str(data["monthly_sales"])) >= min_sales and not criteria)
        # The stricter of grade and value tier (XY-04 第五条（三）, KH-02 第十五条、第十七条):
        # only tiers A and B allow deferred payment, and a blank tier is a new customer managed
        # as C (KH-02 第十二条（一）); grades A and B add no stricter level than B. A short
        # purchase cycle never refuses credit: the period is then the cycle (第五条（四）).
        all_hold = all_hold and (data.get("tier") or "C") in ("A", "B")
        assert (result["decision"] == "eligible") == all_hold
        if result["decision"] == "eligible":
            period = result["credit_period_days"]
            cycle = data.get("purchase_cycle_days")
            top = 60 if grade == "A" and data["tier"] == "A" else 30
            top = min(top, cycle) if cycle else top
            assert period == {"min": min(30, top), "max": top}
        if grade is None:   # an unrated customer is never eligible: rate it first (XY-03 第二条)
            assert result["decision"] != "eligible"
            if result["decision"] == "ineligible":
                assert "XY-03" in result["next_step"]
        elif result["decision"] == "ineligible":
            assert "评定信用等级" not in result["next_step"]
        if criteria:
            assert result["decision"] == "rejected"


# --- customer-tiering (KH-02 第八条至第十条) ------------------------------------------

TIERS = "ABCD"


def largest_remainder(n: int) -> dict[str, int]:
    split = policy()["tiering"]["split"]
    shares = {t: Fraction(n * Fraction(str(split[t]["value"])), 100) for t in TIERS}
    counts = {t: int(s) for t, s in shares.items()}
    left = n - sum(counts.values())
    for t in sorted(TIERS, key=lambda t: (-(shares[t] - counts[t]), TIERS.index(t)))[:left]:
        counts[t] += 1
    return counts


def test_customer_tiering_counts_sum_to_the_customers_and_follow_the_quota():
    @check_property("customer-tiering")
    def _(data, result):
        n = len(data["customers"])
        assert sum(result["tiers"].values()) == n
        assert sorted(c["id"] for c in result["customers"]) == sorted(c["id"] for c in data["customers"])
        scores = [c["score"] for c in result["customers"]]
        if len(set(scores)) == n:   # no tie left to share a tier: exactly the quota (第九条)
            assert result["tiers"] == largest_remainder(n)
        # 第十条: a group sharing rank r takes places r .. r+k-1 and goes, as one, to the tier
        # where most of those places fall; the higher tier when two tie; when three tie (the
        # text stops short; decision in calc/customer_tiering.py), the middle place's tier.
        places = largest_remainder(n)
        tier_of_place = [t for t in TIERS for _ in range(places[t])]
        group = {}
        for c in result["customers"]:
            group.setdefault(c["rank"], []).append(c)
        for rank, members in group.items():
            counts = {t: 0 for t in TIERS}
            for place in range(rank, rank + len(members)):
                counts[tier_of_place[place - 1]] += 1
            leaders = [t for t in TIERS if counts[t] == max(counts.values())]
            if len(leaders) <= 2:
                majority = leaders[0]
            else:
                majority = tier_of_place[(2 * rank + len(members) - 1) // 2 - 1]
            assert {c["tier"] for c in members} == {majority}, (rank, members)


def test_customer_tiering_a_higher_score_never_gets_a_lower_tier():
    @check_property("customer-tiering")
    def _(data, result):
        out = result["customers"]
        for a in out:
            for b in out:
                if a["score"] > b["score"]:
                    assert TIERS.index(a["tier"]) <= TIERS.index(b["tier"]), (a, b)
                if a["score"] == b["score"] and all("score" in c for c in data["customers"]):
                    assert a["tier"] == b["tier"], (a, b)   # 同分同级: nothing else to break the tie


def test_customer_tiering_breaks_ties_by_the_items_in_order():
    """第十条: equal totals are compared item by item in the order of 第六条."""
    items = sorted(policy()["tiering"]["items"].values(), key=lambda i: i["seq"])

    @check_property("customer-tiering")
    def _(data, result):
        if not all("items" in c for c in data["customers"]):
            return
        out = result["customers"]

        def points(c):
            return [i["value"] * c["ratings"][i["code"]] for i in items]

        for a in out:
            for b in out:
                if a["score"] > b["score"]:
                    assert a["rank"] < b["rank"]
                elif a["score"] == b["score"] and points(a) > points(b):
                    assert a["rank"] < b["rank"], (a, b)
                elif a["score"] == b["score"] and points(a) == points(b):
                    assert a["rank"] == b["rank"], (a, b)


# --- tier-terms (KH-02 第十五条至第十七条) ---------------------------------------------

def test_tier_terms_more_late_payments_or_downgrades_never_give_better_terms():
    @check_property("tier-terms")
    def _(data, result):
        assert TIERS.index(result["payment_tier"]) >= TIERS.index(data["tier"])
        later = run("tier-terms", {**data, "late_payments_quarter": data.get("late_payments_quarter", 0) + 1})
        assert TIERS.index(later["payment_tier"]) >= TIERS.index(result["payment_tier"])
        again = run("tier-terms", {**data, "prior_downgrades": data.get("prior_downgrades", 0) + 1})
        assert TIERS.index(again["payment_tier"]) >= TIERS.index(result["payment_tier"])


def test_tier_terms_grade_c_never_gets_deferred_payment():
    @check_property("tier-terms")
    def _(data, result):
        if data.get("credit_grade") == "C":   # XY-03 第九条: C级不予信用
            assert not result["deferred_payment_allowed"]


# --- credit-check (XY-05 第十二条、第十三条) -----------------------------------------

def test_credit_check_blocks_iff_a_rule_that_applies_is_broken():
    """XY-05 第十二条's rules (不得超过: a value on its limit passes), each for the categories
    第十三条's table gives them (policy.toml applies_to), judged from the input alone: the
    order is frozen iff one is broken, and the failed checks are those. An X customer
    without a limit is frozen as a master-data error (第十三条（四））; N without one has no r1."""
    r = policy()["credit_check"]
    applies = {x["id"]: set(x["applies_to"]) for x in r["rules"]}
    cap = Fraction(str(r["max_document_value_new"]["value"]))
    max_share = Fraction(str(r["max_overdue_share"]["value"])) / 100
    max_days, max_dunning = r["max_oldest_overdue_days"]["value"], r["max_dunning_level"]["value"]

    @check_property("credit-check")
    def _(data, result):
        category, limit = data["risk_category"], data["credit_limit"]

        def amount(key):
            return Fraction(str(data.get(key, 0)))

        exposure = sum(amount(k) for k in ("receivables", "open_orders", "open_deliveries", "order_value"))
        broken = set()
        if category in applies["r1"] and ((limit is None and category != "N")
                                          or (limit is not None and exposure > Fraction(str(limit)))):
            broken.add("r1")
        if category in applies["r2"] and amount("order_value") > cap:
            broken.add("r2")
        if category in applies["r3"] and amount("receivables") > 0 \
                and amount("overdue_amount") / amount("receivables") > max_share:
            broken.add("r3")
        if category in applies["r4"] and data.get("oldest_overdue_days", 0) > max_days:
            broken.add("r4")
        if category in applies["r5"] and data.get("dunning_level", 0) > max_dunning:
            broken.add("r5")
        assert sorted(result["failed_rules"]) == sorted(broken), data
        assert (result["decision"] == "block") == bool(broken)


def test_credit_check_raising_the_order_never_turns_a_block_into_a_pass():
    @check_property("credit-check")
    def _(data, result):
        if result["decision"] == "block":
            bigger = attempt("credit-check", {**data, "order_value": data["order_value"] + 1000})
            assert bigger is None or bigger["decision"] == "block"


def test_credit_check_limits_every_x_customer_and_caps_every_new_one():
    r = policy()["credit_check"]
    cap = Fraction(str(r["max_document_value_new"]["value"]))

    @check_property("credit-check")
    def _(data, result):
        exposure = sum(Fraction(str(data.get(k, 0))) for k in
                       ("receivables", "open_orders", "open_deliveries", "order_value"))
        if data["risk_category"] != "N":
            # XY-05: the limit is checked for every X category; X3's limit is zero; an X
            # customer without one is a master-data error and its order is frozen (第十三条（四））.
            assert data["credit_limit"] is not None or result["decision"] == "block"
            if data["credit_limit"] is not None and exposure > Fraction(str(data["credit_limit"])):
                assert result["decision"] == "block"
        elif Fraction(str(data["order_value"])) > cap:
            assert result["decision"] == "block"   # rule (二) for every new customer
        # A new customer has no limit yet (it follows the grading): one is a master-data issue.
        assert (result["master_data_issue"] is not None) == (
            (data["risk_category"] == "N") == (data["credit_limit"] is not None))


def test_credit_check_applies_each_rule_as_its_table_says():
    """The applicability table printed in XY-05 (credit_check.applicability) is what the
    check does: n/a where the table says so, a real test where it says check."""
    from calc.credit_check import applicability

    table = {row["category"]: row["cells"] for row in applicability()}

    @check_property("credit-check")
    def _(data, result):
        cells = table[data["risk_category"]]
        for c in result["checks"]:
            cell = cells.get(c["id"])
            if cell == "n/a":
                assert c["status"] == "n/a", c
            elif cell in ("check", "zero_limit") or (cell == "check_if_limit" and data["credit_limit"] is not None):
                assert c["status"] in ("ok", "fail"), c
            elif cell == "check_if_limit":
                assert c["status"] == "n/a", c


# --- credit-kpi (XY-01 第十二条、第十三条) --------------------------------------------

def test_credit_kpi_met_iff_every_target_is_met():
    r = policy()["credit_kpi"]

    def pct(part, whole):
        return Fraction(0) if whole == 0 else Fraction(str(part)) * 100 / Fraction(str(whole))

    def val(key):
        return Fraction(str(r[key]["value"]))

    @check_property("credit-kpi")
    def _(data, result):
        share = pct(data["credit_sales"], data["total_sales"])
        met = (val("credit_sales_share_min") <= share <= val("credit_sales_share_max")
               and pct(data["contracts_performed"], data["contracts_total"]) >= val("contract_performance_min")
               and pct(data["bad_debt"], data["receivables"]) <= val("bad_debt_rate_max")
               and pct(data["overdue"], data["receivables"]) <= val("overdue_rate_max"))
        assert (result["decision"] == "met") == met
        if data["receivables"] == 0:   # 第十三条（五）: no balance, the rates count as zero
            assert result["indicators"]["bad_debt_rate"] == 0
            assert result["indicators"]["overdue_rate"] == 0


# --- report-deadline, filing-deadline (KH-03): a working day after the period --------

def working_day(day: str, closed) -> bool:
    return Calendar(closed).is_working_day(dt.date.fromisoformat(day))


def test_report_deadline_is_a_working_day_after_the_period():
    @check_property("report-deadline")
    def _(data, result):
        due = result["submit_by"]
        assert due > data["period_end"] and due >= result["due"]
        assert ("顺延" in result["reason"]) == (due != result["due"])   # says so when it moves
        assert working_day(due, data.get("holidays", []))
        if data["reporter"] == "group":   # head office after the units it summarises
            unit = run("report-deadline", {**data, "reporter": "unit"})
            assert due > unit["submit_by"]


def test_filing_deadline_is_a_working_day_after_the_start():
    @check_property("filing-deadline")
    def _(data, result):
        assert result["due"] > data["start"]
        assert working_day(result["due"], data.get("holidays", []))
        first, last = coverage()   # outside the published years the answer says so
        counted_from = dt.date.fromisoformat(data["start"]) + dt.timedelta(days=1)   # 次日起
        assert result["calendar_covered"] == (first <= counted_from.year and int(result["due"][:4]) <= last)
        # A further closing day never brings the deadline forward.
        extra = (dt.date.fromisoformat(data["start"]) + dt.timedelta(days=2)).isoformat()
        later = run("filing-deadline", {**data, "holidays": sorted({*data.get("holidays", []), extra})})
        assert later["due"] >= result["due"]


# --- attendance-fine (FW-03 第七条、第八条) ------------------------------------------

def test_attendance_fine_follows_the_classes_and_the_count():
    r = policy()["attendance"]
    boundary = r["class_boundary_minutes"]["value"]
    absence = r["absence_from_minutes"]["value"]
    start = r["fine_from_count"]["value"]
    fine_a, fine_b = r["fine_class_a"]["value"], r["fine_class_b"]["value"]

    @check_property("attendance-fine")
    def _(data, result):
        lateness = [m for m in data["late_minutes"] if m < absence]   # 旷工 is not lateness
        expected = sum((fine_a if m <= boundary else fine_b)
                       for n, m in enumerate(lateness, 1) if n >= start)
        assert result["total_fine"] == expected
        assert result["total_fine"] == sum(f["fine"] for f in result["fines"])
        more = attempt("attendance-fine", {"late_minutes": data["late_minutes"] + [1]})
        assert more is None or more["total_fine"] >= result["total_fine"]


# --- service-rating (FW-01 第二十条至第二十二条) ------------------------------------

def half_up(x: Fraction, places: int = 2) -> Fraction:
    """四舍五入 to `places` decimals (x >= 0): a half goes up, never to the even digit."""
    scale = 10 ** places
    return Fraction(math.floor(x * scale + Fraction(1, 2)), scale)


def test_service_rating_is_the_mean_of_the_survey_scores():
    r = policy()["service_rating"]
    points = {level["name"]: r[level["score"]]["value"] for level in r["levels"]}
    poor = r["levels"][-1]["name"]
    weight = Fraction(str(r["appraisal_weight"]["value"])) / 100

    @check_property("service-rating")
    def _(data, result):
        items = list(data.values())
        surveys = [sum(points[item[k]] for item in items) for k in range(len(items[0]))]
        mean = Fraction(sum(surveys), len(surveys))
        assert result["survey_scores"] == surveys
        # FW-01's decision: two decimals, 四舍五入 on the exact value, the weighted score too.
        assert Fraction(str(result["monthly_score"])) == half_up(mean)
        assert Fraction(str(result["weighted_score"])) == half_up(mean * weight)
        assert result["follow_up_required"] == any(poor in item for item in items)


# --- anything at all ----------------------------------------------------------------

def assert_clean_message(name: str, message: str, given_text: str):
    assert cases.message_problems(CALCULATORS[name].schema(), message, given_text) == [], message


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_any_input_gives_a_decision_or_a_clean_refusal(name):
    module = CALCULATORS[name]

    @settings(SETTINGS, max_examples=150)
    @given(inputs(module.schema()))
    def check(data):
        try:
            result = run(name, data)
        except InputError as e:
            assert_clean_message(name, str(e), json.dumps(data, ensure_ascii=False))
            return
        assert result["calculator"] == name
        assert result[module.OUTCOME] is not None
        for c in result["checks"]:
            assert c["status"] in {"ok", "fail", "n/a", "info"}
        json.dumps(result, ensure_ascii=False, allow_nan=False)  # the page and CLI can send it

    check()


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_json_entry_point_answers_any_text(name):
    @settings(SETTINGS, max_examples=100)
    @given(json_text(CALCULATORS[name].schema()))
    def check(text):
        out = json.loads(run_json(name, text))
        if "error" in out:
            assert set(out) == {"error", "field"}
            assert "内部错误" not in out["error"]
            assert_clean_message(name, out["error"], text)
        else:
            assert out["calculator"] == name

    check()
