"""Quote check (核对引文): verdicts, exact source spans, the CLI contract and the dev-set floor."""
from __future__ import annotations

import json

import pytest

from assistant.answer import QuestionError
from assistant.citations import verify
from assistant.claims import LABELS, Verdict, check_claim, evaluate_claims, strip_framing
from assistant.numbers import extract_quantities, same_value

from .conftest import DEV_SET, run_cli

CITATION_KEYS = {"doc", "title", "paragraph", "section", "start", "end", "quote"}

# Claims written from the speech text (not from the dev set): supported paraphrases,
# altered figures, swapped items, unit changes, swapped key words and invented items.
# (verdict, claim, claimed value, source value) — values checked when not None.
OWN_CLAIMS = [
    ("supported", "讲话提出，中信、一拖年产值到“十四五”末将分别达到300亿元和200亿元。", None, None),
    ("contradicted", "讲话说中信、一拖年产值到“十四五”末将分别达到300亿元和250亿元。", "250亿元", "200亿元"),
    # a judgement turned round (已经领先 vs 还有很大差距) contradicts; its faithful form is supported
    ("contradicted", "讲话说本区的智慧城市建设同先进地区相比已经领先。", "已经领先", "还有很大差距"),
    ("supported", "本区的数字化、智慧化城市建设同先进地区相比还有很大差距。", None, None),
    # the subject comes from the paragraph, a masked name (**) stands for 本区
    ("supported", "轴承企业曾连续五年亏损。", "五年", "五年"),
    ("supported", "反映本区工业文明的地标尚为空白。", None, None),
    # words of the claim that the sentence lacks are not confirmed by it
    ("not_found", "讲话提出要建设国家级自贸试验区核心区。", None, None),
    # a negation dropped or added contradicts (不能搞 vs 可以搞; 基本结束 vs 尚未结束)
    ("contradicted", "讲话说工作中可以搞“一刀切”。", "可以搞", None),
    ("supported", "工作中不能搞“一刀切”“大呼隆”。", None, None),
    ("contradicted", "讲话认为大企业的转型阵痛期尚未结束。", None, None),
    # the key metaphor swapped (quotes in the source do not hide it)
    ("contradicted", "营商环境是发展的定盘星。", "定盘星", "命门之穴"),
    ("supported", "大企业、驻涧科研院所是发展的定盘星。", None, None),
    # digits reordered in Chinese numerals: compared with the figure at the same place
    ("contradicted", "全区老旧小区有二百八十二个。", "二百八十二个", "228个"),
    ("supported", "全区老旧小区有二百二十八个。", "二百二十八个", "228个"),
    # figures are paired one to one with the source: the second 41 sits where the source says 21
    ("contradicted", "本区在全部41个工业门类中拥有全部41个。", None, None),
    # "分别": each figure belongs to its own item of the enumeration (中信 300, 一拖 200)
    ("contradicted", "一拖的年产值到“十四五”末将达到300亿元。", "300亿元", "200亿元"),
    ("supported", "一拖的年产值到“十四五”末将达到200亿元。", "200亿元", "200亿元"),
    ("supported", "到“十四五”末，中信年产值将达到300亿元。", "300亿元", "300亿元"),
    ("contradicted", "到“十四五”末，中信年产值将达到200亿元。", "200亿元", "300亿元"),
    ("supported", "在全部41个工业门类中，本区有39个。", None, None),
    ("contradicted", "在全部41个工业门类中，本区有35个。", "35个", None),
    ("supported", "讲话指出装备制造业产值占全市四分之一。", "四分之一", "1/4"),
    ("contradicted", "讲话指出装备制造业产值占全市1/3。", "1/3", "1/4"),
    ("supported", "2019年轴承行业销售收入整体4.3%负增长的情况下，该企业实现同比增长10.6%。", None, None),
    ("contradicted", "2019年该企业销售收入同比增长16.6%。", "16.6%", "10.6%"),
    ("supported", "老旧小区改造涉及51397户。", "51397户", "51397户"),
    ("contradicted", "老旧小区改造涉及5.1397亿户。", "5.1397亿户", "51397户"),
    # a figure attached to the wrong item (老旧小区 228, 片区 46)
    ("contradicted", "全区尚有老旧小区46个。", "46个", "228个"),
    ("contradicted", "全区老旧小区划分为228个片区。", "228个", "46个"),
    ("contradicted", "轴承企业2021年纳税2.3亿元。", "2.3亿元", "2亿元"),
    ("supported", "讲话说，全世界最大的油压机是本地制造。", None, None),
    ("contradicted", "讲话说，全世界最大的水压机是本地制造。", "水压机", "油压机"),
    ("supported", "我区在建的安置房包括15个项目。", "15个", "15个"),
    ("contradicted", "我区在建的安置房包括25个项目。", "25个", "15个"),
    ("supported", "讲话要求打造“15分钟生活圈”。", None, None),
    ("contradicted", "讲话要求打造“10分钟生活圈”。", "10分钟", "15分钟"),
    ("supported", "讲话说轴承企业2021年营业收入42.3亿元。", None, None),
    ("contradicted", "讲话说轴承企业2021年营业收入52.3亿元", "52.3亿元", "42.3亿元"),
    ("contradicted", "老龄化率26.3%，高于全市*个百分点。", "26.3%", "23.6%"),
    ("supported", "1955年建区以来，“一五”时期6个“共和国工业长子”先后落户。", None, None),
    ("contradicted", "1955年建区以来，“一五”时期8个“共和国工业长子”先后落户。", "8个", "6个"),
    ("supported", "要抓好总投资一千三百七十亿元的252个重大项目。", None, "1370亿元、252个"),
    ("contradicted", "要抓好总投资1370万元的252个重大项目。", "1370万元", "1370亿元"),
    ("contradicted", "以轴承企业为例，曾经连续三年亏损。", "三年", "五年"),
    ("contradicted", "该企业从2018年成功扭亏为盈。", "2018年", "2017年"),
    ("contradicted", "讲话说2023年是党的二十大召开之年。", "2023年", "2022年"),
    ("contradicted", "讲话要求着力做好五个方面工作。", "五个", "七个"),
    ("supported", "讲话要求推行“首席服务官”制度。", None, None),
    ("contradicted", "讲话要求推行“首席执行官”制度。", None, None),
    ("contradicted", "要当好市场秩序的“运动员”和“守护者”。", None, None),
    ("contradicted", "今年市里开始统一对所有县（市）区营商环境开展评估排名。", None, None),
    ("supported", "今年省里开始对所有县（市）区营商环境开展评估排名。", None, None),
    ("supported", "讲话要求大力发展夜经济，打造网红消费打卡地。", None, None),
    ("supported", "区委将大力选用敢为人先、雷厉风行的人。", None, None),
    ("supported", "讲话强调营商环境是发展的“命门之穴”。", None, None),
    ("supported", "老龄化率百分之二十三点六。", "百分之二十三点六", "23.6%"),
    ("contradicted", "全世界第一台拖拉机是本地制造。", "全世界", "新中国"),
    ("contradicted", "装备制造业产值占全市一半。", "一半", "1/4"),
    ("contradicted", "中信、一拖年产值现在已超千亿元。", None, "超百亿元"),
    ("contradicted", "2022年是党的二十大召开之年，也是新时代建设收官之年。", "收官", "起步"),
    ("contradicted", "今年大年初六，企业就全线开工、全员上岗。", None, None),
    ("contradicted", "老龄化率23.6%，低于全市*个百分点。", None, None),
    ("contradicted", "讲话提出打造万亿产业集群。", None, None),
    ("contradicted", "要把物业锻造成为城市基层社会治理体系中的一支次要力量。", None, None),
    ("not_found", "老旧小区改造涉及51397人。", None, None),  # 户 is not 人: not stated
    ("not_found", "讲话要求2022年全区GDP增长8%。", None, None),
    ("not_found", "讲话提出要在2025年建成国家级新区。", None, None),
    ("not_found", "全区今年新增城镇就业岗位3万个。", None, None),
    ("not_found", "讲话要求建设国际航空货运枢纽。", None, None),
    ("not_found", "讲话表扬了区教育局在疫情防控中的表现。", None, None),
]


