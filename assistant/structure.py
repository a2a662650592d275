"""Outline of an official document: headings and points for every sentence.

Two layers are recognised.

**Paragraph headings** — a paragraph that opens with a marker:

* ``第X编`` / ``第X章`` / ``第X节`` / ``第X条`` (Chinese or Arabic numerals);
* ``一、`` / ``（一）`` / ``1.`` (``1．`` ``1、``) / ``（1）`` / ``①``;
* a Markdown heading ``#``…``######``.

A short paragraph without a sentence end (``第一章 总则``, ``一、总体要求``) is a
heading as a whole; a paragraph that goes on after its marker (``（一）加快建设…。要……``,
``第十五条 机关应当……``) is headed by its first sentence and its remaining sentences
belong to it.  Levels nest by the order in which marker kinds first appear in the
document: a kind seen for the first time is placed right below the kind of the
innermost open heading (its parent), and a heading closes every open heading of
its own or a lower kind.  So a 章 contains 条 and 一、 contains （一） contains 1.
contains （1） — whatever subset and order a document uses (a notice whose top
level is （一） gets （一） at level 1).  Within a family the conventional order
only breaks ties: a 节 first seen while a 条 is open goes beside the 条, into the
章 (编 > 章 > 节 > 条; 一、 > （一） > 1. > （1） > ①).  Markdown levels additionally
nest by their number of ``#``.  A table of contents
after a ``目录`` line is not part of the outline.

**Points** — inside paragraphs, a sentence opening with ``一要/二要…``, ``一是/二是…``,
``首先/其次/再次/最后``, ``一方面/另一方面`` or a ``——`` segment; a marker right after
``：`` or ``，`` (``要把握好三个方面：一是…``) opens a point mid-sentence.  Point
families nest: ``首先`` inside ``一要`` becomes a sub-point.  A numbered marker counts
only when its predecessor was seen (``二要`` needs ``一要``), so ``第一是本分`` or
``最后一公里`` do not open points.  Points end with their paragraph; a paragraph that
opens with the successor of the previous paragraph's point (``一是…`` ¶, ``二是…`` ¶)
continues the series.  Points nest inside the innermost paragraph heading.

**Run-in leads** — a work report's unnumbered sub-heads: three or more paragraphs in a row,
each opening with a short sentence that the rest of the paragraph unfolds ("强化投资拉动。聚焦…",
"坚持依法行政，规范权力运行。认真…"), are points of family ``lead`` numbered in their run
(:func:`run_in_leads`; the lengths are those of a heading, not fitted to a document).

:func:`parse` returns the :class:`Unit` list (sentence pieces with their section
path) and the :class:`Section` tree used by the outline and structure questions;
:func:`top_level` and :func:`resolve_reference` answer "分为哪几个部分" and
"第三部分/第十五条/（三）/第二要" questions on any document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import Document
from .sentences import split_sentences

CN_DIGITS = "一二三四五六七八九十"
CN_NUM = "一二三四五六七八九十百零〇两"
_NUM = rf"[{CN_NUM}]+|[0-9]{{1,4}}"
PART_RE = re.compile(rf"^\s*([{CN_NUM}]+)、")
AREA_RE = re.compile(rf"^\s*[（(]([{CN_NUM}]+)[）)]")
MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.+?)\s*#*\s*$")
SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
POINT_RE = re.compile(
    rf"(?P<num>[{CN_DIGITS}])(?P<fam>要|是)|(?P<seq>首先|其次|再次|最后)|(?P<side>另一方面|一方面)|(?P<dash>——)"
)
MID_MARK_RE = re.compile(rf"[：，:,]\s*(?=[{CN_DIGITS}](?:要|是)|首先|一方面|另一方面)")
SEP = " › "
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# paragraph-level markers: (marker kind, regex); the group "n" is the ordinal
_MARKERS = [
    ("编", re.compile(rf"^\s*第(?P<n>{_NUM})编(?P<sp>[\s　]+|$)?")),
    ("章", re.compile(rf"^\s*第(?P<n>{_NUM})章(?P<sp>[\s　]+|$)?")),
    ("节", re.compile(rf"^\s*第(?P<n>{_NUM})节(?P<sp>[\s　]+|$)?")),
    ("条", re.compile(rf"^\s*第(?P<n>{_NUM})条(?P<sp>[\s　]+|$)?")),
    ("一、", re.compile(rf"^\s*(?P<n>[{CN_NUM}]+)、")),
    ("（一）", re.compile(rf"^\s*[（(](?P<n>[{CN_NUM}]+)[）)]")),
    ("1.", re.compile(r"^\s*(?P<n>[0-9]{1,3})(?:[.．](?![0-9])|、)")),
    ("（1）", re.compile(r"^\s*[（(](?P<n>[0-9]{1,3})[）)]")),
    ("①", re.compile(rf"^\s*(?P<n>[{CIRCLED}])")),
]
_ARTICLE_KINDS = ("编", "章", "节", "条")  # 第X… markers; written without a space they need a series
# conventional order inside each family: a kind first seen below a conventionally lower kind
# closes it instead of nesting in it (a 节 first seen after a 条 goes beside the 条)
_CONVENTION = [("编", "章", "节", "条"), ("一、", "（一）", "1.", "（1）", "①")]
_TOC_RE = re.compile(r"^\s*目\s*录\s*$")
# "附件1" / "附件 2" / "附件" alone on its line: an appendix starts (the body's "附件：1.…" list is no heading)
APPENDIX_RE = re.compile(rf"^\s*附\s*件\s*(?P<n>[0-9]{{1,2}}|[{CN_NUM}]{{1,3}})?\s*$")
_SENTENCE_END = "。！？!?"
HEADING_MAX = 80  # a paragraph this short without a sentence end is a heading as a whole
LEAD_MIN, LEAD_MAX = 4, 20  # a run-in lead's length (characters before its 。)
LEAD_RUN = 3  # a run of this many paragraphs opening with a lead makes them points


def ordinal_value(token: str) -> int:
    """``十五`` -> 15, ``二十三`` -> 23, ``一百零二`` -> 102, ``12`` -> 12, ``③`` -> 3; 0 when not a number."""
    token = token.strip()
    if not token:
        return 0
    if token.isascii() and token.isdigit():
        return int(token)
    if len(token) == 1 and token in CIRCLED:
        return CIRCLED.index(token) + 1
    try:
        import cn2an

        return int(cn2an.cn2an(token.replace("〇", "零"), "smart"))
    except Exception:
        return 0


@dataclass
class Section:
    """A heading in the outline tree.

    ``kind`` keeps the coarse classes the consumers use: ``part`` (a top-level
    numbered heading), ``area`` (a numbered heading below the top level), ``heading``
    (Markdown) and ``point``; ``marker`` tells the marker kind exactly (``章``, ``条``,
    ``一、``, ``（一）``, ``1.``, ``（1）``, ``①``, ``#``/``##``…, or the point family).  An
    appendix ("附件1" on its own line, with the title line after it) is a root of kind
    ``appendix``: its text is outside the body's outline.
    """

    level: int  # 1 top-level heading, 2 … nested headings; points 3+ (below the innermost heading)
    label: str  # heading text without trailing punctuation
    kind: str  # "part" | "area" | "point" | "heading" | "appendix"
    family: str  # point family (要/是/seq/side/dash) or the kind
    ordinal: int
    paragraph: int
    start: int  # span of the heading sentence in the document
    end: int
    children: list["Section"] = field(default_factory=list)
    extent_end: int = 0  # end offset of everything under this heading
    marker: str = ""  # marker kind (see above)
    depth: int = 0  # 1-based depth in the tree

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
        """(section, parent labels) in document order."""

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


def _follows(family: str, ordinal: int, prev: Section) -> bool:
    """Is a point (family, ordinal) the next one after `prev` of the same family?"""
    return family == "dash" or ordinal == prev.ordinal + 1 or (ordinal == 99 and prev.ordinal >= 1)


def heading_marker(ptext: str, series: frozenset[str] | None = None):
    """(marker kind, ordinal, match) of a paragraph that opens with a heading marker, else None.

    ``第X条`` (编/章/节 alike) followed by text without a space counts only for kinds in
    `series` (kinds the document numbers 第一…, 第二… at paragraph starts); with a space,
    or alone on its line, it always counts.  `series=None` accepts both forms.
    """
    md = MD_HEADING_RE.match(ptext)
    if md:
        inner = heading_marker(md.group(2), series)
        return "#" * len(md.group(1)), (inner[1] if inner else 0), md
    for kind, rx in _MARKERS:
        m = rx.match(ptext)
        if m:
            n = ordinal_value(m.group("n"))
            if kind in _ARTICLE_KINDS and m.group("sp") is None and series is not None and kind not in series:
                continue
            if n:
                return kind, n, m
    return None


def _article_series(doc: Document) -> frozenset[str]:
    """第X编/章/节/条 kinds that open paragraphs as a numbered series (ordinals 1 and 2 both seen)."""
    seen: dict[str, set[int]] = {}
    for para in doc.paragraphs:
        found = heading_marker(doc.text[para.start:para.end])
        if found and found[0] in _ARTICLE_KINDS:
            seen.setdefault(found[0], set()).add(found[1])
    return frozenset(k for k, ns in seen.items() if {1, 2} <= ns)


def _conventionally_below(kind: str, other: str) -> bool:
    """Is `other` a lower kind than `kind` in their family's conventional order?"""
    for fam in _CONVENTION:
        if kind in fam and other in fam:
            return fam.index(other) > fam.index(kind)
    return False


def _is_short_heading(ptext: str) -> bool:
    s = ptext.strip()
    return len(s) <= HEADING_MAX and not any(c in s for c in _SENTENCE_END) and not s.endswith("。")


def _lead_of(doc: Document, para, series: frozenset[str]) -> tuple[int, int] | None:
    """The span of a paragraph's run-in lead: a first sentence of LEAD_MIN–LEAD_MAX characters
    ending in 。 that the paragraph goes on after (at least as much again and a clause more),
    in a paragraph that opens with no heading or point marker."""
    text = doc.text
    lead = para.start + len(text[para.start:para.end]) - len(text[para.start:para.end].lstrip())
    if heading_marker(text[para.start:para.end], series) or _point_at(text, lead, para.end):
        return None
    sentences = split_sentences(text, para.start, para.end)
    if not sentences:
        return None
    s, e = sentences[0]
    head = text[s:e].strip()
    if not head.endswith("。") or not LEAD_MIN <= len(head) - 1 <= LEAD_MAX:
        return None
    return (s, e) if para.end - para.start >= 2 * len(head) + LEAD_MAX else None


def run_in_leads(doc: Document, series: frozenset[str] = frozenset()) -> dict[int, tuple[int, int, int]]:
    """Paragraph number → (ordinal in its run, lead start, lead end) for runs of LEAD_RUN or
    more consecutive paragraphs that open with a run-in lead (see the module docstring)."""
    out: dict[int, tuple[int, int, int]] = {}
    run: list[tuple[int, tuple[int, int]]] = []

    def close() -> None:
        if len(run) >= LEAD_RUN:
            out.update({n: (i, *span) for i, (n, span) in enumerate(run, 1)})
        run.clear()

    for para in doc.paragraphs:
        span = _lead_of(doc, para, series)
        if span is None:
            close()
        else:
            run.append((para.number, span))
    close()
    return out


def parse(doc: Document) -> Structure:
    """Units with section paths and the outline tree of `doc`."""
    text = doc.text
    roots: list[Section] = []
    stack: list[Section] = []  # open headings then open points, outermost first
    units: list[Unit] = []
    order: list[str] = []  # marker kinds, outermost first, placed at their first appearance
    series = _article_series(doc)
    leads = run_in_leads(doc, series)
    last_point: Section | None = None  # last point directly under the innermost heading
    toc_first: str | None = None  # inside a table of contents: its first entry
    in_toc = False

    def attach(node: Section) -> None:
        (stack[-1].children if stack else roots).append(node)
        node.depth = len(stack) + 1
        stack.append(node)

    def labels() -> tuple[str, ...]:
        return tuple(s.label for s in stack)

    def key(para_no: int) -> tuple[int, int]:
        return (stack[-1].paragraph, stack[-1].start) if stack else (para_no, -1)

    def headings() -> list[Section]:
        return [s for s in stack if s.kind != "point"]

    def whole(para) -> None:
        """The paragraph as one unit under the headings open now."""
        units.append(Unit(doc.id, para.number, para.start, para.end, labels(), key(para.number)))

    def pop_points() -> None:
        while stack and stack[-1].kind == "point":
            stack.pop()

    paragraphs = doc.paragraphs
    appendix_title: int | None = None  # the paragraph that titles the appendix just opened
    for i, para in enumerate(paragraphs):
        ptext = text[para.start:para.end]
        # a table scraped one cell per line in an appendix: the short cell right before a row's
        # text labels it ("罗店镇" / "创建达标累计61个小区…"), so the row is read and cited with it
        row = _row_label(text, paragraphs[i - 1]) if i and stack and stack[0].kind == "appendix" else ""
        appendix = APPENDIX_RE.match(ptext)
        if appendix and not in_toc:
            # an appendix is outside the body's outline: everything open is closed, and its rows are
            # cited under "附件1 <its title>", not under the body's last heading
            stack.clear()
            last_point = None
            if "附件" not in order:
                order.insert(0, "附件")
            nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
            title = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text[nxt.start:nxt.end].strip()) if nxt else ""
            titled = bool(title) and _is_short_heading(title) and not heading_marker(title, series) \
                and not APPENDIX_RE.match(title)
            label = _label(re.sub(r"\s+", "", ptext) + ("　" + title if titled else ""), HEADING_MAX)
            n = appendix.group("n")
            attach(Section(1, label, "appendix", "appendix", ordinal_value(n) if n else 1, para.number,
                           para.start, para.end, marker="附件"))
            appendix_title = nxt.number if titled else None
            whole(para)
            continue
        if para.number == appendix_title:
            whole(para)
            continue
        found = heading_marker(ptext, series)
        if _TOC_RE.match(ptext):
            in_toc, toc_first = True, None
            whole(para)
            continue
        if in_toc:
            norm = re.sub(r"\s+", "", ptext)
            if found and _is_short_heading(ptext) and norm != toc_first:
                toc_first = toc_first or norm
                whole(para)
                continue
            in_toc = False
        sentences = None
        if found:
            marker, ordinal, m = found
            is_md = marker.startswith("#")
            short = is_md or _is_short_heading(ptext)
            if not short:
                sentences = split_sentences(text, para.start, para.end)
            if short or sentences:
                pop_points()
                if marker not in order:  # first appearance: goes right below its parent's kind
                    open_heads = [h for h in stack if not _conventionally_below(marker, h.marker)
                                  and not (is_md and h.marker.startswith("#") and len(h.marker) >= len(marker))]
                    at = order.index(open_heads[-1].marker) + 1 if open_heads else 0
                    order.insert(at, marker)
                r = order.index(marker)
                while stack and (order.index(stack[-1].marker) >= r or (
                        is_md and stack[-1].marker.startswith("#") and len(stack[-1].marker) >= len(marker))):
                    stack.pop()
                top = not stack
                if is_md:
                    kind = "part" if (ordinal and top and heading_marker(m.group(2))[0] == "一、") else "heading"
                else:
                    kind = "part" if top else "area"
                family = {"part": "part", "area": "area", "heading": "part"}[kind]
                if short:
                    start, end = para.start, para.end
                    label = _label(m.group(2) if is_md else ptext, HEADING_MAX)
                else:
                    start, end = sentences[0]
                    label = _label(text[start:end])
                level = len(marker) if is_md and top else len(stack) + 1
                attach(Section(level, label, kind, family, ordinal, para.number, start, end, marker=marker))
                last_point = None
                if short:
                    whole(para)
                    continue
        # points end with their paragraph, unless this paragraph continues the series
        opening = _point_at(text, para.start + len(ptext) - len(ptext.lstrip()), para.end)
        continues = bool(opening and last_point is not None and opening[0] == last_point.family
                         and opening[1] != 1 and _follows(opening[0], opening[1], last_point))
        pop_points()
        if sentences is None:
            sentences = split_sentences(text, para.start, para.end)
        if para.number in leads:
            ordinal, start, end = leads[para.number]
            node = Section(max(3, len(headings()) + 1), _label(text[start:end], 30), "point", "lead", ordinal,
                           para.number, start, end, marker="lead")
            attach(node)
        for s_start, s_end in sentences:
            for start, end in _split_at_markers(text, s_start, s_end):
                found_point = _point_at(text, start, end)
                if found_point:
                    family, ordinal, _m = found_point
                    siblings = [i for i, s in enumerate(stack) if s.kind == "point" and s.family == family]
                    if siblings:
                        ok = _follows(family, ordinal, stack[siblings[-1]])
                        if ok:
                            del stack[siblings[-1]:]
                    elif continues and start == sentences[0][0]:
                        ok = True
                    else:
                        ok = family == "dash" or ordinal == 1
                    if ok:
                        inner = sum(1 for s in stack if s.kind == "point")
                        depth = max(3, len(headings()) + 1) + inner
                        node = Section(depth, _label(text[start:end], 30), "point", family, ordinal,
                                       para.number, start, end, marker=family)
                        attach(node)
                        if inner == 0:
                            last_point = node
                units.append(Unit(doc.id, para.number, start, end,
                                  labels() + (row,) if row and not found and _is_row_text(ptext) else labels(),
                                  key(para.number)))
    _close_extents(doc, roots, len(text))
    return Structure(doc, units, roots)


