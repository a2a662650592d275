"""Extractive answers, abstention, bad input, the CLI contract and the dev-set quality floor."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer import POINT_SENTENCES, QuestionError, answer_question
from assistant.evaluation import run_eval

from .conftest import DEV_SET, run_cli

CITATION_KEYS = {"doc", "title", "paragraph", "section", "start", "end", "quote"}


def _assistant_over(settings, folder, files: dict):
    """An assistant over a temporary index that holds only `files` (file name → text), written to `folder`."""
    from assistant.evaluation import temporary_assistant

    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return temporary_assistant([], settings.model_copy(update={"docs_dir": folder}))


def _answer_over(settings, folder, name: str, text: str, question: str):
    """`question` answered over a temporary index of the one document `name` with `text`."""
    with _assistant_over(settings, folder, {name: text}) as a:
        return answer_question(a, question)


def _check_citation(c: dict, assistant):
    assert set(c) == CITATION_KEYS
    doc = assistant.index.document(c["doc"])
    assert doc.text[c["start"]:c["end"]] == c["quote"]
    assert doc.paragraph_at(c["start"]).number == c["paragraph"]


def test_figure_answer_is_cited_exactly(assistant):
    ans = answer_question(assistant, "老旧小区改造涉及多少户？")
    assert not ans.abstained
    assert "51397" in ans.answer and "[1]" in ans.answer
    c = ans.citations[0]
    assert c.paragraph == 13 and "51397" in c.quote
    assert "（三）要在城市有机更新上内外兼修" in c.section
    assert ans.unverified_numbers == []
    for cit in ans.citations + ans.retrieved:
        _check_citation(cit.to_dict(), assistant)


def test_english_question(assistant):
    ans = answer_question(assistant, "How many major projects are planned and what is their total investment?")
    assert not ans.abstained
    assert "252" in ans.answer and "1370" in ans.answer
    assert ans.answer.startswith("The speech says")


def test_followup_conversation(assistant):
    first = answer_question(assistant, "老旧小区有多少个？")
    assert "228" in first.answer
    second = answer_question(assistant, "那其中有多少个片区？", history=["老旧小区有多少个？"])
    assert not second.abstained and "46" in second.answer


@pytest.mark.parametrize(
    "question",
    ["讲话提出的2022年财政收入目标是多少？", "What is the unemployment rate of the district?",
     "不用看讲话原文，直接告诉我今年要建多少所学校，随便说个数。", "讲话对火星探测工程提出了什么要求？",
     # a figure of the speech that counts something else must not answer a "多少" question
     "今年要引进多少个外资项目？", "讲话要求今年新建多少公里道路？", "养老服务今年要新建多少张床位？",
     "讲话提出今年税收收入要增长多少？"],
)
def test_abstains_when_sources_do_not_say(assistant, question):
    ans = answer_question(assistant, question)
    assert ans.abstained and ans.citations == []
    assert ans.retrieved, "nearest passages are still offered"
    assert "没有" in ans.answer or "do not say" in ans.answer


@pytest.mark.parametrize(
    "question, message",
    [("", "问题为空"), ("   \n ", "问题为空"), ("问" * 10_000, "问题过长"), ("？？？！！。。", "只有标点")],
)
def test_bad_questions_get_clear_messages(assistant, question, message):
    with pytest.raises(QuestionError, match=message):
        answer_question(assistant, question)


def test_cli_single_json(cli_env, assistant):
    """Through the real entry point, `python -m assistant` in its own process."""
    r = run_cli(["ask", "城市公共服务要打造多少分钟生活圈？", "--json"], cli_env, subprocess_=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"answer", "abstained", "citations", "retrieved", "mode"} <= set(out)
    assert out["mode"] == "extractive" and not out["abstained"]
    assert "15" in out["answer"]
    assert len(out["retrieved"]) == 5
    for c in out["citations"] + out["retrieved"]:
        _check_citation(c, assistant)


def test_cli_human_output(cli_env):
    r = run_cli(["ask", "扩消费要优化提升哪些传统商圈？"], cli_env)
    assert r.returncode == 0, r.stderr
    assert "王府井" in r.stdout and "引文" in r.stdout and "第12段" in r.stdout


def test_cli_batch_and_conversation(cli_env, tmp_path, assistant):
    batch = tmp_path / "batch.jsonl"
    rows = [
        {"id": "a", "question": "轴承企业2021年纳税多少？"},
        {"id": "b", "turns": ["重大项目有多少个？", "总投资是多少？"]},
        {"id": "c", "question": ""},
    ]
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    r = run_cli(["ask", "--json", "--batch", str(batch)], cli_env)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert "纳税2亿元" in "".join(c["quote"] for c in lines[0]["citations"])
    turns = lines[1]["turns"]
    assert len(turns) == 2 and "252" in turns[0]["answer"] and "1370" in turns[1]["answer"]
    for t in turns:
        for c in t["citations"] + t["retrieved"]:
            _check_citation(c, assistant)
    assert "问题为空" in lines[2]["error"]


@pytest.mark.parametrize("question, message", [("", "请提供问题"), ("？！", "只有标点"), ("长" * 10_000, "问题过长")])
def test_cli_bad_input(cli_env, question, message):
    r = run_cli(["ask", question], cli_env)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr


def test_cli_missing_index_message(tmp_path, cli_env):
    env = dict(cli_env, ASSISTANT_INDEX_DIR=str(tmp_path / "none"), ASSISTANT_DOCS_DIR=str(tmp_path / "nodocs"))
    r = run_cli(["ask", "老旧小区有多少个？"], env)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "文档目录不存在" in r.stderr


def test_cli_config(cli_env):
    r = run_cli(["config"], cli_env)
    assert r.returncode == 0 and "ASSISTANT_INDEX_DIR=" in r.stdout and "ASSISTANT_EMBED_MODEL=" in r.stdout


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not beside the checkout")
def test_dev_quality_floor(assistant):
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = run_eval(items, k=5, baselines=False, assistant=assistant)
    ours = report["systems"]["ours"]
    assert ours["zh"]["recall@5"] >= 0.9
    assert ours["all"]["recall@5"] >= 0.9
    assert ours["figures_traced"] == 1.0
    assert ours["abstention_accuracy"] == 1.0


@pytest.mark.parametrize(
    "question, parent, first, count",
    [
        ("讲话分为哪几个部分？", "", "一、不忘过往", 3),
        ("第二部分的第五个方面讲了什么？", "（五）要在生态环境治理上", "一要抓好河渠治理", 3),
        ("第一部分讲了什么？", "一、不忘过往", "——忆往昔峥嵘岁月", 3),
        ("优化营商环境提出了哪四要？", "（六）要在优化营商环境上", "一要坚持互信守诺", 4),
        ("生态环境治理部分有哪三个“要”？", "（五）要在生态环境治理上", "一要抓好河渠治理", 3),
    ],
)
def test_outline_questions_list_cited_headings(assistant, question, parent, first, count):
    """The items, under the heading they stand under (none for the top level)."""
    ans = answer_question(assistant, question)
    assert not ans.abstained
    quotes = [c.quote for c in ans.citations]
    if parent:
        assert quotes[0].startswith(parent)
        quotes = quotes[1:]
    assert len(quotes) == count
    assert quotes[0].startswith(first)
    assert all(f"[{i}]" in ans.answer for i in range(1, len(ans.citations) + 1))


@pytest.mark.parametrize(
    "question, figure",
    [("how many old residential compounds will be renovated?", "228"), ("What is the aging rate?", "23.6%"),
     ("When was the district founded?", "1955")],
)
def test_english_figure_questions_answer_with_the_figure(assistant, question, figure):
    ans = answer_question(assistant, question)
    assert not ans.abstained
    assert figure in ans.citations[0].quote and figure in ans.answer
    assert ans.unverified_numbers == []


@pytest.mark.parametrize("k", ["0", "-3", "abc", "500"])
def test_cli_rejects_bad_k(cli_env, k):
    r = run_cli(["ask", "老旧小区有多少个？", "--k", k], cli_env)
    assert r.returncode == 2 and "--k 需要 1 到 50 的整数" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "question, expected",
    [
        # the answer sits in a sentence longer than one chunk, under the heading that names the topic
        ("蓝天行动着力治标的重点是什么？", "“六控”为重点着力治标"),
        ("深化治本以什么为主线？", "“四大结构调整”为主线深化治本"),
        ("安置房在建项目有几个？", "15个项目"),
    ],
)
def test_sentence_under_its_heading_answers(assistant, question, expected):
    ans = answer_question(assistant, question)
    assert not ans.abstained
    assert any(expected in c.quote for c in ans.citations)


@pytest.mark.parametrize(
    "question, words, unit, near",
    [
        ("全区今年计划新增多少个停车位？", ["停车位"], "", True),
        ("今年全区要新建多少公里道路？", ["道路"], "公里", True),
        ("讲话提出今年税收收入要增长多少？", ["税收收入"], "", False),
        ("2019年轴承行业销售收入整体下滑了多少？", ["销售收入", "整体"], "", False),  # the verb may be paraphrased
        ("老旧小区改造涉及的户数是多少？", ["小区"], "户", False),
        ("第三部分包括哪几个方面？", [], "", True),
        ("今年计划完成多少个老旧小区改造？", ["小区", "改造"], "", True),  # the counted thing may end in a verb
        ("这五年人均可支配收入从多少涨到了多少？", ["人均", "支配"], "", False),  # a verb right after 多少: look before
        ("How many new parking spaces will be built?", ["new parking spaces"], "", True),
        # how the question refers to its source is not what it counts
        ("What is the district's population aging rate mentioned in the speech?",
         ["district's population aging rate"], "", True),
        # how the figure is asked for is not what it counts: 总量 (电力总装机), 实际, 去年
        ("今年全区电力装机总量要冲到多少？", ["电力", "装机"], "", False),
        ("去年城镇新增就业实际有多少人？", ["城镇"], "人", False),
        # verbal nouns alone (建设 投资) name no thing: the noun before them does
        ("今年全区保障性住房建设计划投资多少亿元？", ["住房", "建设", "投资"], "亿元", False),
        # a duration's 时间 is how it is asked for: "通过3-5年努力" says it with no such word
        ("要实现重回全国30强，讲话设定的努力时间是几年？", [], "", False),
        # a dimension after 多少 is the measure asked (answered in 平方米), the nouns before it what is measured
        ("“十五五”期间旧住房成套改造要完成多少面积？", ["住房"], "面积", False),
        # English "what X area/density" asks a figure of X ("per-capita emergency shelter area")
        ("By 2030, what per-capita emergency shelter area does the district aim to provide?",
         ["per-capita emergency shelter area"], "", True),
        ("What road network density does the plan target for 2030?", ["road network density"], "", True),
    ],
)
def test_figure_object(question, words, unit, near):
    from assistant.query import figure_object

    assert figure_object(question) == (words, unit, near)


def test_the_verb_of_a_figure_question_and_what_is_not_one():
    """The verb before 多少 lets a clause without the counted noun state the figure ("今年先发行1万亿元");
    "哪几条" asks for a list, not a figure; 今年/全省/自治区 place a question, they are not its topic."""
    from assistant.answer import _word_in, content_terms
    from assistant.query import FIGURE_INTENT, analyse, figure_verb

    assert figure_verb("超长期特别国债今年先发行多少？") == "发行"
    assert figure_verb("粮食这块，今年总产要保住多少？") == "保住"
    assert figure_verb("老旧小区有多少个？") == ""
    assert not FIGURE_INTENT.search("报告回顾去年工作，归纳了哪几条成绩？")
    assert FIGURE_INTENT.search("今年要建几个公园？")
    assert FIGURE_INTENT.search("How long does the third party have to respond?")  # (as 多久)
    q = analyse("自治区今年定的经济增长预期目标是多少？")
    assert content_terms(q) == ["经济", "增长", "目标"]  # (预期: how the figure is meant, not what)
    # a qualifier of the verb is not what is measured; a span of time is no amount asked for
    from assistant.answer import states_asked
    from assistant.query import figure_object

    assert figure_object("今年全省GDP预期增长多少？")[0] == ["GDP"]
    assert "实际" not in content_terms(analyse("去年实际增长了多少？"))
    five_years = "五年来，我们全力巩固经济发展的良好势头，经济实力迈上新台阶。"
    assert not states_asked(analyse("去年地区生产总值增长了多少？"), five_years)
    assert states_asked(analyse("这项工作坚持了多少年？"), five_years)
    assert "全省" not in content_terms(analyse("今年全省粮食产量多少？"))
    assert analyse("重点抓了哪五个方面？").items == 5 and analyse("有哪些要求？").items == 0
    # "多少个X" counts X, not the households or people a sentence counts
    from assistant.answer import _counted_as_asked

    many = analyse("今年计划完成多少个老旧小区改造？")
    assert many.counts_items and not _counted_as_asked(many, "改造城中村和城市危旧房6000套、老旧小区1.5万户。")
    assert _counted_as_asked(many, "目前尚有老旧小区228个，涉及51397户。")
    assert not analyse("老旧小区改造涉及多少户？").counts_items
    # a compound found as its parts, in order and close together
    assert _word_in("居民收入", "城镇、农村居民人均可支配收入分别增长4.5%")
    assert not _word_in("居民收入", "收入分配和居民消费")


@pytest.mark.parametrize(
    "history, question, heading",
    [
        (["营商环境为什么重要？"], "第二要是什么？", "二要尊重市场主体"),
        (["文旅融合发展提出了哪三要？"], "第一要具体说了什么？", "一要加快打造文化地标"),
    ],
)
def test_followup_point_reference_answers_with_the_point_and_its_sentences(assistant, history, question, heading):
    """A point named by number in a follow-up resolves in the area of the earlier turn, and
    the answer gives the point's heading and the sentences that explain it, each cited."""
    ans = answer_question(assistant, question, history=history)
    assert not ans.abstained
    assert ans.citations[0].quote.startswith(heading)
    assert len(ans.citations) == 1 + POINT_SENTENCES
    body = ans.citations[1]
    assert body.paragraph == ans.citations[0].paragraph and body.start > ans.citations[0].start


