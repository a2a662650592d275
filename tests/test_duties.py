"""Responsibility notes ("（牵头单位：…，配合单位：…）"): read off the text, asked about, and checked in claims."""
from __future__ import annotations

import pytest

from assistant.answer import answer_question
from assistant.claims import check_claim
from assistant.duties import claimed_duty, duties, match_task, names_body, table_duties
from assistant.query import duty_asked

from .test_answer_cli import _assistant_over

# an implementation opinion written for the tests: numbered tasks, each closed by its note
OPINION = """某市关于推进数字政府建设的实施方案
一、主要任务
1.建设一体化政务服务平台。整合各部门业务系统，推动政务服务事项全部网上可办，3年内网上可办率达到95%以上。（牵头单位：市政务服务数据管理局，配合单位：市发展改革委、市财政局，各区政府）
2.推进公共数据开放共享。制定公共数据开放目录，每年新增开放数据集不少于200个。（牵头单位：市大数据中心，配合单位：市经济和信息化局、市统计局）
3.加强网络安全保障。建立健全网络安全监测预警和应急处置机制。（责任单位：市委网信办、市公安局）
二、保障措施
4.加大资金投入。市财政统筹安排数字政府建设专项资金。（牵头单位：市财政局，配合单位：市政务服务数据管理局）
"""


def test_notes_are_read_with_roles_and_bodies():
    text = OPINION.splitlines()[2]
    got = duties(text)
    assert [d.role for d in got] == ["牵头", "配合"]
    assert got[0].bodies == ("市政务服务数据管理局",)
    assert got[1].bodies == ("市发展改革委", "市财政局", "各区政府")
    assert text[got[0].start:got[0].end] == "牵头单位：市政务服务数据管理局"
    assert duties(OPINION.splitlines()[4])[0].role == "责任"
    assert duties("今年要加大资金投入，由各部门分头负责。") == []


@pytest.mark.parametrize("claim, roles, bodies, topic", [
    ("“加大资金投入”这项保障措施由市财政局牵头。", ("牵头",), ("市财政局",), "加大资金投入"),
    ("推进公共数据开放共享的牵头单位是市大数据中心。", ("牵头",), ("市大数据中心",), "推进公共数据开放共享"),
    ("网络安全保障由市委网信办、市公安局负责。", ("牵头", "责任"), ("市委网信办", "市公安局"), "网络安全保障"),
    ("政务服务平台建设由市财政局配合。", ("配合",), ("市财政局",), "政务服务平台建设"),
])
def test_a_claim_about_who_does_a_task_is_parsed(claim, roles, bodies, topic):
    got = claimed_duty(claim)
    assert (got.roles, got.bodies, got.topic) == (roles, bodies, topic)


def test_claims_without_a_duty_are_left_to_the_general_check():
    assert claimed_duty("今年网上可办率达到95%以上。") is None
    assert claimed_duty("由此可见，数字政府建设任重道远。") is None


def test_a_task_is_matched_by_its_name_or_by_what_it_says():
    text = OPINION
    lines = text.splitlines()
    lo = text.index(lines[6])
    assert match_task("加大资金投入", text, lo, lo + len(lines[6])) == 1.0
    lo = text.index(lines[2])
    assert match_task("3年内网上可办率达到95%以上", text, lo, lo + len(lines[2])) >= 0.9
    assert match_task("加强网络安全保障", text, lo, lo + len(lines[2])) < 0.7


def test_names_body_allows_a_shorter_name_but_not_another_body():
    d = duties("（牵头单位：市科技和信息化局）")[0]
    assert names_body(d, "市科技和信息化局") and names_body(d, "科技和信息化局")
    assert not names_body(d, "市财政局")


@pytest.mark.parametrize("question, roles", [
    ("“加大资金投入”这项保障措施由哪个部门牵头？", ("牵头",)),
    ("这项任务的牵头单位是谁？", ("牵头",)),
    ("由谁负责？", ("牵头", "责任")),
    ("Which department leads the task of opening public data?", ("牵头", "责任")),
    ("Which agencies assist with the platform?", ("配合",)),
    ("Who is in charge of network security?", ("牵头", "责任")),
    ("这项工作由谁牵头、谁配合？", ("牵头", "配合")),
    ("各项目牵头单位什么时候前制定完实施细则？", ()),
    ("网上可办率要达到多少？", ()),
])
def test_questions_that_ask_who_carries_a_task_out(question, roles):
    assert duty_asked(question) == roles


@pytest.fixture(scope="module")
def opinion(settings, tmp_path_factory):
    with _assistant_over(settings, tmp_path_factory.mktemp("duty_docs"), {"digital-gov-plan.txt": OPINION}) as a:
        yield a


