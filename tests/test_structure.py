"""Outline parsing of official documents (structure.parse, top_level, resolve_reference)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.documents import Document, content_hash
from assistant.ingest import load_document
from assistant.structure import ordinal_value, parse, resolve_reference, top_level

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "docs" / "speech-2022-district-cadre-conference.txt"
REPORT = ROOT.parent / "shared" / "corpus" / "related" / "cpc-20th-congress-report-2022.txt"

REGULATION = """某市城市绿化管理条例
（2022年5月20日市人民代表大会常务委员会通过）
目录
第一章 总则
第二章 规划和建设
第三章 法律责任
第一章 总则
第一条 为了加强城市绿化管理，改善生态环境，根据有关法律，结合本市实际，制定本条例。
第二条 本条例适用于本市行政区域内城市绿化的规划、建设、保护和管理。
第三条 市绿化主管部门负责全市城市绿化工作。
区人民政府按照职责做好本辖区城市绿化工作。
第二章 规划和建设
第一节 规划
第四条 城市绿地系统规划应当符合国土空间总体规划。
第五条
新建居住区绿地率不得低于百分之三十。
第二节 建设
第六条 建设单位应当按照下列要求建设附属绿地：
（一）与主体工程同时设计；
（二）与主体工程同时施工；
（三）与主体工程同时验收。
第三章 法律责任
第十五条 违反本条例第五条规定的，由绿化主管部门责令限期改正。
第二十三条 本条例自2022年7月1日起施行。
"""

OPINION = """关于推进城市更新工作的实施意见
各区人民政府，市政府各部门：
为推进城市更新，现提出如下意见。
一、总体要求
（一）指导思想。坚持以人民为中心，统筹发展和安全。
（二）主要目标。到2025年，完成老旧小区改造300个。
二、重点任务
（一）加快老旧小区改造。坚持居民自愿，改造内容分为三类：
1.基础类。改造供水、排水、供电等设施。
（1）供水设施。更换老旧管网120公里。
（2）排水设施。实施雨污分流改造。
2.完善类。增设电梯，配建停车设施。
3.提升类。建设养老、托育设施。
（二）推进历史街区保护。一是摸清底数。二是分类施策。三是强化监管。
（三）完善配套政策。
一是加大财政支持。
二是创新融资方式。
三是优化审批流程。
三、保障措施
首先，加强组织领导。其次，强化考核督导。
"""


def _doc(text: str, title: str = "") -> Document:
    return Document(id=content_hash(text), title=title, text=text, source="t.txt")


def _tree(st):
    return [(n.depth, n.marker, n.ordinal, n.label) for n, _ in st.walk()]


def test_ordinals_are_parsed():
    assert [ordinal_value(t) for t in ("十五", "二十三", "十二", "一百零二", "12", "③", "", "abc")] == [
        15, 23, 12, 102, 12, 3, 0, 0]


def test_regulation_chapters_sections_articles():
    st = parse(_doc(REGULATION, "某市城市绿化管理条例"))
    tops = top_level(st)
    assert [n.label for n in tops] == ["第一章 总则", "第二章 规划和建设", "第三章 法律责任"]  # not the table of contents
    assert all(n.kind == "part" and n.marker == "章" for n in tops)
    one, two, three = tops
    assert [(c.marker, c.ordinal) for c in one.children] == [("条", 1), ("条", 2), ("条", 3)]
    assert one.children[0].label.startswith("第一条 为了加强城市绿化管理")
    assert len(one.children[0].label) <= 40
    assert [(c.marker, c.label) for c in two.children] == [("节", "第一节 规划"), ("节", "第二节 建设")]
    art6 = two.children[1].children[0]
    assert art6.ordinal == 6 and [c.label for c in art6.children] == [
        "（一）与主体工程同时设计", "（二）与主体工程同时施工", "（三）与主体工程同时验收"]
    assert [c.ordinal for c in three.children] == [15, 23]
    # a second paragraph of an article belongs to it; an article on its own line heads the next paragraph
    text = st.doc.text
    unit = next(u for u in st.units if text[u.start:u.end].startswith("区人民政府"))
    assert unit.section == ("第一章 总则", "第三条 市绿化主管部门负责全市城市绿化工作")
    unit = next(u for u in st.units if text[u.start:u.end].startswith("新建居住区"))
    assert unit.section == ("第二章 规划和建设", "第一节 规划", "第五条")


def test_regulation_references():
    st = parse(_doc(REGULATION, "某市城市绿化管理条例"))
    labels = lambda q: [n.label for n in resolve_reference(st, q)]  # noqa: E731
    assert labels("第十五条规定了什么？") == ["第十五条 违反本条例第五条规定的，由绿化主管部门责令限期改正"]
    assert labels("第二十三条") == ["第二十三条 本条例自2022年7月1日起施行"]
    assert labels("第二章讲了什么") == ["第二章 规划和建设"]
    assert labels("第二章第二节") == ["第二节 建设"]
    assert labels("第三部分") == ["第三章 法律责任"]
    assert labels("What does article 4 say?") == ["第四条 城市绿地系统规划应当符合国土空间总体规划"]
    assert labels("第六条的（二）") == ["（二）与主体工程同时施工"]
    assert labels("第九十九条") == [] and labels("第四章") == [] and labels("绿地率是多少") == []


def test_opinion_nesting_by_order_of_markers():
    st = parse(_doc(OPINION, "关于推进城市更新工作的实施意见"))
    tops = top_level(st)
    assert [n.label for n in tops] == ["一、总体要求", "二、重点任务", "三、保障措施"]
    first, second, third = tops
    assert [c.label for c in first.children] == ["（一）指导思想", "（二）主要目标"]
    area = second.children[0]
    assert area.label == "（一）加快老旧小区改造" and area.kind == "area" and area.marker == "（一）"
    assert [(c.marker, c.ordinal, c.label) for c in area.children] == [
        ("1.", 1, "1.基础类"), ("1.", 2, "2.完善类"), ("1.", 3, "3.提升类")]
    assert [c.label for c in area.children[0].children] == ["（1）供水设施", "（2）排水设施"]
    # points inside a paragraph, and a 一是/二是 series running over paragraphs
    assert [c.label for c in second.children[1].children] == ["一是摸清底数", "二是分类施策", "三是强化监管"]
    assert [c.label for c in second.children[2].children] == ["一是加大财政支持", "二是创新融资方式", "三是优化审批流程"]
    assert [(c.family, c.label) for c in third.children] == [("seq", "首先，加强组织领导"), ("seq", "其次，强化考核督导")]
    text = st.doc.text
    unit = next(u for u in st.units if text[u.start:u.end].startswith("更换老旧管网"))
    assert unit.section == ("二、重点任务", "（一）加快老旧小区改造", "1.基础类", "（1）供水设施")
    # chunks never cross an innermost heading
    for c in chunk_document(st.doc, structure=st):
        assert text[c.start:c.end] == c.text
        assert len({u.point_key for u in st.units if c.start <= u.start < c.end}) == 1


def test_opinion_references():
    st = parse(_doc(OPINION))
    labels = lambda q: [n.label for n in resolve_reference(st, q)]  # noqa: E731
    assert labels("第二部分讲了什么") == ["二、重点任务"]
    assert labels("第二部分的第三个方面") == ["（三）完善配套政策"]
    assert labels("（二）") == ["（二）主要目标", "（二）推进历史街区保护"]  # one per part
    assert labels("第二部分（一）的（2）") == ["（2）排水设施"]
    assert labels("（2）") == ["（2）排水设施"]
    assert labels("第二部分第三个方面的第二是") == ["二是创新融资方式"]
    assert labels("第三部分的第二点") == labels("第三部分的第二个方面") == ["其次，强化考核督导"]
    assert labels("part 3") == ["三、保障措施"] and labels("第五部分") == []


def test_levels_follow_the_document_not_a_table():
    # a notice whose top level is （一） and whose second level is 1.
    text = "关于做好防汛工作的通知\n（一）压实责任\n1.落实河长责任。\n2.落实属地责任。\n（二）强化值守\n1.严格执行24小时值班。\n"
    st = parse(_doc(text))
    assert [(n.depth, n.label) for n, _ in st.walk()] == [
        (1, "（一）压实责任"), (2, "1.落实河长责任"), (2, "2.落实属地责任"), (1, "（二）强化值守"), (2, "1.严格执行24小时值班")]
    assert [n.kind for n in top_level(st)] == ["part", "part"]
    assert [n.label for n in resolve_reference(st, "第二部分")] == ["（二）强化值守"]
    # Markdown: # nests ##, a lone title heading is looked through by top_level
    md = parse(_doc("# 工作简报\n## 一、工作进展\n已完成。\n## 二、下一步安排\n继续推进。\n", "工作简报"))
    assert [n.label for n in md.roots] == ["工作简报"]
    assert [(n.label, n.ordinal) for n in top_level(md)] == [("一、工作进展", 1), ("二、下一步安排", 2)]
    assert [n.label for n in resolve_reference(md, "第二部分")] == ["二、下一步安排"]


def test_false_markers_are_not_headings():
    text = "会议指出：\n2022年全区经济稳中有进。\n3.5%的增速来之不易。\n第一条经验就是坚持党的领导。\n"
    st = parse(_doc(text))
    assert [n.label for n, _ in st.walk()] == []
    assert top_level(st) == [] and resolve_reference(st, "第一部分") == []


def test_speech_outline_and_references():
    st = parse(load_document(SPEECH))
    tops = top_level(st)
    assert [n.ordinal for n in tops] == [1, 2, 3] and tops[2].label.startswith("三、党建引领")
    labels = lambda q: [n.label for n in resolve_reference(st, q)]  # noqa: E731
    assert labels("第三部分讲了什么？") == [tops[2].label]
    assert labels("第三个部分") == labels("part three") == labels("the third part") == [tops[2].label]
    assert labels("第五个方面") == ["（五）要在生态环境治理上干在实处"]
    assert labels("第二部分第五个方面的第二要") == ["二要抓好大气污染防治"]
    assert labels("第三部分的（三）") == ["（三）要坚持把作风建设引向深入"]
    assert labels("（三）") == ["（三）要在城市有机更新上内外兼修", "（三）要坚持把作风建设引向深入"]
    assert labels("城市更新的第二是") == ["二是既要面子、也要里子"]
    assert len(labels("第二要")) == 8
    assert labels("第四部分") == [] and labels("第十五条") == [] and labels("夜经济怎么发展") == []


@pytest.mark.skipif(not REPORT.exists(), reason="related corpus not available")
def test_congress_report_outline(tmp_path):
    path = tmp_path / REPORT.name
    shutil.copy(REPORT, path)
    st = parse(load_document(path))
    tops = top_level(st)
    assert len(tops) == 15 and [n.ordinal for n in tops] == list(range(1, 16))
    assert tops[10].label.startswith("十一、推进国家安全体系")
    assert [n.label for n in resolve_reference(st, "报告第四部分的第二个方面讲了什么")] == ["（二）建设现代化产业体系"]
    assert [n.label for n in resolve_reference(st, "第十一部分（三）")] == ["（三）提高公共安全治理水平"]
    assert [n.label for n in resolve_reference(st, "第十五部分的第七个方面")] == ["（七）坚决打赢反腐败斗争攻坚战持久战"]
    assert [n.label for n in resolve_reference(st, "第十六部分")] == []
    areas = [c for t in tops for c in t.children if c.marker == "（一）"]
    assert len(areas) == 41


REPORT_WITH_LEADS = """某市政府工作报告
一、2026年重点工作
（一）突出扩大内需，在经济发展上开新局。
强化投资拉动。聚焦重大需求，全年实施重点项目400项，完成投资600亿元以上。
促进消费升级。坚持扩大内需战略基点，培育一批夜间经济集聚区，社会消费品零售总额增长6%。
抓好运行调度。实施规上工业企业倍增计划，一是抓好入统，二是抓好培育，确保新增企业300家。
（二）突出服务支撑。
会议强调。这一段只有一个短开头，不是成串的小标题，也不应当被当成要点来读出来。
二、加强政府自身建设
坚持政治引领，践行人民至上。旗帜鲜明讲政治，始终把人民的利益实现好、维护好、发展好，让群众的获得感成色更足、幸福感更可持续。
坚持依法行政，规范权力运行。认真执行人大决议，自觉接受人大法律监督和政协民主监督，依法全面履行政府职能，推进严格规范公正文明执法。
坚持效率优先，打造数字政务。创新服务方式，推进一网通办、一网统管，让数据多跑路、群众少跑腿，持续打造市场化法治化国际化营商环境。
各位代表！新征程催人奋进，我们要以更加昂扬的精神状态，奋力谱写新篇章。
"""


def test_run_in_leads_are_points_of_their_heading():
    """Three or more paragraphs in a row that open with a short lead sentence are that heading's points
    (numbered in their run); a lone short opening, or a salutation, is not."""
    st = parse(_doc(REPORT_WITH_LEADS))
    by_label = {n.label: n for n, _ in st.walk()}
    area = by_label["（一）突出扩大内需，在经济发展上开新局"]
    assert [(c.family, c.ordinal, c.label) for c in area.children] == [
        ("lead", 1, "强化投资拉动"), ("lead", 2, "促进消费升级"), ("lead", 3, "抓好运行调度")]
    # a point series inside a lead's paragraph nests under the lead
    assert [c.label[:4] for c in area.children[2].children] == ["一是抓好", "二是抓好"]
    assert by_label["（二）突出服务支撑"].children == []
    part = by_label["二、加强政府自身建设"]
    assert [c.label for c in part.children] == ["坚持政治引领，践行人民至上", "坚持依法行政，规范权力运行",
                                                "坚持效率优先，打造数字政务"]
    assert "各位代表" not in " ".join(by_label)
    # the sentences of a lead's paragraph are read under it; points end with their paragraph
    unit = next(u for u in st.units if REPORT_WITH_LEADS[u.start:u.end].startswith("聚焦重大需求"))
    assert unit.section[-1] == "强化投资拉动"
    lead = area.children[0]
    assert REPORT_WITH_LEADS[lead.extent_end - 1] in "。\n" and lead.extent_end <= REPORT_WITH_LEADS.index("促进消费")


def test_an_appendix_is_outside_the_bodys_outline():
    """"附件1" alone on its line opens an appendix: its rows are cited under "附件1　<title>", not
    under the body's last heading, and "分为哪几个部分" still lists the body's parts; a row of a
    table scraped one cell per line is read with its label cell.  The body's
    own list of appendices ("附件：1.…") opens nothing."""
    st = parse(_doc("某区实施方案\n一、工作目标\n全区覆盖。\n二、保障措施\n（一）加强经费保障。纳入预算。\n"
                    "附件：1.任务清单\n2.指标\n附件1\n成员单位工作任务  清单\n序号\n1\n加强组织领导\n区政府办公室\n"
                    "附件2\n指标\n湿垃圾分出量\n罗店镇\n创建达标累计61个小区，服务点累计79个。\n2019年3月\n"
                    "2\n纳入专项督查和绩效评价。\n"))
    sections = {st.doc.text[u.start:u.end]: u.section for u in st.units}
    assert sections["附件：1.任务清单"] == ("二、保障措施", "（一）加强经费保障")
    assert sections["加强组织领导"] == ("附件1　成员单位工作任务清单",)
    assert sections["湿垃圾分出量"] == ("附件2　指标",)
    # a row scraped one cell per line keeps the label cell right before it (not a number or a date)
    assert sections["创建达标累计61个小区，服务点累计79个。"] == ("附件2　指标", "罗店镇")
    assert sections["纳入专项督查和绩效评价。"] == ("附件2　指标",)
    assert [n.label for n in top_level(st)] == ["一、工作目标", "二、保障措施"]
    assert [n.kind for n in st.roots][-2:] == ["appendix", "appendix"]