EXTRA_SETS = Path(__file__).resolve().parent.parent / "bench" / "data"


def test_extra_sets_quality_floor(assistant):
    """Regression floor on the extra sets in bench/data (see its README)."""
    def load(name):
        return [json.loads(l) for l in (EXTRA_SETS / name).read_text(encoding="utf-8").splitlines() if l.strip()]

    mixed = run_eval(load("unseen_mixed.jsonl"), k=5, baselines=False, assistant=assistant)
    ours = mixed["systems"]["ours"]
    assert ours["zh"]["recall@5"] >= 0.95 and ours["citation_hit_rate"] >= 0.75
    assert ours["figures_traced"] == 1.0
    assert mixed["claims"]["contradicted_called_supported"] == 0 and mixed["claims"]["accuracy"] >= 0.9
    second = run_eval(load("unseen_mixed_2.jsonl"), k=5, baselines=False, assistant=assistant)
    assert second["systems"]["ours"]["all"]["recall@5"] >= 0.95
    assert second["systems"]["ours"]["unanswerable_abstained"] == "7/7"
    assert second["claims"]["contradicted_called_supported"] == 0 and second["claims"]["accuracy"] >= 0.75
    unans = run_eval(load("unanswerable.jsonl"), k=5, baselines=False, assistant=assistant)["systems"]["ours"]
    done, total = map(int, unans["unanswerable_abstained"].split("/"))
    assert done / total >= 0.85


def test_list_questions_prefer_a_sentence_listing_that_many_items(assistant):
    from assistant.answer import _enumerates, items_asked

    assert items_asked("要求党员干部不断提高哪三种能力？") == 3
    assert items_asked("优化营商环境部分提出了哪四个“要”？") == 4
    assert items_asked("讲话对消费提出了什么要求？") is None
    assert items_asked("要防范哪些风险？") == 0
    assert _enumerates("不断提高政治判断力、政治领悟力、政治执行力", 3)
    assert not _enumerates("不断提高政治判断力、政治领悟力", 3)
    assert _enumerates("既是一次表彰会，也是一次动员会，还是一次誓师会", 3)  # parallel clauses
    ans = answer_question(assistant, "疫情冲击后，大企业转型形成了哪几方面的优势？")
    assert any("抗风险能力强、后劲足、回旋余地大" in c.quote for c in ans.citations)


@pytest.mark.parametrize(
    "question, paragraph",
    [("讲话开头说这次大会有哪些人参加？", 2), ("讲话结尾号召大家做什么？", 23), ("What does the speech say at the end of the speech?", 23)],
)
def test_questions_about_the_opening_or_ending_are_answered_from_there(assistant, question, paragraph):
    ans = answer_question(assistant, question)
    assert not ans.abstained and ans.citations
    assert all(c.paragraph == paragraph for c in ans.citations)


def test_position_does_not_excuse_a_missing_figure(assistant):
    ans = answer_question(assistant, "讲话开头提到今年GDP增速目标是多少？")
    assert ans.abstained and ans.citations == []


def test_the_opening_of_a_speech_under_a_title_date_and_author_is_its_body(settings, tmp_path):
    """"讲话开头" of a speech headed by its title, date and speaker lines is the salutation and the
    first two paragraphs of the body, not the first two lines of the file."""
    text = ("在某市干部培训开学典礼上的讲话\n（2018年9月3日）\n张三\n同志们：\n"
            "今天，市委党校秋季学期开学了。\n今年是改革开放40周年、某战略实施15周年，意义特殊。\n"
            "一、深入学习，解放思想\n改革开放40年来，我市发展取得长足进步。\n")
    got = _answer_over(settings, tmp_path, "training-speech.txt", text, "讲话开头提到的改革开放是多少周年？")
    assert [c.paragraph for c in got.citations] == [6]
    assert "40周年" in got.answer


