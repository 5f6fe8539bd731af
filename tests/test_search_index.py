"""The search index as handbook/search_index.py shapes it: what the indexer reads of a page
(excluded blocks left out whole, swimlanes out, table rows as lines) and how the written
index is refined (a document's own entry and its chapter headings below its articles,
grades as one word, staff's words and the glossary's definitions with the articles)."""

import pytest

from handbook import search_index
from handbook.search_index import refine, search_view

pytestmark = pytest.mark.cpython

CALCULATOR = ('<p>第一段</p><div class="tool-block"><p>下面的计算器</p>'
              '<div class="calc" data-search-exclude><div class="calc__field"><label>双方业务合作年限</label></div>'
              '<p class="calc__help">与本公司发生业务往来的年数</p></div></div><p>第二段</p>')


def test_an_excluded_block_is_left_out_whole_with_the_blocks_inside_it():
    view = search_view(CALCULATOR)
    assert "第一段" in view and "下面的计算器" in view and "第二段" in view
    # Material's parser stopped excluding at the first </div> inside the calculator.
    assert "双方业务合作年限" not in view and "与本公司发生业务往来的年数" not in view


def test_material_alone_leaks_the_calculator_into_the_article():
    # Why the view exists: if Material's parser ever excludes nested blocks itself, this
    # fails and the view's own exclusion can go.
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(CALCULATOR)
    parser.close()
    assert "与本公司发生业务往来的年数" in "".join(t for s in parser.data for t in s.text)


def test_a_swimlane_is_left_out_and_its_step_table_reads_as_lines():
    html = ('<h3 id="XY-05-20">第二十条　冻结订单处理流程</h3><p>冻结订单按下列流程处理：</p>'
            '<div class="lanes" role="figure"><table><caption>冻结订单处理流程</caption><thead><tr>'
            '<th>订单员</th><th>销售业务员</th></tr></thead><tbody><tr><td><div class="lane__step"><b>1</b> 录入</div>'
            '</td><td></td></tr></tbody></table></div>'
            '<table><thead><tr><th>步骤</th><th>内容</th><th>执行</th><th>表单</th></tr></thead><tbody>'
            '<tr><td>1</td><td>录入并保存销售订单</td><td>订单员</td><td></td></tr>'
            '<tr><td>2</td><td>通知业务员</td><td>订单员</td><td>《放行记录》</td></tr></tbody></table>')
    view = search_view(html)
    assert "销售业务员" not in view and "lane__step" not in view           # the lanes
    assert "步骤" not in view and "<table" not in view                       # header row, table
    assert "<p>1\u3000录入并保存销售订单\u3000订单员</p>" in view                # one line a row, no empty cell
    assert "<p>2\u3000通知业务员\u3000订单员\u3000《放行记录》</p>" in view


def test_paragraph_links_and_entities_of_the_page():
    html = '<p id="XY-03-4-1">（一）合作1年以上&lt;本数&gt;<a class="headerlink" href="#XY-03-4-1">¶</a></p><br>'
    assert search_view(html) == '<p id="XY-03-4-1">（一）合作1年以上&lt;本数&gt;</p><br>'


def test_the_readers_page_loses_only_the_search_pragmas():
    html = '<table class="doc-control" data-search-exclude><tr><td>XY-03</td></tr></table>'
    assert search_index.without_marks(html) == '<table class="doc-control"><tr><td>XY-03</td></tr></table>'
    assert not search_index.indexed({"search": {"exclude": True}}) and search_index.indexed({})


INDEX = {
    "config": {"lang": ["en"], "separator": "[\\s\\u200b\\u3000\\-、。，．？！；]+", "pipeline": ["stemmer"],
               "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
    "docs": [
        {"location": "xinyong/XY-03/", "title": "客户\u200b信用\u200b等级\u200b评定\u200b办法", "text": ""},
        {"location": "xinyong/XY-03/#_3", "title": "第二章\u3000\u200b评定\u200b标准", "text": ""},
        {"location": "xinyong/XY-03/#XY-03-4", "title": "第四条\u200b\u3000\u200bA\u200b级\u200b条件",
         "text": "<p>（\u200b一\u200b）A\u200b类\u200b客户\u200b可\u200b给予\u200b优惠\u200b。</p>"},
        {"location": "xinyong/XY-03/#XY-03-19", "title": "第十九条\u200b\u3000\u200b销售\u200b政策",
         "text": "<p>一律\u200b现款现货\u200b或\u200b先款后货\u200b、\u200b冻结订单\u200b。</p>"},
        {"location": "reference/glossary/", "title": "术语表", "text": "<p>优惠\u200b订单\u200b冻结</p>", "boost": 0.1},
    ],
}
DATA = {"ignore": ["哪些"], "aliases": {"优惠": ["折扣"], "先款后货": ["先付款"]}}


@pytest.fixture
def refined():
    import copy

    index = refine(copy.deepcopy(INDEX), {"xinyong/XY-03/"}, {"XY-03-19": ["先款后货"]}, DATA)
    return {d["location"]: d for d in index["docs"]}, index["config"]


def test_a_documents_own_entry_ranks_below_its_articles_and_chapter_headings_go(refined):
    docs, _ = refined
    assert docs["xinyong/XY-03/"]["boost"] == search_index.DOCUMENT_ENTRY_BOOST
    assert "xinyong/XY-03/#_3" not in docs                       # 第二章 评定标准: no text
    assert "boost" not in docs["xinyong/XY-03/#XY-03-4"]
    assert docs["reference/glossary/"]["boost"] == 0.1          # its page's own boost stays
    # The chapter's words find its articles.
    assert "评定" in docs["xinyong/XY-03/#XY-03-4"]["context"].split("\u200b")


def test_grades_are_one_word_and_brackets_no_part_of_one(refined):
    docs, _ = refined
    article = docs["xinyong/XY-03/#XY-03-4"]
    assert "A级" in article["title"].split("\u200b")
    assert "A类" in article["text"].split("\u200b")               # not "）A类"


def test_staff_words_and_definitions_find_the_article(refined):
    docs, config = refined
    assert "折扣" in docs["xinyong/XY-03/#XY-03-4"]["context"].split("\u200b")
    policy = docs["xinyong/XY-03/#XY-03-19"]
    assert policy["defines"] == ["先款后货"]
    words = policy["context"].split("\u200b")
    assert "先付款" in words and "订单" in words and "冻结" in words    # parts of 冻结订单
    assert config["handbook"] == {"ignore": ["哪些"], "aliases": DATA["aliases"]}


def test_the_data_file_reads():
    data = search_index.load_data()
    assert data["ignore"] and all(isinstance(v, list) for v in data["aliases"].values())
