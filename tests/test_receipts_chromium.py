"""Read receipts in Chromium, end to end: people make receipts on their position pages (ticks,
self-check, name and 工号, the JSON downloaded), a substantive release follows in a copy of
the project, and `python -m handbook receipts` reports 现行 / 须重新阅读 / 未读 per person and
document, with the tampered receipts listed apart. Also: the page's rules are the command's
(the running table and every worked case, word for word), the ticks on the path and on the
receipt are one, the printed sheet is the receipt alone, and the page's check reads the
JSON file."""

import csv
import io
import json
import re

import pytest

from handbook import documents, onboarding, receipts, revisions
from tests.support import ROOT
from tests.test_a11y_axe import axe_page, violations  # noqa: F401  (axe-core in the page)
from tests.test_release import project, reword, run  # noqa: F401  (project: a copy to release into)

pytestmark = pytest.mark.chromium

MANIFEST = revisions.load()
CASES = json.loads((ROOT / "tests" / "receipt_cases.json").read_text(encoding="utf-8"))


def make_receipt(page, site, role, name, employee, tick) -> tuple[dict, str, list[str]]:
    """On the position's page: tick path documents by index, answer the self-check (the first
    question wrong), fill in and download. Returns (receipt, its text, the path's documents)."""
    page.goto(site.url + f"onboarding/{role}/")
    links = page.locator("a[data-read-doc]")
    path = links.evaluate_all("els => els.map(e => e.dataset.readDoc)")
    boxes = page.locator("input[data-read-box]")
    for i in tick:
        boxes.nth(i).check()
    questions = page.locator("[data-quiz] [data-question]")
    total = questions.count()
    for i in range(total):
        q = questions.nth(i)
        answer = int(q.get_attribute("data-answer"))
        q.locator("input[type=radio]").nth(answer if i else (answer + 1) % q.locator("input[type=radio]").count()).check()
    page.click("[data-quiz] button[type=submit]")
    page.fill("[data-read-receipt] input[name=name]", name)
    page.fill("[data-read-receipt] input[name=employee]", employee)
    page.click("[data-read-receipt] button[type=submit]")
    with page.expect_download() as download:
        page.click("[data-receipt-download]")
    assert download.value.suggested_filename.endswith(".json")
    text = open(download.value.path(), encoding="utf-8").read()
    data = json.loads(text)
    assert data["self_check"]["right"] == total - 1 and data["self_check"]["total"] == total
    return data, text, path


