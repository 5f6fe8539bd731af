"""Every calculator answered through the built site in Chromium, against the shared case
files' `expect` (never against CPython's answer): all cases and all error cases through
the page's own runtime (its worker, the wheel in Pyodide), the cases the form can express
also by filling the form; CSV uploads in each encoding; a customer id containing <script>
is shown as text. One page load per calculator; the page map comes from the registry."""

import json

import pytest

from calc.registry import CALCULATORS, listing
from handbook import documents
from tests import cases

pytestmark = pytest.mark.chromium

_DOCS = documents.load_all()
# Each calculator sits in the chapter of the document whose rule it applies.
PAGES = {e["name"]: _DOCS[e["document"]].src_uri.removesuffix(".md") + "/" for e in listing()}


def outcome_text(value) -> str:
    """The answer as the page writes it into data-outcome (calculator-dom.js outcomeText)."""
    if isinstance(value, dict):
        return " ".join(f"{k}={outcome_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def open_calculator(page, site, name: str) -> str:
    page.goto(site.url + PAGES[name])
    root = f'[data-calculator="{name}"]'
    page.wait_for_selector(f'{root}[data-state="ready"]')
    return root


def through_runtime(page, name: str, inputs: list) -> list[dict]:
    """All inputs through the page's runtime in one round trip (HandbookRuntime.call is
    what the form uses after reading its fields)."""
    return page.evaluate("""async ([name, inputs]) => {
        const out = [];
        for (const input of inputs) out.push(await window.HandbookRuntime.call(name, input));
        return out;
    }""", [name, inputs])


def expressible(page, root: str, data: dict, prefix: str = "") -> bool:
    """Whether the form has a control for every value of the input."""
    for key, value in data.items():
        if isinstance(value, dict):
            if not expressible(page, root, value, prefix + key + "."):
                return False
        elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
            return False
        elif value == [] and not page.locator(f'{root} input[type=checkbox][name="{prefix + key}"]').count():
            return False   # an empty text box reads as "not filled", not as an empty list
        elif value is not None and not page.locator(f'{root} [name="{prefix + key}"]').count():
            return False
    return True


def fill(page, root: str, data: dict, prefix: str = ""):
    if not prefix:
        # Start from an empty form: the same page answers several cases in turn.
        page.locator(f"{root} form").evaluate(
            "f => { f.reset(); f.querySelectorAll('details').forEach(d => d.open = true); }")
    for key, value in data.items():
        name = prefix + key
        if isinstance(value, dict):
            fill(page, root, value, name + ".")
        elif isinstance(value, bool):
            page.set_checked(f'{root} [name="{name}"]', value)
        elif isinstance(value, list) and page.locator(f'{root} input[type=checkbox][name="{name}"]').count():
            for box in page.locator(f'{root} [name="{name}"]').all():
                box.set_checked(box.get_attribute("value") in value)
        elif isinstance(value, list):
            page.fill(f'{root} [name="{name}"]', ", ".join(map(str, value)))
        elif value is None:
            continue
        elif page.locator(f'{root} select[name="{name}"]').count():
            page.select_option(f'{root} select[name="{name}"]', str(value))
        else:
            page.fill(f'{root} [name="{name}"]', str(value))


def answer(page, root: str) -> str | None:
    page.locator(f"{root} .calc__result").evaluate("r => { r.removeAttribute('data-outcome'); }")
    page.click(f"{root} button[type=submit]")
    page.wait_for_selector(f"{root} .calc__result[data-outcome], {root} .calc__error:not([hidden])")
    return page.get_attribute(f"{root} .calc__result", "data-outcome")


@pytest.mark.parametrize("name", [e["name"] for e in listing()])
def test_each_calculator_answers_its_case_file_in_the_page(site, page, name):
    root = open_calculator(page, site, name)
    data = cases.ALL[name]
    results = through_runtime(page, name, [c["input"] for c in data["cases"] + data["errors"]])
    problems = []
    for case, result in zip(data["cases"], results):
        problems += [f"{case['name']}: {m}" for m in cases.mismatches(result, case["expect"])]
    for case, result in zip(data["errors"], results[len(data["cases"]):]):
        if result.get("field") != case["field"] or case["message"] not in result.get("error", ""):
            problems.append(f"{case['name']}: expected {case['field']!r} / {case['message']!r}, got {result!r}")
    assert problems == []

    # The same cases typed into the form, where the form has a control for each value.
    module = CALCULATORS[name]
    typed = 0
    if not module.schema().get("x-upload"):   # a list to upload is not typed into a form
        for case in data["cases"]:
            if not expressible(page, root, case["input"]):
                continue
            fill(page, root, case["input"])
            got = answer(page, root)
            typed += 1
            if module.OUTCOME in case["expect"]:
                assert got == outcome_text(case["expect"][module.OUTCOME]), case["name"]
            if "what_would_change" in case["expect"]:   # shown beside the answer, each clause a link
                want = case["expect"]["what_would_change"]
                block = page.locator(f"{root} .calc__change")
                if want is None:
                    assert block.count() == 0, case["name"]
                else:
                    assert block.locator(".calc__change-title").inner_text() == f"要{want['better']}，须：", case["name"]
                    assert block.locator("li a.calc__clause").count() == len(want["clauses"]), case["name"]
            if "failed_checks" in case["expect"]:
                failed = page.locator(f'{root} tr[data-status="fail"]').evaluate_all(
                    "rows => rows.map(r => r.dataset.check).sort()")
                assert failed == sorted(case["expect"]["failed_checks"]), case["name"]
        assert typed, f"{name}: no case could be typed into the form"
        names_the_bad_field_and_keeps_the_input(page, root, name)


def names_the_bad_field_and_keeps_the_input(page, root: str, name: str):
    first = cases.ALL[name]["cases"][0]["input"]
    fill(page, root, first)
    field = page.locator(f"{root} form > .calc__field input[type=text]").first.get_attribute("name")
    page.fill(f'{root} [name="{field}"]', "一万二")
    page.click(f"{root} button[type=submit]")
    error = page.locator(f"{root} .calc__error")
    error.wait_for(state="visible")
    title = CALCULATORS[name].schema()["properties"][field.split(".")[0]]["title"]
    assert title in error.inner_text() and "一万二" in error.inner_text()
    assert field not in error.inner_text()   # the program's field name is never shown
    assert page.input_value(f'{root} [name="{field}"]') == "一万二"
    # Every other value the user typed is still there.
    for key, value in first.items():
        if key != field and isinstance(value, (int, float)) and not isinstance(value, bool):
            assert page.input_value(f'{root} [name="{key}"]') == str(value)


def upload(page, root, tmp_path, text: str, encoding: str, filename="客户清单.csv"):
    path = tmp_path / filename
    path.write_bytes(text.encode(encoding))
    page.locator(f"{root} .calc__result").evaluate("r => r.removeAttribute('data-outcome')")
    page.set_input_files(f"{root} input[type=file]", str(path))
    page.wait_for_selector(f"{root} .calc__result[data-outcome] .calc__customers, {root} .calc__error:not([hidden])")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_upload_of_each_encoding(site, page, tmp_path, encoding):
    root = open_calculator(page, site, "customer-tiering")
    rows = "".join(f"客户{i:02d},{100 - i * 5}\n" for i in range(10))
    upload(page, root, tmp_path, "客户编号,总分\n" + rows, encoding)
    # 10 customers: 20% / 30% / 40% / 10% (KH-02 第八条).
    assert page.get_attribute(f"{root} .calc__result", "data-outcome") == "A=2 B=3 C=4 D=1"
    assert page.locator(f"{root} .calc__customers tbody tr").count() == 10
    assert page.inner_text(f"{root} .calc__customers tbody tr:first-child td:first-child") == "客户00"
    expected = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030"}[encoding]
    assert f"文件编码：{expected}" in page.inner_text(f"{root} .calc__result")
    # One wrong row more: nobody is tiered (issue 18), the row is named.
    upload(page, root, tmp_path, "客户编号,总分\n" + rows + "坏行,很高\n", encoding, "坏行.csv")
    assert "第 12 行" in page.inner_text(f"{root} .calc__error")
    assert page.locator(f"{root} .calc__result").is_hidden()
    assert page.locator(f"{root} .calc__customers, {root} .calc__download").count() == 0


def test_unreadable_csv_is_refused_in_the_page(site, page, tmp_path):
    root = open_calculator(page, site, "customer-tiering")
    upload(page, root, tmp_path, "客户编号,总分\n", "utf-8", "header.csv")
    assert "只有表头" in page.inner_text(f"{root} .calc__error")


def test_customer_id_with_script_is_shown_as_text_and_download_is_safe(site, page, tmp_path):
    root = open_calculator(page, site, "customer-tiering")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    upload(page, root, tmp_path, "客户编号,总分\n<script>alert(1)</script>,90\n=1+1,80\n<img src=x onerror=alert(2)>,70\n", "utf-8")
    cells = page.locator(f"{root} .calc__customers tbody td:first-child").all_inner_texts()
    assert cells == ["<script>alert(1)</script>", "=1+1", "<img src=x onerror=alert(2)>"]
    assert page.locator(f"{root} .calc__customers script, {root} .calc__customers img").count() == 0
    with page.expect_download() as info:
        page.click(f"{root} .calc__download")
    data = open(info.value.path(), encoding="utf-8-sig").read().replace("\r\n", "\n")
    assert "'=1+1" in data and "\n=1+1" not in data   # the formula cell is neutralised
    assert dialogs == []


def test_tiering_case_files_through_upload(site, page, tmp_path):
    """The cases' tiers (in input order, the calculator's contract) in the page's ranked
    list: each customer's tier, the list by rank and, on equal ranks, in file order."""
    root = open_calculator(page, site, "customer-tiering")
    for i, case in enumerate(c for c in cases.ALL["customer-tiering"]["cases"]
                             if all("score" in x for x in c["input"]["customers"])
                             and "customers_tiers" in c["expect"]):
        customers = case["input"]["customers"]
        text = "客户编号,总分\n" + "".join(f"{c['id']},{c['score']}\n" for c in customers)
        upload(page, root, tmp_path, text, "utf-8", f"case{i}.csv")
        shown = page.locator(f"{root} .calc__customers tbody tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].textContent, r.dataset.tier, +r.cells[2].textContent])")
        assert {c["id"]: t for c, t in zip(customers, case["expect"]["customers_tiers"])} == {
            i: t for i, t, _ in shown}, case["name"]
        position = {c["id"]: k for k, c in enumerate(customers)}
        assert [i for i, _, _ in shown] == sorted(position, key=lambda i: (
            next(r for j, _, r in shown if j == i), position[i])), case["name"]
