"""Study notes (学习笔记): outline, figures, 金句, reflection, Markdown/Word export, CLI."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest

from tests.conftest import run_cli


@pytest.fixture(scope="module")
def notes(assistant):
    from assistant.notes import build_notes

    return build_notes(assistant)


@pytest.fixture(scope="module")
def speech(assistant, notes):
    return assistant.index.document(notes.doc_id)


def _para(doc, n: int) -> str:
    return doc.paragraph_text(n)


# --- 1. outline --------------------------------------------------------------
def test_outline_has_three_parts_with_seven_and_three_areas(notes, speech):
    parts = notes.outline
    assert [p.kind for p in parts] == ["part"] * 3
    assert [p.label[:2] for p in parts] == ["一、", "二、", "三、"]
    assert parts[0].label.startswith("一、不忘过往、增强共识")
    assert parts[1].label.startswith("二、加压奋进、攻坚争先")
    assert parts[2].label.startswith("三、党建引领、汇涓成河")
    areas2 = [a for a in parts[1].children if a.kind == "area"]
    areas3 = [a for a in parts[2].children if a.kind == "area"]
    assert [a.label[:3] for a in areas2] == [f"（{c}）" for c in "一二三四五六七"]
    assert [a.label[:3] for a in areas3] == [f"（{c}）" for c in "一二三"]
    assert [a.label for a in areas2] == [
        "（一）要在制造业高质量发展上奋勇争先", "（二）要在融入新发展格局上精准发力",
        "（三）要在城市有机更新上内外兼修", "（四）要在文旅融合发展上彰显特色",
        "（五）要在生态环境治理上干在实处", "（六）要在优化营商环境上创先争优",
        "（七）要在改善民生福祉上聚力有为"]
    assert [a.label for a in areas3] == [
        "（一）要坚持把党的领导贯穿始终", "（二）要坚持把责任担当扛在肩上", "（三）要坚持把作风建设引向深入"]
    # every heading is a verbatim span of its paragraph, in document order
    previous = -1
    for item, _depth in notes.outline_items():
        assert speech.text[item.start:item.end] == item.label
        assert speech.paragraph_at(item.start).number == item.paragraph
        assert item.start > previous
        previous = item.start


def test_points_under_area_five_are_the_three_yao(notes):
    area5 = notes.outline[1].children[4]
    assert area5.paragraph == 15
    points = area5.children
    assert [p.label for p in points] == ["一要抓好河渠治理", "二要抓好大气污染防治", "三要抓好国土绿化"]
    assert all(p.kind == "point" and p.paragraph == 15 for p in points)
    # other point families are kept: 一是/二是 in (三), 首先/其次 in (二)
    assert [p.label[:2] for p in notes.outline[1].children[2].children] == ["一是", "二是", "三是"]
    assert [p.label[:2] for p in notes.outline[1].children[1].children] == ["首先", "其次"]


# --- 2. figures --------------------------------------------------------------
def test_every_figure_row_is_verbatim_in_its_paragraph(notes, speech):
    assert len(notes.figures) >= 25
    for row in notes.figures:
        para = _para(speech, row.paragraph)
        assert speech.text[row.start:row.end] == row.figure
        assert speech.paragraph_at(row.start).number == row.paragraph
        assert row.figure in row.context and row.context in para


# Hand-checked against the speech: (¶, figure, what it counts).  Left out on purpose: slogans and
# names in quotation marks (“三个高地、三个标杆”, “97193”, “15分钟生活圈”, “千亿强区…” in ¶19/¶23),
# durations and ages in a clause about something else (连续五年亏损, 近二十年最佳业绩, 三年行动计划,
# 60岁以上老人), years, ordinals and structural counts (三个方面).
SPEECH_FIGURES = [
    (5, "6个", "共和国工业长子"),
    (7, "千亿", "产业集群"),
    (11, "41个", "工业门类"), (11, "39个", "工业门类"), (11, "21个", "工业门类"),
    (11, "1/4", "装备制造业产值"), (11, "千亿", "强区"), (11, "百亿元", "年产值"),
    (11, "超百亿元", "中信、一拖年产值"),  # the figure is for both, not for 一拖 alone
    (11, "300亿元", "中信年产值"), (11, "200亿元", "一拖年产值"),  # 分别: one row per item
    (11, "突破百亿", "规模"), (11, "4.3%负增长", "轴承行业销售收入"), (11, "10.6%", "同比增长"),
    (11, "42.3亿元", "营业收入"), (11, "2.3亿元", "净利润"), (11, "2亿元", "纳税"),
    (12, "1370亿元", "总投资"), (12, "252个", "重大项目"), (12, "267亿元以上", "投资"),
    (13, "228个", "老旧小区"), (13, "46个", "片区"), (13, "51397户", "老旧小区户数"),
    (17, "15个", "项目"), (17, "23.6%", "老龄化率"),
]


def test_figure_table_matches_the_hand_checked_table(notes):
    assert [(r.paragraph, r.figure, r.item) for r in notes.figures] == SPEECH_FIGURES
    assert all(r.item for r in notes.figures)  # no row without an item
    by_figure = {r.figure: r for r in notes.figures}
    assert by_figure["1370亿元"].unit == "亿元" and by_figure["51397户"].unit == "户"
    assert next(r for r in notes.figures if r.item == "产业集群").repeats == [11]  # the same figure for the same item, listed once
    assert notes.figures_masked >= 1  # "*个百分点", "**万人" are anonymised, never guessed


def test_figures_stated_respectively_pair_as_the_quote_check_does(speech):
    from assistant.claims import respective_items

    text = speech.paragraph_text(11)
    at = text.index("中信、一拖年产值")
    end = text.index("。", at)
    pairs = [(item, q.text) for item, q in respective_items(text, text.rfind("，", 0, at) + 1, end)]
    assert pairs == [("中信", "300亿元"), ("一拖", "200亿元")]


def test_every_outline_point_carries_its_key_sentence(notes, speech):
    items = [it for it, _d in notes.outline_items()]
    assert items and all(it.key for it in items)
    for it in items:
        assert speech.text[it.key_start:it.key_end] == it.key and it.key not in it.label
    point = next(it for it in items if it.label == "一要做强主导产业，打造千亿产业集群")
    assert point.key.startswith("打造先进制造业千亿产业集群，是打造千亿强区的重要物质基础")
    from assistant.export import to_markdown

    assert "一要做强主导产业，打造千亿产业集群（¶11）：打造先进制造业千亿产业集群" in to_markdown(notes)


# --- 3. sayings --------------------------------------------------------------
def test_sayings_are_verbatim_and_well_chosen(notes, speech):
    assert 10 <= len(notes.sayings) <= 20
    for s in notes.sayings:
        assert speech.text[s.start:s.end] == s.text
        assert s.text in _para(speech, s.paragraph)
        assert s.reason
    texts = [s.text for s in notes.sayings]
    for must in ("一锤接着一锤敲、一年接着一年干，一任接着一任拼", "一天不懈怠、一刻不松劲、一步不停歇",
                 "少说“不能办”，多讲“怎么办”", "学史明理、学史增信、学史崇德、学史力行"):
        assert any(must in t for t in texts), must
    assert any(s.reason.startswith("引语") for s in notes.sayings)
    assert [s.start for s in notes.sayings] == sorted(s.start for s in notes.sayings)
    assert not any("治理、" in t and t.count("治理") >= 3 for t in texts)  # noun lists are not 金句


def test_section_limits_notes(assistant):
    from assistant.notes import NotesError, build_notes

    five = build_notes(assistant, section="（五）")
    same = build_notes(assistant, section="生态环境")
    assert five.section == same.section == "（五）要在生态环境治理上干在实处"
    assert [o.label for o in five.outline] == [five.section]
    assert all(f.paragraph == 15 for f in five.figures) and all(s.paragraph == 15 for s in five.sayings)
    part3 = build_notes(assistant, section="三")
    assert len(part3.outline[0].children) == 3
    assert {s.paragraph for s in part3.sayings} <= set(range(18, 24))
    sub = build_notes(assistant, section="三（二）")
    assert sub.section == "（二）要坚持把责任担当扛在肩上"
    with pytest.raises(NotesError, match="不唯一"):
        build_notes(assistant, section="（一）")
    with pytest.raises(NotesError, match="找不到"):
        build_notes(assistant, section="航天工程")
    with pytest.raises(NotesError, match="文档不在索引中"):
        build_notes(assistant, doc_id="no-such-doc")


# --- exports -----------------------------------------------------------------
def test_markdown_renders_cleanly(notes):
    from assistant.export import to_markdown

    md = to_markdown(notes)
    assert md.startswith("# 学习笔记：《在全区领导干部大会上的讲话》")
    for title in ("## 一、提纲", "## 二、重要数据", "## 三、金句", "## 四、学习体会"):
        assert title in md
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == len(notes.figures) + 2
    # each row has exactly 6 cells: no unescaped | inside cells
    import re
    for line in table:
        assert len(re.split(r"(?<!\\)\|", line.strip())) == 6 + 2
    assert "\\*\\*" in md and "（¶15）" in md  # the source's ** is escaped, not bold
    assert "AI 生成" not in md  # no model configured


def _docx_text(path):
    import docx

    d = docx.Document(str(path))
    return d, [(p.style.name, p.text) for p in d.paragraphs]


def test_docx_has_headings_table_fonts_and_page_numbers(notes, tmp_path):
    from assistant.export import to_docx

    out = to_docx(notes, tmp_path / "笔记.docx")
    d, paras = _docx_text(out)
    headings = {(s, t) for s, t in paras}
    assert ("Title", "学习笔记：《在全区领导干部大会上的讲话》") in headings
    for t in ("一、提纲", "二、重要数据", "三、金句", "四、学习体会"):
        assert ("Heading 1", t) in headings
    h2 = [t for s, t in paras if s == "Heading 2"]
    h3 = [t for s, t in paras if s == "Heading 3"]
    assert len(h2) == 3 and h2[0].startswith("一、不忘过往")
    assert len(h3) == 10 and h3[4].startswith("（五）要在生态环境治理上干在实处")
    assert len(d.tables) == 1
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "数据", "单位", "指标/事项", "原文", "出处"]
    assert len(table.rows) == len(notes.figures) + 1
    assert any(r.cells[1].text == "1370亿元" and r.cells[5].text == "¶12" for r in table.rows)
    with zipfile.ZipFile(out) as z:
        styles = z.read("word/styles.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    assert "PAGE" in footer and "NUMPAGES" in footer


@pytest.mark.slow
def test_docx_converts_to_pdf_with_libreoffice(notes, tmp_path):
    from assistant.export import to_docx

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) 未安装：运行 make system-deps 后可验证 PDF 渲染")
    out = to_docx(notes, tmp_path / "notes.docx")
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "notes.pdf"
    assert pdf.is_file(), proc.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert b"CJK" in data  # the Chinese text was set in a CJK font, not tofu


# --- reflection with a chat model -------------------------------------------
def test_reflection_is_marked_and_number_guarded(assistant):
    from langchain_openai import ChatOpenAI

    from assistant.export import to_markdown
    from assistant.notes import build_notes
    from tests.openai_server import ScriptedOpenAI

    reply = ("学习了讲话中关于生态环境治理的部署，我深受启发。\n\n"
             "我将抓好河渠治理，今年完成投资500亿元。"
             "同时抓好大气污染防治和国土绿化，把要求落实到本职工作中。")
    with ScriptedOpenAI(replies=[reply]) as srv:
        llm = ChatOpenAI(base_url=srv.base_url, api_key="test", model="scripted", max_retries=0, timeout=10)
        notes = build_notes(assistant, section="（五）", llm=llm)
        sent = json.dumps(srv.requests[0]["messages"], ensure_ascii=False)
    assert "一要抓好河渠治理" in sent and "AI" not in notes.reflection
    assert "500亿元" not in notes.reflection  # unverified figure removed
    assert "大气污染防治" in notes.reflection and "深受启发" in notes.reflection
    assert any("500亿元" in f for f in notes.reflection_flags)
    md = to_markdown(notes)
    assert "## 四、学习体会（AI 生成，仅供参考）" in md
    assert notes.to_dict()["reflection_label"] == "AI 生成，仅供参考"


def test_reflection_failure_keeps_the_notes(assistant):
    from langchain_openai import ChatOpenAI

    from assistant.notes import build_notes
    from tests.openai_server import Reply, ScriptedOpenAI

    with ScriptedOpenAI(replies=[Reply(status=500)], default=Reply(status=500)) as srv:
        llm = ChatOpenAI(base_url=srv.base_url, api_key="test", model="scripted", max_retries=0, timeout=10)
        notes = build_notes(assistant, section="（五）", llm=llm)
    assert notes.reflection is None and notes.reflection_flags and "失败" in notes.reflection_flags[0]
    assert len(notes.outline[0].children) == 3


def test_reflection_keeps_verified_figures():
    from assistant.notes import guard_reflection

    text, flags = guard_reflection("总投资1370亿元的252个重大项目要抓好。投资300亿元。",
                                   ["抓好总投资1370亿元的252个重大项目"])
    assert text == "总投资1370亿元的252个重大项目要抓好。" and len(flags) == 1


# --- another document ---------------------------------------------------------
def test_other_markdown_document_degrades_gracefully(tmp_path_factory):
    from assistant.config import Settings
    from assistant.export import to_docx, to_markdown
    from assistant.index import build_index
    from assistant.notes import build_notes
    from assistant.service import Assistant

    docs = tmp_path_factory.mktemp("notes_docs")
    (docs / "river.md").write_text(
        "# 河长制工作简报\n\n## 工作进展\n\n全区共设立河长126名，巡河3200余次，整治问题河段18处。\n\n"
        "## 下一步安排\n\n坚持一河一策、一河一档，做到守河有责、守河担责、守河尽责。\n"
        "水清岸绿，河畅景美。\n", encoding="utf-8")
    settings = Settings(index_dir=tmp_path_factory.mktemp("notes_index"), docs_dir=docs, llm="none")
    build_index(settings, progress=False)
    notes = build_notes(Assistant(settings))
    doc = Assistant(settings).index.document(notes.doc_id)
    assert notes.title == "河长制工作简报"
    assert [o.label for o in notes.outline] == ["河长制工作简报"]
    assert [c.label for c in notes.outline[0].children] == ["工作进展", "下一步安排"]
    assert {r.figure for r in notes.figures} >= {"126名", "3200余次", "18处"}
    for r in notes.figures:
        assert doc.text[r.start:r.end] == r.figure and r.figure in doc.paragraph_text(r.paragraph)
    assert any("守河有责、守河担责、守河尽责" in s.text for s in notes.sayings)
    for s in notes.sayings:
        assert doc.text[s.start:s.end] == s.text
    assert "河长制工作简报" in to_markdown(notes)
    assert to_docx(notes, tmp_path_factory.mktemp("out") / "river.docx").stat().st_size > 5000
    # a plain text without any heading still gives figures and lines
    (docs / "river.md").write_text("全区设立河长126名。守河有责、守河担责、守河尽责。\n", encoding="utf-8")
    build_index(settings, progress=False)
    bare = build_notes(Assistant(settings))
    assert bare.outline == [] and bare.figures and "本文未识别到层级标题" in to_markdown(bare)


# --- CLI ---------------------------------------------------------------------
def test_cli_notes_markdown_json_docx_and_errors(cli_env, tmp_path):
    r = run_cli(["notes", "--section", "（五）"], cli_env)
    assert r.returncode == 0, r.stderr
    assert "一要抓好河渠治理（¶15）" in r.stdout and "## 三、金句" in r.stdout
    r = run_cli(["notes", "--format", "json", "-o", str(tmp_path / "n.json")], cli_env)
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert len(data["outline"]) == 3 and data["figures"] and data["sayings"] and data["reflection"] is None
    r = run_cli(["notes", "--format", "docx"], cli_env)
    assert r.returncode == 2 and "需要用 -o" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(["notes", "--section", "不存在的部分"], cli_env)
    assert r.returncode == 2 and "找不到部分" in r.stderr and "Traceback" not in r.stderr


def test_an_appendix_in_the_outline_carries_its_title():
    """"附件1" is an outline root whose key sentence is its title line, not the cells after it."""
    from assistant.documents import Document, content_hash
    from assistant.notes import notes_for_document

    text = ("某区实施方案\n一、工作目标\n全区生活垃圾分类全面覆盖，达标小区累计达到六成。\n"
            "附件1\n2019年成员单位工作任务清单\n序号\n任务名称\n1\n加强组织领导\n")
    notes = notes_for_document(Document(id=content_hash(text), title="某区实施方案", text=text, source="p.txt"))
    appendix = [item for item, _depth in notes.outline_items() if item.label == "附件1"]
    assert appendix and appendix[0].key == "2019年成员单位工作任务清单"
