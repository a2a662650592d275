"""Documents named in questions and claims: profiles derived from each document, references found in text."""
from __future__ import annotations

import pytest

from assistant.documents import Document
from assistant.naming import find_reference, is_subsequence, profile, strip_reference, year_aliases


def _doc(doc_id, title, text, source="", **meta):
    return Document(id=doc_id, title=title, text=text, source=source or f"{doc_id}.txt", metadata=meta)


SPEECH = _doc("speech", "在全区领导干部大会上的讲话", "同志们：\n今天召开全区领导干部大会。\n", year=2022)
CONGRESS = _doc("congress", "在中国共产党第二十次全国代表大会上的报告",
                "同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n中国共产党第二十次全国代表大会，是……大会。\n",
                source="cpc-20th-congress-report-2022.txt")
WORK = _doc("work", "政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上",
            "政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作。\n")
RULES = _doc("rules", "中华人民共和国政府信息公开条例", "中华人民共和国政府信息公开条例\n第一章 总则\n第一条 为了……，制定本条例。\n")
OPINION = _doc("opinion", "国务院办公厅关于推进政务新媒体健康有序发展的意见", "国务院办公厅关于推进政务新媒体健康有序发展的意见\n一、总体要求\n")
PROFILES = [profile(d) for d in (SPEECH, CONGRESS, WORK, RULES, OPINION)]


def test_profiles_are_derived_from_each_document():
    by = {p.doc_id: p for p in PROFILES}
    assert by["speech"].kind == "讲话" and by["speech"].year == 2022
    assert by["congress"].kind == "报告" and by["congress"].year == 2022  # year from the file name
    assert "二十大报告" in by["congress"].short_names
    assert by["work"].kind == "报告" and by["work"].year == 2024
    assert by["rules"].kind == "条例"
    assert by["opinion"].kind == "意见" and "推进政务新媒体健康有序发展的意见" in by["opinion"].short_names


@pytest.mark.parametrize("text, doc, frame", [
    ("二十大报告说人均预期寿命增长到多少岁？", "congress", "二十大报告说"),
    ("党的二十大报告中，新时代十年国内生产总值从多少增长到多少？", "congress", "党的二十大报告中"),
    ("2024年政府工作报告提出GDP增长目标是多少？", "work", "2024年政府工作报告提出"),
    ("《政府信息公开条例》规定的答复期限是多少？", "rules", "《政府信息公开条例》规定"),
    ("条例第十五条规定了什么？", "rules", "条例"),
    ("这份意见提出了哪些要求？", "opinion", "这份意见提出了"),
    ("讲话说老旧小区有多少个？", "speech", "讲话说"),
    ("What urbanization rate does the 20th Party Congress report say China has reached?", "congress",
     "the 20th Party Congress report"),
    ("What does the government work report say about GDP?", "work", "the government work report"),
])
def test_references_scope_to_the_named_document_and_cut_the_frame(text, doc, frame):
    ref = find_reference(text, PROFILES)
    assert ref is not None and ref.doc_ids == [doc] and ref.exact
    assert text[ref.start:ref.end].rstrip("的") == frame
    assert frame not in strip_reference(text, ref)


@pytest.mark.parametrize("text", ["讲话中提到的调研报告要怎么写", "大气污染防治要抓哪些重点？", "老旧小区有多少个？"])
def test_content_words_are_not_taken_for_a_document(text):
    ref = find_reference(text, PROFILES)
    assert ref is None or text[ref.start:ref.end].rstrip("的") == "讲话中提到"  # the speech, not a 调研报告


def test_abbreviations_are_compact_subsequences():
    assert is_subsequence("二十大", "中国共产党第二十次全国代表大会")
    assert not is_subsequence("二十大", "2024年3月5日在第十四届全国人民代表大会第二次会议上")


def test_this_year_reads_as_the_documents_year():
    assert year_aliases("今年城镇新增就业1200万人以上，去年为1244万人", 2024) == \
        "2024年城镇新增就业1200万人以上，2023年为1244万人"
    assert year_aliases("今年", None) == "今年"


def test_a_place_before_the_year_names_the_report():
    nx = profile(_doc("nx", "2026年宁夏回族自治区政府工作报告", "全区经济稳中有进。全区人均收入增长。", year=2026))
    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。我省粮食丰收。", year=2026))
    for text in ("宁夏2026年政府工作报告分为哪几大部分？", "2026年宁夏政府工作报告分为哪几大部分？"):
        ref = find_reference(text, [nx, jx])
        assert ref is not None and ref.doc_ids == ["nx"] and ref.exact
        assert strip_reference(text, ref) == "分为哪几大部分？"


