"""新员工入门 in Chromium: the position is remembered, reading progress is kept, the
self-check scores right and wrong answers, the read receipt holds the versions and hashes of
the releases, an old receipt names the documents revised since, and a document page says
when it changed since the last visit."""

import json
import re

import pytest

from handbook import revisions

pytestmark = pytest.mark.chromium

MANIFEST = revisions.load()


@pytest.fixture
def start(site, page):
    page.goto(site.url + "onboarding/")
    return page


def test_position_is_remembered(site, start):
    page = start
    page.click('[data-onboarding-picker] a[data-role="credit_officer"]')
    page.wait_for_selector('[data-onboarding-role="credit_officer"]', state="attached")
    page.goto(site.url + "onboarding/")
    remembered = page.locator("[data-onboarding-remembered]")
    assert remembered.is_visible()
    assert "信用专员" in remembered.inner_text()


def test_reading_progress_is_kept(site, page):
    page.goto(site.url + "onboarding/credit_officer/")
    boxes = page.locator("input[data-read-box]")
    n = boxes.count()
    assert n >= 5
    assert page.inner_text("[data-reading-progress]") == f"已读 0 / {n} 份"
    boxes.nth(0).check()
    boxes.nth(2).check()
    page.reload()
    assert page.inner_text("[data-reading-progress]") == f"已读 2 / {n} 份"
    assert page.locator("input[data-read-box]").nth(2).is_checked()


def test_quiz_scores_right_and_wrong(site, page):
    page.goto(site.url + "onboarding/credit_officer/")
    questions = page.locator("[data-quiz] [data-question]")
    total = questions.count()
    assert total >= 2
    # Right answers for all but the first, a wrong one for the first.
    for i in range(total):
        q = questions.nth(i)
        answer = int(q.get_attribute("data-answer"))
        choice = answer if i else (answer + 1) % q.locator("input[type=radio]").count()
        q.locator("input[type=radio]").nth(choice).check()
    page.click("[data-quiz] button[type=submit]")
    score = page.locator("[data-quiz-score]")
    assert score.get_attribute("data-right") == str(total - 1)
    assert f"{total - 1} / {total}" in score.inner_text()
    assert questions.nth(0).get_attribute("data-result") == "wrong"
    assert questions.nth(1).get_attribute("data-result") == "right"
    explain = questions.nth(0).locator(".onb-explain")
    assert explain.is_visible()
    assert "正确答案" in explain.inner_text()
    assert explain.locator("a").count() >= 1   # the clause it rests on


def test_unrated_question_answer_is_the_rule(site, page):
    page.goto(site.url + "onboarding/credit_officer/")
    q = page.locator('[data-question="unrated-credit"]')
    answer = int(q.get_attribute("data-answer"))
    assert "须先评定信用等级" in q.locator("label").nth(answer).inner_text()


def _receipt(page, name="张三", employee="A0012", docs=("XY-03", "XY-05")):
    page.fill("[data-read-receipt] input[name=name]", name)
    page.fill("[data-read-receipt] input[name=employee]", employee)
    for box in page.locator('[data-read-receipt] input[name="doc"]').all():
        box.set_checked(box.get_attribute("value") in docs)
    page.click("[data-read-receipt] button[type=submit]")
    return page.inner_text("[data-receipt-text]")


def test_receipt_names_versions_and_hashes(start):
    page = start
    text = _receipt(page)
    assert "姓名：张三" in text and "工号：A0012" in text
    for doc in ("XY-03", "XY-05"):
        last = MANIFEST[doc][-1]
        line = next(l for l in text.splitlines() if l.startswith(doc))
        assert f"版本 {last.version}" in line
        assert f"生效日期 {last.effective}" in line
        assert f"SHA-256 {last.sha256}" in line
    assert not any(l.startswith("KH-01") for l in text.splitlines())
    href = page.get_attribute("[data-receipt-download]", "href")
    assert href.startswith("blob:")


def test_receipt_needs_name_number_and_a_document(start):
    page = start
    page.click("[data-read-receipt] button[type=submit]")
    assert page.inner_text(".onb-receipt__error") == "请填写姓名"
    assert page.get_attribute("[data-read-receipt] input[name=name]", "aria-invalid") == "true"


