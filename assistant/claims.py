"""Check a quoted claim or figure against the sources (核对引文), with no LLM.

:func:`check_claim` returns a :class:`Verdict`:

* ``supported`` — a source sentence states it: the claim aligns with it and every
  figure in the claim equals a figure of that sentence after normalisation
  (``numbers.same_value``: 1370亿元 == 1,370亿元 == 一千三百七十亿元); wording
  may be paraphrased;
* ``contradicted`` — the source states the same item with a different figure,
  unit or key word (23.6% vs 26.3%, 267亿元 vs 267万元, 1955年 vs 1956年, 46个片区
  vs 228个片区, 拖拉机 vs 挖掘机); the source value and its exact span are shown;
* ``not_found`` — no source sentence states the item (or its figure).

Method
------
1. Framing such as "讲话说/讲话提出/据讲话，" is stripped; a claim of several
   sentences is checked sentence by sentence (the worst verdict wins).
2. Candidate sentences: the structure units of the chunks the hybrid retriever
   returns for the claim (``CANDIDATE_CHUNKS``).
3. Alignment: :class:`difflib.SequenceMatcher` (character level, no autojunk)
   between the claim and each sentence, then each run of up to ``MAX_CLAUSES``
   consecutive clauses of the best sentences; *coverage* is the share of the
   claim's characters inside matching blocks of ≥ 2 characters (figures written
   in Chinese numerals are left out: they are compared by value).  The best
   window (highest coverage, then shortest) is the aligned source span.  Coverage
   below ``MIN_COVERAGE`` → not_found; a claim whose clauses come from different
   sentences ("1955年建区以来，…创造了…成就") is then checked clause by clause.
4. Figures (``numbers.extract_quantities``): each claim figure is paired with a
   source figure of the window that counts the same item (same head noun), else
   with the one the alignment puts at its place (an anchored neighbour); equal
   value and unit → stated, different → contradicted; no counterpart in the
   window, sentence or paragraph → not stated → not_found.
5. Key words: inside the aligned span, a ``replace`` operation of the alignment
   flanked by matching text that swaps one short content word for another of
   about the same length (第一台[挖掘]机 vs 第一台[拖拉]机, [全世界]第一台 vs
   [新中国]第一台), or puts words where the source has a figure (占全市[一半] vs
   占全市[1/4]), contradicts.  Particles and pronouns (的/了/我/本…) are wording.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import jieba

from .citations import Citation, cite
from .duties import claimed_duty, duty_of, names_body, task_span
from .naming import (DOC_KINDS, RELATIVE_YEAR, YEAR_DIGITS, DocProfile, Reference, find_reference, is_place, levels_named, title_places,
                     profile, year_aliases)
from .numbers import Quantity, extract_quantities, same_value
from .sentences import split_clauses, split_sentences
from .structure import SEP, section_of

__all__ = ["Verdict", "check_claim", "claim_content", "evaluate_claims", "validate_claim", "strip_framing", "VERDICTS",
           "LABELS"]

VERDICTS = ("supported", "contradicted", "not_found")
LABELS = {"supported": "符合原文", "contradicted": "与原文不符", "not_found": "原文未提及"}

CANDIDATE_CHUNKS = 6  # chunks retrieved per claim; their sentences are aligned
REFINE_UNITS = 4  # best sentences whose clause windows are aligned
MAX_CLAUSES = 4  # a window is at most this many consecutive clauses
MIN_BLOCK = 2  # matching blocks shorter than this are alignment noise
MIN_COVERAGE = 0.55  # share of the claim aligned with the source below which nothing states it
MAX_SWAP = 4  # a substituted key word is at most this long
MIN_CLAUSE_CHARS = 4  # a clause checked on its own has at least this many content characters
CONTEXT_MIN = 0.4  # a claim must align this well with its sentence before its paragraph may explain the rest
FREE_RUN = 3  # characters a claim phrase needs to count when found out of order (and to count as unexplained)
FIGURE_BONUS = 0.15  # alignment credit of a window that states a figure comparable with the claim's
GAP_SLACK = 9  # characters more than the claim's that may stand between the aligned text and a figure it places
NEAR = 3  # a figure is "at the same place" when matching text ends at most this many characters before it
FLANK = 3  # characters of matching text around a substituted key word (both sides together)

# "讲话说/讲话中提到/报告强调/据讲话，" — the claim's framing, not its content
_FRAMING = re.compile(
    r"^\s*(?:(?:据|根据|按照)(?:该|这篇|本次)?(?:讲话|报告|原文|文中|文件)(?:中|里)?(?:的说法|所说|所述)?[，,：:]?"
    r"|(?:该|这篇|本次|这次)?(?:讲话|报告|原文|文中|文章|文件|书记|领导|会议)(?:中|里)?"
    r"(?:曾|还|也|明确|专门|特别)?"
    r"(?:说|说到|提到|提出|要求|强调|指出|表示|称|写道|写到|讲到|谈到|认为|部署|明确)(?:了|过)?[：:，,]?"
    # a document called by a name of its own that no profile knows ("一号文件提出，"), closed by punctuation
    rf"|[\u4e00-\u9fff]{{1,8}}?(?:{'|'.join(DOC_KINDS)}|文件)(?:中|里)?(?:明确|专门|特别|还|也)?"
    r"(?:提出|要求|强调|指出|明确|规定|称|写道|部署)(?:了)?[：:，,])\s*"
)
# a demonstrative that points back to the speech's own example (那家轴承企业 -> 轴承企业)
_DEMONSTRATIVE = re.compile(r"^(?:那家|这家|该|那个|这个|那位|这位)")
_MASK = re.compile(r"\*+")
_QUOTES = "“”\"「」‘’『』《》"
_QUOTE_PAIRS = {"“": "”", "\"": "\"", "「": "」", "‘": "’"}
_END_PUNCT = "。！？!?；;，,、 \t\r\n"
_CONTENT = re.compile(r"[\u4e00-\u9fff0-9A-Za-z%]")
# words that say how much without a figure (占全市[一半]): only these stand in for a source figure
_AMOUNT_WORDS = re.compile(r"半|倍|成|几|若干|多数|少数|大部|小部|大多|全部|所有|一些|部分|许多|大量|少量|多个|个别")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
# characters whose swap is wording, not content: particles, pronouns, auxiliaries, adverbs
_FUNCTION_CHARS = set("的地得了着过是和与及或并等都也将要需应会能可在为把被对于以从向就还又再更最很我本该此其这那各之所来到至")
_TIME_UNITS = {"年", "个月", "月", "天", "周"}
_DAY_UNITS = {"日", "天", "个工作日", "工作日"}  # durations in days: compared (30日 vs 20个工作日 differ)
_DURATION_UNITS = _TIME_UNITS | _DAY_UNITS | {"小时", "个小时", "分钟"}
_NEGATIVE = re.compile(r"负|下降|减少|降低|下滑|回落")
# full-width digits/letters/％/． -> ASCII, one character for one (offsets stay valid)
_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
                        "％": "%", "．": "."})



class _View:
    """A text read against a document's year: 今年/去年/明年/上年 written as years
    (``naming.year_aliases``), so "2022年城镇新增就业" in a claim matches "今年城镇新增就业" in a
    2022 document.  Everything is compared on ``text`` (the mapped text); positions are mapped
    back with :meth:`start`/:meth:`end` and quotes are cut from the original (:meth:`quote`), so
    citations keep their offsets into the document."""

    def __init__(self, orig: str, year: int | None):
        self.orig = orig
        self.year = year
        pieces = list(RELATIVE_YEAR.finditer(orig)) if year else []
        if not pieces:
            self.text, self._segs = orig, []
            return
        out, segs, pos, shift = [], [], 0, 0
        for m in pieces:
            out.append(orig[pos:m.start()])
            new = year_aliases(m.group(0), year)
            segs.append((m.start() + shift, m.start() + shift + len(new), m.start(), m.end()))
            out.append(new)
            shift += len(new) - (m.end() - m.start())
            pos = m.end()
        out.append(orig[pos:])
        self.text = "".join(out)
        self._segs = segs  # (mapped start, mapped end, original start, original end)

    def _orig(self, p: int, end: bool) -> int:
        delta = 0  # mapped minus original length of the rewritten years before p
        for ms, me, os_, oe in self._segs:
            if p <= ms:
                break
            if p < me:
                return oe if end else os_
            delta = me - oe
        return p - delta

    def start(self, p: int) -> int:
        """Original position of mapped start position `p` (inside a rewritten year: its start)."""
        return self._orig(p, False)

    def end(self, p: int) -> int:
        """Original position of mapped end position `p` (inside a rewritten year: its end)."""
        return self._orig(p, True)

    def fwd(self, p: int) -> int:
        """Mapped position of original position `p`."""
        delta = 0
        for ms, me, os_, oe in self._segs:
            if p <= os_:
                break
            if p < oe:
                return ms
            delta = me - oe
        return p + delta

    def quote(self, start: int, end: int) -> str:
        """The original text of mapped span [start, end)."""
        return self.orig[self.start(start):self.end(end)]

    def shown(self, start: int, end: int) -> str:
        """The original text of the span, with the year it was read as ("今年（即2022年）")."""
        q, m = self.quote(start, end), self.text[start:end]
        return q if q == m else f"{q}（即{m}）"


@dataclass
class _Span:
    start: int
    end: int
    number: int = 0


class _DocView:
    """A document seen through :class:`_View`: ``text`` and paragraph positions are mapped."""

    def __init__(self, doc, year: int | None, structure=None):
        self.doc = doc
        self.id = doc.id
        self.view = _View(doc.text, year)
        self.text = self.view.text
        self.structure = structure

    def headings(self, pos: int) -> list[tuple[int, int]]:
        """Mapped spans of the headings over mapped position `pos`, outermost first."""
        if self.structure is None:
            return []
        at = self.view.start(pos)
        out = []
        for h in section_of(self.structure, at):
            k = self.doc.text.rfind(h, 0, at + 1)
            if k >= 0:
                out.append((self.view.fwd(k), self.view.fwd(k + len(h))))
        return out

    def paragraph_at(self, pos: int) -> _Span:
        para = self.doc.paragraph_at(self.view.start(pos))
        return _Span(self.view.fwd(para.start), self.view.fwd(para.end), para.number)

    def unit(self, u) -> _Span:
        return _Span(self.view.fwd(u.start), self.view.fwd(u.end), getattr(u, "paragraph", 0))

    def quote(self, start: int, end: int) -> str:
        return self.view.quote(start, end)


@dataclass
class Verdict:
    """Result of checking one claim."""

    claim: str
    verdict: str  # "supported" | "contradicted" | "not_found"
    claimed_value: str  # e.g. "3.2亿元" / "挖掘机" ("" when not applicable)
    source_value: str  # e.g. "2.3亿元" / "拖拉机"
    citations: list[Citation] = field(default_factory=list)  # quote == doc_text[start:end]
    explanation: str = ""  # Chinese sentence explaining the verdict

    @property
    def label(self) -> str:
        """Chinese label of the verdict (符合原文 / 与原文不符 / 原文未提及)."""
        return LABELS[self.verdict]

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "claimed_value": self.claimed_value,
            "source_value": self.source_value,
            "citations": [c.to_dict() for c in self.citations],
            "explanation": self.explanation,
        }


# --------------------------------------------------------------------------
# Claim text
# --------------------------------------------------------------------------
def strip_framing(claim: str) -> str:
    """The claim's content: framing ("讲话说…", "据讲话，…"), wrapping quotes and
    end punctuation removed."""
    s = claim.strip()
    for _ in range(2):
        m = _FRAMING.match(s)
        if m and m.end() < len(s):
            s = s[m.end():]
    s = _DEMONSTRATIVE.sub("", s.strip()).rstrip(_END_PUNCT)
    if len(s) >= 2 and s[0] in _QUOTE_PAIRS and s[-1] == _QUOTE_PAIRS[s[0]] and s.count(s[0]) == 1:
        s = s[1:-1].strip().rstrip(_END_PUNCT)
    return s


def _norm(text: str) -> str:
    return text.translate(_WIDTH)


# --------------------------------------------------------------------------
# Alignment
# --------------------------------------------------------------------------
@dataclass
class _Alignment:
    """The claim aligned with one source window ``doc.text[start:end]``."""

    doc_id: str
    unit: object  # structure.Unit
    start: int
    end: int
    coverage: float
    blocks: list  # matching blocks (claim index a, window index b, size), size ≥ MIN_BLOCK
    opcodes: list
    free: frozenset = frozenset()  # claim positions found in the window out of order (≥ FREE_RUN characters)
    view: _View | None = None  # the claim read against the document's year (positions are in view.text)

    def claim_to_source(self) -> dict[int, int]:
        """Claim offset -> document offset, for characters inside matching blocks."""
        return {a + k: self.start + b + k for a, b, n in self.blocks for k in range(n)}


def _content_len(claim: str) -> int:
    return len(_CONTENT.findall(claim)) or len(claim)


def _by_value(claim: str) -> frozenset[int]:
    """Claim positions of figures written in Chinese numerals (百分之二十三点六):
    the source may write them in digits, so they are compared by value
    (figure check), not by characters, and left out of the coverage."""
    return frozenset(k for q in extract_quantities(claim) if q.kind != "ordinal" and not re.search(r"\d", q.text)
                     for k in range(q.start, q.end))


_SUBJECT = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:市|省|区|县)?(?:计划|拟|将|要|力争|提出|明确|要求)?")


def _subject_place(run: str, text: str, own: tuple[str, ...] = ()) -> bool:
    """Is `run`, at the claim's start, a place the source document names, with the verb of what it
    plans ("广州计划…" of a Guangzhou document that writes 广州 where its sentence has no subject)?
    `own`: the places the document's title is about (a district the dictionary does not know: 闵行)."""
    m = _SUBJECT.fullmatch(run)
    return m is not None and (is_place(m.group(1)) or m.group(1) in own) and m.group(1) in text