def _check_citation(c: dict, assistant):
    assert set(c) == CITATION_KEYS
    doc = assistant.index.document(c["doc"])
    assert doc.text[c["start"]:c["end"]] == c["quote"]
    assert doc.paragraph_at(c["start"]).number == c["paragraph"]


@pytest.mark.parametrize("gold,claim,claimed,source", OWN_CLAIMS, ids=[f"own{i:02d}" for i in range(len(OWN_CLAIMS))])
def test_own_claims(assistant, gold, claim, claimed, source):
    v = check_claim(assistant, claim)
    assert v.verdict == gold, v.explanation
    if claimed is not None:
        assert v.claimed_value == claimed
    if source is not None:
        assert v.source_value == source
    for c in v.citations:
        assert verify(c, assistant.index.document(c.doc))
    if gold == "contradicted":
        # the source value is shown and traces to the cited span
        assert v.source_value and any(v.source_value in c.quote for c in v.citations)
        assert "不符" in v.explanation
    if gold == "supported":
        assert v.citations
        for q in extract_quantities(v.source_value):
            assert any(any(same_value(q, s) for s in extract_quantities(c.quote)) for c in v.citations)
    if gold == "not_found":
        assert "未提及" in v.explanation


def test_contradicted_figure_shows_exact_source_span(assistant):
    v = check_claim(assistant, "讲话说2021年轴承企业净利润3.2亿元。")
    assert v.verdict == "contradicted"
    assert (v.claimed_value, v.source_value) == ("3.2亿元", "2.3亿元")
    c = v.citations[0]
    assert c.paragraph == 11 and "净利润2.3亿元" in c.quote
    assert "（一）要在制造业高质量发展上奋勇争先" in c.section
    d = v.to_dict()
    assert set(d) == {"claim", "verdict", "claimed_value", "source_value", "citations", "explanation"}
    _check_citation(d["citations"][0], assistant)
    assert "2.3亿元" in d["explanation"] and "3.2亿元" in d["explanation"]


