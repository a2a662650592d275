"""Extract and compare quantities (figures) in Chinese text.

Used to (a) check quoted claims against the source speech and (b) guard
generated answers: every figure in an answer must be stated by its cited
spans after normalisation (``unverified_numbers``).

Normalisation
-------------
* Full-width digits, ``％`` and ``．`` are mapped to ASCII one-for-one, so
  offsets into the original string stay valid (``text == source[start:end]``).
* Arabic numbers may carry thousands separators (``1,370``) and decimals.
  Chinese numerals (``一千三百七十``, ``二十三点六``, ``两百``, ``二〇二二``)
  are parsed with the ``cn2an`` library.
* Multipliers 万/亿/万亿/千/百 are folded into the value and dropped from the
  unit: ``1370亿元`` -> 1.37e11 ``元``; ``267万元`` -> 2.67e6 ``元``.
* ``23.6%`` and ``百分之二十三点六`` -> 23.6 ``%``; ``23.6个百分点`` keeps the
  distinct unit ``个百分点`` (a difference, not a rate).
* ``4.3%负增长`` -> value 4.3, unit ``%``, qualifier ``负增长`` (the sign is
  kept in the qualifier, not in the value, so it matches the source figure).
* Qualifiers (超过/超/近/约/逾/突破/不足..., 余/多, 以上/以下/左右...) are
  part of ``text`` but not of the value; ``超百亿元`` == ``百亿元``.

Policy for numerals that are *not* figures
------------------------------------------
* A Chinese numeral is a figure only when followed by a unit / measure word
  (个, 户, 人, 元, 年, %, ...), in 百分之/分之 forms, after 第 (ordinal), or
  when it ends in 万/亿 (``千亿``, ``百亿规模``).  Hence 一是/二要/一方面/
  二十大/“六控”/四治/一河两渠/五大行动/四大结构调整 yield nothing.
* A bare ``一`` before a measure word is an article ("a/an"), not a figure:
  一批, 一个时期, 一年接着一年, 一砖一瓦 are skipped (exceptions: 一个百分点,
  一倍, 一月, or a qualifier such as 近一年).
* A bare 百/千/万/亿 is only a figure when followed by another multiplier
  (百亿, 千亿): 千家万户, 万人空巷, 千万 (adverb) are skipped.
* Four-character numeral idioms ``N?N?`` (五湖四海, 三番五次, 三天两头) and
  named programmes / periods (numeral + 大/控/治/届, “一五”, “十四五”,
  十三五时期) are blocked explicitly.
* ``三个方面`` / ``七个方面工作`` *are* reported as counts (value 3, unit 个):
  harmless for verification, since the same words occur in the source.
* Anonymised digits (``*个百分点``, ``**万人``) are skipped, never guessed.
* Structural enumerators (``1.``/``1、`` at line start, ``（1）``) are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

__all__ = ["Quantity", "extract_quantities", "same_value", "unverified_numbers"]


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text.

    ``value`` is in base units (multipliers folded in); ``unit`` never contains
    a multiplier; ``kind`` is one of amount, percent, fraction, year, ordinal,
    count, range, plain; ``high`` is the upper bound of a range.
    """

    text: str
    start: int
    end: int
    value: float | None
    unit: str
    kind: str
    item: str
    qualifier: str
    high: float | None = None

    def key(self) -> tuple:
        """Normalised identity: ``(round(value, 6), unit)`` (plus the rounded
        upper bound for ranges); ``(text, unit)`` when the value is unknown."""
        if self.value is None:
            return (self.text, self.unit)
        if self.high is not None:
            return (round(self.value, 6), self.unit, round(self.high, 6))
        return (round(self.value, 6), self.unit)