def _time_frame(claim: str) -> frozenset[int]:
    """Claim positions of the year that opens it ("2021年，…", "2021年计划…"): the time the claim
    is set in, checked as a figure (the sentence's, else its paragraph's or heading's year) and
    left out of the coverage, since a sentence under "三、2021年重点工作" seldom repeats it."""
    m = _WHEN.match(claim)
    if not m or not re.search(r"\d|[〇零]", m.group(0)):
        return frozenset()
    # a frame is closed by a comma or followed by what is planned ("2021年计划…"); "1956年建区以来"
    # is content
    if not (m.group(0).rstrip().endswith(("，", ",")) or _PLANNED.match(claim, m.end())):
        return frozenset()
    return frozenset(range(m.start(), m.end()))


def _align(claim: str, text: str, doc_id: str, unit, start: int, end: int, full: bool = True,
           skip: frozenset[int] = frozenset()) -> _Alignment:
    window = _norm(text[start:end])
    sm = SequenceMatcher(None, claim, window, autojunk=False)
    blocks = [(b.a, b.b, b.size) for b in sm.get_matching_blocks() if b.size >= MIN_BLOCK]
    inside = {k for a, _b, n in blocks for k in range(a, a + n)}
    ops = sm.get_opcodes()
    # the corpus masks names with "**": a short name of the claim (本区, 洛阳) opposite a mask is not a difference
    masked = {k for tag, i1, i2, j1, j2 in ops if tag == "replace" and i2 - i1 <= MAX_SWAP
              and _MASK.fullmatch(window[j1:j2]) for k in range(i1, i2)}
    # a year counts as aligned only when all of it is (2023年 vs 2024年 share "202", not the year)
    for ys, ye in _year_spans(claim):
        if not any(a <= ys and ye <= a + n for a, _b, n in blocks):
            inside.difference_update(range(ys, ye))
    free = _free_matches(claim, window, inside | masked)
    free |= _abbreviated(claim, window, inside | masked | free)
    # a figure the window states in another notation (39800元 vs 三万九千八百元) is aligned by value
    free |= {k for q in _digit_figures(claim) if q.text not in window
             and any(same_value(q, w) for w in _window_figures(window)) for k in range(q.start, q.end)}
    inside |= masked
    matched = sum(1 for k in inside | free if k not in skip and _CONTENT.match(claim[k]))
    cov = matched / _content_total(claim, skip)
    return _Alignment(doc_id, unit, start, end, cov, blocks, ops if full else [], frozenset(free | masked))


@lru_cache(maxsize=256)
def _digit_figures(claim: str) -> tuple[Quantity, ...]:
    return tuple(q for q in extract_quantities(claim) if q.kind not in ("ordinal", "year") and re.search(r"\d", q.text))


@lru_cache(maxsize=4096)
def _window_figures(window: str) -> tuple[Quantity, ...]:
    return tuple(q for q in extract_quantities(window) if q.kind != "ordinal")


@lru_cache(maxsize=256)
def _year_spans(claim: str) -> tuple[tuple[int, int], ...]:
    return tuple((q.start, q.end - 1) for q in extract_quantities(claim) if q.kind == "year")


def _content_total(claim: str, skip: frozenset[int]) -> int:
    """The coverage denominator: content characters of the claim outside `skip`."""
    return sum(1 for k, ch in enumerate(claim) if k not in skip and _CONTENT.match(ch)) or _content_len(claim)


def _free_matches(claim: str, window: str, inside: set[int]) -> set[int]:
    """Claim positions outside the (monotonic) alignment whose text still occurs in the window:
    runs of ≥ FREE_RUN characters, longest first ("新老本地人是一荣俱荣、一损俱损的命运共同体"
    vs "…命运共同体，一荣俱荣、一损俱损": the reordered phrase counts as stated)."""
    free: set[int] = set()
    k = 0
    while k < len(claim):
        if k in inside:
            k += 1
            continue
        end = k
        while end < len(claim) and end not in inside:
            end += 1
        i = k
        while i + FREE_RUN <= end:
            # words only: a figure found elsewhere in the sentence is not the claim's figure
            n = next((n for n in range(end - i, FREE_RUN - 1, -1)
                      if claim[i:i + n] in window and not re.search(r"\d", claim[i:i + n])), 0)
            if n:
                free.update(range(i, i + n))
                i += n
            else:
                i += 1
        k = end
    return free


def _abbreviated(claim: str, window: str, inside: set[int]) -> set[int]:
    """Claim positions outside `inside` that abbreviate consecutive words of the window, as Chinese
    shortens a phrase — the first character of each word, a short word whole ("医保费" for 医疗
    保险费, "应缴" for 应当缴纳): runs of two characters or more, one word at least shortened."""
    # (a long word is read as its two-character parts: 基本医疗 → 基本 医疗, 保险费 → 保险 费)
    words = [p for w in jieba.lcut(window) for p in ([w[:2], w[2:]] if len(w) in (3, 4) else [w])]
    free: set[int] = set()
    k = 0
    while k < len(claim):
        if k in inside or not _CONTENT.match(claim[k]) or claim[k].isdigit():
            k += 1
            continue
        best = 0
        for i in range(len(words)):
            p, short, j = k, 0, i
            while j < len(words) and p < len(claim) and p not in inside:
                w = words[j]
                if len(w) >= 2 and claim.startswith(w, p):
                    p += len(w)
                elif len(w) == 2 and claim[p] == w[0] and _CONTENT.match(w[1]) and not w[0].isdigit():
                    p, short = p + 1, short + 1
                elif len(w) == 1 and claim[p] == w:
                    p += 1
                else:
                    break
                j += 1
            if short and p - k >= 2 and p - k > best:
                best = p - k
        if best:
            free.update(range(k, k + best))
            k += best
        else:
            k += 1
    return free


def _in_context(run: str, text: str) -> bool:
    """Are most (≥ 2/3) of the run's words (jieba, two characters or more) in `text`?"""
    words = [w for w in jieba.lcut(run) if len(w) >= 2] or [run[i:i + 2] for i in range(len(run) - 1)]
    return bool(words) and sum(w in text for w in words) * 3 >= 2 * len(words)