def test_each_document_knows_the_jurisdiction_it_calls_its_own():
    from assistant.naming import own_levels

    assert own_levels("全省经济回升向好，我省粮食丰收，增速居全国第二、高于全国平均。") == "省"
    assert own_levels("我国经济总量稳居世界第二，全国城镇新增就业1244万人。") == "国"
    assert own_levels("全区上下要……全市的部署……全区干部……") == "区市"  # both at least 30 %
    assert own_levels("第一条 为了保障公民依法获取政府信息，制定本条例。") == ""
    # a city's report ranks itself within the province: 全省前列/全省第一/高于全省平均 compare, 全市 is its own
    city = ("全市生产总值增长6%，增速居全省前列，制造业指数保持全省第一，高于全省平均。"
            "我市扎实推进民生实事，全市新增就业8.9万人。全省营商环境评价中我市进入前三。")
    assert own_levels(city) == "市"


def test_a_place_the_title_is_about_names_the_document_in_chinese_and_english():
    from assistant.crosslingual import english_names
    from assistant.naming import title_places

    assert title_places("2026年江西省政府工作报告——2026年1月27日在江西省第十四届人民代表大会第四次会议上") == ["江西"]
    assert title_places("2026年宁夏回族自治区政府工作报告") == ["宁夏"]
    assert title_places("内蒙古自治区政府工作报告") == ["内蒙古"]
    # a district's own documents (闵行区…, 浦东新区…), not the 全区 of a speech's venue
    assert title_places("闵行区人民政府关于印发《闵行区城市更新“十五五”规划》的通知") == ["闵行"]
    assert title_places("浦东新区2025年政府工作报告") == ["浦东"]
    for none in ("在中国共产党第二十次全国代表大会上的报告", "在全区领导干部大会上的讲话", "中华人民共和国政府信息公开条例",
                 "国务院办公厅关于推进城市更新的意见"):
        assert title_places(none) == []
    assert "ningxia" in english_names("宁夏") and "inner mongolia" in english_names("内蒙古")
    nx = profile(_doc("nx", "2026年宁夏回族自治区政府工作报告", "全区经济稳中有进。", year=2026))
    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。", year=2026))
    profiles = [nx, jx, *PROFILES]
    for text in ("宁夏去年粮食总产量多少？", "How much grain did Ningxia harvest in 2025?", "What was Ningxia's PM2.5 last year?"):
        ref = find_reference(text, profiles)
        assert ref is not None and ref.doc_ids == ["nx"] and ref.exact, text
    assert find_reference("What is Jiangxi's GDP growth target?", profiles).doc_ids == ["jx"]
    assert find_reference("老旧小区改造涉及多少户？", profiles) is None


def test_a_name_that_is_one_documents_whole_title_is_that_document():
    """Among reports all called 政府工作报告, the one whose title is just that is meant; the others
    are named with their place ("江西省政府工作报告")."""
    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。", year=2026))
    nx = profile(_doc("nx", "2026年宁夏回族自治区政府工作报告", "全区经济稳中有进。", year=2026))
    profiles = [*PROFILES, jx, nx]
    ref = find_reference("政府工作报告把今年居民消费价格涨幅目标定在多少？", profiles)
    assert ref is not None and ref.doc_ids == ["work"] and ref.exact
    assert find_reference("江西省政府工作报告提出了什么？", profiles).doc_ids == ["jx"]
    assert len(find_reference("报告说去年城镇新增就业有多少人？", profiles).doc_ids) > 1  # 报告 alone: any report


def test_a_level_glued_to_the_kind_or_a_place_in_the_question_picks_the_report():
    """"省政府工作报告" is the province's (its title holds those words together), not the national
    政府工作报告; "报告说做好江西政府工作…" names every report by its kind, and the place picks one."""
    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。", year=2026))
    nx = profile(_doc("nx", "2026年宁夏回族自治区政府工作报告", "全区经济稳中有进。", year=2026))
    profiles = [*PROFILES, jx, nx]
    ref = find_reference("省政府工作报告说，今年城镇和农村居民收入各要增长多少？", profiles)
    assert ref is not None and ref.doc_ids == ["jx"] and ref.exact
    assert "省政府工作报告说" not in strip_reference("省政府工作报告说，今年收入增长多少？", ref)
    ref = find_reference("报告说做好江西政府工作，有哪几个“必须”？", profiles)
    assert ref is not None and ref.doc_ids == ["jx"] and ref.exact
    # a particle glued to the kind names nothing ("的报告")
    ref = find_reference("他们看的报告说了什么？", profiles)
    assert ref is None or len(ref.doc_ids) > 1


