"""Document-control records in the browser: a controlled copy prints its number and holder
on every sheet while any other print says 非受控; review dates follow the reading day."""

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.chromium


def _pdf_pages(page) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def test_a_controlled_copy_prints_its_number_and_holder_on_every_page(site, page):
    page.goto(site.url + "copies/KZ-2026-004/")
    sheets = _pdf_pages(page)
    assert len(sheets) > 1
    for text in sheets:
        flat = text.replace(" ", "").replace("\n", "")
        assert "受控副本第KZ-2026-004号" in flat and "持有：订单部（订单部值班台）" in flat, text[:200]
        assert "非受控" not in flat


def test_any_other_print_says_uncontrolled_and_a_recalled_copy_says_void(site, page):
    page.goto(site.url + "xinyong/XY-05/")
    first = _pdf_pages(page)[0].replace(" ", "").replace("\n", "")
    assert "非受控" in first and "受控副本第" not in first
    page.goto(site.url + "copies/KZ-2026-003/")
    first = _pdf_pages(page)[0].replace(" ", "").replace("\n", "")
    assert "作废" in first and "受控副本第KZ-2026-003号" not in first


def test_the_recall_list_of_a_release_lists_the_copies_of_earlier_versions(site, page):
    page.goto(site.url + "copies/recall-XY-03-3.0/")
    rows = page.locator("table.recall-list tbody tr")
    assert rows.count() == 2
    assert page.locator("tr[data-copy='KZ-2026-001'] td").nth(5).inner_text().startswith("待收回")


def test_review_dates_follow_the_day_the_register_is_read(site, page):
    page.clock.install(time="2027-11-20T10:00:00+08:00")        # within 60 days of 2027-12-01
    page.goto(site.url + "reference/register/")
    due = page.locator("[data-review-schedule] tr[data-review-state='due']")
    assert due.count() >= 5 and not page.locator("[data-review-none]").is_visible()
    assert "XY-02" in due.all_inner_texts().__str__()
    page.clock.set_fixed_time("2028-01-10T10:00:00+08:00")
    page.goto(site.url + "xinyong/XY-02/")
    assert page.locator("[data-review-overdue]").is_visible()


def test_no_review_due_says_so(site, page):
    page.clock.install(time="2026-12-06T10:00:00+08:00")
    page.goto(site.url + "reference/register/")
    assert page.locator("[data-review-none]").is_visible()
    assert page.locator("[data-review-schedule] tr[data-review-next]:visible").count() == 0
    page.goto(site.url + "xinyong/XY-02/")
    assert not page.locator("[data-review-overdue]").is_visible()