# --------------------------------------------------------------------------
# Lexicon and regexes
# --------------------------------------------------------------------------
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                            "％": "%", "．": ".", "－": "-"})

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_CHARS = _CN_DIGITS + "十百千万亿"
FIGURE_CHAR = rf"[\d{_CN_CHARS}]"  # a character a figure is written with (its last one stands before its unit)
_AR = r"(?<![\d.*A-Za-z])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\dA-Za-z*])"
_CN = rf"(?<![*])[{_CN_CHARS}]+(?:点[{_CN_DIGITS}]+)?"
_NUM = rf"(?:{_AR}|{_CN})"
_MULTS = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8,
          "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4, "千": 10**3, "百": 10**2}
_MULT = "(?:" + "|".join(sorted(_MULTS, key=len, reverse=True)) + ")"

_CURRENCY = ["元人民币", "美元", "欧元", "港元", "日元", "元"]
_PERCENT = ["个百分点", "百分点", "%", "‰"]
_TIME = ["个工作日", "工作日", "个小时", "小时", "个月", "分钟", "秒钟", "周", "天", "年"]
_DATE = ["月", "日"]
_MEASURE = ["平方公里", "平方千米", "平方米", "立方米", "千瓦时", "千瓦", "公里", "千米", "公顷", "公斤", "千克", "人次",
            "个", "户", "人", "家", "艘", "架", "颗",
            "所", "项", "台", "座", "条", "名", "次", "批", "亩", "米", "吨", "辆", "套",
            "间", "栋", "处", "支", "件", "位", "岁", "倍", "元"]
_UNITS = sorted(set(_CURRENCY + _PERCENT + _TIME + _DATE + _MEASURE), key=len, reverse=True)
_UNIT = "(?:" + "|".join(re.escape(u) for u in _UNITS) + ")"

# "附件：1.2019年…工作指标": a list item's number then a year, not the decimal 1.2019
_ITEM_YEAR = re.compile(r"(?<![\d.])(\d{1,2})\.((?:19|20)\d{2}年)")
_PRE = "(?:不超过|不多于|不低于|不高于|超过|超出|将近|接近|大约|不足|不到|不少于|至少|最多|突破|超|近|约|逾)"
_POST = "(?:以上|以下|以内|左右|之多|有余|负增长)"
_ONE_OK_UNITS = {"个百分点", "百分点", "倍", "月"}

# 多/余 may stand before the multiplier (九千六百多万名, 十余万人, 三万多亿元) or after it (1.1万多人)
_RE_COUNT = re.compile(rf"(?P<pre>{_PRE})?(?P<num>{_NUM})(?:(?P<approx0>余|多)(?={_MULT}))?(?P<mult>{_MULT})?(?:(?P<approx1>余|多)(?P<mult2>亿))?(?P<approx>余|多)?"
                       rf"(?P<unit>{_UNIT})(?P<post>{_POST})?")
_RE_RANGE = re.compile(rf"(?P<pre>{_PRE})?(?P<num>{_NUM})(?P<mult1>{_MULT})?%?\s*"
                       rf"(?P<sep>至|到|-|–|—|~|～|〜)\s*(?P<num2>{_NUM})(?P<mult>{_MULT})?"
                       rf"(?P<approx>余|多)?(?P<unit>{_UNIT})(?P<post>{_POST})?")
_RE_PCT_CN = re.compile(rf"(?P<pre>{_PRE})?百分之(?P<num>{_NUM})(?P<post>{_POST})?")
# 百分之五到百分之六, 百分之五至六
_RE_PCT_CN_RANGE = re.compile(rf"(?P<pre>{_PRE})?百分之(?P<num>{_NUM})(?P<sep>至|到|-|–|—|~|～|〜)(?:百分之)?(?P<num2>{_NUM})"
                              rf"(?P<post>{_POST})?")
# 七成以上, 近三成: tenths as a share (七成 == 70%); not 一成不变, 完成, 成为, 成员 (a word that goes on)
_RE_TENTHS = re.compile(rf"(?P<pre>{_PRE})?(?<![{_CN_CHARS}\d])(?P<num>[二两三四五六七八九])成"
                        rf"(?![为立果本效功员熟长就绩型品都分年人了家片套批])(?P<post>{_POST})?")
