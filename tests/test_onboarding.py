"""新员工入门 from the data: every unit and position has a reading path and a self-check,
every duty reaches its position's page, and an answer follows the parameter file."""

import copy
from pathlib import Path

import pytest

from calc import parameters
from handbook import clauses, documents, onboarding, roster

pytestmark = pytest.mark.cpython

DOCS = documents.load_all(Path(__file__).resolve().parent.parent / "docs")
WORK = onboarding.work(DOCS)


@pytest.mark.parametrize("role", [r["id"] for r in onboarding.roles()])
def test_every_position_has_a_path_and_a_self_check(role):
    p = onboarding.profile(role, DOCS, WORK)
    assert p["path"], f"{role} has no reading path"
    assert all(item["minutes"] >= 1 and item["reason"] for item in p["path"])
    assert len(p["questions"]) >= 2, f"{role} has fewer than two questions"
    for q in p["questions"]:
        assert 2 <= len(q.options) <= 4 and len(set(q.options)) == len(q.options)
        assert 0 <= q.answer < len(q.options)
        assert clauses.parse(q.clause)["doc"] in DOCS


def test_every_roster_entry_is_offered():
    offered = {r["id"] for r in onboarding.roles()}
    assert offered == set(roster.entries())


def test_every_duty_is_on_its_positions_page():
    for d in DOCS.values():
        for duty in d.data.get("duty", []):
            tasks = onboarding.profile(duty["role"], DOCS, WORK)["tasks"]
            assert any(t.text == duty["text"] and t.clause == duty["clause"] for t in tasks), duty


def test_a_position_shows_its_units_work_apart():
    """The department's duties are on the position's page, folded apart from its own."""
    unit_duties = [t for t in WORK["finance"].tasks if t.kind == "duty"]
    officer = onboarding.profile("credit_officer", DOCS, WORK)
    inherited = [(t.text, t.clause) for t in officer["unit_tasks"]]
    assert unit_duties and all((t.text, t.clause) in inherited for t in unit_duties)
    assert officer["tasks"] and not any(t.via_unit for t in officer["tasks"])


def test_a_positions_path_holds_only_the_documents_its_own_work_cites():
    officer = onboarding.profile("credit_officer", DOCS, WORK)
    cited = set()
    for t in officer["tasks"]:
        cited |= {t.doc} | ({clauses.parse(t.clause)["doc"]} if t.clause else set())
    path = [item["doc"].number for item in officer["path"]]
    assert set(path) == cited and "FW-03" not in path and "FW-01" not in path
    assert len(path) < len(onboarding.profile("finance", DOCS, WORK)["path"])
    # Most of its own work first: XY-05 (order checks, releases) before the rest.
    assert path[0] in ("XY-05", "XY-06")
    assert all(c["name"] != "attendance-fine" for c in officer["calculators"])


def test_questions_fit_the_position():
    technician = {q.id for q in onboarding.profile("service_technician", DOCS, WORK)["questions"]}
    assert "grade-after-default" not in technician and "unrated-credit" not in technician
    assert "blocked-order-release" in {q.id for q in onboarding.profile("credit_manager", DOCS, WORK)["questions"]}


def test_the_right_option_is_not_always_in_the_same_place():
    answers = {q.id: q.answer for r in onboarding.roles() for q in onboarding.profile(r["id"], DOCS, WORK)["questions"]}
    counts = {i: list(answers.values()).count(i) for i in range(4)}
    assert max(counts.values()) < 0.6 * len(answers), counts
    assert len([c for c in counts.values() if c]) >= 3, counts


def _question(qid: str, role: str = "credit_officer") -> onboarding.Question:
    return next(q for q in onboarding.questions_for(role) if q.id == qid)


def test_a_number_question_reads_the_parameter_file(monkeypatch):
    q = _question("new-customer-order-cap")
    cap = parameters.policy()["credit_check"]["max_document_value_new"]
    assert q.options[q.answer] == f"{cap['value']}{cap['unit']}"
    changed = copy.deepcopy(parameters.policy())
    changed["credit_check"]["max_document_value_new"]["value"] = 60000
    from handbook import pages

    monkeypatch.setattr(onboarding, "policy", lambda: changed)
    monkeypatch.setattr(pages, "policy", lambda: changed)
    q = _question("new-customer-order-cap")
    assert q.options[q.answer] == "60000元"
    assert "60000元" in q.explain


def test_a_rule_question_is_answered_by_the_calculator(monkeypatch):
    # XY-03 第五条（一）: a default in the look-back period makes the customer C.
    q = _question("grade-after-default")
    assert q.options[q.answer] == "不能，评为C级"
    # Should the look-back rule allow one default, the calculator's answer (and so the
    # question's) would follow.
    real = onboarding.run
    monkeypatch.setattr(onboarding, "run", lambda name, data: {
        "grade": "A", "reason": "六项A级条件同时具备", "checks": [{"clause": "XY-03-4", "status": "ok"}]}
        if name == "credit-grade" else real(name, data))
    q = _question("grade-after-default")
    assert q.options[q.answer] == "能，评为A级"


def test_unrated_customer_question_says_rate_first():
    # XY-04 第六条（四）, XY-03 第二条: no credit for an unrated customer.
    q = _question("unrated-credit")
    assert q.options[q.answer] == "不具备授信条件：须先评定信用等级"


def test_role_page_lists_path_numbers_and_quiz():
    from handbook import clauses as cl, tables

    linker = tables.Linker(onboarding.role_src("credit_officer"),
                           {n: d.src_uri for n, d in DOCS.items()}, cl.CitationRegister())
    md = onboarding.role_page("credit_officer", DOCS, WORK, linker)
    assert "data-read-doc=\"XY-05\"" in md
    assert md.count("data-question=") == len(onboarding.profile("credit_officer", DOCS, WORK)["questions"])
    assert "data-quiz" in md and "须知道的数字" in md
    own, _, department = md.partition('<details class="onb-unit"')
    assert "审批每一笔发货" not in own and "审批每一笔发货" in department   # finance's, not the officer's
