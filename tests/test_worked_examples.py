"""Worked cases as the handbook's 案例 (issue 21): every case of handbook/data/cases names the
clause it is decided by and says why in one Chinese sentence; a chapter's tool block shows a
few of them beside the rule, each run through the calculator at build time (a case that
disagrees with its `expect` fails the build, naming it); the onboarding self-check asks some
of them; and the build reads nothing under tests/."""

import json
import re

import pytest

from calc.registry import CALCULATORS, get, run, run_form
from calc.tiering_csv import read, upload
from calc.parameters import policy
from handbook import case_files, clauses, documents, onboarding, worked_examples
from tests import cases

pytestmark = pytest.mark.cpython

FORM_CALCULATORS = [n for n in CALCULATORS if not get(n).schema().get("x-upload")]


# --- the case files: clause and why ---------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_every_case_names_a_clause_its_calculator_cites_and_says_why(name):
    module, problems = get(name), []
    for case in cases.ALL[name]["cases"]:
        clause, why = case.get("clause"), case.get("why")
        if clause not in module.clauses():
            problems.append(f"{case['name']}: clause {clause!r} is not one the calculator cites")
        if not isinstance(why, str) or not why.strip():
            problems.append(f"{case['name']}: no why")
            continue
        # One sentence as staff read it: one line of Chinese, no program field names, no 。
        # inside (the page puts the full stop), no English.
        found = cases.message_problems(module.schema(), why) + (["more than one sentence"] if "。" in why else [])
        problems += [f"{case['name']}: why {p}: {why}" for p in found]
    assert problems == []


