"""Documents named in questions and claims: "二十大报告说…", "《政府工作报告》提出…", "条例规定…".

Nothing here is written for one document.  When an index is opened, every document
gets a :class:`DocProfile` derived from the document itself:

* its **kind** — the official-document noun that ends its title (报告, 讲话, 条例, 意见,
  通知, 规划 …, a general vocabulary of Chinese document types), else the kind its
  opening paragraphs name ("向大会作报告" -> 报告), else an English kind word in the file
  name (report -> 报告);
* its **header** — title plus the first paragraphs, where the document says what it is
  (the occasion, the issuer, the year);
* its **year** — metadata ``year``/``date``, else a year in the title or header;
* its **short names** — the kind, the title without issuer and subtitle, and
  "N大报告" style abbreviations of a congress named in its header (shown to users).

A reference in a question is a document-kind noun with the words just before it
("二十大报告", "2023年政府工作报告", "党的二十大报告", "讲话") or a 《…》 title.
The words before the kind must be an abbreviation of the document's header: their
characters occur in it in order ("二十大" in "第二十次全国代表大会").  A year is read
against the document's year.  The reference and the frame verb after it
("…指出/提出/强调/规定/中") are not content: :func:`find_reference` returns them as a
span that query understanding and the quote checker cut out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba

from .documents import Document, year_value

# general vocabulary of Chinese official document types (longest first when matching)
DOC_KINDS = (
    "政府工作报告", "工作报告", "指导意见", "实施意见", "实施方案", "实施细则", "工作要点", "行动计划", "行动方案",
    "规划纲要", "规划建议", "报告", "讲话", "条例", "意见", "通知", "规划", "纲要", "决定", "决议", "办法", "规定", "方案", "公报",
    "建议", "细则", "章程", "白皮书", "讲稿", "发言", "致辞", "准则", "法",
)
# the generic kind a specific one belongs to ("工作报告" is a 报告)
_BASE_KIND = {"规划纲要": "纲要", "规划建议": "建议", "政府工作报告": "报告", "工作报告": "报告", "指导意见": "意见", "实施意见": "意见", "实施方案": "方案",
              "实施细则": "细则", "工作要点": "要点", "行动计划": "计划", "行动方案": "方案", "讲稿": "讲话",
              "发言": "讲话", "致辞": "讲话"}
_EN_KINDS = {"report": "报告", "speech": "讲话", "address": "讲话", "remarks": "讲话", "regulation": "条例",
             "regulations": "条例", "opinion": "意见", "opinions": "意见", "guideline": "意见", "guidelines": "意见",
             "notice": "通知", "circular": "通知", "plan": "规划", "outline": "纲要", "decision": "决定",
             "resolution": "决议", "measures": "办法", "provisions": "规定", "communique": "公报", "law": "法"}
_KIND_RE = re.compile("|".join(DOC_KINDS))
_CN_NUMERALS = set("〇零一二三四五六七八九十百千")
_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")
_EN_KIND_RE = re.compile(r"\b(" + "|".join(sorted(_EN_KINDS, key=len, reverse=True)) + r")\b", re.I)
# verbs and particles that frame a statement as the document's ("报告指出…", "条例中规定…")
FRAME = (r"(?:中|里|里面|上|当中|原文)?(?:曾|还|也|又|专门|特别|明确|进一步|一再|再次)?"
         r"(?:说到|说|讲到|讲|提到|提出|指出|强调|要求|认为|表示|写道|写到|谈到|部署|规定|明确|概括|总结|回顾|描述|"
         r"阐述|阐明|宣布|列出|列举|称|主张|提及|表明|呼吁|倡导|用了|对|关于|把|将|在|有关)?(?:了|过|的)?")
_FRAME_RE = re.compile(FRAME)
# a kind word asked about: "食品安全监管方面讲话有什么要求", "报告是怎么部署的"
_ASKED_OF = re.compile(r"(?:有|是|对|就)(?:什么|哪些|哪几|何|怎么|怎样|如何)")
_DEMONSTRATIVE = r"(?:这份|这篇|该|本|此|这个|这部|上述)"
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL_RUN = re.compile(r"[〇零一二三四五六七八九十百千]{2,}|\d+")
YEAR_DIGITS = r"(?:19|20)\d{2}|[一二〇零][〇零一二三四五六七八九]{3}"  # a year, in either notation
YEAR_RE = re.compile(rf"({YEAR_DIGITS})年")
_CONGRESS = re.compile(r"第([一二三四五六七八九十]+)次全国代表大会")
_ISSUER = re.compile(r"^(?:中共中央办公厅|国务院办公厅|中共中央|国务院|全国人民代表大会常务委员会|[\u4e00-\u9fff]{2,8}(?:人民政府|委员会|办公厅|办公室))(?:、[\u4e00-\u9fff]{2,12})*")
HEADER_PARAGRAPHS = 3
MAX_MODIFIER = 10  # characters before a kind noun that may belong to the document's name


def _first_year(text: str) -> int | None:
    for m in YEAR_RE.finditer(text):
        y = year_value(m.group(1))
        if y and 1949 <= y <= 2100:
            return y
    return None


def is_subsequence(short: str, long: str, spread: int = 4) -> bool:
    """Do the characters of `short` occur in `long` in order and close together — within
    ``spread`` times its length — as an abbreviation's do ("二十大" in "第二十次全国代表大会")?"""
    if not short:
        return True
    window = spread * len(short)
    start = long.find(short[0])
    while start >= 0:
        pos, ok = start, True
        for ch in short[1:]:
            pos = long.find(ch, pos + 1, start + window)
            if pos < 0:
                ok = False
                break
        if ok:
            return True
        start = long.find(short[0], start + 1)
    return False


