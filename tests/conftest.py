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


def run_cli(args: list[str], env: dict, input: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run `python -m assistant ARGS` and capture its output."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, input=input,
                          capture_output=True, text=True, timeout=timeout)
