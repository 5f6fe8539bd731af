"""The forms as data (issue 22): every form of the register defined once beside its
document, with fields that follow the clause listing its contents, roles from the roster,
clauses that exist; a bad definition refused with one Chinese line naming the form."""

import copy

import pytest

from handbook import documents, forms

pytestmark = pytest.mark.cpython

DOCS = documents.load_all()
DEFS = forms.all_definitions(DOCS)


def _field(form_id: str, field_id: str) -> dict:
    return next(f for f in forms.fields(DEFS[form_id]) if f["id"] == field_id)


def test_every_form_of_the_register_is_defined_and_valid():
    register = [f["id"] for d in DOCS.values() for f in d.data.get("form", [])]
    assert len(register) == 42 and set(register) == set(DEFS)
    assert forms.problems(DOCS) == []
    numbers = [d["number"] for d in DEFS.values()]
    assert len(set(numbers)) == len(numbers)
    for fid, d in DEFS.items():
        assert d["number"].startswith(d["document"] + "-F"), fid
        assert forms.fields(d) and d["signs"], fid
        assert d["fields_from"] or d["fields_decision"], fid


def test_the_kh06_tables_keep_their_numbers():
    """KH-06 calls its forms 表1…表11: the form numbers follow them."""
    for d in DEFS.values():
        if d["document"] == "KH-06":
            n = int(d["name"].split()[0][1:])
            assert d["number"] == f"KH-06-F{n:02d}", d["name"]


def test_a_form_whose_fields_the_sources_leave_open_cites_the_decision_that_chose_them():
    for d in DEFS.values():
        if d["fields_decision"]:
            topics = [x["topic"] for x in DOCS[d["document"]].data["decision"]]
            assert d["fields_decision"] in topics
            decision = next(x for x in DOCS[d["document"]].data["decision"] if x["topic"] == d["fields_decision"])
            assert f"《{d['name']}》" in decision["decision"] or "表1至表11" in decision["decision"], d["name"]


def test_the_credit_application_asks_what_xy04_7_2_lists():
    """XY-04 第七条（二）: 产品用量、产品品种、信用等级、申请的信用额度和信用期限."""
    d = DEFS["credit_application_form"]
    assert d["fields_from"] == "XY-04-7-2"
    for fid in ("product_volume", "product_types", "credit_grade", "requested_limit", "requested_period_days"):
        f = _field("credit_application_form", fid)
        assert f["required"], fid
    assert _field("credit_application_form", "product_volume")["clause"] == "XY-04-7-2"
    assert _field("credit_application_form", "requested_limit")["type"] == "amount"
    assert _field("credit_application_form", "requested_limit")["unit"] == "元"
    # The rejection criteria come from the parameter file, with the source's letters (no g).
    options = _field("credit_application_form", "rejection_criteria")["options"]
    assert [o[1] for o in options] == list("abcdefhi")
    assert [s["roles"] for s in d["signs"]] == [["sales_rep"], ["sales_supervisor"], ["sales_manager"], ["marketing_director"]]


def test_the_release_record_asks_what_xy05_19_2_lists():
    """XY-05 第十九条（二）: 订单、冻结原因、决定、依据和决定人; an exception carries the
    customer's payment plan (第十八条（三）); no approval (第十七条: decided alone)."""
    d = DEFS["credit_release_record"]
    ids = {f["id"]: f for f in forms.fields(d)}
    for fid in ("order_no", "failed_checks", "decision", "ground", "decider", "payment_plan_attached"):
        assert fid in ids
    assert ids["decider"]["options"] == ["信用专员", "信用经理", "大客户信用经理"]
    assert d["approved_by"] == [] and d["reviewed_by"] == []
    assert d["signs"][0]["roles"] == ["credit_officer", "credit_manager", "key_account_credit_manager"]


def test_the_rating_form_follows_the_survey_points_and_the_grading_steps():
    """XY-02 第十一条（一）至（八） as its sections' clauses; the initial grade (XY-03 第十一条
    （二）) with the conditions it rests on; signed in the order of XY-02 第十五条 and XY-03."""
    d = DEFS["credit_survey"]
    cited = {f["clause"] for f in forms.fields(d)}
    for item in range(1, 9):
        assert f"XY-02-11-{item}" in cited, item
    assert _field("credit_survey", "initial_grade")["options"] == ["A级", "B级", "C级"]
    assert [s["roles"][0] for s in d["signs"]] == ["sales_supervisor", "finance", "sales_manager", "service_staff",
                                                   "service_manager", "sales_manager", "marketing_director"]


def test_the_tier_list_is_kh02s_list_and_its_rows_come_from_the_parameters():
    assert DEFS["customer_tier_list"]["approved_by"] == ["marketing_director"]
    columns = [c["id"] for c in _field("customer_tier_list", "customers")["columns"]]
    assert columns == ["rank", "customer_id", "customer_name", "score", "tier"]
    assert _field("customer_tiering_score", "items")["row_labels"][0] == "销售规模"


def test_roles_index_says_who_fills_reviews_approves_and_keeps():
    roles = forms.by_role(DEFS)
    assert "credit_application_form" in roles["sales_rep"]["fill"]
    assert "credit_application_form" in roles["marketing_director"]["approve"]
    assert "credit_application_form" in roles["finance"]["keep"]
    assert "credit_survey" in roles["service_manager"]["review"]
    assert set(roles) <= set(documents.roster.entries())


def test_the_digest_changes_with_what_the_form_asks_not_with_its_purpose():
    d = copy.deepcopy(DEFS["credit_application_form"])
    before = forms.digest(d)
    d["purpose"] = "另一种说法"
    assert forms.digest(d) == before
    d["sections"][0]["fields"][1]["label"] = "客户全称"
    assert forms.digest(d) != before


def _broken(change) -> str:
    doc = copy.deepcopy(DOCS["XY-04"])
    form = doc.data["form"][0]
    change(form)
    with pytest.raises((forms.FormError, documents.roster.UnknownRole)) as e:
        forms.definition(form, "XY-04", doc.data["decision"])
    return str(e.value)


@pytest.mark.parametrize("change,words", [
    (lambda f: f.update(number="XY-05-F01"), "表单编号应为“XY-04-F两位序号”"),
    (lambda f: f.update(copies=0), "联数"),
    (lambda f: f.update(reviewed_by="sales_boss"), "sales_boss"),
    (lambda f: f["section"][0]["fields"].append({"id": "x", "label": "X", "type": "money"}), "type 应为"),
    (lambda f: f["section"][0]["fields"].append({"id": "customer_name", "label": "X", "type": "text"}), "重复"),
    (lambda f: f.update(fields_decision="没有这个决定"), "不在本文件的 [[decision]] 中"),
    (lambda f: f["section"][0]["fields"].append({"id": "c", "label": "C", "type": "choice"}), "options"),
    (lambda f: f.update(signs=[{"label": "签字", "role": "gm", "party": "客户"}]), "二者取一"),
])
def test_a_bad_definition_is_refused_naming_the_form(change, words):
    message = _broken(change)
    assert words in message
    assert "credit_application_form" in message or "sales_boss" in message


def test_a_clause_that_does_not_exist_fails_the_documents():
    docs = copy.deepcopy(DOCS)
    docs["XY-04"].data["form"][0]["section"][0]["fields"][0]["clause"] = "XY-04-7-9"
    assert any("XY-04-7-9" in p for p in forms.problems(docs))