def main_title(title: str) -> str:
    """The title without its subtitle ("政府工作报告——2024年3月5日在…上" -> "政府工作报告"): the lead
    line names the document, the citations give the rest."""
    main = re.split(r"——|--", title)[0].strip() or title
    opened = max(main.rfind("（"), main.rfind("("))
    if opened > 0 and not re.search(r"[）)]", main[opened:]):  # a bracket the subtitle would have closed
        main = main[:opened].strip()
    return main


@dataclass
class DocProfile:
    """What a document is called, derived from the document when the index is opened."""

    doc_id: str
    title: str
    kind: str  # generic kind (报告, 讲话, 条例…) or ""
    header: str  # title + first paragraphs
    year: int | None
    short_names: list[str] = field(default_factory=list)
    levels: str = ""  # the administrative levels it calls its own: 省 for 全省/我省, 区 for 全区… (see SELF_LEVEL)
    places: list[str] = field(default_factory=list)  # the place its title is about: 江西 for 《2026年江西省政府工作报告》
    wrapper: str = ""  # the kind of the notice that issues it: 通知 for "关于印发《…规划》的通知" (kind 规划)

    def is_kind(self, kind: str) -> bool:
        """Is the document of `kind`, itself or as the notice that issues it?"""
        return bool(kind) and kind in (self.kind, self.wrapper)

    def main_title(self) -> str:
        """The title without its subtitle (see :func:`main_title`)."""
        return main_title(self.title)

    def names(self) -> list[str]:
        """Title and short names (longest first)."""
        return sorted(dict.fromkeys([self.title, *self.short_names]), key=len, reverse=True)


def _kind_of(text: str) -> str:
    found = [m.group(0) for m in _KIND_RE.finditer(text)]
    if not found:
        return ""
    k = found[-1]
    return _BASE_KIND.get(k, k)


