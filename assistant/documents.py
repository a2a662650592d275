"""Source documents: loading, ids, titles and paragraph numbering.

Definitions the evaluation depends on (do not change them):

* paragraph N is the N-th non-empty line of the document text (1-based; a
  line holding only white space is empty);
* character offsets are Python string indices into the document text.
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

    def paragraph_text(self, number: int) -> str:
        para = self.paragraphs[number - 1]
        return self.text[para.start:para.end]


def content_hash(text: str) -> str:
    """Stable id of a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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


def guess_title(text: str, fallback: str) -> str:
    """Title from a Markdown heading in the first lines, else the file name."""
    for line in text.splitlines()[:5]:
        s = line.strip()
        if s.startswith("#"):
            return s.lstrip("#").strip() or fallback
    return fallback


def load_text_document(path: Path, text: str | None = None, source: str | None = None) -> Document:
    """Build a Document from a UTF-8 text or Markdown file (or given text)."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    meta = read_metadata(path)
    title = meta.get("title") or guess_title(text, path.stem)
    return Document(
        id=content_hash(text),
        title=title,
        text=text,
        source=source or path.name,
        metadata={k: v for k, v in meta.items() if k != "title"},
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