def test_unit_change_is_contradicted(assistant):
    v = check_claim(assistant, "确保年度完成投资267万元以上。")
    assert v.verdict == "contradicted"
    assert v.source_value == "267亿元以上"
    assert "单位或数量级" in v.explanation


def test_claim_spanning_two_sentences_is_checked_per_clause(assistant):
    v = check_claim(assistant, "1956年建区以来，本区创造了许多辉煌成就。")
    assert v.verdict == "contradicted"
    assert (v.claimed_value, v.source_value) == ("1956年", "1955年")
    assert any("1955年建区以来" in c.quote for c in v.citations)


def test_several_sentences_worst_verdict_wins(assistant):
    ok = "老龄化率23.6%。"
    assert check_claim(assistant, ok).verdict == "supported"
    v = check_claim(assistant, ok + "新中国第一台挖掘机是本地制造。")
    assert v.verdict == "contradicted" and v.source_value == "拖拉机"
    assert len(v.citations) == 2


def test_one_matching_character_of_another_word_is_no_substitution(assistant):
    # "区中排名第一" aligns its "中" with the "中" of "新中国第一台": no word of the source is replaced
    # by "排名", so the claim is not called contradicted (the source's "头把交椅" is a paraphrase)
    v = check_claim(assistant, "讲话称本区工业长期在全省县（市）区中排名第一。")
    assert v.verdict != "contradicted", v.explanation
    # a word in the same slot is still a substitution
    assert check_claim(assistant, "新中国第一台挖掘机是本地制造。").source_value == "拖拉机"


def test_doc_filter(assistant):
    assert check_claim(assistant, "老龄化率23.6%。", doc_ids=["no-such-document"]).verdict == "not_found"
    doc_id = assistant.index.all_documents()[0].id
    assert check_claim(assistant, "老龄化率23.6%。", doc_ids=[doc_id]).verdict == "supported"