def test_current_receipt_checks_as_current(start):
    page = start
    text = _receipt(page)
    page.fill("[data-receipt-check] textarea", text)
    page.click("[data-receipt-check] button[type=submit]")
    items = page.locator("[data-receipt-result] li")
    assert items.count() == 2
    assert set(items.evaluate_all("els => els.map(e => e.dataset.status)")) == {"current"}
    assert page.get_attribute("[data-reread-count]", "data-reread-count") == "0"


def test_old_receipt_names_documents_revised_since(start):
    page = start
    # A release history with a substantive revision after 1.0 and an editorial one after 1.1.
    releases = [
        {"doc": "XY-03", "title": "客户信用等级评定办法", "revisions": [
            {"version": "1.0", "kind": "substantive", "released": "2026-11-28", "effective": "2026-12-01", "sha256": "a" * 64},
            {"version": "2.0", "kind": "substantive", "released": "2027-01-10", "effective": "2027-02-01", "sha256": "b" * 64}]},
        {"doc": "KH-03", "title": "客户信息与档案管理办法", "revisions": [
            {"version": "1.0", "kind": "substantive", "released": "2026-11-28", "effective": "2026-12-01", "sha256": "c" * 64},
            {"version": "1.1", "kind": "editorial", "released": "2026-11-29", "effective": "2026-12-01", "sha256": "d" * 64}]},
    ]
    page.eval_on_selector("[data-receipt-check]", "(f, r) => f.dataset.releases = r", json.dumps(releases))
    receipt = ("XY-03 客户信用等级评定办法｜版本 1.0｜生效日期 2026-12-01｜SHA-256 " + "a" * 64 + "\n"
               "KH-03 客户信息与档案管理办法｜版本 1.0｜生效日期 2026-12-01｜SHA-256 " + "c" * 64 + "\n"
               "XY-03 客户信用等级评定办法｜版本 2.0｜生效日期 2027-02-01｜SHA-256 " + "e" * 64 + "\n")
    page.fill("[data-receipt-check] textarea", receipt)
    page.click("[data-receipt-check] button[type=submit]")
    statuses = page.locator("[data-receipt-result] li").evaluate_all(
        "els => els.map(e => [e.dataset.doc, e.dataset.status, e.textContent])")
    assert [s[:2] for s in statuses] == [["XY-03", "reread"], ["KH-03", "editorial"], ["XY-03", "mismatch"]]
    assert "2.0" in statuses[0][2]
    assert page.get_attribute("[data-reread-count]", "data-reread-count") == "1"


def test_real_receipt_of_a_superseded_revision(start):
    """On the real release record: a receipt of each document's first revision is judged by
    the kinds of the revisions released after it."""
    page = start
    docs = [d for d, revs in MANIFEST.items() if len(revs) > 1]
    assert docs, "no document has been revised yet"
    lines = [f"{d} ｜版本 {MANIFEST[d][0].version}｜SHA-256 {MANIFEST[d][0].sha256}" for d in docs]
    page.fill("[data-receipt-check] textarea", "\n".join(lines))
    page.click("[data-receipt-check] button[type=submit]")
    got = dict(page.locator("[data-receipt-result] li").evaluate_all(
        "els => els.map(e => [e.dataset.doc, e.dataset.status])"))
    for d in docs:
        later = MANIFEST[d][1:]
        want = "reread" if any(r.kind == "substantive" for r in later) else "editorial"
        assert got[d] == want, d


def test_document_page_says_it_changed_since_last_visit(site, page):
    page.goto(site.url + "xinyong/XY-03/")
    assert page.locator(".onb-changed").count() == 0
    last = MANIFEST["XY-03"][-1].version
    # As if this browser had seen an earlier version.
    page.evaluate("v => localStorage.setItem('handbook.seen', JSON.stringify({'XY-03': v}))",
                  MANIFEST["XY-03"][0].version)
    page.reload()
    note = page.locator(".onb-changed")
    assert note.is_visible()
    assert f"第 {last} 版" in note.inner_text()
    href = note.locator("a").get_attribute("href")
    assert re.search(r"reference/compare/\?doc=XY-03&old=[\d.]+&new=" + re.escape(last), href)
    page.reload()
    assert page.locator(".onb-changed").count() == 0   # seen now


def test_home_page_lists_recent_releases(site, page):
    page.goto(site.url)
    table = page.locator("xpath=//h2[@id='recent']/following::table[1]")
    newest = max((r for revs in MANIFEST.values() for r in revs), key=lambda r: (r.released, r.document))
    assert newest.document in table.inner_text()
