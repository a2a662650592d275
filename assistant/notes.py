"""Study notes (学习笔记) of an indexed document: outline, figures, memorable lines, reflection.

Everything except the optional reflection is copied from the document text, so
every outline heading, figure and line is a verbatim span with its paragraph
number (¶N = the N-th non-empty line, see :mod:`assistant.documents`).

1. **提纲** — the section tree of :func:`assistant.structure.parse` (parts,
   areas, 要/是/首先… points; Markdown ``#`` headings in other documents).  A
   label is the heading sentence without its end mark; long point sentences
   (``一方面，…``) are cut at a clause boundary, still verbatim.  Each item
   carries its key sentence (``key``): the first full sentence after the
   heading, before any sub-heading.
2. **重要数据** — :func:`assistant.numbers.extract_quantities` run paragraph by
   paragraph.  Skipped: ordinals (第一印象), bare years (2022年 is a date, not a
   measured figure), structural counts (三个方面, 七个方面工作), and digits the
   source anonymised (``*个百分点``) — those are counted in ``figures_masked``.
   A figure repeated with the same item (千亿产业集群 ×6) is listed once, the
   later paragraphs in ``repeats``.  ``unit`` is the unit as written (亿元,
   not the normalised 元); ``context`` is the verbatim clause holding the
   figure (widened to the previous clause when shorter than 12 characters).
3. **金句** — see :func:`pick_sayings` for the heuristic (排比, 对仗, 一X一X,
   引语, quoted slogans, four-character rhythm), scored and capped.
4. **学习体会** — only with a chat model: drafted from the outline with
   ``prompts/notes.md``; every figure in it must be stated by the outline or
   figure texts (:func:`assistant.numbers.unverified_numbers`); sentences with
   an unverified figure are removed and listed in ``reflection_flags``.
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field

from .config import PROJECT_ROOT
from .documents import Document
from .numbers import extract_quantities, unverified_numbers
from .sentences import split_clauses, split_sentences, split_spans
from .structure import CN_DIGITS, Section, parse

log = logging.getLogger(__name__)

PROMPT_FILE = PROJECT_ROOT / "prompts" / "notes.md"
AI_MARK = "AI 生成，仅供参考"
MAX_SAYINGS = 18
PER_PARAGRAPH = 4
MAX_LABEL = 40


class NotesError(ValueError):
    """Bad input for the notes (unknown document, unknown or ambiguous section); message in Chinese."""


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------
@dataclass
class OutlineItem:
    """A heading of the outline: ``label == doc_text[start:end]`` (the heading sentence)."""

    level: int  # 1 part (一、), 2 area (（一）), 3+ points; Markdown headings keep their # level
    label: str
    kind: str  # part | area | point | heading | appendix
    paragraph: int
    start: int
    end: int
    children: list["OutlineItem"] = field(default_factory=list)
    key: str = ""  # the key sentence under the heading (== doc_text[key_start:key_end]); "" when none
    key_start: int = 0
    key_end: int = 0


@dataclass
class FigureRow:
    """A figure of the document: ``figure == doc_text[start:end]``; ``context`` is the verbatim clause."""

    figure: str
    unit: str  # as written: 亿元, 个, %, 户 …
    item: str  # what it measures (best effort, not verbatim)
    paragraph: int
    start: int
    end: int
    context: str
    repeats: list[int] = field(default_factory=list)  # later paragraphs stating the same figure for the same item


@dataclass
class Saying:
    """A memorable line (金句): ``text == doc_text[start:end]``; ``reason`` names the rule that picked it."""

    text: str
    paragraph: int
    start: int
    end: int
    reason: str


@dataclass
class StudyNotes:
    """The study notes of one document (or one part/area of it)."""

    doc_id: str
    title: str
    section: str | None  # heading of the part/area the notes are limited to; None = whole document
    outline: list[OutlineItem]
    figures: list[FigureRow]
    sayings: list[Saying]
    reflection: str | None  # AI-drafted 学习体会; None without a chat model
    reflection_flags: list[str]
    figures_masked: int = 0  # figures the source anonymised with * (not listed)
    source: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["reflection_label"] = AI_MARK if self.reflection else None
        return data

    def outline_items(self):
        """(item, depth) in document order."""

        def rec(items, depth):
            for it in items:
                yield it, depth
                yield from rec(it.children, depth + 1)

        yield from rec(self.outline, 0)


# --------------------------------------------------------------------------
# Document and section choice
# --------------------------------------------------------------------------
def choose_document(index, doc_id: str | None) -> Document:
    """The document asked for (id, file name, file stem or title); default: the speech
    (metadata kind "speech"), else the first indexed document."""
    docs = index.documents()
    if not docs:
        raise NotesError("索引中没有文档：请先把文档放入文档目录并运行 python -m assistant index")
    if doc_id is None or not str(doc_id).strip():
        for did, info in docs.items():
            if (info.get("metadata") or {}).get("kind") == "speech":
                return index.document(did)
        return index.document(next(iter(docs)))
    want = str(doc_id).strip()
    if want in docs:
        return index.document(want)
    for did, info in docs.items():
        source = info.get("source", "")
        stem = source.rsplit(".", 1)[0]
        if want in (source, stem, info.get("title")):
            return index.document(did)
    names = "、".join(f"{did}（{info.get('source') or info.get('title')}）" for did, info in docs.items())
    raise NotesError(f"文档不在索引中：{want}。可用的文档：{names}")


_PATH_RE = re.compile(rf"^(?:([{CN_DIGITS}]+)[、.．]?)?(?:[（(]([{CN_DIGITS}]+)[）)])?$")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("(", "（").replace(")", "）")


def find_section(roots: list[Section], text: str, query: str) -> Section:
    """The part or area named by `query`: an ordinal path (``二``, ``二、``, ``（五）``,
    ``三（一）``) or a substring of its heading (``生态环境``)."""
    q = _norm(query)
    if not q:
        raise NotesError("请给出要整理的部分，例如 “（五）” 或 “生态环境”")
    tops = [s for s in roots if s.kind in ("part", "heading")]
    m = _PATH_RE.match(q)
    if m and (m.group(1) or m.group(2)):
        part_no = CN_DIGITS.index(m.group(1)[0]) + 1 if m.group(1) else None
        area_no = CN_DIGITS.index(m.group(2)[0]) + 1 if m.group(2) else None
        parts = [p for p in tops if p.kind == "part" and (part_no is None or p.ordinal == part_no)]
        if area_no is None:
            if parts:
                return parts[0]
        else:
            areas = [(p, a) for p in parts for a in p.children if a.kind == "area" and a.ordinal == area_no]
            if len(areas) == 1:
                return areas[0][1]
            if len(areas) > 1:
                options = "、".join(f"{_part_name(p)}（{CN_DIGITS[area_no - 1]}）" for p, _a in areas)
                raise NotesError(f"“{query}”不唯一：请写成 {options}，或写出标题中的词语")
    found: list[Section] = []

    def rec(nodes):
        for n in nodes:
            if n.kind in ("part", "area", "heading") and q in _norm(text[n.start:n.end]):
                found.append(n)
            rec(n.children)

    rec(roots)
    if not found:
        heads = "；".join(_label_text(text, s.start, s.end)[:24] for s in tops) or "（本文没有可识别的标题）"
        raise NotesError(f"找不到部分“{query}”。可用的部分：{heads}")
    outer = [s for s in found if not any(o is not s and o.start <= s.start < o.extent_end for o in found)]
    if len(outer) > 1:
        options = "；".join(_label_text(text, s.start, s.end)[:24] for s in outer[:5])
        raise NotesError(f"“{query}”匹配到多个部分：{options}。请写得更具体些")
    return outer[0]


def _part_name(part: Section) -> str:
    return CN_DIGITS[part.ordinal - 1] if 1 <= part.ordinal <= len(CN_DIGITS) else ""


# --------------------------------------------------------------------------
# 1. Outline
# --------------------------------------------------------------------------
_END_PUNCT = "。！？!?；;：:，,"


def _label_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Heading sentence without its end mark; long sentences cut at a clause boundary."""
    while end > start and (text[end - 1] in _END_PUNCT or text[end - 1].isspace()):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, _cut_at_clause(text, start, end, MAX_LABEL)