# how a document names its own jurisdiction: 全省/我省/本省, 全区, 全市, 全县, 全国… — a general
# vocabulary of Chinese administrative levels, as DOC_KINDS is of document kinds
SELF_LEVEL = re.compile(r"(?:全|我|本)([国省区市县州旗镇乡])(?![长委级])")
# a question may name its level bare: "自治区今年…", "省里去年…", "省第十七届运动会" (not 江西省, a place)
BARE_LEVEL = re.compile(r"(?:^|(?<=[，。？！、；：\s]))(?:(自治区)|([省市县])(?=今年|去年|明年|里|委|政府|第|级))")


# in English, the jurisdiction a question speaks of: "the district", "this province", "the country"
_EN_LEVEL = re.compile(r"\b(?:the|this|our)\s+(district|region|province|city|county|country|nation)(?:'s)?\b", re.I)
# (English tells a city's district, 辖区, from an autonomous region, 自治区; Chinese 全区 says either)
_EN_LEVELS = {"district": "辖区", "region": "自治区", "province": "省", "city": "市", "county": "县", "country": "国",
              "nation": "国"}


def levels_named(text: str) -> str:
    """The jurisdiction levels a question speaks of as its own (全省/我省/本区…, bare 自治区/省里…, or
    in English "the district", "this province");
    a bare 自治区 is kept whole (a 区 of its own kind, see :func:`retrieval.Retriever.jurisdiction_scope`)."""
    # (not a rank among the units of a level: "重回全国“30强”", "居全省前列" compare with it)
    found = [m.group(1) for m in SELF_LEVEL.finditer(text) if not _ranked_at(text, m)]
    found += ["".join(m) for m in BARE_LEVEL.findall(text)]
    found += [_EN_LEVELS[m.lower()] for m in _EN_LEVEL.findall(text)]
    return "".join(dict.fromkeys(found))


# in a document, 全国 mostly compares it with the nation (全国第二, 全国平均): only 我国/本国 count
_OWN_LEVEL = re.compile(r"(?:全|我|本)([省区市县州旗镇乡])(?![长委级])|(?:我|本)(国)")
# a rank among the units of a higher level ("居全省前列", "全省第一", "高于全省平均") compares with it:
# it is not the document's own jurisdiction, as 全国 seldom is
_RANKED = re.compile(r"[第前后首]|平均|一流|唯一|率先|领先|排名|乃至|之最|最[高低多少大小好快]|位次|同类|同期"
                     r"|[“\"]?[\d一二三四五六七八九十百千]+强")
_RANK_BEFORE = ("居", "列", "占", "于", "过", "跑", "在", "回")


def _ranked_at(text: str, m: re.Match) -> bool:
    """Is the 全X at `m` a rank among the units of that level ("全省第一", "重回全国“30强”", "居全省前列")?"""
    return m.group(0)[0] == "全" and bool(_RANKED.match(text, m.end()) or text[max(0, m.start() - 1):m.start()] in _RANK_BEFORE)


LEVEL_SHARE = 0.3  # a level is the document's own when it is at least this share of its self-references


def own_levels(text: str) -> str:
    """The levels `text` refers to as its own jurisdiction, most used first ("省" for a provincial
    report that says 全省 and 我省; "区" for a district speech)."""
    from collections import Counter

    counts = Counter(m.group(1) or m.group(2) for m in _OWN_LEVEL.finditer(text) if not _ranked_at(text, m))
    total = sum(counts.values())
    return "".join(c for c, n in counts.most_common() if total and n / total >= LEVEL_SHARE)


# a place the title is about: a name of two to four characters right after the start, a year or
# 在, ending in an administrative unit (江西省, 宁夏回族自治区, 内蒙古自治区, 广州市)
# (or right after another place's unit: the 宝山 of "上海市宝山区人民政府办公室…")
_TITLE_PLACE = re.compile(r"(?:^|年|在|(?<=[省市州]))([\u4e00-\u9fff]{2,4}?)(?:回族|壮族|维吾尔|藏族)?(?:自治区|自治州|省|市|县|新区|区)")
_PLACE_UNIT = re.compile(r"(?:回族|壮族|维吾尔|藏族)?(?:自治区|自治州|省|市|县|新区|区)")


