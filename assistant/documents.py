"""Source documents: loading, ids, titles, years and paragraph numbering.

Definitions the evaluation depends on (do not change them):

* paragraph N is the N-th non-empty line of the document text (1-based; a
  line holding only white space is empty);
* character offsets are Python string indices into the document text.

A document's title (:func:`derive_title`) comes from, in order: metadata (the
``.meta.json`` sidecar, Markdown front matter, Word core properties, PDF metadata),
a 《…》 title or a title line at the top of the text, the first heading (Markdown
``#``, a Word heading style), and the file name as the last resort.  Its year
(:attr:`Document.year`, :func:`derive_year`) comes from metadata ``year``/``date``,
the latest date at the top (``——2023年3月5日在…``, ``（2022年5月20日…通过）``), a
document number (``〔2018〕123号``), a year in the title (``2022年``, ``二〇二二年``),
then a year in the first lines.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
# the project's own notes beside the documents (README.md, DESIGN.md, DESIGN-*.md) are not study documents
PROJECT_NOTES = re.compile(r"^(?:README|DESIGN)(?:[-_.].*)?$", re.I)


@dataclass(frozen=True)
class Paragraph:
    """One non-empty line: its 1-based number and its span in the document text."""

    number: int
    start: int
    end: int


@dataclass
class Document:
    """A source document with its full text and metadata."""

    id: str
    title: str
    text: str
    source: str = ""  # file name relative to the docs folder
    metadata: dict = field(default_factory=dict)
    _paragraphs: list[Paragraph] | None = field(default=None, repr=False, compare=False)
    # where the title came from: metadata | title_line | heading | file_name ("" when not known)
    title_source: str = field(default="", compare=False)
    _year: object = field(default=None, repr=False, compare=False)
    _cells: set | None = field(default=None, repr=False, compare=False)

    @property
    def year(self) -> int | None:
        """The document's year: metadata ``year``/``date``, a dated line at the top,
        a year in the title, a year in the first lines; None when none is found."""
        if self._year is None:
            self._year = derive_year(self.text, self.metadata, self.title) or 0
        return self._year or None

    @property
    def paragraphs(self) -> list[Paragraph]:
        """Paragraph spans (computed once)."""
        if self._paragraphs is None:
            self._paragraphs = split_paragraphs(self.text)
        return self._paragraphs

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph containing character `offset`."""
        for para in self.paragraphs:
            if para.start <= offset < para.end or offset == para.end:
                return para
        raise ValueError(f"offset {offset} is not inside a paragraph of {self.id}")

    @property
    def table_cells(self) -> set[int]:
        """Numbers of the paragraphs that are cells of a one-cell-per-line table (:func:`table_paragraphs`)."""
        if self._cells is None:
            self._cells = table_paragraphs(self.text, self.paragraphs)
        return self._cells

    def paragraph_text(self, number: int) -> str:
        para = self.paragraphs[number - 1]
        return self.text[para.start:para.end]


