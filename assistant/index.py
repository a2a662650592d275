"""The Chroma index: idempotent, atomic, incremental builds with a manifest.

Two storage modes with identical behaviour:

**Embedded** (default, ``ASSISTANT_INDEX_DIR``)::

    index/
      current -> builds/<build-id>      symlink, swapped atomically (os.replace)
      builds/<build-id>/                a complete Chroma PersistentClient folder
        manifest.json                   model, chunker, documents, their hashes and chunk counts,
                                        the lexical index's files and sizes
        docs/<doc-id>.txt               the exact texts that were indexed
        lexical/                        the BM25 index (bm25s score matrix, vocabulary, idf)
        chunks.json                     every chunk's text and metadata (opening reads this file,
                                        not 46,000 records out of Chroma; size in the manifest)
      .lock                             flock held while a build runs

**Server** (``ASSISTANT_CHROMA_URL=http://host:port``, Chroma's HttpClient).
There is no folder to swap, so a build is a set of versioned collections and a
pointer record::

    <collection>-b-<build-id>           the chunks (with embeddings)
    <collection>-m-<build-id>           "manifest" record + "doc:<id>:<part>" texts
    <collection>-ptr                    one record "current": which build is live

The lexical (BM25) index of a server build is kept in a local cache,
``cache_dir/lexical/<host>-<port>-<collection>/<build-id>/`` (``ASSISTANT_CACHE_DIR``):
written by the process that builds, and built once (then cached) by any other
process that opens the build; build ids are unique, so a cached index never
belongs to another build.

A build is written completely (manifest last) before the pointer moves, so a
crash at any moment leaves the previous index intact and every document of the
live build wholly present.  Chunk ids are content hashes: a build whose
manifest equals the current one does nothing, and embeddings of unchanged
chunks are copied from the previous build, so adding or removing one document
embeds only that document's new chunks.  The build before the current one is
kept (processes that still have it open keep working until they reload).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .chunking import CHUNKER_VERSION, DEFAULT_TARGET, Chunk, chunk_corpus
from .config import Settings, get_settings
from .documents import Document, content_hash
from .lexical import LEXICAL_VERSION, BM25Index, LexicalMismatch

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
BATCH = 32  # texts per embedding call: either engine spreads a batch over all cores
WRITE_BATCH = 256
# Chroma's HNSW graph, built with one thread: the same chunks always give the same graph, so the
# same question gets the same neighbours in every process (with the default of one thread per
# core, a graph Chroma rebuilds on load differs between processes and near-ties at the edge of
# the candidate list flip); a wide search keeps the approximate neighbours the exact ones.
EXACT_SEARCH_MAX = 200_000  # up to this many chunks, dense search is exact (numpy), beyond it Chroma's HNSW
HNSW_CONFIG = {"hnsw": {"space": "cosine", "num_threads": 1, "ef_search": 200, "ef_construction": 200}}
PAGE = 5000
DOC_PART = 200_000  # characters per stored text record in server mode
REBUILD_HINT = "请运行 python -m assistant index --rebuild"
LEXICAL_DIR = "lexical"
CHUNKS_FILE = "chunks.json"


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
    """Close a Chroma client (its files may then be moved or deleted)."""
    if client is None:
        return
    try:
        client.close()
    except Exception:  # pragma: no cover - best effort across chromadb versions
        pass


def _new_build_id() -> str:
    """A build name that sorts by creation time, even for builds made within the same second.

    Cleanup relies on this order ("never delete a build newer than mine"), so the sub-second
    part is zero-padded nanoseconds; the random tail only separates truly simultaneous builds.
    """
    ns = time.time_ns()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(ns // 1_000_000_000))
    return f"{stamp}-{ns % 1_000_000_000:09d}-{uuid.uuid4().hex[:4]}"


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


def _doc_key(info: dict) -> str:
    return json.dumps([info.get("source"), info.get("title"), info.get("metadata", {})], ensure_ascii=False,
                      sort_keys=True, default=str)


def _same(a: dict, b: dict, server: bool = False) -> bool:
    """Does the built manifest `a` already hold what `b` asks for?  A local build made before
    the lexical index and chunks file were stored counts as out of date (rebuilt once, reusing
    every embedding)."""
    if not server and "chunks_file" not in a:
        return False
    keys = ("model", "chunker", "chunk_target")
    if not all(a.get(k) == b.get(k) for k in keys):
        return False
    if (a.get("lexical") or {}).get("version") != LEXICAL_VERSION:
        return False  # built before the persisted lexical index (or with another tokenizer): rebuild once
    da, db = a.get("documents", {}), b.get("documents", {})
    return set(da) == set(db) and all(_doc_key(da[i]) == _doc_key(db[i]) for i in da)


def _get_all(collection, include: list[str]) -> dict:
    """collection.get() in pages (large indexes, server request limits)."""
    out: dict = {"ids": []}
    for key in include:
        out[key] = []
    offset = 0
    while True:
        got = collection.get(include=include, limit=PAGE, offset=offset)
        out["ids"].extend(got["ids"])
        for key in include:
            out[key].extend(list(got[key]) if got[key] is not None else [])
        if len(got["ids"]) < PAGE:
            return out
        offset += PAGE


# --- storage backends ---------------------------------------------------------
class LocalStore:
    """Builds as folders under ``index_dir/builds`` and a ``current`` symlink."""

    server = False

    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = Path(settings.index_dir)
        self.builds = self.root / "builds"

    def where(self) -> str:
        return str(self.root)

    # reading
    def current(self) -> str | None:
        link = self.root / "current"
        if not link.exists() and not link.is_symlink():
            return None
        if link.is_symlink() and not link.exists():
            raise IndexCorrupt(f"索引指针指向不存在的目录（{os.readlink(link)}）：{REBUILD_HINT}")
        if not link.is_dir():
            raise IndexCorrupt(f"索引指针不是目录（{link}）：{REBUILD_HINT}")
        return link.resolve().name

    def path(self, build: str) -> Path:
        link = self.root / "current"
        if link.is_symlink() or not link.exists():
            return self.builds / build
        return link.resolve()  # a plain folder called current (older layouts)

    def manifest(self, build: str) -> dict:
        return json.loads((self.path(build) / MANIFEST).read_text(encoding="utf-8"))

    def client(self, build: str):
        return _client(self.path(build))

    def collection_name(self, build: str) -> str:
        return self.settings.collection

    def read_doc(self, client, build: str, doc_id: str) -> str:
        return (self.path(build) / "docs" / f"{doc_id}.txt").read_bytes().decode("utf-8")

    def read_chunks(self, build: str, manifest: dict, collection) -> dict | None:
        """The build's chunks from its chunks.json (None: an older build without one, read Chroma)."""
        entry = manifest.get("chunks_file")
        if not entry:
            return None
        path = self.path(build) / entry["path"]
        if not path.is_file() or path.stat().st_size != entry.get("size"):
            raise IndexCorrupt(f"索引的分块文件缺失或不完整：{REBUILD_HINT}")
        got = json.loads(path.read_text(encoding="utf-8"))
        if collection.count() != len(got["documents"]):  # Chroma must hold the same chunks
            raise IndexCorrupt(f"索引不完整（向量库与分块文件不符）：{REBUILD_HINT}")
        return got

    def check_docs(self, client, build: str, doc_ids) -> list[str]:
        folder = self.path(build) / "docs"
        return [d for d in doc_ids if not (folder / f"{d}.txt").is_file()]

    # writing
    @contextlib.contextmanager
    def lock(self):
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def lexical_dir(self, build: str) -> Path:
        return self.path(build) / LEXICAL_DIR

    def write(self, build: str, chunks: list[Chunk], vectors: dict, docs: list[Document], manifest: dict,
              lexical: BM25Index | None = None) -> None:
        if self.builds.exists() and not self.builds.is_dir():
            self.builds.unlink()
        self.builds.mkdir(parents=True, exist_ok=True)
        tmp = self.builds / f".tmp-{build}"
        client = _client(tmp)
        try:
            col = client.create_collection(self.settings.collection, configuration=HNSW_CONFIG)
            _add_chunks(col, chunks, vectors)
        finally:
            _release(client)
        snap = tmp / "docs"
        snap.mkdir()
        for d in docs:  # the exact texts indexed: citations are checked against these
            (snap / f"{d.id}.txt").write_text(d.text, encoding="utf-8", newline="")
        if lexical is not None:  # inside the build folder: swapped in with it, listed in its manifest
            manifest["lexical"] = lexical.save(tmp / LEXICAL_DIR)
        ordered = sorted(chunks, key=lambda c: (c.doc_id, c.start))
        data = json.dumps({"documents": [c.text for c in ordered], "metadatas": [c.metadata() for c in ordered]},
                          ensure_ascii=False)
        (tmp / CHUNKS_FILE).write_text(data, encoding="utf-8")
        manifest["chunks_file"] = {"path": CHUNKS_FILE, "size": (tmp / CHUNKS_FILE).stat().st_size}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _fsync_tree(tmp)
        os.rename(tmp, self.builds / build)
        _fsync_dir(self.builds)

    def publish(self, build: str) -> None:
        """Atomically point ``current`` at the build (relative symlink + os.replace)."""
        link = self.root / "current"
        if link.exists() and not link.is_symlink():  # a plain folder: move it out of the way
            os.rename(link, self.builds / f".broken-{uuid.uuid4().hex[:6]}")
        tmp_link = self.root / f".current-{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(self.builds / build, self.root), tmp_link)
        os.replace(tmp_link, link)
        _fsync_dir(self.root)

    def cleanup(self, keep: set[str]) -> None:
        for p in self.root.glob(".current-*"):
            with contextlib.suppress(OSError):
                p.unlink()
        for p in self.builds.iterdir():
            if p.name not in keep:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()

    def sweep(self) -> None:
        """Remove half-written builds (only called while holding the build lock)."""
        if not self.builds.is_dir():
            return
        for p in self.builds.glob(".tmp-*"):
            shutil.rmtree(p, ignore_errors=True)
        try:  # a build killed after its swap but before cleanup: keep current + the newest other one
            current = self.current()
        except IndexCorrupt:
            return
        others = sorted(p.name for p in self.builds.iterdir() if p.is_dir() and p.name != current
                        and not p.name.startswith("."))
        for name in others[:-1]:
            shutil.rmtree(self.builds / name, ignore_errors=True)

    def close(self) -> None:
        pass


