"""对照学习: line one document's outline up against another document (对标对表).

:func:`compare_documents` takes two indexed documents A and B.  For every outline
node of A (areas and points, see :func:`outline_nodes`) it gives the 1–3 passages of
B that address the same subject, each an exact :class:`~assistant.citations.Citation`
with a score, or marks the node "未找到对应表述" when nothing in B scores above the
threshold.  Where A and B state a figure for the same indicator, a
:class:`FigurePair` puts them side by side.

Method
------
* **Candidates** are B's sentences (the structure units of B: sentence pieces cut at
  point markers), each cited exactly (``quote == text[start:end]``).
* **Signals** for a node N and a candidate sentence S (all general, nothing written
  for one document):

  - ``dense`` — cosine similarity between N's vector (the normalised mean of the
    stored embeddings of A's chunks inside N; chunks are embedded with their
    headings by the project's model, :mod:`assistant.embeddings`) and the stored
    embedding of the B chunk holding S; no text is embedded at comparison time;
  - ``dense_z`` — the same similarity standardised over all of B's sentences for
    this node (how much S stands out in B);
  - ``head`` — share of the idf mass of N's heading words (jieba words and CJK
    bigrams, idf from the retriever's BM25 over the whole index) found in S;
  - ``body`` — share of S's idf mass found anywhere in N's text.

* **Score** — a logistic model ``P(S addresses N's subject)`` over these four
  signals, fitted on *other* document pairs (``bench/compare.py --fit``; the fitted
  weights ship in ``assistant/data/compare_model.json``).  A candidate counts when
  ``P >= 0.5`` — the threshold is the model's decision boundary, not a number tuned
  on one pair.  Up to :data:`MAX_COUNTERPARTS` candidates above it are kept, best first.
* **Figures** — :func:`numbers.extract_quantities` on N's own text and on its
  counterpart sentences; two figures are one indicator only when the quote
  checker's pairing rules say so (``claims._comparable``: same kind of figure and a
  compatible unit; ``claims._items_match``: the same counted item, which must be
  named on both sides), the items agree more strictly than the checker's two-character
  head noun (one contains the other or they share a three-character ending:
  老龄化率 and 城镇化率 are different indicators), and their years agree when both
  sentences state one.  A figure without a named item is never paired: same unit is
  not enough.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import claims
from .citations import Citation, cite
from .lexical import tokenize
from .naming import RELATIVE_YEARS
from .numbers import Quantity, extract_quantities
from .structure import SEP, Section, Structure

__all__ = ["Counterpart", "FigurePair", "NodeComparison", "Comparison", "CompareError", "ScoreModel",
           "compare_documents", "outline_nodes", "same_indicator", "to_markdown", "add_to_docx", "NOT_FOUND"]

NOT_FOUND = "未找到对应表述"
MAX_COUNTERPARTS = 3
MIN_CANDIDATE_CHARS = 6  # B sentences shorter than this (a bare "（二）") are not passages
MODEL_FILE = Path(__file__).resolve().parent / "data" / "compare_model.json"
FEATURES = ("dense", "dense_z", "head", "body", "sect")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


class CompareError(ValueError):
    """A comparison that cannot be made (message in Chinese, for users)."""


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------
@dataclass
class Counterpart:
    """A passage of B on the subject of a node of A."""

    citation: Citation
    score: float  # P(the passage addresses the node's subject), from the fitted model
    signals: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**self.citation.to_dict(), "score": round(self.score, 3)}


@dataclass
class FigurePair:
    """One indicator stated by both documents: A's figure next to B's."""

    indicator: str  # what the figure counts (A's item; B's when it is longer)
    unit: str
    a_figure: str
    a: Citation  # the sentence of A that states it
    b_figure: str
    b: Citation
    a_year: int | None = None
    b_year: int | None = None

    def to_dict(self) -> dict:
        return {"indicator": self.indicator, "unit": self.unit,
                "a": {"figure": self.a_figure, "year": self.a_year, **self.a.to_dict()},
                "b": {"figure": self.b_figure, "year": self.b_year, **self.b.to_dict()}}


@dataclass
class NodeComparison:
    """One outline node of A with its counterparts in B."""

    node: str  # heading label
    section: str  # " › "-joined outline path of the node in A
    kind: str  # area | point | part | heading | paragraph
    heading: Citation  # the node's heading sentence in A
    start: int  # extent of the node in A
    end: int
    counterparts: list[Counterpart] = field(default_factory=list)
    figures: list[FigurePair] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.counterparts)

    def to_dict(self) -> dict:
        return {"node": self.node, "section": self.section, "kind": self.kind, "heading": self.heading.to_dict(),
                "found": self.found, "status": "" if self.found else NOT_FOUND,
                "counterparts": [c.to_dict() for c in self.counterparts],
                "figures": [f.to_dict() for f in self.figures]}


@dataclass
class Comparison:
    """A whole comparison of A (or one section of A) against B."""

    doc_a: str
    title_a: str
    doc_b: str
    title_b: str
    section: str | None
    nodes: list[NodeComparison]
    threshold: float
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"doc": self.doc_a, "title": self.title_a, "with": self.doc_b, "with_title": self.title_b,
                "section": self.section, "threshold": self.threshold,
                "nodes": [n.to_dict() for n in self.nodes]}

    def rows(self) -> list[dict]:
        """One JSON object per outline node of A (the CLI's ``--json`` output)."""
        return [n.to_dict() for n in self.nodes]


# --------------------------------------------------------------------------
# Score model
# --------------------------------------------------------------------------
@dataclass
class ScoreModel:
    """Logistic model over :data:`FEATURES`; ``P >= threshold`` counts as a counterpart."""

    weights: list[float]
    bias: float
    threshold: float = 0.5
    fitted_on: str = "default (not fitted)"

    def prob(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.weights, dtype=float) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "ScoreModel":
        try:
            d = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(list(map(float, d["weights"])), float(d["bias"]), float(d.get("threshold", 0.5)),
                       d.get("fitted_on", ""))
        except (OSError, ValueError, KeyError):
            return cls([1.0, 1.0, 4.0, 5.0, 1.0], -5.5)

    def save(self, path: Path = MODEL_FILE) -> None:
        Path(path).write_text(json.dumps({"features": list(FEATURES), **asdict(self)}, ensure_ascii=False, indent=2)
                              + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# Documents and nodes
# --------------------------------------------------------------------------
def resolve_pair(assistant, doc_a: str, doc_b: str):
    """The two indexed Documents named by id, file name or title (the ``notes --doc`` resolver)."""
    from .notes import NotesError, choose_document

    if not (doc_a and str(doc_a).strip()) or not (doc_b and str(doc_b).strip()):
        raise CompareError("请指定要对照的两篇文档，例如：--doc 讲话 --with 二十大报告")
    def one(name: str):
        try:
            return choose_document(assistant.index, name)
        except NotesError as exc:
            found = _by_short_name(assistant.index, str(name).strip())
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise CompareError(f"“{name}”可指多篇文档：" + "、".join(f"{d.id}（{d.title}）" for d in found)
                                   + "。请用文档 ID 或文件名指定") from exc
            raise CompareError(str(exc)) from exc

    a, b = one(doc_a), one(doc_b)
    if a.id == b.id:
        raise CompareError(f"两次指定的是同一篇文档（{a.title}）：请选择另一篇文档作对照")
    return a, b


def _by_short_name(index, name: str) -> list:
    """Documents one of whose names (``naming.profile``: kind, title core, "二十大报告"…) is `name`."""
    from .naming import profile

    docs = [index.document(i) for i in index.documents()]
    return [d for d in docs if name in profile(d).names()]


def outline_nodes(structure: Structure) -> list[tuple[Section, tuple[str, ...]]]:
    """The nodes of a document that are compared: every area and point (with its parent
    labels); a top-level part or heading only when nothing is below it.  A document
    without an outline is compared paragraph by paragraph (see :func:`_paragraph_nodes`)."""
    out = []
    for node, parents in structure.walk():
        if node.kind in ("part", "heading") and node.children:
            continue
        out.append((node, parents))
    return out


@dataclass
class _Node:
    label: str
    section: str
    kind: str
    start: int  # extent in the document
    end: int
    head: tuple[int, int]  # heading span
    own_end: int  # end of the node's own text (before its first child)


def _nodes(structure: Structure, within: Section | None) -> list[_Node]:
    doc = structure.doc
    out = []
    for node, parents in outline_nodes(structure):
        if within is not None and not (within.start <= node.start < within.extent_end):
            continue
        own_end = node.children[0].start if node.children else node.extent_end
        out.append(_Node(node.label, SEP.join(parents + (node.label,)), node.kind, node.start,
                         max(node.extent_end, node.end), (node.start, node.end), own_end))
    if not out and within is None:
        for p in doc.paragraphs:
            label = doc.text[p.start:p.end].strip()
            out.append(_Node(label[:30], f"第{p.number}段", "paragraph", p.start, p.end, (p.start, p.end), p.end))
    return out


# --------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------
def _tokens(text: str) -> set[str]:
    return {t for t in tokenize(text) if "*" not in t and not t[0].isdigit()}


class _DocData:
    """Per document: chunk vectors, candidate sentences, their tokens (cached per index build)."""

    def __init__(self, assistant, doc_id: str):
        index = assistant.index
        self.doc = index.document(doc_id)
        self.structure = assistant.structure(doc_id)
        self.chunks = [c for c in index.chunks if c.doc_id == doc_id]
        got = index.collection.get(where={"doc_id": doc_id}, include=["embeddings"])
        vec = {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(got["ids"], got["embeddings"])}
        mat = np.stack([vec[c.id] for c in self.chunks]) if self.chunks else np.zeros((0, 1), np.float32)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        self.vectors = mat / np.where(norms == 0, 1, norms)
        self.chunk_starts = np.asarray([c.start for c in self.chunks])
        text = self.doc.text
        headings = {(n.start, n.end) for n, _p in self.structure.walk() if n.kind != "point"}
        self.units = [u for u in self.structure.units
                      if len(re.sub(r"\W", "", text[u.start:u.end])) >= MIN_CANDIDATE_CHARS
                      and (u.start, u.end) not in headings]
        self.unit_chunk = np.asarray([self._chunk_of(u.start) for u in self.units], dtype=int)
        self.unit_tokens = [_tokens(text[u.start:u.end]) for u in self.units]
        self.unit_context = [_tokens(" ".join(u.section[-2:])) for u in self.units]
        self.year = _doc_year(self.doc)

    def _chunk_of(self, offset: int) -> int:
        i = int(np.searchsorted(self.chunk_starts, offset, side="right")) - 1
        return max(i, 0)

    def node_vector(self, start: int, end: int) -> np.ndarray:
        idx = [i for i, c in enumerate(self.chunks) if start <= c.start < end] or [self._chunk_of(start)]
        v = self.vectors[idx].mean(axis=0)
        n = np.linalg.norm(v)
        return v / n if n else v


def _doc_year(doc) -> int | None:
    try:
        from .naming import profile

        return profile(doc).year
    except Exception:  # naming is optional for a comparison
        y = (doc.metadata or {}).get("year")
        return int(y) if isinstance(y, int) else None


_CACHE: dict[tuple, _DocData] = {}


def _data(assistant, doc_id: str) -> _DocData:
    key = (id(assistant.index), assistant.index.build, doc_id)
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = _DocData(assistant, doc_id)
    return _CACHE[key]


def _idf_share(words: set[str], target: set[str], idf: dict, default: float) -> float:
    total = sum(idf.get(t, default) for t in words)
    return sum(idf.get(t, default) for t in words & target) / total if total else 0.0


def node_signals(assistant, a: _DocData, b: _DocData, node: _Node) -> np.ndarray:
    """Signals (rows: B's candidate sentences, columns: :data:`FEATURES`) for one node of A."""
    idf = assistant.retriever.bm25.idf
    default = max(idf.values()) if idf else 1.0
    text = a.doc.text
    vec = a.node_vector(node.start, node.end)
    sims = b.vectors @ vec
    dense = sims[b.unit_chunk] if len(b.units) else np.zeros(0)
    std = float(dense.std()) if len(dense) > 1 else 0.0
    dense_z = (dense - float(dense.mean())) / std if std > 0 else np.zeros_like(dense)
    head_tokens = _tokens(text[node.head[0]:node.head[1]])
    body_tokens = _tokens(text[node.start:node.end])
    head = np.asarray([_idf_share(head_tokens, t, idf, default) for t in b.unit_tokens])
    body = np.asarray([_idf_share(t, body_tokens, idf, default) for t in b.unit_tokens])
    sect = np.asarray([_idf_share(head_tokens, t, idf, default) for t in b.unit_context])
    return np.column_stack([dense, dense_z, head, body, sect]) if len(b.units) else np.zeros((0, len(FEATURES)))


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------
def _sentence_span(doc, structure: Structure, offset: int) -> tuple[int, int]:
    for u in structure.units:
        if u.start <= offset < u.end:
            return u.start, u.end
    p = doc.paragraph_at(offset)
    return p.start, p.end


def _figure_year(text: str, lo: int, q_start: int, doc_year: int | None) -> int | None:
    """The year a figure is stated for: the last year written before it in its sentence
    (今年/去年/明年 read against the document's year), else None."""
    before = text[lo:q_start]
    best, at = None, -1
    for m in _YEAR.finditer(before):
        best, at = int(m.group(1)), m.start()
    for word, delta in RELATIVE_YEARS.items():
        i = before.rfind(word)
        if i > at and doc_year:
            best, at = doc_year + delta, i
    return best


def _figures(doc, structure: Structure, spans: list[tuple[int, int]]) -> list[tuple[Quantity, tuple[int, int]]]:
    """Quantities (document offsets) in the given spans, each with its sentence span; years and
    ordinals are not indicators."""
    out = []
    for lo, hi in spans:
        for s_lo, s_hi in _sentences_in(structure, lo, hi):
            for q in extract_quantities(doc.text[s_lo:s_hi]):
                if q.kind in ("year", "ordinal") or q.value is None:
                    continue
                out.append((Quantity(q.text, q.start + s_lo, q.end + s_lo, q.value, q.unit, q.kind, q.item,
                                     q.qualifier, q.high), (s_lo, s_hi)))
    return out


def _sentences_in(structure: Structure, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(u.start, u.end) for u in structure.units if lo <= u.start < hi]


def same_indicator(qa: Quantity, qb: Quantity, year_a: int | None = None, year_b: int | None = None) -> bool:
    """Do two figures state the same indicator?  The quote checker's pairing rules: comparable
    kinds and units (``claims._comparable``) and the same counted item (``claims._items_match``;
    both items must be named); and the same year when both sentences state one."""
    if qa.kind in ("year", "ordinal") or qb.kind in ("year", "ordinal"):
        return False
    if not qa.unit or not qb.unit or qa.kind != qb.kind:
        return False  # a bare number, or a share next to a count: never one indicator
    if not claims._comparable(qa, qb) or not claims._items_match(qa.item, qb.item):
        return False
    if not _same_item(qa.item, qb.item):
        return False
    return year_a is None or year_b is None or year_a == year_b


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _same_item(a: str, b: str) -> bool:
    """Stricter than the checker's head-noun rule, which lets two-character endings pair
    (老龄化率 ~ 城镇化率): across documents one item must contain the other (全省老龄化率 ⊇
    老龄化率) or they must share an ending of at least three characters (规上工业企业 ~ 全部工业企业)."""
    return a in b or b in a or _common_suffix(a, b) >= 3


def _figure_pairs(a: _DocData, b: _DocData, node: _Node, counterparts: list[Counterpart]) -> list[FigurePair]:
    if not counterparts:
        return []
    a_figs = _figures(a.doc, a.structure, [(node.start, node.own_end)])
    b_figs = _figures(b.doc, b.structure, [(c.citation.start, c.citation.end) for c in counterparts])
    pairs, used = [], set()
    for qa, sa in a_figs:
        ya = _figure_year(a.doc.text, sa[0], qa.start, a.year)
        for j, (qb, sb) in enumerate(b_figs):
            if j in used:
                continue
            yb = _figure_year(b.doc.text, sb[0], qb.start, b.year)
            if same_indicator(qa, qb, ya, yb):
                used.add(j)
                indicator = qb.item if len(qb.item) > len(qa.item) else qa.item
                pairs.append(FigurePair(indicator, qa.unit, qa.text, _cite(a, *sa), qb.text, _cite(b, *sb), ya, yb))
                break
    return pairs


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------
def _cite(d: _DocData, start: int, end: int) -> Citation:
    from .structure import section_of

    return cite(d.doc, start, end, SEP.join(section_of(d.structure, start)))


def compare_documents(assistant, doc_a: str, doc_b: str, section: str | None = None,
                      model: ScoreModel | None = None) -> Comparison:
    """Compare document A's outline nodes with document B (both: id, file name or title).

    `section` limits A to one part or area (``"（五）"``, ``"二（一）"`` or words of its
    heading, as in ``notes --section``).  Raises :class:`CompareError` (Chinese message)
    for unknown documents, the same document twice or an unknown section.
    """
    t0 = time.perf_counter()
    da, db = resolve_pair(assistant, doc_a, doc_b)
    model = model or ScoreModel.load()
    a, b = _data(assistant, da.id), _data(assistant, db.id)
    within = None
    if section is not None and str(section).strip():
        from .notes import NotesError, find_section

        try:
            within = find_section(a.structure.roots, da.text, str(section))
        except NotesError as exc:
            raise CompareError(str(exc)) from exc
    nodes = []
    for node in _nodes(a.structure, within):
        x = node_signals(assistant, a, b, node)
        p = model.prob(x) if len(x) else np.zeros(0)
        order = [int(i) for i in np.argsort(-p, kind="stable") if p[i] >= model.threshold][:MAX_COUNTERPARTS]
        cps = [Counterpart(_cite(b, b.units[i].start, b.units[i].end), float(p[i]),
                           dict(zip(FEATURES, map(float, x[i])))) for i in order]
        nc = NodeComparison(node.label, node.section, node.kind, _cite(a, *node.head), node.start, node.end, cps)
        nc.figures = _figure_pairs(a, b, node, cps)
        nodes.append(nc)
    return Comparison(da.id, da.title, db.id, db.title, section, nodes, model.threshold,
                      time.perf_counter() - t0)


def candidate_signals(assistant, doc_a: str, doc_b: str) -> list[tuple[NodeComparison, np.ndarray, list[Citation]]]:
    """Every node of A with the signal matrix over all of B's candidate sentences and their
    citations (for fitting and inspecting the score model)."""
    da, db = resolve_pair(assistant, doc_a, doc_b)
    a, b = _data(assistant, da.id), _data(assistant, db.id)
    cands = [_cite(b, u.start, u.end) for u in b.units]
    out = []
    for node in _nodes(a.structure, None):
        nc = NodeComparison(node.label, node.section, node.kind, _cite(a, *node.head), node.start, node.end)
        out.append((nc, node_signals(assistant, a, b, node), cands))
    return out


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------
def _short_title(title: str) -> str:
    return re.split(r"——|—", title)[0].strip() or title


def _ref(c: Citation) -> str:
    return f"（{_short_title(c.title)}，第{c.paragraph}段）"


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def to_markdown(comparison: Comparison, heading_level: int = 2) -> str:
    """The comparison as a Markdown 对照学习 section; every line carries its citation."""
    h = "#" * heading_level
    lines = [f"{h} 对照学习：{_md(comparison.title_a)} × {_md(comparison.title_b)}", ""]
    if comparison.section:
        lines += [f"范围：{_md(comparison.section)}", ""]
    for n in comparison.nodes:
        lines.append(f"{h}# {_md(n.node)} {_ref(n.heading)}")
        lines.append("")
        if not n.counterparts:
            lines += [f"- {NOT_FOUND}", ""]
            continue
        for c in n.counterparts:
            lines.append(f"- “{_md(c.citation.quote)}”{_ref(c.citation)}（相关度 {c.score:.2f}）")
        if n.figures:
            lines += ["", "| 指标 | " + _md(comparison.title_a) + " | " + _md(comparison.title_b) + " |", "|---|---|---|"]
            for f in n.figures:
                lines.append(f"| {_md(f.indicator)}（{_md(f.unit)}） | {_md(f.a_figure)}{_ref(f.a)} | "
                             f"{_md(f.b_figure)}{_ref(f.b)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def add_to_docx(document, comparison: Comparison, heading_level: int = 1):
    """Append the comparison as a 对照学习 section to a python-docx Document; returns it."""
    document.add_heading(f"对照学习：{comparison.title_a} × {comparison.title_b}", level=heading_level)
    if comparison.section:
        document.add_paragraph(f"范围：{comparison.section}")
    for n in comparison.nodes:
        document.add_heading(f"{n.node} {_ref(n.heading)}", level=heading_level + 1)
        if not n.counterparts:
            document.add_paragraph(NOT_FOUND, style="List Bullet")
            continue
        for c in n.counterparts:
            document.add_paragraph(f"“{c.citation.quote}”{_ref(c.citation)}（相关度 {c.score:.2f}）",
                                   style="List Bullet")
        if n.figures:
            table = document.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("指标", comparison.title_a, comparison.title_b)):
                cell.text = text
            for f in n.figures:
                row = table.add_row().cells
                row[0].text = f"{f.indicator}（{f.unit}）"
                row[1].text = f"{f.a_figure}{_ref(f.a)}"
                row[2].text = f"{f.b_figure}{_ref(f.b)}"
    return document


def format_text(comparison: Comparison) -> str:
    """Plain-text report for the terminal."""
    out = [f"对照学习：{comparison.title_a} × {comparison.title_b}"]
    for n in comparison.nodes:
        out.append("")
        out.append(f"■ {n.section}  {_ref(n.heading)}")
        if not n.counterparts:
            out.append(f"  {NOT_FOUND}")
        for c in n.counterparts:
            out.append(f"  [{c.score:.2f}] “{c.citation.quote}” {_ref(c.citation)}")
        for f in n.figures:
            out.append(f"  数据对照 {f.indicator}：{f.a_figure}{_ref(f.a)} | {f.b_figure}{_ref(f.b)}")
    found = sum(1 for n in comparison.nodes if n.found)
    out += ["", f"共 {len(comparison.nodes)} 个提纲节点，{found} 个找到对应表述；用时 {comparison.seconds:.1f} 秒"]
    return "\n".join(out) + "\n"
