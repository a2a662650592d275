"""Floors per document set: the speech plus real documents of other shapes in one index.

The index holds docs/ (the speech), the 20th-congress report (../shared/corpus/related,
test data, never shipped) and the real documents of bench/data/docs (two 条例, an 意见 with
一、（一）1., a 2024 government work report, two 2026 provincial ones, a State Council plan, two
municipal 实施意见, the 2023 中央一号文件, a second speech, a city's 2021 report, a district's
2026 urban-renewal plan, a district office's 2019 实施方案 with its 附件 tables).  Every set is evaluated in that mixed index,
as a cadre who has added them would use it.  The floors sit a little under the figures in
docs/DESIGN.md ("Generalisation"), so a regression on any document fails here.
"""
from __future__ import annotations

import json

import pytest

from assistant.answer import answer_question
from assistant.evaluation import run_eval, temporary_assistant

from .conftest import ROOT

SHARED = ROOT.parent / "shared"
RELATED = SHARED / "corpus" / "related"
BENCH = ROOT / "bench" / "data"

pytestmark = pytest.mark.skipif(not RELATED.is_dir(), reason="../shared/corpus/related not available")

# set file -> (citing gold ≥, answerable abstained ≤ share, unanswerable abstained ≥ share, claims accuracy ≥)
FLOORS = {
    SHARED / "eval" / "related-dev.jsonl": (0.85, 0.1, 0.75, 0.9),
    BENCH / "heldout_gov-info-disclosure-2019.jsonl": (0.75, 0.15, 0.75, 0.9),
    BENCH / "heldout_gov-new-media-opinion-2018.jsonl": (0.85, 0.1, 0.75, 0.9),
    # (two of its four unanswerable questions are answered by the 保定 2021 report in this index: its
    # 老旧小区改造322个 is a real answer, its 安置房12月底封顶 is not one to "什么时候全部交付")
    BENCH / "heldout_speech.jsonl": (0.9, 0.1, 0.25, 0.9),
    # written blind on a provincial report; its misses were then read to find failure types (time
    # frames, acronyms, two-part questions), so it is no longer unseen
    BENCH / "heldout_ningxia-gov-work-report-2026.jsonl": (0.9, 0.1, 0.75, 0.9),
    # blind, on a second provincial report (Jiangxi 2026); three of its items were read when the
    # eighth document (the digital-economy plan) took their answers
    BENCH / "heldout_jiangxi-gov-work-report-2026.jsonl": (0.9, 0.1, 0.75, 0.9),
    # blind, on a State Council notice with its plan (国发〔2021〕29号), written after every change here
    BENCH / "heldout_digital-economy-plan-2021.jsonl": (0.9, 0.05, 0.75, 0.9),
    BENCH / "heldout_gov-work-report-2024.jsonl": (0.75, 0.2, 0.75, 0.9),
    # blind, on a municipal 地方性法规 (上海市医疗保障条例 2024); measured blind at 0.64 / claims 0.71,
    # then its misses were read to find failure types (X以上Y以下 ranges, 施行 dates, grouped answers)
    BENCH / "heldout_shanghai-medical-security-regulation-2024.jsonl": (0.7, 0.2, 0.75, 0.8),
    # blind, on a municipal 实施意见 with 牵头单位 notes (广州 人才集聚工程, 2012); measured blind at 0.82 /
    # claims 0.71; its two claim misses were read (a role swap, a figure-for-words swap)
    BENCH / "heldout_guangzhou-talent-cluster-opinion-2012.jsonl": (0.9, 0.1, 0.75, 0.8),
    # blind, on the 2023 中央一号文件 (a 中共中央 国务院 意见); measured blind at 0.96 / 0 of 23 abstained /
    # 3 of 4 / claims 0.71, and not read since
    BENCH / "heldout_rural-revitalization-no1-document-2023.jsonl": (0.85, 0.1, 0.75, 0.7),
    # blind, on a second speech (a 市委书记's, 绍兴 2018, with 1、/一要 points and run-in 要…。 sentences);
    # measured blind at 0.68 / 3 of 22 abstained / 2 of 4 / claims 0.71, then its misses were read to find
    # failure types (two speeches loaded, parallel short sentences, a follow-up's 第N条, places)
    BENCH / "heldout_shaoxing-cadre-training-speech-2018.jsonl": (0.7, 0.2, 0.75, 0.8),
    # blind, on a second municipal 实施意见 (广州 科技创新工程 2012, a 牵头单位 note after each item);
    # measured blind at 0.82 / 1 of 22 / 3 of 4 / claims 0.71
    BENCH / "heldout_guangzhou-sci-tech-innovation-opinion-2012.jsonl": (0.8, 0.1, 0.75, 0.7),
    # blind, on a city's report (保定 2021, 地级市); measured blind at 0.59 / 3 of 22 / 2 of 4 / claims 0.57
    # with one contradicted claim called supported, then its misses were read to find failure types
    BENCH / "heldout_baoding-city-gov-work-report-2021.jsonl": (0.6, 0.2, 0.5, 0.9),
    # blind, on a district's plan issued by a notice (闵行区城市更新“十五五”规划 2026, with a cell-per-line
    # indicator table); measured blind at 0.73 / 4 of 22 / 4 of 4 / claims 0.71, then its misses were read
    BENCH / "heldout_minhang-district-urban-renewal-plan-2026.jsonl": (0.8, 0.1, 0.75, 0.8),
    # blind, on a district office's notice issuing an 实施方案 (宝山 2019, three cell-per-line 附件 tables);
    # measured blind at 0.59 / 5 of 22 / 4 of 4 / claims 0.57, then its misses were read (1.2019年, bare
    # table cells, 上海市宝山区 as a place, 宝山区的实施方案 as a reference, 七成)
    BENCH / "heldout_baoshan-district-waste-sorting-implementation-plan-2019.jsonl": (0.6, 0.25, 0.75, 0.7),
}