def content_hash(text: str) -> str:
    """Stable id of a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


TABLE_RUN = 8  # consecutive cell-like lines that make a table laid out one cell per line
CELL_CHARS = 16  # a cell: a line this short with no sentence end …
TINY_CELL = 6  # … and at least half of a table's cells this short ("预期性", "25", "万平方米")
_SENTENCE_END = re.compile(r"[。；！？!?;]")
# an outline heading is no cell, however short ("二、重点任务" right after a table)
_OUTLINE_MARK = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十百零〇\d]+[章节条部分编]|\d+[.．、](?!\d)\S)")


def table_paragraphs(text: str, paragraphs: list[Paragraph]) -> set[int]:
    """Numbers of the paragraphs that are cells of a table written one cell per line (a text copy
    of an indicator table: "类别 / 序号 / 一级指标 / … / 25 / 1.4"): runs of :data:`TABLE_RUN` or
    more short lines without a sentence end, at least half of them tiny.  Such a line states no
    sentence: it answers no question on its own."""
    out: set[int] = set()
    run: list[Paragraph] = []

    def close():
        lines = [text[p.start:p.end].strip() for p in run]
        if len(run) >= TABLE_RUN and sum(len(x) <= TINY_CELL for x in lines) * 2 >= len(lines):
            out.update(p.number for p in run)
        run.clear()

    for p in paragraphs:
        line = text[p.start:p.end].strip()
        if len(line) <= CELL_CHARS and not _SENTENCE_END.search(line) and not _OUTLINE_MARK.match(line):
            run.append(p)
        else:
            close()
    close()
    return out


def split_paragraphs(text: str) -> list[Paragraph]:
    """Number the non-empty lines of `text`; spans exclude the line break (and a trailing \\r)."""
    paras: list[Paragraph] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped_end = end - 1 if line.endswith("\r") else end
        if line.strip():
            paras.append(Paragraph(len(paras) + 1, pos, stripped_end))
        pos = end + 1
    return paras


def sidecar_path(path: Path) -> Path:
    """Optional metadata file beside a document: ``name.meta.json``."""
    return path.with_name(path.stem + ".meta.json")


def read_metadata(path: Path) -> dict:
    side = sidecar_path(path)
    if side.exists():
        try:
            return json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"元数据文件无法解析：{side.name}（{exc}）") from exc
    return {}


# --- titles -----------------------------------------------------------------
TITLE_MAX = 40  # a title line is at most this long …
TITLE_MAX_NAMED = 60  # … or this long when it ends with the name of a kind of document
_DOC_KINDS = ("意见", "通知", "条例", "办法", "规定", "决定", "报告", "方案", "规划", "纲要", "讲话", "公报", "决议",
              "细则", "准则", "规则", "通告", "公告", "批复", "函", "纪要", "法", "章程", "建议", "指引", "指南")
_NOT_TITLE_END = "。！？；：，、!?;:,"
_OUTLINE_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
                            r"|第[一二三四五六七八九十百零〇\d]+[编章节条]|——|--)")
_DOC_NUMBER = re.compile(r"〔\d{4}〕|\[\d{4}\]\s*\d+\s*号|^\s*[\u4e00-\u9fff]{1,8}[发字函]\s*〔")
_BOOK_TITLE = re.compile(r"^\s*《([^《》]{2,80})》")
_JUNK_META_TITLE = re.compile(r"^(?:microsoft\s+word\s*-|untitled|无标题|文档\s*\d*$|document\s*\d*$)|"
                              r"\.(?:docx?|pdf|wps|txt|md)$", re.I)


def usable_metadata_title(title) -> str | None:
    """A metadata title, or None when it is empty or an editor's default ("Microsoft Word - …", "文档1", "x.doc")."""
    t = str(title or "").strip()
    return t if t and not _JUNK_META_TITLE.search(t) else None


def is_title_line(line: str) -> bool:
    """A short line that is not a sentence and not an outline heading: ``中国共产党纪律处分条例``,
    ``国务院办公厅关于…的意见``, ``政府工作报告`` (not ``同志们：``, ``一、总体要求``, ``——2023年3月5日在…``)."""
    s = line.strip().lstrip("#").strip()
    if not s or "。" in s or s[-1] in _NOT_TITLE_END or _OUTLINE_START.match(s):
        return False
    limit = TITLE_MAX_NAMED if s.rstrip("》”」）)").endswith(_DOC_KINDS) else TITLE_MAX
    return len(s) <= limit


def title_line(text: str) -> str | None:
    """The title written at the top of a text: a 《…》 title or a title line (document numbers skipped)."""
    for line in text.split("\n")[:30]:
        s = line.strip()
        if not s:
            continue
        if _DOC_NUMBER.search(s) and len(s) <= 30:  # 国办发〔2022〕30号 above or below the title
            continue
        head = s.split("——", 1)[0].strip()  # 政府工作报告——2024年3月5日在…: a subtitle run into the title
        if head and head != s and is_title_line(head):
            s = head
        if is_title_line(s):
            s = s.lstrip("#").strip()
            book = re.fullmatch(r"《([^《》]+)》", s)
            return book.group(1).strip() if book else s
        book = _BOOK_TITLE.match(s)
        return book.group(1).strip() if book else None
    return None


def first_heading(text: str, lines: int = 10) -> str | None:
    """The first Markdown heading among the first lines."""
    for line in text.splitlines()[:lines]:
        s = line.strip()
        if s.startswith("#"):
            return s.lstrip("#").strip() or None
    return None


def derive_title(text: str, metadata_title=None, heading: str | None = None,
                 fallback: str = "") -> tuple[str, str]:
    """(title, source): metadata, else a 《…》 title or title line, else the first heading
    (`heading` from the file format, else a Markdown ``#``), else `fallback` (the file name)."""
    meta = usable_metadata_title(metadata_title)
    if meta:
        return meta, "metadata"
    line = title_line(text)
    if line:
        return line, "title_line"
    head = (heading or "").strip() or first_heading(text)
    if head:
        return head, "heading"
    spoken = occasion_title(text)
    if spoken:
        return spoken, "occasion"
    return fallback, "file_name"


_DELIVERED = re.compile(r"(?:作|做|发表)(报告|讲话|发言|致辞)|(?:讲|谈)(?:几点|一些)?(?:意见|体会)")
_MEETING = re.compile(r"(?:^|[，。：；\n])([\u4e00-\u9fff]{2,24}?(?:代表大会|大会|会议|座谈会|论坛))(?=[，。、是上召])")