def _cut_at_clause(text: str, start: int, end: int, limit: int) -> int:
    """End of text[start:end] cut to at most `limit` characters at a clause boundary (at least one
    clause), without the clause's end mark."""
    if end - start <= limit:
        return end
    cut = start
    for _s, e in split_clauses(text, start, end):
        if e - start > limit and cut > start:
            break
        cut = e
    while cut > start and text[cut - 1] in _END_PUNCT:
        cut -= 1
    return cut


def _label_text(text: str, start: int, end: int) -> str:
    s, e = _label_span(text, start, end)
    return text[s:e]


def _outline(doc: Document, nodes: list[Section]) -> list[OutlineItem]:
    items = []
    for n in nodes:
        if n.kind == "heading" or (n.kind == "part" and doc.text[n.start:n.end].lstrip().startswith("#")):
            # Markdown heading: the label is the heading text after the #'s
            line = doc.text[n.start:n.end]
            m = re.match(r"\s*#{1,6}\s+", line)
            s = n.start + (m.end() if m else 0)
            e = n.start + len(line.rstrip().rstrip("#").rstrip())
            s, e = _label_span(doc.text, s, max(e, s + 1))
        else:
            s, e = _label_span(doc.text, n.start, n.end)
        ks, ke = _key_sentence(doc, n, e)
        items.append(OutlineItem(n.level, doc.text[s:e], n.kind, n.paragraph, s, e, _outline(doc, n.children),
                                 doc.text[ks:ke], ks, ke))
    return items


