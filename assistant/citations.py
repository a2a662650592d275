"""Citations: an exact span of an indexed document, with its paragraph and section.

Every quote the product shows is a :class:`Citation` built by :func:`cite`, which
takes the text from the document itself, so ``quote == doc.text[start:end]``
holds by construction (and :func:`verify` re-checks it).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .documents import Document


@dataclass(frozen=True)
class Citation:
    """An exact, verifiable quote: ``quote == text_of(doc)[start:end]``."""

    doc: str  # document id
    title: str
    paragraph: int  # 1-based, N-th non-empty line
    section: str  # " › "-joined section path
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict:
        return asdict(self)


def cite(doc: Document, start: int, end: int, section: str = "") -> Citation:
    """Citation of doc.text[start:end] (the span must lie inside one paragraph)."""
    if not 0 <= start < end <= len(doc.text):
        raise ValueError(f"span {start}:{end} outside document {doc.id}")
    para = doc.paragraph_at(start)
    if end > para.end:
        raise ValueError(f"span {start}:{end} crosses paragraph {para.number}")
    return Citation(doc.id, doc.title, para.number, section, start, end, doc.text[start:end])


def verify(citation: Citation, doc: Document) -> bool:
    """Does the citation quote its document exactly, at the paragraph it names?"""
    if doc.text[citation.start:citation.end] != citation.quote:
        return False
    return doc.paragraph_at(citation.start).number == citation.paragraph
