"""The decision tables of every calculator: the whole rule at a glance, generated from the
rule data the calculator reads (never typed), shown on its chapter beside the calculator
(handbook/decision_tables.py) and checked at build for gaps and overlaps in their bands
(handbook/bands.py)."""

from calc.parameters import Rules
from handbook.bands import BandSet
from handbook.decisions import credit, customers, service
from handbook.decisions.model import Table

BUILDERS = {
    "credit-grade": credit.credit_grade,
    "credit-application": credit.credit_application,
    "credit-check": credit.credit_check,
    "credit-kpi": credit.credit_kpi,
    "customer-tiering": customers.customer_tiering,
    "tier-terms": customers.tier_terms_tables,
    "report-deadline": customers.report_deadline,
    "filing-deadline": customers.filing_deadline,
    "attendance-fine": service.attendance_fine,
    "service-rating": service.service_rating,
}


def tables(name: str, rules: Rules) -> list[Table]:
    return BUILDERS[name](rules)


def band_sets(rules: Rules) -> list[BandSet]:
    """Every band of every table, for the build's check."""
    return [s for name in BUILDERS for t in tables(name, rules) for s in t.bands]
