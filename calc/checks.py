"""One line of a calculator's explanation, the way SAP's credit check shows it:
which rule (id, clause), the customer's value, the requirement, and the status."""

OK, FAIL, NA = "ok", "fail", "n/a"


def check(id: str, clause: str, passed: bool | None, actual, required, text: str) -> dict:
    """passed=None means the rule does not apply to this customer."""
    status = NA if passed is None else (OK if passed else FAIL)
    return {
        "id": id,
        "clause": clause,
        "status": status,
        "actual": actual,
        "required": required,
        "text": text,
    }