ROW_LABEL_MAX = 16  # a table cell that labels the row after it is at most this long


def _row_label(text: str, prev) -> str:
    """The cell on paragraph `prev` as a row label: short, no clause punctuation, not a bare
    number or date (序号 1, 2019年3月)."""
    cell = text[prev.start:prev.end].strip()
    if (len(cell) > ROW_LABEL_MAX or re.search(r"[，。；：,;:！？]", cell) or APPENDIX_RE.match(cell)
            or re.fullmatch(r"[\d\s.、年月日号（）()%-]+", cell)):
        return ""
    return cell


def _is_row_text(ptext: str) -> bool:
    """A row's text, not another cell (a column's long name): punctuated, or twice a label's length."""
    s = ptext.strip()
    return len(s) > 2 * ROW_LABEL_MAX or bool(re.search(r"[，。；]", s))


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


# --------------------------------------------------------------------------
# Outline questions: the top level and references by position
# --------------------------------------------------------------------------
def _heading_children(node_children: list[Section]) -> list[Section]:
    return [c for c in node_children if c.kind != "point"]


def top_level(structure: Structure) -> list[Section]:
    """The nodes "分为哪几个部分 / 共几章" lists: the top-level headings of the outline.

    A lone top heading that is the document's title (a Markdown ``# 标题`` on the first
    paragraph, or a heading whose label is the title) is looked through to its
    children.  A document without headings gives its top-level points (``一是…二是…``),
    or [] when it has none.
    """
    heads = [h for h in _heading_children(structure.roots) if h.kind != "appendix"]  # (the body's parts)
    while len(heads) == 1 and _heading_children(heads[0].children) and (
            heads[0].paragraph == 1 or heads[0].label == structure.doc.title):
        heads = _heading_children(heads[0].children)
    return heads or list(structure.roots)


