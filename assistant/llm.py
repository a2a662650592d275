"""Language-model backends: which chat model answers (``ASSISTANT_LLM``).

* ``none`` (default) — no model; answers are extractive and nothing touches the network;
* ``openai`` — LangChain's ``ChatOpenAI`` against any OpenAI-compatible endpoint
  (``ASSISTANT_LLM_BASE_URL`` / ``_MODEL`` / ``_API_KEY``; Ollama, vLLM, DeepSeek,
  Qwen, GLM, OpenAI …), with ``ASSISTANT_LLM_TIMEOUT`` and ``ASSISTANT_LLM_RETRIES``;
  A model on this machine is served the same way: Ollama (``http://127.0.0.1:11434/v1``),
  vLLM (``http://127.0.0.1:8000/v1``) or llama.cpp's ``llama-server``
  (``http://127.0.0.1:8080/v1``), see README "接入常见服务".

(The bundled Gemma 3 270M backend, ``local``, was removed: it never produced an answer
that passed the gate, 0/25 on the dev set, and its llama-cpp build took most of a fresh
install.)
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

BACKENDS = ("none", "openai")


class LLMUnavailable(RuntimeError):
    """The chosen backend cannot be used (message is for the user, in Chinese)."""


def backend_of(settings, backend: str | None = None) -> str:
    """The effective backend: the per-call override, else ``settings.llm``."""
    b = (backend or settings.llm or "none").strip().lower()
    if b not in BACKENDS:
        hint = "（local 已移除：请用 openai 指向本机的 Ollama、vLLM 或 llama.cpp 服务）" if b == "local" else ""
        raise LLMUnavailable(f"未知的语言模型后端“{b}”：可选 none、openai。{hint}")
    return b


def get_chat_model(settings, backend: str | None = None):
    """A LangChain chat model for the backend, or None for ``none``."""
    b = backend_of(settings, backend)
    if b == "none":
        return None
    from langchain_openai import ChatOpenAI

    if not settings.llm_model:
        raise LLMUnavailable("未设置 ASSISTANT_LLM_MODEL（模型名称），无法使用语言模型。")
    kwargs = {}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    return ChatOpenAI(model=settings.llm_model, api_key=settings.llm_api_key or "not-needed",
                      timeout=settings.llm_timeout, max_retries=settings.llm_retries, temperature=0,
                      **kwargs)


def describe(settings, backend: str | None = None) -> str:
    """Where answers come from, for logs and notices (never shows the API key)."""
    b = backend_of(settings, backend)
    if b == "openai":
        return f"{settings.llm_model} @ {settings.llm_base_url or 'api.openai.com'}"
    return "extractive"
