"""One side of `python -m handbook impact`: runs calculators of one copy of calc/ (the
working tree's, or the one a release was made from, extracted from git) in a process of
its own, so that two versions of the rules never share a module cache.

Run as `python -c <this file's text>` in the folder that holds that calc/ (not as a
script: the script's own folder would come first on the path, and handbook/numbers.py
would hide the standard library's numbers). Reads {"runs": [[calculator, input], ...]}
on standard input and writes {"calculators": {...}, "results": [...]} (ASCII JSON) on
standard output: each result the answer (outcome, headline, the checks' id, status,
label and clause), or the refusal of the input, or that this copy has no such
calculator. Standard library only, and nothing from handbook/: an old calc/ runs it too.

Both sides apply the text as it stands in their copy (the latest values of its
parameter file, released or not): what the release would print against what the last
release printed."""

import inspect
import json
import sys


def _rules():
    """The rules of the text as it stands, in this copy's way of passing them."""
    from calc import parameters, registry

    if "rules" in inspect.signature(registry.run).parameters:
        return parameters.policy()
    if hasattr(registry, "as_of_input"):   # calc/ before Rules were passed (until 2026-12): a context
        registry.as_of_input = lambda data: parameters.as_of(None)
    return None


def _quietly(read, default):
    """What describes a calculator, or the default where this copy cannot say: only the
    working tree's description is used (the old copy's serves its titles)."""
    try:
        return read()
    except Exception:
        return default


def _document(module) -> str:
    from calc.parameters import policy

    return policy()[module.SECTION]["document"]


def _checks(result: dict) -> list:
    """Each check's id, status, label, clause, and what it found and required (these two
    only say which clauses a changed answer turned on)."""
    return [[c.get("id"), c.get("status"), c.get("label"), c.get("clause"), str(c.get("actual")), str(c.get("required"))]
            for c in result.get("checks") or [] if isinstance(c, dict)]


# What explains or cites an answer, not the answer itself: the citation's version differs
# between the two sides by design, and a reworded reason is not a changed decision.
EXPLAINING = {"calculator", "policy", "headline", "reason", "checks", "what_would_change", "form_input"}


def _codes(value):
    """The answer's codes and numbers: text in Chinese (an explanation, a name) left out."""
    if isinstance(value, dict):
        return {k: _codes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_codes(v) for v in value]
    if isinstance(value, str) and any(ord(c) > 0x2E7F for c in value):
        return None
    return value


def _answer(result: dict) -> dict:
    return {k: _codes(v) for k, v in result.items() if k not in EXPLAINING}


def _known(schema: dict, data, path: str = ""):
    """The input without the fields this copy's calculator does not have (an optional field
    added since: the old rules decide without it), and their paths."""
    dropped = []
    if isinstance(data, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        out = {}
        for k, v in data.items():
            if k not in props and schema.get("additionalProperties") is False:
                dropped.append(path + k)
                continue
            out[k], more = _known(props.get(k) or {}, v, path + k + ".")
            dropped += more
        return out, dropped
    if isinstance(data, list) and isinstance(schema.get("items"), dict):
        out = []
        for v in data:
            kept, more = _known(schema["items"], v, path.rstrip(".") + "[].")
            out.append(kept)
            dropped += more
        return out, sorted(set(dropped))
    return data, dropped


def main() -> None:
    from calc import registry
    from calc.errors import InputError

    rules = _rules()
    runs = json.load(sys.stdin)["runs"]
    calculators = {}
    for name, module in registry.CALCULATORS.items():
        calculators[name] = {"title": module.TITLE, "labels": getattr(module, "OUTCOME_LABELS", None) or {},
                             "clauses": _quietly(lambda: list(module.clauses()), []),
                             "document": _quietly(lambda: _document(module), None),
                             "schema": _quietly(module.schema, {})}
    results = []
    for name, data in runs:
        module = registry.CALCULATORS.get(name)
        if module is None:
            results.append({"missing": True})
            continue
        data, dropped = _known(calculators[name]["schema"], data)
        try:
            result = registry.run(name, data, rules) if rules is not None else registry.run(name, data)
        except InputError as e:
            results.append({"error": str(e), "field": e.field, "dropped": dropped})
            continue
        except Exception as e:   # a bug of this copy: a flip to report, not a crash of the comparison
            results.append({"error": f"计算器内部错误（{type(e).__name__}）", "field": None})
            continue
        results.append({"outcome": result.get(module.OUTCOME), "answer": _answer(result),
                        "headline": result.get("headline"), "checks": _checks(result), "dropped": dropped})
    sys.stdout.write(json.dumps({"calculators": calculators, "results": results}, ensure_ascii=True, default=str))


if __name__ == "__main__":
    main()