MAX_KEY = 90  # characters of a key sentence; longer ones are cut at a clause boundary


def _key_sentence(doc: Document, n: Section, label_end: int) -> tuple[int, int]:
    """Span of the point's key sentence: the first full sentence after its heading and before its
    first sub-heading (一要做强主导产业 -> 打造先进制造业千亿产业集群，是打造千亿强区的重要物质基础…);
    when the heading sentence itself was cut for the label, the rest of that sentence."""
    text = doc.text
    hi = min([n.extent_end] + [c.start for c in n.children])
    para = doc.paragraph_at(n.start)
    if n.kind == "appendix":  # its key sentence is its title, the line after "附件1"
        nxt = doc.paragraphs[para.number] if para.number < len(doc.paragraphs) else para
        hi = min(hi, nxt.end)
    elif n.kind != "part":
        hi = min(hi, para.end)
    spans = split_sentences(text, n.end, hi)
    rest = label_end
    while rest < n.end and (text[rest] in _END_PUNCT or text[rest].isspace()):
        rest += 1
    if n.end - rest >= 8:
        spans = [(rest, n.end)] + spans
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        if _cjk_len(text[a:b]) < 8 or text[a:b].lstrip().startswith("#"):
            continue
        while b > a and (text[b - 1] in _END_PUNCT or text[b - 1].isspace()):
            b -= 1
        return a, _cut_at_clause(text, a, b, MAX_KEY)
    return 0, 0


# --------------------------------------------------------------------------
# 2. Figures
# --------------------------------------------------------------------------
_MASKED = re.compile(r"\*+(?=个百分点|%|万|亿|户|元)|(?<=户)\*+(?=人)")  # *个百分点, **万人, ***户**人
_ITEM_LEAD = re.compile(r"^(?:一批|一些|一个|一项|这些|那些|其中|全部)")
_ITEM_TRAIL = re.compile(r"(?:提供|的|中|里|上|下|和|等)$")
_QUAL_PRE = re.compile(r"^(?:超过|超出|将近|接近|大约|不足|不到|不少于|至少|突破|超|近|约|逾)")
_QUAL_POST = re.compile(r"(?:以上|以下|以内|左右|之多|有余|负增长)$")


def _unit_as_written(q) -> str:
    if not q.unit and q.kind != "percent":
        return ""
    core = _QUAL_POST.sub("", _QUAL_PRE.sub("", q.text))
    core = core.rstrip("余多") if core.endswith(("余", "多")) and not q.unit else core
    norm = q.unit
    if norm and core.endswith(norm):
        head = core[: -len(norm)]
        mult = re.search(r"(万亿|亿|万)$", head.rstrip("余多"))
        return (mult.group(1) if mult else "") + norm
    return norm


def _clean_item(item: str) -> str:
    item = _ITEM_LEAD.sub("", item)
    for _ in range(2):
        item = _ITEM_TRAIL.sub("", item)
    return item if len(item) >= 2 else ""


def _context_span(text: str, p_start: int, p_end: int, start: int, end: int) -> tuple[int, int]:
    clauses = split_clauses(text, p_start, p_end)
    idx = next((i for i, (s, e) in enumerate(clauses) if s <= start < e), None)
    if idx is None:
        return start, end
    s, e = clauses[idx]
    e = max(e, end)
    j = idx
    while (e - s < 12 or ("分别" in text[s:e] and j == idx)) and j > 0:  # 分别…: keep the subjects
        j -= 1
        s = clauses[j][0]
    while e > s and text[e - 1] in _END_PUNCT:
        e -= 1
    return s, e


def _after_quote_item(ptext: str, end: int) -> str:
    if end < len(ptext) and ptext[end] in "”’":
        m = re.match(r"[\u4e00-\u9fff]{2,12}", ptext[end + 1:])
        return m.group() if m else ""
    return ""


_DELIMS = set("，。；：！？,;:!?\n")
_TRIVIA_UNITS = {"年", "个月", "月", "天", "日", "周", "小时", "个小时", "分钟", "秒钟", "岁"}
_HEADCOUNT_UNITS = {"户", "人", "名", "家"}
_ENUM_BEFORE = re.compile(r"(?<![\u4e00-\u9fff\d.%])((?:[\u4e00-\u9fff]{1,4}、)+)$")


def _inside_quotes(ptext: str, pos: int) -> bool:
    """Is `pos` inside “…” (a name or slogan: “三个高地”, “97193”, “15分钟生活圈”)?"""
    before = ptext[:pos]
    return before.count("“") > before.count("”") or before.count("「") > before.count("」")


