"""Hybrid retrieval: BM25 over jieba words + dense Chroma search + the speech's outline.

Channels, fused by weighted reciprocal-rank fusion (RRF):

* **lexical** — BM25 over jieba words and CJK bigrams of each chunk's text; it
  carries Chinese retrieval (weight 1).  Adding the chunk's headings to the BM25
  text was measured and lost (MRR 0.97 → 0.88 on the dev set: every chunk of a
  point ties on the heading words), so headings go to the dense channel only;
* **dense** — cosine similarity in Chroma, weight ``ASSISTANT_DENSE_WEIGHT``
  (chosen on the dev set, README "检索"); for English questions it is the main
  bridge, together with dictionary translation of the question's terms;
* **figure** — for a question that asks for a figure (多少, how many…), a chunk with
  a number within a few characters of a question word gets a bonus;
* **exact** — a chunk that contains a figure or a quoted term of the question
  verbatim gets the score of a first-ranked hit;
* **outline** — "第三部分包括哪几个方面", "文旅融合发展提出了哪三要" or a follow-up
  "第三要…" are resolved against the parsed outline and put the right headings or
  points first.

:class:`HybridRetriever` exposes the same search as a LangChain retriever.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .chunking import Chunk
from .index import Index
from .lexical import ranked, tokenize
from .naming import RELATIVE_YEARS, DocProfile, profile
from .numbers import extract_quantities
from .query import PART_REF, POINT_REF, Query, analyse
from .structure import REFERENCE, Section, Structure, parse, resolve_reference, top_level

# "分为哪几个部分 / 共几章 / how many parts": the top level of the document is asked for
TOP_LIST = re.compile(r"(?:分为|分成|包括|包含|一共|共|有)(?:了)?(?:几|哪几|多少)(?:个)?(?:大)?(?:部分|章|编)"
                      r"|几个部分|几大部分|几章|哪几部分|哪几章|哪些部分|how many (?:parts|chapters|sections)"
                      r"|what (?:are the )?(?:parts|chapters)"
                      r"|(?:which|what) (?:main |major )(?:parts|chapters|sections)\b|\bdivided into\b"
                      r"|(?:which|what) (?:parts|chapters|sections) (?:is|are|does|do) the\b", re.I)
_WEAK_TOP = re.compile(r"几个部分|几大部分|哪几部分|哪些部分")
WHOLE_SPEECH = re.compile(r"部分|几章|全文|整篇|结构|框架|提纲|parts|chapters|structure")
STRUCTURAL = re.compile(r"^(第[一二三四五六七八九十两\d]+.*|[一二三四五六七八九十两\d]+个?|部分|方面|讲了|讲|意见|工作|内容|要点|分别|几个|哪几个|哪几|主要|个|分为|包括|包含|组成|构成|结构|框架|正文|一共|共|标题|规定|章|条|节|part|parts|chapters|structure)$")


def _content_words(q: Query) -> list[str]:
    """The question's own words that are not about the outline itself ("第二要是什么" has none:
    the reference is cut out before tokenizing, so 要是 is not taken for a word)."""
    text = REFERENCE.sub(" ", POINT_REF.sub(" ", PART_REF.sub(" ", q.content or q.text)))
    return [t for t in tokenize(text, query=True) if not t.startswith("§") and len(t) >= 2 and not STRUCTURAL.match(t)]


def _numbered_runs(nodes: list[Section]) -> list[list[Section]]:
    """Sibling headings split where their numbering starts again (一是 … 一是 二是 三是: two lists)."""
    runs: list[list[Section]] = []
    for n in nodes:
        if not runs or n.ordinal <= runs[-1][-1].ordinal or n.family != runs[-1][-1].family:
            runs.append([])
        runs[-1].append(n)
    return runs


RRF_K = 10
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}年?")
ENDING_PARAGRAPHS = 2  # "讲话最后提了哪几点要求": a list at the end is in its last paragraphs (the closing call and the one before)
OPENING_PARAGRAPHS = 2  # "讲话开头" = the first paragraphs of the body (the salutation and the opening one)
LABEL_SHARE = 0.5  # a list question is about an outline node when its heading holds this share of the question's words
DENSE_CANDIDATES = 30
FIGURE_BONUS = 0.5
FIGURE_WINDOW = 12
DOC_BONUS = 0.5  # a chunk of the document a question names by its kind only ("报告指出…")
PRIMARY_BONUS = 0.25  # a chunk of the primary document (metadata kind: speech) when no document is named
_NUMERAL = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]")  # may hold a figure in some notation


def _figure_near(text: str, terms: list[str]) -> bool:
    """Does a figure (in any notation: 267亿元, 九千六百多万名, 百分之十八点五) stand within
    FIGURE_WINDOW characters of one of `terms`?"""
    for start, end in _figure_spans(text):
        window = text[max(0, start - FIGURE_WINDOW) : end + FIGURE_WINDOW]
        if any(t in window for t in terms):
            return True
    return False


@lru_cache(maxsize=65536)
def _figure_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((q.start, q.end) for q in extract_quantities(text) if q.kind != "ordinal")


@dataclass
class Hit:
    """A retrieved chunk with how it was found."""

    chunk: Chunk
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    outline: bool = False
    dense_sim: float | None = None  # cosine similarity to the question (None: not among the dense candidates)


class Retriever:
    """Search over an opened :class:`~assistant.index.Index`."""

    def __init__(self, index: Index, dense_weight: float = 0.35, translate=None, use_dense: bool = True):
        self.index = index
        self.chunks = index.chunks
        self.by_id = {c.id: i for i, c in enumerate(self.chunks)}
        self.last_paragraph: dict[str, int] = {}
        # the body opens at the first paragraph that speaks in sentences: the title, date and
        # author lines above it ("在…讲话提纲", "（2018年9月3日）", "马卫光") are not its opening
        self.first_paragraph: dict[str, int] = {}
        for c in self.chunks:
            self.last_paragraph[c.doc_id] = max(self.last_paragraph.get(c.doc_id, 0), c.paragraph)
            if "。" in c.text:
                self.first_paragraph[c.doc_id] = min(self.first_paragraph.get(c.doc_id, c.paragraph), c.paragraph)
        self.bm25 = index.lexical()
        # per-query work touches hits, not every chunk: chunk -> document arrays, each
        # document's chunk range (chunks are sorted by document, then start)
        self.doc_list = list(dict.fromkeys(c.doc_id for c in self.chunks))
        doc_no = {d: n for n, d in enumerate(self.doc_list)}
        self.chunk_doc = np.array([doc_no[c.doc_id] for c in self.chunks], dtype=np.int64)
        self.doc_range: dict[str, tuple[int, int]] = {}
        for i, c in enumerate(self.chunks):
            lo, _hi = self.doc_range.get(c.doc_id, (i, i))
            self.doc_range[c.doc_id] = (lo, i + 1)
        self._starts = {d: [self.chunks[i].start for i in range(lo, hi)] for d, (lo, hi) in self.doc_range.items()}
        para = np.array([c.paragraph for c in self.chunks], dtype=np.int64)
        last = np.array([self.last_paragraph[c.doc_id] for c in self.chunks], dtype=np.int64)
        self._opening = np.array([self.at_position(c, "start") for c in self.chunks], dtype=bool)
        self._ending = para == last
        self._ending_list = para > last - ENDING_PARAGRAPHS
        self._has_digit = None
        self._outline = None
        self.dense_weight = dense_weight if use_dense else 0.0
        self.translate = translate
        self._structures: dict[str, Structure] = {}
        self._profiles: list[DocProfile] | None = None
        self._spread: dict[tuple[str, str], float] = {}
        self._years: dict[str, int] | None = None  # document → its year (from the profiles)

    @cached_property
    def primary(self) -> set[str]:
        """The documents the assistant is about (``kind: speech`` in their metadata)."""
        return {d.id for d in self.index.all_documents() if (d.metadata or {}).get("kind") == "speech"}

    @property
    def profiles(self) -> list[DocProfile]:
        """What each indexed document is called (derived from the document, computed once)."""
        if self._profiles is None:
            self._profiles = [profile(d) for d in self.index.all_documents()]
        return self._profiles

    def year_of(self, doc_id: str | None) -> int | None:
        """A document's year (metadata or title, :class:`naming.DocProfile`); None when not known."""
        if self._years is None:
            self._years = {p.doc_id: p.year for p in self.profiles if p.year}
        return self._years.get(doc_id) if doc_id else None

    def at_position(self, chunk: Chunk, position: str | None, ending: int = ENDING_PARAGRAPHS) -> bool:
        """Is `chunk` where a question about the speech's opening ("start": the lines before its
        first heading, up to the OPENING_PARAGRAPHS-th paragraph of the body) or ending ("end":
        its last `ending` paragraphs) points?"""
        if position == "start":
            return not chunk.section and chunk.paragraph < self.first_paragraph.get(chunk.doc_id, 1) + OPENING_PARAGRAPHS
        return position == "end" and chunk.paragraph > self.last_paragraph[chunk.doc_id] - ending

    # -- outline -------------------------------------------------------------
    def structure(self, doc_id: str) -> Structure:
        if doc_id not in self._structures:
            self._structures[doc_id] = parse(self.index.document(doc_id))
        return self._structures[doc_id]

    def _nodes(self, doc_ids):
        for doc_id in doc_ids:
            for node, parents in self.structure(doc_id).walk():
                yield doc_id, node, parents

    def _outline_index(self):
        """Every outline node of every document (document order, then walk order) with the tokens
        of its label, and token -> positions of the nodes whose label has it; built once, so an
        outline question scores the few headings that share its words, not every heading."""
        if self._outline is None:
            flat, inverted = [], {}
            for doc_id in self.doc_list:
                for node, _parents in self.structure(doc_id).walk():
                    tokens = set(tokenize(node.label))
                    for t in tokens:
                        inverted.setdefault(t, []).append(len(flat))
                    flat.append((doc_id, node, tokens))
            self._outline = (flat, inverted)
        return self._outline

    def _label_score(self, node: Section, q: Query, current_only: bool, history_full: bool = False,
                     label_tokens: set[str] | None = None) -> float:
        if label_tokens is None:
            label_tokens = set(tokenize(node.label))
        return sum(
            self.bm25.idf.get(t, 0.0) * (1.0 if history_full else q.weights.get(t, 1.0))
            for t in set(q.tokens)
            if t in label_tokens and (not current_only or q.weights.get(t, 1.0) >= 1.0)
        )

    def _label_share(self, node: Section | None, q: Query, doc_id: str | None = None, label: str | None = None) -> float:
        """Idf-weighted share of the question's own content words found in a heading (or in
        `label`).  "今年/去年" are found where the heading names that year of its document
        ("三、2026年重点工作" in a 2026 report holds 今年)."""
        words = _content_words(q)
        label = node.label if label is None else label
        year = self.year_of(doc_id)

        def found(w: str) -> bool:
            if w in label:
                return True
            return bool(year) and w in RELATIVE_YEARS and f"{year + RELATIVE_YEARS[w]}年" in label

        def weight(w: str) -> float:
            # a word in most of the document's paragraphs is its topic ("政府信息" in 政府信息公开条例):
            # it does not tell one heading from another
            return self.bm25.idf.get("§" + w[:2], 1.0) * len(w) * (1.0 - self._spread_in(doc_id, w))

        total = sum(weight(w) for w in words)
        got = sum(weight(w) for w in words if found(w))
        return got / total if total else 1.0

    def words_share(self, q: Query, doc_id: str, text: str) -> float:
        """Idf-weighted share of the question's own content words (not its outline words) that
        `text` of document `doc_id` holds (1.0 when the question has none: "第三部分讲了什么")."""
        return self._label_share(None, q, doc_id, text)

    def _spread_in(self, doc_id: str | None, word: str) -> float:
        """The share of document `doc_id`'s paragraphs that contain `word` (0 with no document)."""
        if doc_id is None:
            return 0.0
        key = (doc_id, word)
        if key not in self._spread:
            doc = self.index.document(doc_id)
            paras = doc.paragraphs
            self._spread[key] = sum(word in doc.text[p.start:p.end] for p in paras) / len(paras) if paras else 0.0
        return self._spread[key]

    def _best_node(self, q: Query, doc_ids, kinds=("part", "area", "point", "heading"), current_only=False,
                   history_full=False):
        best, best_score = None, 0.0
        flat, inverted = self._outline_index()
        rank = {d: n for n, d in enumerate(doc_ids)}
        # only a heading sharing a question token can score above 0; visited in `doc_ids` order,
        # then outline order, so the first best heading wins as when every heading was scored
        found = {p for t in set(q.tokens) for p in inverted.get(t, ()) if flat[p][0] in rank}
        for pos in sorted(found, key=lambda p: (rank[flat[p][0]], p)):
            doc_id, node, label_tokens = flat[pos]
            if node.kind not in kinds or not node.children:
                continue
            s = self._label_score(node, q, current_only, history_full, label_tokens)
            if s > best_score:
                best, best_score = (doc_id, node), s
        return best if best_score >= 3.0 else None

    def _parallel_headings(self, q: Query, doc_ids) -> tuple[str, list[Section]] | None:
        """Sibling headings (not articles) that each hold the same two or more of a list question's
        words, words their parent heading does not hold
        ("要筑牢哪几道防线" → 一是筑牢经济安全防线、二是筑牢生产安全防线、三是筑牢公共安全防线):
        the list the question asks for: the siblings sharing the most words (then the most
        siblings), of the earliest document in `doc_ids` on a tie."""
        words = set(_content_words(q))
        if len(words) < 2:
            return None
        best, best_key = None, (0, 0)
        for doc_id in doc_ids:
            labels = [n.label for n, _ in self.structure(doc_id).walk()]
            for node, _parents in self.structure(doc_id).walk():
                groups: dict[frozenset, list[Section]] = {}
                for kid in node.children:
                    if kid.marker == "条":
                        continue  # articles are provisions, not the items of a list
                    # (a three-character token may hold a verb after a particle: 要筑牢 → 筑牢); words
                    # the parent heading has too are the topic, not what sets the items apart
                    pieces = (w if w in kid.label else w[1:] if len(w) == 3 and w[1:] in kid.label else ""
                              for w in words)
                    shared = frozenset(w for w in pieces if w and w not in node.label)
                    if len(shared) >= 2:
                        groups.setdefault(shared, []).append(kid)
                for shared, kids in groups.items():
                    # the words set these headings apart: few other headings of the document hold them
                    # (政府信息 in every heading of a 条例 lists nothing)
                    if any(sum(w in lab for lab in labels) > 2 * len(kids) for w in shared):
                        continue
                    key = (len(shared), len(kids))
                    if len(kids) >= 2 and key > best_key:
                        best, best_key = (doc_id, kids), key
        return best

    def _doc_chunks(self, doc_id: str, start: int, end: int) -> list[Chunk]:
        """Chunks of a document that start in [start, end)."""
        lo, _hi = self.doc_range.get(doc_id, (0, 0))
        starts = self._starts.get(doc_id, [])
        a, b = bisect_left(starts, start), bisect_left(starts, end)
        return self.chunks[lo + a: lo + b]

    def _heading_chunks(self, doc_id: str, nodes) -> list[Chunk]:
        out = []
        lo, _hi = self.doc_range.get(doc_id, (0, 0))
        starts = self._starts.get(doc_id, [])
        for n in nodes:
            j = bisect_left(starts, n.start + 1) - 1  # the last chunk starting at or before the heading
            for c in self.chunks[lo + max(j, 0): lo + j + 2] if j >= 0 else []:
                if c.start <= n.start < c.end:
                    out.append(c)
        return out

    def primary_order(self, q: Query, doc_ids) -> list[str]:
        """Documents in the order an outline reference is resolved: the ones the question names,
        then the primary document (the one the assistant is about: ``kind: speech`` in its
        metadata), then the rest.  Among documents named only by a kind word ("报告第三部分"
        with several reports loaded) the newest comes first."""
        named = [d for d in (q.reference.doc_ids if q.reference else []) if d in doc_ids]
        if q.reference is not None and not q.reference.exact:
            named.sort(key=lambda d: -(self.year_of(d) or 0))
        primary = [d for d in doc_ids if d in self.primary]
        return list(dict.fromkeys([*named, *primary, *doc_ids]))

    def outline_targets(self, q: Query, doc_ids) -> tuple[list[Chunk], list[Chunk]]:
        """(headings to list first, chunks of a referenced node to favour).

        Positional references of any official document — "第二部分", "第三章", "第十五条",
        "（三）", "第五个方面", "第三要" (:func:`structure.resolve_reference`) — resolve to outline
        nodes of the named (else the primary) document.  A question that asks for a list
        ("包括哪几个方面", "哪三要"), or asks about a node and nothing else ("第一部分讲了什么",
        "第十五条规定了什么"), gets the node's children headings listed first (the node itself
        when it has none); "报告分为哪几个部分" lists the top level.  A referenced node in a
        question with its own content words ("第三要中要借鉴什么节目") only favours its chunks.
        """
        order = self.primary_order(q, doc_ids)
        target = None
        text = q.content or q.text
        words = _content_words(q)
        only_structure = not words
        top = TOP_LIST.search(text)
        # "哪些部分应该留在区里" asks which parts of something else: a bare "哪些部分 / 几个部分" asks
        # for the document's parts only when the question has no words of its own
        if top and (only_structure or not _WEAK_TOP.fullmatch(top.group(0))):
            tops = top_level(self.structure(order[0]))
            if len(tops) >= 2:
                return self._heading_chunks(order[0], tops), []
        if q.point_ref and not q.part_ref:
            # "第二要是什么？" after a question about 营商环境: the earlier turn names the area
            context = self._best_node(q, order, kinds=("area", "part", "point"), history_full=q.followup)
            if context:
                doc_id, node = context
                fam = {"要": "要", "是": "是"}.get(q.point_ref[1])
                kids = [c for c in node.children if fam is None or c.family == fam] or node.children
                if len(kids) >= q.point_ref[0]:
                    target = (doc_id, kids[q.point_ref[0] - 1])
        if target is None:
            # "第三部分讲了什么？包括哪几个体系？": of the documents that have that part, the one whose
            # part (or a heading right under it) holds the question's own words, else the first in order
            # "今年工作安排里的（三）": of the nodes numbered （三）, the one under the heading the words name
            best_share = -1.0
            for doc_id in order:
                st = self.structure(doc_id)
                nodes = resolve_reference(st, text)
                if not nodes:
                    continue
                if not words:
                    target = (doc_id, nodes[0])
                    break
                parents = {id(n): p for n, p in st.walk()}
                for n in nodes:
                    share = max([self._label_share(n, q, doc_id, "".join(parents.get(id(n), ())) + n.label),
                                 *(self._label_share(kid, q, doc_id) for kid in n.children)])
                    if share > best_share:
                        target, best_share = (doc_id, n), share
                if best_share >= 1.0:
                    break
            if words and best_share >= 1.0:
                only_structure = True  # its words only say which node is meant
        if target and not q.wants_list and not only_structure:
            doc_id, node = target
            return [], self._doc_chunks(doc_id, node.start, node.extent_end)
        if not (q.wants_list or (target and only_structure)):
            return [], []
        if target is None:
            target = self._best_node(q, order, current_only=True)
            weak = target is not None and self._label_share(target[1], q, target[0]) < LABEL_SHARE
            if target is None or weak:
                siblings = self._parallel_headings(q, order) if q.wants_list else None
                if siblings and q.items and len(siblings[1]) != q.items:
                    siblings = None  # "哪五个方面": six headings are not the five asked for
                if siblings:  # "要筑牢哪几道防线": 一是筑牢经济安全防线、二是筑牢生产安全防线…
                    return self._heading_chunks(*siblings), []
            if weak:
                # "防洪渠综合治理要打造哪几条长廊" shares 治理 with "一要抓好河渠治理" but asks about
                # something inside it: not an outline question
                return [], []
        if target is None and WHOLE_SPEECH.search(text) and only_structure:
            doc_id = order[0]
            return self._heading_chunks(doc_id, top_level(self.structure(doc_id))), []
        if target is None:
            return [], []
        doc_id, node = target
        if node.children and (q.wants_list or only_structure):
            kids = [c for c in node.children if c.kind != "point"] or node.children
            if q.items:
                # "重点抓了哪五个方面": the run of points numbered one to five; a heading over six
                # points does not list them
                kids = next((r for r in _numbered_runs(kids) if len(r) == q.items), [])
                if not kids:
                    return [], []
            return self._heading_chunks(doc_id, kids), []
        return self._heading_chunks(doc_id, [node]), []

    # -- search --------------------------------------------------------------
    def analyse(self, question: str, history=(), continues: bool = False) -> Query:
        """Understand a question once, against this index: its documents, terms and dictionary
        (`continues`: a later part of the same question, see `query.question_parts`)."""
        self.bm25.activate()
        return analyse(question, history, self.translate, self.profiles, continues)

    def search(self, question: str, k: int = 5, history=(), doc_ids: list[str] | None = None) -> list[Hit]:
        """Top-k chunks for a question (with earlier questions of the conversation)."""
        return self.search_query(self.analyse(question, history), k, doc_ids)

    def jurisdiction_scope(self, levels: str) -> list[str] | None:
        """The documents a question about a jurisdiction ("今年全省…", "全区") can be answered from:
        those that call it their own, and those that call none their own (a 条例, an 意见) — not
        a document of another level (the national report for 全省, a province's for 全区).
        None when that leaves every document or none of the ones that call it their own."""
        own = {p.doc_id for p in self.profiles if set(p.levels) & set(levels)}
        if "自治区" in levels:  # "自治区今年…": an autonomous region's documents, not a district's 全区
            own = {p.doc_id for p in self.profiles if "自治区" in p.title} or own
        elif "辖区" in levels:  # "the district": a district's documents, not an autonomous region's 全区
            own = {p.doc_id for p in self.profiles if p.doc_id in own and "自治区" not in p.title}
        neutral = {p.doc_id for p in self.profiles if not p.levels}
        scope = own | neutral
        return sorted(scope) if own and len(scope) < len(self.profiles) else None

    def search_query(self, q: Query, k: int = 5, doc_ids: list[str] | None = None) -> list[Hit]:
        """Top-k chunks for an analysed question.

        A document the question names by title or by an abbreviation of its header scopes the
        search, and so do the documents a kind word names ("讲话指出" with two speeches loaded),
        unless `doc_ids` is given: among the documents the user chose, those the kind names are
        preferred.  A question naming none leans slightly to the primary document.

        The fusion runs on arrays over all chunks (one float per chunk and channel), and the
        channels that look for text in chunks (figure near a question word, exact figures and
        quoted terms) only test the chunks that the lexical index says can contain the text,
        so a query costs about the size of its hits, not of the corpus.  The order is the one
        of a plain dict-of-scores fusion: by score, ties by the order chunks were first scored.
        """
        ref = q.reference
        if not doc_ids and ref is not None:
            # a document named by title or abbreviation scopes the search, and so does a kind word
            # several documents share ("讲话…" with two speeches loaded: one of them, no 意见)
            doc_ids = list(ref.doc_ids)
        if not doc_ids and ref is None and q.levels:
            doc_ids = self.jurisdiction_scope(q.levels)
        preferred = set(ref.doc_ids) if ref is not None and not ref.exact else set()
        n = len(self.chunks)
        allowed = set(doc_ids) & set(self.doc_range) if doc_ids else None
        if allowed is not None and not allowed:
            return []
        if not n:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(n, dtype=bool)
            for d in allowed:
                lo, hi = self.doc_range[d]
                mask[lo:hi] = True
        doc_order = [d for d in self.doc_list if allowed is None or d in allowed]
        fused = np.zeros(n)
        first_seen = np.full(n, n + 1_000_000, dtype=np.int64)
        seen_count = 0

        def add(idx: np.ndarray, value) -> None:
            nonlocal seen_count
            if not len(idx):
                return
            new = idx[first_seen[idx] > n + 999_999]
            first_seen[new] = seen_count + np.arange(len(new))
            seen_count += len(new)
            fused[idx] += value

        lex = self.bm25.scores(q.tokens, q.weights)
        lex_order = ranked(lex, mask)
        lex_rank = np.full(n, -1, dtype=np.int64)
        lex_rank[lex_order] = np.arange(len(lex_order))
        add(lex_order, 1.0 / (RRF_K + np.arange(len(lex_order)) + 1))

        if q.wants_figure:
            near = q.words()
            if self._has_digit is None:
                self._has_digit = np.array([bool(_NUMERAL.search(c.text)) for c in self.chunks])
            cand = self._containing(near, self._has_digit if mask is None else self._has_digit & mask)
            hit = np.array([i for i in cand.tolist() if _figure_near(self.chunks[i].text, near)], dtype=np.int64)
            add(hit, FIGURE_BONUS / (RRF_K + 1))

        dense_rank: dict[int, int] = {}
        dense_sim: dict[int, float] = {}
        if self.dense_weight > 0:
            where = {"doc_id": {"$in": sorted(allowed)}} if allowed else None
            for r, (cid, _sim) in enumerate(self.index.dense_search_vector(
                    q.vector(q.dense_text, self.index.embeddings), DENSE_CANDIDATES, where)):
                i = self.by_id.get(cid)
                if i is None:
                    continue
                dense_rank[i] = r
                dense_sim[i] = _sim
                add(np.array([i]), self.dense_weight / (RRF_K + r + 1))

        # (a year is no exact figure: every heading and sentence of that year's report has it —
        # the answer's year check reads it instead)
        exact = [t for t in q.figures + q.quoted if (len(t) >= 2 or t.isdigit()) and not _YEAR_ONLY.fullmatch(t)]
        if exact:
            cand = self._containing(exact, mask)
            hit = np.array([i for i in cand.tolist() if any(t in self.chunks[i].text for t in exact)], dtype=np.int64)
            add(hit, 1.0 / (RRF_K + 1))

        if q.position:  # "讲话开头/结尾……": the opening paragraphs or the last one of each document
            placed = self._opening if q.position == "start" else self._ending_list if q.wants_list else self._ending
            add(np.flatnonzero(placed if mask is None else placed & mask), 1.0 / (RRF_K + 1))

        if ref is None and len(doc_order) > 1:
            # a question that names no document leans, slightly, to the one the assistant is about
            primary = self.primary & set(doc_order)
            preferred = primary if len(primary) < len(doc_order) else set()
            bonus = PRIMARY_BONUS
        else:
            bonus = DOC_BONUS
        if preferred and len(preferred) < len(doc_order):
            for d in preferred:
                lo, hi = self.doc_range[d]
                add(np.arange(lo, hi), bonus / (RRF_K + 1))

        first, favour = self.outline_targets(q, doc_order)
        for c in favour:
            add(np.array([self.by_id[c.id]]), 1.0 / (RRF_K + 1))

        touched = np.flatnonzero(first_seen <= n + 999_999)
        order = touched[np.lexsort((first_seen[touched], -fused[touched]))]
        want = max(k, len(first))
        hits: list[Hit] = []
        seen: set[int] = set()

        def hit_of(i: int, score: float, outline: bool = False) -> Hit:
            r = int(lex_rank[i])
            return Hit(self.chunks[i], score, r if r >= 0 else None, dense_rank.get(i), outline=outline,
                       dense_sim=dense_sim.get(i))

        for c in first:
            i = self.by_id[c.id]
            if i not in seen:
                hits.append(hit_of(i, 1.0 + float(fused[i]), outline=True))
                seen.add(i)
        for i in order.tolist():
            if len(hits) >= want:
                break
            if i in seen:
                continue
            hits.append(hit_of(i, float(fused[i])))
            seen.add(i)
        return hits[:want]

    def _containing(self, terms: list[str], mask: np.ndarray | None) -> np.ndarray:
        """Chunks (ascending, within `mask`) that may contain one of `terms`: the union of the
        lexical index's supersets; every chunk when a term's tokens cannot narrow it down."""
        parts = []
        for t in terms:
            got = self.bm25.may_contain(t)
            if got is None:
                parts = None
                break
            parts.append(got)
        if parts is None:
            cand = np.arange(len(self.chunks))
        elif parts:
            cand = np.unique(np.concatenate(parts))
        else:
            cand = np.zeros(0, dtype=np.int64)
        return cand[mask[cand]] if mask is not None else cand


class HybridRetriever(BaseRetriever):
    """LangChain retriever over :class:`Retriever` (page_content = exact chunk text)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs) -> list[LCDocument]:
        hits = self.retriever.search(query, k=kwargs.get("k", self.k), history=kwargs.get("history", ()))
        return [
            LCDocument(page_content=h.chunk.text, metadata={**h.chunk.metadata(), "score": h.score})
            for h in hits
        ]
