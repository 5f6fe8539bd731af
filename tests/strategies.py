"""Hypothesis strategies.

- From a calculator's own JSON Schema: valid inputs, inputs one mistake away from valid,
  inputs with one value on or beside a bound, arbitrary JSON and JSON-like text (for the
  never-crash tests and the jsonschema check).
- Per calculator, inputs built to reach the rule: values on and beside each bound of
  policy.toml, so most generated inputs get an answer and every outcome occurs
  (RULE_INPUTS; the share that reaches the rule is recorded in REACH and printed at the end
  of the run).
"""

import calendar
import collections
import datetime as dt

from hypothesis import strategies as st

from calc.parameters import policy
from calc.schema import MAX_ITEMS, MAX_STRING
from calc.workdays import coverage

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8))
ANY_JSON = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)

# name -> Counter(answered=..., refused=...), filled by the property tests.
REACH: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


def _types(prop: dict) -> list[str]:
    t = prop.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def value(prop: dict) -> st.SearchStrategy:
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    options = []
    for t in _types(prop):
        lo, hi = prop.get("minimum", -10**9), min(prop.get("maximum", 10**9), 10**9)
        if t == "null":
            options.append(st.none())
        elif t == "integer":
            options.append(st.integers(int(lo), int(hi)))
        elif t == "number" and "multipleOf" in prop:
            step = prop["multipleOf"]
            options.append(st.integers(int(lo / step), int(hi / step)).map(lambda n, s=step: round(n * s, 2)))
            options.append(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
        elif t == "number":
            options.append(st.one_of(st.integers(int(lo), int(hi)),
                                     st.floats(lo, hi, allow_nan=False, allow_infinity=False)))
        elif t == "boolean":
            options.append(st.booleans())
        elif t == "string":
            if prop.get("format") == "date":
                options.append(st.dates().map(lambda d: d.isoformat()))
            else:
                options.append(st.text(min_size=prop.get("minLength", 0), max_size=12))
        elif t == "array":
            options.append(st.lists(value(prop.get("items", {})), max_size=min(prop.get("maxItems", 8), 8)))
        elif t == "object":
            options.append(valid(prop))
    return st.one_of(options)


def valid(schema: dict) -> st.SearchStrategy:
    """Shaped by the schema: types, enums and ranges right (uniqueItems and a calculator's
    own cross-field rules may still be broken)."""
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {k: value(p) for k, p in props.items() if k in required},
        optional={k: value(p) for k, p in props.items() if k not in required})


@st.composite
def one_mistake(draw, schema: dict):
    data = draw(valid(schema))
    props = list(schema.get("properties", {}))
    kind = draw(st.sampled_from(["drop", "extra", "wrong"]))
    if kind == "drop" and data:
        data.pop(draw(st.sampled_from(sorted(data))))
    elif kind == "extra":
        data[draw(st.text(min_size=1, max_size=6))] = draw(JSON_SCALARS)
    elif props:
        data[draw(st.sampled_from(props))] = draw(ANY_JSON)
    return data


def edges(prop: dict) -> list:
    """Values on and just beside each bound a field's schema sets (for the jsonschema check:
    a validator that forgot a bound must meet a value beyond it)."""
    out = []
    for key in ("minimum", "maximum"):
        if key in prop:
            b = prop[key]
            out += [b, b - 1, b + 1, b - 0.01, b + 0.01]
    if "multipleOf" in prop:
        out += [0.07, 0.005, 1.001]
    if "minLength" in prop:
        out += ["", " "]
    if "string" in _types(prop) and "enum" not in prop and "format" not in prop:
        longest = prop.get("maxLength", MAX_STRING)
        out += ["x" * longest, "x" * (longest + 1)]
    if prop.get("format") == "date":
        out += ["1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01", "2026-02-29", "2028-02-29", "2026-3-31"]
    if "enum" in prop:
        out += [*prop["enum"], "zz"]
    if "items" in prop:
        out += [[e] for e in edges(prop["items"])]
    return out


@st.composite
def near_bounds(draw, schema: dict):
    """A valid input with one field (or one field of a nested object) on or beside a bound."""
    data = draw(valid(schema))
    props = schema.get("properties", {})
    nested = [k for k, p in props.items() if p.get("type") == "object" and edges_of(p)]
    if nested and draw(st.booleans()):
        key = draw(st.sampled_from(nested))
        data[key] = draw(near_bounds(props[key]))
        return data
    short = [k for k, p in props.items() if p.get("maxItems", MAX_ITEMS) <= 100 and "items" in p]
    if short and draw(st.booleans()):   # one item more than a list may hold, or just enough
        key = draw(st.sampled_from(short))
        most = props[key].get("maxItems", MAX_ITEMS)
        data[key] = draw(st.lists(value(props[key]["items"]), min_size=most, max_size=most + 1))
        return data
    keys = [k for k, p in props.items() if edges(p)]
    if keys:
        key = draw(st.sampled_from(keys))
        data[key] = draw(st.sampled_from(edges(props[key])))
    return data


