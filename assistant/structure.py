"""The speech's hierarchy: parts, areas of work and points, for every sentence.

Recognised headings (in order of depth):

1. parts — a short paragraph ``一、…`` (or a Markdown ``#`` heading);
2. areas — a paragraph opening with ``（一）…``: its first sentence is the heading;
3. points — a sentence opening with ``一要/二要…``, ``一是/二是…``, ``首先/其次/再次/最后``,
   ``一方面/另一方面`` or a ``——`` segment; a marker right after ``：`` or ``，``
   (``要把握好三个方面：一是…``) opens a point mid-sentence.  Point families nest:
   ``首先`` inside ``一要`` becomes a sub-point.  A numbered marker counts only when
   its predecessor was seen (``二要`` needs ``一要``), so ``第一是本分`` or
   ``最后一公里`` do not open points.  Points end with their paragraph.

:func:`parse` returns the :class:`Unit` list (sentence pieces with their section
path) and the :class:`Section` tree used by the outline and structure questions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import Document
from .sentences import split_sentences

CN_DIGITS = "一二三四五六七八九十"
PART_RE = re.compile(rf"^\s*([{CN_DIGITS}]+)、")
AREA_RE = re.compile(rf"^\s*[（(]([{CN_DIGITS}]+)[）)]")
MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.+?)\s*#*\s*$")
SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
POINT_RE = re.compile(
    rf"(?P<num>[{CN_DIGITS}])(?P<fam>要|是)|(?P<seq>首先|其次|再次|最后)|(?P<side>另一方面|一方面)|(?P<dash>——)"
)
MID_MARK_RE = re.compile(rf"[：，:,]\s*(?=[{CN_DIGITS}](?:要|是)|首先|一方面|另一方面)")
SEP = " › "


@dataclass
class Section:
    """A heading in the outline tree."""

    level: int  # 1 part, 2 area, 3+ points
    label: str  # heading text without trailing punctuation
    kind: str  # "part" | "area" | "point" | "heading"
    family: str  # point family (要/是/seq/side/dash) or the kind
    ordinal: int
    paragraph: int
    start: int  # span of the heading sentence in the document
    end: int
    children: list["Section"] = field(default_factory=list)
    extent_end: int = 0  # end offset of everything under this heading

    def path_labels(self, parents: tuple[str, ...]) -> tuple[str, ...]:
        return parents + (self.label,)


@dataclass(frozen=True)
class Unit:
    """A sentence (or a sentence piece cut at a point boundary) with its section path."""

    doc_id: str
    paragraph: int
    start: int
    end: int
    section: tuple[str, ...]
    point_key: tuple[int, int]  # (paragraph, start of the innermost point/heading) — chunks never cross it

    @property
    def section_path(self) -> str:
        return SEP.join(self.section)


@dataclass
class Structure:
    """Parse result for one document."""

    doc: Document
    units: list[Unit]
    roots: list[Section]

    def parts(self) -> list[Section]:
        return [s for s in self.roots if s.kind in ("part", "heading")]

    def walk(self):
        """(section, depth, parent labels) in document order."""

        def rec(nodes, parents):
            for n in nodes:
                yield n, parents
                yield from rec(n.children, parents + (n.label,))

        yield from rec(self.roots, ())


def _label(text: str, limit: int = 40) -> str:
    s = text.strip().rstrip("。！？!?；;：:，,")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _split_at_markers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sentence before a mid-sentence point marker that follows ： or ，."""
    cuts = [m.end() for m in MID_MARK_RE.finditer(text, start, end)]
    bounds = [start] + cuts + [end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _point_at(text: str, pos: int, end: int):
    m = POINT_RE.match(text, pos, end)
    if not m:
        return None
    if m.group("num"):
        return ("要" if m.group("fam") == "要" else "是"), CN_DIGITS.index(m.group("num")) + 1, m
    if m.group("seq"):
        return "seq", SEQ_WORDS[m.group("seq")], m
    if m.group("side"):
        return "side", 1 if m.group("side") == "一方面" else 2, m
    return "dash", 0, m


def parse(doc: Document) -> Structure:
    """Units with section paths and the outline tree of `doc`."""
    text = doc.text
    roots: list[Section] = []
    stack: list[Section] = []  # open headings, outermost first
    units: list[Unit] = []

    def attach(node: Section) -> None:
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def labels() -> tuple[str, ...]:
        return tuple(s.label for s in stack)

    def key(para_no: int) -> tuple[int, int]:
        return (stack[-1].paragraph, stack[-1].start) if stack else (para_no, -1)

    for para in doc.paragraphs:
        ptext = text[para.start:para.end]
        md = MD_HEADING_RE.match(ptext)
        part = PART_RE.match(ptext)
        if md or (part and len(ptext.strip()) <= 80 and not ptext.rstrip().endswith("。")):
            level = len(md.group(1)) if md else 1
            while stack and stack[-1].level >= level:
                stack.pop()
            label = md.group(2) if md else ptext
            ordinal = CN_DIGITS.index(part.group(1)[0]) + 1 if part else 0
            attach(Section(level, _label(label, 80), "part" if part else "heading", "part", ordinal,
                           para.number, para.start, para.end))
            units.append(Unit(doc.id, para.number, para.start, para.end, labels(), key(para.number)))
            continue
        # points end with their paragraph; parts and areas go on
        while stack and stack[-1].kind == "point":
            stack.pop()
        sentences = split_sentences(text, para.start, para.end)
        area = AREA_RE.match(ptext)
        if area and sentences:
            while stack and stack[-1].level >= 2:
                stack.pop()
            s0, e0 = sentences[0]
            attach(Section(2, _label(text[s0:e0]), "area", "area", CN_DIGITS.index(area.group(1)[0]) + 1,
                           para.number, s0, e0))
        for s_start, s_end in sentences:
            for start, end in _split_at_markers(text, s_start, s_end):
                found = _point_at(text, start, end)
                if found:
                    family, ordinal, _m = found
                    siblings = [i for i, s in enumerate(stack) if s.kind == "point" and s.family == family]
                    if siblings:
                        prev = stack[siblings[-1]]
                        ok = family == "dash" or ordinal == prev.ordinal + 1 or (ordinal == 99 and prev.ordinal >= 1)
                        if ok:
                            del stack[siblings[-1]:]
                    else:
                        ok = family == "dash" or ordinal == 1
                    if ok:
                        depth = 3 + sum(1 for s in stack if s.kind == "point")
                        attach(Section(depth, _label(text[start:end], 30), "point", family, ordinal,
                                       para.number, start, end))
                units.append(Unit(doc.id, para.number, start, end, labels(), key(para.number)))
    _close_extents(doc, roots, len(text))
    return Structure(doc, units, roots)


def _close_extents(doc: Document, nodes: list[Section], end: int) -> None:
    for i, node in enumerate(nodes):
        node.extent_end = nodes[i + 1].start if i + 1 < len(nodes) else end
        if node.kind == "point":  # points end with their paragraph
            node.extent_end = min(node.extent_end, doc.paragraphs[node.paragraph - 1].end)
        _close_extents(doc, node.children, node.extent_end)


def section_of(structure: Structure, offset: int) -> tuple[str, ...]:
    """Section path of the unit containing `offset`."""
    for u in structure.units:
        if u.start <= offset < u.end:
            return u.section
    return ()
