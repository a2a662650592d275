"""Chinese sentence and clause splitting that keeps quotes and brackets intact.

A sentence ends at 。！？ that is *not*
inside “…” ‘…’ （…） 《…》 【…】 「…」; closing quotes and brackets right
after the end mark stay with the sentence.  Spans are (start, end) offsets into
the text given, with surrounding white space trimmed.
"""
from __future__ import annotations

import re

OPEN = "“‘（(《【「『〔"
CLOSE = "”’）)》】」』〕"
_PAIR = dict(zip(CLOSE, OPEN))
END_MARKS = "。！？"  # ASCII ?! are not sentence ends in Chinese text (the speech has stray "?" artefacts)
CLAUSE_MARKS = "，；：,;:、"
TRAILERS = CLOSE + "\"'"


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split_spans(text: str, start: int = 0, end: int | None = None, marks: str = END_MARKS) -> list[tuple[int, int]]:
    """Split text[start:end] at `marks` outside brackets/quotes; returns absolute spans."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    seg_start = start

    def cut(j: int) -> int:
        """End the current segment at j (after skipping trailing marks/quotes)."""
        nonlocal seg_start
        span = _trim(text, seg_start, j)
        if span:
            spans.append(span)
        seg_start = j
        return j

    def skip(j: int, chars: str) -> int:
        while j < end and text[j] in chars:
            j += 1
        return j

    i = start
    while i < end:
        ch = text[i]
        if ch in OPEN:
            stack.append(ch)
        elif ch in CLOSE:
            if stack and stack[-1] == _PAIR[ch]:
                stack.pop()
            elif _PAIR[ch] in stack:  # unbalanced: unwind to the matching opener
                while stack and stack.pop() != _PAIR[ch]:
                    pass
            if not stack and i > start and text[i - 1] in marks and ch in "”’」』":
                # 。” closes a quoted sentence: the sentence ends after the quote
                i = cut(skip(i + 1, TRAILERS))
                continue
        elif ch in marks and not stack:
            i = cut(skip(i + 1, marks + TRAILERS))
            continue
        elif ch == "\n":
            stack.clear()
        i += 1
    cut(end)
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end]."""
    return split_spans(text, start, end, END_MARKS)


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clause spans (split also at ，；：、) of text[start:end]."""
    return split_spans(text, start, end, END_MARKS + "，；：,;:")


_WS = re.compile(r"\s+")


def normalise_space(s: str) -> str:
    return _WS.sub("", s)