@pytest.fixture(scope="module")
def mixed(settings):
    with temporary_assistant([str(RELATED), str(BENCH / "docs")], settings) as assistant:
        yield assistant


def _share(frac: str) -> float:
    done, total = map(int, frac.split("/"))
    return done / total if total else 1.0


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.stem)
def test_document_set_floor(mixed, path):
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = run_eval(items, k=5, baselines=False, assistant=mixed)
    ours = report["systems"]["ours"]
    cite, abstained, unanswerable, claims = FLOORS[path]
    assert ours["citation_hit_rate"] >= cite
    assert _share(ours["answerable_abstained"]) <= abstained
    assert _share(ours["unanswerable_abstained"]) >= unanswerable
    assert ours["figures_traced"] == 1.0, "every figure shown must trace to a cited span"
    if "claims" in report:
        assert report["claims"]["contradicted_called_supported"] == 0
        assert report["claims"]["accuracy"] >= claims


def test_a_question_about_a_province_is_not_answered_from_the_nation_or_another_region(mixed):
    r = mixed.retriever
    title = {p.doc_id: p.title for p in r.profiles}
    scope = {title[d] for d in r.jurisdiction_scope("省")}
    assert any("江西省" in t for t in scope)
    assert not any("宁夏" in t or t.startswith("政府工作报告") or "二十次" in t for t in scope)
    assert any("条例" in t for t in scope)  # a document of no jurisdiction stays in scope
    hits = r.search("今年全省常住人口城镇化率要提高到多少？", 5)
    assert hits and all("江西省" in title[h.chunk.doc_id] or "条例" in title[h.chunk.doc_id]
                        or "意见" in title[h.chunk.doc_id] for h in hits)


def test_an_english_district_is_not_an_autonomous_region(mixed):
    """Chinese 全区 says a district or an autonomous region; English "the district" says only the
    first: the speech, not 宁夏's report (which "the region" names)."""
    r = mixed.retriever
    title = {p.doc_id: p.title for p in r.profiles}
    district = {title[d] for d in r.jurisdiction_scope("辖区")}
    assert any("讲话" in t for t in district) and not any("宁夏" in t for t in district)
    region = {title[d] for d in r.jurisdiction_scope("自治区")}
    assert any("宁夏" in t for t in region) and not any("讲话" in t for t in region)
    assert answer_question(mixed, "What is the unemployment rate of the district?").abstained


def test_a_documents_number_and_date_are_answered_with_their_lines_or_not_at_all(mixed):
    """发文字号 and 成文日期 (:mod:`assistant.facts`): the lines under the title and at the end."""
    both = answer_question(mixed, "政务新媒体意见的文号是什么？成文日期是哪天？")
    assert not both.abstained
    assert [c.quote for c in both.citations] == ["国办发〔2018〕123号", "2018年12月7日"]
    assert both.citations[0].paragraph == 2
    english = answer_question(mixed, "What is the document number of the opinion on government new media?")
    assert [c.quote for c in english.citations] == ["国办发〔2018〕123号"]
    assert answer_question(mixed, "讲话的文号是什么？").abstained  # the speech has none


