"""The standard elements of an official document (公文要素): its number, date, issuer, and
the date it takes effect.

A 通知 or 意见 carries a 发文字号 ("国办发〔2018〕123号") under its title and ends with the
issuing body and the 成文日期 on lines of their own ("国务院办公厅" / "2018年12月7日"); a
条例 says in brackets under its title when it was promulgated and revised (or on a line, when
it was adopted: "2024年12月31日 …常务委员会第十八次会议通过"), and in its last article
when it takes effect ("本条例自2025年3月1日起施行").  These are found
in each document's own lines — the layout every official document shares (GB/T 9704), no
list of documents — so "这份意见的文号是什么？", "成文日期是哪天？" and "What is the document
number?" are answered with the exact span, or not at all when the document has none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Document
from .naming import YEAR_DIGITS

_YEAR = rf"(?:{YEAR_DIGITS})"
_DAY = r"[0-9一二三四五六七八九十]{1,3}"
DATE = re.compile(rf"{_YEAR}年(?:{_DAY}月(?:{_DAY}日)?)?|{_DAY}月{_DAY}日")  # a date (or a year) in a text
DATE_LINE = re.compile(rf"^[（(]?{_YEAR}年{_DAY}月{_DAY}日[）)]?$")
NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（](?:19|20)\d{2}[〕\]］)）]\s*第?\d{1,5}号$"
                         r"|^(?:[\u4e00-\u9fff]{2,16}令\s*)?第\s*\d{1,5}\s*号$")
_ISSUED = re.compile(rf"{_YEAR}年{_DAY}月{_DAY}日[^，。；）)]{{0,30}}?(?:公布|发布|印发|通过|修订|施行)")
_EFFECTIVE = re.compile(rf"自{_YEAR}年{_DAY}月{_DAY}日起(?:施行|生效|实施|执行)")
EFFECTIVE_REACH = 20  # the sentence is quoted from its line's start ("第六十六条 本条例…") when that is this near
EDGE = 6  # number and date lines sit within this many lines of the start or the end

_EN_ISSUED = r"\b(?:issued|signed|published|promulgated|adopted|released|delivered)\b"
# (pattern, whether the question must name a document: "发布时间" may be about what a document
# regulates, "这份意见的发布时间" is about the document)
ASKED = {
    "number": (re.compile(r"文号|发文字号|发文号|文件号|\b(?:document|reference|file) number\b", re.I), False),
    "date": (re.compile(r"成文日期|成文时间|印发日期|印发时间|发文日期|发文时间|签发日期|落款日期"
                        r"|(?:哪天|哪一天|何时|什么时候|几月几日|什么日期|哪年哪月)(?:印发|签发|下发|成文|出台)"
                        r"|(?:哪天|哪一天|何时|什么时候|几月几日|什么日期)(?:讲的|作的|发表)|讲话(?:的)?(?:日期|时间)"
                        r"|(?:哪天|哪一天|何时|什么时候|几月几日)[^，。？！?]{0,10}?(?:会议)?通过"
                        rf"|\b(?:what|which) date\b.*{_EN_ISSUED}|\bwhen was\b.*{_EN_ISSUED}|\bdate of (?:issue|issuance)\b",
                        re.I), False),
    "date_named": (re.compile(r"(?:发布|公布)(?:日期|时间)|(?:哪天|哪一天|何时|什么时候|几月几日)(?:发布|公布)"), True),
    "effective": (re.compile(r"施行日期|生效日期|实施日期|(?:哪天|哪一天|何时|什么时候|几月几日|哪年哪月)(?:起|开始)?(?:施行|生效|实施)"
                             r"|(?:从|自)(?:哪天|何时|什么时候)起?(?:施行|生效|实施)"
                             r"|\b(?:take|took|takes|come|came|comes) (?:into )?effect\b|\beffective date\b", re.I), False),
    "issuer": (re.compile(r"发文机关|印发机关|哪个(?:部门|机关|单位)(?:印发|下发)|由谁印发|谁印发的"
                          r"|\bwho issued\b|\bwhich (?:body|office|department|authority) issued\b", re.I), False),
}


@dataclass(frozen=True)
class Fact:
    """One element of a document: its kind ("number", "date", "issuer", "effective") and exact span."""

    kind: str
    start: int
    end: int


def fact_asked(question: str, names_document: bool = True) -> str | None:
    """The element a question asks for ("number", "date", "issuer", "effective"), or None.  Some phrasings
    ("发布时间") ask about the document only when it names one (`names_document`)."""
    for kind, (pattern, needs_name) in ASKED.items():
        if pattern.search(question) and (names_document or not needs_name):
            return kind.split("_")[0]
    return None


def document_facts(doc: Document) -> dict[str, Fact]:
    """The elements `doc` states on lines of their own (see module docstring)."""
    paras = doc.paragraphs
    out: dict[str, Fact] = {}
    edge = list(paras[:EDGE]) + list(paras[max(EDGE, len(paras) - EDGE):])
    for p in edge:
        line = doc.text[p.start:p.end].strip()
        at = doc.text.find(line, p.start)
        if "number" not in out and NUMBER_LINE.match(line):
            out["number"] = Fact("number", at, at + len(line))
    # the date the document was signed: its last date line; the issuer is the short line above it
    tail = list(paras[max(0, len(paras) - EDGE):])
    for i in range(len(tail) - 1, -1, -1):
        line = doc.text[tail[i].start:tail[i].end].strip()
        if DATE_LINE.match(line):
            at = doc.text.find(line, tail[i].start)
            out["date"] = Fact("date", at, at + len(line))
            if i > 0:
                _issuer_above(doc, tail[i - 1], out)
            break
    # the date it takes effect: "本条例自2025年3月1日起施行" (its last article, or a closing line)
    effective = list(_EFFECTIVE.finditer(doc.text))
    if effective:
        m = effective[-1]
        p = doc.paragraph_at(m.start())
        start = p.start if m.start() - p.start <= EFFECTIVE_REACH else m.start()
        out["effective"] = Fact("effective", start, m.end())
    if "date" not in out:
        # a 条例 or a report: the date under its title ("（2007年4月5日国务院令第492号公布…）", "（2024年3月5日）")
        # or a notice whose attachment follows its date line ("国务院" / "2021年12月12日" / the plan)
        for i, p in enumerate(paras[:2 * EDGE]):
            line = doc.text[p.start:p.end]
            m = (_ISSUED.search(line) if i < EDGE else None) or (
                DATE_LINE.match(line.strip()) and re.search(rf"{_YEAR}年{_DAY}月{_DAY}日", line))
            if m:
                out["date"] = Fact("date", p.start + m.start(), p.start + m.end())
                if i > 0 and "issuer" not in out and DATE_LINE.match(line.strip()):
                    _issuer_above(doc, paras[i - 1], out)
                break
    return out


def _issuer_above(doc: Document, p, out: dict[str, Fact]) -> None:
    """The issuing body: the short line right above the date line (no sentence punctuation)."""
    above = doc.text[p.start:p.end].strip()
    if above and len(above) <= 40 and not re.search(r"[，。；：！？,.;:!?]", above):
        b = doc.text.find(above, p.start)
        out["issuer"] = Fact("issuer", b, b + len(above))