def _with_enumeration(ptext: str, item: str, pos: int) -> str:
    """中信、一拖年产值: an item right after an enumeration (…、) belongs to all of it."""
    i = ptext.rfind(item, 0, pos)
    if i <= 0 or any(ch in _DELIMS for ch in ptext[i:pos]):  # the item must be in the figure's own clause
        return item
    m = _ENUM_BEFORE.search(ptext[:i])
    return m.group(1) + item if m else item


def _respective_owners(ptext: str, sent: tuple[int, int]) -> dict[int, str]:
    """Start offset of each figure stated "respectively" -> its own item, paired by the quote check's
    rule (:func:`assistant.claims.respective_items`); {} without 分别 or without the claims module."""
    if "分别" not in ptext[sent[0]:sent[1]]:
        return {}
    try:
        from .claims import respective_items
    except ImportError:
        return {}
    return {q.start: owner for owner, q in respective_items(ptext, *sent)}


def extract_figures(doc: Document, lo: int = 0, hi: int | None = None) -> tuple[list[FigureRow], int]:
    """Figure rows of doc.text[lo:hi] (whole paragraphs overlapping it) and the count of masked figures.

    Every row names what its figure counts, taken from its clause (``item``): rows without
    an item are left out.  Figures stated "respectively" (中信、一拖年产值……分别达到300亿元和200亿元)
    get one row per item, paired as the quote check pairs them (中信年产值 300亿元, 一拖年产值
    200亿元); an item after an enumeration keeps the whole enumeration (中信、一拖年产值 超百亿元).
    Trivia is left out: figures inside quotation marks (names and slogans: “三个高地”, “97193”),
    durations and ages (连续五年亏损, 近二十年, 60岁以上), besides ordinals, bare years and
    structural counts (三个方面)."""
    hi = len(doc.text) if hi is None else hi
    rows: list[FigureRow] = []
    masked = 0
    seen: dict[tuple[str, str], FigureRow] = {}
    for para in doc.paragraphs:
        if para.end <= lo or para.start >= hi:
            continue
        ptext = doc.text[para.start:para.end]
        masked += len(_MASKED.findall(ptext))
        sentences = split_sentences(ptext)
        owners_of: dict[tuple[int, int], dict[int, str]] = {}
        kept: list[tuple[object, str, tuple[int, int]]] = []
        for q in extract_quantities(ptext):
            a, b = para.start + q.start, para.start + q.end
            if not (lo <= a < hi):
                continue
            if q.kind in ("ordinal", "year") or q.unit in _TRIVIA_UNITS or _inside_quotes(ptext, q.start):
                continue
            item = _clean_item(q.item)
            if q.kind == "count" and ("方面" in item or "方面" in ptext[q.end:q.end + 3]):
                continue  # 三个方面 / 七个方面工作: the outline already shows them
            sent = next(((s, e) for s, e in sentences if s <= q.start < e), (0, len(ptext)))
            if sent not in owners_of:
                owners_of[sent] = _respective_owners(ptext, sent)
            owner = owners_of[sent].get(q.start)
            if owner:  # 分别: this figure's own item, with the measure the sentence names (年产值)
                measure = next((it.rsplit(owner_last, 1)[-1] for _qq, it, sn in kept if sn == sent
                                for owner_last in [list(owners_of[sent].values())[-1]] if owner_last in it), "")
                item = owner + measure
            else:
                if item:
                    item = _with_enumeration(ptext, item, q.start)
                else:
                    item = _after_quote_item(ptext, q.end)
                clause_has_respectively = "分别" in ptext[sent[0]:q.start].rsplit("，", 1)[-1]
                if not item and not clause_has_respectively:  # borrow the item of a figure of the sentence
                    same_unit = [it for qq, it, sn in kept if sn == sent and it and qq.unit == q.unit]
                    any_unit = [it for qq, it, sn in kept if sn == sent and it]
                    item = same_unit[-1] if same_unit else (any_unit[0] if any_unit else "")
                    if item and not same_unit and q.unit in _HEADCOUNT_UNITS:
                        item += q.unit + "数"  # 老旧小区228个……涉及51397户: 老旧小区户数
            kept.append((q, item, sent))
            if not item:
                continue  # a figure without an item cannot be read in a table
            key = (q.text, item)
            if key in seen:
                if para.number not in seen[key].repeats and para.number != seen[key].paragraph:
                    seen[key].repeats.append(para.number)
                continue
            cs, ce = _context_span(doc.text, para.start, para.end, a, b)
            row = FigureRow(doc.text[a:b], _unit_as_written(q), item, para.number, a, b, doc.text[cs:ce])
            seen[key] = row
            rows.append(row)
    return rows, masked


