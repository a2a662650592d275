"""The Chroma index: idempotent, atomic builds with a manifest.

Layout of ``ASSISTANT_INDEX_DIR`` (embedded mode)::

    index/
      current -> builds/<build-id>      symlink, swapped atomically (os.replace)
      builds/<build-id>/                a complete Chroma PersistentClient folder
        manifest.json                   model, chunker, documents and their hashes

A build is written into a fresh folder and only becomes ``current`` when it is
complete, so a crash at any moment leaves the previous index intact.  Chunk ids
are content hashes: a build whose manifest equals the current one does nothing
(0 chunks added), and embeddings of unchanged chunks are copied from the
previous build instead of being recomputed.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .chunking import CHUNKER_VERSION, DEFAULT_TARGET, Chunk, chunk_corpus
from .config import Settings, get_settings
from .documents import Document, load_corpus

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
BATCH = 64


class IndexError_(RuntimeError):
    """Base class of index problems (messages are for users)."""


class IndexMissing(IndexError_):
    """No index has been built yet."""


class IndexCorrupt(IndexError_):
    """The index folder exists but cannot be used."""


@dataclass
class BuildReport:
    """What a build did."""

    added: int = 0  # chunks embedded now
    reused: int = 0  # chunks whose embeddings were copied from the previous build
    removed: int = 0  # chunks of the previous build that are gone
    total: int = 0
    changed: bool = False
    seconds: float = 0.0
    build_id: str = ""
    documents: list[str] = field(default_factory=list)


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def _client(path: Path):
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def _release(client) -> None:
    """Let go of a PersistentClient's files (so the folder can be moved or deleted)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    except Exception:  # pragma: no cover - best effort across chromadb versions
        pass


def desired_manifest(docs: list[Document], model_name: str, target: int = DEFAULT_TARGET) -> dict:
    """What an up-to-date index must record."""
    return {
        "model": model_name,
        "chunker": CHUNKER_VERSION,
        "chunk_target": target,
        "documents": {
            d.id: {"source": d.source, "title": d.title, "chars": len(d.text), "metadata": d.metadata}
            for d in docs
        },
    }


def _same(a: dict, b: dict) -> bool:
    keys = ("model", "chunker", "chunk_target")
    return all(a.get(k) == b.get(k) for k in keys) and set(a.get("documents", {})) == set(b.get("documents", {}))