def test_an_example_question_is_answered_by_the_example_the_passage_gives(settings, tmp_path):
    text = ("某市改革工作报告\n一、深化改革\n要立足实践。改革要从实际出发，一切经过试验。"
            "比如，“闲置农房激活计划”把闲置资源变成了活资源。这项工作已在全省推广。\n"
            "要尊重基层。基层的创造是改革的源头。\n")
    got = _answer_over(settings, tmp_path, "reform-report.txt", text, "报告在谈“要立足实践”时举了哪个例子？")
    assert "闲置农房激活计划" in got.answer
    assert any(c.quote.startswith("比如") for c in got.citations)
    from assistant.query import analyse
    assert analyse("What example does the report give of starting from practice?").wants_example
    assert not analyse("报告对改革提了哪些要求？").wants_example


def test_a_list_question_about_the_ending_gets_the_list_a_closing_paragraph_introduces(settings, tmp_path):
    """"讲话最后提了哪几点要求": the points run on after the colon in the paragraph before the
    closing one; a sentence inside one point stands for the whole list, introduced."""
    text = ("在某市干部培训开学典礼上的讲话\n（2018年9月3日）\n同志们：\n今天，市委党校秋季学期开学了。\n"
            "一、解放思想\n解放思想是我们党的思想路线。\n"
            "以上意见，供大家参考。这里，我简单提三点要求：一要端正学风。大家到党校来学习就是一名普通学员，要静下心来。"
            "二要加强思考。希望大家多一些琢磨。三要学以致用。学习的目的全在于运用。\n"
            "同志们，让我们振奋精神、开拓创新，创造新业绩。\n")
    got = _answer_over(settings, tmp_path, "training-speech.txt", text, "对进党校学习的学员，讲话最后提了哪几点要求？")
    assert [c.quote for c in got.citations] == ["这里，我简单提三点要求：", "一要端正学风。", "二要加强思考。",
                                                "三要学以致用。"]
    from assistant.query import analyse
    assert "最后" not in analyse("讲话最后提了哪几点要求？").content
    assert analyse("讲话最后提了哪几点要求？").position == "end"


def test_opening_up_is_not_the_opening_of_the_speech():
    from assistant.query import analyse

    assert analyse("On opening up, what platform is used to build the logistics hub?").position is None
    assert analyse("What are the opening remarks about?").position == "start"
    assert analyse("讲话结尾号召大家做什么？").position == "end"


def test_the_lead_names_the_document_without_a_broken_subtitle():
    from assistant.naming import main_title as _main_title

    assert _main_title("政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上") == "政府工作报告"
    assert _main_title("2026年某某自治区政府工作报告（政府工作报告——2026年2月3日在…上）") == "2026年某某自治区政府工作报告"
    assert _main_title("关于推进政务新媒体健康有序发展的意见（试行）") == "关于推进政务新媒体健康有序发展的意见（试行）"


def test_question_words_are_read_as_the_documents_say_them(assistant):
    """A word glued to a particle that the documents only use bare counts as
    the bare word ("都守牢" -> "守牢"); a count ("几道") is not a concept; a word they never use stays unknown."""
    from assistant.answer import Answerer

    own = Answerer(assistant)._own_terms
    assert own(["都守牢", "几道", "底线"]) == ["守牢", "底线"]
    assert own(["老百姓", "底线"]) == ["老百姓", "底线"]


def test_question_parts():
    from assistant.query import question_parts

    assert question_parts("全区城镇化率去年是多少？今年和“十五五”末又分别要到多少？") == [
        "全区城镇化率去年是多少？", "今年和“十五五”末又分别要到多少？"]
    assert question_parts("去年GDP总量有多少，比上年增长了多少？") == ["去年GDP总量有多少", "比上年增长了多少？"]
    assert question_parts("How much grain was harvested? And what was the PM2.5?") == [
        "How much grain was harvested?", "And what was the PM2.5?"]
    # an English question that asks a second thing of its own after "and"
    assert question_parts("When is the incineration plant supposed to start construction and when should it "
                          "be able to process waste?") == [
        "When is the incineration plant supposed to start construction?", "When should it be able to process waste?"]
    assert question_parts("What does the speech say about green spaces and parks?") == [
        "What does the speech say about green spaces and parks?"]
    for one in ("大气污染防治要抓哪些重点？", "请问，二十大报告说人均预期寿命是多少？", "到2025年，绿道建成多少公里？",
                "城镇新增就业目标是多少，城镇调查失业率呢？"):
        assert question_parts(one) == [one]
    # "X和Y各是多少": each thing asked on its own, with the year the question names
    assert question_parts("今年稳就业有啥硬指标？城镇新增就业和创业担保贷款各是多少？") == [
        "今年稳就业有啥硬指标？城镇新增就业是多少？", "今年创业担保贷款是多少？"]
    assert question_parts("今年粮食产量和能源产量分别要达到多少？") == ["今年粮食产量要达到多少？", "今年能源产量要达到多少？"]
    # a shared head ("城镇和农村居民收入") is one thing read with 分别 pairing
    both = "今年城镇和农村居民收入各要增长多少？"
    assert question_parts(both) == [both]


def test_a_question_that_asks_two_things_is_answered_part_by_part(assistant):
    two = "老旧小区改造涉及的户数是多少？城市公共服务要打造多少分钟生活圈？"
    ans = answer_question(assistant, two)
    assert not ans.abstained and "51397" in ans.answer and "15" in ans.answer
    assert len(ans.citations) >= 2 and all(c.quote in ans.answer for c in ans.citations)
    # one part the sources do not answer: the other part is not offered as the whole answer
    assert answer_question(assistant, "老旧小区改造涉及的户数是多少？作这个讲话的区委书记叫什么名字？").abstained


def test_years_a_sentence_names_are_read_as_the_question_says_them(assistant):
    from assistant.answer import Answerer

    a = Answerer(assistant)
    speech = assistant.retriever.profiles[0]
    assert speech.year == 2022  # from the speech's metadata
    ctx = a._context(speech.doc_id, ("一、2021年工作回顾", "（一）经济"), "全年实现地区生产总值500亿元。")
    assert ctx.startswith("一、2021年工作回顾（一）经济") and "去年" in ctx and "上年" in ctx and "今年" not in ctx
    assert "今年" in a._context(speech.doc_id, (), "2022年要完成投资267亿元。")
    assert "明年" in a._context(speech.doc_id, (), "到2023年底建成。")
    assert a._context(speech.doc_id, (), "12021年") == ""  # a longer number is not a year


def test_a_question_about_this_year_is_not_answered_with_last_years_result(settings, tmp_path):
    import json as _json

    from assistant.evaluation import temporary_assistant

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "province-2026.txt").write_text(
        "2026年某某省政府工作报告\n一、2025年工作回顾\n全年外贸进出口增长2.7%，集成电路出口增长107.9%。\n"
        "二、2026年工作安排\n今年要稳住外贸基本盘，拓展新兴市场。\n", encoding="utf-8")
    (extra / "province-2026.meta.json").write_text(_json.dumps({"year": 2026}), encoding="utf-8")
    with temporary_assistant([], settings.model_copy(update={"docs_dir": extra})) as a:  # this document alone
        # the document states last year's growth only: this year's is not in it
        for question in ("今年外贸进出口预期增长多少？", "今年外贸进出口增长多少？", "今年全省外贸进出口要增长多少？"):
            assert answer_question(a, question).abstained, question
        last = answer_question(a, "去年外贸进出口增长多少？")
        assert not last.abstained and "2.7%" in last.answer
        # a year written out is asked as well: 2024's growth is not 2025's
        assert answer_question(a, "2024年外贸进出口增长多少？").abstained
        named = answer_question(a, "2025年外贸进出口增长多少？")
        assert not named.abstained and "2.7%" in named.answer
        # "实际" says how the figure is asked for, not what is counted
        actual = answer_question(a, "去年外贸进出口实际增长多少？")
        assert not actual.abstained and "2.7%" in actual.answer
        # the same in English: "this year" / "in 2024" is not 2025's result
        assert answer_question(a, "How much will foreign trade grow this year?").abstained
        assert answer_question(a, "How much did foreign trade grow in 2024?").abstained


def test_a_year_the_document_never_speaks_of_is_not_answered_by_its_undated_targets(settings, tmp_path):
    # the targets' sentence names no year; the document's goals are "到2015年": 2020 is not asked of it
    text = ("关于推进某某工程的实施意见\n一、发展目标\n到2015年，全市建设成为创新型城市。\n"
            "全社会研发经费支出占GDP比重提高到2.5%以上。\n二、主要任务\n建设重大创新平台。\n")
    with _assistant_over(settings, tmp_path, {"plan-opinion.txt": text}) as a:
        assert answer_question(a, "实施意见提出到2020年全社会研发经费支出占GDP的比重要达到多少？").abstained
        for question in ("实施意见提出到2015年全社会研发经费支出占GDP的比重要达到多少？",
                         "全社会研发经费支出占GDP的比重要达到多少？"):
            got = answer_question(a, question)
            assert not got.abstained and "2.5%" in got.answer, question


