"""Customer tiering from a file, the page side (KH-02), in Chromium at 1366 px and 390 px:
the columns listed and a template to download, results by rank, a failed upload leaves
nothing of the previous file, an Excel file is asked for as CSV, and 100,000 customers are
shown in pages without freezing the page."""

import json
from urllib.parse import unquote

import pytest

from calc import csv_table
from calc.registry import run_upload

pytestmark = pytest.mark.chromium

# The issue asks for 100,000 rows; the file reader caps a file at csv_table.MAX_ROWS.
ROWS = min(100_000, getattr(csv_table, "MAX_ROWS", 100_000))

ROOT = '[data-calculator="customer-tiering"]'
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_TASKS = """
window.__long = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });
// Uploads are held back while window.__slow is set (a file that takes more than a second),
// or answered with window.__fake (a result larger than the file reader accepts today).
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (m, t) {
  if (m && m.type === "upload" && window.__fake) {
    const json = window.__fake;
    setTimeout(() => this.dispatchEvent(new MessageEvent("message", { data: { type: "result", id: m.id, json } })), 50);
  } else if (m && m.type === "upload" && window.__slow) setTimeout(() => post.call(this, m, t), window.__slow);
  else post.call(this, m, t);
};
"""


@pytest.fixture(scope="module", params=list(WIDTHS))
def tiering(request, browser, site):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[request.param])
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(site.url + "kehu/KH-02/")
    page.wait_for_selector(f'{ROOT}[data-state="ready"]', timeout=120_000)
    yield page
    context.close()