# --------------------------------------------------------------------------
# 3. Memorable lines (金句)
# --------------------------------------------------------------------------
SEG_MARKS = "，；、：,;:"
_ONE_X_ONE_X = re.compile(r"一([\u4e00-\u9fff])[\u4e00-\u9fff]{0,3}?一\1")
_LEADER = re.compile(r"(?:总书记|主席|同志|总理|古人|俗话|常言)(?:强调|指出|讲|说|曾说|讲过|说过|所说)[：:，,]")
_QUOTE = re.compile(r"“([^“”]{6,40})”")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _cjk_len(s: str) -> int:
    return len(_CJK.findall(s))


def _parallel(a: str, b: str) -> bool:
    """Two clauses built on one template (排比/对偶 members)."""
    la, lb = len(a), len(b)
    if min(la, lb) < 3 or abs(la - lb) > 1:
        return False
    n = min(la, lb)
    prefix = next((i for i in range(n) if a[i] != b[i]), n)
    suffix = next((i for i in range(n) if a[-1 - i] != b[-1 - i]), n)
    if prefix == n or suffix == n:
        return False  # one contains the other
    left = [i for i in range(n) if a[i] == b[i]]
    right = [i for i in range(n) if a[-1 - i] == b[-1 - i]]
    if prefix == 0 and not [i for i in left if i < la - suffix] and not [i for i in right if i >= suffix]:
        # only a shared ending: 经济治理/政治治理 is a noun list, 生在**/长在** a parallel
        return la - suffix == 1 and lb - suffix == 1
    if max(len(left), len(right)) >= 2:
        return True
    # one shared character (not the ending) is enough in short clauses of equal length: 审批最少/流程最优
    return la == lb <= 5 and (bool(left) and prefix > 0 or any(i >= suffix for i in right) and suffix == 0)


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return split_spans(text, start, end, SEG_MARKS + "。！？!?")