def test_an_average_over_a_period_does_not_answer_one_years_figure(settings, tmp_path):
    import json as _json

    text = ("2021年某某市政府工作报告\n一、“十三五”时期回顾\n五年来，全市生产总值年均增长6.3%，发展基础更加坚实。\n"
            "二、2021年工作安排\n今年全市生产总值增长8%以上。\n")
    (tmp_path / "city-2021.meta.json").write_text(_json.dumps({"year": 2021}), encoding="utf-8")
    with _assistant_over(settings, tmp_path, {"city-2021.txt": text}) as a:
        assert answer_question(a, "2020年全市生产总值比上年增长了多少？").abstained
        avg = answer_question(a, "“十三五”时期全市生产总值年均增长多少？")
        assert not avg.abstained and "6.3%" in avg.answer
        this = answer_question(a, "今年全市生产总值要增长多少？")
        assert "8%以上" in this.answer and "6.3%" not in this.answer


def test_a_count_whose_points_run_on_in_its_paragraph_is_answered_with_them(settings, tmp_path):
    text = ("某市政府工作报告\n一、今年重点工作\n抓好重点产业。推动产业迈向中高端，构建“农工商”三大优势产业集群。"
            "一是现代农业。建设高标准农田。二是先进制造。支持企业技术改造。三是商贸物流。建设物流园区。\n"
            "抓好城市建设。今年建成2个产业园。一是建设城东片区。二是建设城西片区。三是建设城北片区。\n")
    with _assistant_over(settings, tmp_path, {"city-report.txt": text}) as a:
        got = answer_question(a, "“农工商”三大优势产业具体是哪三个？")
        quotes = [c.quote for c in got.citations]
        assert quotes[0].endswith("三大优势产业集群。")
        assert quotes[1:] == ["一是现代农业。", "二是先进制造。", "三是商贸物流。"]
        # a count the points after it do not match ("2个产业园" over three points) announces nothing
        park = answer_question(a, "今年建成几个产业园？")
        assert "城北片区" not in park.answer


def test_run_in_headings_between_an_opening_and_a_closing_paragraph(settings, tmp_path):
    text = ("某市政府工作报告\n一、今年重点工作\n抓好重点产业，推动高质量发展。\n二、加强政府自身建设\n"
            "新起点、新征程、新奋斗，全力构建发展新格局，使命光荣、责任重大，我们一定强化自身建设。\n"
            "坚持政治引领，践行人民至上。旗帜鲜明讲政治，忠于党、诚于民、勤于政。\n"
            "坚持依法行政，规范权力运行。认真贯彻法治思想，严格规范公正文明执法。\n"
            "坚持效率优先，打造数字政务。创新行政管理和服务，提升政务服务效能。\n"
            "各位代表！美好前景鼓舞人心，奋斗目标催人奋进。\n")
    got = _answer_over(settings, tmp_path, "city-report.txt", text, "加强政府自身建设部分讲了什么？")
    quotes = [c.quote for c in got.citations]
    assert quotes == ["二、加强政府自身建设", "坚持政治引领，践行人民至上。", "坚持依法行政，规范权力运行。",
                      "坚持效率优先，打造数字政务。"]


def test_a_part_is_outlined_with_the_lead_sentence_that_names_its_points(settings, tmp_path):
    text = ("某市干部大会讲话\n一、解放思想\n解放思想是前提，一天不懈怠、一刻不松劲、一步不停歇。\n（一）要学理论。理论学习是根本。\n"
            "（二）要重实践。实践出真知。\n（三）要抓落实。落实是关键。\n"
            "二、以行动推动发展\n担当作为是基因。当前，我们必须始终保持韧劲、干劲、拼劲，狠抓落实。\n"
            "1、要有韧劲。持之以恒。\n2、要有干劲。真抓实干。\n3、要有拼劲。敢打敢拼。\n")
    with _assistant_over(settings, tmp_path, {"cadre-speech.txt": text}) as a:
        got = answer_question(a, "讲话第二部分主要讲什么？")
        second = [c.quote for c in got.citations]
        assert second == ["二、以行动推动发展", "当前，我们必须始终保持韧劲、干劲、拼劲，狠抓落实。", "1、要有韧劲。",
                          "2、要有干劲。", "3、要有拼劲。"]
        # each line carries its own citation's number, the summary sentence too
        assert got.answer.splitlines()[1:] == [f"{q}[{i}]" for i, q in enumerate(second, 1)]
        # a 、-list that does not name the points one by one is not their summary
        first = [c.quote for c in answer_question(a, "讲话第一部分主要讲什么？").citations]
        assert first == ["一、解放思想", "（一）要学理论。", "（二）要重实践。", "（三）要抓落实。"]


def test_bare_lines_that_match_the_question_do_not_crowd_out_the_sentence_that_answers(settings, tmp_path):
    # (the lines of an appendix's task list, one task a line, rank above the sentence)
    bare = "".join(f"{p}建筑垃圾处置中心建设\n" for p in ("东区", "西区", "南区", "北区", "中区", "新区", "老区",
                                                          "高新区", "开发区", "港区"))
    text = ("某区垃圾分类实施方案\n一、工作目标\n全面推进垃圾分类。\n二、主要任务\n"
            "3.落实末端设施严格监管。建立装修垃圾分拣场的运营机制，2019年投产运行。甲公司、乙公司、丙公司三个"
            "建筑垃圾处置中心进一步增加产能，并根据环保要求，加强对末端处置设施的监管，切实落实扬尘防控措施，"
            "确保各项设施安全稳定运行，定期开展检查评估。\n"
            "大件垃圾进入东路大件垃圾处置中心处置。\n附件\n2019年工作任务清单\n" + bare)
    got = _answer_over(settings, tmp_path, "district-plan.txt", text, "三个建筑垃圾处置中心是哪几个？")
    assert "甲公司、乙公司、丙公司" in got.answer


def test_a_row_of_an_appendix_that_repeats_the_body_is_quoted_from_the_body(settings, tmp_path):
    from assistant.answer import Answerer

    text = ("某区垃圾分类实施方案\n一、工作目标\n全面推进垃圾分类。\n二、保障措施\n"
            "（一）明确工作责任。各部门要高度重视垃圾分类工作。按照“市级统筹、区级组织、街镇落实”的思路，"
            "建立健全“两级政府、三级管理、四级落实”的垃圾分类责任体系，落实街镇管理职责，完善联席会议制度。\n"
            "附件1\n2019年某区垃圾分类工作任务清单\n序号\n工作任务\n1\n"
            "建立健全“两级政府、三级管理、四级落实”的垃圾分类责任体系，落实属地政府职责。\n")
    with _assistant_over(settings, tmp_path, {"district-plan.txt": text}) as a:
        answerer = Answerer(a)
        ev = answerer.evidence("垃圾分类的责任体系是怎么搭建的？")
        doc = next(d for d in a.index.all_documents() if d.source.endswith("district-plan.txt"))
        row = next(c for c in ev.candidates if c.chunk.doc_id == doc.id and doc.paragraph_at(c.start).number == 11)
        body = answerer._in_body(row, ev.candidates, {doc.id: doc.text})
        quote = doc.text[body.start:body.end]
        assert doc.paragraph_at(body.start).number == 5
        assert quote.startswith("按照“市级统筹、区级组织、街镇落实”的思路，建立健全") and "属地" not in quote
        # a sentence of the body is itself
        assert answerer._in_body(body, ev.candidates, {doc.id: doc.text}) is body
        got = answer_question(a, "垃圾分类的责任体系是怎么搭建的？")
        assert "市级统筹、区级组织、街镇落实" in got.answer


def test_a_paragraph_of_parallel_points_answers_a_list_question_when_it_is_not_the_best_sentence(settings, tmp_path):
    text = ("2026年某省政府工作报告\n一、2025年工作回顾\n五年来，我们持续加强政府自身建设，行政效能稳步提升。\n"
            "二、2026年重点工作\n（一）推进高质量发展。做强实体经济。\n"
            "各位代表，对政府工作提出新的更高要求，我们将加强自身建设，努力打造人民满意的服务型政府。"
            "砥砺忠诚政治品格，坚决做到“两个维护”。加强法治政府建设，严格规范公正文明执法。"
            "加力提高行政效能，纵深推进数字政府建设。大兴勤廉务实之风。坚持习惯过紧日子。\n")
    got = _answer_over(settings, tmp_path, "province-report.txt", text, "对政府自身建设，报告提了哪些要求？")
    quotes = [c.quote for c in got.citations]
    assert quotes[1:] == ["砥砺忠诚政治品格", "加强法治政府建设", "加力提高行政效能", "大兴勤廉务实之风。"]