def occasion_title(text: str, paragraphs: int = 4) -> str | None:
    """A delivered text without a title line ("同志们：…向大会作报告。中国共产党第二十次全国代表大会，
    是…") is titled by its occasion: "在{meeting}上的{报告/讲话}"; None when the opening does not
    say both."""
    head = "\n".join(text.splitlines()[:paragraphs * 2])
    kind = _DELIVERED.search(head)
    if not kind:
        return None
    meetings = [m.group(1) for m in _MEETING.finditer(head) if not re.search(r"[我向在把对]", m.group(1))]
    if not meetings:
        return None
    return f"在{max(meetings, key=len)}上的{kind.group(1) or '讲话'}"


def guess_title(text: str, fallback: str) -> str:
    """Title written in the text (title line or heading), else `fallback`."""
    return derive_title(text, fallback=fallback)[0]


# --- years ------------------------------------------------------------------
_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "О": "0", "Ｏ": "0"}
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_CN_YEAR = re.compile(r"([〇○零ОＯ一二三四五六七八九]{4})年")
_DATED = re.compile(r"((?:19|20)[0-9]{2}|[〇○零ОＯ一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月")
_TARGET_YEAR = re.compile(r"^年?(?:远景|前|以前|目标|愿景)")


def year_value(token: str) -> int | None:
    """A year token (``2022`` or ``二〇二二``) as a number, None when it is not a year."""
    digits = token if token.isascii() else "".join(_CN_YEAR_DIGITS.get(c, "") for c in token)
    if len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2099:
        return int(digits)
    return None


def year_in(text: str, written_year: bool = False) -> int | None:
    """The first year in `text`: ``2022``/``2022年``/``二〇二二年`` (with `written_year`, only ``…年``);
    a target year (``2035年远景目标``, ``2025年前``) does not count."""
    best = None
    for m in list(_YEAR.finditer(text)) + list(_CN_YEAR.finditer(text)):
        tail = text[m.end():m.end() + 4]
        if _TARGET_YEAR.match(tail) or (written_year and not (tail.startswith("年") or m.group(0).endswith("年"))):
            continue
        value = year_value(m.group(1))
        if value and (best is None or m.start() < best[0]):
            best = (m.start(), value)
    return best[1] if best else None


def derive_year(text: str, metadata: dict | None = None, title: str = "", lines: int = 4) -> int | None:
    """Year of a document: metadata ``year``/``date``; the latest date among the first `lines`
    (``——2023年3月5日在…``, ``（2022年5月20日…通过）``, 公布/修订 dates); a document
    number there (``国办发〔2018〕123号``); a year in the title (the file name counts when
    it is the title); a ``…年`` year in the first `lines`; else None."""
    meta = metadata or {}
    for key in ("year", "date"):
        value = meta.get(key)
        if value not in (None, ""):
            found = year_value(str(value)) if key == "year" else None
            found = found or year_in(str(value))
            if found:
                return found
    head = [ln for ln in text.split("\n") if ln.strip()][:lines]
    dated = [year_value(m.group(1)) for line in head for m in _DATED.finditer(line)]
    if any(dated):  # 公布 2007, 修订 2019: the latest date is the version's
        return max(y for y in dated if y)
    for line in head:  # document number: 国办发〔2018〕123号
        m = re.search(r"[〔\[［]((?:19|20)[0-9]{2})[〕\]］]\s*[0-9]+\s*号", line)
        if m:
            return int(m.group(1))
    found = year_in(title or "")
    if found:
        return found
    for line in head:
        found = year_in(line, written_year=True)
        if found:
            return found
    return None


def load_text_document(path: Path, text: str | None = None, source: str | None = None) -> Document:
    """Build a Document from a UTF-8 text or Markdown file (or given text)."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    meta = read_metadata(path)
    title, title_source = derive_title(text, meta.get("title"), fallback=path.stem)
    return Document(
        id=content_hash(text),
        title=title,
        text=text,
        source=source or path.name,
        metadata={k: v for k, v in meta.items() if k != "title"},
        title_source=title_source,
    )


def iter_document_files(docs_dir: Path) -> list[Path]:
    """Document files in `docs_dir` (sorted); metadata sidecars and the project notes (README.md, DESIGN.md) excluded."""
    from .ingest import SUPPORTED_SUFFIXES

    if not docs_dir.is_dir():
        raise FileNotFoundError(f"文档目录不存在：{docs_dir}")
    files = []
    for p in sorted(docs_dir.iterdir()):
        if not p.is_file() or p.name.endswith(".meta.json") or p.name.startswith("."):
            continue
        notes = p.stem.upper() == "README" or (p.suffix.lower() == ".md" and PROJECT_NOTES.match(p.stem))
        if p.suffix.lower() in SUPPORTED_SUFFIXES and not notes:
            files.append(p)
    return files


def load_corpus(docs_dir: Path) -> list[Document]:
    """All documents of the docs folder, loaded through the ingest module."""
    from .ingest import load_document

    return [load_document(p) for p in iter_document_files(docs_dir)]