class Index:
    """An opened build: its chunks, manifest and the LangChain Chroma vector store."""

    def __init__(self, path: Path, settings: Settings, embeddings=None):
        self.path = path
        self.settings = settings
        try:
            self.manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"索引清单缺失或损坏（{path}）：请运行 python -m assistant index --rebuild") from exc
        try:
            self.client = _client(path)
            self.collection = self.client.get_collection(settings.collection)
            got = self.collection.get(include=["documents", "metadatas"])
        except Exception as exc:
            raise IndexCorrupt(f"索引无法打开（{exc.__class__.__name__}: {exc}）：请运行 python -m assistant index --rebuild") from exc
        self.chunks = sorted(
            (_chunk_from(doc, meta) for doc, meta in zip(got["documents"], got["metadatas"])),
            key=lambda c: (c.doc_id, c.start),
        )
        if len(self.chunks) != self.manifest.get("total_chunks", len(self.chunks)):
            raise IndexCorrupt("索引不完整（分块数与清单不符）：请运行 python -m assistant index --rebuild")
        self._embeddings = embeddings
        self._store = None
        self._docs: dict[str, Document] = {}

    @property
    def embeddings(self):
        if self._embeddings is None:
            from .embeddings import get_embeddings

            self._embeddings = get_embeddings(self.settings.embed_model)
        return self._embeddings

    @property
    def store(self):
        """langchain_chroma.Chroma over this build's collection."""
        if self._store is None:
            from langchain_chroma import Chroma

            self._store = Chroma(
                client=self.client,
                collection_name=self.settings.collection,
                embedding_function=self.embeddings,
            )
        return self._store

    def dense_search(self, query: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks."""
        vector = self.embeddings.embed_query(query)
        return self.dense_search_vector(vector, k, where)

    def dense_search_vector(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        res = self.collection.query(query_embeddings=[vector], n_results=min(k, len(self.chunks)) or 1,
                                    where=where, include=["distances"])
        return [(cid, 1.0 - dist) for cid, dist in zip(res["ids"][0], res["distances"][0])]

    def documents(self) -> dict[str, dict]:
        """Manifest entries of the indexed documents, by document id."""
        return self.manifest.get("documents", {})

    def document(self, doc_id: str) -> Document:
        """The indexed text of a document (snapshot taken at build time)."""
        if doc_id not in self._docs:
            info = self.documents().get(doc_id)
            if info is None:
                raise KeyError(f"文档不在索引中：{doc_id}")
            text = (self.path / "docs" / f"{doc_id}.txt").read_bytes().decode("utf-8")
            self._docs[doc_id] = Document(id=doc_id, title=info["title"], text=text,
                                          source=info.get("source", ""), metadata=info.get("metadata", {}))
        return self._docs[doc_id]

    def all_documents(self) -> list[Document]:
        return [self.document(i) for i in self.documents()]

    def close(self) -> None:
        _release(self.client)


def _chunk_from(text: str, meta: dict) -> Chunk:
    return Chunk(
        id=meta["id"], doc_id=meta["doc_id"], title=meta["title"], paragraph=int(meta["paragraph"]),
        start=int(meta["start"]), end=int(meta["end"]), text=text, section=meta.get("section", ""),
        parent_start=int(meta["parent_start"]), parent_end=int(meta["parent_end"]),
    )


def current_build(settings: Settings | None = None) -> Path | None:
    """Folder of the current build, or None when no index has been built."""
    settings = settings or get_settings()
    link = settings.index_dir / "current"
    if not link.exists() and not link.is_symlink():
        return None
    if link.is_symlink() and not link.exists():
        raise IndexCorrupt(f"索引指针指向不存在的目录（{os.readlink(link)}）：请运行 python -m assistant index --rebuild")
    return link.resolve()


def open_index(settings: Settings | None = None, embeddings=None) -> Index:
    """Open the current build (raises IndexMissing / IndexCorrupt with a clear message)."""
    settings = settings or get_settings()
    path = current_build(settings)
    if path is None:
        raise IndexMissing(f"索引尚未建立（{settings.index_dir}）：请运行 python -m assistant index")
    return Index(path, settings, embeddings)


def index_status(settings: Settings | None = None, docs: list[Document] | None = None) -> str:
    """'missing', 'corrupt', 'stale' or 'ok'."""
    settings = settings or get_settings()
    try:
        path = current_build(settings)
        if path is None:
            return "missing"
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (IndexCorrupt, OSError, ValueError):
        return "corrupt"
    from .embeddings import resolve_model

    docs = load_corpus(settings.docs_dir) if docs is None else docs
    want = desired_manifest(docs, resolve_model(settings.embed_model).name)
    return "ok" if _same(manifest, want) else "stale"


def _old_embeddings(settings: Settings, model: str) -> dict[str, list[float]]:
    """Embeddings of the current build keyed by chunk id (when it used the same model)."""
    try:
        path = current_build(settings)
        if path is None:
            return {}
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("model") != model:
            return {}
        client = _client(path)
        got = client.get_collection(settings.collection).get(include=["embeddings"])
        out = {cid: list(vec) for cid, vec in zip(got["ids"], got["embeddings"])}
        _release(client)
        return out
    except Exception as exc:  # a corrupt previous build just means: embed everything
        log.warning("previous build unreadable, embedding everything: %s", exc)
        return {}


def build_index(
    settings: Settings | None = None,
    docs: list[Document] | None = None,
    rebuild: bool = False,
    progress: bool = True,
    embeddings=None,
) -> BuildReport:
    """Bring the index up to date with the documents; atomic and idempotent."""
    from .embeddings import get_embeddings, resolve_model

    settings = settings or get_settings()
    t0 = time.perf_counter()
    docs = load_corpus(settings.docs_dir) if docs is None else docs
    model = resolve_model(settings.embed_model).name
    want = desired_manifest(docs, model)
    report = BuildReport(documents=[d.source for d in docs])

    if not rebuild:
        try:
            path = current_build(settings)
            if path is not None:
                have = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
                if _same(have, want):
                    report.total = have.get("total_chunks", 0)
                    report.build_id = path.name
                    report.seconds = time.perf_counter() - t0
                    return report
        except (IndexCorrupt, OSError, ValueError):
            pass  # fall through: build afresh

    chunks = chunk_corpus(docs)
    old = {} if rebuild else _old_embeddings(settings, model)
    embeddings = embeddings or get_embeddings(settings.embed_model)
    todo = [c for c in chunks if c.id not in old]
    vectors: dict[str, list[float]] = {c.id: old[c.id] for c in chunks if c.id in old}
    bar = _progress(len(todo), progress)
    for i in range(0, len(todo), BATCH):
        batch = todo[i : i + BATCH]
        for c, v in zip(batch, embeddings.embed_documents([c.index_text() for c in batch])):
            vectors[c.id] = v
        bar.update(len(batch))
    bar.close()

    builds = settings.index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    tmp = builds / f".tmp-{uuid.uuid4().hex[:8]}"
    client = _client(tmp)
    col = client.create_collection(settings.collection, metadata={"hnsw:space": "cosine"})
    for i in range(0, len(chunks), 256):
        batch = chunks[i : i + 256]
        col.add(
            ids=[c.id for c in batch],
            documents=[c.text for c in batch],
            metadatas=[c.metadata() for c in batch],
            embeddings=[vectors[c.id] for c in batch],
        )
    _release(client)
    snap = tmp / "docs"
    snap.mkdir()
    for d in docs:  # the exact texts indexed: citations are checked against these
        (snap / f"{d.id}.txt").write_text(d.text, encoding="utf-8", newline="")
    want["total_chunks"] = len(chunks)
    want["built_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    (tmp / MANIFEST).write_text(json.dumps(want, ensure_ascii=False, indent=2), encoding="utf-8")
    _fsync_dir(tmp)

    build_id = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    final = builds / build_id
    os.rename(tmp, final)
    previous = None
    try:
        previous = current_build(settings)
    except IndexCorrupt:
        pass
    _swap_current(settings.index_dir, final)
    _cleanup(builds, keep={final.name})

    report.added = len(todo)
    report.reused = len(chunks) - len(todo)
    report.removed = len(set(old) - {c.id for c in chunks}) if old else 0
    report.total = len(chunks)
    report.changed = True
    report.build_id = build_id
    report.seconds = time.perf_counter() - t0
    log.info("index built: %s (previous %s)", build_id, previous.name if previous else None)
    return report


def _swap_current(index_dir: Path, target: Path) -> None:
    """Atomically point ``index_dir/current`` at `target` (relative symlink + os.replace)."""
    tmp_link = index_dir / f".current-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(target, index_dir), tmp_link)
    os.replace(tmp_link, index_dir / "current")
    _fsync_dir(index_dir)


def _cleanup(builds: Path, keep: set[str]) -> None:
    for p in builds.iterdir():
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # pragma: no cover
        pass


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="向量化", unit="块", file=__import__("sys").stderr)