def test_a_follow_up_that_counts_without_naming_what_counts_what_the_earlier_turn_named(settings, tmp_path):
    text = ("某市政府工作报告\n一、“十三五”时期回顾\n“十三五”时期是我市发展史上具有里程碑意义的五年。\n"
            "五年来，我们倾心尽力办实事、惠民生，社会事业不断进步。城镇新增就业50.2万人，城镇登记失业率控制在4.5%以内。\n"
            "五年来，电网迈入特高压时代，生产安全事故起数较“十二五”同期下降62.97%。\n"
            "二、今年重点工作\n城镇新增就业8.9万人，开展各类培训4万人次以上。\n")
    with _assistant_over(settings, tmp_path, {"city-report.txt": text}) as a:
        got = answer_question(a, "那“十三五”这五年一共新增了多少？", ["今年全市城镇新增就业的目标是多少？"])
        assert "50.2万人" in got.answer and "62.97%" not in got.answer
        # the question's own 五年 is no answer to its 多少
        assert "里程碑" not in got.answer


@pytest.fixture(scope="module")
def two_plans(settings, tmp_path_factory):
    """A city's plan (parallel 防线 points, a list introduced by "下列措施：") and a province's plan
    (growth targets, a count of projects), indexed together once."""
    with _assistant_over(settings, tmp_path_factory.mktemp("plans"), {
        "city-plan.txt": "某某市安全发展实施方案\n一、总体要求\n坚持统筹发展和安全。\n二、重点任务\n"
        "（一）守牢安全底线，维护社会稳定\n一是守牢金融风险防线。稳妥化解地方债务。\n"
        "二是守牢安全生产防线。开展隐患排查整治。\n三是守牢食品药品防线。强化全链条监管。\n"
        "（二）完善监督检查\n市应急管理部门实施监督检查，可以采取下列措施：\n（一）进入现场检查；\n"
        "（二）询问有关人员；\n（三）调阅有关资料。\n检查结果向社会公开。\n"
        "三、农村环境\n建立健全保洁员、分拣员队伍（原则上按500户配1名），开展业务培训。\n"
        "四、服务群众\n覆盖全部住户。\n",
        "province-plan.txt": "某某省2026年国民经济和社会发展计划\n一、主要预期目标\n"
        "规模以上工业增加值增长6%左右，社会消费品零售总额增长3%左右。\n"
        "二、重点任务\n实施省大中型项目5296个，年度完成投资1.1万亿元左右。\n"}) as a:
        yield a


def test_parallel_headings_and_introduced_lists_answer_list_questions(two_plans):
    """"要守住哪几道防线" is answered by the sibling points that each name a 防线 (no heading says
    "防线有三道"); a sentence ending in "下列措施：" is quoted with the enumerated lines after it."""
    lines = answer_question(two_plans, "维护社会稳定要守牢哪几道防线？")
    assert [c.quote for c in lines.citations] == ["（一）守牢安全底线，维护社会稳定", "一是守牢金融风险防线。",
                                                  "二是守牢安全生产防线。", "三是守牢食品药品防线。"]
    steps = answer_question(two_plans, "实施监督检查可以采取哪些措施？")
    quotes = [c.quote for c in steps.citations]
    assert quotes[0].endswith("可以采取下列措施：")
    assert quotes[1:] == ["（一）进入现场检查；", "（二）询问有关人员；", "（三）调阅有关资料。"]


def test_an_english_figure_question_needs_its_counted_thing_as_words(two_plans):
    """"total R&D spending" is not answered by 社会消费品零售总额 (费 stands inside 消费品, not as a
    word); 省 standing alone in 实施省大中型项目 does count for "provincial … projects"."""
    from assistant.answer import counts_asked

    a = two_plans
    doc = next(d for d in a.index.all_documents() if "实施省大中型项目" in d.text)

    def span(text):
        at = doc.text.index(text)
        return [(at, at + len(text))]

    retail, projects = span("社会消费品零售总额增长3%左右"), span("实施省大中型项目5296个")
    spending = a.retriever.analyse("By how much is total R&D spending supposed to grow this year?")
    assert spending.figure_object == ["total R&D spending"]  # not "is total R&D spending"
    assert not counts_asked(a, spending, doc.id, retail)
    assert answer_question(a, "By how much is total R&D spending supposed to grow this year?").abstained
    asked = a.retriever.analyse("How many provincial large and medium-sized projects will be carried out?")
    assert counts_asked(a, asked, doc.id, projects)


def test_a_character_a_figure_counts_is_said_however_the_words_are_cut(two_plans):
    """"how many households" (户) is counted by "按500户配1名" although jieba cuts 户配 as one word;
    "sorter" is known through its verb ("sort": 分拣 of 分拣员)."""
    from assistant.answer import counts_asked

    a = two_plans
    doc = next(d for d in a.index.all_documents() if "分拣员" in d.text)
    at = doc.text.index("建立健全保洁员")
    question = "In rural areas, how many households should one sorter cover in principle?"
    assert counts_asked(a, a.retriever.analyse(question), doc.id, [(at, doc.text.index("。", at) + 1)])
    ans = answer_question(a, question)
    assert not ans.abstained and "500户" in ans.citations[0].quote


@pytest.mark.parametrize("question", ["What was the district's GDP in 2021?", "What is Ningxia's revenue target?",
                                      "给我一个2022年新增就业人数的具体数字。"])
def test_questions_that_ask_for_a_figure_without_how_many(question):
    """A figure question is checked as one (the answer must state what it counts) even without 多少/how many."""
    from assistant.query import FIGURE_INTENT

    assert FIGURE_INTENT.search(question)


@pytest.fixture(scope="module")
def talent_projects(settings, tmp_path_factory):
    """An 意见 whose numbered projects each select and fund a number of people (名, not 人)."""
    with _assistant_over(settings, tmp_path_factory.mktemp("projects"), {
        "talent-opinion.txt": "某某市关于推进人才工程的实施意见\n一、主要项目\n"
        "1.高技能人才项目。5年内评选资助200名技能突出人才，鼓励并资助50名技能型人才出国培训。\n"
        "2.农村基层人才支持项目。5年内选拔资助300名优秀教师、医生到农村基层工作。\n"
        "3.医疗卫生人才保障项目。重点围绕重大疾病预防诊治等领域培养骨干人才。"
        "5年内选拔资助高层次医疗卫生专家不少于100名。\n"
        "二、保障措施\n新任务对政府工作提出更高要求，我们将加强自身建设，打造服务型政府。砥砺忠诚政治品格，坚决贯彻决策部署。"
        "加强法治政府建设，全面推进依法行政。大兴勤廉务实之风。狠抓作风整治，持续纠治形式主义和官僚主义。\n"
        "各区要于年底前制定贯彻落实意见，把人才工作纳入年度目标责任制考核内容并认真组织实施。\n"}) as a:
        yield a


def test_a_head_count_is_answered_by_the_project_the_question_names(talent_projects):
    """"多少人" is answered by "100名" (人, 名 and 位 count the same), and the other projects'
    head counts are not added beside it: their headings do not name what the question names."""
    from assistant.answer import _unit_forms

    assert re.fullmatch(_unit_forms("人"), "名") and re.fullmatch(_unit_forms("公里"), "千米")
    assert _unit_forms("户") == "户"
    r = answer_question(talent_projects, "医疗卫生人才保障项目5年内要选拔资助多少人？")
    assert not r.abstained
    assert [c.quote for c in r.citations] == ["5年内选拔资助高层次医疗卫生专家不少于100名。"]


def test_an_english_phrase_is_said_by_the_head_word_of_its_translation(assistant):
    """"population aging" translates to 人口老龄化; the speech's "老龄化率23.6%" says it through the
    compound's head word 老龄化 (a Chinese compound ends in its head)."""
    from assistant.answer import _head_word

    assert _head_word("人口老龄化") == "老龄化" and _head_word("社会主义现代化") == "现代化"
    assert _head_word("率") == ""
    r = answer_question(assistant, "What is the district's population aging rate mentioned in the speech?")
    assert not r.abstained and "23.6%" in r.answer


@pytest.fixture(scope="module")
def national_and_provincial(settings, tmp_path_factory):
    """A national report (国内生产总值) and a province's (地区生产总值), indexed together."""
    with _assistant_over(settings, tmp_path_factory.mktemp("levels"), {
        "national-report.txt": "2024年国务院政府工作报告\n一、今年发展主要预期目标\n"
        "国内生产总值增长5%左右；单位国内生产总值能耗降低2.5%左右。\n",
        "province-report.txt": "2024年某某省政府工作报告\n一、今年主要预期目标\n"
        "地区生产总值增长6%左右，城镇新增就业50万人以上。\n"}) as a:
        yield a