_EN_ORD = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_EN_NUM = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split())}
_N = rf"[{CN_NUM}]+|[0-9]{{1,4}}"
_EN_N = r"[0-9]{1,4}|" + "|".join(_EN_NUM)
_EN_O = "|".join(_EN_ORD)
_REF_RE = re.compile(
    rf"第(?P<part>{_N})(?:个|大)?部分"
    rf"|(?P<last>最后一)(?:个|大)?部分"
    rf"|第(?P<mk>{_N})(?P<mkind>编|章|节|条)"
    rf"|第(?P<aspect>{_N})(?:个)?方面"
    rf"|[（(](?P<pcn>[{CN_NUM}]+)[）)]"
    rf"|[（(](?P<pnum>[0-9]{{1,3}})[）)]"
    rf"|第(?P<point>{_N})(?:个)?(?P<pfam>要|是|点)"
    rf"|\b(?:part|section)\s+(?P<en_part>{_EN_N})\b"
    rf"|\b(?P<en_part_o>{_EN_O})\s+(?:part|section)\b"
    rf"|\b(?:the\s+)?last\s+(?P<en_last>part|section)\b"
    rf"|\b(?P<en_kind>chapter|article)\s+(?P<en_mk>{_EN_N})\b"
    rf"|\b(?P<en_mk_o>{_EN_O})\s+(?P<en_kind_o>chapter|article)\b"
    rf"|\b(?P<en_point_o>{_EN_O})\s+point\b|\bpoint\s+(?P<en_point>{_EN_N})\b",
    re.I,
)


