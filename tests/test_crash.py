"""Crash safety: `kill -9` the indexer at random moments, then the index must open, answer, and hold
each document wholly or not at all (chunk ids checked against the documents' content hashes).

The indexer runs as a real `python -m assistant` subprocess (docs add / docs remove / index --rebuild)
over a small corpus in a temp folder with the packaged embedding model; half of the kills land at a
uniformly random time, half right after a new build folder appears (mid-write).
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.config import Settings
from assistant.documents import content_hash
from assistant.embeddings import get_embeddings
from assistant.index import build_index, index_status, open_index, verify_index
from assistant.library import folder_documents

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["老旧小区", "口袋公园", "停车位", "菜市场", "绿道", "学校", "养老服务站", "充电桩", "排水管网", "社区食堂"]
KILLS = 10


def _text(i: int) -> str:
    t = TOPICS[i % len(TOPICS)]
    return (f"关于{t}建设的第{i}号通知\n一、总体要求。今年全区推进{t}建设{10 + i}个，覆盖街道{i + 3}个。\n"
            f"二、工作措施。各街道要在{i % 12 + 1}月底前完成{t}选址，投入资金{i + 2}亿元。\n"
            f"三、保障措施。建立{t}工作台账，每月通报进展，确保群众满意。\n")


def _check(s: Settings, all_texts: dict[str, str], emb) -> int:
    """The index opens, answers, and holds every listed document wholly; returns its document count."""
    from assistant.answer import answer_question
    from assistant.service import Assistant

    report = verify_index(s)  # raises IndexCorrupt when a document is partly present
    index = open_index(s, embeddings=emb)
    try:
        expected = 0
        for doc_id in index.documents():
            assert doc_id in all_texts, "the index holds a document that never existed"
            doc = index.document(doc_id)
            assert content_hash(doc.text) == doc_id and doc.text == all_texts[doc_id]
            want = {c.id for c in chunk_document(doc)}
            assert {c.id for c in index.chunks if c.doc_id == doc_id} == want
            expected += len(want)
        assert len(index.chunks) == expected == report["chunks"]
        assistant = Assistant(s, index=index)
        ans = answer_question(assistant, "今年全区推进老旧小区建设多少个？")
        assert ans.answer
        return len(index.documents())
    finally:
        index.close()


def _run_and_kill(args: list[str], env: dict, rng: random.Random, duration: float, index_dir: Path) -> bool:
    """Start the indexer and SIGKILL it; True when it was still running at the kill."""
    proc = subprocess.Popen([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    if rng.random() < 0.5:  # a uniformly random moment of the run
        deadline = t0 + rng.uniform(0.05, 1.0) * duration
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
    else:  # mid-write: right after a new build folder appears, plus jitter
        builds = index_dir / "builds"
        while proc.poll() is None and time.monotonic() - t0 < duration * 2:
            if builds.is_dir() and any(p.name.startswith(".tmp-") for p in builds.iterdir()):
                time.sleep(rng.uniform(0.0, 0.4))
                break
            time.sleep(0.005)
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return alive


@pytest.mark.slow
def test_kill_9_at_random_moments_never_breaks_the_index(tmp_path):
    rng = random.Random(20240607)
    docs, inbox = tmp_path / "docs", tmp_path / "inbox"
    docs.mkdir()
    inbox.mkdir()
    all_texts: dict[str, str] = {}
    for i in range(4):
        (docs / f"doc{i}.txt").write_text(_text(i), encoding="utf-8")
        all_texts[content_hash(_text(i))] = _text(i)
    for i in range(4, 4 + 2 * KILLS):
        (inbox / f"new{i}.txt").write_text(_text(i), encoding="utf-8")
        all_texts[content_hash(_text(i))] = _text(i)
    s = Settings(docs_dir=docs, index_dir=tmp_path / "index", allowed_dirs=str(inbox), llm="none")
    emb = get_embeddings(s.embed_model)
    build_index(s, progress=False, embeddings=emb)
    env = dict(os.environ, ASSISTANT_DOCS_DIR=str(docs), ASSISTANT_INDEX_DIR=str(s.index_dir),
               ASSISTANT_ALLOWED_DIRS=str(inbox), ASSISTANT_LLM="none", PYTHONPATH=str(ROOT))

    t0 = time.monotonic()  # how long one complete indexer run takes here
    done = subprocess.run([sys.executable, "-m", "assistant", "index", "--rebuild", "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    duration = time.monotonic() - t0

    kills, attempts, next_new = 0, 0, 4
    while kills < KILLS and attempts < 3 * KILLS:
        attempts += 1
        op = rng.choice(["add", "add", "remove", "rebuild"])
        if op == "add":
            args = ["docs", "add", str(inbox / f"new{next_new}.txt"), "--quiet"]
            next_new = min(next_new + 1, 3 + 2 * KILLS)
        elif op == "remove":
            present = [d.id for _p, d in folder_documents(s)[0]]
            args = ["docs", "remove", rng.choice(present), "--quiet"] if len(present) > 2 else ["index", "--quiet"]
        else:
            args = ["index", "--rebuild", "--quiet"]
        kills += _run_and_kill(args, env, rng, duration, s.index_dir)
        assert _check(s, all_texts, emb) >= 1
    assert kills >= 10, f"only {kills} of {attempts} runs were still running when killed"

    # afterwards a normal run brings the index in line with the docs folder again
    done = subprocess.run([sys.executable, "-m", "assistant", "index", "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert index_status(s) == "ok"
    in_folder = {d.id for _p, d in folder_documents(s)[0]}
    index = open_index(s, embeddings=emb)
    assert set(index.documents()) == in_folder
    index.close()
    _check(s, all_texts, emb)
    leftovers = [p.name for p in (s.index_dir / "builds").iterdir()]
    assert len(leftovers) <= 2 and not any(n.startswith(".tmp-") for n in leftovers)