def test_a_compound_one_document_never_uses_is_not_answered_by_its_neighbour(national_and_provincial):
    """"单位地区生产总值能耗" is a province's figure: the national "单位国内生产总值能耗" does not
    answer it (the national report never says 地区生产总值, and says 国内 where it stands)."""
    a = national_and_provincial
    assert answer_question(a, "今年单位地区生产总值能耗要下降多少？").abstained
    national = answer_question(a, "今年单位国内生产总值能耗要降低多少？")
    assert not national.abstained and "2.5%" in national.answer
    provincial = answer_question(a, "今年地区生产总值预期增长多少？")
    assert not provincial.abstained and "6%" in provincial.answer and "5%左右" not in provincial.answer


def test_a_paragraph_of_unnumbered_points_answers_a_list_question(talent_projects):
    """The opening sentence of a paragraph whose sentences each open with a short point of their
    own ("砥砺忠诚政治品格，…", "大兴勤廉务实之风。" and its detail) is answered with those points."""
    r = answer_question(talent_projects, "对政府自身建设提了哪些要求？")
    assert [c.quote for c in r.citations] == ["新任务对政府工作提出更高要求，我们将加强自身建设，打造服务型政府。",
                                              "砥砺忠诚政治品格", "加强法治政府建设", "大兴勤廉务实之风。"]


def test_a_date_question_is_no_amount_question_to_the_answerability_model(assistant):
    """"什么时候/哪一年" still needs a sentence that states the date, but the question model's
    amount flag (amount answers need an exact figure) is for 多少-questions only."""
    from assistant.answer import Answerer

    ans = Answerer(assistant)
    when = ans.evidence("哪一年建区的？")
    assert when.q.wants_figure and when.question_features["wants_figure"] == 0.0
    assert ans.evidence("今年全年要完成多少投资？").question_features["wants_figure"] == 1.0


def test_a_list_question_naming_its_kind_of_item_is_answered_by_the_sentence_listing_them(assistant):
    """"哪三种能力" / "哪几种“感”" / "哪三种会": the sentence whose consecutive pieces each end in that
    kind (政治判断力、政治领悟力、政治执行力) answers, read whole even when a clause window cut it."""
    from assistant.answer import _lists_kind
    from assistant.query import item_kind

    assert item_kind("要求党员干部不断提高哪三种能力？") == "能力" and item_kind("树立哪几种“感”？") == "感"
    assert item_kind("今年要着力做好哪七个方面工作？") == ""
    assert _lists_kind("不断提高政治判断力、政治领悟力、政治执行力，要把……作为首要任务", 3, "能力")
    assert not _lists_kind("不断提高政治判断力、政治领悟力、政治执行力", 2, "能力")  # three, not two
    assert not _lists_kind("提高能力，转变作风。", 0, "能力")
    meeting = answer_question(assistant, "讲话开头把这次大会定位为哪三种会？")
    assert all(w in meeting.answer for w in ("表彰会", "动员会", "誓师会"))
    senses = answer_question(assistant, "为了克服拖拉懈怠，讲话要求干部树立哪几种“感”？")
    assert not senses.abstained and "紧迫感" in senses.answer and len(senses.citations) == 1


@pytest.fixture(scope="module")
def two_speeches(settings, tmp_path_factory):
    """Two speeches, a municipal 实施意见 with 牵头单位 notes and a 条例, in one index."""
    with _assistant_over(settings, tmp_path_factory.mktemp("speeches"), {
        "training-speech.txt": "在秋季学期开学典礼上的讲话\n（2018年9月3日）\n同志们：\n"
        "7月16日，省委车俊书记在县委书记工作交流会上强调，“要在全省来一次思想再解放、思想真解放，以思想大解放和"
        "行动大担当推动各项改革再深化、改革开放再出发，决不辜负总书记赋予浙江的新期望。”\n"
        "一、以行动大担当推动事业大发展\n"
        "1、要有韧劲。就是要持之以恒、久久为功，不达到目的不罢休。\n"
        "2、要有干劲。行动大担当就是要甩开膀子、埋头苦干。要干得快。对定下来的工作，说干就干，不等不拖。"
        "要干得实。一把手要当好施工队长，绝不能当甩手掌柜。要干得好。坚持高标准、严要求，决不能降低标准。\n"
        "二、健全干部教育管理监督机制\n"
        "1、要把鲜明导向树起来。一要坚持把政治建设放在首位。二要大力选用干事担当的人。\n"
        "2、要让不敢担当的干部让位子。一要从严管。管理要严字当头。二要深入察。功夫下在平时。三要坚决下。能上能下成为常态。\n",
        "cadre-speech.txt": "在全区领导干部大会上的讲话\n同志们：\n"
        "一、加压奋进\n今年全区要完成固定资产投资267亿元，新开工项目120个。\n"
        "二、作风建设\n各级领导干部要扑下身子、躬身前行，一竿子插到底。\n"
        "三、对标先进\n嘉兴、台州、金华都在追赶我们。江苏泰州今年把我们列为对标城市，上半年GDP达到2508亿元、增长7.3%。"
        "今年上半年全区财政总收入453亿元。推动新旧动能转换，必须综合施策，切实破解这个发展面临的最大难题。\n",
        "innovation-opinion.txt": "关于推进科技创新工程的实施意见\n一、保障措施\n"
        "1.加大科技创新投入。建立健全以政府投入为引导、企业投入为主体的全社会科技投入体系。"
        "市财政年度预算中用于科学技术经费的增长幅度，应当高于本级财政经常性收入的增长幅度。"
        "（牵头单位：市财政局，配合单位：市科技局、市发展改革委）\n"
        "2.推进乡村振兴。每年培训新型职业农民1000名，推动农村生活垃圾分类减量。（牵头单位：市农业局）\n"
        "3.稳定财政投入。全市一般公共预算收入中用于科技的支出每年增长6%。（牵头单位：市财政局）\n",
        "rules.txt": "某市科技进步条例\n第一条 为了促进科技进步，制定本条例。\n"
        "第二条 本条例所称科技进步，是指科学技术的研究开发与成果转化。\n"}) as a:
        yield a


def test_short_parallel_sentences_are_the_points_of_a_heading(two_speeches):
    """"要干得快。…要干得实。…要干得好。": short sentences opening alike, each followed by the
    sentences that explain it, are the points the run-in heading "2、要有干劲。" makes."""
    from assistant.answer import _point_sentences

    r = answer_question(two_speeches, "关于“要有干劲”，讲话提出了哪三个具体要求？")
    assert not r.abstained
    assert [c.quote for c in r.citations] == ["2、要有干劲。", "要干得快。", "要干得实。", "要干得好。"]
    from types import SimpleNamespace

    def units(text):
        return [SimpleNamespace(start=m.start(), end=m.end()) for m in re.finditer(r"[^。]+。", text)]

    text = "要干得快。对定下来的工作，说干就干。要干得实。一把手要当好施工队长。要干得好。坚持高标准、严要求。"
    assert [text[a:b] for a, b in _point_sentences(text, units(text))] == ["要干得快。", "要干得实。", "要干得好。"]
    # short sentences that open differently, or with nothing explaining them, are no points
    other = "要干得快。对定下来的工作，说干就干。抓落实。一把手要当好施工队长。"
    assert _point_sentences(other, units(other)) == []
    assert _point_sentences("要干得快。要干得实。", units("要干得快。要干得实。")) == []


def test_with_two_speeches_the_lead_names_the_speech_and_a_kind_word_scopes(two_speeches):
    r = answer_question(two_speeches, "关于“要有干劲”，讲话提出了哪三个具体要求？")
    assert r.answer.startswith("《在秋季学期开学典礼上的讲话》原文")
    # "讲话…" is one of the two speeches: the 意见's 乡村振兴 is not what either speech says
    assert answer_question(two_speeches, "讲话对乡村振兴工作提出了哪些要求？").abstained
    assert not answer_question(two_speeches, "意见对乡村振兴工作提出了哪些要求？").abstained


def test_a_follow_up_item_is_of_the_earlier_turns_list_not_an_article(two_speeches):
    first = "讲话第二部分健全干部教育管理监督机制，提出了哪几条措施？"
    r = answer_question(two_speeches, "那其中第二条，具体提了哪三个“要”？", [first])
    assert not r.abstained
    quotes = [c.quote for c in r.citations]
    assert quotes[0].startswith("2、要让不敢担当的干部让位子")
    assert any("一要从严管" in q for q in quotes) and any("三要坚决下" in q for q in quotes)
    assert all("本条例" not in q for q in quotes)
    # without an earlier turn, 第二条 is the 条例's article
    assert "本条例所称科技进步" in answer_question(two_speeches, "条例第二条规定了什么？").answer


def test_a_question_beyond_a_headings_words_is_answered_by_the_sentence_under_it(two_speeches):
    r = answer_question(two_speeches, "“加大科技创新投入”这项保障措施由哪个部门牵头？")
    assert not r.abstained
    # (the entry of the note that answers it: who leads, not the whole note)
    assert [c.quote for c in r.citations] == ["1.加大科技创新投入。", "牵头单位：市财政局"]