def is_place(word: str) -> bool:
    """Is `word` a place name: two characters or more, jieba's dictionary tag ns ("台州", "浙江省")?"""
    import jieba.posseg as pseg  # (the tagger's dictionary, loaded on first use)

    return len(word) >= 2 and pseg.dt.word_tag_tab.get(word, "").startswith("ns")


def without_number(title: str) -> str:
    """`title` without a bracket that closes it — its number or date ("…的通知（闵府发〔2026〕26号）")."""
    return re.sub(r"[（(][^（()）]*[）)]$", "", title).strip() or title


def title_places(title: str) -> list[str]:
    """The places a title is about ("2026年江西省政府工作报告" → ["江西"])."""
    main = re.split(r"——|—|--", title)[0]
    return list(dict.fromkeys(m.group(1) for m in _TITLE_PLACE.finditer(main)
                              if not m.group(1).startswith(("全", "本", "我", "各", "在"))))


def profile(doc: Document) -> DocProfile:
    """The :class:`DocProfile` of `doc` (see module docstring)."""
    title = doc.title.strip().strip("《》")
    paras = [doc.text[p.start:p.end] for p in doc.paragraphs[:HEADER_PARAGRAPHS]]
    header = title + "\n" + "\n".join(paras)
    lead = re.split(r"——|—|--", title)[0].strip() or title
    subtitle = title[len(lead):].strip("—- ")
    bare = without_number(lead)
    kind = _kind_of(bare[-8:]) or _kind_of(subtitle[-8:])
    # a notice that issues a document is, to its reader, that document: "关于印发《…城市更新“十五五”
    # 规划》的通知" is a 规划 (and still found by the 通知 its title says)
    issued = re.search(r"印发(.{2,60}?)》?的通知(?:$|[（(，,])", bare)
    wrapper = ""
    if issued and _kind_of(issued.group(1)[-8:]):
        kind, wrapper = _kind_of(issued.group(1)[-8:]), "通知"
    if not kind:
        # the opening says what it is ("现在，我代表…向大会作报告"), else the file name (…-report-…)
        opening = re.findall(r"(?:作|的|发表|印发)(" + "|".join(DOC_KINDS) + ")", "\n".join(paras))
        kind = _BASE_KIND.get(opening[0], opening[0]) if opening else ""
    if not kind:
        m = _EN_KIND_RE.search(re.sub(r"[-_]", " ", doc.source or title))
        kind = _EN_KINDS[m.group(1).lower()] if m else ""
    meta = doc.metadata or {}
    year = None
    for key in ("year", "date"):
        v = str(meta.get(key) or "")
        m = re.search(r"(?:19|20)\d{2}", v)
        if m:
            year = int(m.group(0))
            break
    # the title's year, a date in the header ("2023年3月5日"), else a year in the file name; a year in
    # the body is often a target (二〇三五年), not the document's
    dated = re.search(r"((?:19|20)\d{2}|[一二〇零][〇零一二三四五六七八九]{3})年[0-9一二三四五六七八九十]{1,3}月", header)
    named = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", doc.source or "")
    year = year or _first_year(title) or (dated and year_value(dated.group(1))) or (named and int(named.group(1))) or None
    names: list[str] = []
    if kind:
        names.append(kind)
    core = _ISSUER.sub("", lead).strip() if _KIND_RE.search(lead) else ""
    if core and core != lead:
        names.append(core)
    if core.startswith("关于") and core.endswith(tuple(DOC_KINDS)):
        names.append(core[2:])
    for m in _CONGRESS.finditer(header):
        if kind:
            names.append(f"{m.group(1)}大{kind}")
            names.append(f"党的{m.group(1)}大{kind}")
    for extra in meta.get("short_names", []) or []:
        names.append(str(extra))
    return DocProfile(doc.id, title, kind, header, year, list(dict.fromkeys(n for n in names if n and n != title)),
                      own_levels(doc.text), title_places(title), wrapper)


