"""Structure-aware chunks: whole sentences grouped inside one point, with exact spans.

A chunk never crosses a paragraph or a point boundary (see :mod:`assistant.structure`)
and never cuts a sentence, so ``doc.text[chunk.start:chunk.end] == chunk.text``
always holds.  Consecutive sentences are grouped until the chunk reaches
``target`` characters; a short remainder is merged into the previous chunk of the
same point.  The default size (``DEFAULT_TARGET``) was chosen by measurement:
``python bench/chunk_size.py`` (README, "分块大小").
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from .documents import Document
from .structure import SEP, Structure, Unit, parse

CHUNKER_VERSION = "structure-v4"  # v2: run-in leads are points; v3: appendices (附件1) are sections; v4: their rows keep their label cell
DEFAULT_TARGET = 120


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: exact span of a document plus its place in the outline."""

    id: str
    doc_id: str
    title: str
    paragraph: int
    start: int
    end: int
    text: str
    section: str  # " › "-joined section path
    parent_start: int  # span of the enclosing point (or paragraph) for answer context
    parent_end: int

    @property
    def heading(self) -> str:
        """Innermost heading of the chunk's section path."""
        return self.section.split(SEP)[-1] if self.section else ""

    def index_text(self) -> str:
        """Text given to the retrievers: the two innermost headings, then the passage."""
        heads = [h for h in self.section.split(SEP)[-2:] if h and h not in self.text]
        return ("\n".join(heads) + "\n" + self.text) if heads else self.text

    def metadata(self) -> dict:
        """Flat metadata for the vector store."""
        d = asdict(self)
        d.pop("text")
        return d


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    """Content-hash id: same document text + same span -> same id."""
    h = hashlib.sha256(f"{CHUNKER_VERSION}|{doc_id}|{start}|{end}|{text}".encode("utf-8"))
    return h.hexdigest()[:24]


def _groups(units: list[Unit], target: int) -> list[list[Unit]]:
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    for u in units:
        if current and (u.point_key != current[0].point_key or u.paragraph != current[0].paragraph):
            groups.append(current)
            current = []
        current.append(u)
        if current[-1].end - current[0].start >= target:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    # merge a short tail into its predecessor within the same point
    merged: list[list[Unit]] = []
    for g in groups:
        prev = merged[-1] if merged else None
        short = g[-1].end - g[0].start < target // 3
        if prev and short and prev[0].point_key == g[0].point_key and prev[0].paragraph == g[0].paragraph:
            prev.extend(g)
        else:
            merged.append(list(g))
    return merged


def _parent_span(doc: Document, structure: Structure, unit: Unit) -> tuple[int, int]:
    """The innermost point that contains the unit, else its paragraph."""
    best = None
    for node, _parents in structure.walk():
        if node.kind == "point" and node.start <= unit.start < node.extent_end:
            best = (node.start, node.extent_end)
    if best:
        return best
    para = doc.paragraphs[unit.paragraph - 1]
    return para.start, para.end


def chunk_document(doc: Document, target: int = DEFAULT_TARGET, structure: Structure | None = None) -> list[Chunk]:
    """Chunks of one document in document order."""
    structure = structure or parse(doc)
    chunks = []
    for group in _groups(structure.units, target):
        start, end = group[0].start, group[-1].end
        text = doc.text[start:end]
        p_start, p_end = _parent_span(doc, structure, group[0])
        chunks.append(
            Chunk(
                id=chunk_id(doc.id, start, end, text),
                doc_id=doc.id,
                title=doc.title,
                paragraph=group[0].paragraph,
                start=start,
                end=end,
                text=text,
                section=SEP.join(group[0].section),
                parent_start=p_start,
                parent_end=p_end,
            )
        )
    return chunks


def chunk_corpus(docs: list[Document], target: int = DEFAULT_TARGET) -> list[Chunk]:
    """Chunks of all documents."""
    return [c for d in docs for c in chunk_document(d, target)]