_RE_FRACTION = re.compile(rf"(?P<pre>{_PRE})?(?:(?P<den>[{_CN_CHARS}]+)分之(?P<cnum>{_CN})"
                          r"|(?<![\d/.])(?P<anum>\d+)/(?P<aden>\d+)(?![\d/]))")
_RE_ORDINAL = re.compile(rf"(?:第|附件\s*)(?P<num>{_NUM})(?P<unit>{_UNIT})?")  # 第3名; 附件2 (an appendix number)
_RE_PLAIN = re.compile(rf"(?P<pre>{_PRE})?(?P<num>{_NUM})(?:(?P<approx0>余|多)(?={_MULT}))?(?P<mult>{_MULT})?(?:(?P<approx1>余|多)(?P<mult2>亿))?(?P<approx>余|多)?")

_NUMERAL1 = "一二两三四五六七八九十百千万"
_RE_BLOCKED = re.compile(
    # 4-character numeral idioms: 五湖四海, 三番五次, 一砖一瓦 (not 一个百分点, 三到五年)
    rf"(?<![{_CN_CHARS}点第\d])[{_NUMERAL1}](?![个至到余多])[\u4e00-\u9fff](?<![{_CN_CHARS}])"
    rf"[{_NUMERAL1}][\u4e00-\u9fff](?<![{_CN_CHARS}])"
    # plan periods: “一五”, “十四五”, 十三五时期
    rf"|“(?:十[一二三四五六七八九]|[一二三四五六七八九])五”"
    rf"|(?:十[一二三四五六七八九]|[一二三四五六七八九])五(?=时期|规划|期间|末|初|计划)"
    # named programmes / congresses: 二十大, 十九届, 五大行动, 六控, 四治
    rf"|(?<![{_CN_CHARS}])[一二两三四五六七八九十]{{1,3}}(?:大|届|控|治)"
    # vague multiples: 数十年, 几百人, 十几个
    r"|[数几][十百千万]+|[十百千万]几"
    # structural enumerators: "1." / "1、" at line start or after a colon ("附件：1.…"), （1）
    r"|(?:(?m:^)|[：:])\s*\d+(?:[.)）](?!\d)|、)|[（(]\d+[)）]"
    # a note's marker after a term ("专精特新[38]"), and a citation mark
    r"|\[\d{1,3}\]")

_DELIMS = set("，。；：！？、,;:!?\n（）()“”‘’\"《》【】")
_QUOTES = {"“": "”", "‘": "’", "\"": "\"", "「": "」", "《": "》"}
_RE_CJK = re.compile(r"[\u4e00-\u9fff]+")
_AFTER_STOP = re.compile(r"的|和|与|及|中|等|都|也|已|均|先后|分别|超过|是|为|在|将|被|就|了|共|涉及|覆盖|包括|占")
_BEFORE_CUT = re.compile(r"达到|完成|实现|涉及|抓好|确保|拥有|尚有|已有|共有|增加|提高|突破|超过|高于|低于"
                         r"|在|的|了|和|与|及|占|从|对|把|将|是|为|有|达|至|到")
_BEFORE_TRAIL = re.compile(r"(?:整体|总计|合计|共计|累计|分别|现在|目前|已经|已|将|都|也|还|共|约|达到|达|为|是|有|近|超)+$")
_SCOPES = {"全市", "全省", "全国", "全区", "全年", "同期", "上年", "去年"}
_COUNT_UNITS = set(_MEASURE) | set(_TIME)


# --------------------------------------------------------------------------
# Parsing helpers
# --------------------------------------------------------------------------
def _parse_number(tok: str) -> Decimal | None:
    """Arabic or Chinese numeral -> Decimal; None when unparseable."""
    if tok[0].isdigit():
        try:
            return Decimal(tok.replace(",", ""))
        except InvalidOperation:
            return None
    if tok[0] in "十百千万亿":
        tok = "一" + tok  # 百亿 -> 一百亿, 十五 stays valid
    try:
        return Decimal(str(cn2an.cn2an(tok, "normal")))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def parse_count(tok: str) -> int | None:
    """A whole count in Arabic or Chinese numerals ("10", "十", "两") -> int; None otherwise."""
    d = _parse_number(tok.replace("两", "二")) if tok else None
    return int(d) if d is not None and d == d.to_integral_value() else None


