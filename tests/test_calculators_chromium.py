"""Every calculator answered through the built site in Chromium, from the shared case
files: the page's answer (data-outcome) and failed checks equal CPython's; CSV uploads in
each encoding; a customer id containing <script> is shown as text."""


import pytest

from calc import CALCULATORS, run
from tests import cases

# Where each calculator sits in its chapter (the rule it implements).
PAGES = {"credit-grade": "xinyong/XY-03/", "credit-application": "xinyong/XY-04/",
         "credit-check": "xinyong/XY-05/", "credit-kpi": "xinyong/XY-01/",
         "customer-tiering": "kehu/KH-02/", "tier-terms": "kehu/KH-02/",
         "report-deadline": "kehu/KH-03/", "filing-deadline": "kehu/KH-03/",
         "attendance-fine": "fuwu/FW-03/"}
FORM_CALCULATORS = sorted(n for n in CALCULATORS if n != "customer-tiering")


def outcome_text(value) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def fill(page, root: str, data: dict, prefix: str = ""):
    form = page.locator(f"{root} form")
    # Start from an empty form: the same page answers several cases in turn.
    form.evaluate("f => { f.reset(); f.querySelectorAll('details').forEach(d => d.open = true); }")
    for key, value in data.items():
        name = prefix + key
        if isinstance(value, dict):
            fill_nested(page, root, value, name + ".")
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


def fill_nested(page, root, data, prefix):
    for key, value in data.items():
        page.fill(f'{root} [name="{prefix}{key}"]', str(value))


def answer(page, root: str) -> str:
    page.locator(f"{root} .calc__result").evaluate("r => { r.removeAttribute('data-outcome'); }")
    page.click(f"{root} button[type=submit]")
    page.wait_for_selector(f"{root} .calc__result[data-outcome], {root} .calc__error:not([hidden])")
    return page.get_attribute(f"{root} .calc__result", "data-outcome")


@pytest.mark.parametrize("name", FORM_CALCULATORS)
def test_each_calculator_answers_its_cases_in_the_page(site, page, name):
    page.goto(site.url + PAGES[name])
    root = f'[data-calculator="{name}"]'
    page.wait_for_selector(f'{root}[data-state="ready"]')
    module = CALCULATORS[name]
    for case in cases.ALL[name]["cases"]:
        fill(page, root, case["input"])
        expected = run(name, case["input"])
        got = answer(page, root)
        assert got == outcome_text(expected[module.OUTCOME]), case["name"]
        failed = page.locator(f'{root} tr[data-status="fail"]').evaluate_all(
            "rows => rows.map(r => r.dataset.check).sort()")
        assert failed == sorted(c["id"] for c in expected["checks"] if c["status"] == "fail"), case["name"]


@pytest.mark.parametrize("name", FORM_CALCULATORS)
def test_each_calculator_names_the_bad_field_and_keeps_the_input(site, page, name):
    page.goto(site.url + PAGES[name])
    root = f'[data-calculator="{name}"]'
    page.wait_for_selector(f'{root}[data-state="ready"]')
    first = cases.ALL[name]["cases"][0]["input"]
    fill(page, root, first)
    field = page.locator(f"{root} form > .calc__field input[type=text]").first.get_attribute("name")
    page.fill(f'{root} [name="{field}"]', "一万二")
    page.click(f"{root} button[type=submit]")
    error = page.locator(f"{root} .calc__error")
    error.wait_for(state="visible")
    assert f"字段 {field}" in error.inner_text() and "一万二" in error.inner_text()
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
    page.wait_for_selector(f"{root} .calc__result[data-outcome], {root} .calc__error:not([hidden])")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_upload_of_each_encoding(site, page, tmp_path, encoding):
    page.goto(site.url + PAGES["customer-tiering"])
    root = '[data-calculator="customer-tiering"]'
    rows = "".join(f"客户{i:02d},{100 - i * 5}\n" for i in range(10))
    upload(page, root, tmp_path, "客户编号,总分\n" + rows + "坏行,很高\n", encoding)
    assert page.get_attribute(f"{root} .calc__result", "data-outcome") == "A=2 B=3 C=4 D=1"
    assert "第 12 行：总分应为数字" in page.inner_text(f"{root} .calc__error")
    assert page.locator(f"{root} .calc__customers tbody tr").count() == 10
    assert page.inner_text(f"{root} .calc__customers tbody tr:first-child td:first-child") == "客户00"
    expected = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030"}[encoding]
    assert f"文件编码：{expected}" in page.inner_text(f"{root} .calc__result")


def test_customer_id_with_script_is_shown_as_text_and_download_is_safe(site, page, tmp_path):
    page.goto(site.url + PAGES["customer-tiering"])
    root = '[data-calculator="customer-tiering"]'
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    upload(page, root, tmp_path, "客户编号,总分\n<script>alert(1)</script>,90\n=1+1,80\n<img src=x onerror=alert(2)>,70\n", "utf-8")
    cells = page.locator(f"{root} .calc__customers tbody td:first-child").all_inner_texts()
    assert cells == ["<script>alert(1)</script>", "=1+1", "<img src=x onerror=alert(2)>"]
    assert page.locator(f"{root} .calc__customers script, {root} .calc__customers img").count() == 0
    with page.expect_download() as info:
        page.click(f"{root} .calc__download")
    data = open(info.value.path(), encoding="utf-8-sig").read()
    assert "'=1+1,80,2,B" in data.replace("\r\n", "\n") or "'=1+1" in data
    assert dialogs == []


def test_tiering_case_files_through_upload(site, page, tmp_path):
    page.goto(site.url + PAGES["customer-tiering"])
    root = '[data-calculator="customer-tiering"]'
    for i, case in enumerate(c for c in cases.ALL["customer-tiering"]["cases"]
                             if all("score" in x for x in c["input"]["customers"])):
        text = "客户编号,总分\n" + "".join(f"{c['id']},{c['score']}\n" for c in case["input"]["customers"])
        upload(page, root, tmp_path, text, "utf-8", f"case{i}.csv")
        tiers = page.locator(f"{root} .calc__customers tbody tr").evaluate_all("rows => rows.map(r => r.dataset.tier)")
        assert tiers == case["expect"]["customers_tiers"], case["name"]