def _uncovered_runs(claim: str, al: _Alignment, skip: frozenset[int]) -> list[tuple[int, int]]:
    """(start, end) of runs of ≥ MIN_BLOCK content characters of the claim that the source window
    does not contain in any order (figures in Chinese numerals excepted: compared by value)."""
    covered = {a + k for a, _b, n in al.blocks for k in range(n)} | al.free | skip
    runs, lo = [], None
    for k, ch in enumerate(claim + "。"):
        if k < len(claim) and k not in covered and _CONTENT.match(ch) and ch not in _FUNCTION_CHARS:
            lo = k if lo is None else lo
        else:
            if lo is not None and k - lo >= MIN_BLOCK:
                runs.append((lo, k))
            lo = None
    return runs


def _paragraph_text(doc, al: _Alignment) -> str:
    para = doc.paragraph_at(al.start)
    return _norm(doc.text[para.start:para.end])


_PROPOSING = "提出|强调|指出|部署"  # the verbs that say who put something forward
_STATED_BY = re.compile(rf"{_PROPOSING}|要求|明确")  # a statement's verb: its subject is who made it
_PROPOSER = re.compile(rf"([^，。；：、“”]{{3,14}}?)(?:明确)?(?:{_PROPOSING})")


def _proposer_swapped(claim: str, al: _Alignment, doc) -> tuple[str, str] | None:
    """(claimed proposer, the source's) when the claim says who proposed what its sentence states, and
    the sentence names someone else while the paragraph has the claimed one propose another thing
    ("……重回全国‘30强’，是市第八次党代会提出的目标" against "市第八次党代会提出，绍兴要确保……；
    市委八届三次全会提出，……重回全国‘30强’")."""
    window = _norm(doc.text[al.start:al.end])
    src = _PROPOSER.search(window)
    if src is None:
        return None
    source = src.group(1)
    covered = {a + k for a, _b, n in al.blocks for k in range(n)}
    paragraph = None
    for m in _PROPOSER.finditer(claim):
        said = re.sub(r"^(?:是|由|为|系|乃|据)", "", m.group(1))
        if len(said) < 3 or said in window or said == source or any(k in covered for k in range(m.start(1), m.end(1))):
            continue
        paragraph = paragraph if paragraph is not None else _paragraph_text(doc, al)
        if f"{said}提出" in paragraph:
            return said, source
    return None


def _with_context(claim: str, al: _Alignment, doc) -> _Alignment:
    """The alignment with claim words its sentence leaves to the paragraph counted as stated
    ("[轴承企业]曾连续五年亏损": the sentence says "以**为例，曾经连续五年亏损")."""
    context = _paragraph_text(doc, al)
    skip = _by_value(claim)
    # who said or proposed it is not borrowed from the paragraph when the sentence names its own
    # ("是市第八次党代会提出的目标" vs "市委八届三次全会提出，……重回全国‘30强’"; the 党代会 proposed another goal)
    own_source = bool(_STATED_BY.search(_norm(doc.text[al.start:al.end])))
    extra = {k for lo, hi in _uncovered_runs(claim, al, skip) if _in_context(claim[lo:hi], context)
             and not (own_source and _STATED_BY.search(claim[max(0, lo - 2):hi + 4]))
             for k in range(lo, hi)}
    if not extra:
        return al
    gained = sum(1 for k in extra if _CONTENT.match(claim[k]))
    return _Alignment(al.doc_id, al.unit, al.start, al.end, al.coverage + gained / _content_total(claim, skip),
                      al.blocks, al.opcodes,
                      al.free | frozenset(extra), al.view)


def _candidates(assistant, claim: str, doc_ids) -> list[tuple[str, object]]:
    """(doc id, unit) for the sentences of the retrieved chunks, in retrieval order."""
    retriever = assistant.retriever
    # the document a claim names was read off its start (claim_content): a place or a name inside
    # its content ("总书记在上海调研时…") does not scope the search to the document about it
    hits = retriever.search(claim, k=CANDIDATE_CHUNKS, doc_ids=doc_ids or retriever.doc_list)
    seen, out = set(), []
    for h in hits:
        st = retriever.structure(h.chunk.doc_id)
        for u in st.units:
            # a sentence longer than a chunk overlaps several chunks; it is a candidate all the same
            if u.start < h.chunk.end and h.chunk.start < u.end and (h.chunk.doc_id, u.start) not in seen:
                seen.add((h.chunk.doc_id, u.start))
                out.append((h.chunk.doc_id, u))
    return out


def _profiles(assistant) -> dict[str, DocProfile]:
    """:class:`naming.DocProfile` of every indexed document (cached per opened index)."""
    cache = assistant.__dict__.get("_claims_cache")
    index = assistant.retriever.index
    if cache is None or cache["index"] is not index:
        cache = {"index": index, "profiles": {d.id: profile(d) for d in index.all_documents()}, "views": {}}
        assistant.__dict__["_claims_cache"] = cache
    return cache["profiles"]


def _doc_view(assistant, doc_id: str) -> _DocView:
    """The document read against its own year (:class:`_DocView`), cached."""
    profiles = _profiles(assistant)
    views = assistant.__dict__["_claims_cache"]["views"]
    if doc_id not in views:
        p = profiles.get(doc_id)
        views[doc_id] = _DocView(assistant.retriever.index.document(doc_id), p.year if p else None,
                                 assistant.retriever.structure(doc_id))
    return views[doc_id]


def _best_alignment(assistant, claim: str, doc_ids) -> _Alignment | None:
    """The best aligned source window for `claim`.  Each document is compared with the claim
    as both read against that document's year (:class:`_View`); the alignment's positions are
    in the mapped texts (``al.view.text`` and ``_doc_view(…).text``)."""
    claim_views: dict = {}
    scored = []
    for doc_id, u in _candidates(assistant, claim, doc_ids):
        dv = _doc_view(assistant, doc_id)
        if dv.view.year not in claim_views:
            cv = _View(claim, dv.view.year)
            claim_views[dv.view.year] = (cv, _by_value(cv.text) | _time_frame(cv.text))
        cv, skip = claim_views[dv.view.year]
        mu = dv.unit(u)
        al = _align(cv.text, dv.text, doc_id, mu, mu.start, mu.end, full=False, skip=skip)
        al.view = cv
        scored.append(al)
    if not scored:
        return None
    scored.sort(key=lambda al: -al.coverage)
    best, best_key = None, None
    for al in scored[:REFINE_UNITS]:
        cv = al.view
        skip = claim_views[cv.year][1]
        claim_qs = [q for q in extract_quantities(cv.text) if q.kind != "ordinal"]
        text = _doc_view(assistant, al.doc_id).text
        clauses = split_clauses(text, al.unit.start, al.unit.end)
        for i in range(len(clauses)):
            for j in range(i, min(i + MAX_CLAUSES, len(clauses))):
                s, e = clauses[i][0], clauses[j][1]
                w = _align(cv.text, text, al.doc_id, al.unit, s, e, full=False, skip=skip)
                w.view = cv
                # among equally aligned windows, one that states a figure like the claim's
                # (老旧小区有二百八十二个 -> 老旧小区228个, not 老旧小区多)
                figure = bool(claim_qs) and any(_comparable(c, q) for q in extract_quantities(text[s:e]) for c in claim_qs)
                # a window that could state the claim's figure beats one that cannot, once it aligns at all
                key = (figure and w.coverage >= MIN_COVERAGE, round(w.coverage + FIGURE_BONUS * figure, 3), -(e - s))
                if best_key is None or key > best_key:
                    best, best_key = w, key
    cv = best.view
    out = _align(cv.text, _doc_view(assistant, best.doc_id).text, best.doc_id, best.unit, best.start, best.end,
                 skip=claim_views[cv.year][1])
    out.view = cv
    return out


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------
def _items_match(a: str, b: str) -> bool:
    """Do two item phrases name the same thing?  Same head noun: one contains the
    other, or they end with the same two characters (规上工业企业 ~ 工业企业)."""
    if not a or not b:
        return False
    return a in b or b in a or (len(a) >= 2 and len(b) >= 2 and a[-2:] == b[-2:])


