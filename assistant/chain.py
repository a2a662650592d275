"""Answer pipelines shared by the CLI and the UI, with streaming.

:func:`stream_answer` is the one entry point the UI uses: it yields text pieces as
they become available and, last, the final :class:`~assistant.answer.Answer`
(verified).  The final Answer is authoritative: a UI shows the pieces while they
arrive and then replaces them with ``Answer.answer`` (renumbered citations, or the
extractive fallback after an error).

* backend ``none`` (default): the extractive answer; the pieces are its lines;
* backend ``openai``: an LCEL chain —
  condense a follow-up into a standalone question (``prompts/condense.md``, only
  when there is history) → hybrid retrieval (:class:`~assistant.retrieval.HybridRetriever`)
  → numbered sources ``[1]..[k]`` (exact chunk text, title, ¶N, section) in
  ``prompts/answer.md`` under the rules of ``prompts/system.md`` → the model's
  answer, streamed → :func:`assistant.gate.check_answer` (markers, verbatim quotes,
  figures) → ``Answer`` with ``mode`` = backend, ``flags`` and the cited sources
  (narrowed to the sentences the answer relies on), renumbered 1..m.

Failures (endpoint down, timeout, 429, malformed stream, empty answer, an answer
citing no source) give the extractive answer with ``Answer.notice`` in Chinese;
the error is logged; nothing raises except :class:`~assistant.answer.QuestionError`.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from functools import lru_cache

from .answer import COUNT_FLAG, Answer, answer_question, counts_asked, validate_question
from .chunking import Chunk
from .citations import Citation, cite
from .config import PROJECT_ROOT
from .gate import MARKER, GateResult, check_answer, looks_like_abstention, marker_numbers, strip_markers
from .numbers import unverified_numbers
from .sentences import split_sentences

log = logging.getLogger(__name__)

PROMPTS_DIR = PROJECT_ROOT / "prompts"
MAX_HISTORY = 4  # earlier questions given to the condense step
_ECHO = re.compile(r"(?m)^\s*\[\d+\]\s*(?:《[^》]*》)?第?\d+段｜|<资料>|</资料>")


# --- prompts -------------------------------------------------------------------
@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """Text of ``prompts/NAME.md``."""
    return (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8").strip()


def answer_prompt():
    from langchain_core.prompts import ChatPromptTemplate

    return ChatPromptTemplate.from_messages([("system", load_prompt("system")), ("human", load_prompt("answer"))])


def condense_prompt():
    from langchain_core.prompts import ChatPromptTemplate

    return ChatPromptTemplate.from_messages([("human", load_prompt("condense"))])


def format_sources(chunks: list[Chunk]) -> str:
    """Numbered sources for the prompt: header line (title, ¶N, section), then the exact chunk text."""
    blocks = []
    for n, c in enumerate(chunks, 1):
        head = f"[{n}] 《{c.title}》第{c.paragraph}段" + (f"｜{c.section}" if c.section else "")
        blocks.append(f"{head}\n{c.text}")
    return "\n\n".join(blocks)


def format_history(history) -> str:
    return "\n".join(f"{i}. {h}" for i, h in enumerate(list(history)[-MAX_HISTORY:], 1))


def clean_condensed(text: str, question: str) -> str:
    """The condensed question, or the original when the model's output is unusable."""
    t = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    t = re.sub(r"^(改写后的问题|独立问题|问题|standalone question)\s*[:：]\s*", "", t, flags=re.I)
    t = strip_markers(t).strip(" “”\"'")
    if len(t) < 2 or len(t) > 3 * len(question) + 120 or looks_like_abstention(t):
        return question
    return t


# --- the LCEL chain ------------------------------------------------------------------
def _retrieve(assistant, query: str, history, k: int, doc_ids) -> list[Chunk]:
    """Hybrid retrieval for the standalone question (earlier questions weigh little)."""
    from .retrieval import HybridRetriever

    if doc_ids:
        return [h.chunk for h in assistant.retriever.search(query, k=k, history=list(history), doc_ids=doc_ids)]
    lc = HybridRetriever(retriever=assistant.retriever, k=k)
    docs = lc.invoke(query, k=k, history=list(history))
    by_id = assistant.retriever.by_id
    return [assistant.retriever.chunks[by_id[d.metadata["id"]]] for d in docs if d.metadata.get("id") in by_id]


