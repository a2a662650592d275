"""Citation gate and number guard for LLM-written answers.

A generated answer refers to numbered sources ``[1]..[k]`` (the exact chunk texts
the model was given).  Before the user sees it, :func:`check_answer` verifies:

* **markers** — every ``[n]`` (also ``[1,2]``, ``[1-3]``, ``【2】``, ``[资料2]``) names a
  provided source; ``[9]`` with five sources is flagged;
* **quotes** — text inside “…” / "…" / 「…」 must occur verbatim (whitespace aside)
  in a source cited by the same sentence.  Otherwise it is *fabricated* (in no
  source), *stitched* (its pieces occur, but not as one run of text) or
  *misattributed* (it occurs in a source the sentence does not cite);
* **figures** — every figure of a sentence must be stated by the sources that
  sentence cites (all cited sources when the sentence cites none), compared with
  :func:`assistant.numbers.unverified_numbers` (so 1,370亿元 == 一千三百七十亿元).

The result lists Chinese flag messages, the unverified figures, the valid source
numbers in order of first citation, and *anchors* (offsets inside each source of
the quotes and figures the answer relies on) used to narrow citations.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .numbers import extract_quantities, same_value, unverified_numbers

MARKER = re.compile(r"[\[［【]\s*(?:资料|来源|source\s*)?\s*(\d{1,3}(?:\s*[,，、\-–~]\s*\d{1,3})*)\s*[\]］】]",
                    re.IGNORECASE)
_QUOTE = re.compile(r"“([^“”]{2,300})”|「([^「」]{2,300})」|\"([^\"\n]{2,300})\"")
_END_MARKS = "。！？!?；;\n"
_PIECES = re.compile(r"[……。，、；：！？,.;:!?\s]+|\.\.\.")
_SPACE = re.compile(r"\s+")
ABSTAIN = re.compile(r"资料(?:中)?(?:并)?(?:未|没有)(?:提及|提到|涉及|说明|回答|给出)|(?:没有|未)(?:提及|提到|说明)"
                     r"|无法(?:根据资料)?回答|找不到相关|does not (?:say|mention)|do not (?:say|mention)|not mentioned")


@dataclass
class GateResult:
    """What the gate found in one answer (source numbers are the ones given to the model)."""

    cited: list[int]  # valid source numbers, in order of first citation
    invalid: list[int] = field(default_factory=list)  # markers naming no provided source
    flags: list[str] = field(default_factory=list)  # Chinese messages for the user
    unverified: list[str] = field(default_factory=list)  # figures not stated by the cited sources
    anchors: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # source -> spans relied on

    @property
    def verified(self) -> bool:
        """True only when something is cited and nothing was flagged."""
        return bool(self.cited) and not self.flags and not self.unverified


def marker_numbers(group: str) -> list[int]:
    """'1,3' -> [1, 3]; '2-4' -> [2, 3, 4] (inside one bracket)."""
    out: list[int] = []
    for part in re.split(r"\s*[,，、]\s*", group.strip()):
        m = re.fullmatch(r"(\d+)\s*[\-–~]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            out.extend(range(a, b + 1) if 0 < b - a < 10 else [a, b])
        elif part.isdigit():
            out.append(int(part))
    return out


def cited_numbers(answer: str) -> list[int]:
    """All source numbers named by markers, in order of first appearance (valid or not)."""
    seen: dict[int, None] = {}
    for m in MARKER.finditer(answer):
        for n in marker_numbers(m.group(1)):
            seen.setdefault(n, None)
    return list(seen)


def strip_markers(text: str) -> str:
    return MARKER.sub("", text)


def sentences(answer: str) -> list[str]:
    """Answer sentences (not split inside “…”); a marker right after the end mark
    ("……。[2]") stays with its sentence."""
    out: list[str] = []
    cur, depth, i = "", 0, 0
    while i < len(answer):
        ch = answer[i]
        cur += ch
        i += 1
        if ch in "“「":
            depth += 1
        elif ch in "”」":
            depth = max(0, depth - 1)
        elif ch in _END_MARKS and depth == 0:
            m = MARKER.match(answer, i) or re.compile(r"[ \t]*" + MARKER.pattern, re.IGNORECASE).match(answer, i)
            while m:
                cur += answer[i:m.end()]
                i = m.end()
                m = MARKER.match(answer, i)
            if cur.strip():
                out.append(cur)
            cur = ""
    if cur.strip():
        out.append(cur)
    return out


def looks_like_abstention(answer: str) -> bool:
    return bool(ABSTAIN.search(answer))


def _norm(s: str) -> str:
    return _SPACE.sub("", s)


def _find(needle: str, hay: str) -> tuple[int, int] | None:
    """Span of `needle` in `hay`, ignoring whitespace differences."""
    i = hay.find(needle)
    if i >= 0:
        return i, i + len(needle)
    n = _norm(needle)
    if not n:
        return None
    # map positions of the whitespace-free haystack back to the original
    idx = [j for j, ch in enumerate(hay) if not ch.isspace()]
    flat = "".join(hay[j] for j in idx)
    k = flat.find(n)
    return (idx[k], idx[k + len(n) - 1] + 1) if k >= 0 else None


def _stitched(quote: str, sources: list[str]) -> bool:
    """Does every piece of the quote occur in the sources, though the whole does not?"""
    pieces = [p for p in _PIECES.split(quote) if len(p) >= 3]
    return len(pieces) >= 2 and all(any(_find(p, s) for s in sources) for p in pieces)


def check_answer(answer: str, sources: list[str], label: Callable[[int], str] | None = None) -> GateResult:
    """Check `answer` against `sources` (source n = sources[n-1]); see module docstring.

    `label(n)` names source n in messages (default "[n]"); the chain passes the
    numbering the user will see, or the paragraph for a source the answer did not cite.
    """
    label = label or (lambda n: f"[{n}]")
    k = len(sources)
    res = GateResult(cited=[])
    valid_all: list[int] = []
    for n in cited_numbers(answer):
        if 1 <= n <= k:
            valid_all.append(n)
        else:
            res.invalid.append(n)
            res.flags.append(f"引用标记 [{n}] 不对应任何提供的资料（资料编号只有 1–{k}），该处内容未经核实。")
    res.cited = valid_all

    def anchor(n: int, span: tuple[int, int]) -> None:
        spans = res.anchors.setdefault(n, [])
        if span not in spans:
            spans.append(span)

    seen_quotes: set[str] = set()
    seen_figures: set[str] = set()
    for sent in sentences(answer):
        own = [n for m in MARKER.finditer(sent) for n in marker_numbers(m.group(1)) if 1 <= n <= k]
        own = list(dict.fromkeys(own))
        scope = own or valid_all  # an uncited sentence is checked against everything cited
        plain = strip_markers(sent)
        where = "、".join(label(n) for n in scope) if scope else "（未标注出处）"

        for m in _QUOTE.finditer(plain):
            q = next(g for g in m.groups() if g is not None).strip()
            if len(_norm(q)) < 2 or q in seen_quotes:
                continue
            seen_quotes.add(q)
            hits = {n: _find(q, sources[n - 1]) for n in scope}
            hits = {n: s for n, s in hits.items() if s}
            if hits:
                for n, span in hits.items():
                    anchor(n, span)
                continue
            elsewhere = [n for n in range(1, k + 1) if _find(q, sources[n - 1])]
            short = q if len(q) <= 40 else q[:38] + "…"
            if elsewhere:
                res.flags.append(f"引文“{short}”不在所标注的资料{where}中，而出自资料{label(elsewhere[0])}：出处标错了。")
            elif _stitched(q, sources):
                res.flags.append(f"引文“{short}”是把资料中不相连的片段拼接而成的，原文并非这样一句话。")
            else:
                res.flags.append(f"引文“{short}”在所给资料中找不到原文，可能是编造的。")

        evidence = [sources[n - 1] for n in scope]
        bad = unverified_numbers(plain, evidence) if evidence else extract_quantities(plain)
        bad = [qn for qn in bad if qn.kind != "ordinal"]
        for qn in bad:
            if qn.text in seen_figures:
                continue
            seen_figures.add(qn.text)
            res.unverified.append(qn.text)
            res.flags.append(f"数字“{qn.text}”在所引资料{where}中找不到，未经核实，请以原文为准。")
        bad_keys = {(qn.start, qn.end) for qn in bad}
        for qn in extract_quantities(plain):
            if qn.kind == "ordinal" or (qn.start, qn.end) in bad_keys:
                continue
            for n in scope:
                for sq in extract_quantities(sources[n - 1]):
                    if sq.kind != "ordinal" and (same_value(qn, sq) or
                                                 (qn.unit == "" and sq.value is not None and qn.value is not None
                                                  and round(qn.value, 6) == round(sq.value, 6))):
                        anchor(n, (sq.start, sq.end))
    return res