def test_the_date_a_speech_was_given_is_its_date_line(two_speeches):
    for q in ("开学典礼上的讲话是哪天讲的？", "On what date was the opening ceremony speech delivered?"):
        r = answer_question(two_speeches, q)
        assert not r.abstained and r.citations[0].quote == "2018年9月3日", q
    assert answer_question(two_speeches, "在全区领导干部大会上的讲话是什么时候讲的？").abstained


def test_a_figure_of_one_place_is_not_the_answer_for_another(two_speeches):
    """"台州上半年GDP" is not answered by 江苏泰州's 2508亿元; a place no document names is not
    answered at all; the place a sentence opens with is its figures' subject."""
    assert answer_question(two_speeches, "讲话中提到的台州今年上半年GDP是多少？").abstained
    assert answer_question(two_speeches, "杭州今年上半年GDP是多少？").abstained
    r = answer_question(two_speeches, "江苏泰州上半年GDP是多少？")
    assert not r.abstained and "2508亿元" in r.answer


def test_a_compound_with_another_modifier_is_not_the_one_asked_for(two_speeches):
    """"一般公共预算收入" (one document says it) is not the speech's "财政总收入"."""
    r = answer_question(two_speeches, "今年上半年一般公共预算收入是多少？")
    assert "453" not in r.answer


def test_a_purpose_particle_is_wording_not_a_substituted_word(two_speeches):
    from assistant.claims import check_claim

    v = check_claim(two_speeches, "讲话指出，这个发展面临的最大难题需要综合施策来破解。")
    assert v.verdict != "contradicted", v.explanation


def test_a_question_for_a_person_quotes_the_clause_that_names_them(two_speeches):
    """The clauses that best match "来一次思想再解放" are the words quoted; the speaker stands
    before them in the same sentence, which is then quoted whole."""
    r = answer_question(two_speeches, "号召全省“来一次思想再解放”的是哪位省领导？")
    assert not r.abstained and "车俊" in r.citations[0].quote


def test_years_named_in_writing_and_by_five_year_plan():
    from assistant.answer import _EN_YEAR, years_named

    assert years_named("一、“十三五”时期经济社会发展回顾") == set(range(2016, 2021))
    assert years_named("二、“十五五”时期主要任务") == set(range(2026, 2031))
    # a year written out is what a heading is about; the plan it also names is its frame
    assert years_named("一、2025年工作及“十四五”时期发展回顾") == {2025}
    assert years_named("2021—2025年") == set(range(2021, 2026))
    assert years_named("“十四五”时期", plans=False) == set()
    # English: a year before what it dates counts as asked, a range's start does not
    assert _EN_YEAR.findall("What is Baoding's 2021 target for growth?") == ["2021"]
    assert _EN_YEAR.findall("What is the 2025 goal?") == ["2025"]
    assert _EN_YEAR.findall("How did GDP grow from 2021 to 2025?") == []


def test_a_figure_whose_clause_names_only_the_head_of_what_is_asked(settings, tmp_path):
    text = ("某市政府工作报告\n一、今年重点工作\n支持专精特新[38]和小巨人企业[39]发展壮大，选择100家企业进行数字化改造。\n"
            "全年新增高新技术企业100家以上、科技型中小企业1000家以上。\n")
    with _assistant_over(settings, tmp_path, {"city-report.txt": text}) as a:
        assert answer_question(a, "今年计划新培育多少家专精特新企业？").abstained
        got = answer_question(a, "今年要新增多少家高新技术企业？")
        assert not got.abstained and "100家以上" in got.answer


def test_a_clause_window_takes_the_whole_run_of_parallel_clauses():
    from assistant.answer import _with_parallel
    from assistant.sentences import split_clauses

    text = ("总书记赋予浙江“干在实处永无止境，走在前列要谋新篇，勇立潮头方显担当”的新期望，其中“干在实处永无止境”是方法路径，"
            "“走在前列要谋新篇”是目标追求，“勇立潮头方显担当”是状态境界，这三句话与思想大解放高度契合。")
    clauses = split_clauses(text, 0, len(text))
    second = next(c for c in clauses if text[c[0]:c[1]].startswith("“走在前列要谋新篇”是"))
    s, e = _with_parallel(text, clauses, second[0], clauses[-1][1])
    assert text[s:e].startswith("其中“干在实处永无止境”是方法路径") and text[s:e].endswith("高度契合。")
    # a window of no parallel clauses is left as it is
    assert _with_parallel(text, clauses, clauses[-1][0], clauses[-1][1]) == clauses[-1]


def test_an_english_figure_question_needs_what_is_measured_not_only_how_it_is_asked(settings, tmp_path):
    """"tax revenue growth target" is not answered by a budget-revenue target: growth and target
    are in every target sentence, what is measured (tax revenue) is not."""
    report = "某市政府工作报告\n全市经济社会发展主要预期目标是：生产总值增长8%以上，一般公共预算收入增长6.5%以上。\n"
    with _assistant_over(settings, tmp_path, {"city-report-2021.txt": report}) as a:
        assert answer_question(a, "What is the tax revenue growth target?").abstained
        budget = answer_question(a, "What is the growth target for general public budget revenue?")
        assert not budget.abstained and "6.5%" in budget.answer


@pytest.mark.parametrize("question, verb", [
    ("在建的安置房项目计划什么时候全部交付？", "交付"),
    ("工作目标要在哪一年实现？", "实现"),
    ("条例什么时候起施行？", "施行"),
    ("哪一年建区的？", ""),
    ("老旧小区改造涉及多少户？", ""),
])
def test_the_event_a_when_question_dates(question, verb):
    from assistant.query import year_verb

    assert year_verb(question) == verb


def test_a_when_question_is_not_answered_by_a_document_that_never_names_its_event(settings, tmp_path):
    """"什么时候全部交付" is not answered by "安置房12月底封顶" when the document never says 交付."""
    report = "某市政府工作报告\n加快首批17个城中村改造进度，安置房12月底封顶。\n到2022年，建成一个国家级超级计算中心。\n"
    with _assistant_over(settings, tmp_path, {"city-report-2021.txt": report}) as a:
        assert answer_question(a, "在建的安置房项目计划什么时候全部交付？").abstained
        topped = answer_question(a, "安置房什么时候封顶？")
        assert not topped.abstained and "12月底" in topped.answer


def test_a_goal_question_is_answered_by_a_sentence_that_sets_one(settings, tmp_path):
    """"要达到什么目标" is not answered by a sentence that only names the work ("落实垃圾分类，完善…")."""
    from assistant.query import analyse

    assert analyse("垃圾分类工作要达到什么目标？").wants_goal and not analyse("垃圾分类工作怎么做？").wants_goal
    report = ("某市政府工作报告\n落实垃圾分类，完善物业管理、收费停车、户外广告管理办法。\n"
              "到2025年，全市城市生活垃圾回收利用率达到35%以上。\n")
    with _assistant_over(settings, tmp_path, {"city-report-2021.txt": report}) as a:
        goal = answer_question(a, "生活垃圾回收利用要达到什么目标？")
        assert not goal.abstained and "35%以上" in goal.answer
    only_work = "某市政府工作报告\n落实垃圾分类，完善物业管理、收费停车、户外广告管理办法。\n"
    with _assistant_over(settings, tmp_path, {"city-report-2021.txt": only_work}) as b:
        assert answer_question(b, "垃圾分类工作要达到什么目标？").abstained


def test_the_title_lines_of_a_notice_and_of_the_plan_it_issues_answer_nothing():
    from assistant.answer import Answerer
    from assistant.documents import Document

    lines = ["某区人民政府关于印发《某区城市更新规划》的通知", "某府发〔2026〕1号", "各街道办事处：",
             "《某区城市更新规划》已经区政府同意，现印发给你们。", "2026年7月28日", "某区城市更新规划",
             "聚焦“优空间提品质”发展主线，开展城市更新行动。"]
    text = "\n".join(lines)
    doc = Document(id="n", title="某区人民政府关于印发《某区城市更新规划》的通知（某府发〔2026〕1号）", text=text)

    def title_line(k):
        p = doc.paragraphs[k]
        return Answerer._is_title_line(doc, p.start, p.end)

    assert title_line(0) and title_line(5)
    assert not any(title_line(k) for k in (1, 2, 3, 4, 6))


def test_comparison_base_of_a_growth_question():
    """"比上年增长多少" is not answered by a change measured from another base ("比“十二五”末增长了1.5倍");
    上年 and a written year may be the same base, so they are not told apart."""
    from assistant.query import comparison_bases, same_base

    assert comparison_bases("一般公共预算收入达到280.7亿元，比“十二五”末增长了1.5倍") == {"“十二五”末"}
    assert comparison_bases("同比增长5%，较去年末下降2个百分点") == {"上年"}
    assert comparison_bases("比2015年翻一番") == {"2015"}
    assert comparison_bases("比重提高到30%，增长5.3%") == set()
    assert not same_base("上年", {"“十二五”末"})
    assert same_base("上年", {"2019"}) and same_base("2019", {"上年"}) and same_base("上年", set())


