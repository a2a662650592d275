"""Shared fixtures: a real index of docs/ built once per test session in a temp folder.

Everything is real: the packaged embedding model, an embedded Chroma PersistentClient.
Tests that run the CLI in a subprocess get the same index through ASSISTANT_INDEX_DIR.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# server-mode lexical caches (assistant.index.ServerStore) go to a temp folder, not ~/.cache
os.environ.setdefault("ASSISTANT_CACHE_DIR", tempfile.mkdtemp(prefix="assistant-cache-"))

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SPEECH = DOCS / "speech-2022-district-cadre-conference.txt"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def settings(index_dir, tmp_path_factory):
    from assistant.config import Settings
    from assistant.index import build_index

    s = Settings(index_dir=index_dir, docs_dir=DOCS, feedback_file=tmp_path_factory.mktemp("fb") / "feedback.jsonl",
                 llm="none")
    build_index(s, progress=False)
    return s


@pytest.fixture(scope="session")
def assistant(settings):
    from assistant.service import Assistant

    return Assistant(settings)


@pytest.fixture(scope="session")
def speech_text() -> str:
    return SPEECH.read_text(encoding="utf-8")


@pytest.fixture
def cli_env(index_dir, settings):
    """Environment for `python -m assistant` subprocesses that use the session index."""
    env = dict(os.environ)
    env.update({"ASSISTANT_INDEX_DIR": str(index_dir), "ASSISTANT_DOCS_DIR": str(DOCS), "ASSISTANT_LLM": "none",
                "PYTHONPATH": str(ROOT)})
    return env


def run_cli(args: list[str], env: dict, input: str | None = None, timeout: int = 300,
            subprocess_: bool = False) -> subprocess.CompletedProcess:
    """Run the CLI with ARGS and capture its output, as `python -m assistant ARGS` would.

    The real :func:`assistant.cli.main` runs in this process, with `env` as the whole
    environment, fresh settings, and its own stdin/stdout/stderr; an import-heavy
    interpreter start per call is what made the suite slow.  `subprocess_=True` runs a real
    `python -m assistant` (tests of the entry point itself keep that).
    """
    if subprocess_:
        return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, input=input,
                              capture_output=True, text=True, timeout=timeout)
    import io
    import logging

    import jieba

    from assistant import cli, lexical
    from assistant.config import reset_settings

    jieba.dt.check_initialized()  # an index teaches jieba its documents' terms: undone after the run,
    saved_words, saved_total = dict(jieba.dt.FREQ), jieba.dt.total  # as a process of its own would

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    root = logging.getLogger()
    saved_handlers = root.handlers[:]
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(env)
    reset_settings()
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(input or ""), out, err
    root.handlers = []  # main() configures logging to its own stderr, as a new process would
    try:
        os.chdir(ROOT)
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse errors and --help
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        root.handlers = saved_handlers
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        reset_settings()
        jieba.dt.FREQ.clear()
        jieba.dt.FREQ.update(saved_words)
        jieba.dt.total = saved_total
        lexical._cut.cache_clear()
    return subprocess.CompletedProcess(["python", "-m", "assistant", *args], code or 0, out.getvalue(),
                                       err.getvalue())