def test_a_reversed_order_or_a_count_of_one_is_contradicted(mixed):
    from assistant.claims import check_claim

    order = check_claim(mixed, "意见要求政务新媒体发布内容坚持先发后审。")
    assert order.verdict == "contradicted" and order.claimed_value == "先发后审" and order.source_value == "先审后发"
    assert "先审后发" in order.citations[0].quote
    assert check_claim(mixed, "意见要求政务新媒体发布内容坚持先审后发。").verdict != "contradicted"
    count = check_claim(mixed, "意见规定，一个单位原则上在同一平台可以开设不超过三个政务新媒体账号。")
    assert count.verdict == "contradicted" and count.source_value == "一个"
    assert check_claim(mixed, "意见规定，一个单位原则上在同一平台只开设一个政务新媒体账号。").verdict == "supported"


def test_a_quote_does_not_stop_at_a_condition(mixed):
    """"…侵犯其合法权益的，" says when; the answer is what follows it in the same sentence."""
    ans = answer_question(mixed, "公民认为行政机关在政府信息公开工作中侵犯其合法权益的，有哪些救济途径？")
    assert not ans.abstained
    first = ans.citations[0].quote
    assert first.startswith("第五十一条") and "投诉、举报" in first and first.rstrip("。").endswith("提起行政诉讼")


def test_a_question_that_leaves_its_document_open_is_answered_document_by_document(mixed):
    """Several reports state 城镇新增就业: an unnamed question lists each one's sentence under its title."""
    from assistant.answer import BY_DOCUMENT_ZH, MAX_ANSWER_DOCS
    from assistant.naming import main_title

    ans = answer_question(mixed, "报告说去年城镇新增就业实际有多少人？")
    assert not ans.abstained and ans.answer.startswith(BY_DOCUMENT_ZH)
    docs = list(dict.fromkeys(c.doc for c in ans.citations))
    assert 2 <= len(docs) <= MAX_ANSWER_DOCS
    assert any("1244万人" in c.quote for c in ans.citations)  # the 2024 report's own figure is among them
    lines = ans.answer.splitlines()
    for i, c in enumerate(ans.citations, 1):  # each quote stands under its own document's title line
        at = next(j for j, line in enumerate(lines) if line.endswith(f"[{i}]"))
        head = next(line for line in reversed(lines[:at]) if line.startswith("《"))
        assert head.startswith("《" + main_title(c.title) + "》")
    assert "《政府工作报告》（2024年3月5日）：" in ans.answer  # a title without its year: its full title's date
    assert not ans.unverified_numbers
    # a document named by its title, or chosen by the user, answers alone
    named = answer_question(mixed, "二十大报告说城镇新增就业年均多少人？")
    assert not named.abstained and len({c.doc for c in named.citations}) == 1
    one = docs[1]
    chosen = answer_question(mixed, "报告说去年城镇新增就业实际有多少人？", doc_ids=[one])
    assert not chosen.abstained and {c.doc for c in chosen.citations} == {one}


def test_an_outline_question_about_the_report_lists_each_reports_part_newest_first(mixed):
    ans = answer_question(mixed, "报告第三部分讲了什么？")
    heads = [line for line in ans.answer.splitlines() if line.startswith("《")]
    assert len(heads) == 5  # every report of the index (more than MAX_ANSWER_DOCS), newest first
    assert "2026年" in heads[0] and "2026年" in heads[1] and "2024年" in heads[2] and "二十次" in heads[3]
    assert "2021年保定市" in heads[4]
    ningxia = [c.quote for c in ans.citations if "宁夏" in c.title]
    assert ningxia[:2] and ningxia[0] == "三、2026年重点工作"  # the part's heading, then its own headings
    assert ningxia[1].startswith("（一）着力贯彻新发展理念")