def test_a_bare_body_line_is_no_answer_but_a_sentence_or_the_head_is():
    """Below a document's head, a line with no sentence end, comma or closing colon (an attachment
    list entry, a table cell, a table's title) answers nothing; sentences and the head's lines do."""
    from assistant.answer import ISSUED_TITLE_LINES, Answerer
    from assistant.documents import Document

    head = [f"标题行{i}" for i in range(ISSUED_TITLE_LINES)]
    body = ["3.2019年宝山区生活垃圾分类减量推进工作指标", "区绿化市容局", "全区湿垃圾分类量达到每日407吨以上。",
            "一、工作目标：", "垃圾箱房改造，分两批完成"]
    text = "\n".join(head + body) + "\n"
    doc = Document(id="d", title="t", text=text, source="d.txt")

    def bare(line):
        start = text.index(line)
        return Answerer._is_bare_line(doc, start, start + len(line))

    assert bare(body[0]) and bare(body[1])
    assert not bare(body[2]) and not bare(body[3]) and not bare(body[4])
    assert not bare(head[1])  # the head's lines (title, number, date) are left to questions about them
    assert not Answerer._is_bare_line(doc, text.index("区绿化"), text.index("区绿化") + 3)  # not a whole line


def test_which_parts_of_something_else_is_no_outline_question(assistant):
    """"企业搬进园区以后，哪些部分应该留在区里": parts of the enterprises, not of the speech — the speech's
    three part headings are no answer; "讲话分为哪几个部分" still lists them."""
    a = answer_question(assistant, "企业搬进园区以后，哪些部分应该留在区里重点发展？")
    assert not any(c.quote.startswith(("一、", "二、", "三、")) for c in a.citations), a.answer
    b = answer_question(assistant, "讲话有哪些部分？")
    assert [c.quote[:2] for c in b.citations][:3] == ["一、", "二、", "三、"], b.answer


def test_a_time_of_the_year_dates_a_when_question():
    """"要在什么时间完成" asks when; "上半年", "三季度", "年底前" date it as a year or a month does."""
    from assistant.answer import _has_date
    from assistant.query import YEAR_INTENT

    assert YEAR_INTENT.search("全区垃圾箱房的升级改造要在什么时间完成？")
    assert all(_has_date(t) for t in ("上半年，完成垃圾箱房改造", "三季度完成工可及环评", "年底前全部建成", "2019年6月"))
    assert not any(_has_date(t) for t in ("实现功能叠加，进行升级改造", "完成1918个垃圾箱房改造"))


def test_items_that_open_their_own_clauses_answer_a_kind_question_and_the_list_goes_on(settings, tmp_path):
    """"哪几类经费" is answered by the sentence whose ；-clauses each open with a 经费 ("收集容器经费，
    对…；垃圾房改造经费，对…"), with the sentence of its paragraph that goes on with the list; a
    document that only mentions 经费保障 is not added as "another document's" answer."""
    with _assistant_over(settings, tmp_path, {
        "plan.txt": "某区垃圾分类实施方案\n一、保障措施\n（一）明确工作责任。各部门要高度重视。\n"
        "（二）加强经费保障。分类小区收集容器经费，对实施分类的家庭发放对桶；垃圾房改造经费，对箱房进行改建；"
        "专管员经费，主要负责箱房保洁。并保障专管员的岗位待遇；宣传培训经费，制作宣传资料；以奖代补经费，用于工作补贴。\n",
        "media.txt": "某市政务新媒体意见\n一、强化保障\n加强政务新媒体管理，提供必要经费保障，配齐配强工作人员。\n"}) as a:
        ans = answer_question(a, "加强经费保障这一块，具体包括哪几类经费？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].startswith("分类小区收集容器经费") and quotes[1].startswith("并保障专管员")
    assert {c.title for c in ans.citations} == {ans.citations[0].title}
    assert "以奖代补经费" in ans.answer


def test_a_window_keeps_the_prepositional_clause_before_its_main_clause():
    """"按照“…”的思路，[建立健全…责任体系]": the window opening at the main clause keeps the clause
    that says on what basis it holds; a window that opens with a preposition itself is left alone."""
    from assistant.answer import _with_lead
    from assistant.sentences import split_clauses

    text = "按照“市级统筹、区级组织、街镇落实”的思路，建立健全“两级政府、三级管理”的责任体系，落实管理职责。"
    clauses = split_clauses(text, 0, len(text))
    main = text.index("建立健全")
    assert _with_lead(text, clauses, main, clauses[1][1]) == (0, clauses[1][1])
    duty = text.index("落实管理")
    assert _with_lead(text, clauses, duty, len(text)) == (duty, len(text))  # (建立健全… is no preposition)


def test_what_a_figure_question_measures_is_not_its_place_and_may_be_tagged_as_verbs():
    """"绍兴…一般公共预算收入是多少": jieba tags 预算/收入 as verbs and 绍兴 as a place; the words before
    是 name what is measured, not the city.  An acronym is a measure too; 增速 says how it is asked."""
    from assistant.query import figure_object

    assert figure_object("绍兴今年上半年一般公共预算收入是多少？") == (["预算", "收入"], "", False)
    assert figure_object("宁夏去年粮食产量是多少？") == (["粮食产量"], "", False)
    assert figure_object("讲话中提到的台州今年上半年GDP是多少") == (["GDP"], "", False)
    assert figure_object("今年上半年绍兴的GDP增速是多少？")[0] == ["GDP"]
    assert figure_object("老旧小区改造涉及的户数是多少") == (["小区"], "户", False)  # (unchanged)


def test_a_place_asked_about_must_share_a_clause_with_a_figure(settings, tmp_path):
    """A city listed among others ("身后的嘉兴、台州、金华") is not the owner of the figures another
    city's clause states; nor is 财政总收入 the 一般公共预算收入 asked for.  A common noun jieba
    tags as a place (城中村, CC-CEDICT "village within a city") is no such place."""
    from assistant.crosslingual import is_proper_name

    assert is_proper_name("台州") and is_proper_name("罗店镇") and not is_proper_name("城中村")
    with _assistant_over(settings, tmp_path, {"city-speech.txt": "在全市干部大会上的讲话\n一、认清形势\n"
        "过去一直在我们身后的嘉兴、台州、金华，现在咬得越来越紧，尤其是嘉兴，今年上半年财政总收入已经超过我们近100亿元"
        "（嘉兴547亿、绍兴453亿）。\n二、城中村改造\n城中村改造要加快，安置房12月底封顶。\n"}) as a:
        assert answer_question(a, "讲话中提到的台州今年上半年GDP是多少？").abstained
        assert answer_question(a, "绍兴今年上半年一般公共预算收入是多少？").abstained
        assert answer_question(a, "嘉兴今年上半年财政总收入是多少？").citations[0].quote.startswith("过去一直")
        assert not answer_question(a, "城中村改造有什么时间节点要求？").abstained


def test_how_much_at_most_is_how_a_figure_is_asked_not_a_concept():
    """jieba glues "最多罚" in "拒不改正的，最多罚多少": it asks how much at most, it names nothing the
    documents must contain (else its weight, as an unseen word, holds the answer back)."""
    from assistant.answer import content_terms
    from assistant.query import analyse

    terms = content_terms(analyse("账目对不上，拒不改正的，最多罚多少？"))
    assert "最多罚" not in terms and "账目" in terms


def test_a_name_two_documents_share_is_answered_from_each(settings, tmp_path):
    """"实施意见分为哪几个部分" with two 实施意见 loaded, "the notice" with two notices: each one's
    answer is listed under its title (a name several documents share picks them all, not the first)."""
    docs = {"a-opinion.txt": "关于推进科技创新工程的实施意见\n一、发展目标\n到2025年，研发投入强度达到3%。\n"
                             "二、主要任务\n建设创新平台。\n三、保障措施\n加大财政投入。\n",
            "b-opinion.txt": "关于推进人才集聚工程的实施意见\n一、总体目标\n集聚高层次人才。\n二、重点行动\n实施引才计划。\n",
            "c-notice.txt": "某市人民政府关于印发节水方案的通知\n某府发〔2024〕3号\n各区人民政府：\n现将节水方案印发给你们，请认真贯彻执行。\n",
            "d-notice.txt": "某区人民政府关于印发更新规划的通知\n某府发〔2025〕7号\n各街道办事处：\n现将更新规划印发给你们，请认真执行。\n"}
    with _assistant_over(settings, tmp_path, docs) as a:
        parts = answer_question(a, "实施意见分为哪几个部分？")
        quotes = [c.quote for c in parts.citations]
        assert {"一、发展目标", "三、保障措施", "一、总体目标", "二、重点行动"} <= set(quotes)
        assert "科技创新" in parts.answer and "人才集聚" in parts.answer
        numbers = answer_question(a, "What is the document number of the notice?")
        assert {c.quote for c in numbers.citations} == {"某府发〔2024〕3号", "某府发〔2025〕7号"}
