"""新员工入门 in Chromium: the position is remembered, reading progress is kept, the
self-check scores right and wrong answers, the read receipt (a JSON file) holds the position's
path with the versions and hashes of the releases and says what it proves, the check of an old receipt leads with every mismatch
(tests/receipt_cases.json) and links what to re-read, tampered storage breaks nothing, and a
document page says when it changed since the last visit."""

import json
import re

import pytest

from handbook import revisions
from tests.support import ROOT

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
    assert n >= 3   # the officer's own path (XY-06, XY-05, KH-04 today)
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
    page.goto(site.url + "onboarding/sales_rep/")   # asked where the work cites XY-04 (not the officer's path)
    q = page.locator('[data-question="unrated-credit"]')
    answer = int(q.get_attribute("data-answer"))
    assert "须先评定信用等级" in q.locator("label").nth(answer).inner_text()


def _receipt(page, name="张三", employee="A0012", role="credit_officer", read=2):
    """The receipt of the start page for a position, its first `read` documents ticked: the
    downloaded JSON file, as (record, text)."""
    page.select_option("select[name=position]", role)
    page.fill("[data-read-receipt] input[name=name]", name)
    page.fill("[data-read-receipt] input[name=employee]", employee)
    for i, box in enumerate(page.locator('[data-read-receipt] input[name="doc"]').all()):
        box.set_checked(i < read)
    page.click("[data-read-receipt] button[type=submit]")
    with page.expect_download() as download:
        page.click("[data-receipt-download]")
    text = open(download.value.path(), encoding="utf-8").read()
    return json.loads(text), text


def test_receipt_names_versions_and_hashes(start):
    page = start
    data, _ = _receipt(page)
    assert (data["format"], data["name"], data["employee"]) == ("handbook-receipt/1", "张三", "A0012")
    assert data["position"] == {"id": "credit_officer", "name": "信用专员", "unit": "财务部"}
    docs = page.locator('[data-read-receipt] input[name="doc"]').evaluate_all("els => els.map(e => e.value)")
    assert [d["doc"] for d in data["documents"]] == docs and len(docs) >= 3
    assert [d["read"] for d in data["documents"]] == [True, True] + [False] * (len(docs) - 2)
    for d in data["documents"]:
        last = MANIFEST[d["doc"]][-1]
        assert (d["version"], d["effective"], d["sha256"]) == (last.version, last.effective, last.sha256)
    assert "KH-01" not in docs                     # not on the officer's path
    assert data["self_check"] is None
    assert page.get_attribute("[data-receipt-download]", "href").startswith("blob:")


def test_receipt_needs_name_number_and_a_document(start):
    page = start
    page.click("[data-read-receipt] button[type=submit]")
    assert page.inner_text(".onb-receipt__error") == "请填写姓名"
    assert page.get_attribute("[data-read-receipt] input[name=name]", "aria-invalid") == "true"


def _check(page, text):
    page.fill("[data-receipt-check] textarea", text)
    page.click("[data-receipt-check] button[type=submit]")
    return page.locator("[data-receipt-result]")


def test_current_receipt_checks_as_current(start):
    page = start
    data, text = _receipt(page)
    result = _check(page, text)
    items = result.locator("li")
    n = len(data["documents"])
    assert items.count() == n
    assert items.evaluate_all("els => els.map(e => e.dataset.status)") == ["current"] * 2 + ["not-read"] * (n - 2)
    assert page.get_attribute("[data-reread-count]", "data-reread-count") == "0"
    assert page.get_attribute("[data-mismatch-count]", "data-mismatch-count") == "0"
    headline = result.locator("p").first.inner_text()
    assert headline.startswith(f"确认书所列 {n} 份文件的版本、SHA-256 和日期都与发布记录相符")
    assert "没有须重新阅读的文件" in result.inner_text()


CASES = json.loads((ROOT / "tests" / "receipt_cases.json").read_text(encoding="utf-8"))
RUN_CASE = """([releases, text, today]) => {
  const r = HandbookReceipts.check(releases, text, today);
  return {tooLong: r.tooLong, date: r.date, problems: r.problems.map(p => p.status),
          items: r.items.map(i => [i.doc, i.version, i.status]), mismatches: r.mismatches, reread: r.reread,
          text: r.problems.concat(r.items).map(i => i.text).join("\\n")};
}"""