def test_a_claim_of_two_statements_is_checked_statement_by_statement(mixed):
    """Two penalties in one claim, joined by "；", each in its own source sentence: with the two
    ranges swapped the claim is contradicted (one range per "X以上Y以下"), as written it is supported."""
    from assistant.claims import check_claim

    swapped = check_claim(mixed, "上海的条例规定，定点护理机构造成医疗保障基金损失的，处造成损失金额二倍以上五倍以下的罚款；"
                                 "以骗取医疗保障基金为目的的，处骗取金额一倍以上二倍以下的罚款。")
    assert swapped.verdict == "contradicted"
    assert (swapped.claimed_value, swapped.source_value) == ("二倍以上五倍以下", "一倍以上二倍以下")
    right = check_claim(mixed, "上海的条例规定，定点护理机构造成医疗保障基金损失的，处造成损失金额一倍以上二倍以下的罚款；"
                               "以骗取医疗保障基金为目的的，处骗取金额二倍以上五倍以下的罚款。")
    assert right.verdict == "supported"


def test_a_sentence_that_introduces_a_list_is_quoted_with_its_items(mixed):
    """"…可以采取下列措施：" is no answer without （一）…（七）; a list question gets just the list."""
    ans = answer_question(mixed, "医疗保障部门实施监督检查可以采取哪些措施？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].endswith("可以采取下列措施：")
    assert [q[:3] for q in quotes[1:]] == [f"（{n}）" for n in "一二三四五六七八"]  # its eight items, no more
    assert len({c.paragraph for c in ans.citations}) == len(quotes)  # one line each, in order
    assert [c.paragraph for c in ans.citations] == sorted(c.paragraph for c in ans.citations)


def test_a_province_named_by_its_level_or_place_is_answered_from_its_report(mixed):
    """"省政府工作报告" is the province's report, "自治区" the region's: their own figures, both years
    of a two-part question; 今年/自治区 are read as time and jurisdiction, not as words to find."""
    ans = answer_question(mixed, "省政府工作报告说，今年城镇和农村居民收入各要增长多少？去年分别涨了多少？")
    assert not ans.abstained and {c.title.split("——")[0] for c in ans.citations} == {"2026年江西省政府工作报告"}
    for figure in ("4.5%", "5.5%", "4.3%", "5.7%"):
        assert figure in ans.answer
    region = answer_question(mixed, "自治区今年定的经济增长预期目标是多少？")
    assert not region.abstained and all("宁夏" in c.title for c in region.citations)
    assert "地区生产总值增长5%左右" in region.citations[0].quote


def test_a_later_part_counts_what_the_first_part_named(mixed):
    ans = answer_question(mixed, "有效期内高新技术企业，“十四五”末有多少家？今年要达到多少家？")
    assert not ans.abstained
    assert "7800家" in ans.answer and "8200家" in ans.answer


def test_a_figure_must_be_stated_in_the_clause_that_names_what_is_counted(mixed):
    """"谷物总产量稳居世界首位，十四亿多人的粮食安全…" gives no 总产; a district speech's project total
    is not the region's housing investment; every report that does state its grain output answers."""
    grain = answer_question(mixed, "粮食这块，今年总产要保住多少？去年实际打了多少粮？")
    assert not grain.abstained
    assert "436亿斤" in grain.answer and "446.1亿斤" in grain.answer
    assert not any("首位" in c.quote for c in grain.citations)
    assert answer_question(mixed, "今年全区保障性住房建设计划投资多少亿元？").abstained


def test_a_claim_is_checked_against_its_jurisdiction_and_the_figure_of_its_own_item(mixed):
    from assistant.claims import check_claim

    # the region states 3%左右 for this revenue; its 5%以上 belongs to residents' income
    region = check_claim(mixed, "2026年宁夏地方一般公共预算收入增长5%左右。")
    assert region.verdict == "contradicted" and region.source_value == "3%左右"
    # the province states no revenue target: never supported by another region's income figure
    province = check_claim(mixed, "报告提出，2026年全省一般公共预算收入增长5%左右。")
    assert province.verdict != "supported"
    assert all("宁夏" not in c.title for c in province.citations)


def test_a_heading_answers_with_what_stands_under_it(mixed):
    """The best passage is a heading: its points, or its paragraphs' run-in lead sentences, or its
    first sentences — not the heading and one neighbour."""
    plan = answer_question(mixed, "《规划》提出的基本原则有哪几条？")  # run-in: "坚持创新引领、融合发展。坚持把…"
    quotes = [c.quote for c in plan.citations]
    assert quotes[0].startswith("（二）基本原则")
    assert quotes[1:] == ["坚持创新引领、融合发展。", "坚持应用牵引、数据赋能。", "坚持公平竞争、安全有序。",
                          "坚持系统推进、协同高效。"]
    opinion = answer_question(mixed, "《国务院办公厅关于推进政务新媒体健康有序发展的意见》提出了哪些基本原则？")
    assert [c.quote for c in opinion.citations] == ["（三）基本原则。", "1.坚持正确导向。", "2.坚持需求引领。",
                                                    "3.坚持互联融合。", "4.坚持创新发展。"]
    assert "1. 1." not in opinion.answer  # a quote with its own number is not numbered again
    body = answer_question(mixed, "“加强考核评价”这一条提出了哪些要求？")
    assert any("网上监测和抽查" in c.quote for c in body.citations)


def test_a_count_the_question_states_picks_a_list_of_that_many(mixed):
    from assistant.query import items_asked

    assert items_asked("今年的10件民生实事都有哪些？") == 10
    assert items_asked("有哪些基本原则？") == 0
    ans = answer_question(mixed, "今年的10件民生实事都有哪些？")
    # 宁夏's eight 工程 are not the ten asked for
    assert not ans.abstained and not any("深化就业增收共富工程" in c.quote for c in ans.citations)


def test_an_english_answer_gives_chinese_numeral_figures_in_arabic(mixed):
    ans = answer_question(mixed, "What average life expectancy does the 20th Party Congress report cite?")
    assert "七十八点二岁" in ans.answer and "七十八点二岁 = 78.2岁" in ans.answer
    assert ans.unverified_numbers == []
    zh = answer_question(mixed, "二十大报告说人均预期寿命增长到多少岁？")
    assert "78.2" not in zh.answer  # a Chinese reader gets the source as it stands


def test_a_later_part_that_names_nothing_is_searched_as_what_the_first_part_counted(mixed):
    """"今年和“十五五”末又分别要到多少？" asks about the 城镇化率 of the first part; a plan's period
    (“十五五”) and 分别 are how it is asked, and "实际水平" is a frame, not a thing counted."""
    from assistant.query import figure_object

    assert figure_object("2020年的实际水平是多少？")[0] == []
    ans = answer_question(mixed, "全区城镇化率去年是多少？今年和“十五五”末又分别要到多少？")
    text = " ".join(c.quote for c in ans.citations)
    assert "69.1%" in text and "69.5%" in text and "71%" in text
    plan = answer_question(mixed, "到2025年数字经济核心产业增加值占GDP比重要达到多少？2020年的实际水平是多少？")
    text = " ".join(c.quote for c in plan.citations)
    assert "10%" in text and "7.8%" in text


def test_a_question_for_a_place_or_level_needs_a_sentence_that_names_one(mixed):
    from assistant.answer import names_place
    from assistant.query import place_asked

    assert place_asked("省第十七届运动会在哪个设区市举办？") == "市"
    assert place_asked("“首席服务官”由哪一级领导担任？") == "级"
    assert place_asked("哪个方面") == place_asked("哪个市场") == place_asked("哪些地区") == ""
    assert names_place("在南昌市举办", "市") and not names_place("各级领导干部要带头", "级")
    assert answer_question(mixed, "省第十七届运动会在哪个设区市举办？").abstained
    assert answer_question(mixed, "“首席服务官”由哪一级领导担任？").abstained


def test_a_claim_of_another_body_or_of_another_items_figure_in_another_year(mixed):
    from assistant.claims import check_claim

    body = check_claim(mixed, "规划明确由商务部会同有关部门适时组织开展评估，重大事项及时向国务院报告。")
    assert body.verdict == "contradicted" and body.claimed_value == "商务部"
    assert "国家发展改革委" in body.source_value
    assert check_claim(mixed, "规划明确由国家发展改革委会同有关部门适时组织开展评估。").verdict == "supported"
    # "民生支出占一般公共预算支出比重稳定在80%左右" (五年来) states nothing of 2026's 收入增长
    other = check_claim(mixed, "报告提出，2026年全省一般公共预算收入增长5%左右。")
    assert other.verdict == "not_found"
    assert check_claim(mixed, "江西省政府工作报告提出，2026年城镇新增就业45万人。").verdict == "contradicted"


def test_a_sentence_that_announces_n_points_is_answered_with_them(mixed):
    """"要着力做好以下七个方面工作。" (ending in 。, not ：) announces the seven points after it; a
    document whose announced list has eight ("重点做好八方面工作。") does not answer "哪七个"."""
    ans = answer_question(mixed, "今年要着力做好哪七个方面工作？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].endswith("要着力做好以下七个方面工作。")
    assert len(quotes) == 8 and quotes[1].startswith("（一）") and quotes[7].startswith("（七）")
    assert "八方面" not in ans.answer


def test_a_quoted_count_at_a_paragraphs_end_announces_the_points_after_it(mixed):
    """"…坚定实施“五大战略”、奋力实现“五个新突破”。" closes its paragraph; the five points after it
    (一是坚定实施扩大内需战略…五是…) are what “五大战略” are."""
    ans = answer_question(mixed, "报告里反复提到的“五大战略”具体是哪五个？")
    quotes = [c.quote for c in ans.citations if "宁夏" in c.title]
    assert quotes[0].endswith("坚定实施“五大战略”、奋力实现“五个新突破”。")
    assert [q[:2] for q in quotes[1:6]] == ["一是", "二是", "三是", "四是", "五是"]
    assert "扩大内需战略" in quotes[1] and "能源强区战略" in quotes[5]


def test_a_quoted_word_the_question_asks_for_splits_its_sentence_into_parts(mixed):
    ans = answer_question(mixed, "报告说做好江西政府工作，有哪几个“必须”？")
    assert [c.quote for c in ans.citations] == ["必须把牢正确政治方向", "必须发挥江西特色优势", "必须坚持以人民为中心",
                                                "必须树牢实干实效导向"]
    six = answer_question(mixed, "一流营商环境目标包括哪六个“最”？")  # one character is no part's opening
    assert any("审批最少、流程最优" in c.quote for c in six.citations)


def test_a_positional_reference_goes_to_the_document_whose_part_holds_the_questions_words(mixed):
    from assistant.query import analyse

    assert analyse("第三部分讲了什么？包括哪几个体系？").wants_list  # 哪几个 asks for a list
    ans = answer_question(mixed, "第三部分讲了什么？包括哪几个体系？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[:4] == ["三、构建三大人才开发支撑体系", "（一）人才交流培养体系。", "（二）人才创新创业体系。",
                          "（三）人才服务保障体系。"]


def test_a_numbered_node_named_by_the_heading_over_it(mixed):
    """"今年工作安排里的（三）" is the （三） under "三、2026年工作安排", answered with its run-in points."""
    ans = answer_question(mixed, "今年工作安排里的（三）讲的是什么？")
    assert [c.quote for c in ans.citations] == [
        "（三）聚焦因地制宜发展新质生产力，推进科技创新和产业创新深度融合。", "加强创新平台建设。", "提升科技创新效能。",
        "一体推进教育科技人才发展。"]


def test_a_list_question_is_answered_by_an_announced_list_beside_an_outline(mixed):
    ans = answer_question(mixed, "今年要抓好哪几个方面的重点工作？")
    quotes = [c.quote for c in ans.citations]
    assert "三、2026年重点工作" in quotes  # 宁夏's part, from its outline
    assert "重点做好八方面工作。" in quotes  # 江西's announced list, with its eight points
    at = quotes.index("重点做好八方面工作。")
    assert quotes[at + 8].startswith("（八）")


def test_an_inline_list_of_as_many_clauses_as_asked_is_quoted_clause_by_clause(mixed):
    ans = answer_question(mixed, "今年的10件民生实事都有哪些？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].endswith("10件民生实事：") and len(quotes) == 11
    assert quotes[1] == "加大重点群体就业创业支持力度" and quotes[-1] == "丰富群众体育设施和场地资源供给"


def test_who_leads_is_a_part_of_its_own_answered_near_the_first_part(mixed):
    """"谁牵头" asks something of its own; of two identical 牵头单位 notes the one after the first part's
    answer is quoted."""
    from assistant.query import question_parts

    assert question_parts("人才公寓这块谁牵头？五年要建多少套？") == ["人才公寓这块谁牵头？", "五年要建多少套？"]
    flats = answer_question(mixed, "人才公寓这块谁牵头？五年要建多少套？")
    assert any("市住房保障办" in c.quote for c in flats.citations) and any("10000套" in c.quote for c in flats.citations)
    fair = answer_question(mixed, "留交会的“3＋N”创办模式具体指什么？由谁牵头？")
    notes = [c for c in fair.citations if c.quote.startswith(("（牵头单位：市留交办", "牵头单位：市留交办"))]
    assert len(notes) == 1 and notes[0].start > fair.citations[0].start
    assert len({(c.start, c.end) for c in fair.citations}) == len(fair.citations)  # nothing quoted twice


def test_how_old_asks_for_a_figure(mixed):
    from assistant.query import analyse

    assert analyse("多大年龄以上的老人可以获得资助？").wants_figure
    ans = answer_question(mixed, "低保边缘家庭成员中多大年龄以上的老人，参加城乡居民医保时个人缴费部分可以获得资助？")
    assert "六十周岁" in ans.citations[0].quote


def test_a_quoted_heading_is_answered_only_by_the_document_that_has_it(mixed):
    """"意见第四部分“规范运维管理”包括哪几项": other 意见's 第四部分 are not added beside it; and
    "现提出如下意见。" introduces the document itself, not a list to answer "哪些做法" with."""
    ans = answer_question(mixed, "意见第四部分“规范运维管理”包括哪几项？")
    assert [c.quote for c in ans.citations] == ["四、规范运维管理", "（一）开设整合。", "（二）内容保障。",
                                                "（三）安全防护。", "（四）监督管理。"]
    banned = answer_question(mixed, "在监督管理方面，政务新媒体意见明令禁止哪些做法？")
    assert "一、总体要求" not in [c.quote for c in banned.citations]
    # "那第二项…" after it is the second of those items
    second = answer_question(mixed, "那第二项具体有什么要求？", ["意见第四部分“规范运维管理”包括哪几项？"])
    assert second.citations[0].quote == "（二）内容保障。" and "先审后发" in second.answer
    # without "那" too: 第二项 points back like 第二要
    bare = answer_question(mixed, "第二项具体有什么要求？", ["意见第四部分“规范运维管理”包括哪几项？"])
    assert [c.quote for c in bare.citations][:1] == ["（二）内容保障。"]


def test_a_documents_topic_words_do_not_pick_its_heading(mixed):
    """Every article of 政府信息公开条例 speaks of 政府信息公开: those words do not make 第四条 (its
    five duties) the list "哪几类政府信息不予公开" asks for."""
    ans = answer_question(mixed, "按照政府信息公开条例，哪几类政府信息不予公开？")
    assert not any(c.quote.startswith("第四条") for c in ans.citations)
    assert ans.abstained or any("不予" in c.quote for c in ans.citations)


def test_a_place_inside_a_claim_does_not_scope_its_check(mixed):
    """"习近平总书记是在上海调研时提出…" names no document (上海 is what the speech got wrong, not the
    上海 条例): the speech's "在杭州调研时明确提出" contradicts it."""
    from assistant.claims import check_claim

    v = check_claim(mixed, "习近平总书记是在上海调研时提出要让城市更聪明一些、更智慧一些。")
    assert v.verdict == "contradicted" and "杭州" in v.source_value


def test_a_claim_that_opens_with_its_year_and_its_documents_place(mixed):
    """"2021年，保定计划…": the year sets the claim's time (the sentence under "三、2021年重点工作"
    need not repeat it) and the report's own place before the verb is not content."""
    from assistant.claims import check_claim

    assert check_claim(mixed, "2021年，保定计划全年新增高新技术企业100家以上。").verdict == "supported"
    wrong = check_claim(mixed, "2021年保定计划完成老旧小区改造500个。")
    assert wrong.verdict == "contradicted" and wrong.source_value == "322个"


def test_an_english_question_for_a_cap_asks_for_a_figure(mixed):
    """"What is the daily cap on …" asks for an amount (as "how much" does): it is not answered by
    the outline headings that share its words — only a sentence with a figure answers it, or none."""
    from assistant.answer import _has_figure
    from assistant.query import FIGURE_INTENT

    for q in ("What is the daily cap on dry waste for the whole district?", "What is the upper limit of the fine?",
              "Which threshold applies to the subsidy?"):
        assert FIGURE_INTENT.search(q), q
    ans = answer_question(mixed, "What is the daily cap on dry waste for the whole district?")
    assert ans.abstained or all(_has_figure(c.quote) for c in ans.citations)