def test_strip_framing():
    assert strip_framing("讲话说2021年轴承企业净利润2.3亿元。") == "2021年轴承企业净利润2.3亿元"
    assert strip_framing("讲话提出，要打造千亿产业集群") == "要打造千亿产业集群"
    assert strip_framing("讲话要求今年PM2.5浓度下降8%。") == "今年PM2.5浓度下降8%"
    assert strip_framing("据讲话，老龄化率23.6%") == "老龄化率23.6%"
    assert strip_framing("讲话中强调：营商环境是发展的“命门之穴”") == "营商环境是发展的“命门之穴”"
    assert strip_framing("“全区老旧小区划分为46个片区。”") == "全区老旧小区划分为46个片区"
    # "讲话精神" is content, not framing
    assert strip_framing("讲话精神要落实到行动上") == "讲话精神要落实到行动上"
    # a document called by a name no title gives ("一号文件") frames the claim when punctuation closes it
    assert strip_framing("一号文件提出，2023年全国粮食产量要保持在1.3万亿斤以上。") == "2023年全国粮食产量要保持在1.3万亿斤以上"
    assert strip_framing("省委文件明确要求：加快建设") == "加快建设"
    # without the punctuation it is content
    assert strip_framing("中央一号文件提出的目标已完成") == "中央一号文件提出的目标已完成"


@pytest.mark.parametrize("bad", ["", "   ", "？？。！", "x" * 5000])
def test_bad_claims_raise_user_message(assistant, bad):
    with pytest.raises(QuestionError) as exc:
        check_claim(assistant, bad)
    assert "说法" in str(exc.value)


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not beside the checkout")
def test_dev_set_floor(assistant):
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    claims = [it for it in items if it.get("kind") == "claim"]
    assert claims
    report = evaluate_claims(assistant, claims)
    assert report["n"] == len(claims)
    assert report["accuracy"] >= 0.95, report["errors"]
    assert report["contradicted_called_supported"] == 0
    assert sum(v["n"] for v in report["per_verdict"].values()) == len(claims)


def test_verdict_labels():
    v = Verdict("c", "not_found", "", "", [], "原文未提及")
    assert v.label == LABELS["not_found"] == "原文未提及"
    assert v.to_dict()["citations"] == []


# -- CLI ----------------------------------------------------------------------
def test_cli_check_human_and_json(cli_env, assistant):
    r = run_cli(["check", "讲话说轴承企业2021年营业收入52.3亿元"], cli_env)
    assert r.returncode == 0, r.stderr
    assert "与原文不符" in r.stdout and "52.3亿元" in r.stdout and "42.3亿元" in r.stdout
    assert "第11段" in r.stdout
    r = run_cli(["check", "老龄化率23.6%", "--json"], cli_env)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["verdict"] == "supported" and d["citations"][0]["paragraph"] == 17
    _check_citation(d["citations"][0], assistant)
    assert "23.6%" in d["citations"][0]["quote"]


def test_cli_check_batch(cli_env, tmp_path):
    rows = [{"id": "a", "claim": "全区老旧小区划分为64个片区。"},
            {"id": "b", "claim": "讲话要求今年PM2.5浓度下降8%。"},
            {"id": "c", "claim": "新中国第一台拖拉机是本地制造。"},
            {"id": "d", "claim": "。。。"}]
    f = tmp_path / "claims.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    r = run_cli(["check", "--batch", str(f)], cli_env)
    assert "Traceback" not in r.stderr
    assert r.returncode == 1  # one bad row reported
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    assert [o.get("verdict") for o in out] == ["contradicted", "not_found", "supported", None]
    assert set(out[0]) == {"id", "verdict", "claimed_value", "source_value", "citations", "explanation"}
    assert (out[0]["claimed_value"], out[0]["source_value"]) == ("64个", "46个")
    assert set(out[0]["citations"][0]) == CITATION_KEYS
    assert "标点" in out[3]["error"]


@pytest.mark.parametrize("args,msg", [(["check", ""], "为空"), (["check", "？！。"], "标点")])
def test_cli_check_bad_input(cli_env, args, msg):
    r = run_cli(args, cli_env)
    assert r.returncode == 2
    assert msg in r.stderr and "Traceback" not in r.stderr