def test_case_files_keep_their_formatting():
    for path in sorted(case_files.CASES_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n", path.name


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_each_calculator_shows_a_few_cases_on_both_sides(name):
    shown = worked_examples.examples(name)
    assert 3 <= len(shown) <= 6, [c["name"] for c in shown]
    outcome = get(name).OUTCOME
    # The answer a 案例 shows is one its case file states (checked at build time).
    assert all(outcome in c["expect"] or "headline" in c["expect"] for c in shown)
    assert len({json.dumps(run(name, c["input"])[outcome], sort_keys=True) for c in shown}) >= 2


# --- the build's check of a shown case ------------------------------------------------------

def _with_expect(monkeypatch, name: str, index: int, **changed):
    data = json.loads(json.dumps(case_files.load(name)))
    shown = [c for c in data["cases"] if c.get("example")]
    shown[index]["expect"].update(changed)
    real = case_files.load
    monkeypatch.setattr(case_files, "load", lambda n: data if n == name else real(n))
    return shown[index]


def test_a_shown_case_that_disagrees_with_the_calculator_is_refused_naming_it(monkeypatch):
    case = _with_expect(monkeypatch, "credit-grade", 0, grade="B")
    with pytest.raises(ValueError) as e:
        worked_examples.block("credit-grade", "xinyong/XY-03/", "xinyong/XY-03.md",
                              {"XY-03": "xinyong/XY-03/"}, clauses.CitationRegister())
    message = str(e.value)
    assert case["name"] in message and "案例" in message and "\n" not in message
    assert re.search("[\u4e00-\u9fff]", message)


def test_a_shown_case_that_agrees_is_shown_with_its_answer_clause_why_and_try_link():
    register = clauses.CitationRegister()
    html = worked_examples.block("credit-grade", "xinyong/XY-03/", "xinyong/XY-03.md",
                                 {"XY-03": "xinyong/XY-03/"}, register)
    assert 'data-worked-examples="credit-grade"' in html
    for case in worked_examples.examples("credit-grade"):
        result = run("credit-grade", case["input"])
        card = re.split(r'<li class="worked-example"|</ol>', html.split(f'data-case="{case["name"]}"', 1)[1])[0]
        assert result["headline"] in card and case["why"] in card
        assert f'href="#{case["clause"]}"' in card and clauses.label(case["clause"]) in card
        assert 'href="#calc=credit-grade&amp;' in card
        assert f'data-outcome="{result["grade"]}"' in card
    # Every clause a 案例 links to is checked at the end of the build like any citation.
    assert {c for _, c in register.citations} == {c["clause"] for c in worked_examples.examples("credit-grade")}


def test_the_situation_reads_as_staff_read_it():
    first = worked_examples.examples("credit-grade")[0]
    assert worked_examples.situation("credit-grade", first["input"]) == [
        "双方业务合作年限：1年", "过去2年内违约次数：0次", "守法经营、严格履约、信守承诺：是",
        "经营状况良好：是", "资金实力与偿债能力：是", "年度回款、发货达标：是"]
    unrated = worked_examples.situation("credit-application", {"licensed": True, "monthly_sales": 20000,
                                                               "good_reputation": True})
    # A blank that decides the case is said (not rated yet), without giving the answer away.
    assert "信用等级：尚未评定信用等级" in unrated and "月销售额：20000元" in unrated
    assert not any("不具备" in s for s in unrated)
    fines = worked_examples.situation("attendance-fine", {"late_minutes": [10, 120]})
    assert fines == ["本月各次迟到的分钟数：10、120"]


# --- trying a case in the calculator --------------------------------------------------------

def _form_after(schema: dict, fields: dict) -> dict:
    """What the page's form sends (calculator.js readRaw) after a reset and the link's values
    written in (writeForm): every field, blank where the link says nothing."""
    raw = {}

    def walk(props: dict, prefix: str):
        for key, prop in props.items():
            name, types = prefix + key, prop.get("type")
            main = [t for t in ([types] if isinstance(types, str) else types) if t != "null"][0]
            if main == "object":
                walk(prop["properties"], name + ".")
            elif main == "array" and prop["items"].get("type") == "object":
                continue
            elif main == "array" and "enum" in prop["items"]:
                raw[name] = fields[name].split(",") if fields.get(name) else []
            elif main == "boolean":
                raw[name] = fields.get(name) in ("1", "true")
            else:
                raw[name] = fields.get(name, "")

    walk(schema["properties"], "")
    return raw


@pytest.mark.parametrize("name", FORM_CALCULATORS)
def test_the_try_link_fills_the_form_to_the_cases_answer(name):
    schema = get(name).schema()
    for case in worked_examples.examples(name):
        href = worked_examples.try_href(name, case["input"])
        assert href.startswith(f"#calc={name}&")
        fields = worked_examples.try_fields(name, case["input"])
        result = json.loads(run_form(name, json.dumps(_form_after(schema, fields), ensure_ascii=False)))
        assert "error" not in result, (case["name"], result)
        assert cases.mismatches(result, case["expect"]) == [], case["name"]


def test_the_try_file_uploads_to_the_cases_answer():
    for case in worked_examples.examples("customer-tiering"):
        text = worked_examples.try_csv("customer-tiering", case["input"]).encode("utf-8")
        data, problems, _ = read(text)
        assert problems == [] and data["customers"] == case["input"]["customers"], case["name"]
        assert cases.mismatches(run("customer-tiering", data), case["expect"]) == [], case["name"]
        # What the page shows for the uploaded file.
        assert upload(text, policy())["result"]["tiers"] == case["expect"]["tiers"]


# --- the self-check's questions built from a case -------------------------------------------

CASE_QUESTIONS = [q for q in onboarding.data()["question"] if "case" in q]


def test_some_self_check_questions_are_built_from_cases():
    assert len(CASE_QUESTIONS) >= 4
    assert len({q["case"] for q in CASE_QUESTIONS}) >= 3


@pytest.mark.parametrize("q", CASE_QUESTIONS, ids=lambda q: q["id"])
def test_a_case_question_is_answered_by_its_case(q):
    case = next(c for c in case_files.load(q["case"])["cases"] if c["name"] == q["name"])
    module = get(q["case"])
    made = onboarding.question(q)
    assert made.options[made.answer] == module.OUTCOME_LABELS[case["expect"][module.OUTCOME]]
    assert made.clause == case["clause"] and made.explain.startswith(case["why"])
    for line in worked_examples.situation(q["case"], case["input"]):
        assert line in made.ask
    assert case["name"] not in made.ask


def test_a_case_question_whose_case_the_calculator_contradicts_is_refused(monkeypatch):
    q = CASE_QUESTIONS[0]
    data = json.loads(json.dumps(case_files.load(q["case"])))
    case = next(c for c in data["cases"] if c["name"] == q["name"])
    case["expect"][get(q["case"]).OUTCOME] = "C"
    real = case_files.load
    monkeypatch.setattr(case_files, "load", lambda n: data if n == q["case"] else real(n))
    with pytest.raises(ValueError) as e:
        onboarding.question(q)
    assert q["id"] in str(e.value) and q["name"] in str(e.value)


def test_case_question_options_do_not_give_the_answer_away():
    by_calculator = {}
    for q in CASE_QUESTIONS:
        made = onboarding.question(q)
        # The calculator's outcomes in their own order, whatever the answer.
        assert made.options == list(get(q["case"]).OUTCOME_LABELS.values())
        by_calculator.setdefault(q["case"], set()).add(made.answer)
    assert len(set().union(*by_calculator.values())) >= 2


def test_a_case_question_goes_only_to_positions_reading_its_document():
    docs = documents.load_all()
    work = onboarding.work(docs)
    asked, spared = {q["id"] for q in CASE_QUESTIONS}, set()
    for role in onboarding.roles():
        p = onboarding.profile(role["id"], docs, work)
        path = [item["doc"].number for item in p["path"]]
        got = {made.id for made in p["questions"]}
        for q in CASE_QUESTIONS:
            if policy()[get(q["case"]).SECTION]["document"] not in path:
                assert q["id"] not in got, (role["id"], q["id"])
                spared.add(q["id"])
    # Each is asked of someone, and spared someone whose path does not hold its document.
    everyone = {m.id for r in onboarding.roles() for m in onboarding.profile(r["id"], docs, work)["questions"]}
    assert asked <= everyone
    assert {"case-grade-one-year", "case-grade-broken-promises"} <= spared
