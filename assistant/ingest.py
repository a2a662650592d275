"""Turning files into Documents: .txt / .md (any common Chinese encoding), .docx and text .pdf.

Each loader returns a :class:`~assistant.documents.Document` whose ``text`` is
what gets indexed and cited (paragraph N = N-th non-empty line, as for every
document).  Bad input raises :class:`IngestError` with a Chinese message a user
can act on; nothing is read beyond the size limit.

* encodings: UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without
  BOM, GBK/GB18030 and others detected by charset-normalizer; undecodable or
  mixed bytes are refused ("编码无法识别");
* ``.pdf``: the text layer through pypdf, one page after another; the offset
  where each page starts is kept in ``metadata["page_starts"]`` (see
  :func:`page_of`); a PDF without a text layer is refused with "需要 OCR";
* ``.docx``: paragraphs and table rows in body order (python-docx);
* title (:func:`assistant.documents.derive_title`): metadata (sidecar/front-matter
  ``title``, Word core properties, PDF metadata; editor defaults such as
  "Microsoft Word - x.doc" ignored), else a 《…》 title or title line at the top,
  else the first heading (Markdown ``#``, a Word heading style), else the file name;
  ``Document.title_source`` says which;
* metadata: ``NAME.meta.json`` beside the file and/or Markdown front matter
  (``---`` / ``key: value`` / ``---``, removed from the indexed text).
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from .documents import TEXT_SUFFIXES, Document, content_hash, derive_title, read_metadata, usable_metadata_title

SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | {".docx", ".pdf"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# magic numbers of common binary formats (a file renamed to .txt)
_MAGIC = [
    (b"%PDF-", "PDF 文档"),
    (b"PK\x03\x04", "ZIP 压缩包或 Word/Excel 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\x7fELF", "可执行程序"),
    (b"MZ", "Windows 程序"),
    (b"\x1f\x8b", "GZIP 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文档（.doc/.xls）"),
    (b"SQLite format 3", "SQLite 数据库"),
]
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]
_SENTENCE_END = "。！？；：!?;:”’」』）)】"
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


class IngestError(ValueError):
    """A file that cannot be turned into a document (the message says why)."""


# --- public -----------------------------------------------------------------
def load_document(path: Path, max_bytes: int | None = None, source: str | None = None) -> Document:
    """Load one document file; raises IngestError on unusable input (size checked before reading)."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"不支持的文件类型：{name}（支持 {', '.join(sorted(SUPPORTED_SUFFIXES))}）")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IngestError(f"文件不存在：{path}") from None
    except OSError as exc:
        raise IngestError(f"无法读取文件：{name}（{exc.strerror or exc}）") from exc
    if not path.is_file():
        raise IngestError(f"不是普通文件：{name}")
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if size > limit:
        raise IngestError(f"文件过大：{name}（{size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB）")
    if size == 0:
        raise IngestError(f"文件为空：{name}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"无法读取文件：{name}（{exc.strerror or exc}）") from exc

    meta = _sidecar(path)
    format_title = None  # title in the file's own metadata (Word core properties, PDF info)
    if suffix == ".pdf":
        text, extra, format_title = _pdf_text(data, name)
        heading = None
    elif suffix == ".docx":
        text, extra, heading, format_title = _docx_text(data, name)
    else:
        text = decode_text(data, name)
        extra, heading = {}, None
        if suffix in (".md", ".markdown"):
            front, text = split_front_matter(text)
            meta = {**front, **meta}
            heading = _markdown_heading(text)
    text = _normalise_newlines(text)
    if not text.strip():
        raise IngestError(f"文件没有文字内容：{name}")
    fallback = Path(str(meta.get("original_name") or "")).stem or path.stem
    title, title_source = derive_title(text, usable_metadata_title(meta.get("title")) or format_title,
                                       heading, fallback)
    metadata = {k: v for k, v in meta.items() if k != "title"}
    metadata.update(extra)
    return Document(id=content_hash(text), title=title.strip(), text=text, source=source or name, metadata=metadata,
                    title_source=title_source)


def page_of(doc: Document, offset: int) -> int | None:
    """1-based PDF page holding character `offset` (None for documents without pages)."""
    starts = doc.metadata.get("page_starts")
    if not starts:
        return None
    return max(1, bisect.bisect_right(starts, offset))


def decode_text(data: bytes, name: str = "") -> str:
    """Bytes of a text file -> str (BOMs, UTF-8, UTF-16, GBK/GB18030 …); IngestError when not text."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError(f"文件为空：{name}")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc).lstrip("\ufeff"), name)
            except UnicodeDecodeError:
                raise IngestError(f"文件编码无法识别：{name}（带 {enc} 标记但内容损坏），请另存为 UTF-8 后再添加") from None
    kind = _binary_kind(data)
    if kind:
        raise IngestError(f"不是文本文件：{name}（看起来是{kind}），请上传 .txt/.md/.docx/.pdf 原件")
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    if b"\x00" in data:  # only UTF-16/32 text may contain NUL bytes
        best = from_bytes(data, cp_isolation=["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]).best()
        if best is None:
            raise IngestError(f"不是文本文件（含二进制内容）：{name}")
    else:
        best = from_bytes(data).best()
    if best is None:
        raise IngestError(f"文件编码无法识别：{name}（可能混用了多种编码或已损坏），请另存为 UTF-8 后再添加")
    encoding = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
    try:
        return _checked(data.decode(encoding), name)
    except (UnicodeDecodeError, LookupError):
        raise IngestError(f"文件编码无法识别：{name}，请另存为 UTF-8 后再添加") from None


def split_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, rest) of a Markdown text that starts with ``---`` front matter (simple ``key: value`` lines)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, text
    meta: dict = {}
    for line in lines[1:end]:
        if ":" not in line or line.lstrip().startswith("#"):
            continue
        key, value = line.split(":", 1)
        key, value = key.strip(), value.strip().strip("'\"")
        if key:
            meta[key] = int(value) if value.isdigit() and len(value) <= 6 else value
    return meta, "\n".join(lines[end + 1:]).lstrip("\n")


# --- helpers ----------------------------------------------------------------
def _sidecar(path: Path) -> dict:
    try:
        meta = read_metadata(path)
    except ValueError as exc:
        raise IngestError(str(exc)) from exc
    if not isinstance(meta, dict):
        raise IngestError(f"元数据文件应为 JSON 对象：{path.stem}.meta.json")
    return meta


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head and not _looks_utf16(head):
        return "二进制文件"
    return None


def _looks_utf16(head: bytes) -> bool:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    n = max(1, len(head) // 2)
    return (odd > 0.3 * n and even < 0.05 * n) or (even > 0.3 * n and odd < 0.05 * n) or (
        even + odd < 0.2 * n and len(head) % 2 == 0 and _decodes_utf16(head))


def _decodes_utf16(head: bytes) -> bool:
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _checked(text: str, name: str) -> str:
    """Refuse decoded text that is mostly control characters (binary that happened to decode)."""
    sample = text[:20000]
    if sample and len(_BAD_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise IngestError(f"文件内容无法识别为文本：{name}（含大量控制字符或乱码），请另存为 UTF-8 后再添加")
    return text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _markdown_heading(text: str) -> str | None:
    for line in text.splitlines()[:10]:
        s = line.strip()
        if s.startswith("#"):
            return s.lstrip("#").strip() or None
    return None


def _pdf_text(data: bytes, name: str) -> tuple[str, dict, str | None]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise IngestError(f"不是有效的 PDF 文件：{name}")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise IngestError(f"PDF 已加密：{name}（请先解除密码保护）")
        pages = [_reflow(page.extract_text() or "") for page in reader.pages]
        title = None
        try:
            info = reader.metadata
            title = (info.title or "").strip() if info else None
        except Exception:
            title = None
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(f"PDF 文件损坏，无法读取：{name}（{exc.__class__.__name__}）") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise IngestError(f"PDF 文件无法读取：{name}（{exc.__class__.__name__}）") from exc
    if not pages:
        raise IngestError(f"PDF 没有页面：{name}")
    if not any(p.strip() for p in pages):
        raise IngestError(f"PDF 没有文字层（可能是扫描件）：{name}，需要 OCR 识别成文字后再添加")
    parts, starts, pos = [], [], 0
    for text in pages:
        starts.append(pos)
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), {"page_starts": starts, "pages": len(pages)}, title or None


def _reflow(page_text: str) -> str:
    """Join the visual lines of a PDF page that wrap inside one paragraph."""
    lines = [ln.strip() for ln in page_text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    width = max(len(ln) for ln in lines)
    out: list[str] = [lines[0]]
    for ln in lines[1:]:
        prev = out[-1]
        wrapped = width >= 15 and len(prev.split("\n")[-1]) >= 0.85 * width and prev[-1] not in _SENTENCE_END
        if wrapped:
            out[-1] = prev + ln
        else:
            out.append(ln)
    return "\n".join(out)


def _docx_text(data: bytes, name: str) -> tuple[str, dict, str | None, str | None]:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not data.startswith(b"PK"):
        raise IngestError(f"不是有效的 Word（.docx）文件：{name}（旧版 .doc 请另存为 .docx）")
    try:
        d = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"Word 文件损坏，无法读取：{name}（{exc.__class__.__name__}）") from exc
    except Exception as exc:
        raise IngestError(f"Word 文件无法读取：{name}（{exc.__class__.__name__}）") from exc
    lines: list[str] = []
    heading = None
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(el, d)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            if heading is None and (style.startswith("Heading") or style == "Title" or style.startswith("标题")):
                heading = text
            lines.append(text)
        elif tag == "tbl":
            for row in Table(el, d).rows:
                cells = [c.text.strip().replace("\n", " ") for c in row.cells]
                cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                if cells:
                    lines.append("\t".join(cells))
    try:
        core_title = (d.core_properties.title or "").strip()
    except Exception:
        core_title = ""
    return "\n".join(lines), {}, heading, core_title or None


def describe(doc: Document) -> dict:
    """Short JSON-able summary of a loaded document (for listings)."""
    return {"id": doc.id, "title": doc.title, "source": doc.source, "chars": len(doc.text),
            "paragraphs": len(doc.paragraphs), **({"pages": doc.metadata["pages"]} if "pages" in doc.metadata else {})}


__all__ = ["IngestError", "SUPPORTED_SUFFIXES", "load_document", "decode_text", "page_of", "split_front_matter",
           "describe"]