class ServerStore:
    """Builds as versioned collections on a Chroma server plus a pointer record."""

    server = True

    def __init__(self, settings: Settings):
        self.settings = settings
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url else "http://" + settings.chroma_url)
        if not url.hostname:
            raise IndexCorrupt(f"ASSISTANT_CHROMA_URL 无效：{settings.chroma_url!r}（应为 http://主机:端口）")
        self.host, self.port, self.ssl = url.hostname, url.port or (443 if url.scheme == "https" else 8000), url.scheme == "https"
        self._client = None

    def where(self) -> str:
        return self.settings.chroma_url

    def _c(self):
        if self._client is None:
            import chromadb

            try:
                self._client = chromadb.HttpClient(host=self.host, port=self.port, ssl=self.ssl,
                                                   settings=_chroma_settings())
            except Exception as exc:
                raise IndexError_(f"无法连接 Chroma 服务器 {self.settings.chroma_url}（{exc.__class__.__name__}: {exc}）"
                                  "：请确认 chroma run 已启动") from exc
        return self._client

    def _name(self, kind: str, build: str = "") -> str:
        return f"{self.settings.collection}-{kind}" + (f"-{build}" if build else "")

    def _pointer(self, create: bool = False):
        if create:
            return self._c().get_or_create_collection(self._name("ptr"))
        try:
            return self._c().get_collection(self._name("ptr"))
        except IndexError_:
            raise
        except Exception as exc:
            if _is_not_found(exc):
                return None
            raise IndexError_(f"无法读取 Chroma 服务器 {self.settings.chroma_url}（{exc.__class__.__name__}: {exc}）") from exc

    def current(self) -> str | None:
        ptr = self._pointer()
        if ptr is None:
            return None
        got = ptr.get(ids=["current"], include=["metadatas"])
        if not got["ids"]:
            return None
        build = (got["metadatas"][0] or {}).get("build")
        if not build:
            raise IndexCorrupt(f"Chroma 服务器上的索引指针损坏：{REBUILD_HINT}")
        return build

    def previous(self) -> str | None:
        ptr = self._pointer()
        if ptr is None:
            return None
        got = ptr.get(ids=["current"], include=["metadatas"])
        return (got["metadatas"][0] or {}).get("previous") if got["ids"] else None

    def _meta(self, build: str):
        return self._c().get_collection(self._name("m", build))

    def manifest(self, build: str) -> dict:
        try:
            got = self._meta(build).get(ids=["manifest"], include=["documents"])
        except Exception as exc:
            raise ValueError(f"manifest of {build} unreadable: {exc}") from exc
        if not got["ids"]:
            raise ValueError(f"manifest of {build} missing")
        return json.loads(got["documents"][0])

    def client(self, build: str):
        return self._c()

    def collection_name(self, build: str) -> str:
        return self._name("b", build)

    def read_chunks(self, build: str, manifest: dict, collection) -> dict | None:
        return None  # the server's collection is the record of a server build

    def read_doc(self, client, build: str, doc_id: str) -> str:
        meta = self._meta(build)
        got = meta.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        parts = sorted(zip(got["metadatas"], got["documents"]), key=lambda p: int(p[0]["part"]))
        if not parts or len(parts) != int(parts[0][0]["parts"]):
            raise FileNotFoundError(doc_id)
        return "".join(text for _, text in parts)

    def check_docs(self, client, build: str, doc_ids) -> list[str]:
        got = _get_all(self._meta(build), ["metadatas"])
        have = Counter(m.get("doc_id") for m in got["metadatas"] if m)
        need = {m.get("doc_id"): int(m.get("parts", 0)) for m in got["metadatas"] if m and m.get("doc_id")}
        return [d for d in doc_ids if have.get(d, 0) == 0 or have[d] != need.get(d)]

    def sweep(self) -> None:
        pass  # unfinished builds are removed by cleanup() after the next successful build

    @contextlib.contextmanager
    def lock(self):
        yield  # concurrent builds on a server: each is atomic, the last pointer update wins

    def lexical_dir(self, build: str) -> Path:
        safe = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in f"{self.host}-{self.port}-{self.settings.collection}")
        return Path(self.settings.cache_dir) / "lexical" / safe / build / LEXICAL_DIR

    def cache_lexical(self, build: str, lexical: BM25Index) -> dict:
        """Save a build's lexical index into the local cache (atomically: temp folder + rename)."""
        final = self.lexical_dir(build)
        tmp = final.parent / f".tmp-{uuid.uuid4().hex[:8]}"
        try:
            entry = lexical.save(tmp)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(tmp, final)
            except OSError:  # another process cached it first: same build, same index
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError as exc:  # a read-only cache only costs the rebuild next time
            log.warning("lexical index not cached: %s", exc)
            shutil.rmtree(tmp, ignore_errors=True)
            entry = {"engine": "bm25s", "version": LEXICAL_VERSION}
        return entry

    def write(self, build: str, chunks: list[Chunk], vectors: dict, docs: list[Document], manifest: dict,
              lexical: BM25Index | None = None) -> None:
        if lexical is not None:
            entry = self.cache_lexical(build, lexical)
            manifest["lexical"] = {**entry, "path": "cache_dir"}
        c = self._c()
        col = c.create_collection(self._name("b", build), configuration=HNSW_CONFIG)
        _add_chunks(col, chunks, vectors)
        meta = c.create_collection(self._name("m", build))
        ids, texts, metas = [], [], []
        for d in docs:
            parts = [d.text[i:i + DOC_PART] for i in range(0, len(d.text), DOC_PART)] or [""]
            for n, part in enumerate(parts):
                ids.append(f"doc:{d.id}:{n}")
                texts.append(part)
                metas.append({"doc_id": d.id, "part": n, "parts": len(parts)})
        for i in range(0, len(ids), 16):
            meta.add(ids=ids[i:i + 16], documents=texts[i:i + 16], metadatas=metas[i:i + 16],
                     embeddings=[[1.0]] * len(ids[i:i + 16]))
        meta.add(ids=["manifest"], documents=[json.dumps(manifest, ensure_ascii=False)],
                 metadatas=[{"kind": "manifest"}], embeddings=[[1.0]])  # written last: the build is complete

    def publish(self, build: str) -> None:
        ptr = self._pointer(create=True)
        prev = None
        with contextlib.suppress(Exception):
            prev = self.current()
        ptr.upsert(ids=["current"], documents=[build], embeddings=[[1.0]],
                   metadatas=[{"build": build, "previous": prev or "", "at": time.strftime("%Y-%m-%d %H:%M:%S")}])

    def cleanup(self, keep: set[str]) -> None:
        newest = max(keep)
        prefix = self.settings.collection + "-"
        for col in self._c().list_collections():
            name = col if isinstance(col, str) else col.name
            for kind in ("b", "m"):
                head = f"{prefix}{kind}-"
                if name.startswith(head):
                    build = name[len(head):]
                    if build not in keep and build < newest:  # never touch a newer (concurrent) build
                        with contextlib.suppress(Exception):
                            self._c().delete_collection(name)
        cache = self.lexical_dir(newest).parent.parent
        if cache.is_dir():
            for p in cache.iterdir():
                if p.name not in keep and (p.name < newest or p.name.startswith(".tmp-")):
                    shutil.rmtree(p, ignore_errors=True)

    def close(self) -> None:
        pass