def test_receipts_made_in_the_page_are_reported_after_a_substantive_release(site, page, project, tmp_path):  # noqa: F811
    # 1. Two people make their receipts on their own position pages.
    officer, officer_text, officer_path = make_receipt(page, site, "credit_officer", "张三", "A0012", tick=(0, 1))
    staff, staff_text, staff_path = make_receipt(page, site, "service_staff", "李四", "B0007", tick=(0, 2))
    assert [d["doc"] for d in officer["documents"]] == officer_path and len(officer_path) >= 3
    assert [d["read"] for d in officer["documents"]] == [i in (0, 1) for i in range(len(officer_path))]
    assert officer["position"] == {"id": "credit_officer", "name": "信用专员", "unit": "财务部"}
    for d in officer["documents"] + staff["documents"]:
        last = MANIFEST[d["doc"]][-1]
        assert (d["version"], d["effective"], d["sha256"]) == (last.version, last.effective, last.sha256)

    # 2. A substantive release, in the copy only, of a document the officer read.
    released = officer_path[0]
    old = MANIFEST[released][-1].version
    new = f"{int(old.split('.')[0]) + 1}.0"
    src = next(p for p in (project / "docs").glob(f"*/{released}.md"))
    reword(project, src.relative_to(project).as_posix(), "本办法由归口部门负责解释。")
    proc = run(project, "release", released, "--version", new, "--kind", "substantive", "--summary", "测试用的实质性修订")
    assert proc.returncode == 0, proc.stderr

    # 3. The folder: the two receipts, one with an edited hash, one with a version never released.
    folder = tmp_path / "收到的确认书"
    folder.mkdir()
    (folder / "张三.json").write_text(officer_text, encoding="utf-8")
    (folder / "李四.json").write_text(staff_text, encoding="utf-8")
    edited = json.loads(officer_text)
    edited["documents"][1]["sha256"] = "0" * 64
    (folder / "改过哈希.json").write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    unknown = json.loads(staff_text)
    unknown["documents"][0]["version"] = "9.9"
    (folder / "未知版本.json").write_text(json.dumps(unknown, ensure_ascii=False), encoding="utf-8")
    # As Excel writes it on Chinese Windows: GBK; one position by name, one by roster id.
    (tmp_path / "人员.csv").write_bytes("工号,姓名,岗位\r\nA0012,张三,信用专员\r\nB0007,李四,service_staff\r\n"
                                        "B0008,王五,客服人员\r\n".encode("gbk"))
    out = tmp_path / "报告"
    proc = run(project, "receipts", str(folder), "--staff", str(tmp_path / "人员.csv"), "--out", str(out),
               "--site", site.url)
    assert proc.returncode == 1, proc.stderr        # written, with receipts listed apart
    assert "Traceback" not in proc.stderr

    # 4. Per person and document of the path.
    rows = list(csv.DictReader(io.StringIO((out / "documents.csv").read_text(encoding="utf-8").lstrip("\ufeff"))))
    got = {(r["工号"], r["文件"]): r for r in rows}
    part = src.parent.name
    for employee, path, tick in (("A0012", officer_path, (0, 1)), ("B0007", staff_path, (0, 2)),
                                 ("B0008", staff_path, ())):
        assert [r["文件"] for r in rows if r["工号"] == employee] == path
        for i, doc in enumerate(path):
            row = got[(employee, doc)]
            if i not in tick:
                assert row["状态"] == "未读", (employee, doc)
            elif doc == released:
                assert row["状态"] == "须重新阅读", (employee, doc)
                assert (row["所读版本"], row["最新版本"]) == (old, new)
                assert row["对照链接"] == f"{site.url}{part}/{released}-redline-{old}-{new}/"
            else:
                assert row["状态"] == "现行" and row["所读版本"] == MANIFEST[doc][-1].version, (employee, doc)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.index("汇总（按部门和岗位）") < html.index("逐人情况") < html.index("另列的确认书")
    assert f'<a href="{site.url}{part}/{released}-redline-{old}-{new}/">与第 {old} 版对照</a>' in html
    assert re.search(r'<li data-employee="B0008">王五（工号 B0008', html)

    # 5. The tampered receipts, apart, each with its reason.
    apart = {r["确认书文件"]: r["原因"] for r in csv.DictReader(
        io.StringIO((out / "apart.csv").read_text(encoding="utf-8").lstrip("\ufeff")))}
    assert set(apart) == {"改过哈希.json", "未知版本.json"}
    second = officer["documents"][1]
    assert apart["改过哈希.json"] == (f"{second['doc']}（第 {second['version']} 版，第 2 项）："
                                     f"SHA-256 与发布记录中第 {second['version']} 版的不符")
    assert apart["未知版本.json"] == f"{staff['documents'][0]['doc']}（第 9.9 版，第 1 项）：版本 9.9 不在发布记录中"
    assert "确认书 改过哈希.json：" in proc.stderr and "确认书 未知版本.json：" in proc.stderr
    totals = list(csv.DictReader(io.StringIO((out / "totals.csv").read_text(encoding="utf-8").lstrip("\ufeff"))))
    must_reread = 1 + sum(staff_path[i] == released for i in (0, 2))   # the officer's, and 李四's if on his path
    assert (totals[-1]["部门"], totals[-1]["人数"], totals[-1]["已交确认书"], totals[-1]["须重新阅读（份次）"]) == \
        ("合计", "3", "2", str(must_reread))


RUN_CASE = """([releases, text, today]) => {
  const r = HandbookReceipts.check(releases, text, today);
  return {tooLong: r.tooLong, date: r.date, problems: r.problems.map(p => [p.status, p.text]),
          items: r.items.map(i => [i.doc, i.version, i.status, i.text, i.where]), mismatches: r.mismatches,
          reread: r.reread};
}"""


def test_the_page_and_the_command_give_the_same_answers(site, page):
    page.goto(site.url + "onboarding/")
    table = page.evaluate("HandbookReceipts.RULES")
    assert table == receipts.RULES
    assert page.evaluate("HandbookReceipts.FORMAT") == receipts.FORMAT
    for case in CASES["cases"]:
        js = page.evaluate(RUN_CASE, [CASES["releases"], case["text"], case["today"]])
        py = receipts.check(CASES["releases"], case["text"], case["today"])
        assert js == {"tooLong": py["tooLong"], "date": py["date"],
                      "problems": [[p["status"], p["text"]] for p in py["problems"]],
                      "items": [[i["doc"], i["version"], i["status"], i["text"], i["where"]] for i in py["items"]],
                      "mismatches": py["mismatches"], "reread": py["reread"]}, case["name"]


