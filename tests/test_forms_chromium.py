"""The forms in Chromium (issue 22): the blank printed on A4 (number, version in force,
effective date, 受控, signature boxes, page numbers, no site chrome); the credit application,
the rating form and the release record filled, checked, saved, reloaded and printed, the
printed text checked with pypdf (values, 大写, version); each of the four calculators handing
its answer to its form; a superseded version's form page and a record of an earlier version;
two copies for a form of two 联; the register by document and by role; offline."""

import io
import json
import re

import pytest
from pypdf import PdfReader

from handbook import documents, forms, revisions
from tests.support import wait_until

pytestmark = pytest.mark.chromium

DOCS = documents.load_all()
MANIFEST = revisions.load()
DEFS = forms.all_definitions(DOCS)


def latest(doc: str) -> revisions.Revision:
    return MANIFEST[doc][-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(page) -> list[str]:
    return [flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def open_form(page, site, fid: str):
    page.goto(site.url + f"forms/{fid}/")
    page.wait_for_selector(f'[data-form="{fid}"][data-state="ready"]')


def form(page):
    return page.locator("form.form-fill")


def values(locator) -> list[str]:
    return locator.evaluate_all("ns => ns.map(n => n.value)")


def checked(page):
    page.click('[data-action="check"]')
    page.wait_for_selector("[data-form][data-checked]")


def save(page, who="张三") -> dict:
    page.fill("[data-made-by]", who)
    with page.expect_download() as download:
        page.click('[data-action="save"]')
    return json.loads(open(download.value.path(), encoding="utf-8").read())


def reload_record(browser, site, fid, record, tmp_path):
    """The saved record in a fresh browser (nothing kept from the first): load, check."""
    path = tmp_path / f"{fid}.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    open_form(page, site, fid)
    page.set_input_files("[data-load]", str(path))
    page.wait_for_selector("[data-form-notice]:not([hidden])")
    return context, page


def run_calculator(page, site, doc_path: str, name: str, values: dict):
    page.goto(site.url + doc_path)
    root = f'[data-calculator="{name}"]'
    page.wait_for_selector(f"{root}[data-state=ready]")
    for key, value in values.items():
        control = page.locator(f'{root} form [name="{key}"]')
        if isinstance(value, bool):
            control.set_checked(value)
        elif control.first.evaluate("n => n.tagName") == "SELECT":
            control.select_option(value)
        elif isinstance(value, list):
            for box in control.all():
                box.set_checked(box.get_attribute("value") in value)
        else:
            control.fill(value)
    page.click(f'{root} button[type="submit"]')
    page.wait_for_selector(f"{root} .calc__result[data-outcome]")
    return root


def hand_off(page, root: str, fid: str):
    page.click(f'{root} .calc__handoff[data-form="{fid}"]')
    page.wait_for_url(f"**/forms/{fid}/")
    page.wait_for_selector(f'[data-form="{fid}"] [data-source-for]:not([hidden])')


# --- the blank ------------------------------------------------------------------------------

def test_the_blank_prints_as_a_controlled_a4_form(site, page):
    open_form(page, site, "credit_application_form")
    rev = latest("XY-04")
    sheets = pdf_pages(page)
    text = "".join(sheets)
    assert len(sheets) >= 1
    for words in ("XY-04-F01", "客户信用申请表", f"第{rev.version}版", f"生效日期{rev.effective}", "受控表单",
                  "申请类别*☐新增授信", "小写¥", "大写人民币", "签字：", "日期：", "意见：", "营销总监", rev.sha256):
        assert words in text, words
    for n, sheet in enumerate(sheets, 1):
        assert f"第{n}页，共{len(sheets)}页" in sheet and "受控表单" in sheet
    # No site chrome and no screen form on paper.
    for words in ("检查所填内容", "保存记录", "载入记录", "客户信用与客户管理手册", "搜索"):
        assert words not in text, words


def test_a_form_of_two_copies_prints_each_copy_named(site, page):
    open_form(page, site, "t09_sample_receipt")
    text = "".join(pdf_pages(page))
    assert "第一联：营销部留存" in text and "第二联：随样品寄出" in text
    assert text.count("表9样品发送回执单") >= 2 and "收样方签收" in text


# --- fill, save, reload, print ------------------------------------------------------------------

def test_the_credit_application_is_filled_checked_saved_reloaded_and_printed(site, page, browser, tmp_path):
    open_form(page, site, "credit_application_form")
    f = form(page)
    f.locator('[name="application_kind"]').select_option("新增授信")
    f.locator('[name="customer_name"]').fill("华东机电有限公司")
    f.locator('[name="product_volume"]').fill("每月约20吨")
    f.locator('[name="product_types"]').fill("电力电缆")
    f.locator('[name="licensed"]').select_option("是")
    f.locator('[name="monthly_sales"]').fill("２万")                       # full-width and 万
    f.locator('[name="good_reputation"]').select_option("是")
    f.locator('[name="credit_grade"]').select_option("A级")
    f.locator('[name="tier"]').select_option("A类")
    f.locator('[name="requested_limit"]').fill("1,234,567.89")
    f.locator('[name="requested_period_days"]').fill("四十五")
    page.click('[data-action="check"]')
    page.wait_for_selector('[name="requested_period_days"][aria-invalid="true"]')
    error = page.locator('[data-field="requested_period_days"] .form-fill__error').inner_text()
    assert error == "申请的信用期限：应为数字（如 3 或 1.5），收到 \"四十五\""
    assert page.locator("[data-form-error]").inner_text().startswith("请修改标出的 1 处")
    f.locator('[name="requested_period_days"]').fill("４５")
    checked(page)
    assert page.locator('[data-words-for="requested_limit"]').inner_text() == "大写：人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    # Saving names who saves.
    page.click('[data-action="save"]')
    page.wait_for_selector("[data-made-by][aria-invalid=true]")
    record = save(page)
    rev = latest("XY-04")
    assert record["format"] == "handbook-form-record/1" and record["form"] == "credit_application_form"
    assert (record["document"], record["version"], record["sha256"]) == ("XY-04", rev.version, rev.sha256)
    assert record["values"]["monthly_sales"] == "２万" and record["read"]["monthly_sales"] == 20000
    assert record["made_by"] == "张三" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", record["saved_at"])
    context, again = reload_record(browser, site, "credit_application_form", record, tmp_path)
    try:
        again.wait_for_selector("[data-form][data-checked]")
        assert form(again).locator('[name="customer_name"]').input_value() == "华东机电有限公司"
        assert form(again).locator('[name="credit_grade"]').input_value() == "A级"
        assert "保存人 张三" in again.locator("[data-form-notice]").inner_text()
        text = "".join(pdf_pages(again))
        for words in ("华东机电有限公司", "小写¥1,234,567.89", "大写人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分",
                      "小写¥20,000.00", "大写人民币贰万元整", "45天", "☑A级", "☐B级", f"XY-04第{rev.version}版",
                      "记录：保存人张三", rev.sha256):
            assert words in text, words
    finally:
        context.close()


def test_the_rating_form_takes_the_grade_and_is_saved_reloaded_and_printed(site, page, browser, tmp_path):
    """XY-03 第五条（二）: broken promises three times or more is grade C; the grade, the
    conditions it rests on and the calculator's version go into 《客户信用调查评定表》."""
    root = run_calculator(page, site, "xinyong/XY-03/", "credit-grade", {
        "cooperation_years": "1.5", "defaults_2y": "0", "lawful_and_reliable": True, "good_operation_2y": True,
        "strong_solvency": True, "meets_annual_targets": True, "broken_promises": "3"})
    hand_off(page, root, "credit_survey")
    f = form(page)
    assert f.locator('[name="initial_grade"]').input_value() == "C级"
    assert f.locator('[name="red_flags"][value="经常不兑现承诺"]').is_checked()
    assert f.locator('[name="cooperation_years"]').input_value() == "1.5"
    rev = latest("XY-03")
    source = page.locator('[data-source-for="initial_grade"]').inner_text()
    assert "“客户信用等级评定”计算器（credit-grade，程序 calc 0.1.0" in source and f"XY-03 第 {rev.version} 版" in source
    f.locator('[name="customer_name"]').fill("华东机电有限公司")
    f.locator('[name="legal_rep"]').fill("王五")
    checked(page)
    record = save(page, "赵六")
    assert record["prefill"]["initial_grade"]["calculator"] == "credit-grade"
    assert record["prefill"]["initial_grade"]["version"] == rev.version
    context, again = reload_record(browser, site, "credit_survey", record, tmp_path)
    try:
        again.wait_for_selector("[data-form][data-checked]")
        assert form(again).locator('[name="initial_grade"]').input_value() == "C级"
        text = "".join(pdf_pages(again))
        for words in ("客户信用调查评定表", "XY-02-F01", "☑C级", "☑经常不兑现承诺", "XY-03第五条（二）", "1.5年",
                      "※由“客户信用等级评定”计算器（credit-grade", f"依据XY-03第{rev.version}版",
                      f"XY-02第{latest('XY-02').version}版", "记录：保存人赵六"):
            assert words in text, words
    finally:
        context.close()


def test_a_blocked_order_fills_the_release_record_which_is_saved_reloaded_and_printed(site, page, browser, tmp_path):
    """XY-05 第十二条（一）: exposure 50,000 + 30,000 + 30,000 over a limit of 100,000 blocks the
    order; 第十七条（三）: the credit manager releases it. A passing order has no record."""
    values = {"credit_limit": "100000", "receivables": "50000", "open_orders": "30000", "risk_category": "X1"}
    root = run_calculator(page, site, "xinyong/XY-05/", "credit-check", {**values, "order_value": "20000"})
    assert page.locator(f"{root} .calc__handoff").count() == 0
    root = run_calculator(page, site, "xinyong/XY-05/", "credit-check", {**values, "order_value": "3万"})
    hand_off(page, root, "credit_release_record")
    f = form(page)
    assert f.locator('[name="order_value"]').input_value() == "30000"
    assert f.locator('[name="responsible"]').input_value() == "信用经理（XY-05 第十七条（三））"
    assert f.locator('[name="failed_checks.item"]').first.input_value() == "信用额度"
    assert f.locator('[name="decision"]').input_value() == ""               # the person decides
    f.locator('[name="order_no"]').fill("SO-2026-0815")
    f.locator('[name="customer_name"]').fill("华东机电有限公司")
    f.locator('[name="decision"]').select_option("放行")
    f.locator('[name="ground"]').select_option(index=2)
    f.locator('[name="decided_on"]').fill("2026年12月7日")
    f.locator('[name="decider"]').select_option("信用经理")
    checked(page)
    record = save(page, "钱七")
    assert record["read"]["decided_on"] == "2026-12-07"
    context, again = reload_record(browser, site, "credit_release_record", record, tmp_path)
    try:
        again.wait_for_selector("[data-form][data-checked]")
        rev = latest("XY-05")
        text = "".join(pdf_pages(again))
        for words in ("信用冻结订单放行记录", "SO-2026-0815", "小写¥30,000.00", "大写人民币叁万元整",
                      "大写人民币壹拾壹万元整", "信用经理（XY-05第十七条（三））", "☑放行", "2026年12月7日",
                      f"XY-05第{rev.version}版", "XY-05第十二条（一）", "记录：保存人钱七"):
            assert words in text, words
    finally:
        context.close()


# --- the other calculators' answers -----------------------------------------------------------

def test_a_credit_application_result_fills_the_application(site, page):
    """XY-04 第五条（一）、（四）: grade A, tier A, a 45-day purchase cycle: 30 to 45 days."""
    root = run_calculator(page, site, "xinyong/XY-04/", "credit-application", {
        "licensed": True, "monthly_sales": "2万", "good_reputation": True, "credit_grade": "A", "tier": "A",
        "purchase_cycle_days": "45", "requested_limit": "1234567.89"})
    assert page.locator(f"{root} .calc__handoff").inner_text() == "填入《客户信用申请表》"
    hand_off(page, root, "credit_application_form")
    f = form(page)
    assert f.locator('[name="credit_grade"]').input_value() == "A级"
    assert f.locator('[name="tier"]').input_value() == "A类"
    assert f.locator('[name="credit_period_range"]').input_value() == "30至45天"
    assert f.locator('[name="requested_limit"]').input_value() == "1234567.89"
    assert f.locator('[name="review_checks.item"]').count() >= 10
    rev = latest("XY-04")
    assert f"第 {rev.version} 版" in f.locator('[name="review_basis"]').input_value()
    notice = page.locator("[data-form-notice]").inner_text()
    assert "“授信申请审查”计算器（credit-application" in notice
    # Edited after the calculator: the mark says so.
    f.locator('[name="tier"]').select_option("B类")
    assert "填表人已修改" in page.locator('[data-source-for="tier"]').inner_text()


def test_a_tiering_fills_the_tier_list(site, page, tmp_path):
    csv = "客户编号,客户名称,总分\r\n" + "".join(f"K{n:02d},客户{n},{100 - 5 * n}\r\n" for n in range(10))
    path = tmp_path / "客户.csv"
    path.write_text(csv, encoding="utf-8")
    page.goto(site.url + "kehu/KH-02/")
    root = '[data-calculator="customer-tiering"]'
    page.wait_for_selector(f"{root}[data-state=ready]")
    page.set_input_files(f"{root} input[type=file]", str(path))
    page.wait_for_selector(f"{root} .calc__result[data-outcome]")
    hand_off(page, root, "customer_tier_list")
    f = form(page)
    assert f.locator('[name="participants"]').input_value() == "10"
    assert [f.locator(f'[name="count_{t}"]').input_value() for t in "abcd"] == ["2", "3", "4", "1"]   # KH-02 第八条
    assert values(f.locator('[name="customers.customer_id"]'))[:3] == ["K00", "K01", "K02"]
    assert values(f.locator('[name="customers.tier"]')) == list("AABBBCCCCD")
    assert "客户.csv" in f.locator('[name="attachment"]').input_value()


# --- versions ------------------------------------------------------------------------------------

def test_a_superseded_versions_form_page_says_so_and_links_the_form_in_force(site, page):
    old = MANIFEST["XY-04"][-2]
    page.goto(site.url + f"forms/credit_application_form-v{old.version}/")
    banner = page.locator("[data-revision-banner]")
    assert banner.get_attribute("data-revision-state") == "superseded"
    assert "已被替代" in banner.inner_text()
    assert page.locator("form.form-fill").count() == 0 and page.locator(".form-sheet").count() == 0
    page.click("[data-form-in-force]")
    page.wait_for_selector('[data-form="credit_application_form"][data-state="ready"]')
    assert page.url.endswith("forms/credit_application_form/")


def test_a_record_of_an_earlier_version_says_which_fields_changed(site, page, tmp_path):
    open_form(page, site, "credit_application_form")
    f = form(page)
    f.locator('[name="customer_name"]').fill("华东机电有限公司")
    f.locator('[name="monthly_sales"]').fill("3万")
    page.fill("[data-made-by]", "张三")
    record = json.loads(page.evaluate("""async () => {
        const root = document.querySelector('[data-form]');
        const rec = await window.HandbookRuntime.call('form-fill', {action: 'record', spec: root.spec,
          raw: window.HandbookForms.raw(), made_by: '张三'});
        return JSON.stringify(rec.record || rec);
    }"""))
    assert "errors" in record          # required fields missing: no record
    raw = {"application_kind": "新增授信", "customer_name": "华东机电有限公司", "product_volume": "20吨",
           "product_types": "电缆", "licensed": "是", "monthly_sales": "3万", "good_reputation": "是",
           "credit_grade": "A级", "tier": "A类", "requested_limit": "50万", "requested_period_days": "30"}
    record = page.evaluate("""async (raw) => {
        const root = document.querySelector('[data-form]');
        return (await window.HandbookRuntime.call('form-fill', {action: 'record', spec: root.spec, raw: raw,
          made_by: '张三'})).record;
    }""", raw)
    old = MANIFEST["XY-04"][-2]
    record.update(version=old.version, sha256=old.sha256, effective=old.effective, form_digest="0" * 64)
    record["fields"] = [x for x in record["fields"] if x["id"] != "product_types"]
    record["fields"].append({"id": "fax", "label": "传真", "type": "text"})
    record["values"]["fax"] = "021-12345678"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("[data-load]", str(path))
    page.wait_for_selector("[data-form-notice]:not([hidden])")
    notice = page.locator("[data-form-notice]").inner_text()
    assert f"该记录按 XY-04 第 {old.version} 版" in notice and "已被替代" in notice
    assert "新增栏目“使用的产品品种”" in notice and "删去栏目“传真”" in notice
    assert "传真：021-12345678" in notice                       # not loaded, never lost
    assert form(page).locator('[name="monthly_sales"]').input_value() == "3万"
    # The printed form is the current version's, and says the record's version.
    wait_until(page, "() => document.querySelector('[data-form]').dataset.checked !== undefined || "
                     "!document.querySelector('[data-form-error]').hidden")
    checked(page)
    text = "".join(pdf_pages(page))
    assert f"按XY-04第{old.version}版（SHA-256{old.sha256}）填写，按现行第{latest('XY-04').version}版的表单打印" in text


# --- the register, the document tables, offline --------------------------------------------------

def test_the_register_lists_every_form_by_document_and_by_role(site, page):
    page.goto(site.url + "reference/forms/")
    links = page.locator(".md-typeset table a")
    paths = set(links.evaluate_all("as => as.map(a => new URL(a.href).pathname)"))
    assert {f"/handbook/forms/{fid}/" for fid in DEFS} <= paths
    role = page.locator("#form-role-sales_rep + ul").inner_text()
    fills = role.splitlines()[0]
    assert fills.startswith("填写：") and "XY-04-F01 《客户信用申请表》" in fills
    approver = page.locator("#form-role-marketing_director + ul").inner_text()
    assert "批准" in approver and "客户信用申请表" in approver and "客户分级名单" in approver


def test_the_documents_form_table_links_each_form_with_its_text_unchanged(site, page):
    page.goto(site.url + "xinyong/XY-04/")
    cell = page.locator('table a[href$="forms/credit_application_form/"]')
    assert cell.inner_text() == "《客户信用申请表》"


def test_a_visited_form_works_after_the_network_is_cut(site, browser):
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_form(page, site, "credit_release_record")
        wait_until(page, """async () => {
          const root = document.querySelector('[data-form]');
          const wheel = new URL(root.dataset.wheel, document.baseURI).href;
          return !!navigator.serviceWorker.controller && !!(await caches.match(wheel)) &&
                 !!(await caches.match(location.href.split('#')[0]));
        }""")
        context.set_offline(True)
        page.reload()
        page.wait_for_selector('[data-form="credit_release_record"][data-state="ready"]')
        form(page).locator('[name="order_value"]').fill("1.5万")
        page.click('[data-action="check"]')
        page.wait_for_selector("[data-form-error]:not([hidden])")
        assert page.locator('[data-words-for="order_value"]').inner_text() == "大写：人民币壹万伍仟元整"
    finally:
        context.close()


def test_a_form_with_its_messages_has_no_serious_accessibility_violation(site, browser):
    from tests.test_a11y_axe import violations

    context = browser.new_context(locale="zh-CN", bypass_csp=True)   # axe-core is injected inline
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_form(page, site, "credit_application_form")
        page.click('[data-action="check"]')
        page.wait_for_selector('[data-field="customer_name"] .form-fill__error')
        assert violations(page) == []
        page.goto(site.url + "reference/forms/")
        assert violations(page) == []
    finally:
        context.close()
