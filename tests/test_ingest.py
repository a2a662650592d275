"""Ingestion of .txt/.md/.docx/.pdf: encodings, titles, metadata, pages and bad input (clear messages).

No index here: these tests exercise assistant.ingest.load_document on real files made in a temp folder
(PDFs are written byte by byte with a real text layer; Word files with python-docx).
"""
from __future__ import annotations

import os
import random
import time
import zipfile
from pathlib import Path

import pytest

from assistant.documents import content_hash
from assistant.ingest import IngestError, decode_text, load_document, page_of, split_front_matter

TEXT = "关于推进城市更新工作的通知\n一、总体要求。坚持人民城市人民建，今年改造老旧小区35个。\n二、工作任务。新建口袋公园3个，惠及居民1200户。\n"



def make_pdf(path, pages, title=None):
    """Write a minimal PDF whose text layer holds `pages` (list of lists of lines); [] page = no text."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    objs = {}
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    cmap_lines = []
    for i in range(0, len(chars), 100):
        block = chars[i:i + 100]
        cmap_lines.append(f"{len(block)} beginbfchar")
        cmap_lines += [f"<{ord(c):04X}> <{ord(c):04X}>" for c in block]
        cmap_lines.append("endbfchar")
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(cmap_lines) +
            "\nendcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend\n").encode()
    objs[3] = b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
    objs[4] = (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    objs[5] = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    kids = []
    n = 6
    for page in pages:
        if page:
            ops = ["BT /F1 12 Tf 14 TL 40 800 Td"]
            for line in page:
                ops.append("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*")
            ops.append("ET")
        else:
            ops = ["0.5 g 40 40 500 700 re f"]  # a "scanned" page: only graphics, no text
        content = "\n".join(ops).encode()
        objs[n] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objs[n + 1] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % n)
        kids.append(n + 1)
        n += 2
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = None
    if title:
        objs[n] = b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> >>"
        info = n
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R" % size + (b" /Info %d 0 R" % info if info else b"") + b" >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def make_docx(path: Path, heading: str | None, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    """A real Word file made with python-docx."""
    import docx

    d = docx.Document()
    if heading:
        d.add_heading(heading, level=1)
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    d.save(str(path))
    return path


# --- good input -----------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_chinese_encodings_decode_to_the_same_document(tmp_path, encoding):
    p = tmp_path / f"notice-{encoding}.txt"
    p.write_bytes(TEXT.encode(encoding))
    doc = load_document(p)
    assert doc.text == TEXT
    assert doc.id == content_hash(TEXT)
    assert doc.title == "关于推进城市更新工作的通知"  # a short first line is the title
    assert [doc.paragraph_text(n) for n in (1, 3)] == ["关于推进城市更新工作的通知", "二、工作任务。新建口袋公园3个，惠及居民1200户。"]


def test_crlf_and_title_from_file_name(tmp_path):
    p = tmp_path / "区政府工作报告.txt"
    p.write_bytes("今年以来，全区经济稳中有进。\r\n完成固定资产投资120亿元。\r\n".encode("gbk"))
    doc = load_document(p)
    assert "\r" not in doc.text and len(doc.paragraphs) == 2
    assert doc.title == "区政府工作报告"  # first line is a sentence, so the file name is the title


def test_markdown_front_matter_and_heading(tmp_path):
    p = tmp_path / "plan.md"
    p.write_text("---\ntitle: 市级规划摘要\ndate: 2023-03-01\nissuer: 市发展改革委\n---\n# 城市规划\n\n建设绿道50公里。\n",
                 encoding="utf-8")
    doc = load_document(p)
    assert doc.title == "市级规划摘要"
    assert doc.metadata == {"date": "2023-03-01", "issuer": "市发展改革委"}
    assert doc.text.startswith("# 城市规划") and "---" not in doc.text
    p2 = tmp_path / "plain.md"
    p2.write_text("前言。\n# 第二个标题\n正文。\n", encoding="utf-8")
    assert load_document(p2).title == "第二个标题"
    assert split_front_matter("---\nno end\n") == ({}, "---\nno end\n")


def test_sidecar_metadata_wins(tmp_path):
    p = tmp_path / "notice.txt"
    p.write_text(TEXT, encoding="utf-8")
    (tmp_path / "notice.meta.json").write_text('{"title": "城市更新通知", "issuer": "区住建局", "date": "2022-05-01"}',
                                                encoding="utf-8")
    doc = load_document(p)
    assert doc.title == "城市更新通知" and doc.metadata == {"issuer": "区住建局", "date": "2022-05-01"}


def test_docx_paragraphs_tables_and_heading(tmp_path):
    p = make_docx(tmp_path / "report.docx", "区工作报告", ["一、主要成绩。", "", "新增就业岗位8000个。"],
                  table=[["指标", "数值"], ["公园", "3个"]])
    doc = load_document(p)
    assert doc.title == "区工作报告"
    assert doc.text.split("\n") == ["区工作报告", "一、主要成绩。", "新增就业岗位8000个。", "指标\t数值", "公园\t3个"]


def test_pdf_text_layer_pages_and_title(tmp_path):
    p = make_pdf(tmp_path / "notice.pdf", [["关于推进城市更新的通知", "一、改造老旧小区35个。"],
                                          ["二、工作任务", "新建公园3个，涉及居民1200户。"]], title="城市更新通知")
    doc = load_document(p)
    assert doc.title == "城市更新通知"
    assert doc.metadata["pages"] == 2 and doc.metadata["page_starts"][0] == 0
    assert page_of(doc, doc.text.index("改造")) == 1
    assert page_of(doc, doc.text.index("新建公园")) == 2
    assert doc.paragraph_text(4) == "新建公园3个，涉及居民1200户。"


def test_pdf_wrapped_lines_are_joined(tmp_path):
    long = "坚持以人民为中心的发展思想推动城市更新工作取得新成效全面完成"
    p = make_pdf(tmp_path / "wrap.pdf", [[long, "年度目标任务。", "第二段。"]])
    doc = load_document(p)
    assert doc.text.split("\n") == [long + "年度目标任务。", "第二段。"]


# --- bad input: each refused with a clear Chinese message ------------------------------
def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _bad_cases():
    rnd = random.Random(7)
    mixed = TEXT.encode("utf-8") + TEXT.encode("gbk")
    return [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b"  \n\r\n\t \n", "文件为空"),
        ("bom-only.txt", b"\xef\xbb\xbf", "文件为空"),
        ("random.txt", bytes(rnd.randrange(256) for _ in range(4096)), "不是文本文件"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG 图片"),
        ("word.txt", b"PK\x03\x04" + bytes(100), "ZIP 压缩包或 Word"),
        ("scan.md", b"%PDF-1.4\n" + bytes(100), "PDF 文档"),
        ("program.txt", b"\x7fELF\x02\x01\x01" + bytes(100), "可执行程序"),
        ("old.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "旧版 Office"),
        ("mixed.txt", mixed, "编码无法识别"),
        ("garbage.txt", bytes(rnd.randrange(0x80, 0x100) for _ in range(3000)), "编码无法识别"),
        ("controls.txt", bytes(rnd.choice(b"\x01\x02\x03\x04\x05\x06\x1b abc") for _ in range(3000)), "无法识别为文本"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF"),
        ("text.pdf", TEXT.encode("utf-8"), "不是有效的 PDF"),
        ("text.docx", TEXT.encode("utf-8"), "不是有效的 Word"),
        ("broken.docx", b"PK\x03\x04" + bytes(300), "Word 文件"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0", "不支持的文件类型"),
        ("tool.exe", b"MZ\x90\x00", "不支持的文件类型"),
    ]


@pytest.mark.parametrize("name, data, expected", _bad_cases(), ids=[c[0] for c in _bad_cases()])
def test_bad_files_are_refused_with_a_clear_message(tmp_path, name, data, expected):
    p = _write(tmp_path, name, data)
    with pytest.raises(IngestError) as info:
        load_document(p)
    message = str(info.value)
    assert expected in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)  # Chinese, for users
    assert p.read_bytes() == data  # the file itself is untouched


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    p = make_pdf(tmp_path / "scanned.pdf", [[], []])
    with pytest.raises(IngestError, match="需要 OCR"):
        load_document(p)


def test_empty_docx_has_no_text(tmp_path):
    p = make_docx(tmp_path / "empty.docx", None, [])
    with pytest.raises(IngestError, match="没有文字内容"):
        load_document(p)


def test_200_mb_file_is_refused_by_size_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:  # sparse: created instantly, never read
        fh.truncate(200 * 1024 * 1024)
    t0 = time.perf_counter()
    with pytest.raises(IngestError, match="文件过大"):
        load_document(p, max_bytes=50 * 1024 * 1024)
    assert time.perf_counter() - t0 < 1.0


def test_missing_file_folder_and_bad_sidecars(tmp_path):
    with pytest.raises(IngestError, match="文件不存在"):
        load_document(tmp_path / "nope.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(IngestError, match="不是普通文件"):
        load_document(tmp_path / "folder.txt")
    p = _write(tmp_path, "a.txt", TEXT.encode("utf-8"))
    (tmp_path / "a.meta.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(IngestError, match="元数据文件无法解析"):
        load_document(p)
    (tmp_path / "a.meta.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(IngestError, match="JSON 对象"):
        load_document(p)


def test_decode_text_refuses_broken_utf16_bom():
    with pytest.raises(IngestError, match="编码无法识别"):
        decode_text(b"\xff\xfe" + "正文".encode("utf-16-le") + b"\x00\xd8", "x.txt")


def test_zip_that_is_not_a_docx(tmp_path):
    p = tmp_path / "archive.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "你好")
    with pytest.raises(IngestError, match="Word 文件"):
        load_document(p)
    assert os.path.getsize(p) > 0


def test_a_table_written_one_cell_per_line_is_told_from_short_headings():
    from assistant.documents import Document

    cells = ["主要指标表", "类别", "序号", "一级指标", "二级指标", "单位", "属性", "“十四五”完成值", "“十五五”目标值",
             "建设全龄友好宜居城区", "1", "既有居住建筑改造", "旧住房成套改造任务", "万平方米", "预期性", "25", "1.4"]
    text = "\n".join(["某区城市更新规划", "一、发展目标", "坚持以重点区域更新为牵引，分类分区推进全域更新任务。", *cells,
                      "二、重点任务", "（一）推进旧住房更新。", "“十五五”期间完成约1.4万平方米成套改造。"])
    doc = Document(id="t", title="某区城市更新规划", text=text)
    table = {doc.paragraph_text(n) for n in doc.table_cells}
    assert {"类别", "25", "1.4", "旧住房成套改造任务"} <= table
    assert not table & {"一、发展目标", "二、重点任务", "（一）推进旧住房更新。", "某区城市更新规划"}
    # an outline of short headings is no table
    outline = Document(id="o", title="某规划", text="\n".join(["某规划", "一、总体要求", "二、主要任务", "三、保障措施",
                                                               "（一）加强领导", "（二）强化投入", "（三）严格考核",
                                                               "（四）营造氛围", "（五）抓好落实"]))
    assert outline.table_cells == set()