# -- documents other than the speech (issue 10) --------------------------------------------
# Two small documents written for these tests (fictional, not shipped under docs/): a dated
# work report with 今年/过去一年, Chinese numerals and 分别 pairs, and a 条例 with articles.
REPORT = """某市政府工作报告——2022年1月10日在某市第十六届人民代表大会第一次会议上
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议。
一、2021年工作回顾
过去一年，全市地区生产总值增长百分之七点八，城镇新增就业十二万三千人。
全市常住人口达到九百四十万人，人均预期寿命增长到七十八点二岁。
汽车及零部件产业领跑工业增长，新能源及智能电网、新材料、生物医药健康产业增速分别达到15.6%、33.1%、12.9%。
二、今年的主要目标
今年全市地区生产总值增长6%左右，城镇新增就业11万人以上。
东区、西区的年产值分别达到300亿元和200亿元。
北区年产值一百五十亿元、南区年产值二百五十亿元。
全年新增高新技术企业100家以上、科技型中小企业1000家以上。
支持洛阳高新区发展，建成一个具有国际领先水平的国家级超级计算中心。
至2025年，全市建成区40%以上面积达到海绵城市建设要求。
"""
RULES = """某市物业管理条例
第一章 总则
第一条 为了规范物业管理活动，维护业主的合法权益，制定本条例。
第二条 业主大会应当自成立之日起30日内向街道办事处备案。
第三条 物业服务企业不得擅自公开业主的个人信息。但是，业主书面同意的，可以公开。
"""


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """An assistant over the two added documents (a real index, built once for this module)."""
    from assistant.config import Settings
    from assistant.index import build_index
    from assistant.service import Assistant

    docs = tmp_path_factory.mktemp("added_docs")
    (docs / "city-work-report-2022.txt").write_text(REPORT, encoding="utf-8")
    (docs / "city-property-regulation.txt").write_text(RULES, encoding="utf-8")
    s = Settings(index_dir=tmp_path_factory.mktemp("added_index"), docs_dir=docs,
                 feedback_file=tmp_path_factory.mktemp("fb2") / "feedback.jsonl", llm="none")
    build_index(s, progress=False)
    return Assistant(s)


def _doc_of(a, name):
    return next(d for d in a.index.all_documents() if d.source.startswith(name))


def _assert_traced(v, a):
    for c in v.citations:
        assert verify(c, a.index.document(c.doc))
        assert a.index.document(c.doc).text[c.start:c.end] == c.quote


@pytest.mark.parametrize("claim,gold", [
    ("工作报告指出，人均预期寿命增长到七十八点二岁。", "supported"),
    ("据《某市政府工作报告》，全市常住人口达到940万人。", "supported"),
    ("报告强调，全市常住人口达到一千零四十万人。", "contradicted"),
    ("《某市物业管理条例》第二条规定，业主大会应当自成立之日起30日内向街道办事处备案。", "supported"),
    ("条例规定：业主大会应当自成立之日起30日内向街道办事处备案。", "supported"),
    # the article named is not the one that says it
    ("该条例第三条规定，业主大会应当自成立之日起30日内向街道办事处备案。", "contradicted"),
    ("条例规定，业主大会应当自成立之日起60日内向街道办事处备案。", "contradicted"),
    # the exception of the rule dropped
    ("条例规定，物业服务企业一律不得擅自公开业主的个人信息。", "contradicted"),
    # a place the document names, with what it plans, is the claim's subject; a place it never names is not
    ("洛阳计划建成一个具有国际领先水平的国家级超级计算中心。", "supported"),
    ("杭州计划建成一个具有国际领先水平的国家级超级计算中心。", "not_found"),
    ("洛阳计划建成两个具有国际领先水平的国家级超级计算中心。", "contradicted"),
    # 到 and 至 say the same ("到2025年" for "至2025年"); the figure still counts
    ("报告提出，到2025年全市建成区40%以上的面积要达到海绵城市建设要求。", "supported"),
    ("报告提出，到2025年全市建成区30%以上的面积要达到海绵城市建设要求。", "contradicted"),
])
def test_document_naming_frames(added, claim, gold):
    v = check_claim(added, claim)
    assert v.verdict == gold, v.explanation
    _assert_traced(v, added)
    if gold == "supported":
        named = "条例" if "条例" in claim else "报告"
        assert all(named in added.index.document(c.doc).title for c in v.citations)
    if gold == "contradicted":
        assert v.source_value and any(v.source_value in c.quote for c in v.citations)


