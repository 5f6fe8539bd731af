"""The calculator core: what every calculator repeats, so a calculator module keeps only
its rule.

A calculator module defines NAME, TITLE, OUTCOME (the key of its main answer), SECTION (its
section of policy.toml, whose `document` it cites), `schema()`, `evaluate(data, rules)` (rules: calc.parameters.Rules, the parameters in force on the
day asked about, handed in by calc.registry.run) and
`clauses()`; optionally OUTCOME_LABELS (code -> Chinese) and `upload(bytes)`.

Checks come in three kinds, so that a line that tests nothing is never shown as 符合:
- requirement: the customer must meet it (status ok / fail / n/a; 符合 / 不符合 / 不适用);
- exclusion: a situation that must not be present (ok = absent, fail = present;
  未出现 / 出现 / 不适用);
- info: a term that applies, a count, a date worked out (status "info", 说明): never fails.
Every check carries `label`, a short Chinese name taken from data, never cut out of a sentence.
"""

import sys

from calc.parameters import Rules, document, quantity

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

OK, FAIL, NA, INFO = "ok", "fail", "n/a", "info"
REQUIREMENT, EXCLUSION, INFORMATION = "requirement", "exclusion", "info"

VERDICTS = {
    REQUIREMENT: {OK: "符合", FAIL: "不符合", NA: "不适用"},
    EXCLUSION: {OK: "未出现", FAIL: "出现", NA: "不适用"},
    INFORMATION: {INFO: "说明"},
}


def _line(kind: str, id_: str, clause: str, status: str, label: str, actual, required, text: str) -> dict:
    return {"id": id_, "clause": clause, "kind": kind, "status": status, "verdict": VERDICTS[kind][status],
            "label": label, "actual": actual, "required": required, "text": text}


def requirement(id_: str, clause: str, passed: bool | None, *, label: str, actual, required, text: str) -> dict:
    """A requirement the customer must meet; passed=None means it does not apply here."""
    status = NA if passed is None else (OK if passed else FAIL)
    return _line(REQUIREMENT, id_, clause, status, label, actual, required, text)


def exclusion(id_: str, clause: str, present: bool | None, *, label: str, actual=None, text: str) -> dict:
    """A situation that must not be present (a C-grade situation, a rejection criterion)."""
    status = NA if present is None else (FAIL if present else OK)
    if actual is None:
        actual = "不适用" if present is None else ("存在" if present else "不存在")
    return _line(EXCLUSION, id_, clause, status, label, actual, "不存在", text)


def info(id_: str, clause: str, *, label: str, text: str, actual=None, required=None) -> dict:
    """An information line: what applies, what was counted or worked out. Never fails."""
    return _line(INFORMATION, id_, clause, INFO, label, actual, required, text)


def failed(checks: list[dict]) -> list[dict]:
    return [c for c in checks if c["status"] == FAIL]


# --- input schema --------------------------------------------------------------------

def _module(name: str):
    return sys.modules[name]


# Every calculator takes the day whose rules apply (calc.registry.run sets it for the
# parameters and the citation): optional, today in China when left out.
AS_OF = "as_of"
AS_OF_FIELD = {"type": "string", "format": "date", "title": "适用日期",
               "description": "按这一天有效的制度版本和参数计算（YYYY-MM-DD）；不填为今天（北京时间）"}


def form(module_name: str, properties: dict, required: list[str], **extra) -> dict:
    """The input schema of a calculator (called with its module's __name__): a closed JSON
    object with Chinese titles."""
    module = _module(module_name)
    return {"$schema": SCHEMA_URI, "title": module.TITLE, "type": "object", "additionalProperties": False,
            "required": required, "properties": {**properties, AS_OF: dict(AS_OF_FIELD)}, **extra}


def field(param: dict, title: str, description: str | None = None, *, type_: str = "number", **extra) -> dict:
    """An input field for a quantity governed by a policy parameter: its unit and clause
    come from the parameter, and the help text states what the handbook requires."""
    prop = {"type": type_, "minimum": 0, "title": title,
            "description": description if description is not None else param.get("description", ""),
            "x-clause": param["clause"]}
    if param.get("unit"):
        prop["x-unit"] = param["unit"]
    prop.update(extra)
    return prop


def requirement_text(param: dict) -> str:
    """'2年以上', '10%以下': a parameter as a requirement, with its bound word."""
    return quantity(param) + param.get("bound", "")


# --- the answer ----------------------------------------------------------------------

def result(module_name: str, answer, *, rules: Rules, reason: str, checks: list[dict],
           headline: str | None = None, what_would_change: dict | None = None, **extra) -> dict:
    """The result envelope shared by every calculator; `rules` are those it applied, and
    cite the version in force on their day.

    `headline` is the main answer in words for staff (e.g. 评为A级); it defaults to the
    outcome's Chinese label. Extra keys are the calculator's own outputs. `what_would_change`
    (last, added after the original outputs): for a result that is not the best, the next
    better outcome and what would have to be different to get it (see `change`)."""
    module = _module(module_name)
    labels = getattr(module, "OUTCOME_LABELS", {})
    if headline is None:
        headline = labels.get(answer, answer) if isinstance(answer, str) else str(answer)
    return {"calculator": module.NAME, "policy": document(rules[module.SECTION]["document"], rules.day),
            module.OUTCOME: answer, **extra, "headline": headline, "reason": reason, "checks": checks,
            "what_would_change": what_would_change}


def change(better: str, needs: list[tuple[str, str]]) -> dict | None:
    """What would change the answer (a why-not): the next better outcome in words and each
    thing that would have to be different, with the clause that requires it, e.g.
    change("评为A级", [("XY-03-4-1", "双方业务合作须满1年以上，现为0.5年")]). Computed from the
    same checks as the answer, never written by hand; None when nothing is missing."""
    if not needs:
        return None
    return {"better": better, "needs": [{"clause": clause, "text": text} for clause, text in needs]}
