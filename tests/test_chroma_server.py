"""Chroma server mode: a real `chroma run --host 127.0.0.1` on a free port, the same index and
retrieval behaviour as the embedded mode (versioned collections + pointer record), incremental
add/remove, a second app instance sharing the server, and clear messages when the server is down.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.index import IndexError_, IndexMissing, build_index, index_status, open_index, verify_index
from assistant.library import add_files, list_documents, remove_document
from tests.conftest import run_cli
from tests.test_library import NOTICE, PLAN, REPORT

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    exe = str(CHROMA) if CHROMA.exists() else shutil.which("chroma")
    assert exe, "the chroma CLI comes with the chromadb package"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, "chroma run exited"
                assert time.monotonic() < deadline, "chroma server did not start"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def emb():
    return get_embeddings("auto")


def _kb(tmp_path: Path, url: str, collection: str) -> tuple[Settings, Path]:
    docs, inbox = tmp_path / "docs", tmp_path / "inbox"
    docs.mkdir()
    inbox.mkdir()
    for name, text in [("plan.txt", PLAN), ("report.txt", REPORT)]:
        (docs / name).write_text(text, encoding="utf-8")
    (inbox / "notice.txt").write_text(NOTICE, encoding="utf-8")
    return Settings(docs_dir=docs, index_dir=tmp_path / "unused-index", chroma_url=url, collection=collection,
                    allowed_dirs=str(inbox), llm="none"), inbox


def test_server_index_behaves_like_the_embedded_one(tmp_path, chroma_url, emb):
    s, _inbox = _kb(tmp_path, chroma_url, "same")
    local = Settings(docs_dir=s.docs_dir, index_dir=tmp_path / "local-index", llm="none")
    assert index_status(s) == "missing"
    with pytest.raises(IndexMissing):
        open_index(s)
    first = build_index(s, progress=False, embeddings=emb)
    build_index(local, progress=False, embeddings=emb)
    assert first.changed and first.added == first.total > 0
    assert index_status(s) == "ok"
    assert not build_index(s, progress=False, embeddings=emb).changed  # idempotent
    assert not s.index_dir.exists()  # nothing written locally in server mode

    remote, here = open_index(s, embeddings=emb), open_index(local, embeddings=emb)
    assert remote.path is None and remote.build == first.build_id
    assert [c.id for c in remote.chunks] == [c.id for c in here.chunks]
    assert remote.documents().keys() == here.documents().keys()
    for doc_id in here.documents():
        assert remote.document(doc_id).text == here.document(doc_id).text
    for q in ["新增停车位多少个", "就业岗位", "绿道建设目标"]:
        assert [cid for cid, _ in remote.dense_search(q, 3)] == [cid for cid, _ in here.dense_search(q, 3)]
    plan_id = next(i for i, d in here.documents().items() if d["source"] == "plan.txt")
    where = {"doc_id": {"$in": [plan_id]}}
    assert {remote.chunks[[c.id for c in remote.chunks].index(cid)].doc_id
            for cid, _ in remote.dense_search("就业岗位", 10, where)} == {plan_id}
    assert verify_index(s)["documents"] == 2
    remote.close()
    here.close()


def test_server_answers_and_manages_documents_incrementally(tmp_path, chroma_url, emb):
    from assistant.answer import answer_question
    from assistant.service import Assistant

    s, inbox = _kb(tmp_path, chroma_url, "managed")
    base = build_index(s, progress=False, embeddings=emb)
    a = Assistant(s)
    ans = answer_question(a, "每年新增停车位多少个？")
    assert "2000" in ans.answer and ans.citations[0].title == "市级城市更新规划"

    added = add_files(s, [inbox / "notice.txt"], embeddings=emb)
    assert added.results[0].status == "added"
    assert added.build.reused == base.total and added.build.added == added.build.total - base.total
    again = add_files(s, [inbox / "notice.txt"], embeddings=emb)
    assert again.results[0].status == "duplicate" and again.build is None

    # a second app instance pointed at the same server sees the same index
    other = Settings(docs_dir=tmp_path / "elsewhere", index_dir=tmp_path / "other-index", chroma_url=chroma_url,
                     collection="managed", llm="none")
    b = Assistant(other)
    notice_id = added.results[0].doc_id
    ans = answer_question(b, "安全生产大检查覆盖企业多少家？", doc_ids=[notice_id])
    assert "300" in ans.answer and all(c.title == "省级通知" for c in ans.citations)

    n_notice = next(d.chunks for d in list_documents(s) if d.id == notice_id)
    removed = remove_document(s, notice_id, embeddings=emb)
    assert removed.build.removed == n_notice and removed.build.total == base.total
    a.reload()
    assert notice_id not in a.index.documents()
    assert verify_index(s)["documents"] == 2

    # old builds are cleaned up: only the current and the previous build stay on the server
    import chromadb

    host, port = chroma_url.rsplit(":", 1)
    client = chromadb.HttpClient(host=host.split("//")[1], port=int(port))
    names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
    assert len([n for n in names if n.startswith("managed-b-")]) <= 2
    assert "managed-ptr" in names


def test_server_mode_through_the_cli(tmp_path, chroma_url):
    s, inbox = _kb(tmp_path, chroma_url, "cli")
    env = dict(os.environ, ASSISTANT_DOCS_DIR=str(s.docs_dir), ASSISTANT_INDEX_DIR=str(s.index_dir),
               ASSISTANT_CHROMA_URL=chroma_url, ASSISTANT_COLLECTION="cli", ASSISTANT_ALLOWED_DIRS=str(inbox),
               ASSISTANT_LLM="none", PYTHONPATH=str(Path(__file__).parents[1]))
    out = run_cli(["index", "--quiet"], env)
    assert out.returncode == 0 and "索引已更新" in out.stdout, out.stderr
    out = run_cli(["ask", "到2025年建成绿道多少公里？", "--json"], env)
    assert out.returncode == 0 and "50" in out.stdout, out.stderr


def test_server_down_gives_a_clear_message(tmp_path):
    s, _ = _kb(tmp_path, f"http://127.0.0.1:{_free_port()}", "down")
    with pytest.raises(IndexError_, match="Chroma 服务器"):
        open_index(s)
    env = dict(os.environ, ASSISTANT_DOCS_DIR=str(s.docs_dir), ASSISTANT_CHROMA_URL=s.chroma_url,
               ASSISTANT_LLM="none", PYTHONPATH=str(Path(__file__).parents[1]))
    out = run_cli(["ask", "绿道多少公里？"], env)
    assert out.returncode == 2 and "Chroma 服务器" in out.stderr and "Traceback" not in out.stderr


def test_server_build_lexical_index_is_built_once_and_cached(tmp_path, chroma_url, emb, monkeypatch):
    """Server mode: the building process caches the build's lexical index; another machine (an
    empty cache) builds it once from the chunks and then loads it; a new build gets a new one."""
    from assistant.lexical import BM25Index

    s, _inbox = _kb(tmp_path, chroma_url, "lexcache")
    s = s.model_copy(update={"cache_dir": tmp_path / "cache-a"})
    first = build_index(s, progress=False, embeddings=emb)
    store_dir = next((tmp_path / "cache-a" / "lexical").iterdir())
    assert (store_dir / first.build_id / "lexical" / "lexical.json").is_file()
    other = s.model_copy(update={"cache_dir": tmp_path / "cache-b"})
    built = []
    real = BM25Index._build
    monkeypatch.setattr(BM25Index, "_build", lambda self, texts, tokens=None: built.append(1) or real(self, texts, tokens))
    for settings in (s, other, other):
        index = open_index(settings, embeddings=emb)
        assert index.lexical().n == len(index.chunks) > 0
        assert index.lexical().scores(["§停车"]).max() > 0
    assert built == [1]  # once, for the empty cache; then loaded
    (s.docs_dir / "extra.txt").write_text("新建社区食堂12个，服务老年人。\n", encoding="utf-8")
    second = build_index(s, progress=False, embeddings=emb)
    assert second.build_id != first.build_id
    index = open_index(s, embeddings=emb)
    assert index.lexical().n == len(index.chunks) == second.total