def build_chain(assistant, llm, k: int = 5, doc_ids=None):
    """The LCEL chain: {question, history} -> {.., standalone, sources, answer (streamed)}."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableLambda, RunnablePassthrough

    condense = condense_prompt() | llm | StrOutputParser()

    def standalone(x: dict) -> str:
        if not x["history"]:
            return x["question"]
        out = condense.invoke({"history": format_history(x["history"]), "question": x["question"]})
        return clean_condensed(out, x["question"])

    def retrieve(x: dict) -> list[Chunk]:
        return _retrieve(assistant, x["standalone"], x["history"], k, doc_ids)

    def prompt_vars(x: dict) -> dict:
        return {"sources": format_sources(x["sources"]), "question": x["standalone"]}

    generate = RunnableLambda(prompt_vars) | answer_prompt() | llm | StrOutputParser()
    return (RunnablePassthrough.assign(standalone=RunnableLambda(standalone))
            | RunnablePassthrough.assign(sources=RunnableLambda(retrieve))
            | RunnablePassthrough.assign(answer=generate))


# --- failures -----------------------------------------------------------------
def failure_notice(exc: BaseException, settings=None) -> str:
    """A clear Chinese notice for an LLM failure (the answer shown is extractive)."""
    import openai

    from .llm import LLMUnavailable

    tail = "已改用原文摘录回答。"
    if isinstance(exc, LLMUnavailable):
        return f"{exc} {tail}"
    if isinstance(exc, (openai.APITimeoutError, TimeoutError)):
        secs = getattr(settings, "llm_timeout", None)
        return f"语言模型服务响应超时{f'（{secs:g} 秒）' if secs else ''}，{tail}"
    if isinstance(exc, openai.APIConnectionError):
        return f"无法连接语言模型服务（服务未启动或地址错误），{tail}"
    if isinstance(exc, openai.RateLimitError):
        return f"语言模型服务请求过于频繁（429 限流），{tail}"
    if isinstance(exc, openai.AuthenticationError):
        return f"语言模型服务拒绝了 API 密钥（401），{tail}"
    if isinstance(exc, openai.APIStatusError):
        return f"语言模型服务返回错误（HTTP {exc.status_code}），{tail}"
    return f"语言模型返回的数据无法解析（{type(exc).__name__}），{tail}"


def _fallback(assistant, question, history, k, doc_ids, notice: str) -> Answer:
    ans = answer_question(assistant, question, history=history, k=k, doc_ids=doc_ids)
    ans.notice = notice
    return ans


# --- from generated text to a verified Answer ------------------------------------------
def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\W", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _narrow(assistant, chunk: Chunk, anchors: list[tuple[int, int]], citing: str) -> Citation:
    """Citation of the sentences of `chunk` the answer relies on (anchors = offsets in chunk.text);
    without anchors, the sentence sharing most words with the citing answer sentences."""
    doc = assistant.index.document(chunk.doc_id)
    spans = split_sentences(doc.text, chunk.start, chunk.end) or [(chunk.start, chunk.end)]
    chosen = [s for s in spans if any(s[0] < chunk.start + b and chunk.start + a < s[1] for a, b in anchors)]
    if not chosen:
        words = _bigrams(citing)
        chosen = [max(spans, key=lambda s: len(words & _bigrams(doc.text[s[0]:s[1]])))]
    start, end = min(s[0] for s in chosen), max(s[1] for s in chosen)
    try:
        return cite(doc, start, end, chunk.section)
    except ValueError:  # a span over a paragraph break: cite the first chosen sentence
        return cite(doc, chosen[0][0], chosen[0][1], chunk.section)


def _renumber(text: str, mapping: dict[int, int]) -> str:
    def sub(m: re.Match) -> str:
        nums = marker_numbers(m.group(1))
        return "".join(f"[{mapping[n]}]" if n in mapping else f"[{n}]" for n in dict.fromkeys(nums))

    return MARKER.sub(sub, text)


def finalize(assistant, question: str, standalone: str, chunks: list[Chunk], text: str, mode: str,
             history=(), k: int = 5, doc_ids=None) -> Answer:
    """Gate the generated `text` against its sources and build the final Answer."""
    text = text.strip()
    retrieved = [cite(assistant.index.document(c.doc_id), c.start, c.end, c.section) for c in chunks]
    order = [n for n in dict.fromkeys(_all_markers(text)) if 1 <= n <= len(chunks)]
    mapping = {n: i for i, n in enumerate(order, 1)}

    def label(n: int) -> str:
        return f"[{mapping[n]}]" if n in mapping else f"（第{chunks[n - 1].paragraph}段）"

    if _ECHO.search(text):  # the prompt's source headers repeated back: not an answer
        log.warning("LLM answer echoes the prompt; falling back to extractive: %r", text[:200])
        return _fallback(assistant, question, history, k, doc_ids,
                         "语言模型只是复述了资料而没有作答，已改用原文摘录回答。")
    gate: GateResult = check_answer(text, [c.text for c in chunks], label)
    if not gate.cited:
        if looks_like_abstention(text):
            return Answer(question=question, answer=strip_markers(text).strip(), abstained=True, citations=[],
                          retrieved=retrieved, mode=mode, standalone=standalone, flags=gate.flags)
        log.warning("LLM answer cites no provided source; falling back to extractive: %r", text[:200])
        return _fallback(assistant, question, history, k, doc_ids,
                         "语言模型的回答没有标注有效出处，无法核实，已改用原文摘录回答。")
    citations = []
    for n in order:
        citing = "".join(s for s in _sentences_citing(text, n))
        citations.append(_narrow(assistant, chunks[n - 1], gate.anchors.get(n, []), citing))
    body = _renumber(text, mapping)
    unverified = list(gate.unverified)
    flags = list(gate.flags)
    for qn in unverified_numbers(strip_markers(body), [c.quote for c in citations]):  # against the narrowed spans
        if qn.kind != "ordinal" and qn.text not in unverified:
            unverified.append(qn.text)
            flags.append(f"数字“{qn.text}”在引文中找不到，未经核实，请以原文为准。")
    # a figure question answered with a figure that counts something else (252个重大项目 for
    # "多少个招商引资项目") passes the number guard: check what the cited sentences count
    q = assistant.retriever.analyse(standalone or question)
    if not any(counts_asked(assistant, q, c.doc, [(c.start, c.end)]) for c in citations):
        flags.append(COUNT_FLAG)
    return Answer(question=question, answer=body, abstained=False, citations=citations, retrieved=retrieved,
                  mode=mode, standalone=standalone, unverified_numbers=unverified, flags=flags)


def _all_markers(text: str) -> list[int]:
    return [n for m in MARKER.finditer(text) for n in marker_numbers(m.group(1))]


def _sentences_citing(text: str, n: int) -> list[str]:
    from .gate import sentences

    return [s for s in sentences(text) if n in _all_markers(s)]


# --- entry points -------------------------------------------------------------------
def _clean_history(history) -> list[str]:
    return [h for h in (history or ()) if h and h.strip()]


def _stream_llm(assistant, question: str, history, k: int, backend: str, doc_ids) -> Iterator[str | Answer]:
    from .llm import get_chat_model

    settings = assistant.settings
    question = validate_question(question, settings.max_question_chars)
    history = _clean_history(history)
    state: dict = {}
    pieces: list[str] = []
    try:
        llm = get_chat_model(settings, backend)
        chain = build_chain(assistant, llm, k=k, doc_ids=doc_ids)
        started = None
        for chunk in chain.stream({"question": question, "history": history}):
            for key, value in chunk.items():
                if key == "answer":
                    started = started or time.monotonic()
                    if time.monotonic() - started > settings.llm_timeout:  # a trickling stream
                        raise TimeoutError(f"answer not finished in {settings.llm_timeout:g} s")
                    if value:
                        pieces.append(value)
                        yield value
                elif key in ("standalone", "sources"):
                    state[key] = value
                    if key == "sources" and not value:
                        raise _NoSources()
        text = "".join(pieces)
        if not text.strip():
            raise ValueError("empty completion")
    except _NoSources:
        ans = answer_question(assistant, question, history=history, k=k, doc_ids=doc_ids)
    except Exception as exc:  # noqa: BLE001 — any model failure degrades to the extractive answer
        log.error("LLM backend %s failed (%s: %s); extractive fallback", backend, type(exc).__name__, exc)
        notice = ("语言模型返回了空回答，已改用原文摘录回答。" if isinstance(exc, ValueError)
                  and str(exc) == "empty completion" else failure_notice(exc, settings))
        ans = _fallback(assistant, question, history, k, doc_ids, notice)
    else:
        ans = finalize(assistant, question, state.get("standalone", question), state.get("sources", []), text,
                       backend, history, k, doc_ids)
    if not pieces:
        yield from _lines(ans)
    yield ans


class _NoSources(Exception):
    """Retrieval found nothing to give the model (empty index or document filter)."""


def _lines(ans: Answer) -> Iterator[str]:
    lines = ans.answer.split("\n")
    for i, line in enumerate(lines):
        yield line + ("\n" if i < len(lines) - 1 else "")


def stream_answer(assistant, question: str, history=(), k: int = 5, backend: str | None = None,
                  doc_ids=None) -> Iterator[str | Answer]:
    """Yield answer text pieces, then the final Answer object (always the last item).

    `backend` overrides ``settings.llm`` (none | openai).  Raises
    QuestionError (before yielding) for an empty or over-long question.
    """
    from .llm import LLMUnavailable, backend_of

    try:
        b = backend_of(assistant.settings, backend)
    except LLMUnavailable as exc:
        validate_question(question, assistant.settings.max_question_chars)
        ans = _fallback(assistant, question, history, k, doc_ids, failure_notice(exc))
        yield from _lines(ans)
        yield ans
        return
    if b == "none":
        ans = answer_question(assistant, question, history=history, k=k, doc_ids=doc_ids)
        yield from _lines(ans)
        yield ans
        return
    yield from _stream_llm(assistant, question, history, k, b, doc_ids)


def answer_with_llm(assistant, question: str, history=(), k: int = 5, backend: str | None = None,
                    doc_ids=None) -> Answer:
    """The final Answer of :func:`stream_answer` (the CLI and the evaluation use this)."""
    final = None
    for item in stream_answer(assistant, question, history=history, k=k, backend=backend, doc_ids=doc_ids):
        if isinstance(item, Answer):
            final = item
    return final