def _en_value(token: str) -> int:
    t = token.lower()
    return int(t) if t.isdigit() else _EN_ORD.get(t) or _EN_NUM.get(t, 0)


def _descendants(nodes: list[Section]):
    for n in nodes:
        yield n
        yield from _descendants(n.children)


def _first_level_children(scope: list[Section] | None, structure: Structure, want) -> list[Section]:
    """Children passing `want` of the shallowest level (below `scope`, or from the roots) that has any."""
    level = [Section(0, "", "root", "root", 0, 0, 0, 0, children=structure.roots)] if scope is None else scope
    while level:
        hits = [c for n in level for c in n.children if want(n, c)]
        if hits:
            return hits
        level = [c for n in level for c in n.children]
    return []


def resolve_reference(structure: Structure, text: str) -> list[Section]:
    """The outline node(s) a question or claim refers to by position, in document order.

    Understood references (Chinese or Arabic numerals; several in a row narrow down,
    e.g. "第二部分第五个方面的第二要"):

    * "第三部分" / "第三个部分" / "最后一部分" / "part three" / "the third part" — the
      third (last) node of :func:`top_level`;
    * "第二编/第二章/第三节/第十五条" / "chapter 2" / "article 15" — the heading with that
      marker and number (within the node referenced before it, if any);
    * "（三）" / "（3）" — the heading with that marker and number, at the first level
      (below the referenced node, else from the top) that has such children;
    * "第三个方面" — the third heading child of the referenced node (its third point when
      it has no heading children), else of each node of the first level below the top
      that has heading children (the top level itself when nothing is nested);
    * "第二要" / "第二是" / "第二点" / "the second point" — the point(s) of that number
      (要/是 family; 点: any numbered family) within the referenced node, else anywhere.

    Returns [] when the text holds no such reference or the document has no such node.
    """
    result: list[Section] | None = None
    for m in _REF_RE.finditer(text):
        g = m.groupdict()
        scope = result
        if g["part"] or g["en_part"] or g["en_part_o"] or g["last"] or g["en_last"]:
            tops = top_level(structure) if scope is None else [
                c for n in scope for c in _heading_children(n.children)]
            if g["last"] or g["en_last"]:
                n = len(tops)
            else:
                n = ordinal_value(g["part"]) if g["part"] else _en_value(g["en_part"] or g["en_part_o"])
            found = [tops[n - 1]] if 1 <= n <= len(tops) else []
        elif g["mk"] or g["en_mk"] or g["en_mk_o"]:
            if g["mk"]:
                kind, n = g["mkind"], ordinal_value(g["mk"])
            else:
                kind = {"chapter": "章", "article": "条"}[(g["en_kind"] or g["en_kind_o"]).lower()]
                n = _en_value(g["en_mk"] or g["en_mk_o"])
            pool = structure.roots if scope is None else [c for s in scope for c in s.children]
            found = [s for s in _descendants(pool) if s.marker == kind and s.ordinal == n]
        elif g["pcn"] or g["pnum"]:
            marker, n = ("（一）", ordinal_value(g["pcn"])) if g["pcn"] else ("（1）", int(g["pnum"]))
            found = _first_level_children(scope, structure,
                                          lambda _p, c: c.marker == marker and c.ordinal == n)
        elif g["aspect"]:
            n = ordinal_value(g["aspect"])
            parents = scope
            if parents is None:
                tops = top_level(structure)
                parents = tops if any(_heading_children(t.children) for t in tops) else None
            if parents is None:
                tops = top_level(structure)
                found = [tops[n - 1]] if 1 <= n <= len(tops) else []
            else:
                found = []
                level = parents
                while level and not found:
                    found = [_heading_children(p.children)[n - 1] for p in level
                             if len(_heading_children(p.children)) >= n]
                    if any(_heading_children(p.children) for p in level):
                        break
                    level = [c for p in level for c in p.children]
                if not found and scope is not None:  # a part made of points: 一是…二是…
                    found = [p.children[n - 1] for p in scope if len(p.children) >= n]
        elif g["point"] or g["en_point"] or g["en_point_o"]:
            if g["point"]:
                n, fam = ordinal_value(g["point"]), g["pfam"]
            else:
                n, fam = _en_value(g["en_point"] or g["en_point_o"]), "点"
            families = ("要", "是", "seq") if fam == "点" else (fam,)
            pool = structure.roots if scope is None else [c for s in scope for c in s.children]
            found = [s for s in _descendants(pool) if s.kind == "point" and s.family in families and s.ordinal == n]
        else:  # pragma: no cover - every alternative is handled above
            continue
        if not found:
            return []
        result = found
    return result or []

REFERENCE = _REF_RE  # positional outline references ("第三部分", "第十五条", "（三）", "第二要"), for callers that cut them out
