"""Who does what: the responsibility notes of an implementation document.

An 实施意见 or 方案 closes each task with a note naming the bodies that carry it out:
"（牵头单位：市财政局，配合单位：市科技和信息化局、各区、县级市政府）".  The notes are read
off the text as it stands (the role labels are the usual administrative words; nothing is
listed per document), so a claim "X由市科技和信息化局牵头" is checked against the note of
the task X names (:func:`claimed_duty`, :func:`duty_of`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from .documents import split_paragraphs
from .structure import APPENDIX_RE

# the roles a note labels, and the roles a word of a claim or question means (负责 = the lead or the one
# responsible; a 责任单位 is the lead where a note names no 牵头单位)
_ROLES = ("牵头", "配合", "责任", "主办", "承办", "协办")
ROLES_MEANT = {"牵头": ("牵头",), "负责": ("牵头", "责任"), "责任": ("责任", "牵头"), "配合": ("配合",),
               "主办": ("主办",), "承办": ("承办",), "协办": ("协办",)}
_VERBS = ("牵头", "负责", "配合", "主办", "承办", "协办")  # what a claim says a body does ("由X牵头")
_LABEL = re.compile(rf"({'|'.join(_ROLES)})(?:单位|部门)\s*[：:]")
_NOTE_END = re.compile(r"[）)；;。\n]")
_BODY_SPLIT = re.compile(r"[、，,]|以及")
# "由市财政局牵头", "由市委组织部负责", "牵头单位是市人才办", "牵头单位为…"
_CLAIM_VERB = re.compile(rf"由(?P<body>[^，。；由]{{2,60}}?)(?:会同[^，。；]{{2,40}}?)?(?P<verb>{'|'.join(_VERBS)})")
_CLAIM_LABEL = re.compile(rf"(?P<verb>{'|'.join(_ROLES)})(?:单位|部门)(?:是|为|：|:)(?P<body>[^，。；]{{2,60}})")
_TOPIC_NOISE = re.compile(r"(?:这项|这一项|这一|该项|此项)?(?:工作|任务|项目|措施|保障措施)?(?:的|之)?$")
_ITEM_NUMBER = re.compile(r"^\s*(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)")
_CJK = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
MIN_MATCH = 0.7  # share of the task's name (or of the claim's topic) the paragraph must hold


@dataclass(frozen=True)
class Duty:
    """One entry of a responsibility note: its role ("牵头"), the bodies it names and its span."""

    role: str
    bodies: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class ClaimedDuty:
    """What a claim says about responsibility: roles it may mean, the bodies, and its topic."""

    roles: tuple[str, ...]
    bodies: tuple[str, ...]
    topic: str
    said: str  # the words of the claim that state the duty ("由市科技和信息化局牵头")


def duties(text: str, start: int = 0, end: int | None = None) -> list[Duty]:
    """The responsibility entries in text[start:end] ("牵头单位：A，配合单位：B、C")."""
    end = len(text) if end is None else end
    labels = list(_LABEL.finditer(text, start, end))
    out = []
    for n, m in enumerate(labels):
        stop = labels[n + 1].start() if n + 1 < len(labels) else end
        close = _NOTE_END.search(text, m.end(), stop)
        hi = close.start() if close else stop
        value = text[m.end():hi].rstrip("，,、 ")
        bodies = tuple(b.strip() for b in _BODY_SPLIT.split(value) if b.strip())
        if bodies:
            out.append(Duty(m.group(1), bodies, m.start(), m.end() + len(value)))
    return out


# a task list flattened one cell per line (序号 / 任务内容 / 牵头部门 / 配合部门 / 时间节点): the header's
# role cells, in order, name the columns the cells after each task's content fill
_ROLE_CELL = re.compile(rf"^({'|'.join(_ROLES)})(?:单位|部门)$")
_TIME_CELL = re.compile(r"^(?:\d{4}年|\d{1,2}月|[一二三四]季度|[上下]半年|年底|年内|长期|持续|常态|全年)")
MAX_CELL = 40  # characters of a body's cell (a task's content is longer, or a sentence)


def _is_content_cell(line: str) -> bool:
    return len(line) > MAX_CELL // 2 or bool(re.search(r"[。；]", line))


@lru_cache(maxsize=64)
def table_duties(text: str) -> dict[int, list[Duty]]:
    """The duties a flattened task table states, by the start of each task's content line: the
    cells after it (until a time cell, a bare 序号 or the next content) fill the header's role
    columns in order — the first the first role (牵头), the rest the last one (配合).  Read once
    per document text (cached; callers must not change the result)."""
    lines = [(p.start, p.end, text[p.start:p.end].strip()) for p in split_paragraphs(text)]
    out: dict[int, list[Duty]] = {}
    roles: list[str] = []
    content: tuple[int, int] | None = None
    cells: list[tuple[int, int, str]] = []

    def close():
        if content is not None and cells and roles:
            # one entry per cell (a cited span stays inside its line)
            out[content[0]] = [Duty(roles[0] if n == 0 else roles[-1],
                                    tuple(b.strip() for b in _BODY_SPLIT.split(line) if b.strip()), lo, hi)
                               for n, (lo, hi, line) in enumerate(cells)]

    for start, end, line in lines:
        m = _ROLE_CELL.match(line)
        if m:
            if content is not None or not roles or cells:
                close()
                roles, content, cells = [], None, []
            roles.append(m.group(1))
            continue
        if not roles:
            continue
        if APPENDIX_RE.match(line):  # (the next appendix ends the table)
            close()
            roles, content, cells = [], None, []
        elif _is_content_cell(line):
            close()
            content, cells = (start, end), []
        elif _TIME_CELL.match(line) or line.isdigit():
            close()
            content, cells = None, []
        elif content is not None:
            cells.append((start, end, line))
    close()
    return out


def claimed_duty(claim: str) -> ClaimedDuty | None:
    """The duty a claim states ("“加大科技创新投入”这项保障措施由市科技和信息化局牵头"), or None."""
    m = _CLAIM_VERB.search(claim) or _CLAIM_LABEL.search(claim)
    if m is None:
        return None
    verb = m.group("verb")
    roles = ROLES_MEANT[verb]
    bodies = tuple(b.strip() for b in _BODY_SPLIT.split(m.group("body").rstrip("。！；;，, ")) if b.strip())
    topic = claim[:m.start()] + claim[m.end():]
    topic = re.sub(r"[“”\"「」‘’《》。！？；，,、\s]", "", topic)
    topic = _TOPIC_NOISE.sub("", topic.replace("的牵头单位", "").replace("的责任单位", ""))
    if not bodies or len(_CJK.findall(topic)) < 2:
        return None
    return ClaimedDuty(roles, bodies, topic, m.group(0))


def _shared(a: str, b: str) -> int:
    """Characters of `a` in runs of two or more that `b` also holds."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(bl.size for bl in blocks if bl.size >= 2)


