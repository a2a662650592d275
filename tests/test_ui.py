"""The web page without a browser: HTML of answers and cards, the bind/auth rule, feedback, tabs.

Real components throughout: answers come from the session index (conftest), the
documents are real :class:`~assistant.documents.Document` objects.
"""
from __future__ import annotations

import json
import re
import threading

import pytest

from assistant import render
from assistant.answer import Answer, QuestionError
from assistant.chain import stream_answer
from assistant.citations import cite
from assistant.config import Settings
from assistant.documents import Document, content_hash
from assistant.labels import LABELS, examples, text
from assistant.ui import append_feedback, check_bind, document_rows, feature, is_loopback, parse_auth, section_choices, serve

from .conftest import run_cli

SECTION = "二、加压奋进、攻坚争先，在新时代**建设中阔步前行、书写辉煌 › （五）要在生态环境治理上干在实处 › 二要抓好大气污染防治"


def _doc(text: str, title: str = "测试文档") -> Document:
    return Document(id=content_hash(text), title=title, text=text, source="t.txt")


def _final(assistant, question, history=()):
    items = list(stream_answer(assistant, question, history=history, k=5))
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    return items[-1]


# --- labels -----------------------------------------------------------------------------
def test_every_label_has_chinese_and_english():
    for key, entry in LABELS.items():
        assert entry.get("zh"), key
        assert entry.get("en"), key
    assert text("tab_chat") == "问答" and text("tab_chat", "en") == "Ask"
    assert text("paragraph", n=13) == "第13段"
    assert "老旧小区改造涉及多少户？" in examples()


# --- escaping and section paths ----------------------------------------------------------
def test_esc_neutralises_html_and_markdown():
    out = render.esc('<script>alert("x")</script> **粗体** [1](javascript:x) $$a$$')
    assert "<" not in out and ">" not in out and "*" not in out and "[" not in out and "$" not in out
    assert "&lt;script&gt;" in out and "&#42;&#42;粗体&#42;&#42;" in out


def test_short_section_shortens_part_labels():
    # the part heading keeps its words up to a clause boundary: "二、…" says nothing
    assert render.short_section(SECTION) == "二、加压奋进、攻坚争先… › （五）要在生态环境治理上干在实处 › 二要抓好大气污染防治"
    assert render.short_label("短标题") == "短标题"
    long = "一二三四五六七八九十" * 4
    assert render.short_label(long, 10) == long[:9] + "…"
    assert render.short_section("") == ""


# --- citation cards -----------------------------------------------------------------------
def test_citation_card_marks_span_inside_its_paragraph():
    text_ = "标题\n第一句话。目前尚有老旧小区228个，涉及51397户。后面还有一句。\n第三段。"
    doc = _doc(text_)
    s = text_.index("目前")
    e = text_.index("。后面") + 1
    c = cite(doc, s, e, "一、总体 › （一）分项")
    html = render.citation_card(c, 2, lambda _id: doc, turn=7)
    assert 'id="cite-7-2"' in html
    assert "第2段" in html and "《测试文档》" in html and "[2]" in html
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    assert marks and all(m == "目前尚有老旧小区228个，涉及51397户。" for m in marks)
    assert "<details" in html and "第一句话。" in html and "后面还有一句。" in html  # the whole paragraph
    assert 'title="一、总体 › （一）分项"' in html


def test_card_without_document_shows_the_quote_alone():
    doc = _doc("只有一段话，里面有数字12个。")
    c = cite(doc, 0, 5)
    html = render.citation_card(c, 1, None)
    assert "<mark>只有一段话</mark>" in html and "<details" not in html


def test_document_text_cannot_inject_markup():
    evil = '<img src=x onerror="alert(1)">恶意**文本**<script>x()</script>'
    doc = _doc("第一段\n" + evil + "结束。", title="<b>标题</b>")
    s = doc.text.index("<img")
    c = cite(doc, s, s + len(evil), "<i>节</i>")
    html = render.citation_card(c, 1, lambda _id: doc)
    assert "<img" not in html and "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img" in html and "&lt;b&gt;标题&lt;/b&gt;" in html
    ans = Answer(question="q", answer=evil + "[1]", abstained=False, citations=[c], retrieved=[])
    out = render.answer_html(ans, lambda _id: doc)
    assert "<img" not in out and "<script" not in out and 'href="#cite-0-1"' in out