@dataclass
class Reference:
    """A document named in a text: where (the span to cut, frame included) and which documents."""

    start: int
    end: int
    doc_ids: list[str]
    exact: bool  # a title, or an abbreviation of the header, picked the documents (not the kind alone)
    year: int | None = None  # a year written in the reference ("2023年政府工作报告")


def _match_modifier(modifier: str, p: DocProfile, kind_word: str = "") -> tuple[int, int | None]:
    """Length of the longest tail of `modifier` that names document `p` (0: none), and a year it states.
    A one-character tail names it only glued to the kind word as its title writes them
    ("省政府工作报告" is in "2026年江西省政府工作报告", not in "政府工作报告")."""
    year = None
    after_year = 0  # "宁夏2026年政府工作报告": the year is the end of the reference, the place before it
    m = YEAR_RE.search(modifier)
    if m:
        year = year_value(m.group(1))
        if year and p.year and year != p.year:
            return -1, year
        if m.start() > 0 and not modifier[m.end():].strip("的度"):
            after_year = len(modifier) - m.start()
            modifier = modifier[:m.start()]
        else:
            modifier = modifier[m.end():]
    modifier = re.sub(r"^(?:的|度)", "", modifier)
    best = 0
    # a name starts where a word does: the 全工作 of "网络安全工作讲话" names no speech
    starts = {s for _w, s, _e in jieba.tokenize(modifier)}
    for i in range(len(modifier)):
        tail = modifier[i:]
        if i not in starts or (i and modifier[i - 1] in _CN_NUMERALS and modifier[i] in _CN_NUMERALS):
            continue  # (nor is a numeral cut: the 五” of “十四五” names no “十五五” plan)
        tail_core = re.sub(r"^党的", "", tail)
        # two characters of a name at least (“十五五”规划: the 五” of it names nothing)
        # and its numerals as they stand (二十大 is in 第二十次…大会; 十五五 is not in 十四五)
        numerals_kept = all(run in p.header for run in _NUMERAL_RUN.findall(tail_core))
        # a plan period names the plan of that period: "“十四五”规划" is not a “十五五” plan whose
        # opening looks back on the 十四五
        numerals_kept = numerals_kept and all(per in p.title for per in _PLAN_PERIOD.findall(tail_core))
        # two characters only name it as they stand in its title ("公开条例"; "征求意见" is a phrase)
        cjk = len(_CJK_CHAR.findall(tail_core))
        if cjk == 1:
            named = bool(kind_word) and tail_core not in "的之与和及" and tail_core + kind_word in p.title
        else:
            named = tail_core in p.title if cjk == 2 else tail_core in p.header or is_subsequence(tail_core, p.header)
        # a quoted period or name alone names a document only glued to the kind word: "“十四五”规划"
        # is the five-year plan, not "“十四五”数字经济发展规划"
        bare = tail_core.strip("“”\"")
        if named and bare and tail_core + kind_word not in p.title and any(
                bare in quoted for quoted in re.findall(r"“([^”]+)”", p.title)):
            named = False
        if cjk >= 1 and numerals_kept and named:
            best = len(tail) + after_year
            break
    if year and p.year == year:
        best = max(best, 1)
    return best, year


_ACCORDING_TO = re.compile(r"(?:按照|根据|依照|依据|对照)$")


def _with_preposition(text: str, start: int) -> int:
    """Where a reference starts with the preposition before it ("按照政府信息公开条例，…"): the
    preposition frames the document as "二十大报告说" does, and is no content."""
    m = _ACCORDING_TO.search(text[:start])
    return m.start() if m else start