def task_span(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The span of the task's name: the paragraph's first sentence ("22.加大科技创新投入。"), within
    its line (a task table's duty cells stand on the lines after it)."""
    line_end = text.find("\n", lo, hi)
    if line_end >= 0:
        hi = line_end
        if hi > lo and text[hi - 1] == "\r":
            hi -= 1
    stop = re.search(r"[。！？；]", text[lo:hi])
    return lo, lo + stop.end() if stop else hi


def _task_name(text: str, lo: int, hi: int) -> str:
    s, e = task_span(text, lo, hi)
    return _ITEM_NUMBER.sub("", text[s:e]).strip().rstrip("。！？；")


def match_task(topic: str, text: str, lo: int, hi: int) -> float:
    """How well a paragraph (text[lo:hi]) is the task `topic` names: the share of its name the topic
    holds, or the share of the topic the paragraph holds, whichever is larger."""
    name = _task_name(text, lo, hi)
    by_name = _shared(name, topic) / len(name) if len(_CJK.findall(name)) >= 4 else 0.0
    by_topic = _shared(topic, text[lo:hi]) / len(topic) if topic else 0.0
    return max(by_name, by_topic)


def duty_of(claimed: ClaimedDuty, text: str, paragraphs) -> tuple[object, Duty, float] | None:
    """(paragraph, its entry for the claimed role, match) of the paragraph with a note for that role
    that best matches the claim's topic; None when no paragraph matches well enough."""
    best = None
    table = table_duties(text)
    for para in paragraphs:
        entries = [d for d in duties(text, para.start, para.end) if d.role in claimed.roles]
        in_table = not entries
        if in_table:
            entries = [d for d in table.get(para.start, []) if d.role in claimed.roles]
        if not entries:
            continue
        if in_table:  # the cells of one role are one entry (cited by its first cell)
            role = entries[0].role
            entries = [Duty(role, tuple(b for d in entries if d.role == role for b in d.bodies),
                            entries[0].start, entries[0].end)]
        score = match_task(claimed.topic, text, para.start, para.end if in_table else entries[0].start)
        if score >= MIN_MATCH and (best is None or score > best[2]):
            best = (para, entries[0], score)
    return best


def names_body(duty: Duty, body: str) -> bool:
    """Whether the entry names `body` (the same name, or one holding the other: 市科技局 / 科技局)."""
    return any(body == b or (min(len(body), len(b)) >= 3 and (body in b or b in body)) for b in duty.bodies)
