"""Render :class:`assistant.notes.StudyNotes` as Markdown or as a Word document (.docx).

Markdown: the outline as a nested list, the figures as a table (``|`` and
Markdown marks such as the source's ``**`` anonymisation are escaped), the
金句 as a numbered list, every entry with its ¶N.

Word (python-docx): title, Heading 1 for the four sections, Heading 2/3 for the
speech's parts and areas, the points as bullets, a real table for the figures
(header row repeated on each page), an East Asian font on every style
(``w:eastAsia`` on ``w:rFonts``: 宋体 body, 黑体 headings — Word/WPS have
them, LibreOffice substitutes Noto CJK) and page numbers in the footer (PAGE /
NUMPAGES fields).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .notes import AI_MARK, StudyNotes

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
SECTION_TITLES = ("一、提纲", "二、重要数据", "三、金句", "四、学习体会")
FIGURE_HEADER = ("序号", "数据", "单位", "指标/事项", "原文", "出处")
EXPLAIN = "说明：¶N 为原文段落号（第 N 个非空行）；提纲、数据、金句均为原文摘录，可逐条核对。"
PLACEHOLDER = "（请在此写下本人的学习体会。）"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax characters (the source uses ``**`` for anonymised names)."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _para_ref(n: int, repeats: list[int] | None = None) -> str:
    ref = f"¶{n}"
    if repeats:
        ref += "（另见" + "、".join(f"¶{r}" for r in repeats) + "）"
    return ref


def _quoted(text: str) -> str:
    return text if text.startswith("“") and text.endswith("”") else f"“{text}”"


def _scope(notes: StudyNotes) -> str:
    return f"范围：{notes.section}" if notes.section else "范围：全文"


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------
def to_markdown(notes: StudyNotes, comparison=None) -> str:
    """The notes as Markdown (GitHub/CommonMark)."""
    out = [f"# 学习笔记：《{md_escape(notes.title)}》", "",
           f"> {md_escape(_scope(notes))}。{md_escape(EXPLAIN)}", ""]

    out += [f"## {SECTION_TITLES[0]}", ""]
    if notes.outline:
        for item, depth in notes.outline_items():
            label = md_escape(item.label)
            if item.kind in ("part", "area", "heading", "appendix"):
                label = f"**{label}**"
            out.append(f"{'  ' * depth}- {label}（¶{item.paragraph}）"
                       + (f"：{md_escape(item.key)}" if item.key else ""))
    else:
        out.append("（本文未识别到层级标题。）")
    out.append("")

    out += [f"## {SECTION_TITLES[1]}", ""]
    if notes.figures:
        out.append("| " + " | ".join(FIGURE_HEADER) + " |")
        out.append("|" + "|".join(["---:", "---", "---", "---", "---", "---"]) + "|")
        for i, f in enumerate(notes.figures, 1):
            cells = [str(i), md_escape(f.figure), md_escape(f.unit) or "—", md_escape(f.item) or "—",
                     md_escape(f.context), _para_ref(f.paragraph, f.repeats)]
            out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("（未发现数据。）")
    if notes.figures_masked:
        out += ["", f"注：原文另有 {notes.figures_masked} 处数字已脱敏（以 \\* 表示），不列入上表。"]
    out.append("")

    out += [f"## {SECTION_TITLES[2]}", ""]
    if notes.sayings:
        for i, s in enumerate(notes.sayings, 1):
            out.append(f"{i}. {md_escape(_quoted(s.text))}（¶{s.paragraph}；{md_escape(s.reason)}）")
    else:
        out.append("（未发现符合规则的金句。）")
    out.append("")

    if notes.reflection:
        out += [f"## {SECTION_TITLES[3]}（{AI_MARK}）", ""]
        for para in notes.reflection.split("\n"):
            if para.strip():
                out += [f"> {md_escape(para.strip())}", ">"]
        out[-1:] = [""]
    else:
        out += [f"## {SECTION_TITLES[3]}", "", PLACEHOLDER, ""]
    for flag in notes.reflection_flags:
        out.append(f"- ⚠ {md_escape(flag)}")
    if notes.reflection_flags:
        out.append("")
    if comparison is not None:  # 对照学习 section (assistant.compare)
        from .compare import to_markdown as comparison_markdown

        out += [comparison_markdown(comparison), ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------
def _set_fonts(style_or_run, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set Latin and East Asian fonts on a style or run (theme fonts removed so they win)."""
    from docx.oxml.ns import qn

    font = style_or_run.font
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _field(paragraph, instr: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run._r.append(text)
    run = paragraph.add_run()
    run._r.append(fld("separate"))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(fld("end"))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _styles(document) -> None:
    from docx.shared import Pt, RGBColor

    styles = document.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        st = styles[name]
        _set_fonts(st, HEADING_FONT)
        st.font.color.rgb = RGBColor(0, 0, 0)
    styles["Title"].font.size = Pt(20)
    styles["Heading 1"].font.size = Pt(15)
    styles["Heading 2"].font.size = Pt(13)
    styles["Heading 3"].font.size = Pt(12)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "Table Grid", "Quote"):
        if name in styles:
            _set_fonts(styles[name], BODY_FONT)