def find_reference(text: str, profiles: list[DocProfile]) -> Reference | None:
    """The first document reference in `text` (see module docstring), or None."""
    if not profiles:
        return None
    # 《title》
    for m in re.finditer(r"《([^》]{2,60})》", text):
        inner = m.group(1)
        ids = [p.doc_id for p in profiles if inner in p.names() or inner == p.title or inner in p.title]
        if not ids:
            ids = [p.doc_id for p in profiles if is_subsequence(inner, p.header) and _kind_of(inner[-8:]) in ("", p.kind, p.wrapper)]
        if ids:
            end = _FRAME_RE.match(text, m.end()).end()
            return Reference(_with_preposition(text, m.start()), end, ids, True)
    # (a notice that issues a plan is the plan here: a bare "通知要求…" may mean any document a notice
    # issued, named as loosely; it does not scope — in English "the notice" is what it is called)
    kinds = {p.kind for p in profiles if p.kind}
    by_id = {p.doc_id: p for p in profiles}
    for m in _KIND_RE.finditer(text):
        kind = _BASE_KIND.get(m.group(0), m.group(0))
        if kind not in kinds and m.group(0) not in kinds:
            continue
        lo = max(0, m.start() - MAX_MODIFIER)
        before = text[lo:m.start()]
        # the modifier cannot reach over punctuation or a clause
        cut = max(before.rfind(c) for c in "，。？！、；：,?!;: ")
        before = before[cut + 1:]
        scored = []
        year_named = None
        for p in profiles:
            if not p.is_kind(kind) and not (m.group(0) in p.title):
                continue
            # "宝山区的实施方案": a modifier may be joined to the kind word by 的
            glued = len(before) > 2 and before.endswith("的")
            n, year = _match_modifier(before[:-1] if glued else before, p, m.group(0))
            if glued and n > 0:
                n += 1  # the 的 is part of the reference
            year_named = year_named or year
            if n >= 0:
                scored.append((n, p.doc_id))
        if not scored:
            continue
        best = max(n for n, _ in scored)
        ids = [d for n, d in scored if n == best]
        unique_kind = len(scored) == 1 and best == 0  # the only document of its kind ("讲话说…")
        start = m.start() - best
        # among tied documents, those whose title or short names hold the whole reference
        # ("二十大报告", "政府工作报告"); a specific name picks them as exactly as an abbreviation
        said = text[start:m.end()]
        named = [d for d in ids if any(said in n for n in by_id[d].names())]
        if named and len(named) < len(ids):
            ids = named
            best = max(best, 1) if said != kind else best
        # still tied: a name that is one document's whole title and only the end of the others'
        # ("政府工作报告" vs "2026年江西省政府工作报告") is that document's; the others are
        # called with their qualifier
        whole = [d for d in ids if by_id[d].main_title().startswith(said)]
        if said != kind and whole and len(whole) < len(ids):
            ids = whole
        dem = re.search(_DEMONSTRATIVE + "$", text[:start])
        if dem:
            start = dem.start()
        start = _with_preposition(text, start)
        if year_named and best:
            year_end = r"(?:" + YEAR_RE.pattern + r")(?:的|度)?$"
            # a year alone names the document: it ends right before the kind noun
            ym = re.search(year_end, text[:start]) or re.search(year_end, text[:m.start()])
            if ym:
                start = min(start, ym.start())
        frame = _FRAME_RE.match(text, m.end())
        end = frame.end()
        # a bare kind word must stand as a reference: at the start, after a clause break or a
        # demonstrative, or followed by a frame verb ("报告指出") — not inside content ("调研报告")
        bare = best == 0 and not dem
        if bare:
            prev = text[start - 1:start]
            # (a bare 的 after it is no frame: "征求意见的其他机关")
            verb = bool(text[m.end():end].strip("中里上的")) or bool(_ASKED_OF.match(text, m.end()))
            if not (start == 0 or prev in "，。？！；：,?!;: 、“\"" or verb or prev == "的"):
                continue
            if prev == "的" and not re.search(r"(?:在|根据|按照|据)?(?:本|这|该)?[^，。？！]{0,6}的$", text[:start]):
                continue
        exact = best > 0 or unique_kind
        if not exact and len(ids) > 1:
            # "报告说做好江西政府工作…": a place the question names picks, among the documents of
            # the kind, those whose titles are about it
            place = _place_reference(text, [by_id[d] for d in ids])
            if place is not None:
                ids, exact = place.doc_ids, True
        return Reference(start, end, ids, exact, year_named)
    # English: "the report", "the 20th Party Congress report", "the report to the 20th CPC National Congress"
    # (of several kind words, a document is the one named with an article: "which municipal
    # investment action plan does the speech…" asks the speech about a plan)
    kinds = [m for m in _EN_KIND_RE.finditer(text)
             if any(p.is_kind(_EN_KINDS[m.group(1).lower()]) for p in profiles)]
    m = next((m for m in kinds if _EN_ARTICLE_BEFORE.search(text[:m.start()])), kinds[0] if kinds else None)
    if m:
        kind = _EN_KINDS[m.group(1).lower()]
        ids = [p.doc_id for p in profiles if p.is_kind(kind)]
        if ids:
            start, end, ids, exact = _english_modifiers(text, m, ids, profiles)
            place = _place_reference(text, profiles)
            if not exact and len(ids) > 1 and not _EN_ARTICLE_BEFORE.search(text[:m.start()]):
                return place  # "their annual report on…" is content, not one of the reports
            # a place the question names is about its document: "Jiangxi's GDP at the end of the
            # 14th Five-Year Plan period" is not a question to the national plan
            if ids and place is None:
                return Reference(start, end, ids, exact or len(ids) == 1)
            if ids and set(place.doc_ids) & set(ids):
                # "Minhang's urban renewal in the 15th Five-Year Plan period": the plan of that place
                return Reference(start, end, [d for d in ids if d in place.doc_ids], True)
            return place
    return _place_reference(text, profiles)