def test_claim_content_cuts_reference_and_article(added):
    from assistant.claims import _profiles, claim_content

    profiles = list(_profiles(added).values())
    core, ref, article = claim_content("《某市物业管理条例》第二条规定，业主大会应当备案。", profiles)
    assert (core, article) == ("业主大会应当备案", 2)
    assert ref.exact and ref.doc_ids == [_doc_of(added, "city-property").id]
    core, ref, _ = claim_content("工作报告指出，人均预期寿命增长到七十八点二岁。", profiles)
    assert core == "人均预期寿命增长到七十八点二岁" and ref.doc_ids == [_doc_of(added, "city-work").id]
    # a document named inside the content is content
    core, ref, _ = claim_content("人均预期寿命增长到七十八点二岁。", profiles)
    assert ref is None and core == "人均预期寿命增长到七十八点二岁"


@pytest.mark.parametrize("claim,gold,quote_has", [
    # 今年 of a 2022 document is 2022; the citation quotes the original "今年"
    ("2022年全市城镇新增就业11万人以上。", "supported", "今年"),
    ("今年全市城镇新增就业11万人以上。", "supported", "今年"),
    ("2023年全市城镇新增就业11万人以上。", "contradicted", "今年"),
    # a heading dates its section (一、2021年工作回顾)
    ("2021年全市地区生产总值增长7.8%。", "supported", "百分之七点八"),
    ("2020年全市地区生产总值增长7.8%。", "contradicted", "2021年"),
    # the year that opens a claim sets its time; the sentence under 今年's heading need not repeat it
    ("2022年，计划全年新增高新技术企业100家以上。", "supported", "高新技术企业"),
    ("2022年计划新增高新技术企业300家以上。", "contradicted", "高新技术企业"),
    ("2023年计划新增高新技术企业100家以上。", "contradicted", "今年"),
])
def test_year_reading(added, claim, gold, quote_has):
    v = check_claim(added, claim)
    assert v.verdict == gold, v.explanation
    _assert_traced(v, added)
    assert any(quote_has in c.quote for c in v.citations)
    if gold == "contradicted":
        assert v.verdict != "supported" and "不符" in v.explanation


@pytest.mark.parametrize("claim,gold", [
    ("东区、西区的年产值分别达到300亿元和200亿元。", "supported"),
    ("东区、西区的年产值分别达到200亿元和300亿元。", "contradicted"),
    ("西区、东区的年产值分别达到200亿元和300亿元。", "supported"),
    ("东区年产值达到200亿元、西区年产值达到300亿元。", "contradicted"),
    # the source names each item with its figure; the claim pairs them with 分别/依次
    ("北区、南区年产值分别为150亿元、250亿元。", "supported"),
    ("北区、南区年产值分别为250亿元、150亿元。", "contradicted"),
    ("北区、南区年产值依次为二百五十亿元和一百五十亿元。", "contradicted"),
    # a 及 inside an item of a 、 list ("新能源及智能电网、新材料、生物医药"), the claim without 分别
    ("新材料产业增速达到15.6%，新能源及智能电网产业增速达到33.1%。", "contradicted"),
    ("新能源及智能电网产业增速达到15.6%，新材料产业增速达到33.1%。", "supported"),
])
def test_swapped_pairs_either_order(added, claim, gold):
    v = check_claim(added, claim)
    assert v.verdict == gold, v.explanation
    _assert_traced(v, added)
    if gold == "contradicted":
        # the real values are in the explanation and in the cited span
        assert v.source_value and any(v.source_value in c.quote for c in v.citations)
        assert v.source_value in v.explanation