def upload(page, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files(f"{ROOT} input[type=file]", str(path))
    page.wait_for_selector(f"{ROOT} .calc__result[data-outcome]:not([hidden]) .calc__customers, {ROOT} .calc__error:not([hidden])")


def test_columns_are_listed_with_a_template(tiering):
    page = tiering
    columns = page.locator(f"{ROOT} .calc__columns li strong").all_inner_texts()
    assert "客户编号" in columns and "总分" in columns and len(columns) >= 10  # id, score and the eight items
    href = page.get_attribute(f"{ROOT} .calc__template", "href")
    assert href.startswith("data:text/csv") and page.get_attribute(f"{ROOT} .calc__template", "download").endswith(".csv")
    header = unquote(href.split(",", 1)[1]).lstrip("\ufeff").splitlines()[0]
    assert header.split(",") == columns


def test_results_by_rank_and_a_failed_upload_leaves_nothing_behind(tiering, tmp_path):
    page = tiering
    # File order is not rank order: 客户C has the highest score.
    upload(page, tmp_path, "清单.csv", "客户编号,总分\n客户A,50\n客户B,70\n客户C,90\n客户D,60\n客户E,80\n".encode())
    ids = page.locator(f"{ROOT} .calc__customers tbody tr td:first-child").all_inner_texts()
    assert ids == ["客户C", "客户E", "客户B", "客户D", "客户A"]
    assert page.locator(f"{ROOT} .calc__download").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    upload(page, tmp_path, "坏表头.csv", "编码,分数\n客户A,50\n".encode())
    assert page.locator(f"{ROOT} .calc__customers").count() == 0
    assert page.locator(f"{ROOT} .calc__download").count() == 0
    assert page.locator(f"{ROOT} .calc__result").is_hidden()
    assert page.get_attribute(f"{ROOT} input[type=file]", "aria-invalid") == "true"


def test_an_excel_file_is_asked_for_as_csv(tiering, tmp_path):
    page = tiering
    upload(page, tmp_path, "清单.csv", "客户编号,总分\n客户A,50\n".encode())
    upload(page, tmp_path, "客户清单.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    assert "另存为" in page.inner_text(f"{ROOT} .calc__error") and "CSV" in page.inner_text(f"{ROOT} .calc__error")
    assert page.locator(f"{ROOT} .calc__customers").count() == 0


def settled(page, rows: int | None = None):
    """Wait until the table shows `rows` rows and the page's main thread is idle, so the long
    tasks so far are reported (instead of a fixed pause, flaky on a loaded machine)."""
    if rows is not None:
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n",
                               arg=[f"{ROOT} .calc__customers tbody tr", rows])
    page.evaluate("() => new Promise(done => requestIdleCallback(() => done(), { timeout: 10000 }))")


def test_a_hundred_thousand_customers_in_pages_without_freezing(tiering, tmp_path):
    page = tiering
    rows = "".join(f"K{i:06d},{(i * 7919) % 101}\n" for i in range(ROWS))
    page.evaluate("window.__long = []; window.__slow = 1500")
    start = page.evaluate("performance.now()")
    path = tmp_path / "十万.csv"
    path.write_bytes(("客户编号,总分\n" + rows).encode())
    page.set_input_files(f"{ROOT} input[type=file]", str(path))
    page.wait_for_selector(f"{ROOT} .calc__working:not([hidden])", timeout=30_000)
    assert "正在读取并分级" in page.inner_text(f"{ROOT} .calc__working")
    page.wait_for_selector(f"{ROOT} .calc__result[data-outcome] .calc__customers", timeout=240_000)
    page.evaluate("window.__slow = 0")
    settled(page, rows=100)
    assert page.locator(f"{ROOT} .calc__customers tbody tr").count() == 100
    assert f"共 {ROWS} 个客户" in page.inner_text(f"{ROOT} .calc__pager-info")
    page.click(f"{ROOT} .calc__pager-next")
    ranks = page.locator(f"{ROOT} .calc__customers tbody tr td:nth-child(3)").all_inner_texts()
    assert [int(r) for r in ranks] == sorted(int(r) for r in ranks)
    settled(page)
    long = page.evaluate("s => window.__long.filter(([t, d]) => t >= s && d > 200)", start)
    assert long == [], f"main-thread tasks over 200 ms: {long}"


def test_a_hundred_thousand_customers_render_in_pages(tiering, tmp_path):
    """The page side alone at 100,000 customers: the worker's answer is stood in for."""
    page = tiering
    page.evaluate("""n => {
        const tiers = ["A", "B", "C", "D"];
        const lines = ["\\ufeff客户编号,总分,名次,分级,同分处理,文件行号,依据,适用日期"];
        for (let k = 0; k < n; k++) lines.push("K" + String(n - k).padStart(6, "0") + "," + (100 - k % 100) + "," + (k + 1) + "," +
            tiers[k % 4] + ",," + (n - k + 1) + ",KH-02 第 2.0 版,2026-12-06");
        window.__fake = JSON.stringify({ encoding: "UTF-8", rows: n, row_errors: [], problems: [], csv: lines.join("\\r\\n") + "\\r\\n",
            csv_sha256: "ab".repeat(32),
            result: { calculator: "customer-tiering", tiers: { A: 1, B: 1, C: 1, D: n - 3 }, headline: "已分级",
                      reason: "", checks: [] } });
        window.__long = [];
    }""", 100_000)
    start = page.evaluate("performance.now()")
    path = tmp_path / "十万.csv"
    path.write_bytes("客户编号,总分\nK0,1\n".encode())
    page.set_input_files(f"{ROOT} input[type=file]", str(path))
    page.wait_for_selector(f"{ROOT} .calc__result[data-outcome] .calc__customers", timeout=60_000)
    page.evaluate("window.__fake = null")
    settled(page, rows=100)
    assert page.locator(f"{ROOT} .calc__customers tbody tr").count() == 100
    assert "共 100000 个客户" in page.inner_text(f"{ROOT} .calc__pager-info")
    first = page.locator(f"{ROOT} .calc__customers tbody tr td:nth-child(3)").all_inner_texts()[:3]
    assert first == ["1", "2", "3"]
    long = page.evaluate("s => window.__long.filter(([t, d]) => t >= s && d > 200)", start)
    assert long == [], f"main-thread tasks over 200 ms: {long}"
    # Too long to print: the record names the download and its digest instead.
    page.evaluate("() => { window.print = () => {}; }")
    page.click(f"{ROOT} .calc__print")
    record = page.inner_text("body > .calc-record")
    assert "名单共 100000 行，超过打印上限 5000 行" in record and "十万-分级结果.csv" in record and "ab" * 32 in record
    assert page.locator("body > .calc-record .calc-record__customers").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")


# --- issue 18: nothing built on part of the file; the record is the attachment ---------------

def test_a_file_with_wrong_rows_tiers_nobody_and_says_each_cause_once(tiering, tmp_path):
    """H3 and N23: 30 customers, 付款信誉 7 on line 7, no id on line 10; H2's 30 lines of
    the same cause are one line."""
    page = tiering
    rows = [f"K{i:02d},{i * 1000},{i % 6}" for i in range(1, 31)]
    rows[5], rows[8] = "K06,6000,7", ",9000,3"
    upload(page, tmp_path, "坏行.csv", ("客户编号,销售规模,付款信誉\n" + "\n".join(rows) + "\n").encode("gb18030"))
    error = page.inner_text(f"{ROOT} .calc__error")
    assert error.startswith("文件中有 2 行有误，没有分级") and "其余行已分级" not in error
    assert page.locator(f"{ROOT} .calc__error li").all_inner_texts() == [
        "付款信誉列：第 7 行应为 0 至 5 的整数，收到“7”", "客户编号列：第 10 行为空：每行须有客户编号"]
    assert page.locator(f"{ROOT} .calc__result").is_hidden()
    assert page.locator(f"{ROOT} .calc__customers, {ROOT} .calc__download").count() == 0
    assert page.get_attribute(f"{ROOT} input[type=file]", "aria-invalid") == "true"
    every = "".join(f"K{i},5,{i}%\n" for i in range(1, 31)).encode()
    upload(page, tmp_path, "全错.csv", "客户编号,产品订量,付款信誉\n".encode() + every)
    assert page.locator(f"{ROOT} .calc__error li").count() == 1
    assert page.inner_text(f"{ROOT} .calc__error li").startswith("付款信誉列：第 2–31 行")
    assert "其余行已分级" not in page.inner_text(f"{ROOT} .calc__error")


def test_an_unbalanced_quote_is_named_and_nothing_is_tiered(tiering, tmp_path):
    """N1: 20 rows, `"公司3` on line 4: the page showed 3 customers and no error."""
    page = tiering
    rows = "".join(f"C{i},{i * 4},公司{i}\n" for i in range(1, 21)).replace("C3,12,公司3\n", 'C3,12,"公司3\n')
    upload(page, tmp_path, "引号.csv", ("客户编号,总分,客户名称\n" + rows).encode())
    assert "第 4 行的引号不成对" in page.inner_text(f"{ROOT} .calc__error")
    assert page.locator(f"{ROOT} .calc__customers").count() == 0


def excel_file() -> bytes:
    """As Excel saves a sheet on Chinese Windows: GBK, the document's column names, percent
    cells, 万, thousands separators in quotes."""
    header = "客户编号,客户名称,总分,销售规模,付款信誉,产品利润率,产品订量,销售模式,本公司产品在其销售总额中的比例,经营产品历史,行业知名度"
    rows = [f'C2025{i:03d},客户{i}有限公司,,{(i * 37) % 50 + 1}万,{i % 6},{(i * 7) % 30}.2%,"{i * 1234 + 1000:,}",{(i * 3) % 6},'
            f"{(i * 11) % 90 + 1}%,{i % 12},{(i * 5) % 6}" for i in range(1, 31)]
    return (header + "\r\n" + "\r\n".join(rows) + "\r\n").encode("gb18030")


def test_an_excel_file_is_tiered_and_its_record_carries_the_ranked_list(tiering, tmp_path):
    """H2 and H7: read as Excel writes it; the printed record is the attachment the
    approval needs: the list by rank with how each tie was decided, the file's name,
    rows and encoding, the version and day."""
    page = tiering
    data = excel_file()
    upload(page, tmp_path, "客户清单.csv", data)
    expected = json.loads(run_upload("customer-tiering", data))
    ranked = [line.split(",") for line in expected["csv"].lstrip("\ufeff").splitlines()]
    assert page.get_attribute(f"{ROOT} .calc__result", "data-outcome") == " ".join(
        f"{t}={k}" for t, k in expected["result"]["tiers"].items())
    note = page.inner_text(f"{ROOT} .calc__upload-note")
    assert "客户清单.csv" in note and "GB18030" in note and "共 30 行数据" in note
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.click(f"{ROOT} .calc__print")
    record = page.locator("body > .calc-record")
    page.emulate_media(media="print")
    try:
        assert record.is_visible() and page.locator(".md-content").is_hidden()
        text = record.inner_text()
        rows = record.locator(".calc-record__customers tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
        heads = record.locator(".calc-record__customers th").all_inner_texts()
        assert page.pdf(format="A4")[:4] == b"%PDF"
    finally:
        page.emulate_media(media="screen")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert heads == ["客户编号", "客户名称", "总分", "名次", "分级", "同分处理"]
    keep = [ranked[0].index(h) for h in heads]
    assert rows == [[line[k] for k in keep] for line in ranked[1:]]   # all 30, by rank
    assert any(r[5] for r in rows)   # this file has ties, and says how each was decided
    policy = expected["result"]["policy"]
    assert f"{policy['document']}《{policy['title']}》第 {policy['version']} 版" in text
    assert f"适用日期 {policy['as_of']}" in text
    assert "客户清单.csv" in text and "GB18030" in text and "共 30 行数据，参加分级 30 个客户" in text
    for check in expected["result"]["checks"]:
        if check["id"].startswith(("tie_", "tiebreak_")):
            assert check["text"] in text   # which customers, and how decided (KH-02 第十条)


def test_the_downloaded_csv_is_the_ranked_list_with_its_basis(tiering, tmp_path):
    """Issue 20: the downloaded columns; L8: the version and day on every row."""
    page = tiering
    upload(page, tmp_path, "客户清单.csv", excel_file())
    with page.expect_download() as info:
        page.click(f"{ROOT} .calc__download")
    assert info.value.suggested_filename == "客户清单-分级结果.csv"
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].split(",") == [
        "客户编号", "客户名称", "总分", "名次", "分级", "销售规模评级", "付款信誉评级", "产品利润率评级", "产品订量评级",
        "销售模式评级", "本公司产品占比评级", "经营产品历史评级", "行业知名度评级", "同分处理", "文件行号", "依据", "适用日期"]
    ranks = [int(line.split(",")[3]) for line in lines[1:-1]]
    assert len(ranks) == 30 and ranks == sorted(ranks) and lines[-1] == ""
    policy = json.loads(run_upload("customer-tiering", excel_file()))["result"]["policy"]
    assert {tuple(line.split(",")[-2:]) for line in lines[1:-1]} == {
        (f"{policy['document']} 第 {policy['version']} 版", policy["as_of"])}


def test_ids_are_not_broken_mid_code(tiering, tmp_path):
    """L8: "C20250 / 16" at 688 px and on a phone."""
    page = tiering
    header = "客户编号,客户名称,销售规模,付款信誉,产品利润率,产品订量,销售模式,本公司产品在其销售总额中的比例,经营产品历史,行业知名度"
    rows = "".join(f"C2025{i:03d},客户{i}有限公司,{i * 1000},{i % 6},{i},{i * 3},{i % 6},{i},{i},{i % 6}\n" for i in range(1, 31))
    upload(page, tmp_path, "客户清单.csv", (header + "\n" + rows).encode())
    lines = page.locator(f"{ROOT} .calc__customers tbody td:first-child").evaluate_all("""cells => cells.map(c => {
        const r = document.createRange();
        r.selectNodeContents(c);
        return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
    })""")
    assert lines and set(lines) == {1}, lines


def test_a_date_asked_for_is_not_replaced_by_todays_rules(tiering, tmp_path):
    """The form offers 适用日期; the upload ran on today's rules whatever it said."""
    page = tiering
    page.fill(f'{ROOT} [name="as_of"]', "2026-12-01")
    try:
        upload(page, tmp_path, "清单.csv", "客户编号,总分\n客户A,50\n".encode())
        assert "请清空“适用日期”" in page.inner_text(f"{ROOT} .calc__error")
        assert page.locator(f"{ROOT} .calc__result").is_hidden()
        assert page.get_attribute(f'{ROOT} [name="as_of"]', "aria-invalid") == "true"
    finally:
        page.fill(f'{ROOT} [name="as_of"]', "")