def test_link_markers_only_for_existing_citations():
    out = render.link_markers("甲[1]\n乙[2]丙[9]", 2, turn=3)
    assert out.count('class="cite-ref"') == 2
    assert 'href="#cite-3-1"' in out and 'href="#cite-3-2"' in out
    assert "&#91;9&#93;" in out and "<br>" in out


# --- answers from the real index ----------------------------------------------------------
def test_answer_html_of_a_real_answer(assistant):
    ans = _final(assistant, "老旧小区改造涉及多少户？")
    assert not ans.abstained and ans.citations
    html = render.answer_html(ans, assistant.index.document, turn=1)
    assert "51397" in html and "第13段" in html
    assert re.search(r"<mark>[^<]*涉及51397户[^<]*</mark>", html)
    assert html.count('class="cite-card"') == len(ans.citations)
    for i in range(1, len(ans.citations) + 1):
        assert f'href="#cite-1-{i}"' in html and f'id="cite-1-{i}"' in html
    assert "**" not in html  # the speech's redaction marks are escaped, never Markdown
    plain = render.plain_answer(ans)
    assert "51397" in plain and "第13段" in plain and "<" not in plain


def test_abstention_shows_related_passages_not_citations(assistant):
    ans = _final(assistant, "讲话提出的财政收入目标是多少？")
    assert ans.abstained
    html = render.answer_html(ans, assistant.index.document, turn=2)
    assert "资料未提及" in html or "没有找到" in html
    assert "相关段落" in html and "cite-card" not in html and "<mark>" not in html
    assert html.count('class="related-item"') == min(3, len(ans.retrieved))


def test_warnings_are_shown():
    ans = Answer(question="q", answer="文字", abstained=False, citations=[], retrieved=[],
                 unverified_numbers=["52.3亿元"], flags=["引文不一致"], notice="已改用原文摘录回答。")
    html = render.answer_html(ans)
    assert "52.3亿元" in html and "未能在引文中核实" in html and "引文不一致" in html and "已改用原文摘录回答" in html
    assert html.count("ans-warn") == 3


def test_followup_context_is_shown(assistant):
    first = _final(assistant, "重大项目总投资多少？")
    follow = _final(assistant, "有多少个？", history=[first.question])
    assert "252" in follow.answer
    assert "结合上文理解为" in render.answer_html(follow, assistant.index.document)


def test_a_new_topic_is_not_shown_as_understood_with_the_earlier_question(assistant):
    first = _final(assistant, "夜经济怎么发展？")
    other = _final(assistant, "老旧小区改造涉及多少户？", history=[first.question])
    assert "结合上文理解为" not in render.answer_html(other, assistant.index.document)
    assert render.leans_on_context("那其中有多少个片区？") and render.leans_on_context("第三要是什么？")
    assert not render.leans_on_context("老旧小区改造涉及多少户？")


def test_question_language_and_markup():
    from assistant.ui import answerable_text, feedback_value, notes_file_stem, question_lang

    assert question_lang("<img src=x onerror=alert(1)>老旧小区有多少个？") == "zh"
    assert question_lang("How many major projects are planned?") == "en"
    assert answerable_text("<img src=x onerror=alert(1)>老旧小区有多少个？") == "老旧小区有多少个？"
    assert [feedback_value(v) for v in (True, False, "", None)] == [True, False, None, None]
    assert notes_file_stem("在全区领导干部大会上的讲话", None) == "学习笔记-在全区领导干部大会上的讲话-全文"


def test_over_long_question_is_a_clear_message(assistant):
    with pytest.raises(QuestionError) as err:
        list(stream_answer(assistant, "问" * (assistant.settings.max_question_chars + 1)))
    html = render.message_html(text("question_error", error=str(err.value)))
    assert "问题过长" in html and "2000" in html and "Traceback" not in html


