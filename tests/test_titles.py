"""Document titles and years from every source (documents.derive_title / derive_year, ingest)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import Document, content_hash, derive_title, derive_year, title_line
from assistant.ingest import load_document

from .conftest import SPEECH
from .test_ingest import make_docx, make_pdf

BODY = "一、总体要求\n坚持以人民为中心。\n"


def _txt(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- titles -------------------------------------------------------------------------
def test_title_from_sidecar_metadata(tmp_path):
    p = _txt(tmp_path, "a.txt", "政府工作报告\n" + BODY)
    (tmp_path / "a.meta.json").write_text('{"title": "2023年国务院政府工作报告"}', encoding="utf-8")
    doc = load_document(p)
    assert (doc.title, doc.title_source) == ("2023年国务院政府工作报告", "metadata")


def test_title_from_markdown_front_matter(tmp_path):
    doc = load_document(_txt(tmp_path, "a.md", "---\ntitle: 城市更新意见\n---\n# 另一个标题\n" + BODY))
    assert (doc.title, doc.title_source) == ("城市更新意见", "metadata")


def test_title_from_docx_core_properties_then_heading_style(tmp_path):
    import docx

    p = make_docx(tmp_path / "a.docx", None, ["各单位：", "现将有关事项通知如下。"])
    d = docx.Document(str(p))
    d.core_properties.title = "关于做好防汛工作的通知"
    d.save(str(p))
    doc = load_document(p)
    assert (doc.title, doc.title_source) == ("关于做好防汛工作的通知", "metadata")
    p2 = make_docx(tmp_path / "b.docx", "区工作报告", ["同志们：", "一、主要成绩。"])
    doc2 = load_document(p2)
    assert doc2.title == "区工作报告" and doc2.title_source in ("title_line", "heading")
    p3 = make_docx(tmp_path / "c.docx", None, ["同志们：", "一、主要成绩。"])
    assert load_document(p3).title_source == "file_name"


def test_title_from_pdf_metadata_unless_an_editor_default(tmp_path):
    p = make_pdf(tmp_path / "a.pdf", [["关于推进城市更新的通知", "一、改造老旧小区35个。"]], title="城市更新通知")
    assert load_document(p).title == "城市更新通知"
    p2 = make_pdf(tmp_path / "b.pdf", [["关于推进城市更新的通知", "一、改造老旧小区35个。"]],
                  title="Microsoft Word - 2022-15.doc")
    doc = load_document(p2)
    assert (doc.title, doc.title_source) == ("关于推进城市更新的通知", "title_line")


@pytest.mark.parametrize("text, title", [
    ("中国共产党纪律处分条例\n第一章 总则\n第一条 为了……，制定本条例。\n", "中国共产党纪律处分条例"),
    ("国务院办公厅关于进一步优化营商环境降低市场主体制度性交易成本的意见\n国办发〔2022〕30号\n各省：\n",
     "国务院办公厅关于进一步优化营商环境降低市场主体制度性交易成本的意见"),
    ("国办发〔2022〕30号\n国务院办公厅关于加快推进政务服务标准化规范化便利化的指导意见\n", "国务院办公厅关于加快推进政务服务标准化规范化便利化的指导意见"),
    ("政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理 李克强\n各位代表：\n", "政府工作报告"),
    ("《中国共产党纪律处分条例》\n第一章 总则\n", "中国共产党纪律处分条例"),
    ("《中华人民共和国民法典》已由中华人民共和国第十三届全国人民代表大会第三次会议于2020年5月28日通过，现予公布。\n",
     "中华人民共和国民法典"),
    ("# 河长制工作简报\n## 工作进展\n", "河长制工作简报"),
])
def test_title_line_and_book_title(tmp_path, text, title):
    assert title_line(text) == title
    doc = load_document(_txt(tmp_path, "file-name.txt", text))
    assert doc.title == title and doc.title_source == "title_line"


@pytest.mark.parametrize("text", [
    "同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n",  # an address, then a sentence
    "一、总体要求\n坚持以人民为中心。\n",  # an outline heading is not the title
    "——2023年3月5日在第十四届全国人民代表大会第一次会议上\n",  # a subtitle line
    "今年以来，全区经济稳中有进。\n",
    "这是一段很长很长的没有句号的文字它有四十多个字所以不会被当作标题来看待无论如何都不是标题吧\n",
])
def test_no_title_line_falls_back_to_the_file_name(tmp_path, text):
    assert title_line(text) is None
    doc = load_document(_txt(tmp_path, "cpc-20th-congress-report-2022.txt", text))
    assert (doc.title, doc.title_source) == ("cpc-20th-congress-report-2022", "file_name")


def test_markdown_heading_after_a_sentence():
    assert derive_title("前言。\n# 第二个标题\n正文。\n", fallback="f") == ("第二个标题", "heading")
    assert derive_title("同志们：\n正文。\n", heading="Word 标题样式", fallback="f") == ("Word 标题样式", "heading")


def test_speech_keeps_its_title_and_year():
    doc = load_document(SPEECH)
    assert doc.title == "在全区领导干部大会上的讲话" and doc.title_source == "metadata"
    assert doc.year == 2022


# --- years --------------------------------------------------------------------------
@pytest.mark.parametrize("text, meta, title, year", [
    ("正文。", {"year": 2021}, "", 2021),
    ("正文。", {"year": "2021"}, "", 2021),
    ("正文。", {"date": "2023-03-01"}, "", 2023),
    ("正文。", {"date": "2022年5月1日"}, "", 2022),
    ("政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n各位代表：\n2022年是极不平凡的一年。\n", {}, "政府工作报告", 2023),
    ("某市条例\n（2022年5月20日市人民代表大会常务委员会通过）\n第一条 ……\n", {}, "某市条例", 2022),
    ("正文。", {}, "2021年区政府工作报告", 2021),
    ("正文。", {}, "二〇二二年工作要点", 2022),
    ("正文。", {}, "cpc-20th-congress-report-2022", 2022),
    ("同志们：\n今天召开大会，安排我区2022年重点工作。\n", {}, "讲话", 2022),
    ("同志们：\n二〇二二年是党和国家历史上极为重要的一年。\n", {}, "讲话", 2022),
    ("第一篇 开启新征程\n", {}, "国民经济和社会发展第十四个五年规划和2035年远景目标纲要", None),
    ("同志们：\n我们要把握好三个方面。\n", {}, "讲话", None),
    ("正文。", {"date": ""}, "", None),
])
def test_year_sources(text, meta, title, year):
    assert derive_year(text, meta, title) == year
    doc = Document(id=content_hash(text), title=title, text=text, metadata=meta)
    assert doc.year == year


def test_year_survives_a_document_rebuilt_from_the_index():
    text = "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n"
    rebuilt = Document(id=content_hash(text), title="政府工作报告", text=text, metadata={})
    assert rebuilt.year == 2023


def test_subtitle_run_into_the_title_line_and_latest_header_date():
    text = "政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上国务院总理 李强\n各位代表：\n"
    assert title_line(text) == "政府工作报告"
    assert derive_year(text) == 2024
    law = ("中华人民共和国政府信息公开条例\n2007年4月5日 中华人民共和国国务院令第492号公布\n"
           "2019年4月3日 中华人民共和国国务院令第711号修订\n第一章 总则\n")
    assert title_line(law) == "中华人民共和国政府信息公开条例" and derive_year(law) == 2019


def test_year_from_the_document_number():
    text = "国务院办公厅关于推进政务新媒体健康有序发展的意见\n国办发〔2018〕123号\n各省、自治区、直辖市人民政府：\n"
    assert derive_year(text, {}, "国务院办公厅关于推进政务新媒体健康有序发展的意见") == 2018
