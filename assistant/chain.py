"""Answer pipelines shared by the CLI and the UI, with streaming.

:func:`stream_answer` is the one entry point the UI uses: it yields text pieces as
they become available and, last, the final :class:`~assistant.answer.Answer`
(verified).  In the default extractive mode the pieces are the answer's lines.
"""
from __future__ import annotations

from collections.abc import Iterator

from .answer import Answer, answer_question


def stream_answer(assistant, question: str, history=(), k: int = 5, backend: str | None = None,
                  doc_ids=None) -> Iterator[str | Answer]:
    """Yield answer text pieces, then the final Answer object (always the last item)."""
    ans = answer_question(assistant, question, history=history, k=k, doc_ids=doc_ids)
    lines = ans.answer.split("\n")
    for i, line in enumerate(lines):
        yield line + ("\n" if i < len(lines) - 1 else "")
    yield ans