# --- verdicts and documents ----------------------------------------------------------------
def test_verdict_badges_and_values():
    from dataclasses import dataclass, field

    @dataclass
    class V:  # the fields of claims.Verdict (the tab renders any object with them)
        claim: str
        verdict: str
        claimed_value: str
        source_value: str
        citations: list = field(default_factory=list)
        explanation: str = ""

    doc = _doc("讲话说：涉及51397户。")
    c = cite(doc, doc.text.index("涉及"), len(doc.text))
    bad = render.verdict_html(V("涉及51396户", "contradicted", "51396户", "51397户", [c], "数字不符"), lambda _i: doc)
    assert 'badge-bad' in bad and "与原文不符" in bad and "51396户" in bad and "51397户" in bad
    assert "<mark>涉及51397户。</mark>" in bad
    assert "badge-ok" in render.verdict_badge("supported") and "与原文一致" in render.verdict_badge("supported")
    assert "原文未提及" in render.verdict_html(V("<b>x</b>", "not_found", "", ""))
    assert "<b>x</b>" not in render.verdict_html(V("<b>x</b>", "not_found", "", ""))
    exact = render.verdict_html(V("涉及", "supported", None, None, [c]))  # an exact quote without figures
    assert "verdict-values" not in exact and "—" not in exact


def test_document_rows_from_the_index(assistant):
    rows, built_at = document_rows(assistant)
    speech = next(r for r in rows if r["source"].startswith("speech-2022"))
    assert speech["paragraphs"] == 23 and speech["chunks"] > 0 and speech["title"]
    assert built_at and re.match(r"\d{4}-\d{2}-\d{2}", built_at)
    html = render.documents_html(rows, built_at)
    assert "索引建立时间" in html and ">23<" in html and "段落数" in html
    assert "还没有文档" in render.documents_html([], "")


def test_section_choices_name_parts_and_areas(assistant):
    rows, _ = document_rows(assistant)
    speech = next(r for r in rows if r["source"].startswith("speech-2022"))
    values = [v for _label, v in section_choices(assistant, speech["id"])]
    assert values[:1] == ["一"] and "二（五）" in values and "三" in values


# --- the bind / auth rule ------------------------------------------------------------------
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host)
    assert check_bind(host, "") is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org", ""])
def test_public_host_without_credentials_refuses(host):
    assert not is_loopback(host)
    with pytest.raises(PermissionError) as err:
        check_bind(host, "")
    assert "拒绝" in str(err.value) and "ASSISTANT_AUTH" in str(err.value)


def test_public_host_with_credentials():
    assert check_bind("0.0.0.0", "admin:s3:cret") == ("admin", "s3:cret")
    assert parse_auth("") is None
    for bad in ("admin", ":pw", "admin:", " :x"):
        with pytest.raises(PermissionError):
            check_bind("0.0.0.0", bad)


def test_serve_refuses_before_binding(tmp_path):
    s = Settings(host="0.0.0.0", auth="", index_dir=tmp_path / "none", feedback_file=tmp_path / "f.jsonl")
    with pytest.raises(PermissionError, match="拒绝"):
        serve(settings=s)  # refuses before the index is opened or a port is bound
    assert not (tmp_path / "none").exists()


def test_cli_serve_public_host_exits_with_message(cli_env):
    env = {**cli_env, "ASSISTANT_AUTH": ""}
    r = run_cli(["serve", "--host", "0.0.0.0", "--port", "1"], env, timeout=120)
    assert r.returncode == 2
    assert "拒绝" in r.stderr and "ASSISTANT_AUTH" in r.stderr and "Traceback" not in r.stderr


# --- feedback ------------------------------------------------------------------------------
def test_feedback_is_appended_as_json_lines(tmp_path):
    path = tmp_path / "sub" / "feedback.jsonl"
    append_feedback(path, {"liked": True, "question": "问一", "answer": "答“一”\n第二行"})
    threads = [threading.Thread(target=append_feedback, args=(path, {"liked": False, "question": f"问{i}"}))
               for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 21
    assert rows[0]["liked"] is True and rows[0]["answer"] == "答“一”\n第二行" and rows[0]["time"]
    assert sorted(r["question"] for r in rows[1:]) == sorted(f"问{i}" for i in range(20))


# --- optional tabs -------------------------------------------------------------------------
def test_missing_feature_module_is_none():
    assert feature("no_such_feature_module") is None
    assert feature("answer") is not None


def test_every_section_choice_is_understood_by_the_notes(assistant):
    notes = feature("notes")
    if notes is None:
        pytest.skip("assistant.notes 尚未提供")
    rows, _ = document_rows(assistant)
    speech = next(r for r in rows if r["source"].startswith("speech-2022"))
    for shown, value in section_choices(assistant, speech["id"]):
        n = notes.build_notes(assistant, doc_id=speech["id"], section=value)
        assert n.section and n.outline, shown