_EN_PROPER = re.compile(r"\b[A-Z][a-z]{2,}")
_EN_ARTICLE_BEFORE = re.compile(r"\b(?:the|this|that)\s+(?:[\w'-]+\s+){0,5}$", re.I)


def _place_reference(text: str, profiles: list[DocProfile]) -> Reference | None:
    """"宁夏去年粮食产量多少", "How much grain did Ningxia harvest?": a place some documents' titles
    are about, and not all, names those documents (English names through the dictionary)."""
    places = {pl: [p.doc_id for p in profiles if pl in p.places] for p in profiles for pl in p.places}
    if not places:
        return None
    found: list[tuple[int, int, list[str]]] = []
    for pl, ids in places.items():
        at = text.find(pl)
        if at >= 0 and len(ids) < len(profiles):
            unit = _PLACE_UNIT.match(text, at + len(pl))  # "宝山区全区…": the name with its unit
            found.append((at, unit.end() if unit else at + len(pl), ids))
    if not found and _EN_PROPER.search(text):
        from .crosslingual import english_names

        low = text.lower()
        for pl, ids in places.items():
            for name in english_names(pl):  # "ningxia" (pinyin), "inner mongolia" (the gloss)
                m = re.search(rf"\b{re.escape(name)}(?:'s)?\b", low)
                if m and len(ids) < len(profiles):
                    found.append((m.start(), m.end(), ids))
    if not found:
        return None
    start, end, ids = min(found)
    return Reference(start, end, ids, True)


