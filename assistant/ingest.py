"""Turning files into Documents (text and Markdown; UTF-8).

Each loader returns a :class:`~assistant.documents.Document`; bad input raises
:class:`IngestError` with a message a user can act on.
"""
from __future__ import annotations

from pathlib import Path

from .documents import TEXT_SUFFIXES, Document, load_text_document

SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES)


class IngestError(ValueError):
    """A file that cannot be turned into a document (the message says why)."""


def load_document(path: Path) -> Document:
    """Load one document file; raises IngestError on unusable input."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"不支持的文件类型：{path.name}（支持 {', '.join(sorted(SUPPORTED_SUFFIXES))}）")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"文件为空：{path.name}")
    if b"\x00" in data[:4096]:
        raise IngestError(f"不是文本文件（含二进制内容）：{path.name}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"文件不是 UTF-8 编码：{path.name}（{exc.reason}）") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_text_document(path, text=text)
