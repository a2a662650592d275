"""End to end through the real local model: llama-cpp-python's OpenAI-compatible server on
127.0.0.1 serving the packaged Gemma 3 270M GGUF (`make llm-local`, which `make test` runs).

Gemma 3 270M is a small *base* model: these tests check the plumbing and the safety
contract (whatever it writes is gated; figures shown are traced or flagged; failures
fall back with a notice), not answer quality — that is measured by
`python -m assistant eval … --llm local` (README).
"""
from __future__ import annotations

import urllib.request

import pytest

from assistant.answer import Answer
from assistant.chain import stream_answer
from assistant.citations import verify
from assistant.gate import strip_markers
from assistant.llm import get_chat_model, local_available, local_server, stop_local_server
from assistant.numbers import unverified_numbers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(local_available()), reason=f"local model backend not installed: {local_available()}"),
]


@pytest.fixture(scope="module")
def local_assistant(assistant):
    old = assistant.settings
    assistant.settings = old.model_copy(update={"llm": "local", "llm_model": "", "llm_timeout": 120.0,
                                                "llm_retries": 0})
    yield assistant
    assistant.settings = old
    stop_local_server()


def test_local_server_speaks_openai_on_loopback(local_assistant):
    llm = get_chat_model(local_assistant.settings)
    server = local_server(local_assistant.settings)
    assert server.base_url.startswith("http://127.0.0.1:") and server.running()
    with urllib.request.urlopen(server.base_url + "/models", timeout=10) as r:
        assert b"gemma-3-270m" in r.read()
    reply = llm.invoke("请用一句话介绍你自己。")
    assert isinstance(reply.content, str) and reply.content.strip()


def test_local_answer_is_gated(local_assistant):
    items = list(stream_answer(local_assistant, "老旧小区改造涉及多少户？"))
    ans = items[-1]
    assert isinstance(ans, Answer) and all(isinstance(i, str) for i in items[:-1]) and len(items) > 1
    assert ans.mode in ("local", "extractive")
    if ans.mode == "extractive":  # the model's output was unusable: the user is told so
        assert ans.notice and "原文摘录" in ans.notice
    for c in ans.citations:
        assert verify(c, local_assistant.index.document(c.doc))
    shown = unverified_numbers(strip_markers(ans.answer), [c.quote for c in ans.citations])
    if not ans.abstained:  # every figure shown is traced to a cited span or flagged
        assert {q.text for q in shown} <= set(ans.unverified_numbers)