def _ref_run(paragraph, text: str) -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def to_docx(notes: StudyNotes, path, comparison=None) -> Path:
    """Write the notes as a .docx file; returns its path."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    path = Path(path)
    document = docx.Document()
    _styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 / 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")

    props = document.core_properties
    props.title = f"学习笔记：《{notes.title}》"
    props.subject = notes.section or "全文"
    props.author = "讲话学习助手"

    document.add_heading(f"学习笔记：《{notes.title}》", level=0)
    meta = document.add_paragraph()
    meta.add_run(f"{_scope(notes)}　整理日期：{date.today().isoformat()}")
    note = document.add_paragraph()
    _ref_run(note, EXPLAIN)

    # 1. outline
    document.add_heading(SECTION_TITLES[0], level=1)
    if not notes.outline:
        document.add_paragraph("（本文未识别到层级标题。）")
    for item, depth in notes.outline_items():
        if item.kind in ("part", "area", "heading", "appendix") and depth <= 1:
            p = document.add_heading(item.label, level=2 + depth)
        else:
            style = ["List Bullet", "List Bullet 2", "List Bullet 3"][min(max(depth - 2, 0), 2)] \
                if item.kind == "point" else "List Bullet"
            p = document.add_paragraph(item.label, style=style)
        _ref_run(p, f"（¶{item.paragraph}）")
        if item.key:
            if item.kind in ("part", "area", "heading", "appendix") and depth <= 1:
                document.add_paragraph(item.key)
            else:
                p.add_run("：" + item.key)

    # 2. figures
    document.add_heading(SECTION_TITLES[1], level=1)
    if notes.figures:
        table = document.add_table(rows=1, cols=len(FIGURE_HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, FIGURE_HEADER):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
        _repeat_header(table.rows[0])
        for i, f in enumerate(notes.figures, 1):
            cells = table.add_row().cells
            values = [str(i), f.figure, f.unit or "—", f.item or "—", f.context, _para_ref(f.paragraph, f.repeats)]
            for cell, text in zip(cells, values):
                cell.text = text
        widths = [Cm(1.0), Cm(2.3), Cm(1.3), Cm(2.9), Cm(6.2), Cm(2.3)]
        table.autofit = False
        for column, width in zip(table.columns, widths):  # w:gridCol (LibreOffice reads these)
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(9.5)
    else:
        document.add_paragraph("（未发现数据。）")
    if notes.figures_masked:
        p = document.add_paragraph()
        _ref_run(p, f"注：原文另有 {notes.figures_masked} 处数字已脱敏（以 * 表示），不列入上表。")

    # 3. sayings
    document.add_heading(SECTION_TITLES[2], level=1)
    if not notes.sayings:
        document.add_paragraph("（未发现符合规则的金句。）")
    for s in notes.sayings:
        p = document.add_paragraph(_quoted(s.text), style="List Number")
        _ref_run(p, f"（¶{s.paragraph}；{s.reason}）")

    # 4. reflection
    if notes.reflection:
        document.add_heading(f"{SECTION_TITLES[3]}（{AI_MARK}）", level=1)
        for para in notes.reflection.split("\n"):
            if para.strip():
                document.add_paragraph(para.strip())
    else:
        document.add_heading(SECTION_TITLES[3], level=1)
        document.add_paragraph(PLACEHOLDER)
    for flag in notes.reflection_flags:
        p = document.add_paragraph()
        _ref_run(p, f"⚠ {flag}")

    if comparison is not None:  # 对照学习 section (assistant.compare)
        from .compare import add_to_docx

        add_to_docx(document, comparison)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
