"""Understanding a question before retrieval: language, terms, figures, follow-ups, outline references.

:func:`analyse` turns the user's question (and the earlier questions of the
conversation) into a :class:`Query`: weighted BM25 tokens, the text for the dense
channel, the figures and quoted terms that must count, whether a figure is asked
for, and whether the question points into the speech's outline ("第三部分",
"哪三要", "第二要").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba
import jieba.posseg as pseg

from .crosslingual import is_proper_name
from .duties import ROLES_MEANT
from .lexical import QUESTION_STOPWORDS, tokenize
from .naming import RELATIVE_YEAR, YEAR_RE, DocProfile, Reference, find_reference, levels_named, strip_reference
from .numbers import parse_count

CN_NUM = "一二三四五六七八九十两"
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"[“\"「《‘']([^”\"」》’']{1,20})[”\"」》’']")
FIGURE_INTENT = re.compile(
    r"多少|多大|几岁|具体的?(?:数字|数据|数值)|(?<!哪)几[个项家户人年所条座台次批亿万%]|几成|百分之几|多长时间|多久|比例|数量|规模|总投资|产值|营业收入|纳税|利润|how many|how much|how long|what percentage|number of|total|amount"
    r"|\b(?:what|which)\s+(?:[A-Za-z0-9&'’-]+\s+){0,4}?(?:target|rate|ratio|percentage|proportion|share|gdp|output|revenue|income|population|budget|deficit|investment|area|density|length|mileage|coverage|cap|limit|ceiling|quota|threshold|capacity|volume)\b(?!s)",
    re.I,
)
LIST_INTENT = re.compile(
    rf"哪(?:几|[{CN_NUM}])(?:个)?[“\"「‘]?(?:方面|要|点|部分|项|条|是)|哪几[道类种大件]|哪些|分为哪|有哪几|几个方面|哪些方面|几个部分|哪几部分|哪些部分|which (?:parts|areas|points)|what (?:parts|areas|points)",
    re.I,
)
# the answer is a year or a date ("哪一年建区的", "when was it founded", "何时起施行")
YEAR_INTENT = re.compile(r"哪一年|哪年|哪个年份|何年|什么时候|什么时间|何时|几月几日|哪一天|\bwhen\b|\bwhich year\b|\bwhat year\b|\bwhat date\b", re.I)
# who carries a task out ("由哪个部门牵头", "牵头单位是谁", "which department leads…"): the roles asked
DUTY_INTENT = re.compile(
    r"(?:哪个|哪些|哪家|什么|哪一?级)[\u4e00-\u9fff]{0,4}?(?P<zh>牵头|负责|配合)|(?:由|、|，|和)谁(?P<zh2>牵头|负责|配合)"
    r"|(?P<zh3>牵头|配合|责任)(?:单位|部门)(?:是|为)?(?:谁|哪(?:个|些|家|几)|什么(?:单位|部门|机构))"
    r"|\b(?:which|what)\s+(?:[a-z]+\s+){0,2}?(?:department|unit|office|agency|bureau|body|bodies|departments|units|agencies|offices)"
    r"\b[^?]*?\b(?P<en>leads?|led|heads?|in charge|responsible|takes? the lead|assists?|supports?|cooperates?)\b"
    r"|\bwho\s+(?:is\s+)?(?P<en2>leads?|in charge|responsible|takes? the lead)\b", re.I)


def duty_asked(text: str) -> tuple[str, ...]:
    """The roles a question asks who holds ("哪个部门牵头" -> 牵头; "which department assists" -> 配合)."""
    roles: list[str] = []
    for m in DUTY_INTENT.finditer(text):  # "由谁牵头、谁配合": both roles
        word = next(g for g in m.groups() if g)
        if word in ROLES_MEANT:
            roles.extend(ROLES_MEANT[word])
        else:
            roles.extend(("配合",) if word.lower().startswith(("assist", "support", "cooperat")) else ("牵头", "责任"))
    return tuple(dict.fromkeys(roles))


# the answer is a goal ("垃圾分类工作要达到什么目标", "目标是什么", "what is the goal of…")
GOAL_INTENT = re.compile(r"(?:什么|哪些|哪几个|何种|怎样的)(?:样的)?(?:目标|指标)|目标(?:是什么|有哪些|是多少)|\bwhat (?:is|are) the (?:goals?|targets?) (?:of|for)\b", re.I)
# the answer is a person's name ("区委书记叫什么名字", "who gave the speech")
# "在谈“要立足实践”时举了哪个例子": the answer is the example the passage gives ("比如，…")
EXAMPLE_INTENT = re.compile(r"举[了的个出]?[^，。？?]{0,4}?(?:例子|事例|案例|实例)|举例|(?:what|which) (?:example|instance)s?\b"
                            r"|\bgives? (?:an |as an )?example|\bexample (?:does|did|is given)", re.I)
PERSON_INTENT = re.compile(r"叫什么名字|姓名|名字是|什么名字|哪位[\u4e00-\u9fff]{0,2}(?:领导|同志|书记|主任|省长|市长|县长|区长)|\bwhose name\b|\bwhat is (?:the|his|her) name\b|\bname of the (?:speaker|secretary|official)", re.I)
_START_WORDS = "开头|开篇|一开始|开场白?"
_END_WORDS = "结尾|末尾|结束语|收尾|最后一段"
POSITION = re.compile(rf"({_START_WORDS}|at the (?:start|beginning) of the speech|opening (?:remarks|words|paragraph))"
                      rf"|({_END_WORDS}|讲话最后|at the end of the speech|closing (?:remarks|words|paragraph))", re.I)
PART_REF = re.compile(rf"第([{CN_NUM}])(?:个)?部分|part (one|two|three|1|2|3)\b|(first|second|third) part", re.I)
_POINT_WORDS = "要|是|点|项|方面"  # what 第N… counts in an outline point reference ("第三要", "第二项")
POINT_REF = re.compile(rf"第([{CN_NUM}])(?:个)?({_POINT_WORDS})")
# in a follow-up, "(其中)第二条" is the second item the earlier turn listed, not a 条例's article 2
ITEM_REF = re.compile(rf"第([{CN_NUM}])(?:个)?(条)")
# (a point reference leans on the earlier turn that listed the points)
FOLLOWUP = re.compile(rf"^(那|那么|其中|这|该|它|他们|上述|此外|还有|另外)|其中|这些|这个|上述|前面|刚才|第[{CN_NUM}](?:个)?(?:{_POINT_WORDS})"
                      r"|呢[？?]?$")
_EN_NUM = {"one": 1, "two": 2, "three": 3, "1": 1, "2": 2, "3": 3, "first": 1, "second": 2, "third": 3}


def cn_ordinal(ch: str) -> int:
    """一→1 … 十→10; 两→2."""
    return 2 if ch == "两" else "一二三四五六七八九十".index(ch) + 1


@dataclass
class Query:
    """A question prepared for retrieval."""

    text: str  # the question as asked (stripped)
    lang: str  # "zh" | "en"
    tokens: list[str]  # BM25 tokens (current question, then history)
    weights: dict[str, float]  # per-token weights (history terms count less)
    dense_text: str  # text for the dense channel
    figures: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    wants_figure: bool = False
    wants_list: bool = False
    items: int | None = None  # how many items a list question asks for (哪三种 → 3; 哪些 → 0; else None)
    item_kind: str = ""  # what each item is ("哪三种能力" → 能力, "哪几种“感”" → 感), "" when unsaid
    wants_year: bool = False  # the answer is a year or a date (a figure question of its own kind)
    wants_person: bool = False  # the answer is a person's name
    wants_example: bool = False  # the answer is the example a passage gives ("举了哪个例子")
    wants_goal: bool = False  # the answer is a goal ("要达到什么目标"): a sentence that sets one
    year_verb: str = ""  # the event a "when" question dates ("什么时候全部交付" -> 交付), see :func:`year_verb`
    wants_duty: tuple[str, ...] = ()  # roles asked ("牵头" for "由哪个部门牵头"), see :func:`duty_asked`
    wants_place: str = ""  # the answer names a place or level of this kind ("哪个设区市" -> 市, "哪一级" -> 级)
    base: str = ""  # what a growth is compared with ("比上年增长多少" -> 上年), see :func:`comparison_bases`
    part_ref: int | None = None  # "第三部分" -> 3
    point_ref: tuple[int, str] | None = None  # "第三要" -> (3, "要")
    followup: bool = False
    context: list[str] = field(default_factory=list)  # earlier questions used
    translated: list[str] = field(default_factory=list)  # Chinese terms for an English question (or its acronyms)
    figure_object: list[str] = field(default_factory=list)  # what a "多少" asks to count (停车位, 税收收入)
    figure_unit: str = ""  # the unit it names (公里 in 多少公里), "" for a plain classifier (个/项)
    figure_near: bool = True  # the object follows 多少 (must be in the answering sentence), else precedes it
    counts_items: bool = False  # "多少个…": things counted with 个, not households or people
    figure_verb: str = ""  # the verb right before 多少 ("先发行多少" -> 发行), see :func:`figure_verb`
    position: str | None = None  # "start" ("讲话开头…") | "end" ("讲话结尾…")
    content: str = ""  # the question without the document it names and its frame ("二十大报告说…")
    reference: Reference | None = None  # the document the question (or, for a follow-up, its context) names
    levels: str = ""  # the jurisdiction it speaks of: 省 for 全省/我省, 国 for 全国 (naming.SELF_LEVEL)
    # query vectors of its texts, embedded once for every stage that needs them
    vectors: dict[str, list[float]] = field(default_factory=dict, repr=False, compare=False)

    def vector(self, text: str, embeddings) -> list[float]:
        """The query vector of `text` (the dense text or the question), embedded on first use."""
        if text not in self.vectors:
            self.vectors[text] = embeddings.embed_query(text)
        return self.vectors[text]

    def words(self, history: bool = False) -> list[str]:
        """Word tokens (no bigrams, two characters or more) of the question itself,
        or — with `history` — those that came only from the earlier turns."""
        return [t for t in dict.fromkeys(self.tokens)
                if not t.startswith("§") and len(t) >= 2 and (self.weights.get(t, 1.0) < 1.0) == history]


# "比上年增长", "较2015年翻一番", "比“十二五”末增长了1.5倍", "同比增长": what a change is measured from
_BASE = re.compile(r"(?:比(?![重例率较赛如照拼学])|较)([^，。；：、比较]{1,12}?)(?:增长|增加|提高|提升|下降|降低|减少|翻|多|少|高|低)|(同比)")
_LAST_YEAR = re.compile(r"^(?:上年|去年|上一年|前一年|同期|上年同期|去年同期)(?:末|底)?$")


def comparison_bases(text: str) -> set[str]:
    """What the changes `text` states are compared with: 上年 (上年, 去年, 同比, 上年末…), a year
    ("2019"), or the words themselves ("“十二五”末")."""
    out = set()
    for m in _BASE.finditer(text):
        base = "上年" if m.group(2) else m.group(1).strip()
        if _LAST_YEAR.match(base):
            base = "上年"
        elif (y := re.fullmatch(r"((?:19|20)\d{2})年(?:末|底)?", base)) is not None:
            base = y.group(1)
        out.add(base)
    return out


def same_base(asked: str, stated: set[str]) -> bool:
    """Can a sentence whose changes are compared with `stated` answer a question comparing with
    `asked`?  Yes when either says nothing, when they agree, or when one is 上年 and the other a
    year (which year 上年 is depends on the sentence)."""
    if not asked or not stated or asked in stated:
        return True
    years = {b for b in stated if b.isdigit()}
    return (asked == "上年" and bool(years)) or (asked.isdigit() and "上年" in stated)


_ASK_ZH = re.compile(r"多少|(?<!哪)几(?=[个项家户人年所条座台次批张棵名种位亿万])")
# measure words after 多少/几; the specific ones must be found after a figure in the answer
_MEASURE = re.compile(r"^(?:平方米|平方公里|公里|千米|公顷|分钟|小时|亿元|万元|元|亿|万|个|项|种|家|户|人|名|所|座|条|台|辆|张|棵|株|亩|米|吨|天|年|次|批|倍|位)")
_PLAIN_MEASURE = {"个", "项", "种", "次", "批", "位", "年", "亿", "万", "倍"}
# words that say how a figure is asked for, not what it counts
_FIGURE_FRAME = set("""目标 数量 数字 总数 总量 总额 总计 合计 个数 规模 比例 比重 水平 一共 总共 共有 大概 大约 分别 具体 今年 全年 目前 现在
    计划 预计 达到 多大 左右 以上 应该 需要 可以 能够 准备 实际 实际上 累计 去年 上年 明年 当年 时间 期限 年限 时长 增速 增幅 增长率
    全区 我区 本区 全省 我省 本省 全市 我市 本市 全县 我县 本县""".split())  # how a figure is asked for, not what is counted
# a dimension asked after 多少 ("多少面积") is answered in its units ("1.4万平方米")
DIMENSIONS = {"面积": ("平方米", "平方公里", "平方千米", "亩", "公顷"), "长度": ("公里", "千米", "米"),
              "里程": ("公里", "千米"), "重量": ("吨", "公斤", "千克")}
_COUNT_NOUN = re.compile(r"^(户|人|个|家|项)数$")  # 户数 -> unit 户
_ASK_EN = re.compile(r"\b(?:how (?:many|much)(?: (?:is|are|was|were|will|would|should|must|can|could))?(?= \w+ \w)"
                     # "what per-capita emergency shelter area does…", "what road network density…"
                     r"|(?:what|which)(?=\s+(?:[\w'’-]+\s+){0,4}?(?:area|density|length|mileage|coverage)\b)"
                     r"|what (?:is|was|are|were) the(?: total| overall)?(?: number of| amount of)?)\s+(.+?)"
                     r"(?:\s+(?:is|are|was|were|will|would|do|does|did|has|have|had|should|can|could|must|to|in|of the|for"
                     r"|supposed|expected|planned|projected|scheduled|set|going|estimated|mentioned|stated|given|cited|according)\b"
                     r"|[?？.,]|$)", re.I)


def is_frame(w: str) -> bool:
    """How a figure is asked for: a frame word, or a compound of them ("实际水平": 实际 + 水平)."""
    if w in _FIGURE_FRAME:
        return True
    parts = jieba.lcut(w, cut_all=False, HMM=False)
    if len(parts) < 2:
        parts = [w[:2], w[2:]] if len(w) == 4 else parts
    return len(parts) >= 2 and all(p in _FIGURE_FRAME for p in parts)


def known_word(w: str) -> bool:
    """A dictionary word, not a piece jieba glued together from unknown text (网格员有 -> 员有)."""
    jieba.dt.check_initialized()
    return bool(jieba.dt.FREQ.get(w))  # 0: only the prefix of a longer word


BEFORE_WORDS = 3  # words before 多少 that name what is measured, at most ("保障性住房建设计划投资多少": 住房 建设 投资)


_ACRONYM_WORD = re.compile(r"[A-Z]{2,6}")
_COPULA = ("是", "为", "有")  # "…收入是多少": what stands before the copula is what is measured


# words that say how a figure is meant — expected, estimated or actual ("GDP预期增长多少", "去年
# 实际增长了多少") —, not what it measures (as a qualifier of its verb; "预期目标" names a target)
QUALIFIERS = frozenset("预期 预计 实际".split())


def figure_object(question: str) -> tuple[list[str], str, bool]:
    """What a figure question asks to count, and the unit it names.

    "全区今年计划新增多少个停车位" -> (["停车位"], "", True); "新建多少公里道路" -> (["道路"], "公里", True);
    "讲话提出今年税收收入要增长多少" -> (["税收收入"], "", False); "老旧小区改造涉及的户数是多少" -> (["小区"], "户", False).
    The words after 多少/几 (and its measure word) name the thing counted (near: they belong
    in the answering sentence); when nothing follows, the last content words before it say
    what is measured (they belong in its paragraph).  English "how many X" -> (["X"], "", True).
    """
    m = _ASK_EN.search(question)
    if m and detect_lang(question) == "en":
        return [m.group(1).strip()], "", True
    m = _ASK_ZH.search(question)
    if not m:
        return [], "", True
    unit = ""
    after = question[m.end():]
    mu = _MEASURE.match(after)
    if mu:
        unit = "" if mu.group(0) in _PLAIN_MEASURE else mu.group(0)
        after = after[mu.end():]

    def content(tagged_words, verbal_more=False):
        """Up to two content words; `verbal_more`: while all of them are verbal nouns (建设 投资),
        one more, up to three ("保障性住房建设计划投资多少": 住房 建设 投资)."""
        out = []
        for w, flag in tagged_words:
            if w in "，。？！、；：,?!;:":
                break
            if (len(w) >= 2 and not w.isdigit() and w not in QUESTION_STOPWORDS and not is_frame(w)
                    and (known_word(w) or _ACRONYM_WORD.fullmatch(w))):  # (GDP, CPI: what is measured)
                out.append((w, flag))
            if len(out) == 2 and not (verbal_more and all(f == "vn" for _w, f in out)) or len(out) == BEFORE_WORDS:
                break
        return [w for w, _f in out]

    # after 多少 comes the counted thing ("多少个停车位", "多少个老旧小区改造"); a verb right after
    # it says how something changes ("从多少涨到了多少"): the nouns before 多少 name what is measured
    tagged = pseg.lcut(after)
    obj = [] if tagged and tagged[0].flag == "v" else content([(w, f) for w, f in tagged])
    if obj and all(w in DIMENSIONS for w in obj):
        # "要完成多少面积": the measure asked (a unit of area), not the thing measured
        unit, obj = unit or obj[0], []
    near = bool(obj)
    if not obj:
        # before 多少 only the nouns name what is measured (税收收入要增长多少); its verb may be
        # paraphrased (销售收入整体下滑了多少 vs "4.3%负增长")
        # (not past a clause: "…账目对不上，拒不改正的，最多罚多少" measures nothing of the first clause)
        tagged_before = list(reversed(pseg.lcut(question[:m.start()])))
        # (a place says where, not what is measured: "绍兴今年上半年一般公共预算收入是多少")
        # (nor does a qualifier of the verb after it: "GDP预期增长多少" measures GDP; "预期目标" is one)
        before = [(w, flag) for i, (w, flag) in enumerate(tagged_before)
                  if ((flag[:1] in ("n", "j") and not (flag == "ns" and is_proper_name(w))) or flag in ("vn", "eng")
                      or w in "，。？！；：,?!;:")
                  and not (w in QUALIFIERS and i > 0 and tagged_before[i - 1].flag.startswith("v"))]
        obj = content(before, verbal_more=True)[::-1]
        if not obj and tagged_before and tagged_before[0].word in _COPULA:
            # jieba may tag the measure's words as verbs (预算 收入): the phrase right before 是 names it
            run = []
            for w, flag in tagged_before[1:]:
                if flag[:1] not in ("n", "v", "b", "j", "l") or flag == "ns" or w in "，。？！；：,?!;:的":
                    break
                run.append((w, flag))
            obj = content(run)[::-1]
    for w in list(obj):
        cn = _COUNT_NOUN.match(w)
        if cn:
            obj.remove(w)
            unit = unit or ("" if cn.group(1) in _PLAIN_MEASURE else cn.group(1))
    return obj, unit, near


def counts_items(question: str) -> bool:
    """Does the question count things with 个 ("今年计划完成多少个老旧小区改造")?"""
    m = _ASK_ZH.search(question)
    return bool(m) and question[m.end():m.end() + 1] == "个" or bool(re.search(r"(?<!哪)几个", question))


def _clause_verb(tagged) -> str:
    """The first verb of two characters or more among `tagged` (jieba words and flags) before a
    clause mark that is no question word or frame, or ""."""
    for w, flag in tagged:
        if w in "，。？！；：,?!;:":
            break
        if flag.startswith("v") and len(w) >= 2 and w not in QUESTION_STOPWORDS and not is_frame(w):
            return w
    return ""


def figure_verb(question: str) -> str:
    """The verb right before 多少/几 ("今年先发行多少" -> "发行"; "要保住多少" -> "保住"), or ""."""
    m = _ASK_ZH.search(question)
    return _clause_verb(reversed(pseg.lcut(question[:m.start()]))) if m else ""


def year_verb(question: str) -> str:
    """The event a "when" question asks the date of: the verb after 什么时候/哪一年 in its clause
    ("安置房什么时候全部交付" -> 交付); "" when none follows ("哪一年建区的": 建区 is a noun here)
    or the question asks no date."""
    m = YEAR_INTENT.search(question)
    if not m or detect_lang(question) != "zh":
        return ""
    return _clause_verb(pseg.lcut(question[m.end():]))


# the word that places a question (the speech's "最后" once 讲话 is read as its name)
_POSITION_WORD = re.compile(rf"{_START_WORDS}|{_END_WORDS}|最后")


def _position(question: str) -> str | None:
    m = POSITION.search(question)
    return None if m is None else ("start" if m.group(1) else "end")


def detect_lang(text: str) -> str:
    latin = len(_LATIN.findall(text))
    cjk = len(_CJK.findall(text))
    return "en" if latin > 2 * cjk and latin >= 3 else "zh"


_ITEMS_ASKED = re.compile(r"哪([一二三四五六七八九十两几])[个点项种条类方面要是大]|哪些")
# the count the question itself states before asking which ("今年的10件民生实事都有哪些")
_STATED_COUNT = re.compile(r"(?<![\d一二三四五六七八九十])(\d{1,2}|[一二三四五六七八九十两]{1,2})\s*(?:件|个|项|条|大|类|种|方面)"
                           r"[^，,。？?！!；;]{0,12}?(?:哪些|哪几)")


_WHICH = re.compile(r"哪(?:一个|个|一)?(?![些几])")  # one place, not a list of them ("哪些地区")
_PLACE_END = "省市县区州镇乡村"


def place_asked(question: str) -> str:
    """The kind of place or level a question asks for ("在哪个设区市举办" -> "市", "由哪一级领导担任"
    -> "级"), by the last character of the noun after 哪个/哪一; "" when it asks for something
    else ("哪个方面", "哪个市场", "哪一年")."""
    for m in _WHICH.finditer(question):
        rest = question[m.end():]
        if rest[:1] == "级":
            return "级"
        noun = ""
        for w, flag in pseg.lcut(rest[:8]):
            if not (flag.startswith("n") or (len(w) == 1 and w in _PLACE_END)) or len(noun) >= 4:
                break
            noun += w
        if noun and noun[-1] in _PLACE_END:
            return noun[-1]
    return ""


_ITEM_KIND = re.compile(r"哪[一二三四五六七八九十两几]{1,2}[个种类条大项]“?([\u4e00-\u9fff]{1,2})”?(?=[？?，,。！!]|$)")


def item_kind(question: str) -> str:
    """What each item of a list question is, when the question ends naming it ("哪三种会？" → 会,
    "要求党员干部不断提高哪三种能力？" → 能力, "树立哪几种“感”？" → 感); "" otherwise."""
    m = _ITEM_KIND.search(question)
    return m.group(1) if m else ""


def items_asked(question: str) -> int | None:
    """How many items a list question asks for: 哪三种 -> 3; "10件民生实事都有哪些" -> 10;
    哪几个 / 哪些 -> 0 (several); else None."""
    m = _ITEMS_ASKED.search(question)
    if not m:
        return None
    n = parse_count(m.group(1) or "") or 0  # (几: several)
    stated = _STATED_COUNT.search(question) if not n else None
    if stated:
        n = parse_count(stated.group(1)) or 0
    return n


# a word that asks for something: one per part of a question that asks two things
_ASKS = re.compile(r"多少|多长|多久|谁|几[个项家户人年所条座台次批亿万成道]|哪些|哪几|什么|怎么|怎样|如何|是否|哪一|哪个|哪[天年月里]|何时|"
                   r"\bhow\b|\bwhat\b|\bwhich\b|\bwhen\b", re.I)


# "城镇新增就业和创业担保贷款各是多少": two named things, each with a figure of its own
_PAIR_VERBS = ("是", "为", "有", "要", "能", "达到", "完成", "增长", "下降", "提高")
_PAIR_ASKED = re.compile(r"^(.*?)([^，,。？?；;、和与及]{4,12})(?:和|与|及|以及|、)([^，,。？?；;、和与及]{4,12})"
                         rf"(?:各|分别)((?:{'|'.join(_PAIR_VERBS)})*(?:多少|几[个项家户人年所条座台次批亿万]?)[^，,。？?；;]*[？?]?)$")


def _each_of_pair(part: str, before: str = "") -> list[str]:
    """A part that asks the figure of each of two named things ("城镇新增就业和创业担保贷款各是多少？")
    as two parts ("城镇新增就业是多少？", "创业担保贷款是多少？"); the text before the pair stays with
    the first, and a year it names (in `before` too: the question's earlier text) is asked of
    both.  Things of fewer than four characters ("城镇和农村居民收入各要增长多少") are one
    phrase read with 分别 pairing, not split."""
    m = _PAIR_ASKED.match(part)
    if m is None:
        return [part]
    lead, a, b, asked = m.groups()
    # each must be a thing of its own: four characters besides a time word ("今年城镇" is not)
    if any(len("".join(w for w, f in pseg.lcut(x) if f != "t")) < 4 for x in (a, b)):
        return [part]
    asked = asked if asked.startswith(_PAIR_VERBS) else "是" + asked
    # the year the pair is asked about holds for both ("今年…城镇新增就业和创业担保贷款")
    said = before + lead + a
    year = RELATIVE_YEAR.search(said) or YEAR_RE.search(said)
    frame = year.group(0) if year and year.group(0) not in b else ""
    return [lead + a + asked, frame + b + asked]


# an English question that asks a second thing of its own: ", and when …", " and how many …"
_EN_AND_ASKS = re.compile(r",?\s+and\s+(?=(?:when|how (?:many|much|fast|long)|what|which|who|where)\b)", re.I)


def question_parts(question: str) -> list[str]:
    """The parts of a question that asks two or more things, in order; else ``[question]``.

    Parts end at ？/?/；, or at a comma when the text on each side asks for something of its
    own ("去年GDP总量有多少，比上年增长了多少？").  Text that asks nothing ("请问，…") stays
    with the part it introduces or follows.
    """
    q = question.strip()
    parts: list[str] = []
    if detect_lang(q) == "en" and not re.search(r"[？?；;]", q.rstrip("？? ")):
        # "When is … supposed to start construction and when should it be able to process waste?"
        pieces = [p.strip() for p in _EN_AND_ASKS.split(q) if p.strip()]
        if len(pieces) == 2 and all(_ASKS.search(p) for p in pieces) and len(pieces[0].split()) >= 4:
            return [pieces[0].rstrip(",") + "?", pieces[1][:1].upper() + pieces[1][1:]]
    for piece in re.split(r"(?<=[？?；;])", q):
        if not piece.strip():
            continue
        segments = re.split(r"(?<=[，,])", piece)
        groups: list[str] = []
        pending = ""
        for seg in segments:
            pending += seg
            if _ASKS.search(seg):
                groups.append(pending)
                pending = ""
        if pending:
            if groups:
                groups[-1] += pending
            else:
                groups.append(pending)
        parts.extend(g.strip().rstrip("，,") if i < len(groups) - 1 else g.strip() for i, g in enumerate(groups))
    parts = [x for i, p in enumerate(parts) for x in _each_of_pair(p, "".join(parts[:i]))]
    asking = [p for p in parts if _ASKS.search(p)]
    if len(asking) < 2:
        return [q]
    # a part that asks nothing joins the next one
    out: list[str] = []
    carry = ""
    for p in parts:
        if _ASKS.search(p):
            out.append(carry + p)
            carry = ""
        else:
            carry += p
    if carry:
        out[-1] += carry
    return out


def is_followup(question: str) -> bool:
    """Does the question lean on an earlier turn (anaphora or too short to stand alone)?"""
    content = [t for t in tokenize(question, query=True) if not t.startswith("§")]
    return bool(FOLLOWUP.search(question)) or len(content) <= 1


def analyse(question: str, history: list[str] | tuple[str, ...] = (), translate=None,
            profiles: list[DocProfile] | tuple = (), continues: bool = False) -> Query:
    """Prepare `question` (with earlier questions `history`, oldest first) for retrieval.

    `continues`: the question is a later part of the same question (:func:`question_parts`),
    so it leans on the part before it as a follow-up does ("…今年又分别要到多少？").

    `translate` maps an English question to Chinese terms (see :mod:`assistant.crosslingual`);
    `profiles` are the indexed documents' names (:mod:`assistant.naming`): a document the
    question names scopes it, and its name and frame ("二十大报告说") are not content.
    """
    q = question.strip()
    lang = detect_lang(q)
    reference = find_reference(q, list(profiles))
    content = strip_reference(q, reference)
    if _position(q):  # "讲话最后提了哪几点要求": the word that places it ("最后") is no content
        content = _POSITION_WORD.sub("", content, count=1)
    translated: list[str] = []
    lexical_text = content
    if lang == "en" and translate is not None:
        translated = translate(content)
        lexical_text = content + " " + " ".join(translated)
    elif translate is not None and _LATIN.search(content) and hasattr(translate, "acronym_terms"):
        # "去年全区GDP总量…": a Latin acronym in a Chinese question, as the documents write it
        translated = translate.acronym_terms(content)
        lexical_text = content + " " + " ".join(translated)
    tokens = tokenize(lexical_text, query=True)
    weights = {t: 1.0 for t in tokens}
    followup = bool(history) and (continues or is_followup(q))
    context: list[str] = []
    if history:
        # the most recent earlier question counts most; older ones fade
        decay = 0.6 if followup else 0.15
        for back, prev in enumerate(reversed(list(history)[-2:])):
            w = decay * (0.5**back)
            prev_text = prev
            if detect_lang(prev) == "en" and translate is not None:
                prev_text = prev + " " + " ".join(translate(prev))
            for t in tokenize(prev_text, query=True):
                if t not in weights:
                    tokens.append(t)
                    weights[t] = w
            if followup:
                context.append(prev)
                if reference is None:  # "那其中…" keeps the document the earlier turn named
                    reference = find_reference(prev, list(profiles))
    part = PART_REF.search(content)
    part_ref = None
    if part:
        part_ref = cn_ordinal(part.group(1)) if part.group(1) else _EN_NUM[(part.group(2) or part.group(3)).lower()]
    point = POINT_REF.search(content) or (ITEM_REF.search(content) if followup else None)
    fig_obj, fig_unit, fig_near = figure_object(content)
    items = items_asked(content)
    dense_text = q if not followup else " ".join(context[:1] + [q])
    if translated:
        dense_text = q
    return Query(
        text=q,
        lang=lang,
        tokens=tokens,
        weights=weights,
        dense_text=dense_text,
        figures=_FIGURE.findall(q),
        quoted=[m.group(1) for m in _QUOTED.finditer(q)],
        wants_figure=bool(FIGURE_INTENT.search(q) or YEAR_INTENT.search(content)),
        wants_year=bool(YEAR_INTENT.search(content)),
        wants_person=bool(PERSON_INTENT.search(content)),
        wants_example=bool(EXAMPLE_INTENT.search(content)),
        wants_goal=bool(GOAL_INTENT.search(content)),
        wants_duty=duty_asked(content),
        year_verb=year_verb(content),
        wants_place=place_asked(content),
        base=next(iter(comparison_bases(content)), "") if lang == "zh" else "",
        wants_list=bool(LIST_INTENT.search(q)) or items is not None,  # "是哪六个？", "包括哪几个体系？"
        items=items,
        item_kind=item_kind(content),
        part_ref=part_ref,
        point_ref=(cn_ordinal(point.group(1)), point.group(2)) if point else None,
        followup=followup,
        context=context,
        translated=translated,
        figure_object=fig_obj,
        figure_unit=fig_unit,
        figure_near=fig_near,
        figure_verb=figure_verb(content) if lang == "zh" else "",
        counts_items=counts_items(content) if lang == "zh" else False,
        position=_position(q),
        content=content,
        reference=reference,
        levels=levels_named(content),
    )