def test_receipt_rules_on_the_worked_cases(start):
    """tests/receipt_cases.json: the rules a later command-line check shares."""
    assert len(CASES["cases"]) >= 20
    for case in CASES["cases"]:
        got = start.evaluate(RUN_CASE, [CASES["releases"], case["text"], case["today"]])
        want = case["expect"]
        for key in ("tooLong", "date", "problems", "items", "mismatches", "reread"):
            assert got[key] == want[key], (case["name"], key, got)
        for words in want.get("contains", []):
            assert words in got["text"], (case["name"], words, got["text"])


def test_receipt_size_limit_both_sides(start):
    limit = start.evaluate("HandbookReceipts.MAX_CHARS")
    assert limit == 100_000
    at, over = start.evaluate("n => [HandbookReceipts.check([], 'x'.repeat(n), '2027-01-01').tooLong, "
                              "HandbookReceipts.check([], 'x'.repeat(n + 1), '2027-01-01').tooLong]", limit)
    assert (at, over) == (False, True)


def test_a_huge_receipt_file_is_refused_without_reading_it(start):
    page = start
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_input_files("[data-receipt-check] input[type=file]", files=[{
        "name": "确认书.txt", "mimeType": "text/plain", "buffer": b"XY-03 x" * (16 * 1024 * 1024 // 7)}])
    result = page.locator("[data-receipt-result]")
    result.locator(".onb-check__too-long").wait_for()
    assert "确认书过长" in result.inner_text() and "最多核对 100,000 个字符" in result.inner_text()
    assert result.locator("li").count() == 0
    assert page.input_value("[data-receipt-check] textarea") == ""
    # Pasted text over the limit: the same refusal, what was pasted stays in the box.
    long_text = "日期：2026-12-05\n" + "x" * 100_000
    _check(page, long_text)
    assert "确认书过长（收到 100,014 个字符）" in result.inner_text()
    assert len(page.input_value("[data-receipt-check] textarea")) == len(long_text)
    assert errors == []


def _line(doc, version, sha=None):
    rev = next(r for r in MANIFEST[doc] if r.version == version)
    return f"{doc} 文件｜版本 {version}｜生效日期 {rev.effective}｜SHA-256 {sha or rev.sha256}"


def test_check_leads_with_every_mismatch_then_what_to_reread_with_links(site, start):
    page = start
    last = MANIFEST["XY-03"][-1]
    assert [r.version for r in MANIFEST["XY-03"]][:2] == ["1.0", "1.1"] and last.kind == "substantive"
    receipt = "\n".join([
        "日期：" + max(r.released for revs in MANIFEST.values() for r in revs),
        _line("KH-05", MANIFEST["KH-05"][-1].version),                 # current
        _line("XY-04", "1.0").replace("版本 1.0", "版本 9.9"),          # unknown version
        _line("XY-03", "1.0"),                                         # re-read: 1.0 → 2.0 (1.1 between)
        _line("FW-01", "1.0", "0" * 64),                               # hash not the record's
        "ZZ-01 某办法｜版本 1.0｜SHA-256 " + "1" * 64,                  # not a document of the handbook
        _line("KH-01", "1.0"),                                         # re-read: 1.0 → 2.0 (next)
        _line("KH-01", "2.0"),                                         # the same document again
    ])
    result = _check(page, receipt)
    assert page.get_attribute("[data-mismatch-count]", "data-mismatch-count") == "4"
    assert page.get_attribute("[data-reread-count]", "data-reread-count") == "2"
    text = result.inner_text()
    assert text.startswith("确认书有 4 处与发布记录不符")
    assert text.index("版本 9.9 不在发布记录中") < text.index("有 2 份文件须重新阅读")
    assert "没有须重新阅读的文件" not in text
    order = result.locator("li").evaluate_all("els => els.map(e => e.dataset.status)")
    assert order[:4] == ["unknown-version", "sha-mismatch", "unknown-document", "duplicate"]
    assert order[4:] == ["reread", "reread", "current"]          # re-read items before the rest
    links = result.locator('li[data-status="reread"][data-doc="XY-03"] a')
    assert links.nth(0).inner_text().startswith("XY-03") and links.nth(1).inner_text() == "与 1.0 对照"
    assert links.nth(1).get_attribute("href").endswith(f"reference/compare/?doc=XY-03&old=1.0&new={last.version}")
    kh01 = result.locator('li[data-status="reread"][data-doc="KH-01"] a')
    assert kh01.nth(1).get_attribute("href").endswith("kehu/KH-01-redline-1.0-2.0/")
    for i in range(2):
        for a in (links.nth(i), kh01.nth(i)):
            url = a.evaluate("a => a.href")
            assert page.request.get(url).status == 200, url
    assert "不是签名" in result.inner_text()


def test_check_with_every_line_wrong_does_not_say_nothing_to_reread(start):
    page = start
    result = _check(page, "日期：2026-12-05\n" + _line("XY-03", "1.0", "f" * 64))
    assert result.inner_text().startswith("确认书有 1 处与发布记录不符")
    assert "没有须重新阅读的文件" not in result.inner_text()
    assert "没有与发布记录相符的文件行" in result.inner_text()


def test_receipt_and_page_say_what_a_receipt_proves(start):
    page = start
    data, _ = _receipt(page)
    assert "不是签名" in data["statement"] and "不能证明本人确实读过" in data["statement"]
    assert "不是签名" in page.inner_text("[data-receipt-sheet]")
    words = page.locator("#receipt ~ .onb-proves").inner_text()
    for phrase in ("本人声明", "SHA-256 是公开的", "不是签名", "不能证明本人确实读过", "也不能证明填写人就是本人"):
        assert phrase in words, phrase


def test_tampered_local_storage_breaks_nothing(site, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.url + "onboarding/")
    page.evaluate("""() => {
      localStorage.setItem('handbook.position', JSON.stringify({id: '"]x', name: '<b>x</b>'}));
      localStorage.setItem('handbook.read', '5');
      localStorage.setItem('handbook.seen', '7');
      localStorage.setItem('handbook.quiz', JSON.stringify({credit_officer: {right: 9, total: 3, date: 'x'}}));
    }""")
    page.reload()
    assert page.get_attribute("form[data-read-receipt]", "data-bound") == "1"
    assert page.get_attribute("form[data-receipt-check]", "data-bound") == "1"
    assert page.locator("[data-onboarding-remembered]").is_hidden()   # not a position of the roster
    assert page.input_value("select[name=position]") == ""            # nor offered for the receipt
    data, _ = _receipt(page, read=1)
    assert data["name"] == "张三" and data["self_check"] is None        # an impossible stored score: none
    page.goto(site.url + "onboarding/credit_officer/")
    page.locator("input[data-read-box]").nth(0).check()
    assert page.inner_text("[data-reading-progress]").startswith("已读 1 /")
    page.goto(site.url + "xinyong/XY-03/")
    assert page.locator(".onb-changed").count() == 0
    for key, value in (("handbook.read", '"abc"'), ("handbook.seen", "[1, 2]"), ("handbook.position", "3"),
                       ("handbook.seen", '{"XY-03": {"x": 1}}'), ("handbook.quiz", "[1]"), ("handbook.quiz", "{")):
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, value])
        page.goto(site.url + "onboarding/credit_officer/")
        page.locator("input[data-read-box]").nth(1).check()
        page.click("[data-quiz] button[type=submit]")
        assert "自测：答对 0 / " in page.inner_text("[data-receipt-score]")   # stored afresh
        page.goto(site.url + "xinyong/XY-03/")
    assert errors == []


def test_real_receipt_of_a_superseded_revision(start):
    """On the real release record: a receipt of each document's first revision is judged by
    the kinds of the revisions released after it."""
    page = start
    docs = [d for d, revs in MANIFEST.items() if len(revs) > 1]
    assert docs, "no document has been revised yet"
    lines = [f"{d} ｜版本 {MANIFEST[d][0].version}｜SHA-256 {MANIFEST[d][0].sha256}" for d in docs]
    _check(page, "日期：" + max(r.released for revs in MANIFEST.values() for r in revs) + "\n" + "\n".join(lines))
    got = dict(page.locator("[data-receipt-result] li").evaluate_all(
        "els => els.map(e => [e.dataset.doc, e.dataset.status])"))
    for d in docs:
        later = MANIFEST[d][1:]
        want = "reread" if any(r.kind == "substantive" for r in later) else "editorial"
        assert got[d] == want, d
    assert page.get_attribute("[data-mismatch-count]", "data-mismatch-count") == "0"


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