def _strip_end(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and (text[e - 1] in "。！？!?，；、：,;:" or text[e - 1].isspace()):
        e -= 1
    return s, e


def _words(text: str, segs: list[tuple[int, int]]) -> list[str]:
    return [text[a:b].rstrip(SEG_MARKS + "。！？!?") for a, b in segs]


def _runs(words: list[str]) -> list[list[int]]:
    """Maximal runs of consecutive parallel clauses (touching runs of one clause length merge:
    少一些“摇头”、多一些“点头”；少说“不能办”，多讲“怎么办”)."""
    runs: list[list[int]] = []
    cur = [0]
    for i in range(1, len(words)):
        if _parallel(words[i - 1], words[i]):
            cur.append(i)
        else:
            runs.append(cur)
            cur = [i]
    runs.append(cur)
    merged: list[list[int]] = []
    for r in (r for r in runs if len(r) >= 2):
        prev = merged[-1] if merged else None
        if prev and prev[-1] + 1 == r[0] and len({len(words[i]) for i in prev + r}) == 1:
            prev.extend(r)
        else:
            merged.append(list(r))
    return merged


def _widen(text: str, segs, words, r: list[int], check) -> tuple[int, int, int]:
    """Span of run `r`, widened by the parallel tail of the clause before it (我们要[带着感情]、带着责任)
    and the parallel head of the clause after it (效率最高、[服务最好]的一流…); returns (start, end, members)."""
    a, b = segs[r[0]][0], segs[r[-1]][0] + len(words[r[-1]])
    n = len(r)
    first, last = words[r[0]], words[r[-1]]
    if r[0] > 0 and len(words[r[0] - 1]) > len(first) and check(words[r[0] - 1][-len(first):], first):
        a = segs[r[0] - 1][0] + len(words[r[0] - 1]) - len(first)
        n += 1
    if r[-1] + 1 < len(words) and len(words[r[-1] + 1]) > len(last) and check(words[r[-1] + 1][:len(last)], last):
        b = segs[r[-1] + 1][0] + len(last)
        n += 1
    return a, b, n


def _same_rhythm(x: str, y: str) -> bool:
    return len(x) == len(y) and 3 <= len(x) <= 4 and bool(_CJK4.fullmatch(x)) and bool(_CJK4.fullmatch(y))


_LEAD_IN = re.compile(r"(?:做到|坚持|实现|努力|就是|要|把|以|在)(?P<w>[\u4e00-\u9fff]{3,4})$")
_CJK4 = re.compile(r"[\u4e00-\u9fff]{3,4}")
_ABAC = re.compile(r"([\u4e00-\u9fff])[\u4e00-\u9fff]\1[\u4e00-\u9fff]|一([\u4e00-\u9fff])[\u4e00-\u9fff]\2")


def _alignment(x: str, y: str) -> float:
    n = min(len(x), len(y))
    left = sum(x[i] == y[i] for i in range(n))
    right = sum(x[-1 - i] == y[-1 - i] for i in range(n))
    return max(left, right) / max(len(x), len(y))


def _chiasmus(x: str, y: str) -> bool:
    """有人因为看见而相信，有人因为相信而看见: two words swap places."""
    bigrams = {x[i:i + 2] for i in range(len(x) - 1) if _CJK.fullmatch(x[i]) and _CJK.fullmatch(x[i + 1])}
    common = [g for g in bigrams if g in y]
    return any(x.index(g) < x.index(h) and y.index(g) > y.index(h) for g in common for h in common if g != h)


def _candidates(doc: Document, lo: int, hi: int) -> list[tuple[float, int, int, str]]:
    """(score, start, end, reason) of every candidate line in doc.text[lo:hi]."""
    text = doc.text
    out: list[tuple[float, int, int, str]] = []
    for para in doc.paragraphs:
        if para.end <= lo or para.start >= hi or text[para.start:para.end].lstrip().startswith("#"):
            continue
        for s_start, s_end in split_sentences(text, para.start, para.end):
            if not (lo <= s_start < hi):
                continue
            sentence = text[s_start:s_end]
            segs = _segments(text, s_start, s_end)
            words = _words(text, segs)
            # (a) 排比 / 对偶: runs of clauses on one template
            for r in _runs(words):
                a, b, n = _widen(text, segs, words, r, _parallel)
                span = text[a:b]
                if n >= 3:
                    score, reason = 3.0 + 0.5 * min(n, 4), f"排比：{n} 个同构分句"
                else:
                    x, y = words[r[0]], words[r[1]]
                    if min(len(x), len(y)) < 4:
                        continue
                    score, reason = 2.0 + 2.0 * _alignment(x, y) + (0.5 if max(len(x), len(y)) <= 8 else 0), "对偶：两个同构分句"
                    if _chiasmus(x, y):
                        score, reason = score + 1.5, "对偶（回环）：两句词语互换"
                if _ONE_X_ONE_X.search(span) or all(text[segs[k][0]] == "一" for k in r):
                    score += 1.5
                    reason += "，“一X…一X”句式"
                elif len(_ABAC.findall(span)) >= 2:
                    score += 0.5
                    reason += "，AXAY 叠字"
                out.append((score, a, b, reason))
            # (b) 整齐短语: ≥4 、-joined clauses of one 3- or 4-character length, all ending differently
            #     (学党史、悟思想、办实事、开新局; 经济治理、政治治理… share an ending: a noun list)
            i = 0
            while i < len(words):
                j = i
                while j + 1 < len(words) and text[segs[j][1] - 1] == "、" and _same_rhythm(words[i], words[j + 1]):
                    j += 1
                run = list(range(i, j + 1))
                if len(run) >= 3 and len({words[k][-2:] for k in run}) == len(run) and _same_rhythm(words[i], words[j]):
                    a, b = segs[i][0], segs[j][0] + len(words[j])
                    n = len(run)
                    lead = _LEAD_IN.search(words[i - 1]) if i > 0 and text[segs[i - 1][1] - 1] == "、" else None
                    if lead and len(lead.group("w")) == len(words[i]):  # 真正做到[学党史]、悟思想…
                        a, n = segs[i - 1][0] + lead.start("w"), n + 1
                    if n >= 4:
                        out.append((3.0 + 0.5 * min(n, 4), a, b, f"排比：{n} 个整齐的{len(words[i])}字短语"))
                i = j + 1
            # (c) 对仗 across ；: groups with the same clause lengths (历史的画卷，在砥砺前行中铺展；精彩的华章，…)
            groups = split_spans(text, s_start, s_end, "；;")
            if len(groups) >= 2:
                gsegs = [_segments(text, g0, g1) for g0, g1 in groups]
                sigs = [tuple(len(w) for w in _words(text, gs)) for gs in gsegs]
                i = 0
                while i < len(groups) - 1:
                    sig = sigs[i + 1]
                    j = i + 1
                    while j + 1 < len(groups) and sigs[j + 1] == sig:
                        j += 1
                    if len(sig) >= 2 and sigs[i][-len(sig):] == sig:
                        a = gsegs[i][len(sigs[i]) - len(sig)][0]
                        a, b = _strip_end(text, a, groups[j][1])
                        out.append((4.0 + 0.5 * (j - i), a, b, f"对仗：{j - i + 1} 组句式相同的分句"))
                    i = j
            # (d) 一X…一X in a short sentence: 一座城有一座城的过去
            if _ONE_X_ONE_X.search(sentence) and _cjk_len(sentence) <= 30:
                a, b = _strip_end(text, s_start, s_end)
                out.append((3.0, a, b, "“一X…一X”句式"))
            # (e) words of a leader or a saying: 总书记强调：… / 毛主席讲，…
            m = _LEADER.search(sentence)
            if m:
                a, b = _strip_end(text, s_start + m.end(), s_end)
                if 6 <= _cjk_len(text[a:b]) <= 70:
                    out.append((5.0, a, b, "引语：领导人讲话或名言原话"))
            core = [w for w in words if w]
            # (f) four-character rhythm: a short sentence of 4-character clauses (千里之行，始于足下)
            if 2 <= len(core) <= 4 and all(_cjk_len(w) == 4 == len(w) for w in core):
                a, b = _strip_end(text, s_start, s_end)
                out.append((3.5, a, b, "四字格：短句节奏整齐，似成语俗语"))
            # (g) short two-clause sentence ending on the same word: 格局有多大，事业才能做多大
            if len(core) == 2 and _cjk_len(sentence) <= 20 and min(map(len, core)) >= 4 \
                    and core[0][-2:] == core[1][-2:] and _CJK.fullmatch(core[0][-1]):
                a, b = _strip_end(text, s_start, s_end)
                out.append((3.5, a, b, f"回环：两句同以“{core[0][-2:]}”收尾"))
        # (h) slogans and sayings in quotation marks with a parallel inside
        ptext = text[para.start:para.end]
        for m in _QUOTE.finditer(ptext):
            a, b = para.start + m.start(), para.start + m.end()
            if not (lo <= a < hi):
                continue
            parts = [x for x in re.split(r"[，、；,;]", m.group(1)) if x]
            if len(parts) < 2 or min(len(x) for x in parts) < 3:
                continue
            par = sum(_parallel(x, y) for x, y in zip(parts, parts[1:]))
            if par or len({len(x) for x in parts}) == 1:
                score = 2.5 + 0.5 * min(par, 2) + (0.5 if _ONE_X_ONE_X.search(m.group(1)) else 0)
                out.append((score, a, b, "引号内的警句、口号"))
    return out


_FAMILY_CAP = {"排比": 10, "对偶": 3, "引号": 2}


def pick_sayings(doc: Document, lo: int = 0, hi: int | None = None, limit: int = MAX_SAYINGS) -> list[Saying]:
    """金句 of doc.text[lo:hi], in document order.

    Heuristic (each line verbatim, the rule that picked it in ``reason``):

    * 排比 — ≥3 consecutive clauses on one template (shared characters at the
      same positions: 一天不懈怠、一刻不松劲、一步不停歇; 学史明理、学史增信…;
      a shared ending alone counts only when one character differs — 经济治理、
      政治治理 is a noun list, not a line);
    * 对偶 — two such clauses of ≥4 characters (有人因为看见而相信，有人因为相信而看见);
      touching pairs merge (少说“不能办”，多讲“怎么办”；少出…多出…);
    * 对仗 — ；-separated groups with identical clause lengths (历史的画卷，在砥砺前行中铺展；精彩的华章，…);
    * 一X…一X — 一锤接着一锤敲, 一荣俱荣、一损俱损 (bonus, or on its own in a short sentence);
    * 引语 — words after 总书记强调： / 毛主席讲， (a leader's or a classic saying);
    * 四字格 — a short sentence of 4-character clauses (千里之行，始于足下);
    * 回环 — a short two-clause sentence repeating a word (格局有多大，事业才能做多大);
    * quoted slogans “…” whose clauses are parallel or of equal length.

    Candidates are scored (排比 and 引语 highest; lines over 60 characters or
    heavy with anonymisation marks ``*`` lose points); the best non-overlapping
    ones are kept, at most {PER_PARAGRAPH} per paragraph and `limit` in all.
    """
    hi = len(doc.text) if hi is None else hi
    cands = []
    for score, a, b, reason in _candidates(doc, lo, hi):
        span = doc.text[a:b]
        n = _cjk_len(span)
        if n < 6:
            continue
        if n > 60:
            score -= 1.0 + (n - 60) / 30
        if span.count("*") >= 4:
            score -= 1.0
        cands.append((score, a, b, reason))
    cands.sort(key=lambda c: (-c[0], c[1], -(c[2] - c[1])))
    chosen: list[tuple[int, int, str]] = []
    per_para: dict[int, int] = {}
    for score, a, b, reason in cands:
        if len(chosen) >= limit or score < 2.5:
            break
        if any(a < cb and ca < b for ca, cb, _r in chosen):
            continue
        family = reason[:2]
        if sum(r[:2] == family for _a, _b, r in chosen) >= _FAMILY_CAP.get(family, limit):
            continue
        pno = doc.paragraph_at(a).number
        if per_para.get(pno, 0) >= PER_PARAGRAPH:
            continue
        per_para[pno] = per_para.get(pno, 0) + 1
        chosen.append((a, b, reason))
    chosen.sort()
    return [Saying(doc.text[a:b], doc.paragraph_at(a).number, a, b, reason) for a, b, reason in chosen]


pick_sayings.__doc__ = pick_sayings.__doc__.replace("{PER_PARAGRAPH}", str(PER_PARAGRAPH))


# --------------------------------------------------------------------------
# 4. Reflection (学习体会) — only with a chat model
# --------------------------------------------------------------------------
def _outline_text(notes: StudyNotes) -> str:
    lines = []
    for item, depth in notes.outline_items():
        lines.append(f"{'  ' * depth}- {item.label}（¶{item.paragraph}）")
    return "\n".join(lines) or "（无）"


def _prompt(notes: StudyNotes) -> str:
    template = PROMPT_FILE.read_text(encoding="utf-8")
    figures = "\n".join(f"- {f.item or '（未标注）'}：{f.figure}（¶{f.paragraph}）" for f in notes.figures) or "（无）"
    return (template.replace("{title}", notes.title)
            .replace("{section}", notes.section or "全文")
            .replace("{outline}", _outline_text(notes))
            .replace("{figures}", figures))


def guard_reflection(text: str, evidence: list[str]) -> tuple[str | None, list[str]]:
    """Drop sentences whose figures are not stated by `evidence`; returns (text or None, flags)."""
    flags: list[str] = []
    out = text
    for a, b in reversed(split_sentences(text)):
        sentence = text[a:b]
        bad = unverified_numbers(sentence, evidence)
        if bad:
            flags.insert(0, f"已删去含未经核实数字（{'、'.join(q.text for q in bad)}）的句子：{sentence}")
            out = out[:a] + out[b:]
    out = re.sub(r"[ \t]+\n", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out).strip()
    return (out if _CJK.search(out) else None), flags


def draft_reflection(notes: StudyNotes, llm) -> tuple[str | None, list[str]]:
    """Ask the chat model for a short 学习体会 and pass it through the number guard."""
    from langchain_core.messages import HumanMessage, SystemMessage

    messages = [SystemMessage(content="你是帮助基层干部撰写学习体会的助手。只根据给出的提纲写作，不编造数字、事实和引文。"),
                HumanMessage(content=_prompt(notes))]
    try:
        reply = llm.invoke(messages)
    except Exception as exc:  # network, timeout, server errors: notes still work without the reflection
        log.warning("reflection failed: %s", exc)
        return None, [f"学习体会生成失败（{exc.__class__.__name__}）：其余笔记不受影响"]
    content = reply.content if hasattr(reply, "content") else str(reply)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    content = (content or "").strip()
    if not content:
        return None, ["大模型没有返回学习体会"]
    evidence = [it.label for it, _d in notes.outline_items()] + [f.context for f in notes.figures] + [notes.title]
    return guard_reflection(content, evidence)


def default_chat_model(settings):
    """The configured chat model (:func:`assistant.llm.get_chat_model`), or None with ASSISTANT_LLM=none.
    Raises ``LLMUnavailable`` (Chinese message) when the backend cannot be used."""
    if getattr(settings, "llm", "none") in ("", "none"):
        return None
    from .llm import get_chat_model

    return get_chat_model(settings)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------
def notes_for_document(doc: Document, section: str | None = None, llm=None,
                       flags: list[str] | None = None) -> StudyNotes:
    """Study notes of a Document (see :func:`build_notes`)."""
    structure = parse(doc)
    roots = structure.roots
    lo, hi = 0, len(doc.text)
    section_label = None
    if section is not None and str(section).strip():
        node = find_section(roots, doc.text, str(section))
        roots = [node]
        lo, hi = node.start, node.extent_end
        section_label = _outline(doc, [node])[0].label
    figures, masked = extract_figures(doc, lo, hi)
    notes = StudyNotes(doc_id=doc.id, title=doc.title, section=section_label, outline=_outline(doc, roots),
                       figures=figures, sayings=pick_sayings(doc, lo, hi), reflection=None, reflection_flags=[],
                       figures_masked=masked, source=doc.source)
    notes.reflection_flags = list(flags or [])
    if llm is not None:
        notes.reflection, more = draft_reflection(notes, llm)
        notes.reflection_flags += more
    return notes


def build_notes(assistant, doc_id: str | None = None, section: str | None = None, llm=None) -> StudyNotes:
    """Study notes of an indexed document (default: the speech), optionally one part/area.

    `llm` is a LangChain chat model for the 学习体会; when None the configured
    model is used (none with ``ASSISTANT_LLM=none``).  Raises :class:`NotesError`
    (Chinese message) for an unknown document or section.
    """
    doc = choose_document(assistant.index, doc_id)
    flags: list[str] = []
    if llm is None:
        try:
            llm = default_chat_model(assistant.settings)
        except Exception as exc:  # LLMUnavailable and configuration errors: the notes still work
            flags.append(f"未生成学习体会：{exc}")
    return notes_for_document(doc, section, llm, flags)