def edges_of(schema: dict) -> bool:
    return any(edges(p) for p in schema.get("properties", {}).values())


def inputs(schema: dict) -> st.SearchStrategy:
    return st.one_of(valid(schema), one_mistake(schema), ANY_JSON)


def json_text(schema: dict) -> st.SearchStrategy:
    """Text for the JSON entry point: mostly JSON (some valid input), with random cuts,
    stray characters and non-JSON numbers mixed in."""
    import json

    doc = inputs(schema).map(lambda d: json.dumps(d, ensure_ascii=False))
    broken = st.tuples(doc, st.integers(0, 200)).map(lambda p: p[0][:p[1]])
    odd = st.sampled_from(["NaN", "-Infinity", "1e999", "[" * 40, '{"a":' * 40, '"\\ud800"', "\ufeff{}",
                           "9" * 5000, "{} {}", "[1,]", "{'a': 1}"])
    return st.one_of(doc, broken, odd, st.text(max_size=40))


# --- inputs that reach the rule, one strategy per calculator ------------------------

def _near(bound, step=1, low=0):
    """A bound itself and its two neighbours (both sides of every boundary)."""
    return st.sampled_from([x for x in (bound - step, bound, bound + step) if x >= low])


def _mostly(value, other):
    return st.one_of(st.just(value), st.just(value), st.just(value), other)


def credit_grade() -> st.SearchStrategy:
    r = policy()["credit_grade"]
    years = r["min_cooperation_years"]["value"]
    defaults = r["max_defaults_for_a"]["value"]
    codes = [c["code"] for c in r["c_conditions"] if "code" in c]
    yes = _mostly(True, st.just(False))
    return st.fixed_dictionaries({
        "cooperation_years": st.one_of(_near(years, 0.01), st.integers(0, 30),
                                       st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 2))),
        "defaults_2y": _mostly(0, _near(defaults, 1)),
        "lawful_and_reliable": yes, "good_operation_2y": yes,
        "strong_solvency": yes, "meets_annual_targets": yes,
        "red_flags": _mostly([], st.lists(st.sampled_from(codes), unique=True, min_size=1, max_size=3)),
    })


def credit_application() -> st.SearchStrategy:
    r = policy()["credit_application"]
    sales = r["min_monthly_sales"]["value"]
    codes = [c["item_mark"] for c in r["rejection_criteria"]]
    return st.fixed_dictionaries({
        "licensed": _mostly(True, st.just(False)),
        "monthly_sales": st.one_of(_near(sales, 0.01), st.integers(0, 10**7)),
        "good_reputation": _mostly(True, st.just(False)),
        "credit_grade": st.sampled_from(["A", "A", "B", "B", "C", None]),
    }, optional={
        "tier": st.sampled_from(["A", "B", "C", "D", None]),
        "rejection_criteria": _mostly([], st.lists(st.sampled_from(codes), unique=True, min_size=1, max_size=2)),
        "a_caused_by_us": st.booleans(),
    })


@st.composite
def customer_tiering(draw):
    n = draw(st.integers(1, 40))
    # Few distinct scores, so ties are common; sometimes all customers by their items.
    if draw(st.integers(0, 4)) == 0:
        items = policy()["tiering"]["items"].values()
        customers = [{"id": f"K{i:02d}", "items": {
            i_["code"]: draw(st.integers(0, policy()["tiering"]["rating_max"]["value"])
                             if i_["method"] == "grade" else st.integers(0, 20))
            for i_ in items}} for i in range(n)]
    else:
        scores = st.one_of(st.integers(0, 100), st.sampled_from([50, 60, 70, 80, 90]))
        customers = [{"id": f"K{i:02d}", "score": draw(scores)} for i in range(n)]
    return {"customers": customers}


def tier_terms() -> st.SearchStrategy:
    return st.fixed_dictionaries({
        "tier": st.sampled_from(["A", "B", "C", "D"]),
    }, optional={
        "credit_grade": st.sampled_from(["A", "B", "C", None]),
        "late_payments_quarter": st.integers(0, 4),
        "prior_downgrades": st.integers(0, 3),
    })


_MONEY_STEPS = st.sampled_from([0, 0.01, 1, 1000, 10_000, 50_000, 100_000, 1_000_000])