def _is_not_found(exc: Exception) -> bool:
    text = f"{exc.__class__.__name__} {exc}".lower()
    return "notfound" in text.replace(" ", "") or "does not exist" in text or "not found" in text


def store_for(settings: Settings):
    """The storage backend the settings select."""
    return ServerStore(settings) if settings.chroma_url.strip() else LocalStore(settings)


def _add_chunks(col, chunks: list[Chunk], vectors: dict) -> None:
    for i in range(0, len(chunks), WRITE_BATCH):
        batch = chunks[i: i + WRITE_BATCH]
        col.add(
            ids=[c.id for c in batch],
            documents=[c.text for c in batch],
            metadatas=[c.metadata() for c in batch],
            embeddings=[vectors[c.id] for c in batch],
        )


# --- the opened index ---------------------------------------------------------
class Index:
    """An opened build: its chunks, manifest and the LangChain Chroma vector store."""

    def __init__(self, path: Path | str | None, settings: Settings, embeddings=None, store=None, build: str | None = None):
        self.settings = settings
        self.backend = store or store_for(settings)
        if build is None:
            build = Path(path).name if path is not None else self.backend.current()
        self.build = build
        self.path = self.backend.path(build) if isinstance(self.backend, LocalStore) else None
        self.client = None
        try:
            self.manifest = self.backend.manifest(build)
            if not isinstance(self.manifest, dict) or not isinstance(self.manifest.get("documents"), dict):
                raise ValueError("manifest has no documents")
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"索引清单缺失或损坏（{self.backend.where()}）：{REBUILD_HINT}") from exc
        try:
            self.client = self.backend.client(build)
            self.collection = self.client.get_collection(self.backend.collection_name(build))
            got = self.backend.read_chunks(build, self.manifest, self.collection) \
                or _get_all(self.collection, ["documents", "metadatas"])
            self.chunks = sorted(
                (_chunk_from(doc, meta) for doc, meta in zip(got["documents"], got["metadatas"])),
                key=lambda c: (c.doc_id, c.start),
            )
            missing = self.backend.check_docs(self.client, build, self.documents())
        except IndexError_:
            raise
        except BaseException as exc:  # chromadb may raise Rust panics (BaseException) on damaged files
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            if not self.backend.server:
                _release(self.client)
            raise IndexCorrupt(f"索引无法打开（{exc.__class__.__name__}: {str(exc)[:200]}）：{REBUILD_HINT}") from exc
        if len(self.chunks) != self.manifest.get("total_chunks", len(self.chunks)):
            raise IndexCorrupt(f"索引不完整（分块数与清单不符）：{REBUILD_HINT}")
        per_doc = Counter(c.doc_id for c in self.chunks)
        for doc_id, info in self.documents().items():
            if "chunks" in info and per_doc.get(doc_id, 0) != info["chunks"]:
                raise IndexCorrupt(f"索引不完整（文档 {info.get('title', doc_id)} 的分块数与清单不符）：{REBUILD_HINT}")
        if set(per_doc) - set(self.documents()):
            raise IndexCorrupt(f"索引中有清单之外的分块：{REBUILD_HINT}")
        if missing:
            raise IndexCorrupt(f"索引缺少文档原文快照（{len(missing)} 篇）：{REBUILD_HINT}")
        self._embeddings = embeddings
        self._store = None
        self._docs: dict[str, Document] = {}
        self._lexical: BM25Index | None = None
        self._doc_chunks = per_doc
        self._vectors = None  # (ids, unit vectors, doc ids) for exact search, read on first use

    def lexical(self) -> BM25Index:
        """The build's BM25 index: loaded from the build (or, in server mode, the local cache);
        re-tokenized from the chunks only when it is missing or belongs to other chunks."""
        if self._lexical is None:
            ids = [c.id for c in self.chunks]
            folder = self.backend.lexical_dir(self.build)
            entry = None if self.backend.server else self.manifest.get("lexical")
            try:
                self._lexical = BM25Index.load(folder, ids, entry)
            except LexicalMismatch as exc:
                log.info("lexical index rebuilt from the chunks (%s)", exc)
                self._lexical = BM25Index([c.text for c in self.chunks], ids=ids)
                if self.backend.server:
                    self.backend.cache_lexical(self.build, self._lexical)
        return self._lexical

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
                collection_name=self.backend.collection_name(self.build),
                embedding_function=self.embeddings,
            )
        return self._store

    def dense_search(self, query: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks."""
        vector = self.embeddings.embed_query(query)
        return self.dense_search_vector(vector, k, where)

    def dense_search_vector(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        if not self.chunks:
            return []
        if where and "doc_id" in where:  # never ask for more results than the filter can give
            cond = where["doc_id"]
            ids = set(cond.get("$in", [])) if isinstance(cond, dict) else {cond}
            k = min(k, sum(self._doc_chunks.get(d, 0) for d in ids))
            if k == 0:
                return []
        if len(self.chunks) <= EXACT_SEARCH_MAX:
            return self._exact_search(vector, k, where)
        res = self.collection.query(query_embeddings=[vector], n_results=max(1, min(k, len(self.chunks))),
                                    where=where, include=["distances"])
        return [(cid, 1.0 - dist) for cid, dist in zip(res["ids"][0], res["distances"][0])]

    def _exact_search(self, vector: list[float], k: int, where: dict | None) -> list[tuple[str, float]]:
        """Exact cosine search over the build's stored vectors (read from Chroma once).  Chroma's
        HNSW graph is approximate: the same query could miss a near neighbour in one process and
        find it in the next, and with it the answer changed.  Ties go to the chunk stored first."""
        import numpy as np

        if self._vectors is None:
            got = _get_all(self.collection, ["embeddings", "metadatas"])
            m = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
            norms = np.linalg.norm(m, axis=1, keepdims=True)
            m = m / np.where(norms > 0, norms, 1.0)
            docs = np.array([(meta or {}).get("doc_id", "") for meta in got["metadatas"]])
            self._vectors = (list(got["ids"]), m, docs)
        ids, m, docs = self._vectors
        v = np.asarray(vector, dtype=np.float32)
        v = v / (np.linalg.norm(v) or 1.0)
        sims = m @ v
        pos = np.arange(len(ids))
        if where and "doc_id" in where:
            cond = where["doc_id"]
            wanted = list(cond.get("$in", [])) if isinstance(cond, dict) else [cond]
            pos = pos[np.isin(docs, wanted)]
        order = pos[np.lexsort((pos, -sims[pos]))][:k]
        return [(ids[i], float(sims[i])) for i in order]

    def documents(self) -> dict[str, dict]:
        """Manifest entries of the indexed documents, by document id."""
        return self.manifest.get("documents", {})

    def document(self, doc_id: str) -> Document:
        """The indexed text of a document (snapshot taken at build time)."""
        if doc_id not in self._docs:
            info = self.documents().get(doc_id)
            if info is None:
                raise KeyError(f"文档不在索引中：{doc_id}")
            try:
                text = self.backend.read_doc(self.client, self.build, doc_id)
            except (OSError, UnicodeDecodeError) as exc:
                raise IndexCorrupt(f"索引缺少文档原文快照（{info.get('title', doc_id)}）：{REBUILD_HINT}") from exc
            self._docs[doc_id] = Document(id=doc_id, title=info["title"], text=text,
                                          source=info.get("source", ""), metadata=info.get("metadata", {}))
        return self._docs[doc_id]

    def all_documents(self) -> list[Document]:
        return [self.document(i) for i in self.documents()]

    def close(self) -> None:
        if not self.backend.server:
            _release(self.client)


def _chunk_from(text: str, meta: dict) -> Chunk:
    return Chunk(
        id=meta["id"], doc_id=meta["doc_id"], title=meta["title"], paragraph=int(meta["paragraph"]),
        start=int(meta["start"]), end=int(meta["end"]), text=text, section=meta.get("section", ""),
        parent_start=int(meta["parent_start"]), parent_end=int(meta["parent_end"]),
    )


def current_build(settings: Settings | None = None) -> Path | None:
    """Folder of the current embedded build, or None when no index has been built."""
    settings = settings or get_settings()
    store = LocalStore(settings)
    build = store.current()
    return None if build is None else store.path(build)


def open_index(settings: Settings | None = None, embeddings=None) -> Index:
    """Open the current build (raises IndexMissing / IndexCorrupt with a clear message)."""
    settings = settings or get_settings()
    store = store_for(settings)
    build = store.current()
    if build is None:
        raise IndexMissing(f"索引尚未建立（{store.where()}）：请运行 python -m assistant index")
    return Index(None, settings, embeddings, store=store, build=build)


def _current_manifest(store) -> tuple[str | None, dict | None]:
    build = store.current()
    if build is None:
        return None, None
    return build, store.manifest(build)


def index_status(settings: Settings | None = None, docs: list[Document] | None = None) -> str:
    """'missing', 'corrupt', 'stale' or 'ok'."""
    settings = settings or get_settings()
    store = store_for(settings)
    try:
        build, manifest = _current_manifest(store)
        if build is None:
            return "missing"
        if not isinstance(manifest, dict):
            return "corrupt"
    except (IndexCorrupt, OSError, ValueError):
        return "corrupt"
    from .embeddings import resolve_model

    docs = corpus(settings) if docs is None else docs
    want = desired_manifest(docs, resolve_model(settings.embed_model).name)
    return "ok" if _same(manifest, want, store.server) else "stale"


def verify_index(settings: Settings | None = None) -> dict:
    """Open the current build and check every document against its content hash.

    Returns ``{"build", "documents", "chunks"}``; raises IndexCorrupt when a
    document's snapshot does not hash to its id or its chunks do not match the
    chunker's output for that text (i.e. a document is not wholly present).
    """
    from .chunking import chunk_document

    index = open_index(settings)
    try:
        by_doc: dict[str, set[str]] = {}
        for c in index.chunks:
            by_doc.setdefault(c.doc_id, set()).add(c.id)
        target = index.manifest.get("chunk_target", DEFAULT_TARGET)
        for doc in index.all_documents():
            if content_hash(doc.text) != doc.id:
                raise IndexCorrupt(f"文档快照与其内容哈希不符（{doc.title}）：{REBUILD_HINT}")
            want = {c.id for c in chunk_document(doc, target)}
            if by_doc.get(doc.id, set()) != want:
                raise IndexCorrupt(f"文档分块不完整（{doc.title}）：{REBUILD_HINT}")
        return {"build": index.build, "documents": len(index.documents()), "chunks": len(index.chunks)}
    finally:
        index.close()


def corpus(settings: Settings) -> list[Document]:
    """Documents of the docs folder; unreadable files are skipped with a warning (never a traceback)."""
    from .library import folder_documents

    if not Path(settings.docs_dir).is_dir():
        raise FileNotFoundError(f"文档目录不存在：{settings.docs_dir}")
    docs, problems = folder_documents(settings)
    for problem in problems:
        log.warning("跳过无法读取的文档：%s", problem)
    return [d for _p, d in docs]


def _old_embeddings(store, settings: Settings, model: str) -> dict[str, list[float]]:
    """Embeddings of the current build keyed by chunk id (when it used the same model)."""
    client = None
    try:
        build, manifest = _current_manifest(store)
        if build is None or manifest.get("model") != model:
            return {}
        client = store.client(build)
        got = _get_all(client.get_collection(store.collection_name(build)), ["embeddings"])
        return {cid: list(vec) for cid, vec in zip(got["ids"], got["embeddings"])}
    except Exception as exc:  # a corrupt previous build just means: embed everything
        log.warning("previous build unreadable, embedding everything: %s", exc)
        return {}
    finally:
        if client is not None and not store.server:
            _release(client)


def build_index(
    settings: Settings | None = None,
    docs: list[Document] | None = None,
    rebuild: bool = False,
    progress: bool = True,
    embeddings=None,
) -> BuildReport:
    """Bring the index up to date with the documents; atomic, incremental and idempotent."""
    from .embeddings import get_embeddings, resolve_model

    settings = settings or get_settings()
    t0 = time.perf_counter()
    docs = corpus(settings) if docs is None else docs
    seen: set[str] = set()
    docs = [d for d in docs if not (d.id in seen or seen.add(d.id))]  # same text twice: index once
    model = resolve_model(settings.embed_model).name
    want = desired_manifest(docs, model)
    report = BuildReport(documents=[d.source for d in docs])
    store = store_for(settings)

    with store.lock():
        store.sweep()  # leftovers of builds that were killed half-way
        previous = None
        try:
            previous, have = _current_manifest(store)
            if previous is not None and not rebuild and _same(have, want, store.server):
                report.total = have.get("total_chunks", 0)
                report.build_id = previous
                report.seconds = time.perf_counter() - t0
                return report
        except (IndexCorrupt, OSError, ValueError):
            previous = None  # fall through: build afresh

        chunks = chunk_corpus(docs)
        old = {} if rebuild else _old_embeddings(store, settings, model)
        embeddings = embeddings or get_embeddings(settings.embed_model)
        # texts of like length share a batch: the torch engine pads each batch to its longest
        todo = sorted((c for c in chunks if c.id not in old), key=lambda c: len(c.index_text()))
        vectors: dict[str, list[float]] = {c.id: old[c.id] for c in chunks if c.id in old}
        ordered = sorted(chunks, key=lambda c: (c.doc_id, c.start))  # the order Index.chunks has
        texts = [c.index_text() for c in todo]
        bar = _progress(sum(map(len, texts)), progress, len(todo))
        # the lexical index is tokenized in a second thread while the embedding model (C code,
        # which releases the GIL) works through the batches
        with ThreadPoolExecutor(max_workers=1) as pool:
            lexical_job = pool.submit(lambda: BM25Index([c.text for c in ordered], ids=[c.id for c in ordered]))
            for i in range(0, len(todo), BATCH):
                batch = todo[i: i + BATCH]
                for c, v in zip(batch, embeddings.embed_documents(texts[i: i + BATCH])):
                    vectors[c.id] = v
                bar.update(sum(len(t) for t in texts[i: i + BATCH]))
            bar.close()
            lexical = lexical_job.result()

        per_doc = Counter(c.doc_id for c in chunks)
        for doc_id, info in want["documents"].items():
            info["chunks"] = per_doc.get(doc_id, 0)
        want["total_chunks"] = len(chunks)
        want["built_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        build_id = _new_build_id()
        store.write(build_id, chunks, vectors, docs, want, lexical)
        store.publish(build_id)
        store.cleanup(keep={build_id} | ({previous} if previous else set()))

    report.added = len(todo)
    report.reused = len(chunks) - len(todo)
    report.removed = len(set(old) - {c.id for c in chunks}) if old else 0
    report.total = len(chunks)
    report.changed = True
    report.build_id = build_id
    report.seconds = time.perf_counter() - t0
    log.info("index built: %s (previous %s)", build_id, previous)
    return report


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            _fsync_dir(Path(dirpath) / name)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    """fsync a folder (or a file): its entries/contents reach the disk before we go on."""
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


def _progress(chars: int, enabled: bool, chunks: int = 0):
    """Embedding progress in characters, so the bar shows characters per second."""
    if not enabled or chars == 0:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=chars, desc=f"向量化 {chunks} 块", unit="字", unit_scale=True, file=__import__("sys").stderr)