def _is_bare_multiplier(tok: str) -> bool:
    """百, 千, 万, 亿 alone (not 十): not a figure without a following multiplier."""
    return len(tok) == 1 and tok in "百千万亿"


def _kind_for(unit: str) -> str:
    if unit in _CURRENCY:
        return "amount"
    if unit in _PERCENT:
        return "percent"
    if unit in _DATE:
        return "plain"
    return "count" if unit else "plain"


def _num(d: Decimal) -> float:
    return float(d)


def _build(pat: str, m: re.Match) -> dict | None:
    """Turn a regex match into Quantity fields (without item); None = reject."""
    g = m.groupdict()
    pre, post = g.get("pre") or "", g.get("post") or ""
    approx = (g.get("approx0") or "") + (g.get("approx1") or "") + (g.get("approx") or "")
    qualifier = pre + approx + post
    if pat == "fraction":
        if g["anum"]:
            num, den = _parse_number(g["anum"]), _parse_number(g["aden"])
        else:
            num, den = _parse_number(g["cnum"]), _parse_number(g["den"])
        if num is None or not den:
            return None
        return dict(value=_num(num / den), unit="", kind="fraction", qualifier=qualifier)
    if pat == "pct_cn_range":
        v, v2 = _parse_number(g["num"]), _parse_number(g["num2"])
        if v is None or v2 is None or v >= v2:
            return None
        return dict(value=_num(v), high=_num(v2), unit="%", kind="range", qualifier=qualifier)
    if pat == "tenths":
        v = _parse_number(g["num"])
        return None if v is None else dict(value=_num(v * 10), unit="%", kind="percent", qualifier=qualifier)
    if pat == "pct_cn":
        v = _parse_number(g["num"])
        return None if v is None else dict(value=_num(v), unit="%", kind="percent", qualifier=qualifier)
    tok = g["num"]
    v = _parse_number(tok)
    if v is None:
        return None
    unit = g.get("unit") or ""
    mult = g.get("mult") or ""
    if g.get("mult2"):  # 3万多亿元: 万 and 亿 both multiply
        v = v * _MULTS.get(mult, 1)
        mult = g["mult2"]
    if pat == "ordinal":
        return dict(value=_num(v), unit=unit, kind="ordinal", qualifier="")
    if pat == "range":
        v2 = _parse_number(g["num2"])
        if v2 is None or _is_bare_multiplier(g["num2"]):
            return None
        m1 = g.get("mult1") or mult  # "3-5万元": the multiplier applies to both ends
        lo = v * _MULTS.get(m1, 1)
        hi = v2 * _MULTS.get(mult, 1)
        if lo >= hi:
            return None
        return dict(value=_num(lo), high=_num(hi), unit=unit, kind="range", qualifier=qualifier)
    if _is_bare_multiplier(tok) or tok in ("千万", "万万", "亿万", "万一"):
        return None
    if pat == "plain":
        if not tok[0].isdigit():
            if not tok.endswith(("万", "亿")) and not mult:
                return None  # Chinese numerals need a unit to be figures
        value = v * _MULTS.get(mult, 1)
        return dict(value=_num(value), unit="", kind="plain", qualifier=qualifier)
    # count / amount / percent / year / date
    if tok == "一" and unit not in _ONE_OK_UNITS and not pre and not mult:
        return None  # 一 as an article: 一批, 一个时期
    value = v * _MULTS.get(mult, 1)
    kind = _kind_for(unit)
    cn_digit_string = len(tok) > 1 and all(c in _CN_DIGITS for c in tok)
    if unit == "年" and not (pre or approx or mult or post) and 1000 <= v <= 2100 and \
            (re.fullmatch(r"\d{4}", tok) or (cn_digit_string and len(tok) == 4)):
        kind = "year"
    elif cn_digit_string:
        return None  # 三五年 ("three or five years"), 一一一: not a single figure
    if unit == "月" and not (v == int(v) and 1 <= v <= 12):
        return None
    # a day of the month, or a number of days (自成立之日起60日内)
    if unit == "日" and not (v == int(v) and 1 <= v <= 31) and m.string[m.end():m.end() + 1] not in ("内", "后"):
        return None
    return dict(value=_num(value), unit=unit, kind=kind, qualifier=qualifier)