def test_ticks_on_the_path_and_on_the_receipt_are_one(site, page):
    page.goto(site.url + "onboarding/credit_officer/")
    path_boxes = page.locator("input[data-read-box]")
    receipt_boxes = page.locator('[data-read-receipt] input[name="doc"]')
    n = path_boxes.count()
    assert receipt_boxes.count() == n
    path_boxes.nth(0).check()
    assert receipt_boxes.nth(0).is_checked()
    receipt_boxes.nth(1).check()
    assert path_boxes.nth(1).is_checked() and page.inner_text("[data-reading-progress]") == f"已读 2 / {n} 份"
    receipt_boxes.nth(0).uncheck()
    assert not path_boxes.nth(0).is_checked() and page.inner_text("[data-reading-progress]") == f"已读 1 / {n} 份"
    page.reload()
    assert [b.is_checked() for b in page.locator('[data-read-receipt] input[name="doc"]').all()][:2] == [False, True]
    # The start page offers the remembered position's path, with the same ticks.
    page.goto(site.url + "onboarding/")
    assert page.input_value("select[name=position]") == "credit_officer"
    boxes = page.locator('[data-read-receipt] input[name="doc"]')
    assert boxes.count() == n and [b.is_checked() for b in boxes.all()][:2] == [False, True]
    assert "尚未在本浏览器做本岗位的自测" in page.inner_text("[data-receipt-score]")
    page.select_option("select[name=position]", "service_staff")
    listed = page.locator('[data-read-receipt] input[name="doc"]').evaluate_all("els => els.map(e => e.value)")
    docs = documents.load_all()
    assert listed == [d for d in onboarding.reading_path("service_staff", docs, onboarding.work(docs)) if d in MANIFEST]


def test_the_start_page_receipt_needs_a_position(site, page):
    page.goto(site.url + "onboarding/")
    page.fill("[data-read-receipt] input[name=name]", "张三")
    page.fill("[data-read-receipt] input[name=employee]", "A0012")
    page.click("[data-read-receipt] button[type=submit]")
    assert page.inner_text(".onb-receipt__error") == "请选择岗位"
    assert page.get_attribute("select[name=position]", "aria-invalid") == "true"
    page.select_option("select[name=position]", "order_clerk")
    page.click("[data-read-receipt] button[type=submit]")
    assert page.inner_text(".onb-receipt__error") == "请至少勾选一份已读的文件"
    page.locator('[data-read-receipt] input[name="doc"]').first.check()
    page.click("[data-read-receipt] button[type=submit]")
    assert page.locator(".onb-receipt__error").is_hidden()
    sheet = page.locator("[data-receipt-sheet]")
    assert "订单员" in sheet.inner_text() and "自测：尚未在本浏览器做本岗位的自测" in sheet.inner_text()
    assert sheet.locator('tr[data-read="true"]').count() == 1


def test_the_printed_sheet_is_the_receipt_alone(site, page):
    page.goto(site.url + "onboarding/credit_officer/")
    page.locator("input[data-read-box]").first.check()
    page.fill("[data-read-receipt] input[name=name]", "张三")
    page.fill("[data-read-receipt] input[name=employee]", "A0012")
    page.click("[data-read-receipt] button[type=submit]")
    page.evaluate("document.body.classList.add('onb-printing')")
    page.emulate_media(media="print")
    assert page.locator("[data-receipt-sheet]").is_visible()
    for hidden in (".md-header", "h1", "[data-quiz]", "[data-receipt-download]", "[data-read-receipt] .onb-receipt__who"):
        assert page.locator(hidden).first.is_hidden(), hidden
    words = page.locator("[data-receipt-sheet]").inner_text()
    for phrase in ("本人签名", "部门负责人", "不是签名", "工号", "A0012", "SHA-256"):
        assert phrase in words


def test_the_page_checks_a_json_receipt_file(site, page):
    officer, text, path = make_receipt(page, site, "credit_officer", "张三", "A0012", tick=(0,))
    page.goto(site.url + "onboarding/")
    page.set_input_files("[data-receipt-check] input[type=file]", files=[{
        "name": "阅读确认书-A0012.json", "mimeType": "application/json", "buffer": text.encode("utf-8")}])
    result = page.locator("[data-receipt-result]")
    result.locator("li").first.wait_for()
    statuses = dict(result.locator("li").evaluate_all("els => els.map(e => [e.dataset.doc, e.dataset.status])"))
    assert statuses == {d: ("current" if i == 0 else "not-read") for i, d in enumerate(path)}
    assert result.inner_text().startswith(f"确认书所列 {len(path)} 份文件的版本、SHA-256 和日期都与发布记录相符")
    total = officer["self_check"]["total"]
    assert f"确认书：张三，工号 A0012，岗位 信用专员，日期 {officer['date']}；自测答对 {total - 1} / {total} 题" \
        in result.inner_text()
    assert f"另有 {len(path) - 1} 份文件未勾选为已读" in result.inner_text()


def test_the_receipt_on_a_position_page_is_accessible(site, axe_page):  # noqa: F811
    """axe-core: no serious WCAG violation on a position page with its receipt made."""
    page = axe_page
    page.goto(site.url + "onboarding/service_staff/")
    page.locator("input[data-read-box]").first.check()
    page.fill("[data-read-receipt] input[name=name]", "李四")
    page.click("[data-read-receipt] button[type=submit]")            # an error first: 工号 missing
    assert page.inner_text(".onb-receipt__error") == "请填写工号"
    assert violations(page) == [], "with the error"
    page.fill("[data-read-receipt] input[name=employee]", "B0007")
    page.click("[data-read-receipt] button[type=submit]")
    assert page.locator("[data-receipt-sheet] table").count() == 2
    assert violations(page) == [], "with the sheet"