def _item_overlap(a: str, b: str) -> int:
    """Length of the longest common substring of two item phrases."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _comparable(c: Quantity, s: Quantity) -> bool:
    """Could the two figures be statements of the same quantity?  (A year is only
    compared with a year, an ordinal with an ordinal; units must agree or be absent.)"""
    if (c.kind == "year") != (s.kind == "year") or (c.kind == "ordinal") != (s.kind == "ordinal"):
        return False
    if c.value is None or s.value is None:
        return False
    return c.unit == s.unit or not c.unit or not s.unit or (c.unit in _DAY_UNITS and s.unit in _DAY_UNITS)


def _negative(q: Quantity, text: str) -> bool:
    return bool(_NEGATIVE.search(q.qualifier)) or bool(_NEGATIVE.search(text[max(0, q.start - 4):q.start]))


def _agree(c: Quantity, s: Quantity, claim: str, src: str) -> bool:
    if not _comparable(c, s):
        return False
    equal = same_value(c, s) or (
        (not c.unit or not s.unit) and c.high is None and s.high is None and round(c.value, 6) == round(s.value, 6))
    return equal and _negative(c, claim) == _negative(s, src)


def _anchored(c: Quantity, s: Quantity, mapping: dict[int, int]) -> bool:
    """Does the alignment put claim figure `c` where source figure `s` is?  Some of
    its characters map into `s`, or the two characters right before (or after)
    it map to the two right before (after) `s`."""
    # (characters of the figure alone — "5%", "左右" — place it only where the aligned text before it
    # lines up too: "…收入增长5%左右" matches the "5%" of "…增长3%左右，全体居民人均可支配收入增长5%以上",
    # but that "5%" stands far after the "增长" the claim's "增长" aligned with)
    if any(s.start <= mapping.get(k, -1) < s.end for k in range(c.start, c.end)):
        # the last claim character before the figure that the alignment places: the source figure
        # follows it about as closely as the claim's does (not "增长" of an earlier clause)
        prev = next((k for k in range(c.start - 1, -1, -1) if k in mapping), None)
        if prev is None or 0 <= s.start - mapping[prev] <= c.start - prev + GAP_SLACK:
            return True
    if mapping.get(c.start - 1) == s.start - 1 and mapping.get(c.start - 2) == s.start - 2:
        return True
    if mapping.get(c.end) == s.end and mapping.get(c.end + 1) == s.end + 1:
        return True
    # a verb or particle between may differ (老旧小区[有]二百八十二个 vs 老旧小区228个): the matched
    # text ending at most NEAR characters before each figure lines up
    before = next((k for k in range(c.start - 1, max(-1, c.start - 1 - NEAR), -1) if k in mapping), None)
    return before is not None and 0 <= s.start - 1 - mapping[before] <= NEAR - 1 and mapping.get(before - 1) == mapping[before] - 1


@dataclass
class _FigureCheck:
    claim_q: Quantity
    status: str  # "stated" | "mismatch" | "absent"
    source_q: Quantity | None = None
    where: tuple[int, int] | None = None  # extra span (doc offsets) to cite for the source figure
    owner: str = ""  # the item a "respectively" (分别) figure belongs to
    pairs: list = field(default_factory=list)  # (item, source Quantity) of the whole 分别 list, for the explanation


def _shift(q: Quantity, offset: int) -> Quantity:
    return Quantity(q.text, q.start + offset, q.end + offset, q.value, q.unit, q.kind, q.item, q.qualifier, q.high)


def _check_figures(claim: str, al: _Alignment, doc) -> list[_FigureCheck]:
    text = doc.text
    ntext = _norm(text)
    window = [_shift(q, al.start) for q in extract_quantities(text[al.start:al.end])]
    mapping = al.claim_to_source()
    claim_qs = extract_quantities(claim)
    # first the figures the alignment itself puts on an equal source figure, one to one
    # ("在全部41个工业门类中，拥有全部41个": the second 41 sits where the source says 39)
    placed: dict[int, Quantity] = {}
    for i, c in enumerate(claim_qs):
        s = next((s for s in window if s not in placed.values() and _anchored(c, s, mapping)
                  and _agree(c, s, claim, ntext) and not (c.item and s.item and _items_clash(c, s, window))), None)
        if s is not None:
            placed[i] = s
    # figures moved around: the alignment puts claim figure c where the source has another value,
    # and that value is another figure of the claim ("年度完成投资1370亿元…总投资267亿元" against
    # "总投资1370亿元…年度完成投资267亿元"): c is wrong at its place, whatever else the window says
    # figures the claim pairs with its items by 分别/依次: checked pair by pair
    paired = {i: r for i, c in enumerate(claim_qs) if c.kind not in ("ordinal", "year")
              for r in [_claim_pair(c, claim, al, doc, ntext)] if r is not None}
    moved: dict[int, Quantity] = {}
    for i, c in enumerate(claim_qs):
        if i in placed or i in paired or c.kind in ("ordinal", "year"):
            continue
        at = next((s for s in window if _comparable(c, s) and _anchored(c, s, mapping)
                   and not _agree(c, s, claim, ntext)), None)
        if at is not None and any(j != i and _agree(o, at, claim, ntext) for j, o in enumerate(claim_qs)):
            moved[i] = at
    taken = list(placed.values())
    out = []
    for i, c in enumerate(claim_qs):
        if i in paired:
            out.append(paired[i])
            continue
        if i in moved:
            out.append(_FigureCheck(c, "mismatch", moved[i]))
            continue
        if i in placed:
            out.append(_respective(c, placed[i], claim, al, doc, ntext))
            continue
        free = [s for s in window if s not in taken]
        same_item = [s for s in free if _comparable(c, s) and _items_match(c.item, s.item)]
        # the closest item among them: "公共预算收入增长" is not "人均可支配收入增长", though both end in 收入增长
        top = max((_item_overlap(c.item, s.item) for s in same_item), default=0)
        same_item = [s for s in same_item if _item_overlap(c.item, s.item) >= top - 1]
        hit = next((s for s in same_item if _agree(c, s, claim, ntext)), None)
        if hit is not None:
            out.append(_respective(c, hit, claim, al, doc, ntext))
            continue
        if same_item:
            anchored = [s for s in same_item if _anchored(c, s, mapping)]
            out.append(_FigureCheck(c, "mismatch", (anchored or same_item)[0]))
            continue
        hit = next((s for s in free if _agree(c, s, claim, ntext) and not (c.item and s.item and
                                                                             _items_clash(c, s, window))), None)
        if hit is not None:
            out.append(_respective(c, hit, claim, al, doc, ntext))
            continue
        # (a duration — 30日内 vs 20个工作日内 — counts no item: the alignment alone places it)
        at_place = [s for s in free if _comparable(c, s) and _anchored(c, s, mapping)
                    and (not c.item or not s.item or _items_match(c.item, s.item) or c.unit in _DURATION_UNITS)]
        if at_place:
            out.append(_FigureCheck(c, "mismatch", at_place[0]))
            continue
        out.append(_wider(c, claim, al, doc))
    return out


_RESPECTIVE = re.compile(r"分别|依次")
_LIST_SEP = {"、", "和", "与", "及", "以及", "同"}
PAIR_REACH = 24  # a figure belongs to the item named at most this many characters before it ("中信年产值300亿元")


def _enumeration(text: str, n: int) -> list[str]:
    """The last run of exactly `n` words joined by 、/和/与 in `text` (中信、一拖 -> [中信, 一拖]);
    else joined by 、 alone, a 及/和 then joining the words of one item ("新能源及智能电网、新材料、
    生物医药健康产业" -> [新能源及智能电网, 新材料, 生物医药])."""
    words = [w for w in jieba.cut(text) if w.strip() and w not in "“”\"'‘’*"]
    return _run_of(words, n, _LIST_SEP) or _run_of_commas(text, n)


def _run_of_commas(text: str, n: int) -> list[str]:
    """The last `n` items of `text` joined by 、: the first runs back to the clause's start, the
    last is its first word (the rest of it — "健康产业增速" — is what all of them share)."""
    parts = [p.strip("“”\"'‘’* ") for p in text.split("、")]
    if len(parts) < n or n < 2:
        return []
    items = parts[-n:]
    items[0] = re.split(r"[，,；;：:。\s]", items[0])[-1]
    words = [w for w in jieba.cut(items[-1]) if w.strip()]
    items[-1] = "".join(words[:2]) if words and len(words[0]) == 1 else (words[0] if words else "")
    return items if all(items) else []


def _run_of(words: list[str], n: int, seps: set[str]) -> list[str]:
    runs, run = [], []
    for i, w in enumerate(words):
        if w in seps:
            continue
        if run and i >= 1 and words[i - 1] in seps:
            run.append(w)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = [w]
    if len(run) >= 2:
        runs.append(run)
    return next((r for r in reversed(runs) if len(r) == n), [])


def _respective_list(text: str, lo: int, hi: int, pos: int, like: Quantity) -> tuple[list[str], list[Quantity]]:
    """(items, figures) of an "A、B……分别/依次 X、Y" statement in text[lo:hi] whose figures
    include the one at `pos`: the figures after 分别 up to the clause end, comparable with
    `like`, and the enumeration of as many items before it.  ([], []) when there is none."""
    for m in _RESPECTIVE.finditer(text, lo, hi):
        if m.start() > pos:
            break
        stop = min((i for i in (text.find(p, m.end(), hi) for p in "，；。,;") if i >= 0), default=hi)
        if pos >= stop:
            continue
        figures = [q for q in (_shift(q, m.end()) for q in extract_quantities(text[m.end():stop]))
                   if q.kind != "ordinal" and _comparable(q, like)]
        if len(figures) < 2 or not any(q.start <= pos < q.end for q in figures):
            continue
        items = _enumeration(text[lo:m.start()], len(figures))
        if items:
            return items, figures
    return [], []


def _figure_of(text: str, lo: int, hi: int, item: str, others: list[str], like: Quantity) -> Quantity | None:
    """The figure that follows `item` in text[lo:hi] ("中信300亿元、一拖200亿元"), before any
    of the `others` items is named and within PAIR_REACH characters; None when not so stated."""
    at = text.find(item, lo, hi)
    while at >= 0:
        end = min(hi, at + len(item) + PAIR_REACH)
        nxt = [i for i in (text.find(o, at + len(item), end) for o in others if o != item and o not in item) if i >= 0]
        end = min([end, *nxt])
        stop = min((i for i in (text.find(p, at, end) for p in "；。;") if i >= 0), default=end)
        for q in extract_quantities(text[at + len(item):stop]):
            if q.kind != "ordinal" and _comparable(q, like):
                return _shift(q, at + len(item))
        at = text.find(item, at + len(item), hi)
    return None


def _claim_pair(c: Quantity, claim: str, al: _Alignment, doc, ntext: str) -> _FigureCheck | None:
    """Claim figure `c` of a claim's own "A、B分别X、Y" list, checked against its item's figure in
    the source sentence (its 分别 list, else the figure right after the item); None when the
    claim pairs nothing or the source does not state the item's figure."""
    claim_items, claim_figs = _respective_list(claim, 0, len(claim), c.start, c)
    if not claim_items:
        return None
    owner = claim_items[next(i for i, q in enumerate(claim_figs) if q.start <= c.start < q.end)]
    text, lo, hi = doc.text, al.unit.start, al.unit.end
    for m in _RESPECTIVE.finditer(text, lo, hi):
        probe = next((q for q in (_shift(q, m.end()) for q in extract_quantities(text[m.end():hi]))
                      if _comparable(q, c)), None)
        if probe is None:
            continue
        items, figs = _respective_list(text, lo, hi, probe.start, c)
        k = next((i for i, w in enumerate(items) if _same_item(w, owner)), None)
        if k is not None:
            status = "stated" if _agree(c, figs[k], claim, ntext) else "mismatch"
            return _FigureCheck(c, status, figs[k], owner=owner, pairs=list(zip(items, figs)))
    found = [(w, _figure_of(text, lo, hi, w, claim_items, c)) for w in claim_items]
    if any(q is None for _w, q in found) or len({q.start for _w, q in found}) < len(found):
        return None
    own = next(q for w, q in found if w == owner)
    status = "stated" if _agree(c, own, claim, ntext) else "mismatch"
    return _FigureCheck(c, status, own, owner=owner, pairs=found)


def _same_item(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _respective(c: Quantity, s: Quantity, claim: str, al: _Alignment, doc, ntext: str) -> _FigureCheck:
    """Pair figures stated "respectively" (分别/依次) with their own items, in either text.

    In "中信、一拖年产值……将分别达到300亿元和200亿元" the first figure belongs to 中信 and
    the second to 一拖.  The claim figure `c` belongs to an item: by the claim's own 分别 list,
    else the item of the source's list that the claim names (the nearest before `c` when it
    names several).  That item's figure in the source — by the source's 分别 list, else the
    figure right after the item ("中信300亿元、一拖200亿元") — must equal `c`: a claim that
    swaps the pair, or gives one item the other's figure, contradicts.  `s` is the source
    figure `c` was matched with; `ntext` is the document text normalised (:func:`_norm`)."""
    text = doc.text
    lo, hi = al.unit.start, al.unit.end
    src_items, src_figs = _respective_list(text, lo, hi, s.start, s)
    claim_items, claim_figs = _respective_list(claim, 0, len(claim), c.start, c)
    owner = ""
    if claim_items:
        owner = claim_items[next(i for i, q in enumerate(claim_figs) if q.start <= c.start < q.end)]
    elif src_items:
        named = [(claim.rfind(w, 0, c.start), w) for w in src_items if w in claim]
        before = [(p, w) for p, w in named if p >= 0]
        if len(named) == 1:
            owner = named[0][1]
        elif before:
            owner = max(before)[1]
    if not owner:
        return _FigureCheck(c, "stated", s)
    own, pairs = None, []
    if src_items:
        k = next((i for i, w in enumerate(src_items) if _same_item(w, owner)), None)
        if k is None:
            return _FigureCheck(c, "stated", s)
        own, pairs = src_figs[k], list(zip(src_items, src_figs))
    else:
        # the claim pairs with 分别, the source names each item with its own figure
        found = [(w, _figure_of(text, lo, hi, w, claim_items, c)) for w in claim_items]
        if any(q is None for _w, q in found):
            return _FigureCheck(c, "stated", s)
        own = next(q for w, q in found if w == owner)
        pairs = found
    status = "stated" if _agree(c, own, claim, ntext) else "mismatch"
    return _FigureCheck(c, status, own, owner=owner, pairs=pairs)


def respective_items(text: str, lo: int, hi: int) -> list[tuple[str, Quantity]]:
    """(item, figure) pairs of the sentence ``text[lo:hi]`` when it states figures "respectively",
    by the pairing :func:`_respective` applies: the figures of the clause after 分别, in order,
    with an enumeration of as many words before it (中信、一拖……分别达到300亿元和200亿元 ->
    [(中信, 300亿元), (一拖, 200亿元)]).  [] when there is no 分别 or the counts differ.
    Figure offsets are offsets in `text` (used by the notes' figures table)."""
    found = list(_RESPECTIVE.finditer(text, lo, hi))
    if not found:
        return []
    at = found[-1].start()
    stop = min((i for i in (text.find(p, at, hi) for p in "，；。") if i >= 0), default=hi)
    figures = [_shift(q, at) for q in extract_quantities(text[at:stop])]
    items = _enumeration(text[lo:at], len(figures)) if len(figures) >= 2 else []
    return list(zip(items, figures)) if items else []


def _items_clash(c: Quantity, s: Quantity, window: list[Quantity]) -> bool:
    """The same value is in the window but counts another item, while the claim's
    item is counted by a different figure (老旧小区228个 vs claim 228个片区)."""
    return not _items_match(c.item, s.item) and any(_items_match(c.item, o.item) for o in window)


def _wider(c: Quantity, claim: str, al: _Alignment, doc) -> _FigureCheck:
    """A figure not in the aligned window: stated elsewhere in its sentence or paragraph, or
    in a heading over it?

    A year dates the window only from before it: the last year earlier in its sentence
    ("2019年…，该企业实现同比增长10.6%"; another year there contradicts), a year earlier in its
    paragraph, else the year of a heading over it ("一、2023年工作回顾"; another one contradicts)."""
    if c.kind == "year":
        return _wider_year(c, claim, al, doc)
    ntext = _norm(doc.text)
    para = doc.paragraph_at(al.start)
    for lo, hi in ((al.unit.start, al.unit.end), (para.start, para.end)):
        for s in extract_quantities(doc.text[lo:hi]):
            s = _shift(s, lo)
            if _agree(c, s, claim, ntext) and (not c.item or not s.item or _items_match(c.item, s.item)):
                return _FigureCheck(c, "stated", s, _clause_at(doc, para, s))
    # a heading over the sentence ("一、过去五年的工作和新时代十年的伟大变革")
    for lo, hi in reversed(doc.headings(al.start)):
        for s in extract_quantities(doc.text[lo:hi]):
            s = _shift(s, lo)
            # a period (新时代十年) names no counted item
            if _agree(c, s, claim, ntext) and (c.unit in _TIME_UNITS or not c.item or not s.item
                                                or _items_match(c.item, s.item)):
                return _FigureCheck(c, "stated", s, (lo, hi))
    return _FigureCheck(c, "absent")


def _clause_at(doc, para, s: Quantity) -> tuple[int, int]:
    return next(((a, b) for a, b in split_clauses(doc.text, para.start, para.end) if a <= s.start < b),
                (s.start, s.end))


def _years_in(doc, lo: int, hi: int) -> list[Quantity]:
    return [q for q in (_shift(q, lo) for q in extract_quantities(doc.text[lo:hi])) if q.kind == "year"]


def _wider_year(c: Quantity, claim: str, al: _Alignment, doc) -> _FigureCheck:
    ntext = _norm(doc.text)
    para = doc.paragraph_at(al.start)
    leading = _years_in(doc, al.unit.start, al.start)
    if leading:
        s = leading[-1]
        return _FigureCheck(c, "stated" if _agree(c, s, claim, ntext) else "mismatch", s, _clause_at(doc, para, s))
    earlier = _years_in(doc, para.start, al.start)
    hit = next((s for s in reversed(earlier) if _agree(c, s, claim, ntext)), None)
    if hit is not None:
        return _FigureCheck(c, "stated", hit, _clause_at(doc, para, hit))
    for lo, hi in reversed(doc.headings(al.start)):
        years = _years_in(doc, lo, hi)
        if years:
            s = years[-1]
            if _agree(c, s, claim, ntext):
                return _FigureCheck(c, "stated", s, (lo, hi))
            if not earlier:
                return _FigureCheck(c, "mismatch", s, (lo, hi))
            return _FigureCheck(c, "absent")
    # nothing dates the sentence: it speaks of the document's own year (今年 of a 2022 speech)
    if not earlier and doc.view.year and c.value == doc.view.year:
        return _FigureCheck(c, "stated", Quantity(str(doc.view.year), al.start, al.start, c.value, c.unit,
                                                  c.kind, "", ""))
    return _FigureCheck(c, "absent")


# --------------------------------------------------------------------------
# Key words
# --------------------------------------------------------------------------
def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend text[start:end] to the jieba words that overlap it (挖掘 -> 挖掘机)."""
    lo, hi = start, end
    for _w, ws, we in jieba.tokenize(text):
        if ws < end and start < we:
            lo, hi = min(lo, ws), max(hi, we)
    return lo, hi


_AGENCY_END = "部委局办厅署"  # the last character of a government body's name (商务部, 发展改革委, 市科技局)


def _agency_swapped(claim: str, al: _Alignment, doc) -> tuple[str, str] | None:
    """(claimed body, the source's bodies) when the claim puts a government body where the aligned
    source names others, and its paragraph never names that one ("由商务部会同有关部门…开展评估"
    against "国家发展改革委、中央网信办、工业和信息化部要会同有关部门…")."""
    ops = al.opcodes
    window = _norm(doc.text[al.start:al.end])
    paragraph = _paragraph_text(doc, al)
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace":
            continue
        a, b = claim[i1:i2], window[j1:j2]
        nxt = ops[n + 1] if n + 1 < len(ops) and ops[n + 1][0] == "equal" else None
        if nxt is not None and claim[nxt[1]:nxt[1] + 1] in _AGENCY_END:
            a, b = a + claim[nxt[1]], b + claim[nxt[1]]  # the shared last character (…商务[部] / …信息化[部])
        if not (a and b and a[-1] in _AGENCY_END and b[-1] in _AGENCY_END):
            continue
        words = jieba.lcut(a)
        body = words[-1] if words else ""
        if len(body) < 3 or body in paragraph:
            continue
        named = [o for o in re.split(r"[、，,]", b) if o and o[-1] in _AGENCY_END]
        if named:
            return body, "、".join(named)
    return None


def _swapped_word(claim: str, al: _Alignment, doc) -> tuple[str, str] | None:
    """(claimed text, source text) of something the claim substitutes inside the
    aligned span — a ``replace`` operation of the alignment flanked by matching
    text (both sides, or ≥ FLANK characters on the one side at an edge):

    * a short content word for another of about the same length
      (第一台[挖掘]机 vs 第一台[拖拉]机; particles and pronouns are wording);
    * words in place of a source figure (占全市[一半] vs 占全市[1/4]) — a figure
      the claim does state is compared by the figure check instead."""
    ops = al.opcodes
    window = _norm(doc.text[al.start:al.end])
    source_qs = extract_quantities(window)
    claim_figs = {k for q in extract_quantities(claim) for k in range(q.start, q.end)}
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace":
            continue
        left = ops[n - 1][2] - ops[n - 1][1] if n > 0 and ops[n - 1][0] == "equal" else 0
        right = ops[n + 1][2] - ops[n + 1][1] if n + 1 < len(ops) and ops[n + 1][0] == "equal" else 0
        # a one-character flank that is the end of a longer source word anchors nothing
        # (分类[上]达到 against 70%以[上]的源头: the 上 of 以上 is not the claim's 上)
        if left == 1 and _word_span(window, j1 - 1, j1)[0] < j1 - 1:
            left = 0
        if right == 1 and _word_span(window, j2, j2 + 1)[1] > j2 + 1:
            right = 0
        inner = n > 0 and n + 1 < len(ops)
        if inner and (not left or not right or left + right < FLANK):
            continue
        if not inner and max(left, right) < FLANK:
            continue
        a, b = claim[i1:i2], window[j1:j2]
        if claim_figs.intersection(range(i1, i2)):
            continue  # the claim's own figure: compared by value in the figure check
        fig = next((q for q in source_qs if q.start < j2 and j1 < q.end and q.kind != "ordinal"), None)
        if (fig is not None and _AMOUNT_WORDS.search(a) and len(a) <= MAX_SWAP
                and j2 - j1 <= len(fig.text) + 1):
            return a, doc.quote(al.start + fig.start, al.start + fig.end)
        # 发展的[定盘星] vs 发展的[“命门之穴”，]: compare the words inside quotes and punctuation
        i1, i2 = _strip_span(claim, i1, i2)
        j1, j2 = _strip_span(window, j1, j2)
        a, b = claim[i1:i2], window[j1:j2]
        if not (_CJK_ONLY.match(a) and _CJK_ONLY.match(b)):
            continue
        if len(a) > MAX_SWAP or len(b) > MAX_SWAP or abs(len(a) - len(b)) > 1:
            continue
        if all(ch in _FUNCTION_CHARS for ch in a) or all(ch in _FUNCTION_CHARS for ch in b):
            continue
        clo, chi = _word_span(claim, i1, i2)
        slo, shi = _word_span(window, j1, j2)
        if n > 0 and left < MIN_BLOCK and slo <= j1 - left and clo > i1 - left:
            # the one matching character before is part of the source's word, not of the claim's:
            # a character of another word (区[中]排名第一 against 新[中]国第一台), not the same slot
            continue
        return claim[clo:chi], doc.quote(al.start + slo, al.start + shi)
    return None


_ORDER = re.compile(r"先([\u4e00-\u9fff]{1,2})(后|再)([\u4e00-\u9fff]{1,2})")


def _order_reversed(assistant, claim: str, doc_ids):
    """A sequence the claim states the other way round ("先发后审" where a document says
    "先审后发", and never "先发后审"): (claimed words, doc id, span of the source's words, span
    of its clause), or None."""
    docs = [d for d in assistant.retriever.index.all_documents() if not doc_ids or d.id in doc_ids]
    for m in _ORDER.finditer(claim):
        a, then, b = m.groups()
        swapped = f"先{b}{then}{a}"
        if a == b or swapped in claim:
            continue
        for d in docs:
            at = d.text.find(swapped)
            if at >= 0 and m.group(0) not in d.text:
                clause = next(((lo, hi) for lo, hi in split_clauses(d.text, d.paragraph_at(at).start, d.paragraph_at(at).end)
                               if lo <= at < hi), (at, at + len(swapped)))
                return m.group(0), d.id, (at, at + len(swapped)), clause
    return None


def _one_of(q: Quantity, al: _Alignment, doc) -> tuple[Quantity, tuple[int, int]] | None:
    """The source's "一个X" for a claim's count of X other than one (一个 is not a figure on its
    own — mostly it means "a" — but before the very thing a claim counts it is the count)."""
    if q.kind != "count" or not q.item or q.value in (None, 1):
        return None
    window = _norm(doc.text[al.start:al.end])
    m = re.search(rf"(?<![\d〇零一二三四五六七八九十百千万两几])一{re.escape(q.unit)}{re.escape(q.item[:2])}", window)
    return (q, (al.start + m.start(), al.start + m.end() - len(q.item[:2]))) if m else None


def _strip_span(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Narrow text[lo:hi] past quotes and punctuation at either end."""
    junk = _QUOTES + _END_PUNCT
    while lo < hi and text[lo] in junk:
        lo += 1
    while hi > lo and text[hi - 1] in junk:
        hi -= 1
    return lo, hi


def _word_after(text: str, pos: int, n: int = 2) -> int:
    """End of up to `n` characters from `pos`, stopping at quotes and punctuation."""
    end = pos
    while end < len(text) and end - pos < n and text[end] not in _QUOTES + _END_PUNCT:
        end += 1
    return end


# a negator (不/没有/未/无/非/严禁 …) — not inside words such as 不断 / 不仅 / 无论 / 非常 / 未来
_NEGATOR = re.compile(r"(?:不(?![断仅论少同管久但过如足止禁妨])|没有|没|未(?!来)|无(?!论|比)|非(?!常)|勿|禁止|严禁|杜绝)")


def _ends_negated(text: str) -> str | None:
    """The negator at the end of `text` (it modifies what follows), e.g. "…分类施策，不能" -> "不"."""
    m = None
    for m in _NEGATOR.finditer(text):
        pass
    if m is None or len(text) - m.end() > 1:  # 不能 / 不要 / 不得: one modal character may follow
        return None
    return m.group(0)


def _negation_flip(claim: str, al: _Alignment, doc) -> tuple[str, str] | None:
    """(claimed text, source text) where the claim drops or adds a negation of a matched
    word: 工作中[可以]搞“一刀切” vs …[不能]搞“一刀切”.  The differing piece must be
    directly followed by matching text (the word it negates)."""
    ops = al.opcodes
    window = _norm(doc.text[al.start:al.end])
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" or n + 1 >= len(ops) or ops[n + 1][0] != "equal":
            continue
        # what follows must be matched text (a stray character in the source may split it)
        if sum(o[2] - o[1] for o in ops[n + 1:n + 4] if o[0] == "equal") < MIN_BLOCK:
            continue
        neg_c, neg_s = _ends_negated(claim[i1:i2]), _ends_negated(window[j1:j2])
        if bool(neg_c) == bool(neg_s):
            continue
        # show the negated word with its modifier: 可以搞 / 不能搞
        c_lo, s_lo = max(i1, i2 - 3), max(j1, j2 - 3)
        c_lo, _ = _strip_span(claim, c_lo, i2)
        s_lo, _ = _strip_span(window, s_lo, j2)
        return claim[c_lo:_word_after(claim, i2)], doc.quote(al.start + s_lo, al.start + _word_after(window, j2))
    return None


# judgements of a state of affairs: the source's "还有很大差距 / 尚为空白" against a claim's
# "已领先 / 已经有了不少"
_SHORTFALL = re.compile(r"差距|空白|不足|短板|落后|滞后|薄弱|欠缺|不够|缺乏|偏低|较低|尚未|没有")
_ACHIEVED = re.compile(r"领先|不少|很多|众多|充足|完善|齐全|发达|领跑|较高|超过|充分")


def _evaluation_flip(runs: list[str], al: _Alignment, doc) -> tuple[str, str] | None:
    """(claimed words, source words) when the claim's unexplained words judge as achieved what
    the source's unaligned text judges as lacking, or the reverse."""
    window = doc.text[al.start:al.end]
    matched = {b + k for _a, b, n in al.blocks for k in range(n)}
    for claim_re, source_re in ((_ACHIEVED, _SHORTFALL), (_SHORTFALL, _ACHIEVED)):
        said = next((r for r in runs if claim_re.search(r)), None)
        if said is None:
            continue
        for m in source_re.finditer(window):
            if not matched.intersection(range(m.start(), m.end())):
                lo = m.start()
                while lo > 0 and m.start() - lo < 4 and window[lo - 1] not in _QUOTES + _END_PUNCT and lo - 1 not in matched:
                    lo -= 1
                return said, doc.quote(al.start + lo, al.start + m.end())
    return None


# a rule stated without exception ("一律不得", "即使…也") …
_ABSOLUTE = re.compile(r"一律|一概|概不|即使|即便|无论如何|任何情况下|绝不|均不得|都不得|都不能")
# … where the source states one ("但是，…的，予以公开", "除…外", "…除外", "不在此限")
_EXCEPTION = re.compile(r"但是|除[^，。；]{1,30}外|除外|不在此限|例外")


def _exception_dropped(claim: str, al: _Alignment, doc) -> tuple[str, tuple[int, int]] | None:
    """(absolute word, source span of the exception) when the claim states a rule as having no
    exception (一律/即使/无论如何…) that its source window does not say, while the sentence or
    the paragraph after the window states an exception (但是…/除…外/…除外/不在此限)."""
    m = _ABSOLUTE.search(claim)
    if m is None or m.group(0) in doc.text[al.start:al.end]:
        return None
    para = doc.paragraph_at(al.start)
    for e in _EXCEPTION.finditer(doc.text, al.unit.start, para.end):
        if al.start <= e.start() < al.end and e.group(0) in claim:
            continue
        stop = min((i for i in (doc.text.find(p, e.start(), para.end) for p in "。；;") if i >= 0), default=para.end)
        lo = e.start()
        if e.group(0) == "除外" or e.group(0) == "不在此限" or e.group(0) == "例外":
            lo = max(doc.text.rfind(p, al.unit.start, e.start()) for p in "。；，,;") + 1
        return m.group(0), (lo, stop)
    return None


# --------------------------------------------------------------------------
# Verdicts
# --------------------------------------------------------------------------
def _cite(assistant, doc_id: str, start: int, end: int) -> Citation:
    """Citation of doc.text[start:end] without a trailing clause mark (，；：、)."""
    retriever = assistant.retriever
    doc = retriever.index.document(doc_id)
    while end - start > 1 and doc.text[end - 1] in "，；：、,;:":
        end -= 1
    st = retriever.structure(doc_id)
    section = SEP.join(section_of(st, start))
    return cite(doc, start, end, section)


_STATEMENT_SPLIT = re.compile(r"[；;]")  # statements a claim joins


def _check_one(assistant, claim: str, core: str, doc_ids, split: bool = True) -> Verdict:
    """Verdict on `core` (the claim's content, framing cut) within `doc_ids`; `claim` is reported."""
    ncore = _norm(core)
    al = _best_alignment(assistant, ncore, doc_ids) if core else None
    doc = _doc_view(assistant, al.doc_id) if al is not None else None
    if al is not None and al.coverage >= CONTEXT_MIN:
        proposer = _proposer_swapped(al.view.text, al, doc)
        if proposer is not None:
            said, source = proposer
            cite = _cite(assistant, al.doc_id, doc.view.start(al.start), doc.view.end(al.end))
            return Verdict(claim, "contradicted", said, source, [cite],
                           f"说法中的“{said}”与原文不符：原文第{cite.paragraph}段写明这是“{source}”提出的"
                           f"（“{said}”在同一段里提出的是另一件事）。")
    if (al is None or al.coverage < MIN_COVERAGE) and split:
        # a claim may join statements from different sentences ("1955年建区以来，…创造了…成就"):
        # check its clauses one by one
        clauses = [core[s:e].rstrip(_END_PUNCT) for s, e in split_clauses(core)]
        clauses = [c for c in clauses if _content_len(c) >= MIN_CLAUSE_CHARS]
        if len(clauses) > 1:
            parts = [_check_one(assistant, c, c, doc_ids, split=False) for c in clauses]
            return _combine(claim, parts)
    if al is not None and CONTEXT_MIN <= al.coverage < MIN_COVERAGE:
        al = _with_context(al.view.text, al, doc)
    if al is None or al.coverage < MIN_COVERAGE:
        reversed_ = _order_reversed(assistant, core, doc_ids)
        if reversed_ is not None:  # "先发后审" where the source says "先审后发"
            said, doc_id, (lo, hi), (clo, chi) = reversed_
            src = assistant.retriever.index.document(doc_id).text[lo:hi]
            cite = _cite(assistant, doc_id, clo, chi)
            return Verdict(claim, "contradicted", said, src, [cite],
                           f"说法中的“{said}”与原文不符（先后顺序相反）：原文第{cite.paragraph}段写的是“{src}”。")
        figs = [q.text for q in extract_quantities(ncore) if q.kind != "ordinal"]
        return Verdict(claim, "not_found", "、".join(figs), "", [],
                       "在原文中没有找到陈述这一内容的句子，原文未提及，无法核实。")
    cv = al.view  # the claim as read against this document's year; positions below are in cv.text / doc.text
    mclaim = cv.text

    def claimed(q: Quantity) -> str:
        return core[cv.start(q.start):cv.end(q.end)]

    def cite_mapped(start: int, end: int) -> Citation:
        return _cite(assistant, al.doc_id, doc.view.start(start), doc.view.end(end))

    main = cite_mapped(al.start, al.end)
    para = f"原文第{main.paragraph}段"

    checks = _check_figures(mclaim, al, doc)
    bad = [c for c in checks if c.status == "mismatch"]
    amounts = [c for c in bad if c.claim_q.kind not in ("year", "ordinal")]
    if len(amounts) < len(bad):
        # the year differs, and the claim's amount is one of another item, or is not in the sentence:
        # a sentence of another year about something else ("2026年…收入增长5%左右" against
        # "2025年…民生支出占…支出比重80%左右") states nothing of it
        if amounts and not any(c.source_q.item and c.claim_q.item and _items_match(c.claim_q.item, c.source_q.item)
                               for c in amounts):
            figs = "、".join(claimed(c.claim_q) for c in amounts)
            return Verdict(claim, "not_found", figs, "", [main],
                           f"{para}谈到相关内容，但没有提到“{figs}”这一数字，原文未提及，无法核实。")
        if not amounts and any(c.status == "absent" and c.claim_q.kind not in ("year", "ordinal") for c in checks):
            bad = []
    if bad:
        c = bad[0]
        cq, sq = c.claim_q, c.source_q
        cited_q = doc.quote(sq.start, sq.end)
        shown = doc.view.shown(sq.start, sq.end)
        claimed_t = claimed(cq)
        if c.owner:
            pairs = "，".join(f"{item}为“{doc.view.shown(q.start, q.end)}”" for item, q in c.pairs)
            why = (f"说法中的“{claimed_t}”与原文不符：{para}中各项数字“分别”对应，{c.owner}为“{shown}”"
                   + (f"（原文：{pairs}）" if pairs else "") + "。")
        elif _magnitude_only(cq, sq):
            why = f"说法中的“{claimed_t}”与原文不符（单位或数量级不同）：{para}为“{shown}”。"
        elif sq.item and cq.item and _items_match(cq.item, sq.item):
            why = f"说法中的“{claimed_t}”与原文不符：{para}写的是{sq.item}“{shown}”。"
        else:
            why = f"说法中的“{claimed_t}”与原文不符：{para}对应位置写的是“{shown}”。"
        cites = [main]
        if not (al.start <= sq.start and sq.end <= al.end):
            # the source figure lies outside the aligned window (its own item of a 分别 list): cite it too
            where = c.where or next(((a, b) for a, b in split_clauses(doc.text, al.unit.start, al.unit.end)
                                     if a <= sq.start < b), (sq.start, sq.end))
            cites.append(cite_mapped(*where))
        return Verdict(claim, "contradicted", claimed_t, cited_q, cites, why)

    flip = _negation_flip(mclaim, al, doc)
    if flip is not None:
        cw, sw = flip
        return Verdict(claim, "contradicted", cw, sw, [main],
                       f"说法与原文不符（肯定、否定相反）：说法为“{cw}”，{para}写的是“{sw}”。")

    swap = _swapped_word(mclaim, al, doc) or _agency_swapped(mclaim, al, doc)
    # items the claim lists in another order, each with its own figure (西区、东区分别200亿元和300亿元)
    reordered = {c.owner for c in checks if c.owner and c.status == "stated"}
    if swap is not None and any(w and (w in swap[0] or swap[0] in w) for w in reordered):
        swap = None
    if swap is not None:
        cw, sw = swap
        return Verdict(claim, "contradicted", cw, sw, [main],
                       f"说法中的“{cw}”与原文不符：{para}写的是“{sw}”。")

    absent = [c for c in checks if c.status == "absent"]
    one = next((hit for c in absent for hit in [_one_of(c.claim_q, al, doc)] if hit), None)
    if one is not None:  # "不超过三个政务新媒体账号" vs "只开设一个政务新媒体账号"
        cq, (lo, hi) = one
        src = doc.quote(lo, hi)
        return Verdict(claim, "contradicted", claimed(cq), src, [main],
                       f"说法中的“{claimed(cq)}”与原文不符：{para}写的是“{doc.view.shown(lo, hi)}”。")
    if absent:
        figs = "、".join(claimed(c.claim_q) for c in absent)
        return Verdict(claim, "not_found", figs, "", [main],
                       f"{para}谈到相关内容，但没有提到“{figs}”这一数字，原文未提及，无法核实。")

    # the paragraph and the headings over it explain words the sentence leaves out
    context = "\n".join([_paragraph_text(doc, al), *(_norm(doc.text[lo:hi]) for lo, hi in doc.headings(al.start))])
    # figures already found stated (a year from a heading over the sentence) are not unexplained words
    skip = _by_value(mclaim) | frozenset(k for c in checks if c.status == "stated"
                                         for k in range(c.claim_q.start, c.claim_q.end))
    # words the sentence leaves to its paragraph (那家[轴承企业]…) are not new statements
    uncovered = [mclaim[lo:hi] for lo, hi in _uncovered_runs(mclaim, al, skip)
                 if not (lo == 0 and _subject_place(mclaim[lo:hi], doc.text, tuple(title_places(doc.doc.title))))]
    runs = [r for r in uncovered if len(r) >= FREE_RUN and not _in_context(r, context)]
    if runs:
        # words of the claim the source does not have: a judgement the other way round
        # (已领先于 vs 还有很大差距) contradicts; anything else cannot be confirmed
        turn = _evaluation_flip(uncovered, al, doc)
        if turn is not None:
            return Verdict(claim, "contradicted", turn[0], turn[1], [main],
                           f"说法中的“{turn[0]}”与原文不符：{para}写的是“{turn[1]}”。")
        return Verdict(claim, "not_found", "", "", [main],
                       f"{para}谈到相关内容，但没有“{runs[0]}”这样的表述，原文未提及，无法核实。")

    exception = _exception_dropped(mclaim, al, doc)
    if exception is not None:
        word, (lo, hi) = exception
        src = doc.quote(lo, hi)
        return Verdict(claim, "contradicted", word, src, [main, cite_mapped(lo, hi)],
                       f"说法中的“{word}”与原文不符：原文规定有例外，原文第{doc.paragraph_at(lo).number}段写的是“{src}”。")

    cites = [main]
    for c in checks:
        if c.where and not (al.start <= c.where[0] and c.where[1] <= al.end):
            extra = cite_mapped(*c.where)
            if all((x.start, x.end) != (extra.start, extra.end) for x in cites):
                cites.append(extra)
    stated = [c for c in checks if c.status == "stated" and c.claim_q.kind != "ordinal"]
    claimed_v = "、".join(claimed(c.claim_q) for c in stated)
    source_v = "、".join(q for q in (doc.quote(c.source_q.start, c.source_q.end) for c in stated) if q)
    if stated:
        # a year no text dates is the document's own (the source figure is empty: nothing to quote)
        quoted = "".join(f"“{doc.view.shown(c.source_q.start, c.source_q.end)}”" if c.source_q.end > c.source_q.start
                         else f"（文件年份{c.source_q.text}年）" for c in stated)
        why = f"{para}写明{quoted}，与说法中的数字一致。"
    else:
        why = f"{para}有相同的表述，说法与原文一致。"
    return Verdict(claim, "supported", claimed_v, source_v, cites, why)


def _magnitude_only(c: Quantity, s: Quantity) -> bool:
    """Same digits, different multiplier or unit (267万元 vs 267亿元, 5.1397亿户 vs 51397户)."""
    if not c.value or not s.value or c.value == s.value:
        return c.unit != s.unit and bool(c.unit) and bool(s.unit)
    ratio = math.log10(abs(c.value / s.value))
    return abs(ratio - round(ratio)) < 1e-9


_RANK = {"contradicted": 0, "not_found": 1, "supported": 2}


def validate_claim(claim: str, max_chars: int = 2000) -> str:
    """Strip and check a claim (``answer.validate_question``); raises
    :class:`~assistant.answer.QuestionError` with a message about the claim."""
    from .answer import QuestionError, validate_question

    try:
        return validate_question(claim, max_chars)
    except QuestionError as exc:
        text = (claim or "").strip()
        if not text:
            raise QuestionError("说法为空：请输入要核对的一句话或一个数字。") from exc
        if len(text) > max_chars:
            raise QuestionError(f"说法过长（{len(text)} 字）：请控制在 {max_chars} 字以内，或分句核对。") from exc
        raise QuestionError("说法只有标点符号：请输入要核对的文字。") from exc


# "据/根据…" before a named document ("据《政府工作报告》，…", "根据条例第二十条，…")
_LEAD = re.compile(r"^\s*(?:据|根据|按照|依据|依照|正如)\s*")
# a time before the document's name ("2021年，保定计划…", "今年上半年，")
_PLANNED = re.compile(r"计划|拟|将|要|力争|预计|争取|确保|目标")
_WHEN = re.compile(rf"\s*(?:(?:{YEAR_DIGITS})年|今年|去年|明年)(?:[上下]半年|全年|底|末|初)?\s*[，,]?\s*")
_ARTICLE_NUM = r"[零〇一二三四五六七八九十百\d]+"
# an article named before the content ("第十五条规定，…", "该条例第十九条规定：…")
_ARTICLE = re.compile(rf"^(?:本|该|这)?(?:{'|'.join(('条例', '规定', '办法', '细则', '章程', '法'))})?第({_ARTICLE_NUM})条"
                      rf"(?:第{_ARTICLE_NUM}款)?(?:中|里)?(?:明确|也|还)?(?:规定|指出|提出|要求|明确|写明)?(?:了)?\s*[，,：:]?\s*")
# an article heading at the start of a line of the document ("第十五条　涉及商业秘密…")
_ARTICLE_HEAD = re.compile(rf"(?m)^[ \t\u3000]*第({_ARTICLE_NUM})条")


def _article_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    qs = extract_quantities(f"第{token}条")
    return int(qs[0].value) if qs and qs[0].value is not None else None


def claim_content(claim: str, profiles: list[DocProfile]) -> tuple[str, Reference | None, int | None]:
    """(content, reference, article) of a claim: the document it names ("二十大报告指出，…",
    "据《政府工作报告》，…", "条例规定…"; :func:`naming.find_reference`) and the frame verb are
    cut; an article it names ("《条例》第十五条规定，…") is cut and returned as a number."""
    s = claim.strip()
    lead = _LEAD.match(s)
    body = s[lead.end():] if lead else s
    ref = find_reference(body, profiles)
    if ref is not None and not _CONTENT.search(body[:ref.start]):
        body = body[ref.end:]
    elif ref is not None and _WHEN.fullmatch(body[:ref.start]):
        # "2021年，保定计划…": the time stays content, the document's place before its verb is cut
        body = body[:ref.start] + body[ref.end:]
    else:
        ref = None  # a document named inside the content is content
    body = body.lstrip("，,：:、 \t")
    article = None
    m = _ARTICLE.match(body)
    if m and m.end() < len(body):
        article = _article_value(m.group(1))
        body = body[m.end():]
    if ref is None and article is None:
        body = claim  # no document named: the general framing below ("讲话说", "据原文")
    return strip_framing(body), ref, article


def check_claim(assistant, claim: str, doc_ids=None) -> Verdict:
    """Check one claim against the indexed sources (optionally only `doc_ids`).

    A claim that names its document ("二十大报告指出，…", "《条例》第十五条规定，…") is checked
    against that document (a title, an abbreviation of its header), or the documents of the
    kind it names (报告, 讲话, 条例), and no other.  A claim about its jurisdiction ("全省…",
    "自治区…") is checked against the documents of that level and those of none
    (:meth:`retrieval.Retriever.jurisdiction_scope`).  A named article must be
    the one the cited text stands in.

    Raises :class:`assistant.answer.QuestionError` for empty, too long or
    punctuation-only input (the message is for the user)."""
    claim = validate_claim(claim, assistant.settings.max_question_chars)
    profiles = list(_profiles(assistant).values())
    core, ref, article = claim_content(claim, profiles)
    scope = doc_ids
    if ref is not None:
        named = [d for d in ref.doc_ids if doc_ids is None or d in doc_ids]
        scope = named or doc_ids
    # a kind named alone ("讲话提出") scopes too: a figure another kind of document states is not
    # what the claim attributes to the speech ("讲话提出今年新增城镇就业2万人" vs a work report)
    if ref is None or not ref.exact:
        # "…全省一般公共预算收入…": a province's documents (and those of no level), not a region's
        own = assistant.retriever.jurisdiction_scope(levels_named(core))
        if own is not None:
            narrowed = [d for d in (scope or own) if d in own]
            scope = narrowed or scope
    verdict = _check_content(assistant, claim, core, scope)
    if article is not None and verdict.verdict == "supported":
        verdict = _check_article(assistant, verdict, article)
    return verdict


def _statements(core: str) -> list[str]:
    """The statements a claim joins: its sentences, and the parts of a sentence between "；" that
    each state a figure ("…损失的，处…一倍以上二倍以下的罚款；以骗保为目的的，处…二倍以上五倍以下的
    罚款": two penalties, each in its own source sentence, so a swapped pair is seen)."""
    out = []
    for s, e in split_sentences(core) or [(0, len(core))]:
        parts = _STATEMENT_SPLIT.split(core[s:e])
        if len(parts) > 1 and all(_content_len(p) >= MIN_CLAUSE_CHARS and any(
                q.kind not in ("ordinal", "year") for q in extract_quantities(p)) for p in parts):
            out.extend(parts)
        else:
            out.append(core[s:e])
    return out


def _check_content(assistant, claim: str, core: str, doc_ids) -> Verdict:
    duty = _duty_verdict(assistant, claim, core, doc_ids)
    if duty is not None:
        return duty
    sentences = _statements(core)
    if len(sentences) == 1:
        return _check_one(assistant, claim, core, doc_ids)
    return _combine(claim, [_check_one(assistant, s, strip_framing(s), doc_ids) for s in sentences if strip_framing(s)])


def _duty_verdict(assistant, claim: str, core: str, doc_ids) -> Verdict | None:
    """The verdict on a claim about who carries out a task ("X由市科技和信息化局牵头", "X的牵头单位是…")
    when a document closes that task with a responsibility note ("（牵头单位：市财政局，配合单位：…）",
    :mod:`assistant.duties`): a body the note does not give that role contradicts it; the rest of the
    claim (a figure of the task) is checked as any claim.  None when no note answers the claim."""
    said = claimed_duty(core)
    if said is None:
        return None
    best = None
    for d in assistant.retriever.index.all_documents():
        if doc_ids is None or d.id in doc_ids:
            hit = duty_of(said, d.text, d.paragraphs)
            if hit is not None and (best is None or hit[2] > best[3]):
                best = (d, *hit)
    if best is None:
        return None
    doc, para, duty, _score = best
    task = _cite(assistant, doc.id, *task_span(doc.text, para.start, duty.start))
    note = _cite(assistant, doc.id, duty.start, duty.end)
    cites = [task, note] if (task.start, task.end) != (note.start, note.end) else [note]
    claimed_v, source_v = "、".join(said.bodies), "、".join(duty.bodies)
    where = f"原文第{note.paragraph}段"
    if not all(names_body(duty, b) for b in said.bodies):
        return Verdict(claim, "contradicted", claimed_v, source_v, cites,
                       f"说法中的“{claimed_v}”与原文不符：{where}写明{duty.role}单位为“{source_v}”。")
    verdict = Verdict(claim, "supported", claimed_v, source_v, cites,
                      f"{where}写明{duty.role}单位为“{source_v}”，与说法一致。")
    rest = core.replace(said.said, "").strip("，,。；; ")
    if any(q.kind != "ordinal" for q in extract_quantities(rest)):
        # "5年内新型农民培训要达到40000名，由市农业局牵头": the figure is checked too
        return _combine(claim, [_check_content(assistant, rest, rest, [doc.id]), verdict])
    return verdict


def _check_article(assistant, verdict: Verdict, article: int) -> Verdict:
    """A supported claim that names an article ("第十五条规定…") whose cited text stands in
    another article of the document is contradicted."""
    c = verdict.citations[0]
    text = assistant.retriever.index.document(c.doc).text
    heads = [m for m in _ARTICLE_HEAD.finditer(text) if m.start() <= c.start]
    if not heads:
        return verdict
    actual = _article_value(heads[-1].group(1))
    if actual is None or actual == article:
        return verdict
    head = heads[-1]
    claimed_t = next((m.group(0) for m in re.finditer(rf"第{_ARTICLE_NUM}条", verdict.claim)
                      if _article_value(m.group(0)[1:-1]) == article), f"第{article}条")
    source_t = text[head.start(1) - 1:head.end()]
    cite_head = _cite(assistant, c.doc, head.start(1) - 1, head.end())
    return Verdict(verdict.claim, "contradicted", claimed_t, source_t, [*verdict.citations, cite_head],
                   f"说法中的“{claimed_t}”与原文不符：这一内容出自原文第{c.paragraph}段，属于“{source_t}”。")


def _combine(claim: str, parts: list[Verdict]) -> Verdict:
    """One verdict for a claim checked in parts: the worst part decides."""
    worst = min(parts, key=lambda v: _RANK[v.verdict])
    cites: list[Citation] = []
    for v in parts:
        for c in v.citations:
            if all((x.doc, x.start, x.end) != (c.doc, c.start, c.end) for x in cites):
                cites.append(c)
    expl = " ".join(f"（{i}）{v.explanation}" for i, v in enumerate(parts, 1))
    return Verdict(claim, worst.verdict, worst.claimed_value, worst.source_value, cites, expl)


def evaluate_claims(assistant, items: list[dict]) -> dict:
    """Verdict accuracy over dev-set rows with ``kind == "claim"``.

    Returns ``{"n", "accuracy", "contradicted_called_supported", "per_verdict":
    {gold verdict: {"n", "correct"}}, "errors": [ids]}`` (speed: bench/claims.py)."""
    per = {v: {"n": 0, "correct": 0} for v in VERDICTS}
    errors, correct, worst = [], 0, 0
    for it in items:
        gold = it.get("verdict")
        got = check_claim(assistant, it["claim"]).verdict
        per.setdefault(gold, {"n": 0, "correct": 0})
        per[gold]["n"] += 1
        if got == gold:
            correct += 1
            per[gold]["correct"] += 1
        else:
            errors.append(it.get("id", it["claim"]))
        worst += gold == "contradicted" and got == "supported"
    n = len(items)
    return {
        "n": n,
        "accuracy": correct / n if n else 0.0,
        "contradicted_called_supported": worst,
        "per_verdict": per,
        "errors": errors,
    }