@pytest.mark.parametrize("claim,gold", [
    ("人均预期寿命增长到78.2岁。", "supported"),
    ("人均预期寿命增长到七十八点二岁。", "supported"),
    ("人均预期寿命增长到七十九点二岁。", "contradicted"),
    ("过去一年，城镇新增就业12.3万人。", "supported"),
    ("全市常住人口达到10.4亿人。", "contradicted"),
    ("全市地区生产总值增长百分之七点八。", "supported"),
    ("今年全市地区生产总值增长百分之六左右。", "supported"),
    ("至2025年，全市建成区四成以上面积达到海绵城市建设要求。", "supported"),  # 四成 == 40%
    ("至2025年，全市建成区五成以上面积达到海绵城市建设要求。", "contradicted"),
])
def test_chinese_numeral_claims_on_added_document(added, claim, gold):
    v = check_claim(added, claim)
    assert v.verdict == gold, v.explanation
    _assert_traced(v, added)


def test_a_place_the_documents_title_is_about_opens_a_claim_as_its_subject():
    """"闵行提出，…" of a 闵行区 document: the dictionary does not know 闵行, the title does."""
    from assistant.claims import _subject_place

    text = "闵行区城市更新规划\n至2030年，全区建成区80%以上面积达到海绵城市建设目标要求。"
    assert _subject_place("闵行提出", text, ("闵行",))
    assert not _subject_place("闵行提出", text)
    assert not _subject_place("松江提出", text, ("闵行",))


def test_a_claim_that_names_the_wrong_proposer_is_contradicted(settings, tmp_path):
    """The paragraph has two bodies each propose something; a claim that gives the goal of one to
    the other is contradicted, with the body the sentence names (not "supported" because the
    claimed body's "提出" stands in the same paragraph, nor "not found")."""
    from assistant.claims import check_claim
    from assistant.evaluation import temporary_assistant

    (tmp_path / "city-speech.txt").write_text(
        "在全市干部大会上的讲话\n一、认清形势\n市第八次党代会提出，我市要确保全省第二方阵“排头兵”地位，奋力向第一方阵进发；"
        "市委八届三次全会提出，坚持对标提标、加快赶超，使我市综合实力早日重回全国“30强”。\n", encoding="utf-8")
    with temporary_assistant([], settings.model_copy(update={"docs_dir": tmp_path})) as a:
        wrong = check_claim(a, "使我市综合实力早日重回全国“30强”，是市第八次党代会提出的目标。")
        right = check_claim(a, "市委八届三次全会提出，要使我市综合实力早日重回全国“30强”。")
    assert wrong.verdict == "contradicted" and wrong.source_value == "市委八届三次全会"
    assert "市委八届三次全会提出" in wrong.citations[0].quote
    assert right.verdict == "supported"


def test_a_claim_that_abbreviates_the_source_is_supported_and_a_changed_word_is_not(settings, tmp_path):
    """Chinese shortens a phrase to the first character of each word (医保费 for 医疗保险费, 应缴 for
    应当缴纳): said so, the claim states what the article states; another word is still no match."""
    from assistant.claims import _abbreviated, check_claim
    from assistant.evaluation import temporary_assistant

    window = "失业人员应当缴纳的基本医疗保险费从失业保险基金中支付，个人不缴纳基本医疗保险费。"
    claim = "应缴的医保费由失业保险基金支付"
    assert {claim[k] for k in _abbreviated(claim, window, set())} >= set("应缴医保费")
    assert not _abbreviated("应缴的养老费", window, set()) & {3, 4}  # 养老 shortens nothing here
    (tmp_path / "medical-regulation.txt").write_text(
        "某市医疗保障条例\n第一章 总则\n第一条 为了规范医疗保障，制定本条例。\n第二章 医疗保障体系\n"
        "第十五条 失业人员在领取失业保险金期间，参加职工基本医疗保险。失业人员应当缴纳的基本医疗保险费从失业保险基金中"
        "支付，个人不缴纳基本医疗保险费。\n", encoding="utf-8")
    with temporary_assistant([], settings.model_copy(update={"docs_dir": tmp_path})) as a:
        short = check_claim(a, "条例规定，失业人员应缴的医保费由失业保险基金支付。")
        other = check_claim(a, "条例规定，失业人员应缴的基本养老保险费由失业保险基金支付。")
    assert short.verdict == "supported"
    assert other.verdict == "contradicted"