@pytest.mark.parametrize("claim, verdict, source", [
    ("“加大资金投入”这项保障措施由市财政局牵头。", "supported", "市财政局"),
    ("“加大资金投入”这项保障措施由市政务服务数据管理局牵头。", "contradicted", "市财政局"),
    ("推进公共数据开放共享的牵头单位是市统计局。", "contradicted", "市大数据中心"),
    ("推进公共数据开放共享由市统计局配合。", "supported", "市经济和信息化局、市统计局"),
    ("网络安全保障由市公安局负责。", "supported", "市委网信办、市公安局"),
])
def test_claims_about_who_leads_are_checked_against_the_note(opinion, claim, verdict, source):
    v = check_claim(opinion, claim)
    assert v.verdict == verdict, v.explanation
    assert v.source_value == source
    assert any(c.quote.startswith(("牵头单位", "配合单位", "责任单位")) for c in v.citations)
    if verdict == "contradicted":
        assert source in v.explanation and "与原文不符" in v.explanation


def test_a_claim_with_a_figure_and_a_lead_checks_both(opinion):
    ok = check_claim(opinion, "3年内网上可办率达到95%以上，由市政务服务数据管理局牵头。")
    assert ok.verdict == "supported"
    wrong_figure = check_claim(opinion, "3年内网上可办率达到85%以上，由市政务服务数据管理局牵头。")
    assert wrong_figure.verdict != "supported"


@pytest.mark.parametrize("question, lead", [
    ("“加大资金投入”这项保障措施由哪个部门牵头？", "牵头单位：市财政局"),
    ("公共数据开放共享的牵头单位是谁？", "牵头单位：市大数据中心"),
    ("Which department leads the task of opening and sharing public data?", "牵头单位：市大数据中心"),
])
def test_who_leads_is_answered_with_the_tasks_note(opinion, question, lead):
    ans = answer_question(opinion, question)
    assert not ans.abstained
    assert any(lead in c.quote for c in ans.citations), ans.answer


def test_a_later_part_that_asks_who_leads_gets_the_note_of_the_earlier_parts_task(opinion):
    ans = answer_question(opinion, "每年新增开放数据集不少于多少个？由哪个部门牵头？")
    assert "200个" in ans.answer
    assert any(c.quote == "牵头单位：市大数据中心" for c in ans.citations), ans.answer


# a task list scraped one cell per line, as an 实施方案's 附件 often is: the header names the role
# columns; a row has its 序号, sometimes a task name, the content, the lead, assisting bodies, a deadline
TABLE = """某区关于推进生活垃圾分类的实施方案
一、工作目标
全面推进生活垃圾分类工作。
附件1
工作任务清单
序号
任务名称
任务内容
牵头部门
配合部门
时间节点
1
加强组织领导
召开全区生活垃圾分类工作动员大会，建立联席会议制度。
区政府办公室
各联席会议成员单位
2019年3月
2
开展居民区分类投放管理工作分析评价，每两周通报一次。
区民政局
区房管局、区绿化市容局
各街镇
2019年
3
促进快递包装物减量和循环使用，提高快递包装物回收利用率。
区邮政局
长期
"""


def test_a_task_table_one_cell_per_line_gives_each_tasks_lead_and_assisting_bodies():
    text = TABLE
    got = {text[k:k + 6]: [(d.role, d.bodies) for d in v] for k, v in table_duties(text).items()}
    assert got == {
        "召开全区生活": [("牵头", ("区政府办公室",)), ("配合", ("各联席会议成员单位",))],
        "开展居民区分": [("牵头", ("区民政局",)), ("配合", ("区房管局", "区绿化市容局")), ("配合", ("各街镇",))],
        "促进快递包装": [("牵头", ("区邮政局",))],
    }
    assert table_duties(OPINION) == {}  # notes inside the paragraphs are no table


@pytest.fixture(scope="module")
def table_plan(settings, tmp_path_factory):
    with _assistant_over(settings, tmp_path_factory.mktemp("table_docs"), {"waste-sorting-plan.txt": TABLE}) as a:
        yield a


def test_claims_and_questions_about_who_leads_read_a_task_table(table_plan):
    wrong = check_claim(table_plan, "居民区分类投放管理工作分析评价由区绿化市容局牵头。")
    assert wrong.verdict == "contradicted" and wrong.source_value == "区民政局", wrong.explanation
    right = check_claim(table_plan, "居民区分类投放管理工作分析评价由区民政局牵头。")
    assert right.verdict == "supported", right.explanation
    ans = answer_question(table_plan, "居民区分类投放管理的分析评价工作由谁牵头、谁配合？")
    quotes = [c.quote for c in ans.citations]
    assert "区民政局" in quotes and "区房管局、区绿化市容局" in quotes and "各街镇" in quotes, ans.answer
    assert check_claim(table_plan, "居民区分类投放管理工作分析评价由各街镇配合。").verdict == "supported"