@st.composite
def credit_check(draw):
    r = policy()["credit_check"]
    category = draw(st.sampled_from(["X1", "X2", "X3", "N"]))
    limit = draw(st.one_of(st.just(None), st.sampled_from([0, 50_000, 100_000, 1_000_000]),
                           st.integers(0, 2_000_000)))
    if category != "N" and draw(st.integers(0, 5)):
        limit = limit if limit is not None else 100_000   # X customers mostly with a limit
        if category == "X3":
            limit = 0   # no credit: the limit is zero (XY-05 第九条)
    elif category == "N" and draw(st.integers(0, 2)):
        limit = None   # new customers mostly without one: the limit follows the grading
    receivables = draw(st.integers(0, 1_000_000))
    open_orders = draw(st.integers(0, 500_000))
    new_cap = r["max_document_value_new"]["value"]
    order = draw(st.one_of(_near(new_cap, 0.01), st.integers(0, 600_000)))
    data = {"credit_limit": limit, "receivables": receivables, "open_orders": open_orders,
            "order_value": order, "risk_category": category}
    if limit is not None and draw(st.booleans()):
        # Exposure exactly on the limit, or a cent over.
        rest = limit - receivables - open_orders
        if rest >= 0:
            data["order_value"] = draw(st.sampled_from([rest, round(rest + 0.01, 2)]))
    if draw(st.booleans()):
        data["overdue_amount"] = draw(st.integers(0, receivables))
        data["oldest_overdue_days"] = draw(_near(r["max_oldest_overdue_days"]["value"]))
        data["dunning_level"] = draw(_near(r["max_dunning_level"]["value"]))
    return data


@st.composite
def credit_kpi(draw):
    total = draw(st.sampled_from([100, 1_000, 10_000, 1_000_000]))
    contracts = draw(st.sampled_from([1, 50, 100, 1_000]))
    receivables = draw(st.sampled_from([0, 100, 10_000, 1_000_000]))

    def part(whole, percents):
        pct = draw(st.one_of(st.sampled_from(percents), st.integers(0, 100)))
        return min(whole, round(whole * pct / 100, 2))

    return {"credit_sales": part(total, [9, 10, 15, 20, 21]), "total_sales": total,
            "contracts_total": contracts,
            "contracts_performed": int(min(contracts, contracts * draw(st.sampled_from([97, 98, 99, 100])) // 100)),
            "bad_debt": part(receivables, [1, 2, 3]), "overdue": part(receivables, [4, 5, 6]),
            "receivables": receivables}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@st.composite
def report_deadline(draw):
    frequency = draw(st.sampled_from(["quarterly", "monthly"]))
    month = draw(st.sampled_from([3, 6, 9, 12] if frequency == "quarterly" else range(1, 13)))
    first, last = coverage()
    end = _month_end(draw(st.one_of(st.integers(2019, 2031), st.sampled_from([first - 1, first, last, last + 1]))), month)
    data = {"period_end": end.isoformat(), "reporter": draw(st.sampled_from(["unit", "group"])),
            "frequency": frequency}
    if draw(st.booleans()):
        days = st.integers(1, 25).map(lambda d: (end + dt.timedelta(days=d)).isoformat())
        data["holidays"] = draw(st.lists(days, unique=True, max_size=4))
    return data


@st.composite
def filing_deadline(draw):
    first, last = coverage()   # both sides of the official calendar's years
    start = draw(st.one_of(st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)),
                           st.dates(dt.date(first - 1, 12, 1), dt.date(first, 1, 31)),
                           st.dates(dt.date(last, 12, 1), dt.date(last + 1, 1, 31))))
    data = {"kind": draw(st.sampled_from(["new", "change"])), "start": start.isoformat()}
    if draw(st.booleans()):
        days = st.integers(1, 15).map(lambda d: (start + dt.timedelta(days=d)).isoformat())
        data["holidays"] = draw(st.lists(days, unique=True, max_size=4))
    return data


def attendance_fine() -> st.SearchStrategy:
    r = policy()["attendance"]
    boundary = r["class_boundary_minutes"]["value"]
    absence = r["absence_from_minutes"]["value"]
    minutes = st.one_of(_near(boundary, 1, 1), _near(absence, 1, 1), st.integers(1, 24 * 60), st.integers(1, 60))
    return st.fixed_dictionaries({"late_minutes": st.lists(minutes, max_size=8)})


@st.composite
def service_rating(draw):
    """The four items of each survey returned in the month, rated in the policy's words."""
    r = policy()["service_rating"]
    words = [level["name"] for level in r["levels"]]
    n = draw(st.integers(1, 6))
    rating = st.one_of(st.sampled_from(words[:-1]), st.sampled_from(words))   # 较差 less often
    return {c["id"]: draw(st.lists(rating, min_size=n, max_size=n)) for c in r["criteria"]}


RULE_INPUTS = {
    "credit-grade": credit_grade, "credit-application": credit_application,
    "customer-tiering": customer_tiering, "tier-terms": tier_terms, "credit-check": credit_check,
    "credit-kpi": credit_kpi, "report-deadline": report_deadline, "filing-deadline": filing_deadline,
    "attendance-fine": attendance_fine, "service-rating": service_rating,
}