_EN_NAME_WORD = re.compile(r"\b(?:the|of|to|on|at|in|for|\d+(?:st|nd|rd|th)|[A-Z][A-Za-z]*|[a-z]+)\b")
_EN_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def _english_modifiers(text: str, m: re.Match, ids: list[str], profiles: list[DocProfile]):
    """Widen an English kind word to the name around it ("the 20th Party Congress report",
    "report to the 20th CPC National Congress") and keep the documents whose header holds the
    dictionary translations of those words (20th -> 二十; Congress -> 代表大会); the span
    covers the name so it is not taken for content."""
    from .crosslingual import _reverse_dictionary

    before = re.search(r"((?:\b(?:the\s+)?(?:\d+(?:st|nd|rd|th)|(?:19|20)\d{2}|[A-Z][A-Za-z]+(?:'s)?|[a-z]{4,})\s+){1,5})$",
                       text[:m.start()])
    after = re.match(r"(\s+(?:to|of|on|at)\s+the\s+(?:(?:\d+(?:st|nd|rd|th)|[A-Z][A-Za-z]+)\s*){1,6})", text[m.end():])
    from .crosslingual import EN_STOPWORDS

    lead = before.group(1) if before else ""
    # the name runs back to the nearest function word ("…expectancy does | the 20th Party Congress")
    stops = [w for w in re.finditer(r"\S+", lead) if w.group(0).lower() in EN_STOPWORDS - {"the"}]
    if stops:
        lead = lead[stops[-1].end():].lstrip()
    start = m.start() - len(lead)
    end = m.end() + (len(after.group(1).rstrip()) if after else 0)
    words = [w for w in re.findall(r"[A-Za-z0-9]+", re.sub(r"'s\b", "", text[start:end]))
             if w.lower() not in ("the", "to", "of", "on", "at") and w.lower() not in _EN_KINDS]
    if not words:
        return m.start(), m.end(), ids, False
    from .crosslingual import english_names

    rev = _reverse_dictionary()
    named = text[start:end].lower()
    scored = []
    for p in profiles:
        if p.doc_id not in ids:
            continue
        got = 0
        # the place its title is about ("Ningxia's … report") names it most surely
        got += 3 * any(re.search(rf"\b{re.escape(n)}\b", named) for pl in p.places for n in english_names(pl))
        for w in words:
            if re.fullmatch(r"(?:19|20)\d{2}", w):  # "the 2026 government work report"
                if p.year and p.year != int(w):
                    got -= 100
                else:
                    got += 2 * (p.year == int(w))
                continue
            o = _EN_ORDINAL.match(w.lower())
            if o:
                import cn2an

                cn = cn2an.an2cn(o.group(1))
                # an ordinal names one meeting of a series: it weighs most
                got += 3 if cn in p.title else 2 * (cn in p.header)
                continue
            heads = [h for h in rev.get(w.lower(), ()) + rev.get(w.lower().rstrip("s"), ()) if len(h) >= 2]
            # a word of the title counts twice: the title says what the document is
            got += 2 if any(h in p.title for h in heads) else any(h in p.header for h in heads)
        scored.append((got, p.doc_id))
    best = max((g for g, _ in scored), default=0)
    if best < 0:
        return start, end, [], False  # the year it names is no such document's
    if best == 0:
        return start, end, ids, False
    tied = [d for g, d in scored if g == best]
    # "the government work report" among several: a report about a place the question does not
    # name (江西省…, 宁夏…) is called with that place, as in Chinese (see find_reference)
    by_id = {p.doc_id: p for p in profiles}
    unplaced = [d for d in tied if not by_id[d].places]
    if unplaced and len(unplaced) < len(tied):
        tied = unplaced
    return start, end, tied, True


def strip_reference(text: str, ref: Reference | None) -> str:
    """`text` with the reference and its frame replaced by a comma (content only)."""
    if ref is None:
        return text
    return (text[:ref.start] + "，" + text[ref.end:]).strip("，")


# the words a text uses for years relative to its own (今年 in a 2022 document is 2022)
RELATIVE_YEARS = {"今年": 0, "去年": -1, "上年": -1, "明年": 1}
RELATIVE_YEAR = re.compile("|".join(RELATIVE_YEARS))


def year_aliases(text: str, year: int | None) -> str:
    """`text` with 今年/去年/明年 written as the document's years (2022年…), where the year is known.

    Offsets change, so use it only for matching, never for citing."""
    if not year:
        return text
    return RELATIVE_YEAR.sub(lambda m: f"{year + RELATIVE_YEARS[m.group(0)]}年", text)