def test_an_english_name_with_a_place_and_a_year_picks_that_report():
    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。", year=2026))
    nx = profile(_doc("nx", "2026年宁夏回族自治区政府工作报告", "全区经济稳中有进。", year=2026))
    profiles = [*PROFILES, jx, nx]
    text = "What GDP growth target does Ningxia's 2026 government work report set for this year?"
    ref = find_reference(text, profiles)
    assert ref is not None and ref.doc_ids == ["nx"] and ref.exact
    content = strip_reference(text, ref)
    assert "Ningxia" not in content and "2026" not in content and "growth target" in content and "set for" in content
    # the name stops at a function word: "expectancy" is what is asked, not part of the name
    text = "What average life expectancy does the 20th Party Congress report cite?"
    ref = find_reference(text, profiles)
    assert ref.doc_ids == ["congress"] and "expectancy" in strip_reference(text, ref)
    assert find_reference("What does the 2025 government work report say?", [jx, nx]) is None or \
        find_reference("What does the 2025 government work report say?", [jx, nx]).doc_ids != ["nx"]


def test_a_bare_level_word_is_the_jurisdiction_asked_about():
    from assistant.naming import levels_named

    # (a bare 自治区 stays whole: an autonomous region's documents, not a district's 全区)
    assert levels_named("自治区今年定的经济增长预期目标是多少？") == "自治区"
    assert levels_named("省第十七届运动会在哪里举办？") == "省"
    assert levels_named("全省去年粮食产量多少？") == "省"
    assert levels_named("江西省今年GDP增长多少？") == ""  # a place, not a level
    assert levels_named("What is the unemployment rate of the district?") == "辖区"  # not an autonomous region
    assert levels_named("What is the GDP growth target of the region?") == "自治区"
    assert levels_named("What was the province's GDP last year?") == "省"
    assert levels_named("宁夏回族自治区今年要建多少公园？") == ""
    # a rank among the units of a level compares with it: it is not the jurisdiction spoken of
    assert levels_named("使绍兴综合实力早日重回全国“30强”，是市第八次党代会提出的目标") == ""
    assert levels_named("工业长期居全省前列") == ""


def test_in_english_too_the_report_named_without_a_place_is_the_one_without_one():
    from assistant.retrieval import TOP_LIST

    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。", year=2026))
    nx = profile(_doc("nx", "2026年宁夏回族自治区政府工作报告", "全区经济稳中有进。", year=2026))
    text = "Into which main parts is the government work report divided?"
    work = profile(WORK)
    assert find_reference(text, [work, jx, nx]).doc_ids == ["work"]
    assert find_reference("What does the Jiangxi government work report say?", [work, jx, nx]).doc_ids == ["jx"]
    assert TOP_LIST.search(text) and TOP_LIST.search("Into which parts is the opinion divided?")
    assert not TOP_LIST.search("Which parts of the city will get new parks?")  # not about the document


def test_a_place_outweighs_a_kind_word_in_english_and_punctuation_names_nothing():
    jx = profile(_doc("jx", "2026年江西省政府工作报告", "全省经济回升向好。", year=2026))
    plan = profile(_doc("plan", "“十四五”数字经济发展规划", "“十四五”数字经济发展规划\n一、发展基础\n", year=2021))
    profiles = [*PROFILES, jx, plan]
    for text in ("How large was Jiangxi's GDP at the end of the 14th Five-Year Plan period?",
                 "What share of GDP should the digital economy reach in Jiangxi's 2026 plan?"):
        assert find_reference(text, profiles).doc_ids == ["jx"], text
    assert find_reference("What does the digital economy plan say about data?", profiles).doc_ids == ["plan"]
    # “十五五”规划纲要 is not the 十四五 plan: a quote mark and one character name nothing
    ref = find_reference("“十五五”规划纲要草案一共设了多少个主要指标？", profiles)
    assert ref is None or "plan" not in ref.doc_ids
    assert find_reference("“十四五”数字经济发展规划提出了哪些目标？", profiles).doc_ids == ["plan"]
    # a quoted period alone is the five-year plan itself, not a plan whose title puts other words
    # between it and 规划 ("除了“十四五”规划，还谋划了…" asks the speech)
    ref = find_reference("区委全会暨经济工作会上，除了“十四五”规划，还谋划了哪一年的远景目标？", profiles)
    assert ref is None or "plan" not in ref.doc_ids


def test_of_two_english_kind_words_the_one_with_an_article_names_the_document():
    """"Which municipal … plan does the speech …" asks the speech about a plan, not a plan."""
    plan = profile(_doc("plan", "“十四五”数字经济发展规划", "“十四五”数字经济发展规划\n一、发展基础\n", year=2021))
    profiles = [*PROFILES, plan]
    ref = find_reference("Which municipal investment action plan does the speech tie the major projects to?", profiles)
    assert ref.doc_ids == ["speech"]
    assert find_reference("Which tasks does the plan set for data?", profiles).doc_ids == ["plan"]