_PATTERNS = [("range", _RE_RANGE), ("pct_cn_range", _RE_PCT_CN_RANGE), ("pct_cn", _RE_PCT_CN), ("tenths", _RE_TENTHS), ("fraction", _RE_FRACTION),
             ("ordinal", _RE_ORDINAL), ("count", _RE_COUNT), ("plain", _RE_PLAIN)]


def _item_after(s: str, pos: int) -> str:
    """The noun phrase right after a count: '252个重大项目' -> '重大项目'."""
    if pos < len(s) and s[pos] in _QUOTES:
        close = s.find(_QUOTES[s[pos]], pos + 1, pos + 14)
        if close > pos + 1:
            return s[pos + 1:close]
    m = _RE_CJK.match(s, pos)
    if not m or m.group()[0] in _CN_CHARS:
        return ""
    word = m.group()[:8]
    stop = _AFTER_STOP.search(word)
    if stop:
        word = word[:stop.start()]
    return word[:6] if len(word) >= 2 else ""


def _item_before(s: str, start: int, floor: int) -> str:
    """The noun just before the number in the same clause: '净利润2.3亿元' -> '净利润'."""
    i = start
    while i > floor and s[i - 1] not in _DELIMS:
        i -= 1
    clause = s[i:start].replace("*", "").strip()
    for _ in range(3):
        clause = _BEFORE_TRAIL.sub("", clause)
        cuts = list(_BEFORE_CUT.finditer(clause))
        tail = clause[cuts[-1].end():] if cuts else clause
        if tail in _SCOPES and cuts:  # '占全市1/4': prefer what precedes 占
            clause = clause[:cuts[-1].start()]
            continue
        tail = tail[-8:]
        return tail if len(tail) >= 2 and tail not in _SCOPES else ""
    return ""


def _assign_item(s: str, f: dict, start: int, end: int, prev_end: int) -> str:
    kind, unit = f["kind"], f["unit"]
    if kind == "year":
        return ""
    if kind == "ordinal" or kind == "plain" or (unit in _COUNT_UNITS and kind in ("count", "range")):
        after = _item_after(s, end)
        if after or kind == "ordinal":
            return after
    return _item_before(s, start, prev_end)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------
def extract_quantities(text: str) -> list[Quantity]:
    """All quantities in text, in order, non-overlapping.

    Candidates from every pattern are collected; at each position the longest
    candidate wins (ties broken by pattern order: range, 百分之, fraction,
    ordinal, count/amount, plain).  Spans touching a blocked idiom, named
    programme, plan period or enumerator are dropped.
    """
    if not text:
        return []
    s = _ITEM_YEAR.sub(r"\1、\2", text.translate(_FULLWIDTH))  # (same length: spans stay aligned)
    blocked = [(b.start(), b.end()) for b in _RE_BLOCKED.finditer(s)]
    cands = []
    for prio, (name, rx) in enumerate(_PATTERNS):
        for m in rx.finditer(s):
            if m.end() > m.start():
                cands.append((m.start(), -(m.end() - m.start()), prio, name, m))
    cands.sort(key=lambda c: c[:3])
    out: list[Quantity] = []
    taken_end = 0
    for start, neg_len, _prio, name, m in cands:
        end = start - neg_len
        if start < taken_end:
            continue
        if any(bs < end and start < be for bs, be in blocked):
            continue
        fields = _build(name, m)
        if fields is None:
            continue
        prev_end = out[-1].end if out else 0
        item = _assign_item(s, fields, start, end, prev_end)
        out.append(Quantity(text=text[start:end], start=start, end=end, item=item, **fields))
        taken_end = end
    return _bounded_ranges(text, out)