def test_a_kind_word_inside_a_phrase_is_not_a_reference_but_one_asked_about_is():
    assert find_reference("被征求意见的其他行政机关应当在多长时间内提出意见？", PROFILES) is None  # 征求意见: a phrase
    ref = find_reference("食品安全监管方面讲话有什么要求？", PROFILES)
    assert ref is not None and ref.doc_ids == ["speech"]
    from assistant.query import FIGURE_INTENT, question_parts

    assert FIGURE_INTENT.search("应当在多长时间内提出意见？")
    assert question_parts("应当在多长时间内提出意见？逾期不提出的怎么处理？") == ["应当在多长时间内提出意见？", "逾期不提出的怎么处理？"]


def test_a_preposition_before_a_document_name_is_part_of_the_reference():
    ref = find_reference("按照政府信息公开条例，哪几类政府信息不予公开？", PROFILES)
    assert ref is not None and ref.start == 0 and ref.doc_ids == ["rules"]


def test_a_notice_that_issues_a_document_is_of_that_documents_kind():
    """"关于印发《…规划》的通知（…号）" is, to its reader, the 规划; a closing bracket (number, date) hides no kind."""
    notice = profile(_doc("mh", "闵行区人民政府关于印发《闵行区城市更新“十五五”规划》的通知（闵府发〔2026〕26号，2026年7月28日）",
                          "各镇人民政府：现印发给你们。", year=2026))
    assert notice.kind == "规划"
    plain = profile(_doc("tz", "关于开展安全生产大检查的通知（2024年5月）", "各单位：", year=2024))
    assert plain.kind == "通知"
    ref = find_reference("What does the plan say about old factory compounds?", [notice, *PROFILES])
    assert ref is not None and "mh" in ref.doc_ids
    # still the notice it is: "通知要求…", "the notice"
    assert notice.wrapper == "通知" and notice.is_kind("通知") and notice.is_kind("规划")
    assert find_reference("通知要求到2030年完成多少个老旧厂区改造？", [notice, *PROFILES]) is None  # loose: no scope
    assert "mh" in find_reference("What is the document number of the notice?", [notice, *PROFILES]).doc_ids
    # a plan period names that period's plan only; 规划纲要 is a 纲要 (none loaded)
    assert find_reference("“十五五”规划提出了什么？", [notice, *PROFILES]).doc_ids == ["mh"]
    assert find_reference("除了“十四五”规划，还谋划了哪一年的远景目标？", [notice, *PROFILES]) is None
    assert find_reference("“十五五”规划纲要草案一共设了多少个主要指标？", [notice, *PROFILES]) is None


def test_a_place_narrows_a_kind_word_to_that_places_document_in_english():
    from assistant.crosslingual import english_names

    assert "minhang" in english_names("闵行")  # not a dictionary word: spelled by its characters' readings
    mh = profile(_doc("mh", "闵行区人民政府关于印发《闵行区城市更新“十五五”规划》的通知", "各镇人民政府：", year=2026))
    plan = profile(_doc("de", "国务院关于印发“十四五”数字经济发展规划的通知", "各省、自治区、直辖市人民政府：", year=2022))
    ref = find_reference("What is the main line of Minhang's urban renewal in the 15th Five-Year Plan period?", [mh, plan, *PROFILES])
    assert ref is not None and ref.doc_ids == ["mh"] and ref.exact
    assert set(find_reference("What does the plan say about data?", [mh, plan, *PROFILES]).doc_ids) == {"mh", "de"}


def test_a_name_starts_where_a_word_does():
    """The 全工作 of "网络安全工作讲话" is no abbreviation of the speech's header: the reference must not
    cut the question's 网络安全."""
    q = "网络安全工作讲话是怎么部署的？"
    ref = find_reference(q, PROFILES)
    assert ref is None or ref.start >= len("网络安全")


def test_a_nested_place_names_its_document_and_a_modifier_may_join_the_kind_with_de():
    """"上海市宝山区人民政府办公室关于印发…实施方案的通知": the district (宝山) names it, not only the city;
    "按照宝山区的实施方案，…" is a reference whose frame is cut, 的 and all."""
    plan = profile(_doc("bs", "上海市宝山区人民政府办公室关于印发贯彻《上海市生活垃圾管理条例》推进全程分类体系建设实施方案的通知",
                        "各街镇人民政府：现印发给你们。", year=2019))
    assert "宝山" in plan.places
    for text in ("按照宝山区的实施方案，2019年要创建多少个达标村？", "宝山区实施方案提出，2019年要创建多少个达标村？"):
        ref = find_reference(text, [plan, *PROFILES])
        assert ref is not None and ref.start == 0 and ref.doc_ids == ["bs"], text
        assert text[ref.end:].lstrip("，").startswith("2019年")