def _bounded_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """"一万元以上五万元以下", "三个月以上十二个月以下": a lower bound right followed by an upper
    bound in the same unit is one range (value = the lower, high = the upper), as a 条例 writes them."""
    out: list[Quantity] = []
    for q in qs:
        lo = out[-1] if out else None
        if (lo is not None and lo.end == q.start and lo.qualifier == "以上" and q.qualifier == "以下"
                and lo.high is None and q.high is None and lo.unit == q.unit and lo.value is not None
                and q.value is not None and lo.value <= q.value and lo.kind not in ("year", "ordinal")):
            out[-1] = Quantity(text=text[lo.start:q.end], start=lo.start, end=q.end, value=lo.value,
                               unit=lo.unit, kind="range", item=lo.item, qualifier="", high=q.value)
            continue
        out.append(q)
    return out


def same_value(a: Quantity, b: Quantity) -> bool:
    """True when both denote the same figure after normalisation (1370亿元 ==
    1,370亿元 == 一千三百七十亿元 == 1.37e11元; 23.6% == 百分之二十三点六).
    An ordinal never equals a cardinal (第3名 != 3名)."""
    return a.key() == b.key() and (a.kind == "ordinal") == (b.kind == "ordinal")


def _arabic_number(v: float) -> str:
    for scale, word in ((10**12, "万亿"), (10**8, "亿"), (10**4, "万")):
        if v >= scale and round(v / scale, 4) == round(v / scale, 2):
            return f"{v / scale:g}{word}"
    return f"{v:g}"


def in_arabic(q: Quantity) -> str:
    """A figure written in Arabic numerals ("百分之十八点五" -> "18.5%", "九千六百多万名" ->
    "over 9600万名", "一万元以上五万元以下" -> "1万–5万元", "二〇三五年" -> "2035年");
    "" when its value is not known."""
    if q.value is None:
        return ""
    if q.kind == "year":
        return f"{int(q.value)}年"
    if q.kind == "fraction":
        return ""  # 三分之一 reads as it is
    if q.unit in ("%", "‰") or q.unit.endswith("百分点"):
        text = f"{q.value:g}" if q.high is None else f"{q.value:g}–{q.high:g}"
    else:
        text = _arabic_number(q.value) if q.high is None else f"{_arabic_number(q.value)}–{_arabic_number(q.high)}"
    more = "over " if q.high is None and any(w in q.qualifier for w in ("多", "余", "以上", "超")) else ""
    return f"{more}{text}{q.unit}"


def chinese_numeral_figures(text: str) -> list[Quantity]:
    """The figures of `text` written with Chinese numerals (not ordinals, not 一 alone)."""
    out = []
    for q in extract_quantities(text):
        if q.kind == "ordinal" or q.value is None or any(ch.isdigit() and ch.isascii() for ch in q.text):
            continue
        if any(ch in _CN_CHARS for ch in q.text) and not re.fullmatch(r"[一两]\D?", q.text) and in_arabic(q):
            out.append(q)
    return out


def unverified_numbers(answer: str, evidence: list[str]) -> list[Quantity]:
    """Quantities in `answer` whose value is not stated by any evidence text
    (after normalisation). Ordinals, and structural enumerators are ignored.

    A unit-less answer figure ("1370亿", "2022") is accepted when any evidence
    figure has the same value, whatever its unit.
    """
    found = [q for ev in evidence for q in extract_quantities(ev)]
    keys = {q.key() for q in found if q.kind != "ordinal"}
    values = {round(q.value, 6) for q in found if q.value is not None and q.kind != "ordinal"}
    missing = []
    for q in extract_quantities(answer):
        if q.kind == "ordinal":
            continue
        if q.key() in keys:
            continue
        if q.unit == "" and q.value is not None and q.high is None and round(q.value, 6) in values:
            continue
        missing.append(q)
    return missing
